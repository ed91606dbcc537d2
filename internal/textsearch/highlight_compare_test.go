package textsearch

import (
	"encoding/csv"
	"html"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// realTexts returns real participation texts: the statements of the Polis conversations shared
// beside the repository (English), when they are there, and the messages of the French
// catalogue. Some are joined five by five, so that extracts are cut from long texts too.
func realTexts(tb testing.TB) []string {
	tb.Helper()
	var texts []string
	dirs, _ := filepath.Glob("../../../shared/data/polis/*/comments.csv")
	for _, path := range dirs {
		f, err := os.Open(path)
		if err != nil {
			tb.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		col := -1
		for i, name := range rows[0] {
			if name == "comment-body" {
				col = i
			}
		}
		if col < 0 {
			tb.Fatalf("%s: no comment-body column", path)
		}
		for _, row := range rows[1:] {
			texts = append(texts, row[col])
		}
	}
	if len(texts) == 0 {
		tb.Log("no shared Polis data: French texts only")
	}
	b, err := os.ReadFile("../i18n/fr.txt")
	if err != nil {
		tb.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if _, msg, ok := strings.Cut(line, " = "); ok {
			texts = append(texts, strings.ReplaceAll(strings.TrimSpace(msg), `\n`, "\n"))
		}
	}
	texts = append(texts, benchParagraph, longText)
	for i := 0; i+5 <= len(texts); i += 50 {
		texts = append(texts, strings.Join(texts[i:i+5], " "))
	}
	return texts
}

// highlightQueries are searches of the subjects of realTexts, in both languages.
var highlightQueries = []string{
	"minimum wage", "referendum", "proportional representation", "concussions", "small business",
	"brexit deal", "helmets", "electoral reform", "wage", "vote",
	"citoyen", "données ouvertes", "participation", "contribution", "publier", "proposition",
	"synthèse", "réponse", "événement", "compte",
}

// TestHighlightAsBefore compares Highlight with the implementation it replaced, kept below as
// refHighlight, on real texts: each with fixed queries and with queries made of its own words,
// at the sizes the pages use and at awkward ones. A Highlighter per query serves all the texts,
// as one serves a page of results.
func TestHighlightAsBefore(t *testing.T) {
	texts := append(realTexts(t), hostileInputs()...)
	highlighters := map[string]*Highlighter{}
	n := 0
	for i, text := range texts {
		queries := []string{
			highlightQueries[i%len(highlightQueries)],
			highlightQueries[(i*7+3)%len(highlightQueries)],
		}
		if words := strings.Fields(text); len(words) > 0 {
			queries = append(queries, words[(i*5)%len(words)], words[len(words)-1],
				words[len(words)/2]+" "+words[(i*3)%len(words)])
		}
		for _, query := range queries {
			q := ParseQuery(query)
			h := highlighters[query]
			if h == nil {
				h = NewHighlighter(q)
				highlighters[query] = h
			}
			for _, maxRunes := range []int{0, 2, 3, 12, 40, 240} {
				want := refHighlight(text, q, maxRunes)
				if got := h.Highlight(text, maxRunes); got != want {
					t.Errorf("Highlight(%.60q, %q, %d) =\n%q\nwas\n%q", text, query, maxRunes, got, want)
				}
				if got := Highlight(text, q, maxRunes); got != want {
					t.Errorf("alone, Highlight(%.60q, %q, %d) =\n%q\nwas\n%q", text, query, maxRunes, got, want)
				}
				n++
			}
		}
	}
	if n < 10000 {
		t.Errorf("only %d comparisons", n)
	}
}

// TestStemKeepsMostOfToken checks the assumption that lets Highlighter skip stemming (mustBegin),
// on real words and on made-up ones ending in the suffixes the French stemmer rewrites, one
// after the other as its steps chain them.
func TestStemKeepsMostOfToken(t *testing.T) {
	bases := strings.Fields(`a e i o u y b ab ba bab aab aaab par col tap pay joy ecl heur fabr
		prob cour crea ordin gen qu gu aqu bruy voy abcdef ennuy publ citoy`)
	middles := strings.Fields(`ic abil iv at eus ier iqu e y u i ement`)
	middles = append(middles, "")
	suffixes := strings.Fields(`issements issement atrices utions usions logies emment ements
		atrice ations ateurs amment ution usion ments logie istes ismes iques euses ences ement
		ation ateur ances ables ment ites iste isme ique euse ence eaux ance able ives ite eux aux
		ive ifs if issantes issaient issions issants issante iraient issons issiez issent issant
		issait issais irions issez isses iront irons iriez irent irait irais ites imes isse irez
		iras irai ira ies it is ir ie i eraient assions erions assiez assent erent eront erons
		eriez erait erais asses antes aient ates ames ions erez eras erai asse ants ante ees iez
		era ant ait ais es ee at ez er as ai e a iere ier ion s enn onn ett ell eill`)
	var tokens []string
	for _, b := range bases {
		for _, m := range middles {
			for _, s := range suffixes {
				tokens = append(tokens, b+m+s)
			}
		}
	}
	for _, text := range realTexts(t) {
		scanWords(text, func(start, end int) bool {
			for tok, rest := nextToken(fold(text[start:end])); tok != ""; tok, rest = nextToken(rest) {
				tokens = append(tokens, tok)
			}
			return true
		})
	}
	for _, tok := range tokens {
		if term, ok := term(tok); ok && !strings.HasPrefix(tok, mustBegin(term)) {
			t.Errorf("token %q gives term %q but does not begin with %q", tok, term, mustBegin(term))
		}
	}
}

// BenchmarkHighlightResults makes what a search page asks of Highlight: for each of 20 results,
// the whole title and a 240-rune extract of the body, on real texts holding the words searched.
func BenchmarkHighlightResults(b *testing.B) {
	pages := resultPages(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		page := pages[i%len(pages)]
		h := NewHighlighter(page.q)
		for _, text := range page.texts {
			title, _, _ := strings.Cut(text, ".")
			h.Highlight(title, 0)
			h.Highlight(text, 240)
		}
		i++
	}
}

// resultPage is a search and the first 20 of the texts it finds.
type resultPage struct {
	q     Query
	texts []string
}

func resultPages(tb testing.TB) []resultPage {
	tb.Helper()
	texts := realTexts(tb)
	var pages []resultPage
	for _, s := range highlightQueries {
		p := resultPage{q: ParseQuery(s)}
		for _, text := range texts {
			if len(p.texts) < 20 && holdsAll(Terms(text), p.q.Terms) {
				p.texts = append(p.texts, text)
			}
		}
		if len(p.texts) > 0 {
			pages = append(pages, p)
		}
	}
	return pages
}

// holdsAll reports whether terms hold every one of want, as a search requires.
func holdsAll(terms, want []string) bool {
	for _, t := range want {
		if !containsString(terms, t) {
			return false
		}
	}
	return true
}

// refHighlight is Highlight as it was before it stopped reading past the extract and stemming
// words that cannot match, kept to check that the output did not change.
func refHighlight(text string, q Query, maxRunes int) template.HTML {
	text = strings.ToValidUTF8(text, "\uFFFD")
	want := q.validTerms()

	var words []refWord
	runes, last := 0, 0 // rune offset of byte offset last
	scanWords(text, func(start, end int) bool {
		runes += utf8.RuneCountInString(text[last:start])
		rs := runes
		runes += utf8.RuneCountInString(text[start:end])
		last = end
		words = append(words, refWord{start: start, end: end, runeStart: rs, runeEnd: runes})
		return true
	})
	total := runes + utf8.RuneCountInString(text[last:])

	first := -1
	if len(want) > 0 {
		for i := range words {
			if refWordMatches(text[words[i].start:words[i].end], want) {
				first = i
				break
			}
		}
	}

	w := refChooseWindow(text, words, total, first, maxRunes)

	var b strings.Builder
	if w.start > 0 {
		b.WriteString(ellipsis)
	}
	pos := w.start
	for _, wd := range words {
		if wd.end <= w.start {
			continue
		}
		if wd.start >= w.end {
			break
		}
		s, e := max(wd.start, w.start), min(wd.end, w.end)
		b.WriteString(html.EscapeString(text[pos:s]))
		if len(want) > 0 && refWordMatches(text[wd.start:wd.end], want) {
			b.WriteString("<mark>")
			b.WriteString(html.EscapeString(text[s:e]))
			b.WriteString("</mark>")
		} else {
			b.WriteString(html.EscapeString(text[s:e]))
		}
		pos = e
	}
	b.WriteString(html.EscapeString(text[pos:w.end]))
	if w.end < len(text) {
		b.WriteString(ellipsis)
	}
	return template.HTML(b.String())
}

type refWord struct {
	start, end         int
	runeStart, runeEnd int
}

type refWindow struct{ start, end int }

func refChooseWindow(text string, words []refWord, total, first, maxRunes int) refWindow {
	if maxRunes <= 0 || total <= maxRunes {
		return refWindow{0, len(text)}
	}
	if maxRunes < 3 {
		// No room for context and two ellipses: the start, hard-cut.
		return refWindow{0, refByteOffset(text, 0, maxRunes-1)}
	}

	start, startRune, k := 0, 0, 0
	if first >= 0 {
		// Start at the first word at or after p, but late enough for the
		// whole matching word to fit when it can.
		p := min(words[first].runeStart-maxRunes/3, total-(maxRunes-1))
		fits := func(k int) bool {
			if k == 0 && p <= 0 {
				return words[first].runeEnd+1 <= maxRunes
			}
			return words[first].runeEnd-words[k].runeStart+2 <= maxRunes
		}
		for k < first && (words[k].runeStart < p || !fits(k)) {
			k++
		}
		if k > 0 || p > 0 {
			start, startRune = words[k].start, words[k].runeStart
		}
	}

	budget := maxRunes
	if start > 0 {
		budget-- // leading ellipsis
	}
	if total-startRune <= budget {
		return refWindow{start, len(text)}
	}
	budget-- // trailing ellipsis
	end := -1
	for _, wd := range words[k:] {
		if wd.runeEnd-startRune > budget {
			break
		}
		end = wd.end
	}
	if end <= start {
		end = refByteOffset(text, start, budget)
	}
	return refWindow{start, end}
}

func refByteOffset(text string, from, n int) int {
	i := from
	for ; n > 0 && i < len(text); n-- {
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return i
}

func refWordMatches(word string, want []string) bool {
	f := fold(word)
	for tok, rest := nextToken(f); tok != ""; tok, rest = nextToken(rest) {
		if len(tok) < 2 || !refAnyHasPrefix(want, tok[:2]) {
			continue
		}
		if t, ok := term(tok); ok && containsString(want, t) {
			return true
		}
	}
	return false
}

func refAnyHasPrefix(terms []string, prefix string) bool {
	for _, t := range terms {
		if strings.HasPrefix(t, prefix) {
			return true
		}
	}
	return false
}

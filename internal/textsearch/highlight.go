package textsearch

import (
	"html/template"
	"strings"
	"unicode/utf8"
)

const ellipsis = "…"

// Highlight returns an extract of text for a search result: at most
// maxRunes visible runes (ellipses included), cut on word boundaries with
// "…" where text was cut, starting a little before the first word whose
// stem is one of q's terms. Every word of the extract matching q is wrapped
// in <mark>…</mark>; all the rest is HTML-escaped, which is why the result
// can be a template.HTML. Matching reuses the analysis of Terms, so
// "citoyennes" is marked for the query "citoyen" and "Éducation" for
// "education".
//
// With no match the extract is the start of text. maxRunes <= 0 means no
// limit: the whole text, highlighted. A single word longer than the extract
// is cut inside the word, there being no better place.
//
// A page of results should use one Highlighter rather than call Highlight
// for each.
func Highlight(text string, q Query, maxRunes int) template.HTML {
	return NewHighlighter(q).Highlight(text, maxRunes)
}

// Highlighter highlights the results of one search, as Highlight does. A
// search page has two extracts per result to make, so it does as little as
// they need: the words that cannot give a wanted term are never stemmed
// (see mustBegin), those that can are stemmed once however many times and
// results they appear in (the words that made the results found, mostly),
// and a text is not read past the end of its extract once a match has
// placed it. It is not safe for concurrent use.
type Highlighter struct {
	want []string
	need []string        // need[i] is mustBegin(want[i])
	seen map[string]bool // the tokens stemmed so far, and whether their term is wanted
}

// NewHighlighter returns a Highlighter of the words matching q.
func NewHighlighter(q Query) *Highlighter {
	want := q.validTerms()
	h := &Highlighter{want: want, need: make([]string, len(want))}
	for i, t := range want {
		h.need[i] = mustBegin(t)
	}
	return h
}

// Highlight returns the extract of text Highlight(text, q, maxRunes) returns.
func (h *Highlighter) Highlight(text string, maxRunes int) template.HTML {
	text = strings.ToValidUTF8(text, "\uFFFD")
	if maxRunes <= 0 || len(text) <= maxRunes {
		// The whole text is shown (a rune takes at least a byte).
		return template.HTML(h.markAll(text))
	}

	words, first, total := h.scan(text, maxRunes)
	w := chooseWindow(text, words, total, first, maxRunes)

	var b strings.Builder
	b.Grow(w.end - w.start + 64)
	if w.start > 0 {
		b.WriteString(ellipsis)
	}
	pos := w.start
	for i, wd := range words {
		if wd.end <= w.start {
			continue
		}
		if wd.start >= w.end {
			break
		}
		// scan looked at every word up to the first match, and at all of them when there is none.
		if i != first && (first < 0 || i < first || !h.matches(text[wd.start:wd.end])) {
			continue
		}
		s, e := max(wd.start, w.start), min(wd.end, w.end)
		escapeTo(&b, text[pos:s])
		b.WriteString("<mark>")
		escapeTo(&b, text[s:e])
		b.WriteString("</mark>")
		pos = e
	}
	escapeTo(&b, text[pos:w.end])
	if w.end < len(text) {
		b.WriteString(ellipsis)
	}
	return template.HTML(b.String())
}

// markAll returns the whole of text escaped, its matching words marked.
func (h *Highlighter) markAll(text string) string {
	var b strings.Builder
	b.Grow(len(text) + 32)
	pos := 0
	if len(h.want) > 0 {
		scanWords(text, func(start, end int) bool {
			if h.matches(text[start:end]) {
				escapeTo(&b, text[pos:start])
				b.WriteString("<mark>")
				escapeTo(&b, text[start:end])
				b.WriteString("</mark>")
				pos = end
			}
			return true
		})
	}
	escapeTo(&b, text[pos:])
	return b.String()
}

// hlWord is a word of the highlighted text, by byte and by rune offsets.
type hlWord struct {
	start, end         int
	runeStart, runeEnd int
}

// scan returns the words of text (split as scanWords splits them) with their rune offsets, the
// index of the first word that matches (-1 if none) and the number of runes of text. Once a
// match is found it stops at the first word starting more than maxRunes runes after it: no
// extract reaches that word. total is then the runes read so far, less than the whole but more
// than the match's offset plus maxRunes, which is all chooseWindow needs to know of it.
func (h *Highlighter) scan(text string, maxRunes int) (words []hlWord, first, total int) {
	first = -1
	limit := 0 // with a match, the rune offset past which no word is needed
	runes, start, startRune := 0, -1, 0
	// word records the word ending at end and reports whether scanning goes on.
	word := func(end int) bool {
		if first >= 0 && startRune > limit {
			return false
		}
		words = append(words, hlWord{start: start, end: end, runeStart: startRune, runeEnd: runes})
		if first < 0 && h.matches(text[start:end]) {
			first = len(words) - 1
			limit = startRune + maxRunes
		}
		return true
	}
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start, startRune = i, runes
			}
		} else if start >= 0 {
			if !word(i) {
				return words, first, runes
			}
			start = -1
		}
		runes++
	}
	if start >= 0 {
		word(len(text))
	}
	return words, first, runes
}

// window is the byte range of text shown by Highlight.
type window struct{ start, end int }

// chooseWindow picks the extract: it starts at a word about a third of the
// budget before the first match (or earlier when the match is near the end
// of text, so the budget is not wasted; or later when the matching word
// would not fit), and ends after the last whole word that fits. total may
// be a lower bound of the text's runes when it exceeds the first match's
// offset plus maxRunes: the extract is then the same as with the true count
// (see scan).
func chooseWindow(text string, words []hlWord, total, first, maxRunes int) window {
	if maxRunes <= 0 || total <= maxRunes {
		return window{0, len(text)}
	}
	if maxRunes < 3 {
		// No room for context and two ellipses: the start, hard-cut.
		return window{0, byteOffset(text, 0, maxRunes-1)}
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
		return window{start, len(text)}
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
		end = byteOffset(text, start, budget)
	}
	return window{start, end}
}

// byteOffset returns the byte offset n runes after byte offset from.
func byteOffset(text string, from, n int) int {
	i := from
	for ; n > 0 && i < len(text); n-- {
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return i
}

// escapeTo writes s to b escaped as html.EscapeString escapes it, without
// making a string of it first.
func escapeTo(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// mustBegin returns what a token whose term is t begins with. The stemmer
// removes suffixes and rewrites at most the last three bytes of what it
// keeps ("ences" -> "ent", "ic" -> "iqu", "abil" -> "abl", a final y made
// i), never the first two bytes but for that y: so the token begins with t
// less its last three bytes, and with its first two bytes, or only the
// first for a term like "ai" (from "ayissement"). TestStemKeepsMostOfToken
// checks it.
func mustBegin(t string) string {
	n := min(len(t), max(2, len(t)-3))
	if len(t) == 2 && t[1] == 'i' {
		n = 1
	}
	return t[:n]
}

// matches reports whether one of the terms of word (as found by scanWords)
// is wanted.
func (h *Highlighter) matches(word string) bool {
	if len(h.want) == 0 {
		return false
	}
	if isASCII(word) {
		// A single token, the word lowercased: looked at before lowercasing.
		return h.mayGive(word) && h.gives(strings.ToLower(word))
	}
	f := fold(word)
	for tok, rest := nextToken(f); tok != ""; tok, rest = nextToken(rest) {
		if h.mayGive(tok) && h.gives(tok) {
			return true
		}
	}
	return false
}

// mayGive reports whether tok, an ASCII token in any case, begins as a
// token giving a wanted term must begin.
func (h *Highlighter) mayGive(tok string) bool {
	for _, n := range h.need {
		if hasLowerPrefix(tok, n) {
			return true
		}
	}
	return false
}

// gives reports whether the term of tok, a folded token, is wanted.
func (h *Highlighter) gives(tok string) bool {
	if v, ok := h.seen[tok]; ok {
		return v
	}
	t, ok := term(tok)
	v := ok && containsString(h.want, t)
	if h.seen == nil {
		h.seen = make(map[string]bool)
	}
	h.seen[tok] = v
	return v
}

// hasLowerPrefix reports whether s lowercased begins with prefix, which is
// lowercase ASCII.
func hasLowerPrefix(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

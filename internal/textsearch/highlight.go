package textsearch

import (
	"html"
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
func Highlight(text string, q Query, maxRunes int) template.HTML {
	text = strings.ToValidUTF8(text, "\uFFFD")
	want := q.validTerms()

	var words []hlWord
	runes, last := 0, 0 // rune offset of byte offset last
	scanWords(text, func(start, end int) bool {
		runes += utf8.RuneCountInString(text[last:start])
		rs := runes
		runes += utf8.RuneCountInString(text[start:end])
		last = end
		words = append(words, hlWord{start: start, end: end, runeStart: rs, runeEnd: runes})
		return true
	})
	total := runes + utf8.RuneCountInString(text[last:])

	first := -1
	if len(want) > 0 {
		for i := range words {
			if wordMatches(text[words[i].start:words[i].end], want) {
				first = i
				break
			}
		}
	}

	w := chooseWindow(text, words, total, first, maxRunes)

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
		if len(want) > 0 && wordMatches(text[wd.start:wd.end], want) {
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

// hlWord is a word of the highlighted text, by byte and by rune offsets.
type hlWord struct {
	start, end         int
	runeStart, runeEnd int
}

// window is the byte range of text shown by Highlight.
type window struct{ start, end int }

// chooseWindow picks the extract: it starts at a word about a third of the
// budget before the first match (or earlier when the match is near the end
// of text, so the budget is not wasted; or later when the matching word
// would not fit), and ends after the last whole word that fits.
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

// wordMatches reports whether one of the terms of word (as found by
// scanWords) is in want.
//
// Stemming is most of the cost of Highlight, so tokens that cannot match
// are not stemmed: the stemmer only rewrites suffixes inside its regions
// R1, R2 and RV, none of which starts before the third letter, so a term
// begins with the first two bytes of its token (TestStemKeepsPrefix).
func wordMatches(word string, want []string) bool {
	f := fold(word)
	for tok, rest := nextToken(f); tok != ""; tok, rest = nextToken(rest) {
		if len(tok) < 2 || !anyHasPrefix(want, tok[:2]) {
			continue
		}
		if t, ok := term(tok); ok && containsString(want, t) {
			return true
		}
	}
	return false
}

func anyHasPrefix(terms []string, prefix string) bool {
	for _, t := range terms {
		if strings.HasPrefix(t, prefix) {
			return true
		}
	}
	return false
}

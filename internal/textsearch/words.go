package textsearch

import "strings"

// Words calls fn, in text order, for every term Terms(text) returns, with
// the word of text it comes from, lowercased. Callers that show terms to
// people need it: a stem such as "particip" is not a word, while the most
// frequent word behind it ("participation") is. A word that gives several
// terms is passed once per term; a word that gives none (a stop word, a
// single letter) is not passed at all.
func Words(text string, fn func(word, term string)) {
	var buf []string
	scanWords(text, func(start, end int) bool {
		buf = appendWordTerms(buf[:0], text[start:end])
		if len(buf) == 0 {
			return true
		}
		word := strings.ToLower(text[start:end])
		for _, t := range buf {
			fn(word, t)
		}
		return true
	})
}

// Package textsearch is the French-aware text analysis shared by full-text
// search, similar-contribution lookup and duplicate detection.
//
// Both databases index the output of this package (a space-separated list
// of terms made only of [a-z0-9]) rather than running their own analysers:
// SQLite FTS5's tokenizers know nothing about French stemming, and
// PostgreSQL's 'french' configuration is not available on SQLite. Doing the
// analysis in Go once gives identical results on both, and lets the search
// box, the "similar contributions" lookup and the highlighting of results
// agree on what a word is.
//
// Analysis of a text:
//
//   - a word is a maximal run of letters, digits and combining marks, so
//     apostrophes and hyphens separate words ("l'inclusion" -> "l",
//     "inclusion");
//   - each word is lowercased, decomposed (NFKD), stripped of combining marks
//     and a few letters without decomposition are spelled out (œ -> oe,
//     æ -> ae, ß -> ss, ø -> o, ...); whatever is then not [a-z0-9] separates
//     tokens, so non-Latin scripts and emoji produce no terms;
//   - tokens shorter than 2 characters and stop words (stopwords.txt) are
//     dropped;
//   - digit-only tokens are kept as they are, tokens longer than 40 bytes are
//     cut to 40 bytes and kept unstemmed, every other token is stemmed with
//     the Snowball French stemmer.
//
// Stemming is applied to the unaccented token, not to the accented word.
// Stemming the accented word makes the result depend on the accents:
// "sécurité" -> "secur" but "securite" -> "securit", "accès" -> "acces"
// but "acces" -> "acce". Participants and searchers often omit accents (or
// write in capitals), so Terms(s) is made to depend only on the unaccented
// text. The main loss, -ée words no longer meeting their verb (pensée and
// penser), is repaired by feminineEe.
package textsearch

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/french"
	"golang.org/x/text/unicode/norm"
)

// maxTermBytes bounds the length of a term so that junk such as glued URLs
// or hashes cannot bloat the index; it also bounds the stemmer's input.
const maxTermBytes = 40

//go:embed stopwords.txt
var stopWordsText string

// stopWords holds the folded stop words. It is built once at init and only
// read afterwards.
var stopWords = parseStopWords(stopWordsText)

// parseStopWords reads the stopwords.txt format: one word per line, "#"
// comments and blank lines ignored. Words are folded like text so the file
// can keep the natural spelling.
func parseStopWords(s string) map[string]struct{} {
	m := make(map[string]struct{})
	for line := range strings.Lines(s) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m[fold(line)] = struct{}{}
	}
	return m
}

// Terms returns the index terms of text, in order and with repetitions (the
// counts matter to Similarity). See the package documentation for the
// analysis.
func Terms(text string) []string {
	var terms []string
	scanWords(text, func(start, end int) bool {
		terms = appendWordTerms(terms, text[start:end])
		return true
	})
	return terms
}

// Document returns the string to store in the search column of a
// contribution: the terms of title then body, separated by single spaces.
// Both FTS5's unicode61 tokenizer and PostgreSQL's 'simple' configuration
// split it back into exactly these terms.
func Document(title, body string) string {
	return strings.Join(append(Terms(title), Terms(body)...), " ")
}

// isWordRune reports whether r belongs to a word. Combining marks are
// included so that text already in NFD form ("e" + U+0301) is not split in
// the middle of a letter.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

// scanWords calls fn with the byte offsets of every word of text, in order,
// until fn returns false. Invalid UTF-8 separates words and is never part of
// one (utf8.RuneError is not a letter).
func scanWords(text string, fn func(start, end int) bool) {
	start := -1
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if !fn(start, i) {
				return
			}
			start = -1
		}
	}
	if start >= 0 {
		fn(start, len(text))
	}
}

// appendWordTerms appends the terms of one word (as found by scanWords) to
// dst. A word gives several terms when folding leaves characters outside
// [a-z0-9] inside it.
func appendWordTerms(dst []string, word string) []string {
	f := fold(word)
	for tok, rest := nextToken(f); tok != ""; tok, rest = nextToken(rest) {
		if t, ok := term(tok); ok {
			dst = append(dst, t)
		}
	}
	return dst
}

// nextToken returns the first [a-z0-9]+ run of a folded word and what
// follows it, or "" when there is none.
func nextToken(f string) (tok, rest string) {
	i := 0
	for i < len(f) && !isTermByte(f[i]) {
		i++
	}
	j := i
	for j < len(f) && isTermByte(f[j]) {
		j++
	}
	return f[i:j], f[j:]
}

// term turns one folded [a-z0-9]+ token into an index term, or reports false
// when the token is not worth indexing.
func term(tok string) (string, bool) {
	if len(tok) < 2 {
		return "", false
	}
	if _, stop := stopWords[tok]; stop {
		return "", false
	}
	if len(tok) > maxTermBytes {
		// Not a word the stemmer knows; stemming the cut prefix would
		// only make the term depend on where it was cut.
		return strings.Clone(tok[:maxTermBytes]), true
	}
	if allDigits(tok) {
		return tok, true
	}
	s := french.Stem(feminineEe(tok), false)
	if len(s) < 2 || !validTerm(s) {
		return "", false
	}
	return s, true
}

// fold lowercases word and removes its accents. It uses NFKD rather than
// NFD so that compatibility characters fold too: the ligature "ﬁ" in text
// pasted from a PDF becomes "fi" (with NFD "ﬁnance" would give "nance"),
// fullwidth "ｅ" becomes "e". Letters that have no decomposition but a
// usual Latin spelling are spelled out, so that "cœur" matches "coeur" and
// "Straße" matches "strasse".
func fold(word string) string {
	if isASCII(word) {
		return strings.ToLower(word)
	}
	if f, ok := foldLatin(word); ok {
		return f
	}
	return foldUnicode(word)
}

// foldUnicode is fold for any word.
func foldUnicode(word string) string {
	d := norm.NFKD.String(strings.ToLower(word))
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if unicode.Is(unicode.M, r) {
			continue
		}
		// Compatibility decomposition can yield capitals ("ℌ" -> "H").
		switch r = unicode.ToLower(r); r {
		case 'œ':
			b.WriteString("oe")
		case 'æ':
			b.WriteString("ae")
		case 'ß':
			b.WriteString("ss")
		case 'ø':
			b.WriteByte('o')
		case 'ł':
			b.WriteByte('l')
		case 'đ', 'ð':
			b.WriteByte('d')
		case 'þ':
			b.WriteString("th")
		case 'ı':
			b.WriteByte('i')
		case 'ĳ':
			b.WriteString("ij")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// The letters of the Latin-1 Supplement and Latin Extended-A and -B
// blocks, where the accented letters of European languages are.
const latinFirst, latinEnd = 0xC0, 0x250

// latinFolds holds the fold of each rune from latinFirst to latinEnd. It is
// built once at init and only read afterwards.
var latinFolds = func() (f [latinEnd - latinFirst]string) {
	for i := range f {
		f[i] = foldUnicode(string(rune(latinFirst + i)))
	}
	return f
}()

// foldLatin is fold for a word of ASCII and Latin letters, by table:
// normalising is most of the cost of fold, and most words of French texts
// that are not ASCII are made of those letters only. The NFKD form of a
// word is the forms of its runes end to end, but for the order of
// combining marks, which fold drops, so the fold of such a word is the
// folds of its runes end to end (TestFoldLatin). It reports false for a
// word with any other rune.
func foldLatin(word string) (string, bool) {
	var b strings.Builder
	b.Grow(len(word))
	for _, r := range word {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
		case latinFirst <= r && r < latinEnd:
			b.WriteString(latinFolds[r-latinFirst])
		default:
			return "", false
		}
	}
	return b.String(), true
}

// feminineEe turns a final "ee" or "ees" into "e". The Snowball stemmer
// knows the suffixes "ée" and "ées" but, working on unaccented text, only
// sees "ee" and "ees", which it leaves alone: "proposée" would stem to
// "propose" while "proposé" and "proposer" give "propos". With this rule
// -ée words get the stem Snowball gives their accented spelling (données
// -> don, pensée -> pens, créée -> cre, journée -> journ), keeping the
// result independent of accents. Words of 4 bytes or less ("idee", "fees")
// are left alone as Snowball already treats them the same.
func feminineEe(tok string) string {
	if len(tok) > 4 {
		if strings.HasSuffix(tok, "ees") {
			return tok[:len(tok)-2]
		}
		if strings.HasSuffix(tok, "ee") {
			return tok[:len(tok)-1]
		}
	}
	return tok
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isTermByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validTerm reports whether s can be a term: non-empty [a-z0-9] only. Query
// rendering relies on it to quote terms safely.
func validTerm(s string) bool {
	if s == "" || len(s) > maxTermBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTermByte(s[i]) {
			return false
		}
	}
	return true
}

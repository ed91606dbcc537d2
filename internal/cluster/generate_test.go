package cluster

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// generateDocs returns n contributions made from the real Polis
// statements, varied deterministically the way participants vary a text:
// words dropped, adjacent words swapped, accents added, capitals changed,
// and now and then two statements joined. Each contribution goes to the
// axis of its statement's conversation, and one in five to another axis.
// The same n always gives the same docs.
func generateDocs(tb testing.TB, n int) []Doc {
	tb.Helper()
	ss := polisStatements(tb)
	rng := rand.New(rand.NewPCG(2026, uint64(n)))
	docs := make([]Doc, n)
	var b strings.Builder
	for i := range docs {
		s := ss[rng.IntN(len(ss))]
		text := s.text
		if rng.IntN(20) == 0 {
			text += " " + ss[rng.IntN(len(ss))].text
		}
		words := vary(rng, strings.Fields(text))
		title := min(len(words), 3+rng.IntN(5))
		b.Reset()
		b.WriteString(strings.Join(words[:title], " "))
		b.WriteByte('\n')
		b.WriteString(strings.Join(words, " "))
		axis := int64(s.conv + 1)
		if rng.IntN(5) == 0 {
			axis = int64(1 + rng.IntN(len(conversations)))
		}
		docs[i] = Doc{ID: int64(i + 1), Axis: axis, Text: b.String()}
	}
	return docs
}

// vary changes words in place (and may shorten the slice). Each
// contribution draws how careless it is: most are close to their
// statement, some lose a third of their words.
func vary(rng *rand.Rand, words []string) []string {
	drop := []float64{0, 0.05, 0.1, 0.2, 0.35}[rng.IntN(5)]
	kept := words[:0]
	for _, w := range words {
		if len(words) > 3 && rng.Float64() < drop {
			continue
		}
		kept = append(kept, w)
	}
	words = kept
	for i := 0; i+1 < len(words); i++ {
		if rng.IntN(10) == 0 {
			words[i], words[i+1] = words[i+1], words[i]
		}
	}
	shout := rng.IntN(30) == 0
	for i, w := range words {
		switch {
		case shout:
			w = strings.ToUpper(w)
		case rng.IntN(15) == 0:
			w = strings.ToUpper(w[:1]) + w[1:]
		case rng.IntN(15) == 0:
			w = strings.ToLower(w)
		}
		if rng.IntN(8) == 0 {
			w = accent(rng, w)
		}
		words[i] = w
	}
	return words
}

// accent puts an accent on one vowel of w, as a participant typing in
// French might: e -> é, è or ê, a -> à or â, u -> ù, i -> î, o -> ô.
func accent(rng *rand.Rand, w string) string {
	marks := map[rune][]string{'e': {"é", "è", "ê"}, 'a': {"à", "â"}, 'u': {"ù"}, 'i': {"î"}, 'o': {"ô"}}
	var at []int
	for i, r := range w {
		if _, ok := marks[r]; ok {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return w
	}
	i := at[rng.IntN(len(at))]
	r, size := utf8.DecodeRuneInString(w[i:])
	m := marks[r]
	return w[:i] + m[rng.IntN(len(m))] + w[i+size:]
}

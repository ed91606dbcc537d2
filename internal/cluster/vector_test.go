package cluster

import (
	"slices"
	"testing"

	"ouvert/internal/textsearch"
)

// TestAnalysisMatchesTerms checks that analysing texts chunk by chunk, with
// the memory of chunks already seen, gives each text the vector its
// textsearch.Terms give.
func TestAnalysisMatchesTerms(t *testing.T) {
	texts := []string{
		"Des pistes cyclables\u00a0sécurisées !\tDes pistes…",
		"l'été\nL’ÉTÉ, e\u0301te\u0301 ﬁnance Straße cœur",
		"a\xffb  sécurité\u0301 東京 2024",
		"",
	}
	for _, d := range generateDocs(t, 500) {
		texts = append(texts, d.Text)
	}
	voc, vec := analyse(texts)
	for i, text := range texts {
		var ids []int32
		for _, term := range textsearch.Terms(text) {
			ids = append(ids, voc.ids[term])
		}
		ids, counts := countTerms(ids, nil)
		weights := weigh(ids, counts, func(t int32) float32 { return voc.idf[t] }, nil)
		terms, got := vec.row(int32(i))
		if !slices.Equal(terms, ids) || !slices.Equal(got, weights) {
			t.Errorf("text %q: vector %v %v, want %v %v", text, terms, got, ids, weights)
		}
	}
}

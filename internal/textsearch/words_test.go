package textsearch

import (
	"slices"
	"testing"
)

func TestWords(t *testing.T) {
	type pair struct{ word, term string }
	tests := []struct {
		text string
		want []pair
	}{
		{"", nil},
		{"le la les", nil},
		{"Des PISTES cyclables sécurisées !", []pair{{"pistes", "pist"}, {"cyclables", "cyclabl"}, {"sécurisées", "securis"}}},
		{"l'Inclusion numérique", []pair{{"inclusion", "inclus"}, {"numérique", "numer"}}},
		{"2024 cœur", []pair{{"2024", "2024"}, {"cœur", "coeur"}}},
	}
	for _, tt := range tests {
		var got []pair
		Words(tt.text, func(word, term string) { got = append(got, pair{word, term}) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestWordsGivesTheTermsOfTerms guards the promise callers rely on: the
// terms passed by Words are exactly Terms(text), so counts built from one
// agree with the other.
func TestWordsGivesTheTermsOfTerms(t *testing.T) {
	for _, text := range []string{benchParagraph, "Ｅｘｅｍｐｌｅ ﬁnance Straße — 東京 l'été", "a\xffb sécurité\u0301"} {
		var got []string
		Words(text, func(_, term string) { got = append(got, term) })
		if want := Terms(text); !slices.Equal(got, want) {
			t.Errorf("Words(%q) terms = %q, Terms = %q", text, got, want)
		}
	}
}

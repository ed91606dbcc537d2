package textsearch

import (
	"math"
	"testing"
)

func TestSimilarity(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		want float64
	}{
		{"identical", []string{"velo", "pist", "cyclabl"}, []string{"velo", "pist", "cyclabl"}, 1},
		{"identical with repeats", []string{"velo", "velo", "pist"}, []string{"velo", "velo", "pist"}, 1},
		{"order does not matter", []string{"velo", "pist"}, []string{"pist", "velo"}, 1},
		{"disjoint", []string{"velo", "pist"}, []string{"budget", "ecol"}, 0},
		{"both empty", nil, nil, 0},
		{"one empty", []string{"velo"}, nil, 0},
		{"tf weighted", []string{"a1", "a1", "b1"}, []string{"a1", "b1"}, 3 / math.Sqrt(10)},
		{"half shared", []string{"a1", "b1"}, []string{"a1", "c1"}, 0.5},
		{"near-duplicate texts", Terms("Des pistes cyclables sécurisées !"), Terms("des PISTES cyclables securisees"), 1},
	}
	for _, tt := range tests {
		got := Similarity(tt.a, tt.b)
		if math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: Similarity(%q, %q) = %v, want %v", tt.name, tt.a, tt.b, got, tt.want)
		}
		if rev := Similarity(tt.b, tt.a); rev != got {
			t.Errorf("%s: Similarity not symmetric: %v vs %v", tt.name, got, rev)
		}
	}
}

func TestSimilarityIdenticalIsExactlyOne(t *testing.T) {
	terms := Terms(benchParagraph)
	if got := Similarity(terms, terms); got != 1 {
		t.Errorf("Similarity(x, x) = %v, want exactly 1", got)
	}
}

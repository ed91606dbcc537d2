package textsearch

import "math"

// Similarity returns the cosine similarity, in [0, 1], of two term lists
// (as returned by Terms) weighted by term counts only. It confirms that two
// contributions found by a broad lookup (Index.Search with anyTerm) are near
// duplicates. Document frequencies are deliberately not used: the result
// must not depend on what else is in the database, so that the same pair
// always gets the same score on SQLite and PostgreSQL.
//
// A list with no terms is similar to nothing, not even to another empty
// list: two texts made only of stop words are not evidence of a duplicate.
func Similarity(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	ca, cb := counts(a), counts(b)
	var dot, na, nb int
	for t, n := range ca {
		na += n * n
		dot += n * cb[t]
	}
	for _, n := range cb {
		nb += n * n
	}
	// Integer sums keep identical lists at exactly 1: sqrt(na*na) == na.
	s := float64(dot) / math.Sqrt(float64(na)*float64(nb))
	return min(max(s, 0), 1)
}

func counts(terms []string) map[string]int {
	m := make(map[string]int, len(terms))
	for _, t := range terms {
		m[t]++
	}
	return m
}

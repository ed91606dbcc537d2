package cluster

import (
	"cmp"
	"slices"
	"testing"
)

// TestPrefixFilterMissesNothing compares the indexed search with comparing
// every pair: indexing only the rarest terms of each contribution must not
// lose a similar representative.
func TestPrefixFilterMissesNothing(t *testing.T) {
	ix, _ := Build(generateDocs(t, 2000), nil, DefaultOptions())
	var reps []int32
	for _, p := range ix.reps.postings {
		for _, e := range p {
			reps = append(reps, e.row)
		}
	}
	slices.Sort(reps)
	reps = slices.Compact(reps)
	if len(reps) < 100 {
		t.Fatalf("fixture: %d representatives", len(reps))
	}
	found := 0
	for i := range ix.vec.len() {
		got := ix.reps.similar(ix.vec, i, nil)
		var want []scored
		for _, r := range reps {
			if s := score(ix.vec, i, r); r != i && s >= ix.reps.threshold {
				want = append(want, scored{r, s})
			}
		}
		slices.SortFunc(want, func(a, b scored) int {
			return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.row, b.row))
		})
		if !slices.Equal(got, want) {
			t.Fatalf("row %d: index finds %v, comparing all finds %v", i, got, want)
		}
		found += len(got)
	}
	if found == 0 {
		t.Fatal("fixture: nothing similar")
	}
}

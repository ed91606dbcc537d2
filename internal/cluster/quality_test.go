package cluster

import (
	"encoding/csv"
	"os"
	"slices"
	"strconv"
	"testing"
)

// labelledPair is a pair of real Polis statements judged by hand: see
// testdata/pairs.csv and the package documentation.
type labelledPair struct {
	a, b      int64 // statementID
	duplicate bool
	source    string
}

func readPairs(t *testing.T) []labelledPair {
	t.Helper()
	f, err := os.Open("testdata/pairs.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var out []labelledPair
	for _, r := range recs[1:] {
		conv := slices.Index(conversations, r[col["conversation"]])
		a, errA := strconv.Atoi(r[col["id_a"]])
		b, errB := strconv.Atoi(r[col["id_b"]])
		if conv < 0 || errA != nil || errB != nil {
			t.Fatalf("bad fixture line %q", r)
		}
		out = append(out, labelledPair{statementID(conv, a), statementID(conv, b), r[col["duplicate"]] == "1", r[col["source"]]})
	}
	return out
}

// confusion counts the decisions of judge on the labelled pairs.
func confusion(pairs []labelledPair, judge func(a, b int64) bool) (tp, fp, fn int) {
	for _, p := range pairs {
		switch said := judge(p.a, p.b); {
		case said && p.duplicate:
			tp++
		case said:
			fp++
		case p.duplicate:
			fn++
		}
	}
	return tp, fp, fn
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 1
	}
	return float64(n) / float64(d)
}

// TestDuplicateQuality measures the duplicate decision against pairs of real
// statements labelled by hand, with the score Build uses and the IDF Build
// computes over the same statements. It fails when precision or recall at
// the default threshold falls below what was measured when the threshold
// was chosen.
func TestDuplicateQuality(t *testing.T) {
	ss := polisStatements(t)
	pairs := readPairs(t)
	positives := 0
	for _, p := range pairs {
		if p.duplicate {
			positives++
		}
	}
	t.Logf("%d labelled pairs, %d duplicates", len(pairs), positives)
	if len(pairs) < 200 || positives < 60 {
		t.Fatalf("fixture too small: %d pairs, %d duplicates", len(pairs), positives)
	}
	opt := DefaultOptions()
	ix, groups := Build(statementDocs(ss), nil, opt)
	scoreOf := func(a, b int64) float64 {
		ra, okA := ix.row[a]
		rb, okB := ix.row[b]
		if !okA || !okB {
			t.Fatalf("fixture pair %d, %d: unknown statement", a, b)
		}
		return score(ix.vec, ra, rb)
	}
	for _, th := range []float64{0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9} {
		tp, fp, fn := confusion(pairs, func(a, b int64) bool { return scoreOf(a, b) >= th })
		t.Logf("threshold %.2f: precision %.3f recall %.3f (tp %d fp %d fn %d)", th, ratio(tp, tp+fp), ratio(tp, tp+fn), tp, fp, fn)
	}

	// What organisers see: both statements in one proposed group.
	group := map[int64]int{}
	for n, g := range groups {
		if g.Kind == Duplicate {
			for _, id := range g.Members {
				group[id] = n + 1
			}
		}
	}
	gtp, gfp, gfn := confusion(pairs, func(a, b int64) bool { return group[a] != 0 && group[a] == group[b] })
	t.Logf("Build's groups: precision %.3f recall %.3f (tp %d fp %d fn %d)", ratio(gtp, gtp+gfp), ratio(gtp, gtp+gfn), gtp, gfp, gfn)

	isDup := func(a, b int64) bool { return scoreOf(a, b) >= opt.DuplicateThreshold }
	for _, src := range []string{"score>=0.3", "score 0.2-0.3", "char trigrams", "read", "random"} {
		var some []labelledPair
		for _, p := range pairs {
			if p.source == src {
				some = append(some, p)
			}
		}
		tp, fp, fn := confusion(some, isDup)
		t.Logf("pairs drawn by %s: %d, %d duplicates, %d found, %d wrongly", src, len(some), tp+fn, tp, fp)
	}
	tp, fp, fn := confusion(pairs, isDup)
	precision, recall := ratio(tp, tp+fp), ratio(tp, tp+fn)
	t.Logf("default threshold %.2f: precision %.3f recall %.3f", opt.DuplicateThreshold, precision, recall)
	// Measured when the threshold was chosen (precision 1.000, recall
	// 0.368; groups 1.000, 0.355), less a margin of one pair.
	const wantPrecision, wantRecall, wantGroupRecall = 0.96, 0.35, 0.34
	if precision < wantPrecision || recall < wantRecall {
		t.Errorf("precision %.3f, recall %.3f: want at least %.3f, %.3f", precision, recall, wantPrecision, wantRecall)
	}
	if gp, gr := ratio(gtp, gtp+gfp), ratio(gtp, gtp+gfn); gp < wantPrecision || gr < wantGroupRecall {
		t.Errorf("Build's groups: precision %.3f, recall %.3f: want at least %.3f, %.3f", gp, gr, wantPrecision, wantGroupRecall)
	}
}

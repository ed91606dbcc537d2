package textsearch

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// naiveSearch ranks docs by reading every one of them, as a reference for Index.Search.
func naiveSearch(docs map[int64]string, q Query, anyTerm bool, exclude int64, limit int) ([]int64, int) {
	terms := q.validTerms()
	total := 0
	df := map[string]int{}
	tfs := map[int64]map[string]int{}
	length := 0
	for id, d := range docs {
		tf := map[string]int{}
		for _, w := range strings.Fields(d) {
			tf[w]++
			length++
		}
		for w := range tf {
			df[w]++
		}
		tfs[id] = tf
	}
	avg := float64(length) / float64(len(docs))
	var out []scored
	for id, tf := range tfs {
		if id == exclude {
			continue
		}
		held := 0
		score := 0.0
		for _, t := range terms {
			if tf[t] == 0 {
				continue
			}
			held++
			n, f := float64(len(docs)), float64(df[t])
			idf := math.Log(1 + (n-f+0.5)/(f+0.5))
			k := float64(tf[t])
			score += idf * k * (bm25K1 + 1) / (k + bm25K1*(1-bm25B+bm25B*float64(len(strings.Fields(docs[id])))/avg))
		}
		if held == len(terms) || anyTerm && held > 0 {
			total++
			out = append(out, scored{id, score})
		}
	}
	slices.SortFunc(out, func(a, b scored) int {
		if a.better(b) {
			return -1
		}
		return 1
	})
	var ids []int64
	for _, s := range out[:min(limit, len(out))] {
		ids = append(ids, s.id)
	}
	return ids, total
}

func TestIndexMatchesNaiveRanking(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	vocabulary := []string{"salair", "minimum", "vot", "referendum", "eau", "ecol", "transparent", "budget", "citoyen", "numer", "donn", "ouvert"}
	word := func() string {
		// A skewed draw, so that some terms are common and others rare.
		return vocabulary[min(len(vocabulary)-1, int(r.ExpFloat64()*3))]
	}
	docs := map[int64]string{}
	x := NewIndex()
	version := int64(0)
	set := func(id int64) {
		words := make([]string, 1+r.IntN(30))
		for i := range words {
			words[i] = word()
		}
		version++
		docs[id] = strings.Join(words, " ")
		x.Set(id, version, docs[id])
	}
	for id := int64(1); id <= 3000; id++ {
		set(id)
	}
	// Edits and removals, enough to sweep more than once.
	for range 4000 {
		id := 1 + r.Int64N(3000)
		if r.IntN(3) == 0 {
			delete(docs, id)
			x.Remove(id)
		} else {
			set(id)
		}
	}
	// A rare term next to the most common one: Similar reads the rare term's list, then may only
	// look the common one up in what it found (pruning).
	for _, id := range []int64{5, 10, 15} {
		version++
		docs[id] = "rarissim salair ecol"
		x.Set(id, version, docs[id])
	}
	if x.Len() != len(docs) {
		t.Fatalf("Len = %d, want %d", x.Len(), len(docs))
	}
	// Dead postings still count in a term's document frequency until they are swept away, which
	// moves scores a little: the matches are the same, their order is compared once compacted.
	for _, compacted := range []bool{false, true} {
		if compacted {
			x.compact()
		}
		compareWithNaive(t, x, docs, compacted)
	}
}

func compareWithNaive(t *testing.T, x *Index, docs map[int64]string, compacted bool) {
	t.Helper()
	queries := [][]string{{"salair"}, {"ouvert"}, {"salair", "minimum"}, {"eau", "ecol", "vot"}, {"donn", "ouvert"}, {"absent"}, {"salair", "absent"}, {"rarissim", "salair"}, {"salair", "rarissim", "eau"}}
	for _, terms := range queries {
		for _, anyTerm := range []bool{false, true} {
			for _, limit := range []int{1, 20, 5000} {
				q := Query{Terms: terms}
				exclude := int64(17)
				want, wantTotal := naiveSearch(docs, q, anyTerm, exclude, limit)
				got, gotTotal := x.Search(q, exclude, limit)
				if anyTerm {
					got, gotTotal = x.Similar(q, exclude, limit), wantTotal // Similar does not count
				}
				name := fmt.Sprintf("%v any=%v limit=%d compacted=%v", terms, anyTerm, limit, compacted)
				if gotTotal != wantTotal {
					t.Errorf("%s: total %d, want %d", name, gotTotal, wantTotal)
				}
				if !compacted && limit >= wantTotal {
					got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
				}
				if (compacted || limit >= wantTotal) && !slices.Equal(got, want) {
					t.Errorf("%s: ids differ\n got %v\nwant %v", name, head(got), head(want))
				}
			}
		}
	}
}

func head(ids []int64) []int64 { return ids[:min(10, len(ids))] }

func TestIndexVersions(t *testing.T) {
	x := NewIndex()
	x.Set(1, 5, "eau potabl")
	x.Set(1, 4, "salair minimum") // older: ignored
	if ids, _ := x.Search(Query{Terms: []string{"eau"}}, 0, 10); !slices.Equal(ids, []int64{1}) {
		t.Fatalf("an older version replaced a newer one: %v", ids)
	}
	x.Set(1, 6, "salair minimum")
	if ids, n := x.Search(Query{Terms: []string{"eau"}}, 0, 10); n != 0 {
		t.Fatalf("the replaced text still matches: %v", ids)
	}
	if ids, _ := x.Search(Query{Terms: []string{"salair"}}, 0, 10); !slices.Equal(ids, []int64{1}) {
		t.Fatalf("the new text does not match: %v", ids)
	}
	if v, ok := x.Version(1); !ok || v != 6 {
		t.Fatalf("Version = %d, %v", v, ok)
	}
	x.Remove(1)
	if _, ok := x.Version(1); ok || x.Len() != 0 {
		t.Fatal("Remove left the document")
	}
	if ids := x.Similar(Query{Terms: []string{"salair"}}, 0, 10); len(ids) != 0 {
		t.Fatalf("a removed document matches: %v", ids)
	}
	// Terms that are not [a-z0-9] are never looked up; an empty query finds nothing.
	x.Set(2, 1, "a b")
	if ids := x.Similar(Query{Terms: []string{`"`, "", "a b"}}, 0, 10); len(ids) != 0 {
		t.Fatal("an invalid query matched")
	}
}

func TestSeekBack(t *testing.T) {
	var l []posting
	for i := int32(0); i < 1000; i += 3 {
		l = append(l, posting{ord: i})
	}
	for end := len(l); end >= 0; end -= 37 {
		for ord := int32(-2); ord < 1005; ord++ {
			want := end
			for want > 0 && l[want-1].ord > ord {
				want--
			}
			if got := seekBack(l, end, ord); got != want {
				t.Fatalf("seekBack(end %d, ord %d) = %d, want %d", end, ord, got, want)
			}
		}
	}
}

func BenchmarkIndex(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	words := make([]string, 20000)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
	}
	x := NewIndex()
	for id := int64(1); id <= 100000; id++ {
		doc := make([]string, 40)
		for i := range doc {
			doc[i] = words[min(len(words)-1, int(r.ExpFloat64()*300))]
		}
		x.Set(id, id, strings.Join(doc, " "))
	}
	for _, c := range []struct {
		name    string
		terms   []string
		anyTerm bool
	}{
		{"common", []string{"w1"}, false},
		{"two", []string{"w2", "w40"}, false},
		{"rare", []string{"w900"}, false},
		{"similar", []string{"w3", "w50", "w200", "w700", "w1000", "w5"}, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			q := Query{Terms: c.terms}
			for b.Loop() {
				if c.anyTerm {
					x.Similar(q, 0, 5)
				} else {
					x.Search(q, 0, 20)
				}
			}
		})
	}
}

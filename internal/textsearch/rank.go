package textsearch

import (
	"math"
	"sort"
	"strings"
)

// Candidate is a document found by the index, with its Document text, to be ranked.
type Candidate struct {
	ID       int64
	Document string
}

// Rank orders candidates by how well they match q, best first (ties: the newest, highest id,
// first), and returns their ids. Each query term a document holds counts 1 + ln(occurrences),
// weighed by the term's rarity among the candidates (ln(1 + n/df): a term most candidates hold
// tells little), and the sum is damped by the document's length, so that a short text about the
// words outranks a long one that mentions them in passing. It stands in for SQLite's bm25(),
// whose document frequencies cost a pass over each term's whole index on every query.
func Rank(q Query, candidates []Candidate) []int64 {
	terms := q.validTerms()
	index := make(map[string]int, len(terms))
	for i, t := range terms {
		index[t] = i
	}
	tf := make([][]int32, len(candidates)) // occurrences of each term in each candidate
	df := make([]int, len(terms))
	lengths := make([]int, len(candidates))
	for i, c := range candidates {
		counts := make([]int32, len(terms))
		n := 0
		for w := range strings.FieldsSeq(c.Document) {
			n++
			if k, ok := index[w]; ok {
				if counts[k] == 0 {
					df[k]++
				}
				counts[k]++
			}
		}
		tf[i], lengths[i] = counts, n
	}
	type scored struct {
		id    int64
		score float64
	}
	out := make([]scored, len(candidates))
	for i, c := range candidates {
		s := 0.0
		for k, n := range tf[i] {
			if n > 0 {
				s += (1 + math.Log(float64(n))) * math.Log(1+float64(len(candidates))/float64(df[k]))
			}
		}
		out[i] = scored{c.ID, s / (1 + math.Log(1+float64(lengths[i])/50))}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].score != out[b].score {
			return out[a].score > out[b].score
		}
		return out[a].id > out[b].id
	})
	ids := make([]int64, len(out))
	for i, s := range out {
		ids[i] = s.id
	}
	return ids
}

package cluster

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"ouvert/internal/textsearch"
)

// vectors holds the documents as sparse TF-IDF vectors in one block of
// memory (compressed rows): document i has the terms terms[off[i]:off[i+1]],
// in increasing term id, and their weights. A slice per document would cost
// an allocation and a slice header each, which at 100,000 contributions is
// most of the memory.
type vectors struct {
	off     []int32
	terms   []int32
	weights []float32
	// tails[j] is the norm of the weights after entry j of its row: how
	// much the rest of the row can still add to a cosine.
	tails []float32
}

func (v *vectors) row(i int32) ([]int32, []float32) {
	a, b := v.off[i], v.off[i+1]
	return v.terms[a:b], v.weights[a:b]
}

func (v *vectors) len() int32 { return int32(len(v.off) - 1) }

// append adds a row whose terms are already sorted.
func (v *vectors) append(terms []int32, weights []float32) int32 {
	if len(v.off) == 0 {
		v.off = append(v.off, 0)
	}
	v.terms = append(v.terms, terms...)
	v.weights = append(v.weights, weights...)
	start := len(v.tails)
	v.tails = append(v.tails, weights...)
	var sum float64
	for j := len(v.tails) - 1; j >= start; j-- {
		w := float64(v.tails[j])
		v.tails[j] = float32(math.Sqrt(sum))
		sum += w * w
	}
	v.off = append(v.off, int32(len(v.terms)))
	return int32(len(v.off) - 2)
}

// normAfter returns the norm of the weights of row i's terms after term t.
func (v *vectors) normAfter(i int32, t int32) float64 {
	a, b := v.off[i], v.off[i+1]
	j, _ := slices.BinarySearch(v.terms[a:b], t+1) // first term after t
	if j == 0 {
		if a == b {
			return 0
		}
		return 1
	}
	return float64(v.tails[int(a)+j-1])
}

// dot is the cosine similarity of two rows, both being of unit length.
func dot(at []int32, aw []float32, bt []int32, bw []float32) float64 {
	var s float32
	i, j := 0, 0
	for i < len(at) && j < len(bt) {
		switch {
		case at[i] < bt[j]:
			i++
		case at[i] > bt[j]:
			j++
		default:
			s += aw[i] * bw[j]
			i++
			j++
		}
	}
	return float64(s)
}

// vocabulary maps terms to ids. Ids are given at Build by increasing
// document frequency (ties by term), so that in every row the rarest terms
// come first, which is the order the duplicate search relies on. Terms first
// met by Add get the next ids: they sort after every known term, which keeps
// the order of known terms fixed.
type vocabulary struct {
	ids   map[string]int32
	idf   []float32
	words []string // display word of each term
	// unseen is the IDF of a term no document had at Build, the weight
	// Add gives to new terms.
	unseen float32
}

// idf is the smoothed inverse document frequency: a term in every document
// keeps weight 1 rather than 0, so that two texts sharing only common words
// are still somewhat alike.
func idf(n, df int) float32 {
	return float32(math.Log(float64(1+n)/float64(1+df)) + 1)
}

// weigh turns term counts into a unit TF-IDF row. The term frequency is
// sublinear (1 + ln tf): a word repeated five times is stronger evidence of
// what a text is about than a word said once, but not five times stronger.
func weigh(terms []int32, counts []int32, idfOf func(int32) float32, weights []float32) []float32 {
	weights = weights[:0]
	var norm float64
	for i, t := range terms {
		w := float32((1 + math.Log(float64(counts[i])))) * idfOf(t)
		weights = append(weights, w)
		norm += float64(w) * float64(w)
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := range weights {
			weights[i] *= inv
		}
	}
	return weights
}

// countTerms sorts ids and folds repetitions into counts, in place.
func countTerms(ids []int32, counts []int32) ([]int32, []int32) {
	slices.Sort(ids)
	counts = counts[:0]
	n := 0
	for i, t := range ids {
		if i > 0 && t == ids[n-1] {
			counts[n-1]++
			continue
		}
		ids[n] = t
		counts = append(counts, 1)
		n++
	}
	return ids[:n], counts
}

// analysed is what one worker of analyse found in its share of the
// documents, with its own term ids.
type analysed struct {
	terms []string          // local id -> term
	df    []int32           // local id -> documents of the share holding it
	docs  [][]int32         // local ids of each document, with repetitions
	words map[wordKey]int32 // how often each word gave each term
}

type wordKey struct {
	term int32
	word string
}

// analyse runs textsearch on every text, on all cores, and returns the
// vocabulary and the vectors, rows in the order of texts. The text analysis
// (stemming) is most of the time Build takes; it is the only part worth
// spreading over cores.
func analyse(texts []string) (*vocabulary, *vectors) {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(texts)/256))
	parts := make([]analysed, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := len(texts)*w/workers, len(texts)*(w+1)/workers
		wg.Go(func() { parts[w] = analyseShare(texts[lo:hi]) })
	}
	wg.Wait()

	// Merge the shares' vocabularies, then give ids by document frequency.
	df := map[string]int32{}
	for _, p := range parts {
		for id, t := range p.terms {
			df[t] += p.df[id]
		}
	}
	all := make([]string, 0, len(df))
	for t := range df {
		all = append(all, t)
	}
	slices.SortFunc(all, func(a, b string) int {
		return cmp.Or(cmp.Compare(df[a], df[b]), cmp.Compare(a, b))
	})
	voc := &vocabulary{
		ids:    make(map[string]int32, len(all)),
		idf:    make([]float32, len(all)),
		words:  make([]string, len(all)),
		unseen: idf(len(texts), 0),
	}
	for id, t := range all {
		voc.ids[t] = int32(id)
		voc.idf[id] = idf(len(texts), int(df[t]))
	}

	// Display words: the most frequent word behind each term.
	best := make([]int32, len(all))
	seen := map[wordKey]int32{}
	for _, p := range parts {
		for k, n := range p.words {
			seen[wordKey{voc.ids[p.terms[k.term]], k.word}] += n
		}
	}
	for k, n := range seen {
		if n > best[k.term] || n == best[k.term] && k.word < voc.words[k.term] {
			best[k.term], voc.words[k.term] = n, k.word
		}
	}

	vec := &vectors{off: make([]int32, 1, len(texts)+1)}
	var counts []int32
	var weights []float32
	idfOf := func(t int32) float32 { return voc.idf[t] }
	for _, p := range parts {
		global := make([]int32, len(p.terms))
		for id, t := range p.terms {
			global[id] = voc.ids[t]
		}
		for _, d := range p.docs {
			for i, t := range d {
				d[i] = global[t]
			}
			var ids []int32
			ids, counts = countTerms(d, counts)
			weights = weigh(ids, counts, idfOf, weights)
			vec.append(ids, weights)
		}
	}
	return voc, vec
}

// analyseShare analyses texts one whitespace-separated chunk at a time,
// remembering each distinct chunk's terms. A word never contains white
// space (textsearch's words are runs of letters, digits and marks), so the
// terms of a text are exactly those of its chunks in order; and chunks
// repeat so much in any corpus ("la", "pistes", "cyclables,") that the
// memory saves most of the stemming, which is otherwise most of Build.
func analyseShare(texts []string) analysed {
	type chunk struct {
		terms []int32  // local term ids
		words []string // the word behind each term
		n     int32    // occurrences
	}
	p := analysed{docs: make([][]int32, len(texts)), words: map[wordKey]int32{}}
	ids := map[string]int32{}
	chunkOf := map[string]int32{}
	var chunks []chunk
	var last []int32 // last[id] is the document that last counted id in df
	for i, text := range texts {
		var d []int32
		for field := range strings.FieldsSeq(text) {
			c, ok := chunkOf[field]
			if !ok {
				var ch chunk
				textsearch.Words(field, func(word, term string) {
					id, ok := ids[term]
					if !ok {
						id = int32(len(p.terms))
						ids[term] = id
						p.terms = append(p.terms, term)
						p.df = append(p.df, 0)
						last = append(last, -1)
					}
					ch.terms = append(ch.terms, id)
					ch.words = append(ch.words, strings.Clone(word))
				})
				c = int32(len(chunks))
				chunks = append(chunks, ch)
				chunkOf[strings.Clone(field)] = c
			}
			ch := &chunks[c]
			ch.n++
			for _, id := range ch.terms {
				if last[id] != int32(i) {
					last[id] = int32(i)
					p.df[id]++
				}
			}
			d = append(d, ch.terms...)
		}
		p.docs[i] = d
	}
	for _, ch := range chunks {
		for j, id := range ch.terms {
			p.words[wordKey{id, ch.words[j]}] += ch.n
		}
	}
	return p
}

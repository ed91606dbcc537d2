package textsearch

import (
	"container/heap"
	"math"
	"slices"
	"strings"
)

// Index is an inverted index of documents (the output of Document), held in memory, that ranks
// every match of a query with BM25. A search costs time in proportion to the postings of its
// terms, not to a database round trip per candidate: at 100,000 contributions a search or a
// similarity lookup takes tens of microseconds rather than milliseconds.
//
// Each document has an id and a version. Set replaces a document only with a newer version, so
// that the same change read twice (see store/searchindex.go) is applied once. A replaced or
// removed document leaves dead postings behind, which Set and Remove sweep away once they are a
// quarter of the index.
//
// An Index is not safe for concurrent use: its owner guards it (reads may share a lock; Set and
// Remove need it alone).
type Index struct {
	postings map[string][]posting // by term, in increasing ordinal
	docs     []indexDoc           // by ordinal, in the order documents were set
	ords     map[int64]int32      // live documents' ordinals, by id
	deadBits []uint64             // which ordinals are no longer live
	dead     int                  // how many
	length   int64                // total length of the live documents, in terms

}

// posting is one document holding a term: how many times it does, and the document's length.
// The length is kept here rather than looked up by ordinal: a search walks thousands of
// postings, and a lookup elsewhere in memory for each one was most of its time.
type posting struct {
	ord    int32
	tf     uint16
	length uint16 // in terms; longer documents count as 65,535 terms long
}

type indexDoc struct {
	id      int64
	version int64
	length  int32 // in terms
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{postings: map[string][]posting{}, ords: map[int64]int32{}}
}

// Len returns the number of live documents.
func (x *Index) Len() int { return len(x.ords) }

// Version returns the version of document id, and whether the index holds it.
func (x *Index) Version(id int64) (int64, bool) {
	ord, ok := x.ords[id]
	if !ok {
		return 0, false
	}
	return x.docs[ord].version, true
}

// Set indexes document (space-separated terms, as Document writes them) under id at version,
// replacing an older version of it. It does nothing if the index holds version or a newer one.
func (x *Index) Set(id, version int64, document string) {
	if ord, ok := x.ords[id]; ok {
		if x.docs[ord].version >= version {
			return
		}
		x.kill(ord)
	}
	ord := int32(len(x.docs))
	counts := map[string]uint16{}
	n := int32(0)
	for t := range strings.FieldsSeq(document) {
		if counts[t] < math.MaxUint16 {
			counts[t]++
		}
		n++
	}
	length := uint16(min(n, math.MaxUint16))
	for t, tf := range counts {
		list, ok := x.postings[t]
		if !ok {
			t = strings.Clone(t) // the key must not keep the whole document alive
		}
		x.postings[t] = append(list, posting{ord, tf, length})
	}
	x.docs = append(x.docs, indexDoc{id: id, version: version, length: n})
	if int(ord)/64 >= len(x.deadBits) {
		x.deadBits = append(x.deadBits, 0)
	}
	x.ords[id] = ord
	x.length += int64(n)
	x.sweep()
}

// Remove takes document id out of the index, if it holds it.
func (x *Index) Remove(id int64) {
	if ord, ok := x.ords[id]; ok {
		x.kill(ord)
		x.sweep()
	}
}

func (x *Index) kill(ord int32) {
	d := x.docs[ord]
	delete(x.ords, d.id)
	x.length -= int64(d.length)
	x.deadBits[ord/64] |= 1 << (ord % 64)
	x.dead++
}

// sweep renumbers the live documents and drops dead postings once dead documents are a quarter
// of the index (and more than a thousand): each sweep costs a pass over the postings, paid for
// by at least as many changes.
func (x *Index) sweep() {
	if x.dead > 1024 && x.dead*4 >= len(x.docs) {
		x.compact()
	}
}

// compact renumbers the live documents and drops dead postings.
func (x *Index) compact() {
	renum := make([]int32, len(x.docs))
	docs := make([]indexDoc, 0, len(x.ords))
	for ord, d := range x.docs {
		renum[ord] = -1
		if !x.isDead(int32(ord)) {
			renum[ord] = int32(len(docs))
			x.ords[d.id] = int32(len(docs))
			docs = append(docs, d)
		}
	}
	for t, list := range x.postings {
		kept := list[:0]
		for _, p := range list {
			if r := renum[p.ord]; r >= 0 {
				p.ord = r
				kept = append(kept, p)
			}
		}
		if len(kept) == 0 {
			delete(x.postings, t)
		} else {
			x.postings[t] = slices.Clip(kept)
		}
	}
	x.docs, x.dead = docs, 0
	x.deadBits = make([]uint64, (len(docs)+63)/64)
}

func (x *Index) isDead(ord int32) bool { return x.deadBits[ord/64]&(1<<(ord%64)) != 0 }

// BM25's parameters, at their usual values: how fast repeating a term stops counting, and how
// much a document's length damps it.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Search ranks the live documents holding every term of q, but exclude, by BM25: best first,
// ties to the highest id (the newest). It returns the ids of the best limit of them and how many
// match in all.
func (x *Index) Search(q Query, exclude int64, limit int) ([]int64, int) {
	lists, s, best := x.prepare(q, false, exclude, limit)
	if best == nil {
		return nil, 0
	}
	x.intersection(lists, s, best)
	return best.ids(), best.total
}

// Similar ranks like Search the live documents holding any term of q, and returns the ids of the
// best limit of them. Not every document holding a common term is read: see union.
func (x *Index) Similar(q Query, exclude int64, limit int) []int64 {
	lists, s, best := x.prepare(q, true, exclude, limit)
	if best == nil {
		return nil
	}
	x.union(lists, s, best)
	return best.ids()
}

// prepare looks up the postings of q's terms and sets up a ranking, or returns a nil ranking
// when nothing can match.
func (x *Index) prepare(q Query, anyTerm bool, exclude int64, limit int) ([][]posting, *scorer, *ranking) {
	terms := q.validTerms()
	if len(terms) == 0 || len(x.ords) == 0 || limit <= 0 {
		return nil, nil, nil
	}
	lists := make([][]posting, 0, len(terms))
	for _, t := range terms {
		list, ok := x.postings[t]
		if !ok && !anyTerm {
			return nil, nil, nil
		}
		if ok {
			lists = append(lists, list)
		}
	}
	if len(lists) == 0 {
		return nil, nil, nil
	}
	avg := max(float64(x.length)/float64(len(x.ords)), 1)
	best := &ranking{x: x, limit: limit, exclude: -1}
	if ord, ok := x.ords[exclude]; ok {
		best.exclude = ord
	}
	return lists, &scorer{x: x, c1: bm25K1 * (1 - bm25B), c2: bm25K1 * bm25B / avg}, best
}

// scorer computes BM25 term by term.
type scorer struct {
	x      *Index
	c1, c2 float64 // a document's length damps a term by c1 + c2 × length
}

// idf is a term's weight (times k1 + 1): the fewer documents hold it, the more it tells. Its
// document frequency counts dead postings too, which sweeping keeps below a quarter.
func (s *scorer) idf(list []posting) float64 {
	n, df := float64(len(s.x.ords)), float64(min(len(list), len(s.x.ords)))
	return math.Log(1+(n-df+0.5)/(df+0.5)) * (bm25K1 + 1)
}

// term is the score of one term in a document of length.
func (s *scorer) term(idf float64, p posting) float64 {
	tf := float64(p.tf)
	return idf * tf / (tf + s.c1 + s.c2*float64(p.length))
}

// intersection calls keep for each live document in every list, walking the shortest list and
// seeking in the others. Lists are walked from their end, newest documents first, so that a
// later document with the same score as one kept is not better (ties go to the newest): with
// the many identical texts of a large consultation, most are then turned away at once.
func (x *Index) intersection(lists [][]posting, s *scorer, best *ranking) {
	slices.SortFunc(lists, func(a, b []posting) int { return len(a) - len(b) })
	idfs := make([]float64, len(lists))
	pos := make([]int, len(lists)) // in each list, the position past the next candidate
	for i, l := range lists {
		idfs[i], pos[i] = s.idf(l), len(l)
	}
	first := lists[0]
next:
	for k := len(first) - 1; k >= 0; k-- {
		p := first[k]
		if x.isDead(p.ord) {
			continue
		}
		score := s.term(idfs[0], p)
		for i := 1; i < len(lists); i++ {
			l := lists[i]
			j := seekBack(l, pos[i], p.ord)
			pos[i] = j
			if j == 0 {
				return
			}
			if l[j-1].ord != p.ord {
				continue next
			}
			score += s.term(idfs[i], l[j-1])
		}
		best.offer(p.ord, score)
	}
}

// seekBack returns the position past the last posting before end in l whose ordinal is at most
// ord (0 when there is none), galloping then halving, so that walking a short list through a
// long one costs little.
func seekBack(l []posting, end int, ord int32) int {
	if end == 0 || l[end-1].ord <= ord {
		return end
	}
	// l[hi-1].ord > ord; find the first position whose ordinal is above ord.
	hi, step := end-1, 1
	for hi-step > 0 && l[hi-step].ord > ord {
		hi -= step
		step *= 2
	}
	lo := max(hi-step, 0)
	j, _ := slices.BinarySearchFunc(l[lo:hi], ord+1, func(p posting, ord int32) int { return int(p.ord - ord) })
	return lo + j
}

// union offers the documents in any list with the sum of their terms' scores, document at a
// time: the lists are walked together from their end (newest first, see intersection), so that
// a search reads its postings in order rather than adding scores up all over memory.
//
// It skips what cannot be among the best (MaxScore): a term's score in a document is below its
// weight (idf), so once the ranking is full, a document holding only the commonest terms, whose
// weights add up to no more than the worst score kept, cannot enter it. Those terms' lists then
// no longer propose documents; they are only looked up in the documents the others propose.
func (x *Index) union(lists [][]posting, s *scorer, best *ranking) {
	// Commonest terms (lowest weight) first: the lists that stop proposing documents first.
	slices.SortFunc(lists, func(a, b []posting) int { return len(b) - len(a) })
	idfs := make([]float64, len(lists))
	bound := make([]float64, len(lists)+1) // bound[i]: the weights of lists[:i] together
	pos := make([]int, len(lists))         // in each list, the position past its next posting
	for i, l := range lists {
		idfs[i], pos[i] = s.idf(l), len(l)
		bound[i+1] = bound[i] + idfs[i]
	}
	essential := 0 // lists[essential:] propose documents
	for {
		if len(best.h) == best.limit {
			for essential < len(lists) && bound[essential+1] <= best.h[0].score {
				essential++
			}
		}
		// The next document: the highest ordinal at the head of a proposing list.
		ord := int32(-1)
		for i := essential; i < len(lists); i++ {
			if pos[i] > 0 && lists[i][pos[i]-1].ord > ord {
				ord = lists[i][pos[i]-1].ord
			}
		}
		if ord < 0 {
			return
		}
		score := 0.0
		for i := len(lists) - 1; i >= 0; i-- {
			if i < essential {
				// A list that only looks up: not worth it when even all of them could not lift
				// the document into the ranking.
				if score+bound[i+1] <= best.h[0].score {
					break
				}
				pos[i] = seekBack(lists[i], pos[i], ord)
			}
			if pos[i] > 0 && lists[i][pos[i]-1].ord == ord {
				score += s.term(idfs[i], lists[i][pos[i]-1])
				pos[i]--
			}
		}
		if !x.isDead(ord) {
			best.offer(ord, score)
		}
	}
}

// ranking counts the documents offered, but exclude, and keeps the best limit of them in a heap
// whose root is the worst kept.
type ranking struct {
	x       *Index
	limit   int
	exclude int32 // an ordinal, or -1
	total   int
	h       scoredHeap
}

type scored struct {
	id    int64
	score float64
}

// better orders results: higher score first, then the newest.
func (a scored) better(b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.id > b.id
}

func (r *ranking) offer(ord int32, score float64) {
	if ord == r.exclude {
		return
	}
	r.total++
	if len(r.h) == r.limit && score < r.h[0].score {
		return // the common case once the ranking is full: worse than the worst kept
	}
	s := scored{r.x.docs[ord].id, score}
	if len(r.h) < r.limit {
		heap.Push(&r.h, s)
	} else if s.better(r.h[0]) {
		r.h[0] = s
		heap.Fix(&r.h, 0)
	}
}

// ids returns the kept documents, best first.
func (r *ranking) ids() []int64 {
	slices.SortFunc(r.h, func(a, b scored) int {
		if a.better(b) {
			return -1
		}
		return 1
	})
	ids := make([]int64, len(r.h))
	for i, s := range r.h {
		ids[i] = s.id
	}
	return ids
}

// scoredHeap is a min-heap by better: its root is the worst result kept.
type scoredHeap []scored

func (h scoredHeap) Len() int           { return len(h) }
func (h scoredHeap) Less(i, j int) bool { return h[j].better(h[i]) }
func (h scoredHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *scoredHeap) Push(v any)        { *h = append(*h, v.(scored)) }
func (h *scoredHeap) Pop() any {
	old := *h
	v := old[len(old)-1]
	*h = old[:len(old)-1]
	return v
}

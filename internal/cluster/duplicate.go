package cluster

import (
	"cmp"
	"slices"
)

// shortTerms is the number of distinct terms at or below which a
// contribution is only a duplicate of one with exactly the same terms: with
// one or two terms ("Plus de vélos !", "Sécurité"), a high cosine says the
// texts share a word, not that they say the same thing.
const shortTerms = 2

// representatives is an inverted index of the contributions that stand for
// a duplicate group: the first contribution of each proposed group (and of
// each contribution still alone, which may start one), and every member of
// a group organisers confirmed. Only the prefix of each row is indexed (see
// prefixLen), which is what keeps the search far below comparing every pair.
type representatives struct {
	threshold float64
	postings  [][]posting // term id -> representatives whose prefix holds it
	last      []int32     // row -> the last term of its indexed prefix
	lastTail  []float32   // row -> the norm of its weights after the prefix

	// Scratch of a query.
	acc     []float32 // row -> dot product over shared prefix terms, 0 if none
	touched []int32   // rows with acc > 0
}

type posting struct {
	row    int32
	weight float32
}

// prefixLen returns how many of a row's first (rarest) terms to index so
// that any row at least threshold similar to it shares one of them. With
// unit vectors, the terms left out contribute at most the norm of their
// weights to any cosine (Cauchy-Schwarz); once that norm is below the
// threshold, a similar row must meet the indexed prefix. Because every row
// lists its terms in the same order (rarest first), two similar rows even
// share a term within both their prefixes, so the query needs only its own
// prefix too. The small margin keeps float rounding from hiding a pair.
func prefixLen(weights []float32, threshold float64) int {
	limit := threshold * threshold * (1 - 1e-4)
	var suffix float64
	for i := len(weights) - 1; i >= 0; i-- {
		suffix += float64(weights[i]) * float64(weights[i])
		if suffix >= limit {
			return i + 1
		}
	}
	return 0
}

func (r *representatives) insert(v *vectors, i int32) {
	terms, weights := v.row(i)
	n := prefixLen(weights, r.threshold)
	if n == 0 {
		return
	}
	for j, t := range terms[:n] {
		for int(t) >= len(r.postings) {
			r.postings = append(r.postings, nil)
		}
		r.postings[t] = append(r.postings[t], posting{i, weights[j]})
	}
	for int(i) >= len(r.last) {
		r.last = append(r.last, -1)
		r.lastTail = append(r.lastTail, 0)
	}
	r.last[i] = terms[n-1]
	r.lastTail[i] = v.tails[v.off[i]+int32(n)-1]
}

// scored is a candidate representative and its similarity to the query.
type scored struct {
	row   int32
	score float64
}

// similar returns the representatives at least threshold similar to row i,
// most similar first (ties: earliest first), appending to dst.
//
// Candidates are the representatives sharing a prefix term with row i.
// Most share a common word or two and nothing else; rather than compare
// them in full, the search sums their products over the shared prefix
// terms and bounds what the rest could add: any other shared term comes
// after the end of one of the two prefixes, so it adds at most the norm
// of row i's weights after that point times the candidate's.
func (r *representatives) similar(v *vectors, i int32, dst []scored) []scored {
	for int(v.len()) > len(r.acc) {
		r.acc = append(r.acc, 0)
	}
	terms, weights := v.row(i)
	n := prefixLen(weights, r.threshold)
	for j, t := range terms[:n] {
		if int(t) >= len(r.postings) {
			continue
		}
		for _, p := range r.postings[t] {
			if p.row == i {
				continue
			}
			if r.acc[p.row] == 0 {
				r.touched = append(r.touched, p.row)
			}
			r.acc[p.row] += weights[j] * p.weight
		}
	}
	if len(r.touched) == 0 {
		return dst
	}
	end, tail := terms[n-1], float64(v.tails[v.off[i]+int32(n)-1])
	for _, c := range r.touched {
		bound := float64(r.acc[c])
		switch last := r.last[c]; {
		case last == end:
			bound += tail * float64(r.lastTail[c])
		case last > end:
			bound += tail * v.normAfter(c, end)
		default:
			bound += v.normAfter(i, last) * float64(r.lastTail[c])
		}
		r.acc[c] = 0
		if bound < r.threshold-1e-5 {
			continue
		}
		if s := score(v, i, c); s >= r.threshold {
			dst = append(dst, scored{c, s})
		}
	}
	r.touched = r.touched[:0]
	slices.SortFunc(dst, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.row, b.row))
	})
	return dst
}

// score is how alike rows a and b are for the duplicate decision: the
// cosine of their TF-IDF vectors, except that a row of shortTerms terms or
// fewer scores 0 against any row without exactly its terms.
func score(v *vectors, a, b int32) float64 {
	at, aw := v.row(a)
	bt, bw := v.row(b)
	if (len(at) <= shortTerms || len(bt) <= shortTerms) && !slices.Equal(at, bt) {
		return 0
	}
	return dot(at, aw, bt, bw)
}

// placeDuplicate puts row i in the group of the most similar representative
// it may join, or makes it a representative. Comparing with
// representatives only, rather than with every member, is what keeps
// groups from chaining: a contribution close to a member but not to the
// contribution the group started from starts a group of its own.
func (ix *Index) placeDuplicate(i int32, buf []scored) []scored {
	buf = ix.reps.similar(ix.vec, i, buf[:0])
	for _, c := range buf {
		if !ix.mayJoin(i, c.row) {
			continue
		}
		g := ix.dup[c.row]
		if g < 0 {
			g = ix.newGroup(Duplicate, ix.axes[c.row])
			ix.join(g, c.row)
		}
		ix.join(g, i)
		return buf
	}
	ix.reps.insert(ix.vec, i)
	return buf
}

// mayJoin reports whether row i may join the duplicate group of row c
// without putting together two contributions organisers kept apart.
func (ix *Index) mayJoin(i, c int32) bool {
	g := ix.dup[c]
	for _, set := range ix.apart[i] {
		for _, r := range set {
			if r != i && (r == c || g >= 0 && ix.dup[r] == g) {
				return false
			}
		}
	}
	return true
}

package cluster

import (
	"cmp"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// kmeansRounds bounds the refinement of topics. Spherical k-means on short
// texts settles in a handful of rounds; later rounds move few documents,
// and refinement stops once fewer than 1 in 200 move.
const kmeansRounds = 15

// kmeansSample is how many contributions of an axis topics are sought on.
// Topics found on 10,000 evenly spread contributions are much the same as
// those found on all of them, and the time to find them stays bounded on
// the largest axes.
const kmeansSample = 10_000

// centroid is a topic's unit mean vector, sparse, terms in increasing id.
type centroid struct {
	terms   []int32
	weights []float32
}

func (c centroid) dot(terms []int32, weights []float32) float64 {
	return dot(c.terms, c.weights, terms, weights)
}

// axisTopics is the input and output of topic finding on one axis.
type axisTopics struct {
	seed  uint64
	rows  []int32   // rows to place, in id order; all have terms
	fixed [][]int32 // known rows of each pinned topic of the axis
	k     int       // new topics wanted

	// Results.
	assign    []int32    // per rows: topic index (pinned first, then new) or -1
	centroids []centroid // per topic, pinned first
}

// topicCount is how many topics to propose for n contributions: about
// sqrt(n/2), the usual rule of thumb for k-means, which gives 7 topics for
// 100 contributions and 22 for 1,000, capped by limit.
func topicCount(n, limit int) int {
	return max(0, min(limit, n, int(math.Round(math.Sqrt(float64(n)/2)))))
}

// kmeans finds a.k topics among a.rows by spherical k-means: each row goes
// to the topic whose centroid is most similar (cosine), each new centroid
// is the normalised mean of its rows, until nothing moves. Pinned topics
// take part with centroids fixed by their confirmed members. Rows less
// similar than threshold to every centroid are left out. Seeds are chosen
// by k-means++ with a fixed seed, so the result only depends on the input.
func kmeans(v *vectors, a *axisTopics, threshold float64) {
	a.assign = make([]int32, len(a.rows))
	for j := range a.assign {
		a.assign[j] = -1
	}
	nf := len(a.fixed)
	k := nf + a.k
	if k == 0 {
		return
	}

	// Rows with axis-local term ids, which keep the centroid matrix small
	// and dense: global[l] is the term of local id l.
	local := map[int32]int32{}
	var global []int32
	localRow := func(i int32) []entry {
		terms, weights := v.row(i)
		out := make([]entry, len(terms))
		for j, t := range terms {
			l, ok := local[t]
			if !ok {
				l = int32(len(global))
				local[t] = l
				global = append(global, t)
			}
			out[j] = entry{l, weights[j]}
		}
		return out
	}
	rows := make([][]entry, len(a.rows))
	for j, i := range a.rows {
		rows[j] = localRow(i)
	}
	fixed := make([][]entry, nf) // each pinned topic's centroid
	for f, members := range a.fixed {
		var rs [][]entry
		for _, i := range members {
			rs = append(rs, localRow(i))
		}
		fixed[f] = meanOf(rs, len(global))
	}
	m := newCentroids(len(global), k)
	for f, ce := range fixed {
		m.set(f, ce)
	}

	// On a large axis, topics are sought on an evenly spread sample of
	// rows; all rows are then placed.
	sample := rows
	if len(rows) > kmeansSample {
		sample = make([][]entry, kmeansSample)
		for j := range sample {
			sample[j] = rows[j*len(rows)/kmeansSample]
		}
	}

	// k-means++ seeding: the first seed at random, each next one drawn
	// with probability growing with its distance to the nearest seed (or
	// pinned topic), so seeds spread over the axis.
	rng := rand.New(rand.NewPCG(a.seed, 0x6f7576657274))
	nearest := make([]float64, len(sample)) // similarity to the closest seed so far
	for c := range k {
		if c >= nf {
			pick := 0
			var total float64
			for _, s := range nearest {
				total += (1 - s) * (1 - s)
			}
			if total > 0 {
				x := rng.Float64() * total
				for j, s := range nearest {
					if x -= (1 - s) * (1 - s); x < 0 {
						pick = j
						break
					}
				}
			}
			m.set(c, sample[pick])
		}
		for j, r := range sample {
			nearest[j] = max(nearest[j], min(1, float64(m.score(r, c))))
		}
	}

	assign := make([]int32, len(sample))
	for round := range kmeansRounds {
		moved := 0
		for j, r := range sample {
			if c, _ := m.nearest(r); c != assign[j] || round == 0 {
				moved++
				assign[j] = c
			}
		}
		if moved <= len(sample)/200 || round == kmeansRounds-1 {
			break
		}
		m.update(sample, assign, fixed)
	}

	// Place every row, leaving out what is close to no topic, then give
	// each new topic the mean of its rows, the centroid Add compares with.
	for j, r := range rows {
		if c, s := m.nearest(r); float64(s) >= threshold {
			a.assign[j] = c
		}
	}
	m.update(rows, a.assign, fixed)
	a.centroids = make([]centroid, k)
	for c := range k {
		var ce centroid
		for l := range global {
			if w := m.w[l*k+c]; w != 0 {
				ce.terms = append(ce.terms, global[l])
				ce.weights = append(ce.weights, w)
			}
		}
		sortRow(ce.terms, ce.weights)
		a.centroids[c] = ce
	}
}

// entry is a term of a row and its weight.
type entry struct {
	t int32
	w float32
}

// meanOf returns the normalised mean of rows, sparse.
func meanOf(rows [][]entry, nterms int) []entry {
	sum := make([]float64, nterms)
	for _, r := range rows {
		for _, e := range r {
			sum[e.t] += float64(e.w)
		}
	}
	var norm float64
	for _, s := range sum {
		norm += s * s
	}
	var out []entry
	for t, s := range sum {
		if s != 0 {
			out = append(out, entry{int32(t), float32(s / math.Sqrt(norm))})
		}
	}
	return out
}

// centroids holds k centroids over nterms terms term-major: w[t*k+c] is
// the weight of term t in centroid c, so that scoring a row against every
// centroid reads contiguous memory.
type centroids struct {
	k      int
	w      []float32
	prev   []float32 // the weights before the last update
	counts []int
	norms  []float64
	scores []float32 // scratch of nearest
}

func newCentroids(nterms, k int) *centroids {
	return &centroids{k: k, w: make([]float32, nterms*k), prev: make([]float32, nterms*k), counts: make([]int, k), norms: make([]float64, k), scores: make([]float32, k)}
}

// set makes centroid c the unit vector of r.
func (m *centroids) set(c int, r []entry) {
	var norm float64
	for _, e := range r {
		norm += float64(e.w) * float64(e.w)
	}
	for _, e := range r {
		m.w[int(e.t)*m.k+c] = float32(float64(e.w) / math.Sqrt(norm))
	}
}

func (m *centroids) score(r []entry, c int) float32 {
	var s float32
	for _, e := range r {
		s += e.w * m.w[int(e.t)*m.k+c]
	}
	return s
}

// nearest returns the centroid most similar to r (the first of equals)
// and the similarity, or -1 when r shares no term with any centroid.
func (m *centroids) nearest(r []entry) (int32, float32) {
	scores := m.scores
	clear(scores)
	for _, e := range r {
		col := m.w[int(e.t)*m.k : int(e.t)*m.k+m.k]
		for c, w := range col {
			scores[c] += e.w * w
		}
	}
	best := int32(0)
	for c := range scores {
		if scores[c] > scores[best] {
			best = int32(c)
		}
	}
	if scores[best] <= 0 {
		return -1, 0
	}
	return best, scores[best]
}

// update recomputes the centroids after the first len(fixed) as the
// normalised means of the rows assigned to them; a centroid left without
// rows keeps its weights. All centroids are recomputed in one pass over
// the rows and one over the matrix.
func (m *centroids) update(rows [][]entry, assign []int32, fixed [][]entry) {
	k, nf := m.k, len(fixed)
	m.w, m.prev = m.prev, m.w
	clear(m.w)
	clear(m.counts)
	clear(m.norms)
	for f, ce := range fixed {
		for _, e := range ce {
			m.w[int(e.t)*k+f] = e.w
		}
	}
	for j, c := range assign {
		if int(c) < nf {
			continue
		}
		m.counts[c]++
		for _, e := range rows[j] {
			m.w[int(e.t)*k+int(c)] += e.w
		}
	}
	for t := 0; t < len(m.w); t += k {
		for c, w := range m.w[t+nf : t+k] {
			m.norms[nf+c] += float64(w) * float64(w)
		}
	}
	for c := nf; c < k; c++ {
		if m.norms[c] > 0 {
			m.norms[c] = 1 / math.Sqrt(m.norms[c])
		}
	}
	for t := 0; t < len(m.w); t += k {
		for c := nf; c < k; c++ {
			if m.counts[c] == 0 {
				m.w[t+c] = m.prev[t+c]
			} else {
				m.w[t+c] *= float32(m.norms[c])
			}
		}
	}
}

// sortRow sorts terms increasingly, carrying weights along.
func sortRow(terms []int32, weights []float32) {
	idx := make([]int, len(terms))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(terms[a], terms[b]) })
	t2 := make([]int32, len(terms))
	w2 := make([]float32, len(weights))
	for i, j := range idx {
		t2[i], w2[i] = terms[j], weights[j]
	}
	copy(terms, t2)
	copy(weights, w2)
}

// topicWords returns the n words that best tell a topic from the rest of
// its axis. A term scores p·ln(p/q), where p is the share of the topic's
// contributions that use it and q the share of the axis's contributions
// that do: a word used by most of the topic and seldom elsewhere wins; a
// word common everywhere scores near zero however frequent. Terms used by
// a single contribution of the topic are not considered.
func topicWords(v *vectors, voc *vocabulary, members []int32, axisDF map[int32]int32, axisSize int, n int) []string {
	df := map[int32]int32{}
	for _, i := range members {
		terms, _ := v.row(i)
		for _, t := range terms {
			df[t]++
		}
	}
	type cand struct {
		t     int32
		score float64
	}
	var cands []cand
	for t, d := range df {
		if d < 2 {
			continue
		}
		p := float64(d) / float64(len(members))
		q := float64(max(axisDF[t], d)) / float64(max(axisSize, len(members)))
		if s := p * math.Log(p/q); s > 0 {
			cands = append(cands, cand{t, s})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.t, b.t))
	})
	var words []string
	for _, c := range cands {
		if len(words) == n {
			break
		}
		w := voc.words[c.t]
		if w != "" && !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	return words
}

// findTopics runs k-means on every axis, as many axes at a time as there
// are cores, then records the topics in axis order.
func (ix *Index) findTopics() {
	axes := slices.Clone(ix.axes)
	pinnedOf := map[int64][]int32{}
	for gi, g := range ix.groups {
		if g.Kind == Topic {
			axes = append(axes, g.Axis)
			pinnedOf[g.Axis] = append(pinnedOf[g.Axis], int32(gi))
		}
	}
	slices.Sort(axes)
	axes = slices.Compact(axes)

	rowsOf := map[int64][]int32{} // every row of the axis with terms
	for i, a := range ix.axes {
		if terms, _ := ix.vec.row(int32(i)); len(terms) > 0 {
			rowsOf[a] = append(rowsOf[a], int32(i))
		}
	}
	work := make([]axisTopics, len(axes))
	for n, a := range axes {
		w := &work[n]
		w.seed = uint64(a)
		for _, r := range rowsOf[a] {
			if ix.topic[r] < 0 {
				w.rows = append(w.rows, r)
			}
		}
		for _, gi := range pinnedOf[a] {
			var rows []int32
			for _, id := range ix.groups[gi].Members {
				if r, ok := ix.row[id]; ok {
					if terms, _ := ix.vec.row(r); len(terms) > 0 {
						rows = append(rows, r)
					}
				}
			}
			w.fixed = append(w.fixed, rows)
		}
		w.k = topicCount(len(w.rows), ix.opt.MaxTopicsPerAxis-len(w.fixed))
		if w.k == 1 && len(w.fixed) == 0 {
			w.k = 0 // one topic holding the whole axis tells nothing
		}
	}
	var next atomic.Int32
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(work)) {
		wg.Go(func() {
			for n := int(next.Add(1) - 1); n < len(work); n = int(next.Add(1) - 1) {
				kmeans(ix.vec, &work[n], ix.opt.TopicThreshold)
			}
		})
	}
	wg.Wait()

	for n, a := range axes {
		w := &work[n]
		pins := pinnedOf[a]
		found := make([][]int32, len(w.centroids))
		for j, c := range w.assign {
			if c >= 0 {
				found[c] = append(found[c], w.rows[j])
			}
		}
		var topics []axisTopic
		for c, gi := range pins {
			for _, r := range found[c] {
				ix.join(gi, r)
			}
			if len(w.centroids[c].terms) > 0 {
				topics = append(topics, axisTopic{gi, w.centroids[c]})
			}
		}
		order := make([]int, 0, len(found)-len(pins))
		for c := len(pins); c < len(found); c++ {
			if len(found[c]) >= 2 {
				order = append(order, c)
			}
		}
		slices.SortFunc(order, func(x, y int) int {
			return cmp.Or(cmp.Compare(len(found[y]), len(found[x])), cmp.Compare(found[x][0], found[y][0]))
		})
		for _, c := range order {
			gi := ix.newGroup(Topic, a)
			for _, r := range found[c] {
				ix.join(gi, r)
			}
			topics = append(topics, axisTopic{gi, w.centroids[c]})
		}
		ix.topics[a] = topics
		ix.nameTopics(a, rowsOf[a], pins, topics)
	}
}

// nameTopics gives characteristic words to the topics of axis a that have
// none from the organisers.
func (ix *Index) nameTopics(a int64, axisRows []int32, pins []int32, topics []axisTopic) {
	df := map[int32]int32{}
	for _, r := range axisRows {
		terms, _ := ix.vec.row(r)
		for _, t := range terms {
			df[t]++
		}
	}
	name := func(gi int32) {
		g := ix.groups[gi]
		if len(g.Words) > 0 {
			return
		}
		var rows []int32
		for _, id := range g.Members {
			if r, ok := ix.row[id]; ok {
				rows = append(rows, r)
			}
		}
		g.Words = topicWords(ix.vec, ix.voc, rows, df, len(axisRows), ix.opt.Words)
	}
	for _, gi := range pins {
		name(gi)
	}
	for _, t := range topics {
		if !ix.groups[t.group].Pinned {
			name(t.group)
		}
	}
}

package cluster

import "ouvert/internal/textsearch"

// Add places a new contribution in the groups Build found, as Build would
// have placed it had it come last: in the duplicate group of the most
// similar representative (making a new proposed group with it if that
// contribution was alone), and in the topic of its axis with the most
// similar centroid if similar enough. Word weights (IDF) and topic
// centroids stay those of Build, so a contribution never moves others;
// the next Build reconsiders everything. A contribution that pinned groups
// passed to Build listed goes to those groups. Adding an id the index
// already holds changes nothing and returns its current placement.
func (ix *Index) Add(d Doc) Placement {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	r, known := ix.row[d.ID]
	if !known {
		r = ix.addRow(d)
		pinned, ok := ix.awaited[d.ID]
		delete(ix.awaited, d.ID)
		if ok && pinned[0] >= 0 {
			ix.dup[r] = pinned[0]
			ix.reps.insert(ix.vec, r)
		} else {
			ix.placeDuplicate(r, nil)
		}
		if ok && pinned[1] >= 0 {
			ix.topic[r] = pinned[1]
		} else {
			ix.placeTopic(r)
		}
	}
	var p Placement
	if g := ix.dup[r]; g >= 0 {
		c := ix.groups[g].clone()
		p.Duplicate = &c
	}
	if g := ix.topic[r]; g >= 0 {
		c := ix.groups[g].clone()
		p.Topic = &c
	}
	return p
}

// addRow analyses d with Build's vocabulary, giving unknown terms the
// weight of a term no contribution had.
func (ix *Index) addRow(d Doc) int32 {
	var ids []int32
	for _, t := range textsearch.Terms(d.Text) {
		id, ok := ix.voc.ids[t]
		if !ok {
			id = int32(len(ix.voc.idf))
			ix.voc.ids[t] = id
			ix.voc.idf = append(ix.voc.idf, ix.voc.unseen)
			ix.voc.words = append(ix.voc.words, "")
		}
		ids = append(ids, id)
	}
	ids, counts := countTerms(ids, nil)
	weights := weigh(ids, counts, func(t int32) float32 { return ix.voc.idf[t] }, nil)
	r := ix.vec.append(ids, weights)
	ix.ids = append(ix.ids, d.ID)
	ix.axes = append(ix.axes, d.Axis)
	ix.dup = append(ix.dup, -1)
	ix.topic = append(ix.topic, -1)
	ix.row[d.ID] = r
	return r
}

func (ix *Index) placeTopic(r int32) {
	terms, weights := ix.vec.row(r)
	if len(terms) == 0 {
		return
	}
	best, bestScore := int32(-1), 0.0
	for _, t := range ix.topics[ix.axes[r]] {
		s := t.centroid.dot(terms, weights)
		if s >= ix.opt.TopicThreshold && (best < 0 || s > bestScore) {
			best, bestScore = t.group, s
		}
	}
	if best >= 0 {
		ix.join(best, r)
	}
}

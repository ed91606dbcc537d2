package cluster

import (
	"cmp"
	"slices"
	"sync"
)

// Kind tells duplicate groups from topics.
type Kind int

const (
	// Duplicate groups contributions that say the same thing, possibly
	// worded differently; organisers may merge them.
	Duplicate Kind = iota + 1
	// Topic groups contributions of one axis that speak of the same
	// subject, whatever they say about it.
	Topic
)

func (k Kind) String() string {
	switch k {
	case Duplicate:
		return "duplicate"
	case Topic:
		return "topic"
	}
	return "unknown"
}

// Default settings; the package documentation says how they were chosen.
const (
	// DefaultDuplicateThreshold is the similarity from which two
	// contributions are proposed as near duplicates. On the labelled
	// Polis pairs it makes no wrong proposal, with a margin over the
	// most similar pair that is not a duplicate (0.64).
	DefaultDuplicateThreshold = 0.7
	// DefaultTopicThreshold is the similarity to a topic's centre a
	// contribution needs to be in the topic.
	DefaultTopicThreshold = 0.1
	// DefaultMaxTopicsPerAxis bounds the topics of an axis: more than
	// 30 would be too many to read in a synthesis.
	DefaultMaxTopicsPerAxis = 30
	// DefaultWords is how many characteristic words a topic shows.
	DefaultWords = 5
)

// Doc is a contribution as the analysis sees it.
type Doc struct {
	ID   int64
	Axis int64
	// Text is the title, a line break, then the body.
	Text string
}

// Options tunes Build. Zero fields take their default.
type Options struct {
	// DuplicateThreshold is the similarity (cosine of TF-IDF vectors, 0
	// to 1) at or above which two contributions are near duplicates.
	DuplicateThreshold float64
	// TopicThreshold is the similarity to a topic's centroid a
	// contribution needs to belong to the topic.
	TopicThreshold float64
	// MaxTopicsPerAxis caps the topics of an axis, pinned ones included.
	MaxTopicsPerAxis int
	// Words is how many characteristic words each topic gets.
	Words int
}

// DefaultOptions returns the settings the package documentation justifies.
func DefaultOptions() Options {
	return Options{
		DuplicateThreshold: DefaultDuplicateThreshold,
		TopicThreshold:     DefaultTopicThreshold,
		MaxTopicsPerAxis:   DefaultMaxTopicsPerAxis,
		Words:              DefaultWords,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.DuplicateThreshold <= 0 || o.DuplicateThreshold > 1 {
		o.DuplicateThreshold = d.DuplicateThreshold
	}
	if o.TopicThreshold <= 0 || o.TopicThreshold > 1 {
		o.TopicThreshold = d.TopicThreshold
	}
	if o.MaxTopicsPerAxis <= 0 {
		o.MaxTopicsPerAxis = d.MaxTopicsPerAxis
	}
	if o.Words <= 0 {
		o.Words = d.Words
	}
	return o
}

// Group is a set of contributions: a proposal of this package, or a
// decision of the organisers passed back to Build.
type Group struct {
	// ID is the caller's id for a group it passed in, 0 for a proposal.
	ID   int64
	Kind Kind
	// Axis is the axis of a topic. A duplicate group spans the whole
	// consultation; its Axis is the one its members share, or 0 when they
	// come from several axes.
	Axis int64
	// Members are contribution ids, sorted.
	Members []int64
	// Words are a topic's characteristic words, most telling first. A
	// pinned topic keeps the words it came with, if any.
	Words []string
	// Label is the organisers' name for a pinned group; Build keeps it
	// as it is.
	Label string
	// Pinned marks a group organisers confirmed: Build never removes a
	// member from it and only adds contributions that are in no pinned
	// group of the same kind.
	Pinned bool
	// Rejected marks a duplicate group organisers turned down: Build
	// never again proposes any two of its members as duplicates of each
	// other. Rejected groups are not returned.
	Rejected bool
}

func (g *Group) clone() Group {
	c := *g
	c.Members = slices.Clone(g.Members)
	c.Words = slices.Clone(g.Words)
	return c
}

// Placement says which groups a contribution added with Add joined. The
// groups are copies taken after the addition.
type Placement struct {
	Duplicate *Group
	Topic     *Group
}

// Index is what Build found, kept so that Add can place new contributions
// without running Build again. It is safe for concurrent use.
type Index struct {
	mu  sync.RWMutex
	opt Options
	voc *vocabulary
	vec *vectors

	// Per row (a contribution, rows in id order then in order of Add).
	ids   []int64
	axes  []int64
	dup   []int32 // index in groups of its duplicate group, or -1
	topic []int32 // index in groups of its topic, or -1
	row   map[int64]int32

	reps  representatives
	apart map[int32][][]int32 // row -> rejected groups (as rows) holding it
	// awaited holds the pinned members not among Build's docs, with
	// their groups (duplicate, topic; -1 for none), for Add to honour.
	awaited map[int64][2]int32
	groups  []*Group
	topics  map[int64][]axisTopic
}

// axisTopic is a topic with the centroid Add compares new contributions to.
type axisTopic struct {
	group    int32
	centroid centroid
}

// Build analyses docs and returns the index and every group: the pinned
// groups passed in, in their order and possibly with new members, then the
// proposed duplicate groups in the order they formed, then the proposed
// topics axis by axis, largest first. A contribution in a pinned group of one kind is put in no other
// group of that kind. Groups of a single contribution are not returned,
// nor are passed groups of no known kind or rejected ones. The result
// depends only on the input: the same docs, in any order, and the same
// pinned groups give the same groups. Ids must be unique; a repeated id is
// ignored. Pinned members that are not among docs stay members but take
// no part in the analysis.
func Build(docs []Doc, pinned []Group, opt Options) (*Index, []Group) {
	opt = opt.withDefaults()
	sorted := slices.Clone(docs)
	slices.SortStableFunc(sorted, func(a, b Doc) int { return cmp.Compare(a.ID, b.ID) })
	sorted = slices.CompactFunc(sorted, func(a, b Doc) bool { return a.ID == b.ID })
	texts := make([]string, len(sorted))
	for i, d := range sorted {
		texts[i] = d.Text
	}
	voc, vec := analyse(texts)
	ix := &Index{
		opt:     opt,
		voc:     voc,
		vec:     vec,
		ids:     make([]int64, len(sorted)),
		axes:    make([]int64, len(sorted)),
		dup:     make([]int32, len(sorted)),
		topic:   make([]int32, len(sorted)),
		row:     make(map[int64]int32, len(sorted)),
		reps:    representatives{threshold: opt.DuplicateThreshold},
		apart:   map[int32][][]int32{},
		awaited: map[int64][2]int32{},
		topics:  map[int64][]axisTopic{},
	}
	for i, d := range sorted {
		ix.ids[i], ix.axes[i], ix.dup[i], ix.topic[i] = d.ID, d.Axis, -1, -1
		ix.row[d.ID] = int32(i)
	}
	ix.pin(pinned)
	var buf []scored
	for i := range int32(len(sorted)) {
		if ix.dup[i] < 0 {
			buf = ix.placeDuplicate(i, buf)
		}
	}
	ix.findTopics()
	return ix, ix.snapshot()
}

// pin records the organisers' decisions before anything is proposed.
func (ix *Index) pin(pinned []Group) {
	for _, p := range pinned {
		g := p.clone()
		slices.Sort(g.Members)
		g.Members = slices.Compact(g.Members)
		g.Pinned = true
		var rows []int32
		for _, id := range g.Members {
			if r, ok := ix.row[id]; ok {
				rows = append(rows, r)
			}
		}
		if g.Rejected {
			if g.Kind == Duplicate {
				for _, r := range rows {
					ix.apart[r] = append(ix.apart[r], rows)
				}
			}
			continue
		}
		if g.Kind != Duplicate && g.Kind != Topic {
			continue
		}
		gi := int32(len(ix.groups))
		ix.groups = append(ix.groups, &g)
		for _, id := range g.Members {
			if _, ok := ix.row[id]; !ok {
				ix.await(id, g.Kind, gi)
			}
		}
		for n, r := range rows {
			if g.Kind == Topic {
				if ix.topic[r] < 0 {
					ix.topic[r] = gi
				}
				continue
			}
			if n == 0 {
				g.Axis = ix.axes[r]
			} else if g.Axis != ix.axes[r] {
				g.Axis = 0
			}
			if ix.dup[r] < 0 {
				ix.dup[r] = gi
				ix.reps.insert(ix.vec, r)
			}
		}
	}
}

// await records that contribution id, unknown to Build, belongs to the
// pinned group gi of kind, unless it already belongs to one of that kind.
func (ix *Index) await(id int64, kind Kind, gi int32) {
	w, ok := ix.awaited[id]
	if !ok {
		w = [2]int32{-1, -1}
	}
	if k := kind - Duplicate; w[k] < 0 {
		w[k] = gi
	}
	ix.awaited[id] = w
}

func (ix *Index) newGroup(kind Kind, axis int64) int32 {
	ix.groups = append(ix.groups, &Group{Kind: kind, Axis: axis})
	return int32(len(ix.groups) - 1)
}

// join adds row r to group g, keeping Members sorted.
func (ix *Index) join(g, r int32) {
	grp := ix.groups[g]
	if grp.Kind == Duplicate {
		ix.dup[r] = g
		if len(grp.Members) > 0 && grp.Axis != ix.axes[r] {
			grp.Axis = 0
		}
	} else {
		ix.topic[r] = g
	}
	id := ix.ids[r]
	if n, found := slices.BinarySearch(grp.Members, id); !found {
		grp.Members = slices.Insert(grp.Members, n, id)
	}
}

// snapshot copies the groups worth showing: all but single contributions.
func (ix *Index) snapshot() []Group {
	var out []Group
	for _, g := range ix.groups {
		if g.Pinned || len(g.Members) >= 2 {
			out = append(out, g.clone())
		}
	}
	return out
}

// Groups returns the current groups, as Build does, including what Add
// changed since.
func (ix *Index) Groups() []Group {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.snapshot()
}

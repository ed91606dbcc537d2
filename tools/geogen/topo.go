package main

// Topology-preserving simplification of the département outlines.
//
// The source draws each département as its own closed rings, so a border
// between two départements is stored twice, once in each direction; the two
// copies mostly have the same vertices, but not exactly (the source writes
// relative coordinates rounded to 0.01, which drift by a few hundredths),
// and here and there one side has a vertex the other lacks, or puts it up
// to a unit away. Simplifying each polygon on its own would cut each copy
// differently and open gaps and overlaps between neighbours. Instead
// (buildTopology, then simplify):
//
//  1. snap: vertices of different départements closer than p.snap are
//     merged into one node, closest pairs first, never two vertices of one
//     département; a vertex that one side has alone, within p.snap of the
//     other side's edge, is inserted into that edge; and where two
//     départements still draw a border between the same two nodes
//     differently (at most p.maxGap apart), the one with the higher code
//     takes the other's vertices. After this every border edge is used
//     exactly twice, in opposite directions, which buildTopology checks;
//  2. arcs: the rings are cut at the junctions (nodes where three or more
//     edges meet: where two départements meet a third, the coast or the
//     national border) into arcs, each stored once whoever uses it and in
//     whichever direction (a ring without a junction, an island, is one
//     closed arc);
//  3. each arc is simplified once, its ends fixed (Visvalingam–Whyatt by
//     default), then rounded to the output grid; an arc that would then
//     cross another arc or itself is simplified again with another
//     tolerance, until none does, so that the result is still a valid map;
//  4. each ring is rebuilt from its simplified arcs, so that two neighbours
//     share exactly the same simplified border: no gap or overlap can
//     appear between them. Islands smaller than p.minArea are dropped.
//
// Everything is deterministic: the result depends only on the input.

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// topoParams are the tunable parameters of the simplification.
type topoParams struct {
	snap      float64 // vertices of different départements closer than this are one node
	maxGap    float64 // two runs drawing one border differently are merged if no farther apart
	method    string  // "vw" (Visvalingam–Whyatt) or "dp" (Douglas–Peucker)
	tolerance float64 // map units: dp's distance; for vw, the side of the square whose area is the threshold
	fine      float64 // tolerance for the arcs of the départements in fineCodes (drawn enlarged in the Paris inset)
	fineCodes []string
	minArea   float64 // islands with a smaller area (map units²) are dropped
	grid      float64 // output vertices are multiples of this (map units)
}

// defaultParams are the parameters france.txt is generated with; see
// internal/geo/README.md for how they were chosen.
var defaultParams = topoParams{
	snap:      0.3,
	maxGap:    1.5,
	method:    "vw",
	tolerance: 3.5,
	fine:      0.5,
	fineCodes: []string{"75", "92", "93", "94"},
	minArea:   5,
	grid:      0.5,
}

// params are the parameters in use: defaultParams unless changed by flags.
var params = defaultParams

// simplifyReport sums up a simplification, for the log and the header.
type simplifyReport struct {
	stats                   topoStats
	lowered                 int // arcs simplified with another tolerance to avoid a crossing
	droppedRings            int // islands
	keptVertices, pathBytes int
}

// simplifyOutlines simplifies the outlines (sorted by code) and writes each
// as SVG path data in units of p.grid.
func simplifyOutlines(deps []depRings, p topoParams) (map[string]shape, simplifyReport, error) {
	var rep simplifyReport
	topo, err := buildTopology(deps, p.snap, p.maxGap)
	if err != nil {
		return nil, rep, err
	}
	rep.stats = topo.stats
	outlines, err := topo.simplify(p, &rep)
	if err != nil {
		return nil, rep, err
	}
	shapes := map[string]shape{}
	for _, o := range outlines {
		d, bbox, n, err := encodePath(o.rings, p.grid)
		if err != nil {
			return nil, rep, fmt.Errorf("%s: %w", o.code, err)
		}
		rep.keptVertices += n
		rep.pathBytes += len(d)
		shapes[o.code] = shape{d: d, bbox: bbox}
	}
	return shapes, rep, nil
}

type pt struct{ x, y float64 }

func (p pt) sub(q pt) pt { return pt{p.x - q.x, p.y - q.y} }

// depRings is a département's outline: one or more closed rings (the last
// point is not a repetition of the first).
type depRings struct {
	code  string
	rings [][]pt
}

// topology is the outlines as arcs between nodes.
type topology struct {
	nodes []pt
	arcs  [][]int // node indices; a closed arc (a ring without junction) repeats its first node at the end
	deps  []topoDep
	stats topoStats
}

type topoDep struct {
	code  string
	rings [][]arcRef
}

// edge is a directed edge between two nodes.
type edge struct{ a, b int }

// arcRef is an arc used forward or backward.
type arcRef struct {
	arc int
	rev bool
}

type topoStats struct {
	vertices, nodes, snapped, inserted, aligned, sharedEdges, outerEdges, junctions, arcs int
}

// buildTopology snaps the vertices of the outlines and cuts their rings
// into arcs. deps must be sorted by code; the result depends only on its
// input (no map iteration order leaks into it).
func buildTopology(deps []depRings, snap, maxGap float64) (*topology, error) {
	t := &topology{}
	// 1. Snap. Pairs of vertices of different départements closer than
	// snap are merged, closest pairs first, into clusters that never hold
	// two different vertices of one département; identical points are
	// always merged. A grid of cells of side snap finds the candidates.
	type cell struct{ x, y int64 }
	cellOf := func(p pt) cell { return cell{int64(math.Floor(p.x / snap)), int64(math.Floor(p.y / snap))} }
	type vertex struct {
		p   pt
		dep int
	}
	var verts []vertex
	for di, d := range deps {
		for _, r := range d.rings {
			for _, p := range r {
				verts = append(verts, vertex{p, di})
			}
		}
	}
	t.stats.vertices = len(verts)
	vgrid := map[cell][]int{}
	for i, v := range verts {
		c := cellOf(v.p)
		vgrid[c] = append(vgrid[c], i)
	}
	type pair struct {
		i, j int
		d    float64
	}
	var pairs []pair
	for i, v := range verts {
		c := cellOf(v.p)
		for dx := int64(-1); dx <= 1; dx++ {
			for dy := int64(-1); dy <= 1; dy++ {
				for _, j := range vgrid[cell{c.x + dx, c.y + dy}] {
					if j <= i {
						continue
					}
					d := math.Hypot(v.p.x-verts[j].p.x, v.p.y-verts[j].p.y)
					if d == 0 || (d < snap && verts[j].dep != v.dep) {
						pairs = append(pairs, pair{i, j, d})
					}
				}
			}
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := cmpFloat(a.d, b.d); c != 0 {
			return c
		}
		if a.i != b.i {
			return a.i - b.i
		}
		return a.j - b.j
	})
	parent := make([]int, len(verts)) // union-find; a root is its cluster's lowest vertex
	members := make([][]int, len(verts))
	for i := range parent {
		parent[i] = i
		members[i] = []int{i}
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	for _, pr := range pairs {
		ri, rj := find(pr.i), find(pr.j)
		if ri == rj {
			continue
		}
		if pr.d > 0 {
			conflict := false
			for _, m := range members[ri] {
				for _, n := range members[rj] {
					if verts[m].dep == verts[n].dep && verts[m].p != verts[n].p {
						conflict = true
					}
				}
			}
			if conflict {
				continue
			}
		}
		if rj < ri {
			ri, rj = rj, ri
		}
		parent[rj] = ri
		members[ri] = append(members[ri], members[rj]...)
		members[rj] = nil
	}
	nodeOf := make([]int, len(verts))
	nodeIndex := map[int]int{} // root vertex -> node
	grid := map[cell][]int{}   // node indices
	nodeDeps := [][]int{}      // the départements (indices) using each node
	for i := range verts {
		r := find(i)
		n, ok := nodeIndex[r]
		if !ok {
			n = len(t.nodes)
			nodeIndex[r] = n
			t.nodes = append(t.nodes, verts[r].p)
			nodeDeps = append(nodeDeps, nil)
			c := cellOf(verts[r].p)
			grid[c] = append(grid[c], n)
		}
		if verts[i].p != verts[r].p {
			t.stats.snapped++
		}
		if !slices.Contains(nodeDeps[n], verts[i].dep) {
			nodeDeps[n] = append(nodeDeps[n], verts[i].dep)
		}
		nodeOf[i] = n
	}
	ringNodes := make([][][]int, len(deps))
	vi := 0
	for di, d := range deps {
		for _, r := range d.rings {
			var nodes []int
			for range r {
				n := nodeOf[vi]
				vi++
				if len(nodes) == 0 || nodes[len(nodes)-1] != n {
					nodes = append(nodes, n)
				}
			}
			for len(nodes) > 1 && nodes[len(nodes)-1] == nodes[0] {
				nodes = nodes[:len(nodes)-1]
			}
			if len(nodes) < 3 {
				return nil, fmt.Errorf("%s: a ring collapses when snapped", d.code)
			}
			ringNodes[di] = append(ringNodes[di], nodes)
		}
	}

	// A border drawn with an extra vertex on one side only leaves that
	// vertex alone, near the other side's edge: insert it there too, so
	// that both sides have the same edges.
	for pass := 0; ; pass++ {
		edges := map[edge]bool{}
		for _, rings := range ringNodes {
			for _, r := range rings {
				for i, a := range r {
					edges[edge{a, r[(i+1)%len(r)]}] = true
				}
			}
		}
		loose := map[int]bool{} // nodes on an edge used one way only
		for e := range edges {
			if !edges[edge{e.b, e.a}] {
				loose[e.a], loose[e.b] = true, true
			}
		}
		inserted := 0
		for di, rings := range ringNodes {
			for ri, r := range rings {
				var out []int
				for i, a := range r {
					b := r[(i+1)%len(r)]
					out = append(out, a)
					if edges[edge{b, a}] {
						continue
					}
					pa, pb := t.nodes[a], t.nodes[b]
					type cand struct {
						n int
						u float64
					}
					var cands []cand
					c0 := cellOf(pt{min(pa.x, pb.x) - snap, min(pa.y, pb.y) - snap})
					c1 := cellOf(pt{max(pa.x, pb.x) + snap, max(pa.y, pb.y) + snap})
					for x := c0.x; x <= c1.x; x++ {
						for y := c0.y; y <= c1.y; y++ {
							for _, n := range grid[cell{x, y}] {
								if n == a || n == b || !loose[n] || slices.Contains(nodeDeps[n], di) {
									continue
								}
								q := t.nodes[n]
								d := pb.sub(pa)
								u := ((q.x-pa.x)*d.x + (q.y-pa.y)*d.y) / (d.x*d.x + d.y*d.y)
								if u > 0 && u < 1 && segDist(q, pa, pb) < snap {
									cands = append(cands, cand{n, u})
								}
							}
						}
					}
					slices.SortFunc(cands, func(p, q cand) int {
						if p.u != q.u {
							return cmpFloat(p.u, q.u)
						}
						return p.n - q.n
					})
					for _, c := range cands {
						out = append(out, c.n)
						nodeDeps[c.n] = append(nodeDeps[c.n], di)
						inserted++
					}
				}
				ringNodes[di][ri] = out
			}
		}
		t.stats.inserted += inserted
		aligned := alignRuns(t.nodes, ringNodes, nodeDeps, maxGap)
		t.stats.aligned += aligned
		if inserted == 0 && aligned == 0 {
			break
		}
		if pass > 10 {
			return nil, errors.New("matching the borders does not converge")
		}
	}
	t.stats.nodes = len(t.nodes)

	// 2. Edges: each must be used once (coast, national border) or twice,
	// in opposite directions, by two départements (a shared border).
	uses := map[edge][]int{} // directed edge -> départements
	neighbours := make([][]int, len(t.nodes))
	addNeighbour := func(a, b int) {
		if !slices.Contains(neighbours[a], b) {
			neighbours[a] = append(neighbours[a], b)
		}
	}
	for di, rings := range ringNodes {
		for _, r := range rings {
			for i, a := range r {
				b := r[(i+1)%len(r)]
				uses[edge{a, b}] = append(uses[edge{a, b}], di)
				addNeighbour(a, b)
				addNeighbour(b, a)
			}
		}
	}
	for e, u := range uses {
		back := uses[edge{e.b, e.a}]
		if len(u) > 1 || len(back) > 1 || (len(back) == 1 && back[0] == u[0]) {
			a, b := t.nodes[e.a], t.nodes[e.b]
			return nil, fmt.Errorf("edge (%.2f,%.2f)-(%.2f,%.2f) is used %d times forward and %d backward", a.x, a.y, b.x, b.y, len(u), len(back))
		}
		if len(back) == 1 {
			t.stats.sharedEdges++
		} else {
			t.stats.outerEdges++
		}
	}
	t.stats.sharedEdges /= 2

	// 3. Junctions and arcs.
	junction := make([]bool, len(t.nodes))
	for n, nb := range neighbours {
		if len(nb) > 2 {
			junction[n] = true
			t.stats.junctions++
		}
	}
	arcOf := map[edge]arcRef{} // first directed edge of an arc, in either direction
	for di, rings := range ringNodes {
		td := topoDep{code: deps[di].code}
		for _, r := range rings {
			start := -1
			for i, n := range r {
				if junction[n] {
					start = i
					break
				}
			}
			var refs []arcRef
			if start < 0 {
				// No junction: the whole ring is one closed arc, starting
				// at its lowest node so that both users (if two) agree.
				start = 0
				for i, n := range r {
					if less(t.nodes[n], t.nodes[r[start]]) {
						start = i
					}
				}
				seq := make([]int, 0, len(r)+1)
				for i := range len(r) + 1 {
					seq = append(seq, r[(start+i)%len(r)])
				}
				refs = append(refs, t.arcRef(seq, arcOf))
			} else {
				seq := []int{r[start]}
				for i := 1; i <= len(r); i++ {
					n := r[(start+i)%len(r)]
					seq = append(seq, n)
					if junction[n] {
						refs = append(refs, t.arcRef(seq, arcOf))
						seq = []int{n}
					}
				}
			}
			td.rings = append(td.rings, refs)
		}
		t.deps = append(t.deps, td)
	}
	t.stats.arcs = len(t.arcs)
	return t, nil
}

// alignRuns finds the borders that two départements draw differently even
// after snapping: a run of edges of one département from node S to node E
// that no other uses, while another département has such a run from E to
// S, the two never farther apart than maxGap. The run of the département
// with the higher index is replaced by the other's, reversed. It returns
// the number of runs replaced.
func alignRuns(nodes []pt, ringNodes [][][]int, nodeDeps [][]int, maxGap float64) int {
	edges := map[edge]bool{}
	for _, rings := range ringNodes {
		for _, r := range rings {
			for i, a := range r {
				edges[edge{a, r[(i+1)%len(r)]}] = true
			}
		}
	}
	type run struct {
		dep, ring, start, n int // n edges from r[start]
		s, e                int
	}
	var runs []run
	byEnds := map[edge][]int{}
	for di, rings := range ringNodes {
		for ri, r := range rings {
			matched := func(i int) bool {
				i %= len(r)
				return edges[edge{r[(i+1)%len(r)], r[i]}]
			}
			first := -1
			for i := range r {
				if matched(i) {
					first = i
					break
				}
			}
			if first < 0 {
				continue // an island
			}
			for i := first + 1; i <= first+len(r); {
				if matched(i) {
					i++
					continue
				}
				j := i
				for !matched(j) {
					j++
				}
				rn := run{dep: di, ring: ri, start: i % len(r), n: j - i, s: r[i%len(r)], e: r[j%len(r)]}
				byEnds[edge{rn.s, rn.e}] = append(byEnds[edge{rn.s, rn.e}], len(runs))
				runs = append(runs, rn)
				i = j
			}
		}
	}
	pts := func(rn run) []pt {
		r := ringNodes[rn.dep][rn.ring]
		out := make([]pt, rn.n+1)
		for k := range out {
			out[k] = nodes[r[(rn.start+k)%len(r)]]
		}
		return out
	}
	type repl struct {
		run   run
		nodes []int // new interior, replacing the run's
	}
	var repls []repl
	used := make([]bool, len(runs))
	for ai, a := range runs {
		if used[ai] {
			continue
		}
		best, bestGap := -1, maxGap
		for _, bi := range byEnds[edge{a.e, a.s}] {
			b := runs[bi]
			if used[bi] || b.dep == a.dep {
				continue
			}
			if g := hausdorff(pts(a), pts(b)); g < bestGap {
				best, bestGap = bi, g
			}
		}
		if best < 0 {
			continue
		}
		b := runs[best]
		used[ai], used[best] = true, true
		if b.dep < a.dep {
			a, b = b, a
		}
		ra := ringNodes[a.dep][a.ring]
		var interior []int
		for k := a.n - 1; k >= 1; k-- {
			interior = append(interior, ra[(a.start+k)%len(ra)])
		}
		repls = append(repls, repl{b, interior})
	}
	type ringKey struct{ dep, ring int }
	byRing := map[ringKey]map[int]repl{}
	for _, rp := range repls {
		k := ringKey{rp.run.dep, rp.run.ring}
		if byRing[k] == nil {
			byRing[k] = map[int]repl{}
		}
		byRing[k][rp.run.start] = rp
		for _, n := range rp.nodes {
			if !slices.Contains(nodeDeps[n], rp.run.dep) {
				nodeDeps[n] = append(nodeDeps[n], rp.run.dep)
			}
		}
	}
	for k, starts := range byRing {
		r := ringNodes[k.dep][k.ring]
		// Start the walk at a node that is no run's interior: the first
		// node of an edge that the run search found matched.
		base := 0
		for i := range r {
			if edges[edge{r[(i+1)%len(r)], r[i]}] {
				base = i
				break
			}
		}
		var out []int
		for j := 0; j < len(r); j++ {
			i := (base + j) % len(r)
			out = append(out, r[i])
			if rp, ok := starts[i]; ok {
				out = append(out, rp.nodes...)
				j += rp.run.n - 1
			}
		}
		ringNodes[k.dep][k.ring] = out
	}
	return len(repls)
}

// hausdorff is the largest distance from a vertex of one polyline to the
// other polyline.
func hausdorff(a, b []pt) float64 {
	h := 0.0
	for _, pair := range [2][2][]pt{{a, b}, {b, a}} {
		for _, p := range pair[0] {
			d := math.Inf(1)
			for i := 0; i+1 < len(pair[1]); i++ {
				d = min(d, segDist(p, pair[1][i], pair[1][i+1]))
			}
			h = max(h, d)
		}
	}
	return h
}

// arcRef returns the arc with this node sequence, adding it if new. An
// existing arc is found by its first edge, in either direction.
func (t *topology) arcRef(seq []int, arcOf map[edge]arcRef) arcRef {
	if r, ok := arcOf[edge{seq[0], seq[1]}]; ok {
		return r
	}
	n := len(seq)
	if r, ok := arcOf[edge{seq[n-1], seq[n-2]}]; ok && t.arcs[r.arc][0] == seq[n-1] {
		return arcRef{arc: r.arc, rev: true}
	}
	a := len(t.arcs)
	t.arcs = append(t.arcs, slices.Clone(seq))
	arcOf[edge{seq[0], seq[1]}] = arcRef{arc: a}
	return arcRef{arc: a}
}

func less(p, q pt) bool { return p.x < q.x || (p.x == q.x && p.y < q.y) }

// simplifiedOutline is a département's outline after simplification.
type simplifiedOutline struct {
	code  string
	rings [][]pt // on the output grid; last point not repeated
}

// simplify simplifies every arc and rebuilds the départements' rings,
// dropping the islands (rings that share no border) smaller than
// p.minArea. It returns the outlines in the order of t.deps.
func (t *topology) simplify(p topoParams, rep *simplifyReport) ([]simplifiedOutline, error) {
	tol := make([]float64, len(t.arcs))
	for a := range t.arcs {
		tol[a] = p.tolerance
	}
	for _, d := range t.deps {
		if slices.Contains(p.fineCodes, d.code) {
			for _, r := range d.rings {
				for _, ref := range r {
					tol[ref.arc] = min(tol[ref.arc], p.fine)
				}
			}
		}
	}
	snapPt := func(q pt) pt {
		return pt{math.Round(q.x/p.grid) * p.grid, math.Round(q.y/p.grid) * p.grid}
	}
	// An arc that crosses another once simplified and rounded to the grid
	// is simplified again with the next factor of its tolerance: less
	// simplification first, then (rounding to the grid can itself make a
	// narrow feature cross its neighbour) more, then none.
	factors := []float64{1, 0.5, 0.25, 1.5, 2, 3, 0.1, 0}
	step := make([]int, len(t.arcs))
	simple := make([][]pt, len(t.arcs))
	for {
		for a, seq := range t.arcs {
			if simple[a] != nil {
				continue
			}
			pts := make([]pt, len(seq))
			for i, n := range seq {
				pts[i] = t.nodes[n]
			}
			tl := tol[a] * factors[step[a]]
			keep := simplifyArc(pts, tl, p.method)
			for i, q := range keep {
				keep[i] = snapPt(q)
			}
			simple[a] = dropCollinear(keep)
		}
		bad := crossingArcs(simple)
		if len(bad) == 0 {
			break
		}
		for _, a := range bad {
			step[a]++
			if step[a] == len(factors) {
				q := t.nodes[t.arcs[a][0]]
				return nil, fmt.Errorf("the arc from (%.1f, %.1f) crosses another at any tolerance", q.x, q.y)
			}
			simple[a] = nil
		}
	}
	lowered := 0
	for _, s := range step {
		if s > 0 {
			lowered++
		}
	}

	rep.lowered = lowered
	uses := make([]int, len(t.arcs))
	for _, d := range t.deps {
		for _, r := range d.rings {
			for _, ref := range r {
				uses[ref.arc]++
			}
		}
	}
	var out []simplifiedOutline
	for _, d := range t.deps {
		so := simplifiedOutline{code: d.code}
		for _, r := range d.rings {
			if len(r) == 1 && uses[r[0].arc] == 1 {
				var orig []pt
				for _, n := range t.arcs[r[0].arc] {
					orig = append(orig, t.nodes[n])
				}
				if ringArea(orig) < p.minArea {
					rep.droppedRings++
					continue
				}
			}
			var ring []pt
			for _, ref := range r {
				s := simple[ref.arc]
				if ref.rev {
					s = slices.Clone(s)
					slices.Reverse(s)
				}
				for _, q := range s {
					if len(ring) > 0 && ring[len(ring)-1] == q {
						continue
					}
					ring = append(ring, q)
				}
			}
			for len(ring) > 1 && ring[len(ring)-1] == ring[0] {
				ring = ring[:len(ring)-1]
			}
			if len(ring) < 3 {
				return nil, fmt.Errorf("%s: a ring collapses when simplified", d.code)
			}
			so.rings = append(so.rings, ring)
		}
		out = append(out, so)
	}
	return out, nil
}

// simplifyArc simplifies an arc with method "dp" (Douglas–Peucker, tol a
// distance) or "vw" (Visvalingam–Whyatt, tol the side of a square whose
// area is the threshold), keeping its ends. A closed arc (first point
// repeated at the end) is cut at its first point and the point farthest
// from it, and each half simplified; if it would collapse to fewer than 3
// points, it keeps its 3 most distant ones.
func simplifyArc(pts []pt, tol float64, method string) []pt {
	simp := func(pts []pt) []pt {
		if method == "vw" {
			return visvalingam(pts, tol*tol)
		}
		return douglasPeucker(pts, tol)
	}
	if pts[0] != pts[len(pts)-1] {
		return simp(pts)
	}
	far, farD := 0, -1.0
	for i, q := range pts {
		if d := math.Hypot(q.x-pts[0].x, q.y-pts[0].y); d > farD {
			far, farD = i, d
		}
	}
	a := simp(pts[:far+1])
	b := simp(pts[far:])
	out := append(a, b[1:]...)
	if len(out) < 4 { // first, far, first
		third, thirdD := 0, -1.0
		for i, q := range pts {
			if d := segDist(q, pts[0], pts[far]); d > thirdD {
				third, thirdD = i, d
			}
		}
		idx := []int{0, far, third}
		slices.Sort(idx)
		out = []pt{pts[idx[0]], pts[idx[1]], pts[idx[2]], pts[0]}
	}
	return out
}

// douglasPeucker keeps the ends of pts and the points needed so that no
// dropped point is farther than tol from the simplified line.
func douglasPeucker(pts []pt, tol float64) []pt {
	if len(pts) <= 2 {
		return slices.Clone(pts)
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	var rec func(i, j int)
	rec = func(i, j int) {
		best, bestD := -1, tol
		for k := i + 1; k < j; k++ {
			if d := segDist(pts[k], pts[i], pts[j]); d > bestD {
				best, bestD = k, d
			}
		}
		if best >= 0 {
			keep[best] = true
			rec(i, best)
			rec(best, j)
		}
	}
	rec(0, len(pts)-1)
	var out []pt
	for i, p := range pts {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// visvalingam keeps the ends of pts and drops, one at a time, the inner
// point whose triangle with its two neighbours has the smallest area, while
// that area is below minArea (Visvalingam–Whyatt). A point's area never
// counts less than that of a point dropped before it, so that the order
// of removal follows the scale of the features.
func visvalingam(pts []pt, minArea float64) []pt {
	n := len(pts)
	if n <= 2 {
		return slices.Clone(pts)
	}
	prev, next := make([]int, n), make([]int, n)
	for i := range n {
		prev[i], next[i] = i-1, i+1
	}
	area := func(i int) float64 { return math.Abs(cross(pts[prev[i]], pts[i], pts[next[i]])) / 2 }
	h := &areaHeap{}
	eff := make([]float64, n)
	for i := 1; i < n-1; i++ {
		eff[i] = area(i)
		h.push(areaItem{eff[i], i})
	}
	removed := make([]bool, n)
	last := 0.0
	for h.len() > 0 {
		it := h.pop()
		if removed[it.i] || it.a != eff[it.i] {
			continue // stale
		}
		if it.a >= minArea {
			break
		}
		last = max(last, it.a)
		removed[it.i] = true
		p, q := prev[it.i], next[it.i]
		next[p], prev[q] = q, p
		for _, j := range []int{p, q} {
			if j > 0 && j < n-1 {
				eff[j] = max(area(j), last)
				h.push(areaItem{eff[j], j})
			}
		}
	}
	var out []pt
	for i := 0; i < n; i = next[i] {
		out = append(out, pts[i])
	}
	return out
}

type areaItem struct {
	a float64
	i int
}

// areaHeap is a binary min-heap of areaItems, ties broken by index so that
// the result is deterministic.
type areaHeap struct{ items []areaItem }

func (h *areaHeap) len() int { return len(h.items) }

func (h *areaHeap) less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	return a.a < b.a || (a.a == b.a && a.i < b.i)
}

func (h *areaHeap) push(it areaItem) {
	h.items = append(h.items, it)
	for i := len(h.items) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *areaHeap) pop() areaItem {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h.items) && h.less(l, m) {
			m = l
		}
		if r < len(h.items) && h.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
	return top
}

// dropCollinear removes repeated points and the inner points collinear
// with their neighbours (on a straight run, or at the tip of a spike, which
// rounding to the grid can create); the ends stay.
func dropCollinear(pts []pt) []pt {
	out := make([]pt, 0, len(pts))
	for _, q := range pts {
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
		for len(out) >= 3 && cross(out[len(out)-3], out[len(out)-2], out[len(out)-1]) == 0 {
			out = append(out[:len(out)-2], out[len(out)-1])
			if out[len(out)-2] == out[len(out)-1] {
				out = out[:len(out)-1]
			}
		}
	}
	return out
}

// crossingArcs returns, sorted, the arcs whose segments properly cross a
// segment of another arc or a non-adjacent segment of their own, or that
// overlap another along a segment. Arcs meet only at their ends.
func crossingArcs(arcs [][]pt) []int {
	type seg struct {
		arc, i int
		a, b   pt
	}
	const cellSize = 8.0
	type cell struct{ x, y int }
	grid := map[cell][]seg{}
	var segs []seg
	for a, s := range arcs {
		for i := 0; i+1 < len(s); i++ {
			sg := seg{a, i, s[i], s[i+1]}
			segs = append(segs, sg)
			x0, x1 := int(math.Floor(min(sg.a.x, sg.b.x)/cellSize)), int(math.Floor(max(sg.a.x, sg.b.x)/cellSize))
			y0, y1 := int(math.Floor(min(sg.a.y, sg.b.y)/cellSize)), int(math.Floor(max(sg.a.y, sg.b.y)/cellSize))
			for x := x0; x <= x1; x++ {
				for y := y0; y <= y1; y++ {
					grid[cell{x, y}] = append(grid[cell{x, y}], sg)
				}
			}
		}
	}
	bad := map[int]bool{}
	for _, cs := range grid {
		for i, s := range cs {
			for _, u := range cs[i+1:] {
				if s.arc == u.arc {
					n := len(arcs[s.arc]) - 1 // segments
					closed := arcs[s.arc][0] == arcs[s.arc][n]
					if d := abs(s.i - u.i); d <= 1 || (closed && d == n-1) {
						if !collinearOverlap(s.a, s.b, u.a, u.b) {
							continue
						}
					}
				}
				if segmentsConflict(s.a, s.b, u.a, u.b) {
					bad[s.arc], bad[u.arc] = true, true
				}
			}
		}
	}
	var out []int
	for a := range bad {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// segmentsConflict reports whether segments ab and cd intersect anywhere
// other than at a shared end point.
func segmentsConflict(a, b, c, d pt) bool {
	if max(a.x, b.x) < min(c.x, d.x) || max(c.x, d.x) < min(a.x, b.x) ||
		max(a.y, b.y) < min(c.y, d.y) || max(c.y, d.y) < min(a.y, b.y) {
		return false
	}
	d1, d2 := cross(c, d, a), cross(c, d, b)
	d3, d4 := cross(a, b, c), cross(a, b, d)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true // proper crossing
	}
	if collinearOverlap(a, b, c, d) {
		return true
	}
	// An end point lying on the other segment (a T), unless it is a
	// shared end point.
	shared := func(p pt) bool { return p == c || p == d }
	on := func(p, q, r pt) bool { // p on segment qr, strictly inside
		return cross(q, r, p) == 0 && p != q && p != r &&
			min(q.x, r.x) <= p.x && p.x <= max(q.x, r.x) && min(q.y, r.y) <= p.y && p.y <= max(q.y, r.y)
	}
	if (on(a, c, d) && !shared(a)) || (on(b, c, d) && !shared(b)) || on(c, a, b) || on(d, a, b) {
		return true
	}
	return false
}

// collinearOverlap reports whether ab and cd are collinear and share more
// than a point.
func collinearOverlap(a, b, c, d pt) bool {
	if cross(a, b, c) != 0 || cross(a, b, d) != 0 {
		return false
	}
	// Project on the longer axis.
	proj := func(p pt) float64 {
		if math.Abs(b.x-a.x) >= math.Abs(b.y-a.y) {
			return p.x
		}
		return p.y
	}
	lo1, hi1 := min(proj(a), proj(b)), max(proj(a), proj(b))
	lo2, hi2 := min(proj(c), proj(d)), max(proj(c), proj(d))
	return min(hi1, hi2) > max(lo1, lo2)
}

func cross(o, a, b pt) float64 { return (a.x-o.x)*(b.y-o.y) - (a.y-o.y)*(b.x-o.x) }

// segDist is the distance from p to the segment ab.
func segDist(p, a, b pt) float64 {
	d := b.sub(a)
	l2 := d.x*d.x + d.y*d.y
	if l2 == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	u := ((p.x-a.x)*d.x + (p.y-a.y)*d.y) / l2
	u = max(0, min(1, u))
	return math.Hypot(p.x-a.x-u*d.x, p.y-a.y-u*d.y)
}

// ringArea is the absolute area of a ring (shoelace formula).
func ringArea(r []pt) float64 {
	s := 0.0
	for i, p := range r {
		q := r[(i+1)%len(r)]
		s += p.x*q.y - q.x*p.y
	}
	return math.Abs(s) / 2
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// encodePath writes rings of points on the grid as compact SVG path data
// in grid units: "m12 34l3-2 4 1…z", a relative moveto and linetos (the
// first moveto of a path is absolute by definition), no separator before a
// minus sign. It also returns the bounding box in map units ("minX minY
// maxX maxY") and the number of vertices written.
func encodePath(rings [][]pt, grid float64) (string, string, int, error) {
	var out strings.Builder
	minX, minY, maxX, maxY := math.MaxInt, math.MaxInt, math.MinInt, math.MinInt
	var px, py, n int // current point, in grid units
	num := func(v int, first bool) {
		if !first && v >= 0 {
			out.WriteByte(' ')
		}
		out.WriteString(strconv.Itoa(v))
	}
	for _, r := range rings {
		var pts [][2]int
		for _, q := range r {
			g := [2]int{int(math.Round(q.x / grid)), int(math.Round(q.y / grid))}
			if len(pts) > 0 && pts[len(pts)-1] == g {
				continue
			}
			pts = append(pts, g)
		}
		for len(pts) > 1 && pts[len(pts)-1] == pts[0] {
			pts = pts[:len(pts)-1]
		}
		if len(pts) < 3 {
			return "", "", 0, errors.New("degenerate ring")
		}
		for j, q := range pts {
			switch j {
			case 0:
				out.WriteByte('m')
			case 1:
				out.WriteByte('l')
			}
			num(q[0]-px, j <= 1)
			num(q[1]-py, false)
			px, py = q[0], q[1]
			minX, maxX = min(minX, q[0]), max(maxX, q[0])
			minY, maxY = min(minY, q[1]), max(maxY, q[1])
			n++
		}
		out.WriteByte('z')
		// After closepath the current point is the ring's first point.
		px, py = pts[0][0], pts[0][1]
	}
	if out.Len() == 0 {
		return "", "", 0, errors.New("empty path")
	}
	bb := make([]string, 4)
	for i, v := range []int{minX, minY, maxX, maxY} {
		bb[i] = strconv.FormatFloat(float64(v)*grid, 'f', -1, 64)
	}
	return out.String(), strings.Join(bb, " "), n, nil
}

// describeChanges describes the simplification for the header of the
// generated file, as comment lines: the licence (CC BY 4.0) asks to
// indicate the changes made.
func describeChanges(p topoParams, rep simplifyReport) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	method := fmt.Sprintf("Visvalingam-Whyatt, points dropped while their effective area is under %s square units", f(p.tolerance*p.tolerance))
	fine := f(p.fine * p.fine)
	if p.method == "dp" {
		method = fmt.Sprintf("Douglas-Peucker, tolerance %s units", f(p.tolerance))
		fine = f(p.fine)
	}
	text := fmt.Sprintf("Shared borders stored once: vertices of neighbouring départements less than %s unit apart merged, "+
		"and borders drawn differently on the two sides (up to %s units apart) unified; "+
		"the rings then cut at their %d junctions into %d arcs. "+
		"Each arc simplified once, its ends fixed (%s of the 613 x 585 viewBox; %s for the borders of %s, shown enlarged in an inset; "+
		"another tolerance for %d arcs that would otherwise cross a neighbour), "+
		"so that neighbours share exactly the same simplified border, without gap or overlap. "+
		"Vertices rounded to %s unit: %d of the %d source vertices kept. "+
		"Islands under %s square units dropped (%d). "+
		"Path data written in relative units of %s; bounding boxes added.",
		f(p.snap), f(p.maxGap), rep.stats.junctions, rep.stats.arcs,
		method, fine, strings.Join(p.fineCodes, ", "), rep.lowered,
		f(p.grid), rep.keptVertices, rep.stats.vertices,
		f(p.minArea), rep.droppedRings, f(p.grid))
	var b strings.Builder
	line := "#  "
	for _, w := range strings.Fields(text) {
		if len(line)+1+len(w) > 80 {
			b.WriteString(line + "\n")
			line = "#  "
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
	return b.String()
}

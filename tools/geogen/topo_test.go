package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// twoSquares is two départements side by side whose common border (x = 10)
// is drawn with drift and with an extra vertex on one side, as the source
// does, plus a wiggly coast.
func twoSquares() []depRings {
	a := depRings{code: "01", rings: [][]pt{{
		{0, 0}, {3, 0.2}, {6, -0.2}, {10, 0},
		{10.01, 3}, {9.98, 5}, {10.02, 7}, // the border, going down
		{10, 10}, {6, 10.3}, {3, 9.8}, {0, 10},
		{0.2, 5},
	}}}
	b := depRings{code: "02", rings: [][]pt{{
		{10, 0}, {20, 0}, {20, 10}, {10, 10},
		{10, 8.5},                    // only on this side, on the other side's edge
		{10, 7}, {10, 5.02}, {10, 3}, // the border, going up
	}}}
	return []depRings{a, b}
}

func TestBuildTopologySharesBorders(t *testing.T) {
	topo, err := buildTopology(twoSquares(), 0.3, 1.5)
	if err != nil {
		t.Fatal(err)
	}
	if topo.stats.inserted != 1 {
		t.Errorf("inserted %d vertices, want 1", topo.stats.inserted)
	}
	// The border is one arc, used forward by one and backward by the other.
	uses := map[int][]arcRef{}
	for _, d := range topo.deps {
		for _, r := range d.rings {
			for _, ref := range r {
				uses[ref.arc] = append(uses[ref.arc], ref)
			}
		}
	}
	shared := 0
	for a, refs := range uses {
		if len(refs) == 2 {
			shared++
			if refs[0].rev == refs[1].rev {
				t.Errorf("arc %d used twice in the same direction", a)
			}
			if n := len(topo.arcs[a]); n != 6 { // (10,0) 3 5 7 8.5 (10,10)
				t.Errorf("shared arc has %d nodes, want 6", n)
			}
		}
	}
	if shared != 1 || topo.stats.junctions != 2 {
		t.Errorf("%d shared arcs, %d junctions; want 1 and 2", shared, topo.stats.junctions)
	}

	p := defaultParams
	p.tolerance, p.minArea = 1, 0
	out, err := topo.simplify(p, &simplifyReport{})
	if err != nil {
		t.Fatal(err)
	}
	// The simplified border is the same on both sides.
	border := func(r []pt) []pt {
		var b []pt
		for _, q := range r {
			if q.x == 10 {
				b = append(b, q)
			}
		}
		slices.SortFunc(b, func(p, q pt) int { return cmpFloat(p.y, q.y) })
		return b
	}
	ba, bb := border(out[0].rings[0]), border(out[1].rings[0])
	if !slices.Equal(ba, bb) || len(ba) < 2 {
		t.Errorf("borders differ: %v and %v", ba, bb)
	}
}

func TestSimplifiers(t *testing.T) {
	line := []pt{{0, 0}, {1, 0.1}, {2, -0.1}, {3, 5}, {4, 0}, {5, 0.05}, {6, 0}}
	dp := douglasPeucker(line, 0.5)
	if want := []pt{{0, 0}, {2, -0.1}, {3, 5}, {4, 0}, {6, 0}}; !slices.Equal(dp, want) {
		t.Errorf("douglasPeucker = %v, want %v", dp, want)
	}
	vw := visvalingam(line, 0.5)
	if want := []pt{{0, 0}, {2, -0.1}, {3, 5}, {4, 0}, {6, 0}}; !slices.Equal(vw, want) {
		t.Errorf("visvalingam = %v, want %v", vw, want)
	}
	// A closed arc keeps at least a triangle.
	ring := []pt{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	for _, m := range []string{"dp", "vw"} {
		if got := simplifyArc(ring, 100, m); len(got) != 4 || got[0] != got[3] {
			t.Errorf("%s: closed arc simplified to %v", m, got)
		}
	}
	if got := dropCollinear([]pt{{0, 0}, {1, 0}, {2, 0}, {2, 0}, {1, 0}, {1, 1}}); !slices.Equal(got, []pt{{0, 0}, {1, 0}, {1, 1}}) {
		t.Errorf("dropCollinear = %v", got)
	}
}

func TestCrossingArcs(t *testing.T) {
	arcs := [][]pt{
		{{0, 0}, {10, 0}},
		{{10, 0}, {10, 10}},          // meets the first at its end: fine
		{{5, -1}, {5, 1}},            // crosses the first
		{{20, 0}, {30, 0}, {25, 0}},  // folds back on itself
		{{40, 0}, {45, 0}, {50, 0}},  // straight: fine
		{{60, 0}, {70, 0}, {65, -5}}, // fine
	}
	if got := crossingArcs(arcs); !slices.Equal(got, []int{0, 2, 3}) {
		t.Errorf("crossingArcs = %v, want [0 2 3]", got)
	}
}

func TestEncodePath(t *testing.T) {
	rings := [][]pt{
		{{10, 20}, {12, 20}, {12, 18.5}},
		{{0.5, 0.5}, {1, 0.5}, {1, 1}},
	}
	d, bbox, n, err := encodePath(rings, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if want := "m20 40l4 0 0-3zm-19-39l1 0 0 1z"; d != want {
		t.Errorf("encodePath = %q, want %q", d, want)
	}
	if bbox != "0.5 0.5 12 20" || n != 6 {
		t.Errorf("bbox %q, %d vertices", bbox, n)
	}
}

// TestGenerateSource runs the generator on the npm packages, if installed:
// the output must be deterministic and every border shared.
func TestGenerateSource(t *testing.T) {
	modules := "node_modules"
	if _, err := os.Stat(filepath.Join(modules, svgPkg)); err != nil {
		t.Skip("npm packages not installed (npm ci in tools/geogen)")
	}
	if testing.Short() {
		t.Skip("short")
	}
	first, err := generate(modules)
	if err != nil {
		t.Fatal(err)
	}
	second, err := generate(modules)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("output is not deterministic")
	}
	committed, err := os.ReadFile(filepath.Join("..", "..", "internal", "geo", "france.txt"))
	if err == nil && !bytes.Equal(first, committed) {
		t.Error("internal/geo/france.txt is not what the generator writes: run go generate ./internal/geo/")
	}
	outlines, _, err := readOutlines(filepath.Join(modules, svgPkg, "france.departments.svg"))
	if err != nil {
		t.Fatal(err)
	}
	topo, err := buildTopology(outlines, defaultParams.snap, defaultParams.maxGap)
	if err != nil {
		t.Fatal(err)
	}
	if topo.stats.sharedEdges < 3*topo.stats.outerEdges {
		t.Errorf("%d shared edges, %d outer ones: borders not matched", topo.stats.sharedEdges, topo.stats.outerEdges)
	}
	if !strings.Contains(string(first), "Visvalingam") {
		t.Error("the header does not describe the simplification")
	}
}

package chart

import (
	"fmt"
	"strings"
	"testing"
)

func TestBars(t *testing.T) {
	long := "Logement, urbanisme et aménagement durable des quartiers prioritaires de la ville"
	points := []Point{{"Mobilité", 12345}, {long, 870}, {"Santé", 0}, {"Écoles", 42.5}}
	svg := Bars(Options{ID: "themes", Title: "Contributions par thème", Locale: "fr"}, points)
	root, title, desc := checkFigure(t, svg, "themes")
	if title != "Contributions par thème" {
		t.Errorf("title = %q", title)
	}
	if want := "Mobilité\u00a0: 12\u202f345\u00a0; " + long + "\u00a0: 870\u00a0; Santé\u00a0: 0\u00a0; Écoles\u00a0: 42,5"; desc != want {
		t.Errorf("automatic desc = %q, want %q", desc, want)
	}

	rects := root.all(named("rect"))
	if len(rects) != len(points) {
		t.Fatalf("%d <rect>, want one per bar (%d)", len(rects), len(points))
	}
	bars := root.all(func(n *node) bool { return n.name == "g" && n.title() != "" })
	if len(bars) != len(points) {
		t.Fatalf("%d bar groups with a title, want %d", len(bars), len(points))
	}
	prevY := -1.0
	for i, g := range bars {
		p := points[i]
		if !strings.HasPrefix(g.title(), p.Label+"\u00a0: ") {
			t.Errorf("bar %d: title %q should start with the full label", i, g.title())
		}
		r := g.all(named("rect"))[0]
		texts := g.all(named("text"))
		if len(texts) != 2 {
			t.Fatalf("bar %d: %d texts, want label and value", i, len(texts))
		}
		label, value := texts[0], texts[1]
		if p.Label == long {
			if !strings.HasSuffix(label.text, "…") || len(label.text) >= len(long) {
				t.Errorf("long label drawn as %q, want it shortened with an ellipsis", label.text)
			}
		} else if label.text != p.Label {
			t.Errorf("bar %d: label %q", i, label.text)
		}
		if end := r.float(t, "x") + r.float(t, "width"); value.float(t, "x") <= end {
			t.Errorf("bar %d: value at x=%v, before the bar's end %v", i, value.float(t, "x"), end)
		}
		if label.float(t, "x") > r.float(t, "x") || label.attrs["text-anchor"] != "end" {
			t.Errorf("bar %d: label should end left of the bar", i)
		}
		if y := r.float(t, "y"); y <= prevY {
			t.Errorf("bar %d above the previous one", i)
		} else {
			prevY = y
		}
	}
	if w0, w3 := rects[0].float(t, "width"), rects[3].float(t, "width"); w3 >= w0 || w0 == 0 {
		t.Errorf("widths %v and %v do not follow 12345 and 42.5", w0, w3)
	}
	if w := rects[2].float(t, "width"); w != 0 {
		t.Errorf("bar of 0 has width %v", w)
	}
	if got := bars[0].all(named("text"))[1].text; got != "12\u202f345" {
		t.Errorf("value = %q, want French grouping", got)
	}
}

func TestBarsHeightGrows(t *testing.T) {
	height := func(n int) string {
		points := make([]Point, n)
		for i := range points {
			points[i] = Point{fmt.Sprint("p", i), float64(i)}
		}
		root := parseSVG(t, Bars(Options{Height: 50}, points))
		return root.attrs["viewBox"]
	}
	if a, b := height(1), height(10); a != "0 0 640 42" || b != "0 0 640 312" {
		t.Errorf("viewBox for 1 and 10 bars: %q, %q", a, b)
	}
}

func TestBarsOnePointAllZero(t *testing.T) {
	root, _, _ := checkFigure(t, Bars(Options{ID: "z", Locale: "en"}, []Point{{"a", 0}, {"b", 0}}), "z")
	for _, r := range root.all(named("rect")) {
		if r.attrs["width"] != "0" {
			t.Errorf("width %q, want 0", r.attrs["width"])
		}
	}
	root, _, _ = checkFigure(t, Bars(Options{ID: "o", Width: 300}, []Point{{"only", 5}}), "o")
	if n := len(root.all(named("rect"))); n != 1 {
		t.Errorf("%d rect", n)
	}
	if root.attrs["viewBox"] != "0 0 300 42" {
		t.Errorf("viewBox %q", root.attrs["viewBox"])
	}
}

func BenchmarkBars(b *testing.B) {
	points := make([]Point, 20)
	for i := range points {
		points[i] = Point{fmt.Sprintf("Thème numéro %d de la consultation", i), float64(i * 137)}
	}
	opt := Options{ID: "b", Title: "Contributions par thème", Locale: "fr"}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(Bars(opt, points))
	}
	b.ReportMetric(float64(n), "bytes/chart")
}

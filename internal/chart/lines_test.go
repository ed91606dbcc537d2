package chart

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// days returns n points labelled by day from 1 January 2026, with values
// from f.
func days(n int, f func(i int) float64) []Point {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	points := make([]Point, n)
	for i := range points {
		points[i] = Point{start.AddDate(0, 0, i).Format("2 Jan"), f(i)}
	}
	return points
}

// xLabels and yLabels return the texts of the x axis (centred) and of the
// y axis (right-aligned).
func axisTexts(root *node, anchor string) []*node {
	var out []*node
	for _, g := range root.all(named("g")) {
		if g.attrs["text-anchor"] == anchor {
			out = append(out, g.all(named("text"))...)
		}
	}
	return out
}

func TestLinesManyPoints(t *testing.T) {
	for _, n := range []int{2, 7, 30, 60, 365, 400, 2000} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			series := []Series{
				{"Contributions", days(n, func(i int) float64 { return float64(i % 17) })},
				{"Votes", days(n, func(i int) float64 { return float64(i * 3 % 101) })},
			}
			root, _, _ := checkFigure(t, Lines(Options{ID: "l", Locale: "en"}, series), "l")
			xs := axisTexts(root, "middle")
			if len(xs) == 0 || len(xs) > maxXLabels || (n <= 7 && len(xs) != n) {
				t.Errorf("%d x labels for %d points", len(xs), n)
			}
			if xs[0].text != series[0].Points[0].Label {
				t.Errorf("first x label %q", xs[0].text)
			}
			for i := 1; i < len(xs); i++ {
				gap := xs[i].float(t, "x") - xs[i-1].float(t, "x")
				need := (textWidth(xs[i].text, fontSize) + textWidth(xs[i-1].text, fontSize)) / 2
				if gap < need {
					t.Errorf("x labels %q and %q overlap: %v apart, %v needed", xs[i-1].text, xs[i].text, gap, need)
				}
			}
			for _, p := range root.all(named("polyline")) {
				if got := len(strings.Fields(p.attrs["points"])); got != n {
					t.Errorf("polyline of %d points, want %d", got, n)
				}
			}
		})
	}
}

func TestLinesYTicks(t *testing.T) {
	for _, top := range []float64{0, 1, 3, 7, 42, 99, 101, 1234, 98765, 0.37} {
		series := []Series{{"s", days(10, func(i int) float64 { return top * float64(i) / 9 })}}
		root, _, _ := checkFigure(t, Lines(Options{ID: "y", Locale: "en"}, series), "y")
		ys := axisTexts(root, "end")
		if len(ys) < 2 || len(ys) > 9 {
			t.Fatalf("top %v: %d y ticks", top, len(ys))
		}
		var values []float64
		for _, y := range ys {
			v, err := strconv.ParseFloat(strings.ReplaceAll(y.text, ",", ""), 64)
			if err != nil {
				t.Fatalf("top %v: tick %q: %v", top, y.text, err)
			}
			values = append(values, v)
		}
		if values[0] != 0 {
			t.Errorf("top %v: axis starts at %v", top, values[0])
		}
		step := values[1] - values[0]
		if !isNice(step) {
			t.Errorf("top %v: step %v is not 1, 2 or 5 × 10^n (ticks %v)", top, step, values)
		}
		if last := values[len(values)-1]; last < top {
			t.Errorf("top %v: last tick %v below the data", top, last)
		}
		for i, y := range ys[1:] {
			if y.float(t, "y") >= ys[i].float(t, "y") {
				t.Errorf("top %v: ticks not going up", top)
			}
		}
	}
}

func TestLinesFrenchTicksAndUnit(t *testing.T) {
	series := []Series{{"Part", days(5, func(i int) float64 { return float64(i) * 3000 })}}
	root, _, _ := checkFigure(t, Lines(Options{ID: "f", Locale: "fr", Unit: "%"}, series), "f")
	ys := axisTexts(root, "end")
	if got := ys[len(ys)-1].text; got != "12\u202f000\u202f%" {
		t.Errorf("top tick = %q", got)
	}
	root, _, _ = checkFigure(t, Lines(Options{ID: "f", Locale: "fr", Unit: "contributions"}, series), "f")
	if got := axisTexts(root, "end")[1].text; strings.Contains(got, "contributions") {
		t.Errorf("a long unit should not be repeated on each tick: %q", got)
	}
}

func TestLinesSeriesDistinct(t *testing.T) {
	var series []Series
	for s := range 5 {
		series = append(series, Series{fmt.Sprint("Série ", s), days(20, func(i int) float64 { return float64(i * (s + 1)) })})
	}
	series[3].Name = "Participants inscrits au débat public national sur l'eau"
	root, _, desc := checkFigure(t, Lines(Options{ID: "d", Locale: "fr"}, series), "d")
	if !strings.Contains(desc, "Série 0\u00a0: 0 (1 Jan) → 19 (20 Jan)") {
		t.Errorf("automatic desc = %q", desc)
	}
	lines := root.all(named("polyline"))
	if len(lines) != 5 {
		t.Fatalf("%d polylines", len(lines))
	}
	strokes, dashes := map[string]bool{}, map[string]bool{}
	for _, l := range lines {
		strokes[l.attrs["stroke"]] = true
		dashes[l.attrs["stroke-dasharray"]] = true
	}
	if len(strokes) != 5 || len(dashes) != 5 {
		t.Errorf("%d colours and %d dash patterns for 5 series", len(strokes), len(dashes))
	}
	legend := root.all(func(n *node) bool { return n.attrs["class"] == "chart-legend" })
	if len(legend) != 1 {
		t.Fatal("no legend")
	}
	texts := legend[0].all(named("text"))
	if len(texts) != 5 {
		t.Fatalf("%d legend entries", len(texts))
	}
	if long := texts[3]; !strings.HasSuffix(long.text, "…") || long.title() != series[3].Name {
		t.Errorf("long name shown %q with title %q", long.text, long.title())
	}
	// Each series is a group named by its <title>, with its line and markers.
	for i, s := range series {
		g := root.all(func(n *node) bool { return n.name == "g" && n.title() == s.Name })
		if len(g) != 1 || len(g[0].all(named("polyline"))) != 1 || len(g[0].all(named("path"))) != 1 {
			t.Errorf("series %d: want a <g> titled %q with a polyline and a path of markers", i, s.Name)
		}
	}
}

func TestLinesOnePoint(t *testing.T) {
	root, _, _ := checkFigure(t, Lines(Options{ID: "o", Empty: "none"}, []Series{{"", []Point{{"Lundi", 4}}}}), "o")
	if len(root.all(named("polyline"))) != 0 {
		t.Error("a polyline for one point")
	}
	markers := root.all(func(n *node) bool { return n.name == "path" && n.attrs["stroke"] == "#fff" })
	if len(markers) != 1 || !strings.HasPrefix(markers[0].attrs["d"], "M") {
		t.Errorf("want one marker, got %d", len(markers))
	}
	if len(root.all(func(n *node) bool { return n.attrs["class"] == "chart-legend" })) != 0 {
		t.Error("legend without names")
	}
	if xs := axisTexts(root, "middle"); len(xs) != 1 || xs[0].text != "Lundi" {
		t.Errorf("x labels %v", xs)
	}
}

func TestLinesUnevenSeries(t *testing.T) {
	series := []Series{
		{"short", days(3, func(int) float64 { return 1 })},
		{"long", days(10, func(int) float64 { return 2 })},
		{"none", nil},
	}
	root, _, _ := checkFigure(t, Lines(Options{ID: "u"}, series), "u")
	xs := axisTexts(root, "middle")
	if xs[len(xs)-1].text != "10 Jan" {
		t.Errorf("last x label %q: labels should come from the longest series", xs[len(xs)-1].text)
	}
}

func BenchmarkLines(b *testing.B) {
	var series []Series
	for s := range 3 {
		series = append(series, Series{fmt.Sprint("Série ", s), days(365, func(i int) float64 { return float64((i * (s + 7)) % 211) })})
	}
	opt := Options{ID: "l", Title: "Activité", Locale: "fr"}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(Lines(opt, series))
	}
	b.ReportMetric(float64(n), "bytes/chart")
}

package chart

import (
	"encoding/xml"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// node is an element of a chart's SVG, decoded as XML.
type node struct {
	name     string
	attrs    map[string]string
	children []*node
	text     string // character data directly inside
}

// parseSVG decodes a chart strictly as XML, fails the test if it is not
// well-formed, and returns its root.
func parseSVG(t testing.TB, svg template.HTML) *node {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(svg)))
	dec.Strict = true
	root := &node{}
	stack := []*node{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		top := stack[len(stack)-1]
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.CharData:
			top.text += string(tok)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if len(root.children) != 1 || root.children[0].name != "svg" {
		t.Fatalf("want one <svg> root, got %+v", root.children)
	}
	return root.children[0]
}

// all returns the elements under n (n included) for which keep is true,
// in document order.
func (n *node) all(keep func(*node) bool) []*node {
	var out []*node
	if keep(n) {
		out = append(out, n)
	}
	for _, c := range n.children {
		out = append(out, c.all(keep)...)
	}
	return out
}

func named(name string) func(*node) bool { return func(n *node) bool { return n.name == name } }

// title returns the text of n's <title> child, if any.
func (n *node) title() string {
	for _, c := range n.children {
		if c.name == "title" {
			return c.text
		}
	}
	return ""
}

func (n *node) float(t testing.TB, attr string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attrs[attr], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.name, attr, n.attrs[attr], err)
	}
	return v
}

// checkFigure checks what every chart must be: well-formed, an image
// labelled by its title and desc, without script or style, with finite
// coordinates. It returns the root and the text of title and desc.
func checkFigure(t testing.TB, svg template.HTML, id string) (root *node, title, desc string) {
	t.Helper()
	s := string(svg)
	for _, bad := range []string{"<script", "<style", "style=", "NaN", "Inf"} {
		if strings.Contains(strings.ToLower(s), strings.ToLower(bad)) {
			t.Errorf("output contains %q:\n%s", bad, s)
		}
	}
	root = parseSVG(t, svg)
	if root.attrs["role"] != "img" {
		t.Errorf("role = %q, want img", root.attrs["role"])
	}
	if got, want := root.attrs["aria-labelledby"], id+"-title "+id+"-desc"; got != want {
		t.Errorf("aria-labelledby = %q, want %q", got, want)
	}
	if len(root.children) < 2 || root.children[0].name != "title" || root.children[1].name != "desc" {
		t.Fatalf("the first children of <svg> must be <title> and <desc>")
	}
	if root.children[0].attrs["id"] != id+"-title" || root.children[1].attrs["id"] != id+"-desc" {
		t.Errorf("ids of title and desc: %q, %q", root.children[0].attrs["id"], root.children[1].attrs["id"])
	}
	if !strings.HasPrefix(root.attrs["viewBox"], "0 0 ") {
		t.Errorf("viewBox = %q", root.attrs["viewBox"])
	}
	for _, n := range root.all(func(*node) bool { return true }) {
		if n.name == "style" || n.name == "script" || n.name == "foreignObject" {
			t.Errorf("element <%s>", n.name)
		}
		if _, ok := n.attrs["style"]; ok {
			t.Errorf("style attribute on <%s>", n.name)
		}
	}
	return root, root.children[0].text, root.children[1].text
}

const nasty = `<script>alert("x")</script> & 'co' "quoted"`

func TestEscaping(t *testing.T) {
	opt := Options{ID: `x" onload="alert(1)`, Title: nasty, Desc: nasty, Unit: "<u>", Locale: "en"}
	wantID := "x--onload--alert-1-"
	bars := Bars(opt, []Point{{Label: nasty, Value: 3}, {Label: "ok", Value: 1}})
	root, title, desc := checkFigure(t, bars, wantID)
	if title != nasty || desc != nasty {
		t.Errorf("title %q, desc %q: want %q", title, desc, nasty)
	}
	if got := root.all(named("g"))[0].title(); got != nasty+": 3\u00a0<u>" {
		t.Errorf("bar title = %q", got)
	}
	lines := Lines(opt, []Series{{Name: nasty, Points: []Point{{nasty, 1}, {"b", 2}}}})
	root, _, _ = checkFigure(t, lines, wantID)
	shortened := 0
	for _, n := range root.all(named("text")) {
		if strings.HasPrefix(n.text, `<script>alert("`) && strings.HasSuffix(n.text, "…") && n.title() == nasty {
			shortened++
		}
	}
	if shortened != 2 {
		t.Errorf("the legend and the x label should show the name shortened, titled in full: %d found", shortened)
	}
	auto := Lines(Options{ID: "a"}, []Series{{Name: nasty, Points: []Point{{nasty, 1}}}})
	if _, _, desc := checkFigure(t, auto, "a"); !strings.Contains(desc, nasty) {
		t.Errorf("automatic desc %q should hold the name and label", desc)
	}
}

func TestControlCharactersAndInvalidUTF8(t *testing.T) {
	label := "a\x00b\x1bc\xff\xfed"
	checkFigure(t, Bars(Options{ID: "c", Title: label}, []Point{{label, 1}}), "c")
	checkFigure(t, Lines(Options{ID: "c", Title: label}, []Series{{label, []Point{{label, 1}}}}), "c")
}

func TestEmpty(t *testing.T) {
	opt := Options{ID: "e", Title: "Votes", Desc: "Votes per day.", Empty: "No data"}
	for name, svg := range map[string]template.HTML{
		"bars nil":          Bars(opt, nil),
		"lines nil":         Lines(opt, nil),
		"lines no points":   Lines(opt, []Series{{Name: "a"}, {Name: "b"}}),
		"lines empty slice": Lines(opt, []Series{}),
	} {
		t.Run(name, func(t *testing.T) {
			root, title, desc := checkFigure(t, svg, "e")
			if title != "Votes" || desc != "Votes per day. No data" {
				t.Errorf("title %q, desc %q", title, desc)
			}
			if n := len(root.all(named("rect"))); n != 0 {
				t.Errorf("%d <rect> in an empty chart", n)
			}
			texts := root.all(named("text"))
			if len(texts) != 1 || texts[0].text != "No data" {
				t.Errorf("want the Empty text shown once, got %d texts", len(texts))
			}
		})
	}
	// Without an Empty text, the frame alone.
	root, _, desc := checkFigure(t, Bars(Options{}, nil), "chart")
	if desc != "" || len(root.all(named("text"))) != 0 {
		t.Errorf("desc %q; texts %d", desc, len(root.all(named("text"))))
	}
}

func TestBadValues(t *testing.T) {
	values := []float64{math.NaN(), math.Inf(1), math.Inf(-1), -5, 0, 1e308, math.MaxFloat64, 3}
	var points []Point
	for i, v := range values {
		points = append(points, Point{Label: strconv.Itoa(i), Value: v})
	}
	root, _, _ := checkFigure(t, Bars(Options{ID: "v"}, points), "v")
	rects := root.all(named("rect"))
	for i, r := range rects {
		w := r.float(t, "width")
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 || w > 640 {
			t.Errorf("bar %d: width %v", i, w)
		}
		if values[i] < 0 || math.IsNaN(values[i]) || math.IsInf(values[i], 0) {
			if w != 0 {
				t.Errorf("bar %d (value %v): width %v, want 0", i, values[i], w)
			}
		}
	}
	root, _, _ = checkFigure(t, Lines(Options{ID: "v"}, []Series{{"s", points}}), "v")
	for _, p := range root.all(named("polyline")) {
		for _, xy := range strings.Fields(p.attrs["points"]) {
			x, y, _ := strings.Cut(xy, ",")
			for _, s := range []string{x, y} {
				if _, err := strconv.ParseFloat(s, 64); err != nil {
					t.Errorf("point %q: %v", xy, err)
				}
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	points := []Point{{"a", 1}, {"b", 2.5}, {"c", 0}}
	series := []Series{{"x", points}, {"y", points}}
	if Bars(Options{}, points) != Bars(Options{}, points) || Lines(Options{}, series) != Lines(Options{}, series) {
		t.Error("two calls gave different output")
	}
}

func TestFormatNumber(t *testing.T) {
	const nnbsp = "\u202f"
	tests := []struct {
		v        float64
		decimals int
		fr, en   string
	}{
		{0, 0, "0", "0"},
		{7, 0, "7", "7"},
		{999, 0, "999", "999"},
		{1000, 0, "1" + nnbsp + "000", "1,000"},
		{12345, 0, "12" + nnbsp + "345", "12,345"},
		{1234567.25, 2, "1" + nnbsp + "234" + nnbsp + "567,25", "1,234,567.25"},
		{0.5, 1, "0,5", "0.5"},
		{-1234, 0, "-1" + nnbsp + "234", "-1,234"},
		{1.5e18, 0, "1,5e18", "1.5e18"},
		{2e299, 0, "2e299", "2e299"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.v, tt.decimals, true); got != tt.fr {
			t.Errorf("fr %v: %q, want %q", tt.v, got, tt.fr)
		}
		if got := formatNumber(tt.v, tt.decimals, false); got != tt.en {
			t.Errorf("en %v: %q, want %q", tt.v, got, tt.en)
		}
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		locale, unit string
		v            float64
		want         string
	}{
		{"fr", "", 12345, "12\u202f345"},
		{"", "", 42.5, "42,5"},
		{"en", "", 42.5, "42.5"},
		{"en", "", 0.25, "0.25"},
		{"en", "", 12.04, "12"},
		{"en", "", 1234.56, "1,234.6"},
		{"fr", "%", 12, "12\u202f%"},
		{"en", "%", 12, "12%"},
		{"en", "km", 3, "3\u00a0km"},
		{"en-GB", "", 1000, "1,000"},
	}
	for _, tt := range tests {
		c := newChart(Options{Locale: tt.locale, Unit: tt.unit}, "test")
		if got := c.formatValue(tt.v); got != tt.want {
			t.Errorf("%s %q %v: %q, want %q", tt.locale, tt.unit, tt.v, got, tt.want)
		}
	}
}

// isNice reports whether step is 1, 2 or 5 × 10^n.
func isNice(step float64) bool {
	e := math.Floor(math.Log10(step) + 1e-9)
	m := step / math.Pow(10, e)
	for _, n := range []float64{1, 2, 5} {
		if math.Abs(m-n) < 1e-6 {
			return true
		}
	}
	return false
}

func TestTicks(t *testing.T) {
	tops := []float64{0, 1e-6, 0.07, 0.3, 1, 3, 7, 9.5, 10, 11, 42, 99, 100, 101, 365, 999, 1000, 12345, 987654, 1e15, 1e300}
	for _, top := range tops {
		for maxIntervals := 1; maxIntervals <= 8; maxIntervals++ {
			for _, integer := range []bool{false, true} {
				step, end := ticks(top, maxIntervals, integer)
				if !isNice(step) {
					t.Errorf("ticks(%v, %d): step %v is not 1, 2 or 5 × 10^n", top, maxIntervals, step)
				}
				if end < top || math.IsInf(end, 0) {
					t.Errorf("ticks(%v, %d): end %v below top", top, maxIntervals, end)
				}
				n := math.Round(end / step)
				if math.Abs(n*step-end) > end*1e-9 {
					t.Errorf("ticks(%v, %d): end %v is not a multiple of %v", top, maxIntervals, end, step)
				}
				if integer && step < 1 {
					t.Errorf("ticks(%v, %d, integer): step %v", top, maxIntervals, step)
				}
				if !integer && top > 0 && int(n) > maxIntervals {
					t.Errorf("ticks(%v, %d): %v intervals", top, maxIntervals, n)
				}
			}
		}
	}
	if step, end := ticks(42, 5, true); step != 10 || end != 50 {
		t.Errorf("ticks(42, 5) = %v, %v; want 10, 50", step, end)
	}
}

func TestCleanID(t *testing.T) {
	for in, want := range map[string]string{"": "chart", "votes-2024_a": "votes-2024_a", "a b\"<é": "a-b----"} {
		if got := cleanID(in); got != want {
			t.Errorf("cleanID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("é", 100)
	got := truncateChars(long, 10)
	if got != strings.Repeat("é", 9)+"…" {
		t.Errorf("truncateChars = %q", got)
	}
	if got := truncateChars("short", 10); got != "short" {
		t.Errorf("truncateChars(short) = %q", got)
	}
	if got := truncateChars("word and more words", 10); got != "word and…" {
		t.Errorf("truncateChars = %q, want the trailing space dropped", got)
	}
}

// contrast returns the WCAG contrast ratio of colour "#rrggbb" on white.
func contrast(t *testing.T, hex string) float64 {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil || len(hex) != 7 {
		t.Fatalf("colour %q", hex)
	}
	lum := 0.0
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		c := float64(v>>(16-8*i)&0xff) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		lum += w * c
	}
	return 1.05 / (lum + 0.05)
}

func TestContrast(t *testing.T) {
	// Text and the lines of series (whose legend is text-sized) need 4.5:1
	// on the white page; bars 3:1.
	for _, c := range []string{ink, muted, accent} {
		if r := contrast(t, c); r < 4.5 {
			t.Errorf("%s: contrast %.2f:1", c, r)
		}
	}
	seen := map[string]bool{}
	for _, st := range styles {
		if r := contrast(t, st.color); r < 4.5 {
			t.Errorf("series colour %s: contrast %.2f:1", st.color, r)
		}
		if seen[st.color] || seen[st.dash] || seen[strconv.Itoa(int(st.marker))] {
			t.Errorf("style %+v repeats a colour, dash or marker", st)
		}
		seen[st.color], seen[st.dash], seen[strconv.Itoa(int(st.marker))] = true, true, true
	}
}

func TestNum(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 0.04: "0", 0.05: ".1", 0.5: ".5", 12.34: "12.3", 640: "640", -2.5: "-2.5", -0.01: "0", 1234.96: "1235"} {
		var b strings.Builder
		num(&b, v)
		if b.String() != want {
			t.Errorf("num(%v) = %q, want %q", v, b.String(), want)
		}
	}
}

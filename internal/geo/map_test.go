package geo

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func sampleCounts() map[string]int {
	return map[string]int{
		"75": 42, "92": 9, "93": 3, "94": 1, "69": 17, "13": 12, "33": 7, "59": 5,
		"2A": 2, "2B": 1, "29": 4, "67": 6, "31": 8, "44": 3, "06": 2, "974": 3, "971": 1,
	}
}

func sampleLink(code string) string { return "/evenements?dep=" + url.QueryEscape(code) + "&vue=carte" }

func sampleLabel(code string, n int) string {
	d, _ := DepartementByCode(code)
	return fmt.Sprintf("%s (%s) : %d événements", d.Name, code, n)
}

type mapElement struct {
	name  string
	attrs map[string]string
	text  string // of a <title>
}

// walkSVG decodes the output as XML and returns every element with the
// names of its ancestors.
func walkSVG(t *testing.T, svg string) (elems []mapElement, parents [][]string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	dec.Strict = true
	var stack []mapElement
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := mapElement{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			stack = append(stack, e)
			text.Reset()
		case xml.CharData:
			text.Write(tok)
		case xml.EndElement:
			e := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if e.name == "title" {
				e.text = text.String()
			}
			var ps []string
			for _, p := range stack {
				ps = append(ps, p.name)
			}
			elems = append(elems, e)
			parents = append(parents, ps)
		}
	}
	if len(stack) != 0 {
		t.Fatal("unclosed elements")
	}
	return elems, parents
}

func TestMapSVG(t *testing.T) {
	out := string(MapSVG(sampleCounts(), sampleLink, sampleLabel, "Ateliers relais par département"))
	if !strings.HasPrefix(out, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 613 585" role="group"`) || !strings.HasSuffix(out, "</svg>") {
		t.Errorf("not a single <svg>: %.200s … %s", out, out[len(out)-50:])
	}
	for _, bad := range []string{"<script", "style=", "<style", "javascript:", "<foreignObject"} {
		if strings.Contains(strings.ToLower(out), strings.ToLower(bad)) {
			t.Errorf("output contains %q", bad)
		}
	}
	if m := regexp.MustCompile(`(?i)\son[a-z]+=`).FindString(out); m != "" {
		t.Errorf("output has an event handler attribute %q", m)
	}
	elems, parents := walkSVG(t, out)
	paths, uses := 0, 0
	var titles []string
	hrefs := map[string]int{}
	for i, e := range elems {
		inA := len(parents[i]) > 0 && parents[i][len(parents[i])-1] == "a"
		switch e.name {
		case "path":
			paths++
			if !inA {
				t.Errorf("path %s is not in an <a>", e.attrs["id"])
			}
			if e.attrs["d"] == "" {
				t.Errorf("path %s has no data", e.attrs["id"])
			}
		case "use":
			uses++
			if !inA {
				t.Errorf("use %s is not in an <a>", e.attrs["href"])
			}
		case "a":
			hrefs[e.attrs["href"]]++
			if !strings.HasPrefix(e.attrs["fill"], "#") {
				t.Errorf("a %s has no fill", e.attrs["href"])
			}
		case "title":
			titles = append(titles, e.text)
		}
	}
	if paths != 96 {
		t.Errorf("%d paths, want 96", paths)
	}
	if uses != 4 {
		t.Errorf("%d uses (inset), want 4", uses)
	}
	if len(hrefs) != 96 || hrefs["/evenements?dep=75&vue=carte"] != 2 || hrefs["/evenements?dep=2A&vue=carte"] != 1 {
		t.Errorf("hrefs: %d distinct; 75: %d", len(hrefs), hrefs["/evenements?dep=75&vue=carte"])
	}
	if len(titles) != 1+96+4 || titles[len(titles)-1] == "" {
		t.Errorf("%d titles", len(titles))
	}
	if elems[len(elems)-1].name != "svg" || !slices.Contains(titles, "Ateliers relais par département") {
		t.Error("the map's title is missing")
	}
	for _, want := range []string{"Paris (75) : 42 événements", "Corse-du-Sud (2A) : 2 événements", "Ain (01) : 0 événements"} {
		if !slices.Contains(titles, want) {
			t.Errorf("no title %q", want)
		}
	}
	for _, overseas := range []string{"971", "972", "974", "976"} {
		if strings.Contains(out, "dep="+overseas) {
			t.Errorf("overseas %s is drawn", overseas)
		}
	}
	// Fills follow the scale.
	sc := NewMapScale(sampleCounts())
	if !strings.Contains(out, `<a href="/evenements?dep=75&amp;vue=carte" fill="`+sc.Fill(42)+`">`) {
		t.Error("Paris is not in the top class")
	}
	if !strings.Contains(out, `<a href="/evenements?dep=01&amp;vue=carte" fill="`+mapFills[0]+`">`) {
		t.Error("Ain is not in class 0")
	}
	// Only the départements of the inset have an id, for its <use>.
	ids := regexp.MustCompile(` id="([^"]*)"`).FindAllStringSubmatch(out, -1)
	if len(ids) != len(insetCodes) {
		t.Errorf("%d ids, want %d", len(ids), len(insetCodes))
	}
	for _, code := range insetCodes {
		if !strings.Contains(out, `<path id="geo-dep-`+code+`" d="`) || !strings.Contains(out, `<use href="#geo-dep-`+code+`"/>`) {
			t.Errorf("inset: no path or use for %s", code)
		}
	}
	if MapSVG(sampleCounts(), sampleLink, sampleLabel, "Ateliers relais par département") != template.HTML(out) {
		t.Error("output is not deterministic")
	}
	// The legend.
	for _, e := range sc.Legend() {
		if !strings.Contains(out, ">"+e.Label+"</text>") {
			t.Errorf("legend lacks %q", e.Label)
		}
	}
}

// TestMapSVGSize checks the map against Ouvert's page budget (a page and
// its stylesheet under 60 KB before compression; the events page embeds the
// map inline): with a link and a label for each of the 96 départements, as
// the events page gives them, it must stay under 32,000 bytes.
func TestMapSVGSize(t *testing.T) {
	counts := map[string]int{}
	for i, d := range Departements() {
		counts[d.Code] = 1 + i*7%120 // every class, labels in the plural
	}
	link := func(code string) string {
		return "/evenements?" + url.Values{"departement": {code}}.Encode() + "#liste"
	}
	label := func(code string, n int) string {
		d, _ := DepartementByCode(code)
		return fmt.Sprintf("%s (%s) : %d événements", d.Name, code, n)
	}
	out := MapSVG(counts, link, label, "Événements par département")
	if n := strings.Count(string(out), "<title>"); n != 1+96+len(insetCodes) {
		t.Fatalf("%d titles", n)
	}
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	w.Write([]byte(out))
	w.Close()
	t.Logf("map: %d bytes, %d gzip'd; path data %d bytes", len(out), z.Len(), load().pathBytes)
	if len(out) >= 32000 {
		t.Errorf("map is %d bytes, want < 32,000", len(out))
	}
}

func TestMapSVGEscapes(t *testing.T) {
	evil := `<&">'`
	out := string(MapSVG(map[string]int{"01": 1},
		func(code string) string { return "/e?d=" + code + `&x="><script>` },
		func(code string, n int) string { return code + " " + evil + "\x00\xff" },
		"Titre "+evil))
	if strings.Contains(out, "<script") || strings.Contains(out, evil) {
		t.Fatal("unescaped output")
	}
	if !strings.Contains(out, "<title>Titre &lt;&amp;&#34;&gt;&#39;</title>") {
		t.Error("title not escaped as expected")
	}
	if !strings.Contains(out, `href="/e?d=01&amp;x=&#34;&gt;&lt;script&gt;"`) {
		t.Error("href not escaped as expected")
	}
	elems, _ := walkSVG(t, out)
	found := false
	for _, e := range elems {
		if e.name == "title" && e.text == "01 "+evil+"\uFFFD" {
			found = true
		}
		if !utf8.ValidString(e.text) {
			t.Errorf("invalid UTF-8 in %q", e.text)
		}
	}
	if !found {
		t.Error("label does not round-trip")
	}
	if !utf8.ValidString(out) {
		t.Error("output is not UTF-8")
	}
}

func TestMapSVGUnsafeLinks(t *testing.T) {
	for link, want := range map[string]string{
		"javascript:alert(1)":     "#",
		"JavaScript:alert(1)":     "#",
		" javascript:alert(1)":    "#",
		"\tjavascript:alert(1)":   "#",
		"data:text/html,x":        "#",
		"vbscript:x":              "#",
		"https://example.org/a?b": "https://example.org/a?b",
		"http://example.org/":     "http://example.org/",
		"mailto:a@example.org":    "mailto:a@example.org",
		"/evenements?dep=01":      "/evenements?dep=01",
		"?dep=01":                 "?dep=01",
		"#dep-01":                 "#dep-01",
		"evenements/01":           "evenements/01",
		"/a:b":                    "/a:b",
		"":                        "",
	} {
		if got := safeURL(link); got != want {
			t.Errorf("safeURL(%q) = %q, want %q", link, got, want)
		}
	}
	out := string(MapSVG(nil, func(string) string { return "javascript:alert(1)" }, nil, "t"))
	if strings.Contains(out, "javascript") || strings.Count(out, `<a href="#"`) != 100 {
		t.Error("javascript: link not neutralised")
	}
}

func TestMapSVGNilFuncs(t *testing.T) {
	out := string(MapSVG(nil, nil, nil, "Carte"))
	elems, _ := walkSVG(t, out)
	for _, e := range elems {
		if e.name == "a" {
			t.Fatal("an <a> without link func")
		}
	}
	if !strings.Contains(out, "<title>Ain (01) : 0</title>") || !strings.Contains(out, "<title>Côtes-d&#39;Armor (22) : 0</title>") {
		t.Error("default labels missing")
	}
	if strings.Count(out, `fill="`+mapFills[0]+`"`) != 96+4+1 { // départements, inset, legend
		t.Error("empty counts are not all grey")
	}
}

func TestMapSVGIgnoresBadCounts(t *testing.T) {
	// Negative counts are 0; unknown codes and overseas ones are not drawn;
	// overseas counts still set the scale.
	out := string(MapSVG(map[string]int{"01": -5, "xx": 1000, "974": 100}, nil, nil, "t"))
	if !strings.Contains(out, "<title>Ain (01) : 0</title>") {
		t.Error("negative count not shown as 0")
	}
	if got := NewMapScale(map[string]int{"xx": 1000, "974": 100}).Legend(); got[len(got)-1].Label != "40+" {
		t.Errorf("scale: %v", got)
	}
}

func TestMapScale(t *testing.T) {
	labels := func(max int) string {
		var ls []string
		for _, e := range scaleFor(max).Legend() {
			ls = append(ls, e.Label)
		}
		return strings.Join(ls, " ")
	}
	for max, want := range map[int]string{
		0:    "0 1 2 3 4 5+",
		1:    "0 1 2 3 4 5+",
		5:    "0 1 2 3 4 5+",
		10:   "0 1 2 3 4–5 6+",
		42:   "0 1 2–3 4–9 10–19 20+",
		100:  "0 1–2 3–5 6–14 15–39 40+",
		1000: "0 1–3 4–14 15–59 60–249 250+",
	} {
		if got := labels(max); got != want {
			t.Errorf("scale for max %d: %q, want %q", max, got, want)
		}
	}
	if MapClasses < 5 {
		t.Errorf("%d classes", MapClasses)
	}
	for max := 0; max <= 1500; max++ {
		s := scaleFor(max)
		prev := -1
		for n := 0; n <= max; n++ {
			c := s.Class(n)
			if c < prev || c < 0 || c >= MapClasses {
				t.Fatalf("max %d: class(%d) = %d after %d", max, n, c, prev)
			}
			prev = c
		}
		if s.Class(0) != 0 || s.Class(1) != 1 || (max >= 5 && s.Class(max) != MapClasses-1) {
			t.Fatalf("max %d: classes %d %d %d", max, s.Class(0), s.Class(1), s.Class(max))
		}
	}
}

// TestMapContrast checks the border against every fill (WCAG non-text
// contrast, 3:1), and the legend's text against the page.
func TestMapContrast(t *testing.T) {
	for i, f := range mapFills {
		if r := contrast(mapStroke, f); r < 3 {
			t.Errorf("border %s on class %d %s: contrast %.2f < 3", mapStroke, i, f, r)
		}
		if i > 0 && relLum(f) >= relLum(mapFills[i-1]) {
			t.Errorf("class %d is not darker than class %d", i, i-1)
		}
	}
	if r := contrast(mapInk, "#ffffff"); r < 4.5 {
		t.Errorf("legend text contrast %.2f", r)
	}
}

func relLum(hex string) float64 {
	var r, g, b int
	fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b)
	lin := func(c int) float64 {
		v := float64(c) / 255
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b string) float64 {
	la, lb := relLum(a), relLum(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func TestShapes(t *testing.T) {
	d := load()
	if len(d.shapes) != 96 {
		t.Fatalf("%d shapes", len(d.shapes))
	}
	for _, dep := range Departements() {
		_, ok := slices.BinarySearchFunc(d.shapes, dep.Code, func(s shape, c string) int { return strings.Compare(s.code, c) })
		if ok == dep.Overseas {
			t.Errorf("%s: shape %v, overseas %v", dep.Code, ok, dep.Overseas)
		}
	}
	for _, s := range d.shapes {
		if s.bbox[0] < 0 || s.bbox[1] < 0 || s.bbox[2] > 613 || s.bbox[3] > 585 || s.bbox[0] >= s.bbox[2] || s.bbox[1] >= s.bbox[3] {
			t.Errorf("%s: bounding box %v", s.code, s.bbox)
		}
	}
}

// TestShapesShareBorders decodes the embedded outlines and checks that the
// simplification kept the map's topology: every segment is drawn by one
// département (coast, national border) or by exactly two, in opposite
// directions (a shared border, identical on both sides), never twice the
// same way, so there can be no gap or overlap between neighbours.
func TestShapesShareBorders(t *testing.T) {
	type point struct{ x, y int }
	type seg struct{ a, b point }
	owners := map[seg][]string{}
	for _, sh := range load().shapes {
		rings, err := decodePath(sh.d)
		if err != nil {
			t.Fatalf("%s: %v", sh.code, err)
		}
		for _, r := range rings {
			if len(r) < 3 {
				t.Errorf("%s: ring of %d points", sh.code, len(r))
			}
			for i, p := range r {
				q := r[(i+1)%len(r)]
				if p == q {
					t.Errorf("%s: zero-length segment at %v", sh.code, p)
				}
				s := seg{point{p[0], p[1]}, point{q[0], q[1]}}
				owners[s] = append(owners[s], sh.code)
			}
		}
	}
	shared, outer := 0, 0
	sharing := map[string]int{} // département -> segments it shares
	for s, o := range owners {
		back := owners[seg{s.b, s.a}]
		switch {
		case len(o) > 1:
			t.Errorf("segment %v drawn %d times the same way: %v", s, len(o), o)
		case len(back) == 1 && back[0] == o[0]:
			t.Errorf("segment %v drawn both ways by %s", s, o[0])
		case len(back) == 1:
			shared++
			sharing[o[0]]++
		default:
			outer++
		}
	}
	shared /= 2
	t.Logf("%d shared segments, %d on the outline of France", shared, outer)
	// Where two départements come close, they share their border: a
	// border drawn slightly differently on its two sides would leave
	// segments of each within a unit of the other's.
	type outerSeg struct {
		seg
		code string
	}
	var outline []outerSeg
	for s, o := range owners {
		if len(owners[seg{s.b, s.a}]) == 0 {
			outline = append(outline, outerSeg{s, o[0]})
		}
	}
	for _, s := range outline {
		mx, my := float64(s.a.x+s.b.x)/2, float64(s.a.y+s.b.y)/2
		for _, u := range outline {
			if u.code == s.code {
				continue
			}
			ax, ay, dx, dy := float64(u.a.x), float64(u.a.y), float64(u.b.x-u.a.x), float64(u.b.y-u.a.y)
			k := max(0, min(1, ((mx-ax)*dx+(my-ay)*dy)/(dx*dx+dy*dy)))
			if d := math.Hypot(mx-ax-k*dx, my-ay-k*dy); d < 0.75 {
				t.Errorf("%s's segment %v runs %.2f path units from %s's %v, which it does not share", s.code, s.seg, d, u.code, u.seg)
			}
		}
	}
	// Every département has a neighbour (Corsica's two each other).
	if len(sharing) != 96 || shared < outer {
		t.Errorf("%d départements share a border; %d shared segments, %d outer", len(sharing), shared, outer)
	}
}

// decodePath reads the path data the generator writes ("m12 34l3-2 4 1z…",
// relative, integers) into rings of absolute points.
func decodePath(d string) ([][][2]int, error) {
	var rings [][][2]int
	var cur, start [2]int
	var cmd byte
	var nums []int
	flush := func() error {
		if len(nums)%2 != 0 {
			return fmt.Errorf("odd number of coordinates after %q", cmd)
		}
		for i := 0; i < len(nums); i += 2 {
			cur = [2]int{cur[0] + nums[i], cur[1] + nums[i+1]}
			if cmd == 'm' && i == 0 {
				start = cur
				rings = append(rings, nil)
			}
			rings[len(rings)-1] = append(rings[len(rings)-1], cur)
		}
		nums = nums[:0]
		return nil
	}
	for i := 0; i < len(d); {
		switch c := d[i]; {
		case c == 'm' || c == 'l' || c == 'z':
			if err := flush(); err != nil {
				return nil, err
			}
			if c != 'm' && len(rings) == 0 {
				return nil, fmt.Errorf("%q before a moveto", c)
			}
			if c == 'z' {
				cur = start
			}
			cmd = c
			i++
		case c == ' ':
			i++
		default:
			j := i + 1
			for j < len(d) && d[j] >= '0' && d[j] <= '9' {
				j++
			}
			n, err := strconv.Atoi(d[i:j])
			if err != nil {
				return nil, err
			}
			if cmd == 0 || cmd == 'z' {
				return nil, fmt.Errorf("number %d without a command", n)
			}
			nums = append(nums, n)
			i = j
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if cmd != 'z' {
		return nil, fmt.Errorf("path does not end with z")
	}
	return rings, nil
}

// TestWriteMapHTML writes a page showing a map, to look at:
//
//	GEO_MAP_HTML=/tmp/map.html go test -run WriteMapHTML ./internal/geo/
func TestWriteMapHTML(t *testing.T) {
	path := os.Getenv("GEO_MAP_HTML")
	if path == "" {
		t.Skip("GEO_MAP_HTML not set")
	}
	svg := MapSVG(sampleCounts(), sampleLink, sampleLabel, "Ateliers relais par département")
	if err := os.WriteFile(strings.TrimSuffix(path, ".html")+".svg", []byte(svg), 0o644); err != nil {
		t.Fatal(err)
	}
	page := `<!doctype html><html lang="fr"><meta charset="utf-8"><title>Carte</title>` +
		`<body style="margin:0;background:#fff"><div style="width:780px">` + string(svg) + `</div>` +
		`<p style="font:12px sans-serif;margin:4px 10px">` + Attribution + `</p></body></html>`
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkMapSVG(b *testing.B) {
	counts := sampleCounts()
	load()
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(MapSVG(counts, sampleLink, sampleLabel, "Ateliers relais par département"))
	}
	b.ReportMetric(float64(n), "bytes")
}

package geo

import (
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Colours of the map. The border is dark so that it stands out from every
// fill: its contrast ratio with the darkest fill is above 3:1 (WCAG 1.4.11),
// and far above it with the light ones. The fills are a sequential blue
// scale (ColorBrewer "Blues", in the hue of Ouvert's accent colour) after a
// neutral grey for "none".
const (
	mapStroke      = "#1a202c"
	mapStrokeWidth = 0.5 // viewBox units
	mapInk         = "#1b1b1f"
)

var mapFills = [...]string{
	"#ebebef", // 0
	"#c6dbef",
	"#9ecae1",
	"#6baed6",
	"#4292c6",
	"#2171b5",
}

// MapClasses is the number of classes of the map's scale, "0" included.
const MapClasses = len(mapFills)

// MapScale maps counts to the classes and colours of MapSVG. The classes
// above 0 have lower bounds rounded to "nice" numbers spaced roughly
// geometrically up to the largest count, so that a few places with many
// events do not flatten the rest of the map.
type MapScale struct {
	lower [MapClasses - 1]int // lower bound of classes 1..5
}

// LegendEntry is one class of a MapScale: Label is "0", "1", "3–5" or
// "40+"; Fill is its colour ("#rrggbb").
type LegendEntry struct {
	Label, Fill string
}

// NewMapScale returns the scale MapSVG uses for these counts: the one
// fitted to the largest count of a known département, overseas ones
// included, so that a table of the overseas départements can share the
// map's colours.
func NewMapScale(counts map[string]int) MapScale {
	maxN := 0
	for code, n := range counts {
		if n > maxN {
			if _, ok := DepartementByCode(code); ok {
				maxN = n
			}
		}
	}
	return scaleFor(maxN)
}

func scaleFor(maxN int) MapScale {
	var s MapScale
	s.lower[0] = 1
	k := len(s.lower)
	for i := 1; i < k; i++ {
		v := nice(math.Pow(float64(max(maxN, 1)), float64(i)/float64(k)))
		s.lower[i] = max(v, s.lower[i-1]+1)
	}
	return s
}

// nice rounds t (≥ 1) to the nearest number, on a log scale, of the series
// 1 2 3 4 5 6 8 10 15 20 25 30 40 50 60 80 100 150 ….
func nice(t float64) int {
	best, bestD := 1, math.Inf(1)
	for p := 1; p <= 1e9; p *= 10 {
		for _, m := range [...]float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8} {
			v := m * float64(p)
			if v != math.Trunc(v) {
				continue
			}
			if d := math.Abs(math.Log(v / t)); d < bestD {
				best, bestD = int(v), d
			}
		}
		if float64(p) > t {
			break
		}
	}
	return best
}

// Class returns the class of a count, 0 (nothing) to MapClasses-1.
func (s MapScale) Class(n int) int {
	c := 0
	for i, l := range s.lower {
		if n >= l {
			c = i + 1
		}
	}
	return c
}

// Fill returns the colour of a count, as "#rrggbb".
func (s MapScale) Fill(n int) string { return mapFills[s.Class(n)] }

// Legend returns the classes of the scale, from "0" up.
func (s MapScale) Legend() []LegendEntry {
	out := []LegendEntry{{Label: "0", Fill: mapFills[0]}}
	for i, l := range s.lower {
		var label string
		switch {
		case i == len(s.lower)-1:
			label = strconv.Itoa(l) + "+"
		case s.lower[i+1]-1 == l:
			label = strconv.Itoa(l)
		default:
			label = strconv.Itoa(l) + "–" + strconv.Itoa(s.lower[i+1]-1)
		}
		out = append(out, LegendEntry{Label: label, Fill: mapFills[i+1]})
	}
	return out
}

// insetCodes are drawn again, enlarged, in a box at the top left of the
// map: Paris and the petite couronne are a few pixels wide on the map of
// France.
var insetCodes = []string{"75", "92", "93", "94"}

// MapSVG draws metropolitan France by département as an inline <svg>
// element: role="group" (its links stay reachable by screen readers) with title as its <title>, then each of the 96
// départements as a <path> inside an <a href=link(code)> whose <title> is
// label(code, n), filled according to counts (keyed by département code) on
// the sequential scale of NewMapScale(counts). A legend of the classes
// (numbers only, so language-neutral) sits at the bottom left, and an
// enlarged inset of Paris and the petite couronne (75, 92, 93, 94) at the
// top left, its départements linked too (the <path> of these is reused by
// <use href="#geo-dep-75"> etc.; two maps on one page thus share these ids,
// which is harmless as the shapes are the same).
//
// The overseas départements are not drawn: list them next to the map, e.g.
// with NewMapScale(counts).Fill for their colour.
//
// A nil link leaves the départements unlinked (a <g> instead of an <a>); a
// nil label gives "Name (code) : n". Links whose scheme is not http, https
// or mailto are replaced by "#". Everything is escaped, and the output has
// no script, no style attribute and no style element, so it passes a strict
// Content-Security-Policy. It has no width or height: it takes the width of
// its container. The class "geo-map" (the <svg>) lets a stylesheet add hover
// and focus styles to the départements (".geo-map a:hover path"); a
// département's class shows only in its fill attribute. The départements
// are drawn in a frame scaled by 0.5 (their path data is in half units of
// the viewBox): a stroke-width set by a stylesheet on their paths is in
// those half units.
//
// The output is about 25 KB for the events page (links and labels for the
// 96 départements), 7 KB gzip'd.
//
// Pages showing the map must credit its outlines (CC BY 4.0): see Attribution.
func MapSVG(counts map[string]int, link func(code string) string, label func(code string, n int) string, title string) template.HTML {
	d := load()
	sc := NewMapScale(counts)
	var b strings.Builder
	b.Grow(d.pathBytes + 120*len(d.shapes) + len(title) + 2000)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="`)
	b.WriteString(d.viewBox)
	b.WriteString(`" role="group" class="geo-map"><title>`)
	escape(&b, title)
	b.WriteString(`</title><g stroke="` + mapStroke + `" stroke-linejoin="round" stroke-width="`)
	num(&b, mapStrokeWidth/d.unit)
	b.WriteString(`" transform="scale(`)
	num(&b, d.unit)
	b.WriteString(`)">`)
	for i := range d.shapes {
		sh := &d.shapes[i]
		closing := depLink(&b, sh, counts, sc, link, label)
		b.WriteString(`<path`)
		if slices.Contains(insetCodes, sh.code) {
			b.WriteString(` id="geo-dep-`)
			b.WriteString(sh.code)
			b.WriteByte('"')
		}
		b.WriteString(` d="`)
		b.WriteString(sh.d)
		b.WriteString(`"/>`)
		b.WriteString(closing)
	}
	b.WriteString(`</g>`)
	writeInset(&b, d, counts, sc, link, label)
	writeLegend(&b, d, sc)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// depLink writes the opening of a département's link and its title, and
// returns the closing tag to write after its shape.
func depLink(b *strings.Builder, sh *shape, counts map[string]int, sc MapScale, link func(string) string, label func(string, int) string) string {
	n := max(counts[sh.code], 0)
	closing := "</g>"
	if link != nil {
		b.WriteString(`<a href="`)
		escape(b, safeURL(link(sh.code)))
		b.WriteString(`" fill="`)
		closing = "</a>"
	} else {
		b.WriteString(`<g fill="`)
	}
	b.WriteString(mapFills[sc.Class(n)])
	b.WriteString(`"><title>`)
	if label != nil {
		escape(b, label(sh.code, n))
	} else {
		escape(b, sh.name)
		b.WriteString(" (")
		b.WriteString(sh.code)
		b.WriteString(") : ")
		b.WriteString(strconv.Itoa(n))
	}
	b.WriteString(`</title>`)
	return closing
}

func writeInset(b *strings.Builder, d *dataset, counts map[string]int, sc MapScale, link func(string) string, label func(string, int) string) {
	const (
		margin = 1.5   // map units around the départements
		origin = 8.0   // inset box's top left corner
		size   = 104.0 // inset box's larger side
	)
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	var shapes []*shape
	for _, code := range insetCodes {
		i, ok := slices.BinarySearchFunc(d.shapes, code, func(s shape, c string) int { return strings.Compare(s.code, c) })
		if !ok {
			continue
		}
		sh := &d.shapes[i]
		shapes = append(shapes, sh)
		minX, minY = min(minX, sh.bbox[0]), min(minY, sh.bbox[1])
		maxX, maxY = max(maxX, sh.bbox[2]), max(maxY, sh.bbox[3])
	}
	if len(shapes) == 0 {
		return
	}
	minX, minY, maxX, maxY = minX-margin, minY-margin, maxX+margin, maxY+margin
	scale := size / max(maxX-minX, maxY-minY)
	w, h := (maxX-minX)*scale, (maxY-minY)*scale
	// Frame of the enlarged area on the map, and a leader to the inset;
	// then the inset's box and its départements, whose <use> copies the
	// path data without the scale of the map's group.
	b.WriteString(`<g stroke="` + mapStroke + `" stroke-width=".8"><g fill="none">`)
	rect(b, minX, minY, maxX-minX, maxY-minY)
	b.WriteString(`<line stroke-dasharray="2 2"`)
	attrs(b, "x1", origin+w, "y1", origin+h, "x2", minX, "y2", minY)
	b.WriteString(`/></g><g class="geo-inset"><rect fill="#fff"`)
	attrs(b, "x", origin, "y", origin, "width", w, "height", h)
	b.WriteString(`/><g stroke-linejoin="round" stroke-width="`)
	num(b, 0.8/(scale*d.unit))
	b.WriteString(`" transform="translate(`)
	num(b, origin-minX*scale)
	b.WriteByte(' ')
	num(b, origin-minY*scale)
	b.WriteString(`) scale(`)
	num(b, scale*d.unit)
	b.WriteString(`)">`)
	for _, sh := range shapes {
		closing := depLink(b, sh, counts, sc, link, label)
		b.WriteString(`<use href="#geo-dep-`)
		b.WriteString(sh.code)
		b.WriteString(`"/>`)
		b.WriteString(closing)
	}
	b.WriteString(`</g></g></g>`)
}

func writeLegend(b *strings.Builder, d *dataset, sc MapScale) {
	const (
		x    = 10.0
		row  = 19.0
		side = 14.0
	)
	entries := sc.Legend()
	y := d.height - 10 - row*float64(len(entries))
	b.WriteString(`<g class="geo-legend"><g stroke="` + mapStroke + `" stroke-width=".5">`)
	for i, e := range entries {
		b.WriteString(`<rect fill="` + e.Fill + `"`)
		attrs(b, "x", x, "y", y+float64(i)*row, "width", side, "height", side)
		b.WriteString(`/>`)
	}
	b.WriteString(`</g><g fill="` + mapInk + `" font-family="system-ui, sans-serif" font-size="13">`)
	for i, e := range entries {
		b.WriteString(`<text`)
		attrs(b, "x", x+side+6, "y", y+float64(i)*row+side-2)
		b.WriteString(`>`)
		escape(b, e.Label)
		b.WriteString(`</text>`)
	}
	b.WriteString(`</g></g>`)
}

func rect(b *strings.Builder, x, y, w, h float64) {
	b.WriteString(`<rect`)
	attrs(b, "x", x, "y", y, "width", w, "height", h)
	b.WriteString(`/>`)
}

// attrs writes name="value" pairs: attrs(b, "x", 1.5, "y", 2).
func attrs(b *strings.Builder, kv ...any) {
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteByte(' ')
		b.WriteString(kv[i].(string))
		b.WriteString(`="`)
		num(b, kv[i+1].(float64))
		b.WriteByte('"')
	}
}

// num writes v with at most two decimals and no leading zero: "12.35",
// ".8", "-.5".
func num(b *strings.Builder, v float64) {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	if s == "-0" {
		s = "0"
	}
	if t, ok := strings.CutPrefix(s, "0."); ok {
		s = "." + t
	} else if t, ok := strings.CutPrefix(s, "-0."); ok {
		s = "-." + t
	}
	b.WriteString(s)
}

// safeURL returns u unless it has a scheme other than http, https or
// mailto (javascript:, data:, …), in which case it returns "#". Relative
// URLs ("/evenements?dep=01", "?dep=01", "#x") are kept.
func safeURL(u string) string {
	for i := 0; i < len(u); i++ {
		switch c := u[i]; {
		case c == ':':
			switch strings.ToLower(u[:i]) {
			case "http", "https", "mailto":
				return u
			}
			return "#"
		case c == '/' || c == '?' || c == '#':
			return u
		case c <= ' ' || c == 0x7f:
			return "#" // browsers strip these around a scheme
		}
	}
	return u
}

// escape writes s escaped for XML and HTML text and attribute values,
// dropping the control characters XML forbids and replacing invalid UTF-8.
func escape(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var rep string
		size := 1
		switch {
		case c == '&':
			rep = "&amp;"
		case c == '<':
			rep = "&lt;"
		case c == '>':
			rep = "&gt;"
		case c == '"':
			rep = "&#34;"
		case c == '\'':
			rep = "&#39;"
		case c < ' ' && c != '\t' && c != '\n' && c != '\r':
			rep = ""
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			size = n
			if r != utf8.RuneError || n != 1 {
				if r != 0xFFFE && r != 0xFFFF {
					i += n
					continue
				}
			}
			rep = "\uFFFD"
		default:
			i++
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(rep)
		i += size
		last = i
	}
	b.WriteString(s[last:])
}

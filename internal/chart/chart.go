// Package chart draws bar and line charts as inline SVG on the server, so
// that dashboards work without JavaScript and under a strict
// Content-Security-Policy: the output has no script, no style attribute and
// no style element, only presentation attributes (fill, stroke, font-size…)
// and class names a stylesheet may use.
//
// A chart is a figure that sits next to a data table rendered by the caller:
// the <svg> has role="img" and is labelled by its <title> and <desc>, which
// hold the caller's title and a text summary. Every word shown comes from the
// caller (Options and the data), so the package stays language-neutral; only
// number formatting follows Options.Locale.
package chart

import (
	"encoding/xml"
	"math"
	"strings"
	"unicode/utf8"
)

// Point is a bar of Bars or a point of a Series of Lines.
type Point struct {
	Label string
	Value float64
}

// Series is a line of Lines: its points in order along the x axis.
type Series struct {
	Name   string
	Points []Point
}

// Options describe a chart. Only ID and Title matter for every chart; the
// rest has defaults.
type Options struct {
	// ID prefixes the ids of the chart's <title> and <desc> ("ID-title",
	// "ID-desc"): give each chart of a page its own. Characters other than
	// ASCII letters, digits, "-" and "_" become "-"; empty gives "chart".
	ID string
	// Title names the chart (its <title>).
	Title string
	// Desc summarises the data (its <desc>). Empty gives an automatic
	// summary made of labels, names and values only, so language-neutral:
	// every bar ("Label : 12 ; …") or each series' first and last points
	// ("Name : 3 (1 mars) → 120 (31 mars)").
	Desc string
	// Empty is the text shown, and added to the <desc>, when there is no
	// data at all: "Aucune donnée", "No data".
	Empty string
	// Width and Height are the size of the drawing in CSS pixels, and so
	// its aspect ratio (the <svg> has a viewBox but no width or height: it
	// takes the width of its container). Defaults: 640 × 320. Bars ignores
	// Height: its height grows with the number of bars.
	Width, Height int
	// Unit follows values in labels and summaries: "%", "€", "km".
	Unit string
	// Locale formats numbers: "en" gives 12,345.5; anything else Ouvert's
	// default, French: 12 345,5 (narrow no-break space, decimal comma).
	Locale string
}

// Colours, after Ouvert's stylesheet (--ink, --muted, --line, --accent) and
// the map of internal/geo. On white: ink 17.2:1, muted 8.7:1 (text needs
// 4.5:1), accent 9.6:1 (bars need 3:1); the grid (1.6:1) is decorative and
// light on purpose, the axis at zero is ink.
const (
	ink    = "#1b1b1f"
	muted  = "#4a4a55"
	grid   = "#c9c9d4"
	accent = "#1c3f94"
	font   = "system-ui, sans-serif"

	fontSize       = 14.0
	defaultWidth   = 640
	defaultHeight  = 320
	minWidth       = 160
	maxDimension   = 4000
	maxValue       = 1e300 // keeps sums and scales finite
	ellipsis       = "…"
	charWidthRatio = 0.58 // a system-ui character's average width, in ems
)

// style is how one series of Lines is drawn: its colour, dash pattern and
// marker, so that series differ by more than colour (WCAG 1.4.1). Every
// colour has a contrast ratio of at least 4.5:1 on white (5.2 to 9.6).
type style struct {
	color  string
	dash   string // stroke-dasharray, "" for a solid line
	marker markerShape
}

type markerShape int

const (
	circle markerShape = iota
	square
	triangleUp
	diamond
	triangleDown
)

var styles = [...]style{
	{accent, "", circle},
	{"#c2410c", "9 4", square},
	{"#0f766e", "2 3", triangleUp},
	{"#7e22ce", "12 3 3 3", diamond},
	{"#be185d", "12 3 3 3 3 3", triangleDown},
}

// chart holds what every chart needs while it is written.
type chart struct {
	b          strings.Builder
	id         string
	w, h       float64
	fr         bool
	unit       string
	title      string
	desc       string
	kind       string // class suffix: "bars", "lines"
	emptyLabel string
}

func newChart(opt Options, kind string) *chart {
	c := &chart{
		id:         cleanID(opt.ID),
		w:          float64(clampDim(opt.Width, defaultWidth)),
		h:          float64(clampDim(opt.Height, defaultHeight)),
		fr:         !(opt.Locale == "en" || strings.HasPrefix(opt.Locale, "en-")),
		unit:       opt.Unit,
		title:      opt.Title,
		desc:       opt.Desc,
		kind:       kind,
		emptyLabel: opt.Empty,
	}
	c.w = max(c.w, minWidth)
	return c
}

func clampDim(v, def int) int {
	if v <= 0 {
		return def
	}
	return min(v, maxDimension)
}

// cleanID keeps the id safe in an attribute and in aria-labelledby's list.
func cleanID(id string) string {
	if id == "" {
		return "chart"
	}
	b := []byte(id)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			b[i] = '-'
		}
	}
	return string(b)
}

// open writes the <svg> element, its <title> and its <desc>.
func (c *chart) open(desc string) {
	b := &c.b
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `)
	num(b, c.w)
	b.WriteByte(' ')
	num(b, c.h)
	b.WriteString(`" role="img" aria-labelledby="` + c.id + `-title ` + c.id + `-desc" class="chart chart-` + c.kind +
		`" font-family="` + font + `" font-size="`)
	num(b, fontSize)
	b.WriteString(`" fill="` + ink + `"><title id="` + c.id + `-title">`)
	escape(b, c.title)
	b.WriteString(`</title><desc id="` + c.id + `-desc">`)
	escape(b, desc)
	b.WriteString(`</desc>`)
}

func (c *chart) close() string {
	c.b.WriteString(`</svg>`)
	return c.b.String()
}

// empty draws a frame with Options.Empty in its middle, and says it in the
// <desc> too.
func (c *chart) empty() string {
	desc := c.desc
	if c.emptyLabel != "" {
		if desc != "" {
			desc += " "
		}
		desc += c.emptyLabel
	}
	c.open(desc)
	b := &c.b
	b.WriteString(`<path fill="none" stroke="` + grid + `" d="M.5 .5H`)
	num(b, c.w-.5)
	b.WriteString(`V`)
	num(b, c.h-.5)
	b.WriteString(`H.5Z"/>`)
	if c.emptyLabel != "" {
		b.WriteString(`<text text-anchor="middle" fill="` + muted + `"`)
		attrs(b, "x", c.w/2, "y", c.h/2+fontSize*.35)
		b.WriteByte('>')
		escape(b, truncate(c.emptyLabel, c.w-2*fontSize))
		b.WriteString(`</text>`)
	}
	return c.close()
}

// attrs writes name="value" pairs: attrs(b, "x", 1.5, "y", 2.0).
func attrs(b *strings.Builder, kv ...any) {
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteByte(' ')
		b.WriteString(kv[i].(string))
		b.WriteString(`="`)
		num(b, kv[i+1].(float64))
		b.WriteByte('"')
	}
}

// num writes v rounded to one decimal, without a trailing ".0" or a
// leading zero: "12.3", "640", ".5", "-2.5".
func num(b *strings.Builder, v float64) {
	t := int64(math.Round(v * 10))
	if t < 0 {
		b.WriteByte('-')
		t = -t
	}
	if t >= 10 {
		writeInt(b, t/10)
	} else if t%10 == 0 {
		b.WriteByte('0')
		return
	}
	if d := t % 10; d != 0 {
		b.WriteByte('.')
		b.WriteByte(byte('0' + d))
	}
}

func writeInt(b *strings.Builder, n int64) {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	b.Write(buf[i:])
}

// escape writes s escaped as XML character data, which is also safe in an
// attribute value and in HTML: & < > " ' are escaped, and characters XML
// forbids (most control characters, invalid UTF-8) become U+FFFD.
func escape(b *strings.Builder, s string) {
	xml.EscapeText(b, []byte(s)) // a strings.Builder never fails
}

// clean returns v as drawn: NaN, infinities and negatives become 0, and
// huge values are capped so that scales stay finite.
func clean(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return min(v, maxValue)
}

// textWidth estimates the width of s drawn at size: server-side, the font is
// unknown, so an average character width is used, on the generous side.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * charWidthRatio
}

// truncate shortens s with an ellipsis so that it fits in width at the
// chart's font size.
func truncate(s string, width float64) string {
	n := int(width / (fontSize * charWidthRatio))
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return ellipsis
	}
	i, k := 0, 0
	for i = range s {
		if k == n-1 {
			break
		}
		k++
	}
	return strings.TrimRight(s[:i], " ") + ellipsis
}

package chart

import (
	"html/template"
	"strings"
)

// Layout of Bars, in CSS pixels.
const (
	barRow      = 30.0 // height of a bar and the space below it
	barHeight   = 20.0
	barPad      = 6.0  // above the first bar and below the last
	barGap      = 8.0  // between a label or a value and its bar
	labelShare  = 0.4  // of the width, at most, for the labels
	emptyHeight = 96.0 // of a chart without data
)

// Bars draws a horizontal bar chart, one bar per point in the given order:
// its label at the left (shortened with an ellipsis if too long; the full
// label is in the bar's <title>, shown as a tooltip), the bar, and its value
// at the bar's end. The bars share a linear scale from 0 to the largest
// value; values need no axis since each is written out. The height is
// barPad + 30 px per bar; Options.Height is ignored.
//
// Each bar is a <g> holding its <title>, one <rect> and two <text>: the
// output has exactly one <rect> per bar. Negative values, NaN and
// infinities are drawn as 0. No points draws an empty frame with
// Options.Empty.
func Bars(opt Options, points []Point) template.HTML {
	c := newChart(opt, "bars")
	if len(points) == 0 {
		c.h = emptyHeight
		return template.HTML(c.empty())
	}
	c.h = 2*barPad + barRow*float64(len(points))

	values := make([]float64, len(points))
	shown := make([]string, len(points))
	top, labelW, valueW := 0.0, 0.0, 0.0
	for i, p := range points {
		values[i] = clean(p.Value)
		shown[i] = c.formatValue(values[i])
		top = max(top, values[i])
		labelW = max(labelW, textWidth(p.Label, fontSize))
		valueW = max(valueW, textWidth(shown[i], fontSize))
	}
	labelW = min(labelW, c.w*labelShare)
	x0 := labelW + barGap
	barMax := max(c.w-x0-barGap-valueW, c.w*.2)

	desc := c.desc
	if desc == "" {
		items := make([]string, len(points))
		for i, p := range points {
			items[i] = c.pair(p.Label, shown[i])
		}
		desc = strings.Join(items, c.listSep())
	}
	c.open(desc)
	b := &c.b
	b.Grow(len(points) * 200)
	for i, p := range points {
		y := barPad + barRow*float64(i) + (barRow-barHeight)/2
		w := 0.0
		if top > 0 {
			w = values[i] / top * barMax
		}
		textY := y + barHeight/2 + fontSize*.35
		b.WriteString(`<g><title>`)
		escape(b, c.pair(p.Label, shown[i]))
		b.WriteString(`</title><rect fill="` + accent + `"`)
		attrs(b, "x", x0, "y", y, "width", w, "height", barHeight)
		b.WriteString(`/><text text-anchor="end"`)
		attrs(b, "x", labelW, "y", textY)
		b.WriteByte('>')
		escape(b, truncate(p.Label, labelW))
		b.WriteString(`</text><text`)
		attrs(b, "x", x0+w+barGap/2+.5, "y", textY)
		b.WriteByte('>')
		escape(b, shown[i])
		b.WriteString(`</text></g>`)
	}
	// The axis at zero, in ink so that bars of 0 still have a visible base.
	b.WriteString(`<path stroke="` + ink + `" d="M`)
	num(b, x0)
	b.WriteByte(' ')
	num(b, barPad/2)
	b.WriteString(`V`)
	num(b, c.h-barPad/2)
	b.WriteString(`"/>`)
	return template.HTML(c.close())
}

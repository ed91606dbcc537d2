package chart

import (
	"html/template"
	"math"
	"strings"
	"unicode/utf8"
)

// Layout of Lines, in CSS pixels.
const (
	lineWidth      = 2.5
	legendRow      = 22.0
	legendSample   = 28.0 // length of the line drawn before a series' name
	legendMaxName  = 24   // characters of a name in the legend
	xLabelMaxChars = 16   // characters of an x label
	maxXLabels     = 12
	markerRadius   = 3.5
	markerSpacing  = 14.0 // below this distance between points, markers are thinned
	tickSpacing    = 40.0 // between y ticks, at least
)

// Lines draws a line chart of up to five series over ordered labels (days,
// weeks…): point i of every series is at the i-th position of the x axis,
// labelled by the first series that has a point i. Series differ by colour,
// dash pattern and marker shape (beyond five, styles repeat); a legend
// names them when any has a name. The x labels are thinned to at most 12
// that do not overlap, and markers to the labelled points when points are
// dense; the y axis starts at 0 and has round ticks (1, 2 or 5 × 10^n).
// A unit of one or two characters ("%", "€") is written on the y ticks;
// otherwise the title should name it. The height grows beyond
// Options.Height when a legend of many rows would leave less than 80 px to
// the plot.
//
// Negative values, NaN and infinities are drawn as 0. No points at all
// draws an empty frame with Options.Empty.
func Lines(opt Options, series []Series) template.HTML {
	c := newChart(opt, "lines")
	n := 0
	named := false
	integer := true
	top := 0.0
	for _, s := range series {
		n = max(n, len(s.Points))
		named = named || s.Name != ""
		for _, p := range s.Points {
			v := clean(p.Value)
			top = max(top, v)
			integer = integer && v == math.Trunc(v)
		}
	}
	if n == 0 {
		return template.HTML(c.empty())
	}
	labels := make([]string, n)
	for i := range labels {
		for _, s := range series {
			if i < len(s.Points) {
				labels[i] = s.Points[i].Label
				break
			}
		}
	}

	// Layout: legend at the top, y tick labels at the left, x labels below,
	// with room for the first and last x labels centred on their points.
	var items []legendItem
	plotTop := fontSize
	if named {
		var h float64
		items, h = legendLayout(series, c.w)
		plotTop += h
	}
	plotH := max(c.h-2.2*fontSize-plotTop, 2*tickSpacing)
	plotBottom := plotTop + plotH
	c.h = plotBottom + 2.2*fontSize
	maxIntervals := min(max(int(plotH/tickSpacing), 2), 8)
	step, end := ticks(top, maxIntervals, integer)
	decimals := stepDecimals(step)
	count := int(math.Round(end / step))
	tickLabels := make([]string, count+1)
	tickW := 0.0
	for k := range tickLabels {
		s := formatNumber(float64(k)*step, decimals, c.fr)
		if utf8.RuneCountInString(c.unit) <= 2 {
			s = c.withUnit(s)
		}
		tickLabels[k] = s
		tickW = max(tickW, textWidth(s, fontSize))
	}
	labelW := 0.0
	for _, l := range labels {
		labelW = max(labelW, textWidth(truncateChars(l, xLabelMaxChars), fontSize))
	}
	plotLeft := max(tickW+12, textWidth(truncateChars(labels[0], xLabelMaxChars), fontSize)/2+1)
	plotRight := c.w - max(fontSize, labelW/2+1)
	if n == 1 {
		plotRight = c.w - fontSize
	}
	plotW := max(plotRight-plotLeft, c.w*.25)
	plotRight = plotLeft + plotW
	stride := xStride(n, plotW, labelW)

	desc := c.desc
	if desc == "" {
		desc = c.linesSummary(series)
	}
	c.open(desc)
	b := &c.b
	b.Grow(n * len(series) * 14)
	if named {
		c.legend(series, items)
	}

	yOf := func(v float64) float64 { return plotBottom - v/end*plotH }
	xOf := func(i int) float64 {
		if n == 1 {
			return plotLeft + plotW/2
		}
		return plotLeft + float64(i)*plotW/float64(n-1)
	}

	b.WriteString(`<path stroke="` + grid + `" d="`)
	for k := 1; k <= count; k++ {
		b.WriteByte('M')
		num(b, plotLeft)
		b.WriteByte(' ')
		num(b, yOf(float64(k)*step))
		b.WriteByte('H')
		num(b, plotRight)
	}
	b.WriteString(`"/><g fill="` + muted + `" text-anchor="end">`)
	for k, s := range tickLabels {
		b.WriteString(`<text`)
		attrs(b, "x", plotLeft-6, "y", yOf(float64(k)*step)+fontSize*.35)
		b.WriteByte('>')
		escape(b, s)
		b.WriteString(`</text>`)
	}
	b.WriteString(`</g>`)

	// X axis: labels thinned so that they do not overlap.
	b.WriteString(`<g fill="` + muted + `" text-anchor="middle">`)
	for i := 0; i < n; i += stride {
		shown := truncateChars(labels[i], xLabelMaxChars)
		b.WriteString(`<text`)
		attrs(b, "x", xOf(i), "y", plotBottom+1.5*fontSize)
		b.WriteByte('>')
		if shown != labels[i] {
			b.WriteString(`<title>`)
			escape(b, labels[i])
			b.WriteString(`</title>`)
		}
		escape(b, shown)
		b.WriteString(`</text>`)
	}
	b.WriteString(`</g><path stroke="` + ink + `" d="M`)
	num(b, plotLeft)
	b.WriteByte(' ')
	num(b, plotBottom)
	b.WriteByte('H')
	num(b, plotRight)
	for i := 0; i < n; i += stride {
		b.WriteByte('M')
		num(b, xOf(i))
		b.WriteByte(' ')
		num(b, plotBottom)
		b.WriteString("v4")
	}
	b.WriteString(`"/>`)

	// Series, each in a <g> whose <title> names it.
	everyPoint := n == 1 || plotW/float64(n-1) >= markerSpacing
	for si, s := range series {
		if len(s.Points) == 0 {
			continue
		}
		st := styles[si%len(styles)]
		b.WriteString(`<g><title>`)
		escape(b, s.Name)
		b.WriteString(`</title>`)
		if len(s.Points) > 1 {
			b.WriteString(`<polyline fill="none" stroke-linejoin="round"`)
			c.strokeAttrs(st)
			b.WriteString(` points="`)
			for i, p := range s.Points {
				if i > 0 {
					b.WriteByte(' ')
				}
				num(b, xOf(i))
				b.WriteByte(',')
				num(b, yOf(clean(p.Value)))
			}
			b.WriteString(`"/>`)
		}
		b.WriteString(`<path fill="` + st.color + `" stroke="#fff" d="`)
		for i, p := range s.Points {
			if everyPoint || i%stride == 0 {
				marker(b, st.marker, xOf(i), yOf(clean(p.Value)))
			}
		}
		b.WriteString(`"/></g>`)
	}
	return template.HTML(c.close())
}

// xStride returns the step between labelled points so that at most
// maxXLabels labels of width labelW fit in plotW with room between them.
func xStride(n int, plotW, labelW float64) int {
	fit := int((plotW + labelW) / (labelW + fontSize))
	fit = min(max(fit, 1), maxXLabels)
	if n <= fit {
		return 1
	}
	if fit == 1 {
		return n
	}
	return (n - 1 + fit - 2) / (fit - 1)
}

// legendItem is where the name of a series goes in the legend.
type legendItem struct {
	x, y float64 // baseline of the row, left of the line sample
	name string  // shortened
}

// legendLayout places the names of the series in rows at the top of a
// chart of width w, and returns their places and the height of the rows.
func legendLayout(series []Series, w float64) ([]legendItem, float64) {
	items := make([]legendItem, len(series))
	x, y := 0.0, fontSize
	for i, s := range series {
		name := truncateChars(s.Name, legendMaxName)
		iw := legendSample + 6 + textWidth(name, fontSize)
		if x > 0 && x+iw > w {
			x, y = 0, y+legendRow
		}
		items[i] = legendItem{x: x, y: y, name: name}
		x += iw + 2*fontSize
	}
	return items, y + legendRow - fontSize
}

// legend draws each series' line sample, marker and name.
func (c *chart) legend(series []Series, items []legendItem) {
	b := &c.b
	b.WriteString(`<g class="chart-legend">`)
	for i, it := range items {
		st := styles[i%len(styles)]
		mid := it.y - fontSize*.35
		b.WriteString(`<path fill="none"`)
		c.strokeAttrs(st)
		b.WriteString(` d="M`)
		num(b, it.x+1)
		b.WriteByte(' ')
		num(b, mid)
		b.WriteByte('h')
		num(b, legendSample-2)
		b.WriteString(`"/><path fill="` + st.color + `" stroke="#fff" d="`)
		marker(b, st.marker, it.x+legendSample/2, mid)
		b.WriteString(`"/><text`)
		attrs(b, "x", it.x+legendSample+6, "y", it.y)
		b.WriteByte('>')
		if it.name != series[i].Name {
			b.WriteString(`<title>`)
			escape(b, series[i].Name)
			b.WriteString(`</title>`)
		}
		escape(b, it.name)
		b.WriteString(`</text>`)
	}
	b.WriteString(`</g>`)
}

func (c *chart) strokeAttrs(st style) {
	b := &c.b
	b.WriteString(` stroke="` + st.color + `"`)
	attrs(b, "stroke-width", lineWidth)
	if st.dash != "" {
		b.WriteString(` stroke-dasharray="` + st.dash + `"`)
	}
}

// marker writes the path data of a marker centred on x, y.
func marker(b *strings.Builder, m markerShape, x, y float64) {
	r := markerRadius
	move := func(mx, my float64) {
		b.WriteByte('M')
		num(b, mx)
		b.WriteByte(' ')
		num(b, my)
	}
	switch m {
	case circle:
		move(x-r, y)
		b.WriteString("a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0-7 0")
	case square:
		move(x-r*.9, y-r*.9)
		b.WriteString("h6.3v6.3h-6.3z")
	case triangleUp:
		move(x, y-r*1.3)
		b.WriteString("l4 6.8h-8z")
	case diamond:
		move(x, y-r*1.3)
		b.WriteString("l4.5 4.5-4.5 4.5-4.5-4.5z")
	case triangleDown:
		move(x, y+r*1.3)
		b.WriteString("l4-6.8h-8z")
	}
}

// linesSummary describes each series by its first and last points:
// "Name : 3 (1 mars) → 120 (31 mars)".
func (c *chart) linesSummary(series []Series) string {
	var items []string
	for _, s := range series {
		if len(s.Points) == 0 {
			continue
		}
		first, last := s.Points[0], s.Points[len(s.Points)-1]
		text := c.formatValue(clean(first.Value)) + " (" + first.Label + ")"
		if len(s.Points) > 1 {
			text += " → " + c.formatValue(clean(last.Value)) + " (" + last.Label + ")"
		}
		if s.Name != "" {
			text = c.pair(s.Name, text)
		}
		items = append(items, text)
	}
	return strings.Join(items, c.listSep())
}

// truncateChars shortens s to at most n characters, the last an ellipsis.
func truncateChars(s string, n int) string {
	return truncate(s, (float64(n)+.5)*fontSize*charWidthRatio)
}

package chart

import (
	"math"
	"strconv"
	"strings"
)

// formatNumber writes v with the given number of decimals and the locale's
// separators: 12 345,5 (narrow no-break spaces, as internal/i18n) or
// 12,345.5. Values of 10^15 and more, beyond any count, are written
// 1,2e18 or 1.2e18 rather than as a screenful of digits.
func formatNumber(v float64, decimals int, fr bool) string {
	point, group := ".", ","
	if fr {
		point, group = ",", "\u202f"
	}
	if math.Abs(v) >= 1e15 {
		s := strconv.FormatFloat(v, 'e', 2, 64)
		mant, exp, _ := strings.Cut(s, "e")
		mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		exp = strings.TrimLeft(strings.TrimPrefix(exp, "+"), "0")
		return strings.Replace(mant, ".", point, 1) + "e" + exp
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i := range len(intPart) {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteByte(intPart[i])
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

// formatValue formats a data value: integers as such, others with one
// decimal (two below 10), trailing zeros dropped; then the unit.
func (c *chart) formatValue(v float64) string {
	d := 0
	if v != math.Trunc(v) {
		d = 1
		if math.Abs(v) < 10 {
			d = 2
		}
		s := strconv.FormatFloat(v, 'f', d, 64)
		for d > 0 && strings.HasSuffix(s, "0") {
			s = s[:len(s)-1]
			d--
		}
	}
	return c.withUnit(formatNumber(v, d, c.fr))
}

// withUnit appends the unit: after a narrow no-break space in French
// ("12 %"), and in English after a no-break space except for "%" ("12%").
func (c *chart) withUnit(s string) string {
	switch {
	case c.unit == "":
		return s
	case c.fr:
		return s + "\u202f" + c.unit
	case c.unit == "%":
		return s + c.unit
	default:
		return s + "\u00a0" + c.unit
	}
}

// pair writes "label : value" with the locale's punctuation, for titles and
// summaries.
func (c *chart) pair(label, value string) string {
	if c.fr {
		return label + "\u00a0: " + value
	}
	return label + ": " + value
}

// listSep separates the items of a summary.
func (c *chart) listSep() string {
	if c.fr {
		return "\u00a0; "
	}
	return "; "
}

// ticks returns a scale for values in [0, top]: a step of the series 1, 2,
// 5 × 10^n and the end of the axis, a multiple of the step at or above top,
// with at most maxIntervals steps. Integer data get integer steps. A top of
// 0 gives the axis 0–1.
func ticks(top float64, maxIntervals int, integer bool) (step, end float64) {
	maxIntervals = max(maxIntervals, 1)
	if !(top > 0) {
		return 1, 1
	}
	raw := top / float64(maxIntervals)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * mag
	for _, m := range [...]float64{1, 2, 5} {
		if m*mag >= raw*(1-1e-9) {
			step = m * mag
			break
		}
	}
	if integer {
		step = max(step, 1)
	}
	n := math.Ceil(top/step - 1e-9)
	return step, max(n, 1) * step
}

// stepDecimals returns the decimals needed to write multiples of step.
func stepDecimals(step float64) int {
	if step >= 1 {
		return 0
	}
	return int(math.Ceil(-math.Log10(step) - 1e-9))
}

// Package synthesis turns the Markdown that organisers write into the text of a published
// synthesis: a reference such as [[C-123]] becomes a link titled by contribution 123, and a line
// [[chiffres]] (or [[figures]]) a table of the figures of the axis at publication time. The web
// editor's preview, its publication and the demo's example syntheses share it.
package synthesis

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"ouvert/internal/i18n"
	"ouvert/internal/store"
)

// References and figure blocks in a synthesis' Markdown.
var (
	refRE = regexp.MustCompile(`\[\[C-([0-9]{1,15})\]\]`)
	// A figure block is a line of its own; a line break typed in a browser may come as \r\n.
	figuresRE = regexp.MustCompile(`(?m)^[ \t]*\[\[(chiffres|figures)\]\][ \t\r]*$`)
)

// References returns the contributions a synthesis' Markdown cites, in order of first mention.
func References(src string) []int64 {
	var ids []int64
	for _, m := range refRE.FindAllStringSubmatch(src, -1) {
		if id, err := strconv.ParseInt(m[1], 10, 64); err == nil && id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// HasFigures reports whether the Markdown asks for a figure block.
func HasFigures(src string) bool { return figuresRE.MatchString(src) }

// markdownEscaper escapes the characters that Markdown would read in a contribution's title
// placed in a link's text.
var markdownEscaper = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `*`, `\*`, `_`, `\_`, "`", "\\`",
	`<`, `\<`, `>`, `\>`, `!`, `\!`, `#`, `\#`, `|`, `\|`, `~`, `\~`)

// Expand writes out a synthesis' references as links titled by the contributions (titles), and
// its figure blocks as tables of fig dated at, in l's language. It returns the contributions cited
// and the references that name no contribution of titles.
func Expand(src string, titles map[int64]string, fig store.Figures, l *i18n.Locale, at time.Time) (expanded string, cited, unknown []int64) {
	expanded = refRE.ReplaceAllStringFunc(src, func(m string) string {
		id, _ := strconv.ParseInt(refRE.FindStringSubmatch(m)[1], 10, 64)
		title, ok := titles[id]
		if !ok {
			if !slices.Contains(unknown, id) {
				unknown = append(unknown, id)
			}
			return m
		}
		if !slices.Contains(cited, id) {
			cited = append(cited, id)
		}
		n := strconv.FormatInt(id, 10)
		return "[" + markdownEscaper.Replace(title) + " (C-" + n + ")](/contributions/" + n + ")"
	})
	expanded = figuresRE.ReplaceAllStringFunc(expanded, func(string) string { return figuresTable(fig, l, at) })
	return expanded, cited, unknown
}

// figuresTable is a figure block: a Markdown table of the counts, dated.
func figuresTable(f store.Figures, l *i18n.Locale, at time.Time) string {
	var b strings.Builder
	b.WriteString("\n| " + l.T("figures.caption", l.Date(at)) + " | |\n|:--|--:|\n")
	row := func(key string, n int) { b.WriteString("| " + l.T(key) + " | " + l.Number(n) + " |\n") }
	row("figures.contributions", f.Contributions)
	row("figures.participants", f.Participants)
	row("figures.votes", f.Votes)
	row("figures.arguments", f.Arguments)
	// Online, open ministries and relay workshops always; the launch and facilitated input when any.
	for _, o := range []string{"online", "open_ministry", "relay_workshop", "launch", "facilitated"} {
		if n := f.ByOrigin[o]; n > 0 || o == "online" || o == "open_ministry" || o == "relay_workshop" {
			row("figures.origin."+o, n)
		}
	}
	return b.String()
}

// Prepare reads what src cites and, if it asks for them, the figures of the axis (0: the whole
// process), and expands it.
func Prepare(ctx context.Context, db *store.DB, l *i18n.Locale, processID, axisID int64, src string, at time.Time) (expanded string, cited, unknown []int64, err error) {
	titles, err := db.ContributionTitles(ctx, processID, References(src))
	if err != nil {
		return "", nil, nil, err
	}
	var fig store.Figures
	if HasFigures(src) {
		if fig, err = db.SynthesisFigures(ctx, processID, axisID); err != nil {
			return "", nil, nil, err
		}
	}
	expanded, cited, unknown = Expand(src, titles, fig, l, at)
	return expanded, cited, unknown, nil
}

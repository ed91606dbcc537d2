// Package planimport reads the commitments of a plan made elsewhere, with their milestones, from
// the CSV layout that a plan's export (/plans/{slug}/engagements.csv) writes, and adds them to a
// plan all at once or not at all. The web form and the `ouvert import commitments` command share it.
package planimport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"ouvert/internal/csvsafe"
	"ouvert/internal/ouvert"
)

// Columns are the columns of the export, in its order. An import may hold them in any order and
// leave out any but number, title and lead_administration; milestone_late and url are read by
// nobody, since the plan computes them.
var Columns = []string{"number", "title", "axis", "lead_administration", "other_actors", "ogp_values", "completion", "progress",
	"milestone", "milestone_start", "milestone_end", "milestone_status", "milestone_late", "url"}

// required are the columns an import cannot do without.
var required = []string{"number", "title", "lead_administration"}

// commitmentColumns are the cells repeated on every line of a commitment, which must agree.
var commitmentColumns = []string{"title", "axis", "lead_administration", "other_actors", "ogp_values", "completion", "progress"}

// maxCell bounds any cell but the title, which the store bounds.
const maxCell = ouvert.MaxBodyLen

// Row is one commitment with its milestones: the lines of the file that share its number.
type Row struct {
	Line               int    // the first line of the commitment in the file
	Number             string // groups the lines; the plan numbers the commitment after its own
	Title              string
	Axis               string
	LeadAdministration string
	OtherActors        string
	Values             []string
	Completion         string
	Progress           *int // nil when the file leaves it empty
	Milestones         []Milestone
}

// Milestone is a milestone of an imported commitment.
type Milestone struct {
	Line             int
	Deliverable      string
	StartsAt, EndsAt time.Time
	Status           string
}

// Error says which line and column of the file was refused, and why. Reason is a message key of
// the i18n catalogue ("import.bad_date"), so that the web shows it in the person's language;
// Error gives the English sentence the command prints.
type Error struct {
	Line   int
	Column string // empty when the fault is the whole line or the whole file
	Reason string
}

func (e *Error) Error() string {
	text, ok := reasons[e.Reason]
	if !ok {
		text = e.Reason
	}
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, text)
	}
	return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, text)
}

// reasons holds the English text of each reason, for the command line; the catalogues in
// internal/i18n hold the same keys for the web.
var reasons = map[string]string{
	"import.no_header":          "the file is empty: it needs a first line naming the columns",
	"import.bad_encoding":       "the file is not UTF-8 text: save it as \"CSV UTF-8\"",
	"import.bad_csv":            "the line is not valid CSV: check its quotes",
	"import.field_count":        "the line does not have as many cells as the first line has columns",
	"import.missing_column":     "the file lacks this column",
	"import.unknown_column":     "this column is unknown: the columns are those of the plan's CSV export",
	"import.duplicate_column":   "this column appears twice",
	"import.unnamed_column":     "this cell is in a column without a name",
	"import.empty":              "the file holds no commitment",
	"import.required":           "this cell must not be empty",
	"import.too_long":           "this text is too long",
	"import.bad_date":           "the date must be written YYYY-MM-DD",
	"import.date_order":         "the end comes before the start",
	"import.bad_completion":     "the completion must be one of not_started, limited, substantial, complete, withdrawn",
	"import.bad_status":         "the milestone's status must be one of not_started, in_progress, done",
	"import.bad_progress":       "the progress must be a whole number from 0 to 100",
	"import.bad_value":          "the OGP values must be among transparency, participation, accountability, technology, separated by spaces",
	"import.disagrees":          "this cell differs from an earlier line of the same commitment number",
	"import.milestone_no_title": "a milestone with dates or a status needs its deliverable in the milestone column",
	"import.done_without_end":   "a milestone that is done needs its end date",
}

// Reasons returns every reason key Parse may give, sorted, so that tests can check that the
// catalogues translate each one.
func Reasons() []string { return slices.Sorted(maps.Keys(reasons)) }

// Parse reads commitments and milestones from CSV with a header line: one line per milestone,
// the commitment's cells repeated on each, and a commitment without milestones on one line with
// empty milestone cells. It accepts a UTF-8 byte-order mark, commas or (as French spreadsheets
// write) semicolons, the columns in any order, and cells that the export guarded against
// spreadsheet formulas with an apostrophe. Milestone dates are days in loc (YYYY-MM-DD, or
// YYYY-MM and YYYY as in drafts). The first fault refuses the whole file with an *Error.
func Parse(r io.Reader, loc *time.Location) ([]Row, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("planimport: read: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		line := 1
		for len(data) > 0 {
			c, size := utf8.DecodeRune(data)
			if c == utf8.RuneError && size <= 1 {
				break
			}
			if c == '\n' {
				line++
			}
			data = data[size:]
		}
		return nil, &Error{Line: line, Reason: "import.bad_encoding"}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	if first, _, _ := bytes.Cut(data, []byte("\n")); !bytes.Contains(first, []byte(",")) && bytes.Contains(first, []byte(";")) {
		cr.Comma = ';'
	}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &Error{Line: 1, Reason: "import.no_header"}
	} else if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "":
			continue
		case !slices.Contains(Columns, h):
			return nil, &Error{Line: 1, Column: h, Reason: "import.unknown_column"}
		}
		if _, dup := col[h]; dup {
			return nil, &Error{Line: 1, Column: h, Reason: "import.duplicate_column"}
		}
		col[h] = i
	}
	for _, h := range required {
		if _, ok := col[h]; !ok {
			return nil, &Error{Line: 1, Column: h, Reason: "import.missing_column"}
		}
	}

	var rows []Row
	byNumber := map[string]int{} // number → index in rows
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		l := record{rec: rec, col: col, line: line}
		if l.blank() {
			continue
		}
		if err := l.unnamed(header); err != nil {
			return nil, err
		}
		row, err := l.commitment()
		if err != nil {
			return nil, err
		}
		m, has, err := l.milestone(loc)
		if err != nil {
			return nil, err
		}
		i, seen := byNumber[row.Number]
		if !seen {
			byNumber[row.Number] = len(rows)
			rows = append(rows, row)
			i = len(rows) - 1
		} else if err := agree(&rows[i], &row, &l); err != nil {
			return nil, err
		}
		if has {
			rows[i].Milestones = append(rows[i].Milestones, m)
		}
	}
	if len(rows) == 0 {
		return nil, &Error{Line: 2, Reason: "import.empty"}
	}
	return rows, nil
}

// csvError turns a syntax error of the CSV reader into an *Error.
func csvError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("planimport: %w", err)
	}
	reason := "import.bad_csv"
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		reason = "import.field_count"
	}
	return &Error{Line: pe.Line, Reason: reason}
}

// record is one line of the file.
type record struct {
	rec  []string
	col  map[string]int
	line int
}

// get returns a cell, trimmed, with the apostrophe that guarded a formula taken off again.
func (l *record) get(name string) string {
	i, ok := l.col[name]
	if !ok || i >= len(l.rec) {
		return ""
	}
	return strings.TrimSpace(csvsafe.Uncell(l.rec[i]))
}

func (l *record) fail(column, reason string) error {
	return &Error{Line: l.line, Column: column, Reason: reason}
}

// blank reports whether every cell is empty, as spreadsheets leave lines at the end.
func (l *record) blank() bool {
	for _, s := range l.rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// unnamed refuses a value under a column without a name, which would be lost.
func (l *record) unnamed(header []string) error {
	for i, s := range l.rec {
		if i < len(header) && strings.TrimSpace(header[i]) == "" && strings.TrimSpace(s) != "" {
			return l.fail(strconv.Itoa(i+1), "import.unnamed_column")
		}
	}
	return nil
}

// commitment reads the commitment's cells of the line.
func (l *record) commitment() (Row, error) {
	row := Row{Line: l.line, Number: l.get("number"), Title: l.get("title"), Axis: l.get("axis"),
		LeadAdministration: l.get("lead_administration"), OtherActors: l.get("other_actors"), Completion: strings.ToLower(l.get("completion"))}
	for _, c := range []struct{ name, value string }{{"number", row.Number}, {"title", row.Title}, {"lead_administration", row.LeadAdministration}} {
		if c.value == "" {
			return row, l.fail(c.name, "import.required")
		}
	}
	if utf8.RuneCountInString(row.Title) > ouvert.MaxTitleLen*2 {
		return row, l.fail("title", "import.too_long")
	}
	for _, c := range []struct{ name, value string }{{"number", row.Number}, {"axis", row.Axis}, {"lead_administration", row.LeadAdministration}, {"other_actors", row.OtherActors}} {
		if utf8.RuneCountInString(c.value) > maxCell {
			return row, l.fail(c.name, "import.too_long")
		}
	}
	for _, v := range strings.FieldsFunc(l.get("ogp_values"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		v = strings.ToLower(v)
		if !slices.Contains(ouvert.OGPValues, v) {
			return row, l.fail("ogp_values", "import.bad_value")
		}
		if !slices.Contains(row.Values, v) {
			row.Values = append(row.Values, v)
		}
	}
	if row.Completion == "" {
		row.Completion = ouvert.CompletionNotStarted
	} else if !slices.Contains(ouvert.Completions, row.Completion) {
		return row, l.fail("completion", "import.bad_completion")
	}
	if s := l.get("progress"); s != "" {
		n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(s, "%")))
		if err != nil || n < 0 || n > 100 {
			return row, l.fail("progress", "import.bad_progress")
		}
		row.Progress = &n
	}
	return row, nil
}

// milestone reads the milestone of the line, if it has one.
func (l *record) milestone(loc *time.Location) (Milestone, bool, error) {
	m := Milestone{Line: l.line, Deliverable: l.get("milestone"), Status: strings.ToLower(l.get("milestone_status"))}
	start, end := l.get("milestone_start"), l.get("milestone_end")
	if m.Deliverable == "" {
		if start != "" || end != "" || m.Status != "" {
			return m, false, l.fail("milestone", "import.milestone_no_title")
		}
		return m, false, nil
	}
	if utf8.RuneCountInString(m.Deliverable) > maxCell {
		return m, false, l.fail("milestone", "import.too_long")
	}
	var ok bool
	if start != "" {
		if m.StartsAt, ok = ouvert.ParseMilestoneDate(start, loc, false); !ok {
			return m, false, l.fail("milestone_start", "import.bad_date")
		}
	}
	if end != "" {
		if m.EndsAt, ok = ouvert.ParseMilestoneDate(end, loc, true); !ok {
			return m, false, l.fail("milestone_end", "import.bad_date")
		}
	}
	if !m.StartsAt.IsZero() && !m.EndsAt.IsZero() && m.EndsAt.Before(m.StartsAt) {
		return m, false, l.fail("milestone_end", "import.date_order")
	}
	switch {
	case m.Status == "":
		m.Status = ouvert.MilestoneNotStarted
	case !slices.Contains(ouvert.MilestoneStatuses, m.Status):
		return m, false, l.fail("milestone_status", "import.bad_status")
	case m.Status == ouvert.MilestoneDone && m.EndsAt.IsZero():
		// The plan dates a milestone done from its end.
		return m, false, l.fail("milestone_end", "import.done_without_end")
	}
	return m, true, nil
}

// agree refuses a line that repeats a commitment's number with other commitment cells.
func agree(first, again *Row, l *record) error {
	progress := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	values := func(r *Row) []string {
		ogp := slices.Sorted(slices.Values(r.Values))
		return []string{r.Title, r.Axis, r.LeadAdministration, r.OtherActors, strings.Join(ogp, " "), r.Completion, progress(r.Progress)}
	}
	a, b := values(first), values(again)
	for i, name := range commitmentColumns {
		if a[i] != b[i] {
			return l.fail(name, "import.disagrees")
		}
	}
	return nil
}

// Count returns how many commitments and milestones rows hold.
func Count(rows []Row) (commitments, milestones int) {
	for _, r := range rows {
		milestones += len(r.Milestones)
	}
	return len(rows), milestones
}

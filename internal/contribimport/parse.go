// Package contribimport reads a process' contributions, with their arguments and votes, from the
// CSV layout of the open-data archive (contributions.csv, and axes.csv, arguments.csv and
// votes.csv if given), checks every line of every file, and adds them to a process all at once or
// not at all. The `ouvert import contributions` command uses it.
package contribimport

import (
	"bufio"
	"bytes"
	"cmp"
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
	"ouvert/internal/opendata"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// Required columns of each file; the archive's other columns are optional, so that a file made by
// hand or converted from another platform may hold only these.
var required = map[string][]string{
	"axes":          {"id", "number"},
	"contributions": {"title", "body", "axis_id"},
	"arguments":     {"contribution_id", "body"},
	"votes":         {"contribution_id", "participant", "value"},
}

// hiddenReasons are the reasons a text is hidden for: a report's (ouvert.ReportReasons), pending
// review (ouvert.HiddenPending), moderated out on the platform it was imported from (polis'
// HiddenAtSource), taken away with its author's account (store.DeleteUserContent).
var hiddenReasons = slices.Concat(ouvert.ReportReasons, []string{ouvert.HiddenPending, "source", "deleted"})

// maxParticipantLen bounds a participant's identifier, the local part of their address.
const maxParticipantLen = 64

// Error says which file, line and column was refused, and why. Reason is a message key of the
// i18n catalogue ("contribimport.bad_status"), so that a page could show it in the person's
// language; Error gives the English sentence the command prints.
type Error struct {
	File   string // the file's name as given; empty when only one file is read
	Line   int
	Column string // empty when the fault is the whole line or the whole file
	Reason string
}

func (e *Error) Error() string {
	text, ok := reasons[e.Reason]
	if !ok {
		text = e.Reason
	}
	where := fmt.Sprintf("line %d", e.Line)
	if e.Column != "" {
		where += ", column " + e.Column
	}
	if e.File != "" {
		where = e.File + ": " + where
	}
	return where + ": " + text
}

// reasons holds the English text of each reason, for the command line; the catalogues in
// internal/i18n hold the same keys in French and English. The import.* keys are those the
// commitments import shares.
var reasons = map[string]string{
	"import.no_header":                       "the file is empty: it needs a first line naming the columns",
	"import.bad_encoding":                    "the file is not UTF-8 text: save it as \"CSV UTF-8\"",
	"import.bad_csv":                         "the line is not valid CSV: check its quotes",
	"import.field_count":                     "the line does not have as many cells as the first line has columns",
	"import.missing_column":                  "the file lacks this column",
	"import.duplicate_column":                "this column appears twice",
	"import.unnamed_column":                  "this cell is in a column without a name",
	"import.required":                        "this cell must not be empty",
	"import.too_long":                        "this text is too long",
	"contribimport.unknown_column":           "this column is unknown: the columns are those of the open-data archive's file of the same name",
	"contribimport.empty":                    "the file holds no contribution",
	"contribimport.bad_id":                   "the identifier must be a whole number greater than 0",
	"contribimport.duplicate_id":             "this identifier is already on an earlier line",
	"contribimport.bad_number":               "the axis number must be a whole number greater than 0",
	"contribimport.several_processes":        "this line belongs to another process than the lines before it: import one process at a time",
	"contribimport.unknown_axis":             "the process has no axis of this identifier: give the source's axes.csv with --axes, or the identifiers of the process' axes",
	"contribimport.axis_not_in_file":         "this axis is not in the axes file",
	"contribimport.no_axis_number":           "the process has no axis of this axis' number",
	"contribimport.bad_status":               "the status must be published, hidden or withdrawn",
	"contribimport.bad_argument_status":      "an argument's status must be published or hidden",
	"contribimport.reason_required":          "a hidden text needs the reason it was hidden for",
	"contribimport.reason_not_hidden":        "only a hidden or withdrawn text has a hidden_reason",
	"contribimport.bad_hidden_reason":        "the reason must be spam, offensive, off_topic, personal_data, other, pending, source or deleted",
	"contribimport.bad_participant":          "the participant must be an identifier of at most 64 letters, digits, '-', '_' or '.'",
	"contribimport.name_without_participant": "an author_name needs a participant: give each author an identifier",
	"contribimport.name_disagrees":           "this participant has another author_name on an earlier line",
	"contribimport.bad_origin":               "the origin must be online, event or facilitated",
	"contribimport.unknown_organisation":     "no organisation of this name exists here: create it first, or leave the cell empty",
	"contribimport.bad_boolean":              "the value must be true or false",
	"contribimport.bad_date":                 "the date must be written as the export writes it (RFC 3339), such as 2017-10-05T14:30:00Z",
	"contribimport.bad_response":             "the response must be review, retained, merged, draft, not_retained or out_of_scope",
	"contribimport.response_reason_required": "this response needs its reason",
	"contribimport.merge_target_required":    "a merged contribution needs the id of the contribution it was merged into",
	"contribimport.merge_not_merged":         "only a merged contribution names a contribution it was merged into",
	"contribimport.unknown_merge_target":     "no other line of the file has this id",
	"contribimport.unknown_contribution":     "no line of the contributions file has this id",
	"contribimport.bad_stance":               "the stance must be for, against or neutral",
	"contribimport.reply_stance":             "a reply has no stance: leave the cell empty",
	"contribimport.unknown_parent":           "no line of the arguments file has this id",
	"contribimport.reply_to_reply":           "a reply answers a top-level argument of the same contribution",
	"contribimport.bad_vote":                 "the value must be 1 (agree), 0 (mixed) or -1 (disagree)",
	"contribimport.duplicate_vote":           "this participant already voted on this contribution on an earlier line",
}

// Reasons returns every reason key Parse may give, sorted, so that tests can check that the
// catalogues translate each one.
func Reasons() []string { return slices.Sorted(maps.Keys(reasons)) }

// File is one CSV file of an import.
type File struct {
	Name string    // as the person gave it, for messages
	R    io.Reader // nil when the file is not given
}

// Files are the files of an import. Contributions is required; without Axes, the contributions'
// axis_id are the target process' own axes; without Arguments or Votes, the contributions have
// none and their counts are zero.
type Files struct {
	Contributions, Axes, Arguments, Votes File
}

// Target is what the files are checked against.
type Target struct {
	Axes          []ouvert.Axis    // the process' axes
	Organisations map[string]int64 // the instance's organisations by name
	Now           time.Time        // the date of rows whose file gives none
}

// Set is what Parse read, ready for Import.
type Set struct {
	Rows store.ContributionImport
	// Hidden and Withdrawn count the contributions of each status.
	Hidden, Withdrawn int
}

// Summary returns the counts the command prints.
func (s *Set) Summary() (contributions, hidden, withdrawn, arguments, votes, participants int) {
	r := &s.Rows
	return len(r.Contributions), s.Hidden, s.Withdrawn, len(r.Arguments), len(r.Votes), len(r.Participants)
}

// Parse reads and checks the files: each in the export's CSV layout (UTF-8, a header naming the
// columns in any order, an optional byte-order mark, commas or semicolons, cells that the export
// guarded against spreadsheet formulas with an apostrophe). The first fault of the first faulty
// file refuses everything with an *Error. Every row gets a new id on import: the files' ids only
// link rows to each other. The files are read as streams: memory holds the rows, not the files.
func Parse(files Files, t Target) (*Set, error) {
	p := &parser{target: t, set: &Set{}, participants: map[string]int{}, axisByID: map[int64]bool{}, axisByNumber: map[int]int64{},
		contributionOf: map[int64]int{}}
	for _, a := range t.Axes {
		p.axisByID[a.ID] = true
		p.axisByNumber[a.Position] = a.ID
	}
	if files.Contributions.R == nil {
		return nil, errors.New("contribimport: no contributions file")
	}
	steps := []struct {
		f     File
		table string
		read  func(*reader) error
	}{
		{files.Axes, "axes", p.axes},
		{files.Contributions, "contributions", p.contributions},
		{files.Arguments, "arguments", p.arguments},
		{files.Votes, "votes", p.votes},
	}
	for _, s := range steps {
		if s.f.R == nil {
			continue
		}
		r, err := newReader(s.f, s.table)
		if err != nil {
			return nil, err
		}
		if err := s.read(r); err != nil {
			return nil, err
		}
	}
	return p.set, nil
}

// parser holds what the files read so far link to.
type parser struct {
	target       Target
	set          *Set
	participants map[string]int // key → index in set.Rows.Participants
	named        []bool         // whether a participant's name came from an author_name
	axisByID     map[int64]bool
	axisByNumber map[int]int64
	// sourceAxes maps the axes file's ids to their numbers; nil without the file.
	sourceAxes     map[int64]int
	contributionOf map[int64]int // the file's id → index
}

func (p *parser) axes(r *reader) error {
	p.sourceAxes = map[int64]int{}
	return r.each(func(l *record) error {
		id, err := l.id("id", true)
		if err != nil {
			return err
		}
		if _, dup := p.sourceAxes[id]; dup {
			return l.fail("id", "contribimport.duplicate_id")
		}
		n, err := strconv.Atoi(l.get("number"))
		if err != nil || n < 1 {
			return l.fail("number", "contribimport.bad_number")
		}
		p.sourceAxes[id] = n
		return nil
	})
}

func (p *parser) contributions(r *reader) error {
	rows := &p.set.Rows
	type merge struct {
		row    int
		target int64
		line   *record
	}
	var merges []merge
	process := ""
	err := r.each(func(l *record) error {
		c := store.ImportedContribution{Author: store.NoRow, MergedInto: store.NoRow}
		id, err := l.id("id", false)
		if err != nil {
			return err
		}
		if id != 0 {
			if _, dup := p.contributionOf[id]; dup {
				return l.fail("id", "contribimport.duplicate_id")
			}
			p.contributionOf[id] = len(rows.Contributions)
		}
		if s := l.get("process_id"); s != "" {
			if _, err := l.id("process_id", true); err != nil {
				return err
			}
			if process == "" {
				process = s
			} else if s != process {
				return l.fail("process_id", "contribimport.several_processes")
			}
		}
		if c.AxisID, err = p.axis(l); err != nil {
			return err
		}
		if c.Status, c.HiddenReason, err = status(l, "contribimport.bad_status", ouvert.StatusPublished, ouvert.StatusHidden, ouvert.StatusWithdrawn); err != nil {
			return err
		}
		switch c.Status {
		case ouvert.StatusHidden:
			p.set.Hidden++
		case ouvert.StatusWithdrawn:
			p.set.Withdrawn++
		}
		// Hidden and withdrawn rows of the export have no text: they keep their place and status.
		published := c.Status == ouvert.StatusPublished
		if c.Title, err = l.text("title", ouvert.MaxTitleLen, published); err != nil {
			return err
		}
		if c.Body, err = l.text("body", ouvert.MaxBodyLen, published); err != nil {
			return err
		}
		if c.Author, err = p.author(l); err != nil {
			return err
		}
		if org := l.get("organisation"); org != "" {
			var ok bool
			if c.OrganisationID, ok = p.target.Organisations[org]; !ok {
				return l.fail("organisation", "contribimport.unknown_organisation")
			}
		}
		c.Origin = ouvert.Origin(strings.ToLower(l.get("origin")))
		if c.Origin == "" {
			c.Origin = ouvert.OriginOnline
		} else if !slices.Contains(ouvert.Origins, c.Origin) {
			return l.fail("origin", "contribimport.bad_origin")
		}
		if c.OnBehalfOf, err = l.text("on_behalf_of", ouvert.MaxTitleLen, false); err != nil {
			return err
		}
		if s := l.get("example"); s != "" {
			if c.Example, err = strconv.ParseBool(strings.ToLower(s)); err != nil {
				return l.fail("example", "contribimport.bad_boolean")
			}
		}
		if c.CreatedAt, err = p.date(l, "created_at"); err != nil {
			return err
		}
		c.Response = ouvert.ResponseReview
		if s := strings.ToLower(l.get("response")); s != "" {
			var ok bool
			if c.Response, ok = ouvert.ParseResponse(s); !ok {
				return l.fail("response", "contribimport.bad_response")
			}
		}
		if c.ResponseReason, err = l.text("response_reason", ouvert.MaxReasonLen, false); err != nil {
			return err
		}
		// As ouvert.Answer.Validate asks of a final answer.
		switch c.Response {
		case ouvert.ResponseNotRetained, ouvert.ResponseOutOfScope, ouvert.ResponseMerged:
			if c.ResponseReason == "" {
				return l.fail("response_reason", "contribimport.response_reason_required")
			}
		}
		target, err := l.id("merged_into", false)
		if err != nil {
			return err
		}
		switch {
		case target != 0 && c.Response != ouvert.ResponseMerged:
			return l.fail("merged_into", "contribimport.merge_not_merged")
		case target == 0 && c.Response == ouvert.ResponseMerged:
			return l.fail("merged_into", "contribimport.merge_target_required")
		case target != 0:
			merges = append(merges, merge{len(rows.Contributions), target, l.keep()})
		}
		if l.get("responded_at") != "" {
			if c.RespondedAt, err = p.date(l, "responded_at"); err != nil {
				return err
			}
		}
		// agree, mixed, disagree and arguments come from the votes and arguments imported;
		// event_id names an event of the source, which the target does not have.
		rows.Contributions = append(rows.Contributions, c)
		return nil
	})
	if err != nil {
		return err
	}
	if len(rows.Contributions) == 0 {
		return &Error{File: r.file, Line: 2, Reason: "contribimport.empty"}
	}
	for _, m := range merges {
		i, ok := p.contributionOf[m.target]
		if !ok || i == m.row {
			return m.line.fail("merged_into", "contribimport.unknown_merge_target")
		}
		rows.Contributions[m.row].MergedInto = i
	}
	return nil
}

// axis returns the target axis of a contribution's axis_id.
func (p *parser) axis(l *record) (int64, error) {
	if l.get("axis_id") == "" {
		return 0, l.fail("axis_id", "import.required")
	}
	id, err := l.id("axis_id", true)
	if err != nil {
		return 0, err
	}
	if p.sourceAxes == nil {
		if !p.axisByID[id] {
			return 0, l.fail("axis_id", "contribimport.unknown_axis")
		}
		return id, nil
	}
	n, ok := p.sourceAxes[id]
	if !ok {
		return 0, l.fail("axis_id", "contribimport.axis_not_in_file")
	}
	target, ok := p.axisByNumber[n]
	if !ok {
		return 0, l.fail("axis_id", "contribimport.no_axis_number")
	}
	return target, nil
}

func (p *parser) arguments(r *reader) error {
	rows := &p.set.Rows
	argumentOf := map[int64]int{}
	type reply struct {
		row    int
		parent int64
		line   *record
	}
	var replies []reply
	isReply := map[int]bool{}
	err := r.each(func(l *record) error {
		a := store.ImportedArgument{Parent: store.NoRow}
		id, err := l.id("id", false)
		if err != nil {
			return err
		}
		if id != 0 {
			if _, dup := argumentOf[id]; dup {
				return l.fail("id", "contribimport.duplicate_id")
			}
			argumentOf[id] = len(rows.Arguments)
		}
		if a.Contribution, err = p.contribution(l); err != nil {
			return err
		}
		parent, err := l.id("parent_id", false)
		if err != nil {
			return err
		}
		if parent != 0 {
			isReply[len(rows.Arguments)] = true
			replies = append(replies, reply{len(rows.Arguments), parent, l.keep()})
		}
		if a.Status, a.HiddenReason, err = status(l, "contribimport.bad_argument_status", ouvert.StatusPublished, ouvert.StatusHidden); err != nil {
			return err
		}
		a.Stance = strings.ToLower(l.get("stance"))
		switch {
		case parent != 0 && a.Stance != "":
			return l.fail("stance", "contribimport.reply_stance")
		case parent == 0 && !ouvert.ValidStance(a.Stance):
			return l.fail("stance", "contribimport.bad_stance")
		}
		if a.Body, err = l.text("body", ouvert.MaxArgumentLen, a.Status == ouvert.StatusPublished); err != nil {
			return err
		}
		if a.Author, err = p.author(l); err != nil {
			return err
		}
		// useful counts marks whose authors the archive does not name: it is not imported.
		if a.CreatedAt, err = p.date(l, "created_at"); err != nil {
			return err
		}
		rows.Arguments = append(rows.Arguments, a)
		return nil
	})
	if err != nil {
		return err
	}
	for _, rp := range replies {
		i, ok := argumentOf[rp.parent]
		if !ok {
			return rp.line.fail("parent_id", "contribimport.unknown_parent")
		}
		// Replies go one level deep, as on the site.
		if i == rp.row || isReply[i] || rows.Arguments[i].Contribution != rows.Arguments[rp.row].Contribution {
			return rp.line.fail("parent_id", "contribimport.reply_to_reply")
		}
		rows.Arguments[rp.row].Parent = i
	}
	return nil
}

func (p *parser) votes(r *reader) error {
	rows := &p.set.Rows
	seen := map[uint64]bool{}
	return r.each(func(l *record) error {
		var v store.ImportedVote
		var err error
		if v.Contribution, err = p.contribution(l); err != nil {
			return err
		}
		key := strings.ToLower(l.get("participant"))
		if key == "" {
			return l.fail("participant", "import.required")
		}
		if v.Voter, err = p.participant(l, key, ""); err != nil {
			return err
		}
		switch l.get("value") {
		case "1", "+1":
			v.Value = ouvert.VoteAgree
		case "0":
			v.Value = ouvert.VoteMixed
		case "-1":
			v.Value = ouvert.VoteDisagree
		default:
			return l.fail("value", "contribimport.bad_vote")
		}
		k := uint64(v.Contribution)<<32 | uint64(v.Voter)
		if seen[k] {
			return l.fail("participant", "contribimport.duplicate_vote")
		}
		seen[k] = true
		if v.At, err = p.date(l, "voted_at"); err != nil {
			return err
		}
		rows.Votes = append(rows.Votes, v)
		return nil
	})
}

// contribution returns the index of the contribution a line's contribution_id names.
func (p *parser) contribution(l *record) (int, error) {
	if l.get("contribution_id") == "" {
		return 0, l.fail("contribution_id", "import.required")
	}
	id, err := l.id("contribution_id", true)
	if err != nil {
		return 0, err
	}
	i, ok := p.contributionOf[id]
	if !ok {
		return 0, l.fail("contribution_id", "contribimport.unknown_contribution")
	}
	return i, nil
}

// author returns the participant of a contribution's or argument's line, or store.NoRow for a
// text without one (a deleted account, or a hidden text, whose author the export leaves out).
func (p *parser) author(l *record) (int, error) {
	key, name := strings.ToLower(l.get("participant")), l.get("author_name")
	if key == "" {
		if name != "" {
			return store.NoRow, l.fail("author_name", "contribimport.name_without_participant")
		}
		return store.NoRow, nil
	}
	return p.participant(l, key, name)
}

// participant returns the index of a participant, adding it at its first line. Its name is the
// first author_name given, or else its identifier.
func (p *parser) participant(l *record, key, name string) (int, error) {
	if !validKey(key) {
		return 0, l.fail("participant", "contribimport.bad_participant")
	}
	if utf8.RuneCountInString(name) > ouvert.MaxDisplayNameLen {
		return 0, l.fail("author_name", "import.too_long")
	}
	rows := &p.set.Rows
	i, ok := p.participants[key]
	if !ok {
		i = len(rows.Participants)
		p.participants[key] = i
		rows.Participants = append(rows.Participants, store.ImportedParticipant{Key: key, Name: cmp.Or(name, key)})
		p.named = append(p.named, name != "")
		return i, nil
	}
	switch {
	case name == "":
	case !p.named[i]:
		rows.Participants[i].Name, p.named[i] = name, true
	case rows.Participants[i].Name != name:
		return 0, l.fail("author_name", "contribimport.name_disagrees")
	}
	return i, nil
}

// validKey reports whether a participant's identifier can be the local part of an address.
func validKey(k string) bool {
	if len(k) > maxParticipantLen || k[0] == '.' || k[len(k)-1] == '.' || strings.Contains(k, "..") {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// status reads a line's status (published when empty), refused with bad unless allowed, and its
// hidden reason.
func status(l *record, bad string, allowed ...string) (string, string, error) {
	s, reason := strings.ToLower(l.get("status")), l.get("hidden_reason")
	if s == "" {
		s = ouvert.StatusPublished
	}
	if !slices.Contains(allowed, s) {
		return "", "", l.fail("status", bad)
	}
	switch {
	case reason == "" && s == ouvert.StatusHidden:
		return "", "", l.fail("hidden_reason", "contribimport.reason_required")
	case reason == "":
	case s == ouvert.StatusPublished:
		return "", "", l.fail("hidden_reason", "contribimport.reason_not_hidden")
	case !slices.Contains(hiddenReasons, reason):
		return "", "", l.fail("hidden_reason", "contribimport.bad_hidden_reason")
	}
	return s, reason, nil
}

// date reads an RFC 3339 date, or the target's now when the cell is empty.
func (p *parser) date(l *record, column string) (time.Time, error) {
	s := l.get(column)
	if s == "" {
		return p.target.Now.UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, l.fail(column, "contribimport.bad_date")
	}
	return t.UTC(), nil
}

// reader reads one file's lines as records under its header.
type reader struct {
	file   string
	cr     *csv.Reader
	header []string
	col    map[string]int
}

// newReader reads a file's header and checks its columns against the archive's table.
func newReader(f File, table string) (*reader, error) {
	br := bufio.NewReaderSize(f.R, 64<<10)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\ufeff")) {
		br.Discard(3)
	}
	r := &reader{file: f.Name, cr: csv.NewReader(br), col: map[string]int{}}
	// French spreadsheets separate with semicolons.
	head, _ := br.Peek(br.Size())
	first, _, _ := bytes.Cut(head, []byte("\n"))
	if !bytes.Contains(first, []byte(",")) && bytes.Contains(first, []byte(";")) {
		r.cr.Comma = ';'
	}
	r.cr.ReuseRecord = true
	header, err := r.cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &Error{File: r.file, Line: 1, Reason: "import.no_header"}
	} else if err != nil {
		return nil, r.csvError(err)
	}
	if err := r.utf8(header); err != nil {
		return nil, err
	}
	r.header = slices.Clone(header)
	var columns []string
	for _, t := range opendata.Tables {
		if t.Name == table {
			for _, c := range t.Columns {
				columns = append(columns, c.Name)
			}
		}
	}
	for i, h := range r.header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "":
			continue
		case !slices.Contains(columns, h):
			return nil, &Error{File: r.file, Line: 1, Column: h, Reason: "contribimport.unknown_column"}
		}
		if _, dup := r.col[h]; dup {
			return nil, &Error{File: r.file, Line: 1, Column: h, Reason: "import.duplicate_column"}
		}
		r.col[h] = i
	}
	for _, h := range required[table] {
		if _, ok := r.col[h]; !ok {
			return nil, &Error{File: r.file, Line: 1, Column: h, Reason: "import.missing_column"}
		}
	}
	return r, nil
}

// each calls fn with every line that is not blank, stopping at its first error.
func (r *reader) each(fn func(*record) error) error {
	l := &record{r: r}
	for {
		rec, err := r.cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return r.csvError(err)
		}
		if err := r.utf8(rec); err != nil {
			return err
		}
		l.rec = rec
		l.line, _ = r.cr.FieldPos(0)
		if l.blank() {
			continue
		}
		for i, s := range rec {
			if strings.TrimSpace(r.header[i]) == "" && strings.TrimSpace(s) != "" {
				return l.fail(strconv.Itoa(i+1), "import.unnamed_column")
			}
		}
		if err := fn(l); err != nil {
			return err
		}
	}
}

// utf8 refuses a record holding bytes that are not UTF-8, naming its line.
func (r *reader) utf8(rec []string) error {
	for i, s := range rec {
		if !utf8.ValidString(s) {
			line, _ := r.cr.FieldPos(i)
			return &Error{File: r.file, Line: line, Reason: "import.bad_encoding"}
		}
	}
	return nil
}

// csvError turns a syntax error of the CSV reader into an *Error.
func (r *reader) csvError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("contribimport: %s: %w", r.file, err)
	}
	reason := "import.bad_csv"
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		reason = "import.field_count"
	}
	return &Error{File: r.file, Line: pe.Line, Reason: reason}
}

// record is one line of a file.
type record struct {
	r    *reader
	rec  []string
	line int
}

// keep returns the line's place, for an error found after the file is read.
func (l *record) keep() *record { return &record{r: l.r, line: l.line} }

// get returns a cell, trimmed, with the apostrophe that guarded a formula taken off again.
func (l *record) get(name string) string {
	i, ok := l.r.col[name]
	if !ok || i >= len(l.rec) {
		return ""
	}
	return strings.TrimSpace(csvsafe.Uncell(l.rec[i]))
}

func (l *record) fail(column, reason string) error {
	return &Error{File: l.r.file, Line: l.line, Column: column, Reason: reason}
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

// id reads an identifier: a whole number above 0, or 0 (or nothing) for none unless required.
func (l *record) id(column string, required bool) (int64, error) {
	s := l.get(column)
	if s == "" && !required {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || (n == 0 && required) {
		return 0, l.fail(column, "contribimport.bad_id")
	}
	return n, nil
}

// text reads a text of at most max characters, required or not.
func (l *record) text(column string, max int, required bool) (string, error) {
	s := l.get(column)
	if s == "" && required {
		return "", l.fail(column, "import.required")
	}
	if utf8.RuneCountInString(s) > max {
		return "", l.fail(column, "import.too_long")
	}
	return s, nil
}

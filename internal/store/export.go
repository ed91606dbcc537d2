package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"ouvert/internal/ouvert"
)

// The Each* methods stream a table row by row in id order, for the open-data export: memory
// stays flat whatever the table's size. The database drivers stream rows as they come (modernc's
// SQLite steps the statement at each Next; pgx reads the server's rows as they arrive).

// BulkReader returns a view of db for reading whole tables, such as the open-data export, and a
// function that closes it. On SQLite its reads go through one connection of their own whose page
// cache holds up to cacheMB megabytes, against SQLite's default 2 MB for the pool's readers: the
// export's joins look up the author of every contribution and argument in the users table (40 MB
// for 250,000 users), and the votes' index order looks up every vote in its table, which with
// the default cache read most pages from the file again and again (a tenth of the export's time
// at 10,000,000 votes). The memory is taken as pages are read and given back on close. On
// PostgreSQL the view is db itself.
func (db *DB) BulkReader(ctx context.Context, cacheMB int) (*DB, func() error, error) {
	if db.dialect.name() != "sqlite" {
		return db, func() error { return nil }, nil
	}
	r, err := sql.Open("sqlite", db.readDSN+fmt.Sprintf("&_pragma=cache_size(%d)", -cacheMB*1024))
	if err != nil {
		return nil, nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	r.SetMaxOpenConns(1)
	if err := r.PingContext(ctx); err != nil {
		r.Close()
		return nil, nil, fmt.Errorf("store: connect: %w", err)
	}
	return &DB{write: db.write, read: r, dialect: db.dialect, Now: db.Now, readDSN: db.readDSN}, r.Close, nil
}

// EachContribution calls fn for every contribution.
func (db *DB) EachContribution(ctx context.Context, fn func(*ouvert.Contribution) error) error {
	return db.each(ctx, func(s scanner) error {
		c, err := scanContribution(s)
		if err != nil {
			return err
		}
		return fn(c)
	}, `SELECT `+db.timesAsText(contributionColumns, "c.created_at", "c.updated_at", "c.responded_at")+contributionFrom+` ORDER BY c.id`)
}

// EachArgument calls fn for every argument and reply.
func (db *DB) EachArgument(ctx context.Context, fn func(*ouvert.Argument) error) error {
	return db.each(ctx, func(s scanner) error {
		a, err := scanArgument(s)
		if err != nil {
			return err
		}
		return fn(a)
	}, `SELECT `+db.timesAsText(argumentColumns, "a.created_at", "a.edited_at")+argumentFrom+` ORDER BY a.id`)
}

// EachVote calls fn for every vote.
func (db *DB) EachVote(ctx context.Context, fn func(contributionID, userID int64, value int, at time.Time) error) error {
	// The row's destinations, made once: ten million votes are as many rows.
	var c, u, v int64
	var at time.Time
	dest := []any{intDest(&c), intDest(&u), intDest(&v), (*textTime)(&at)}
	return db.each(ctx, func(s scanner) error {
		if err := s.Scan(dest...); err != nil {
			return err
		}
		return fn(c, u, int(v), at.UTC())
	}, `SELECT contribution_id, user_id, value, `+db.timesAsText("updated_at", "updated_at")+` FROM votes ORDER BY contribution_id, user_id`)
}

// EachEvent calls fn for every published or cancelled event.
func (db *DB) EachEvent(ctx context.Context, fn func(*ouvert.Event) error) error {
	return db.each(ctx, func(s scanner) error {
		e, err := scanEvent(s)
		if err != nil {
			return err
		}
		return fn(e)
	}, `SELECT `+eventColumns+` FROM events e WHERE e.status IN ('published', 'cancelled') ORDER BY e.id`)
}

// EachSynthesisVersion calls fn for every published version of every synthesis, with whether it
// is the synthesis' current version.
func (db *DB) EachSynthesisVersion(ctx context.Context, fn func(s *ouvert.Synthesis, v *ouvert.SynthesisVersion, current bool) error) error {
	return db.each(ctx, func(sc scanner) error {
		var s ouvert.Synthesis
		var v ouvert.SynthesisVersion
		if err := sc.Scan(&s.ID, &s.ProcessID, &s.AxisID, &s.Example, &s.PublishedID, &v.ID, &v.Number, &v.Title, &v.Expanded, &v.PublishedAt); err != nil {
			return err
		}
		v.SynthesisID, v.PublishedAt = s.ID, v.PublishedAt.UTC()
		return fn(&s, &v, v.ID == s.PublishedID)
	}, `SELECT s.id, s.process_id, s.axis_id, s.example, s.published_id, v.id, v.number, v.title, v.expanded, v.published_at
		FROM synthesis_versions v JOIN syntheses s ON s.id = v.synthesis_id WHERE s.published_id IS NOT NULL ORDER BY s.id, v.number`)
}

// EachCitation calls fn for every contribution that a published synthesis cites.
func (db *DB) EachCitation(ctx context.Context, fn func(synthesisID, contributionID int64) error) error {
	return db.each(ctx, func(s scanner) error {
		var syn, c int64
		if err := s.Scan(&syn, &c); err != nil {
			return err
		}
		return fn(syn, c)
	}, `SELECT sc.synthesis_id, sc.contribution_id FROM synthesis_citations sc JOIN syntheses s ON s.id = sc.synthesis_id
		WHERE s.published_id IS NOT NULL ORDER BY sc.synthesis_id, sc.contribution_id`)
}

// EachDraft calls fn for every draft commitment with its current version.
func (db *DB) EachDraft(ctx context.Context, fn func(*ouvert.Draft) error) error {
	return db.each(ctx, func(s scanner) error {
		d, err := scanDraft(s, &ouvert.DraftVersion{})
		if err != nil {
			return err
		}
		return fn(d)
	}, `SELECT `+draftColumns+`, `+draftVersionColumns+draftFrom+` ORDER BY d.id`)
}

// EachAmendment calls fn for every amendment, without its text.
func (db *DB) EachAmendment(ctx context.Context, fn func(*ouvert.Amendment) error) error {
	return db.each(ctx, func(s scanner) error {
		a, err := scanAmendment(s)
		if err != nil {
			return err
		}
		return fn(a)
	}, `SELECT `+strings.Replace(amendmentColumns, "am.text", "''", 1)+amendmentFrom+` ORDER BY am.id`)
}

// EachPublicPlan calls fn for every plan that is not in preparation.
func (db *DB) EachPublicPlan(ctx context.Context, fn func(*ouvert.Plan) error) error {
	return db.each(ctx, func(s scanner) error {
		p, err := scanPlan(s)
		if err != nil {
			return err
		}
		return fn(p)
	}, `SELECT `+planColumns+` FROM plans p WHERE p.status <> 'preparation' ORDER BY p.id`)
}

// EachPublicCommitment calls fn for every commitment of a plan that is not in preparation.
func (db *DB) EachPublicCommitment(ctx context.Context, fn func(*ouvert.Commitment) error) error {
	return db.each(ctx, func(s scanner) error {
		c, err := scanCommitment(s)
		if err != nil {
			return err
		}
		return fn(c)
	}, `SELECT `+commitmentColumns+` FROM commitments c JOIN plans p ON p.id = c.plan_id WHERE p.status <> 'preparation' ORDER BY c.plan_id, c.number`)
}

// EachPublicMilestone calls fn for every milestone of a commitment of a public plan.
func (db *DB) EachPublicMilestone(ctx context.Context, fn func(*ouvert.PlanMilestone) error) error {
	list, err := db.planMilestones(ctx, `m.commitment_id IN (SELECT c.id FROM commitments c JOIN plans p ON p.id = c.plan_id WHERE p.status <> 'preparation')`)
	if err != nil {
		return err
	}
	for _, m := range list {
		if err := fn(m); err != nil {
			return err
		}
	}
	return nil
}

// EachPublicUpdate calls fn for every follow-up entry of a commitment of a public plan.
func (db *DB) EachPublicUpdate(ctx context.Context, fn func(*ouvert.CommitmentUpdate) error) error {
	return db.each(ctx, func(s scanner) error {
		var u ouvert.CommitmentUpdate
		if err := s.Scan(&u.ID, &u.CommitmentID, &u.Kind, &u.Body, &u.Detail, &u.AuthorName, &u.CreatedAt); err != nil {
			return err
		}
		u.CreatedAt = u.CreatedAt.UTC()
		return fn(&u)
	}, `SELECT u.id, u.commitment_id, u.kind, u.body, u.detail, COALESCE(us.display_name, ''), u.created_at FROM commitment_updates u
		JOIN plans p ON p.id = u.plan_id LEFT JOIN users us ON us.id = u.author_id WHERE p.status <> 'preparation' ORDER BY u.id`)
}

// timesAsText makes SQLite return the named time columns of a column list as text, which textTime
// parses: modernc's driver parses every value of a column declared as a time itself, trying a
// layout that never matches Ouvert's (that of time.Time.String) before the right one, which made
// time parsing a fifth of the open-data export's CPU time. PostgreSQL's times are left as they are.
func (db *DB) timesAsText(columns string, names ...string) string {
	if db.dialect.name() != "sqlite" {
		return columns
	}
	for _, n := range names {
		columns = strings.Replace(columns, n, "("+n+" || '')", 1)
	}
	return columns
}

// textTime scans a time given as a time.Time (as the drivers give a time column) or as SQLite's
// text (see timesAsText); NULL gives the zero time. Unlike anyTime (event_stats.go) it converts
// into a time.Time in place and reads every layout the driver reads.
type textTime time.Time

func (t *textTime) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*t = textTime(v)
	case nil:
		*t = textTime{}
	case string:
		p, err := parseSQLiteTime(v)
		*t = textTime(p)
		return err
	case []byte:
		p, err := parseSQLiteTime(string(v))
		*t = textTime(p)
		return err
	default:
		return fmt.Errorf("store: cannot read %T as a time", src)
	}
	return nil
}

// sqliteTimeLayouts are the layouts modernc's driver tries, in its order: time.Time.String's, then
// those of its parseTimeFormats (after cutting a final "Z").
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseSQLiteTime reads a time as the store writes it on SQLite ("2006-01-02 15:04:05.999999999-07:00",
// the driver's _time_format=sqlite) without time.Parse, and any other layout the driver reads
// with it. The result is the same instant; its location is UTC.
func parseSQLiteTime(s string) (time.Time, error) {
	if t, ok := parseTimeFast(s); ok {
		return t, nil
	}
	if i := strings.Index(s, " m="); i > 0 { // time.Time.String's monotonic clock reading
		if t, err := time.Parse(sqliteTimeLayouts[0], strings.TrimSpace(s[:i])); err == nil {
			return t.UTC(), nil
		}
	}
	ts, _ := strings.CutSuffix(s, "Z")
	for i, layout := range sqliteTimeLayouts {
		in := ts
		if i == 0 {
			in = strings.TrimSpace(s)
		}
		if t, err := time.Parse(layout, in); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("store: cannot read %q as a time", s)
}

// daysIn is the number of days in a month of a year.
func daysIn(month, year int) int {
	if month == 2 {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 30 + (month+month/8)%2
}

// parseTimeFast reads "YYYY-MM-DD HH:MM:SS", a 'T' allowed for the space, then optionally a
// fraction of 1 to 9 digits, then an offset "+HH:MM" or "-HH:MM", "Z" or nothing (UTC).
func parseTimeFast(s string) (time.Time, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits4(s[0:4])
	month, ok2 := digits2(s[5:7])
	day, ok3 := digits2(s[8:10])
	hour, ok4 := digits2(s[11:13])
	minute, ok5 := digits2(s[14:16])
	sec, ok6 := digits2(s[17:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 ||
		day > daysIn(month, year) {
		return time.Time{}, false
	}
	rest := s[19:]
	nsec := 0
	if len(rest) > 0 && rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 10 {
			return time.Time{}, false
		}
		for i := 1; i < 10; i++ {
			nsec *= 10
			if i < n {
				nsec += int(rest[i] - '0')
			}
		}
		rest = rest[n:]
	}
	offset := 0
	switch {
	case rest == "" || rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		h, okh := digits2(rest[1:3])
		m, okm := digits2(rest[4:6])
		if !okh || !okm || h > 23 || m > 59 {
			return time.Time{}, false
		}
		offset = h*3600 + m*60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if offset != 0 {
		t = t.Add(-time.Duration(offset) * time.Second)
	}
	return t, true
}

// intCol scans an integer column without database/sql's conversion by reflection (which turns an
// int64 into a string and back for an int): both drivers give integers as int64.
type intCol[T ~int | ~int64] struct{ p *T }

// intDest is an intCol for *p.
func intDest[T ~int | ~int64](p *T) intCol[T] { return intCol[T]{p} }

func (c intCol[T]) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*c.p = T(v)
		return nil
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		*c.p = T(n)
		return err
	case []byte:
		n, err := strconv.ParseInt(string(v), 10, 64)
		*c.p = T(n)
		return err
	}
	return fmt.Errorf("store: cannot read %T as an integer", src)
}

// digits2 and digits4 read two and four decimal digits.
func digits2(s string) (int, bool) {
	a, b := s[0]-'0', s[1]-'0'
	return int(a)*10 + int(b), a <= 9 && b <= 9
}

func digits4(s string) (int, bool) {
	hi, ok1 := digits2(s[0:2])
	lo, ok2 := digits2(s[2:4])
	return hi*100 + lo, ok1 && ok2
}

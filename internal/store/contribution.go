package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/textsearch"
)

// contributionColumns are read by scanContribution; c is contributions, u the author, o the organisation.
const contributionColumns = `c.id, c.process_id, c.axis_id, COALESCE(c.author_id, 0), COALESCE(u.display_name, ''),
	COALESCE(c.organisation_id, 0), COALESCE(o.name, ''), c.title, c.body, c.origin, COALESCE(c.origin_event_id, 0),
	c.on_behalf_of, c.status, c.hidden_reason, c.example, c.agree, c.mixed, c.disagree, c.arguments, c.followers,
	c.created_at, c.updated_at, COALESCE(ev.title, ''), c.response, c.response_reason, COALESCE(c.response_target, 0),
	c.responded_at`

// contributionJoins adds the author, the organisation and the event of origin to contributions c.
const contributionJoins = ` LEFT JOIN users u ON u.id = c.author_id LEFT JOIN organisations o ON o.id = c.organisation_id
	LEFT JOIN events ev ON ev.id = c.origin_event_id`

const contributionFrom = ` FROM contributions c` + contributionJoins

func scanContribution(s scanner) (*ouvert.Contribution, error) {
	var c ouvert.Contribution
	// Times through textTime: the export reads them as text on SQLite (see timesAsText). A NULL
	// responded_at leaves RespondedAt zero. Integers through intCol: the export reads a million.
	err := s.Scan(intDest(&c.ID), intDest(&c.ProcessID), intDest(&c.AxisID), intDest(&c.AuthorID), &c.AuthorName,
		intDest(&c.OrganisationID), &c.OrgName, &c.Title, &c.Body, &c.Origin, intDest(&c.OriginEventID), &c.OnBehalfOf,
		&c.Status, &c.HiddenReason, &c.Example, intDest(&c.Agree), intDest(&c.Mixed), intDest(&c.Disagree),
		intDest(&c.Arguments), intDest(&c.Followers), (*textTime)(&c.CreatedAt), (*textTime)(&c.UpdatedAt), &c.OriginEvent,
		&c.Response, &c.ResponseReason, intDest(&c.ResponseTarget), (*textTime)(&c.RespondedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if !c.RespondedAt.IsZero() {
		c.RespondedAt = c.RespondedAt.UTC()
	}
	return &c, nil
}

// CreateContribution publishes a contribution: it checks that the axis and themes belong to the
// process and that the person acting for an organisation is its member, keeps the counters, and
// makes the author follow it.
func (db *DB) CreateContribution(ctx context.Context, c *ouvert.Contribution) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.createContribution(ctx, c) })
}

// createContribution is CreateContribution within a transaction, for writes that publish several
// contributions at once (an event's ideas).
func (tx *Tx) createContribution(ctx context.Context, c *ouvert.Contribution) error {
	now := tx.db.Now()
	c.CreatedAt, c.UpdatedAt, c.Status = now, now, ouvert.StatusPublished
	if c.Origin == "" {
		c.Origin = ouvert.OriginOnline
	}
	if err := tx.checkAxisAndThemes(ctx, c); err != nil {
		return err
	}
	if c.OrganisationID != 0 && c.AuthorID != 0 {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE organisation_id = ? AND user_id = ?`, c.OrganisationID, c.AuthorID).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			return ouvert.FieldError("organisation", "contribution.not_member")
		}
	}
	id, err := tx.insert(ctx, `INSERT INTO contributions (process_id, axis_id, author_id, organisation_id, title, body, origin,
		origin_event_id, on_behalf_of, status, example, shuffle, search, created_at, updated_at, followers)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ProcessID, c.AxisID, nullID(c.AuthorID), nullID(c.OrganisationID), c.Title, c.Body, c.Origin,
		nullID(c.OriginEventID), c.OnBehalfOf, c.Status, c.Example, rand.Int32(), textsearch.Document(c.Title, c.Body),
		now, now, boolInt(c.AuthorID != 0))
	if err != nil {
		return fmt.Errorf("store: create contribution: %w", err)
	}
	c.ID = id
	if err := tx.setThemes(ctx, id, c.ThemeIDs); err != nil {
		return err
	}
	if c.AuthorID != 0 {
		c.Followers = 1
		if _, err := tx.exec(ctx, `INSERT INTO follows (contribution_id, user_id, created_at) VALUES (?, ?, ?)`, id, c.AuthorID, now); err != nil {
			return err
		}
	}
	return tx.countContribution(ctx, c.ID, 1)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (tx *Tx) checkAxisAndThemes(ctx context.Context, c *ouvert.Contribution) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM axes WHERE id = ? AND process_id = ?`, c.AxisID, c.ProcessID).Scan(&n); err != nil {
		return err
	} else if n == 0 {
		return ouvert.FieldError("axis", "form.choose")
	}
	for _, th := range c.ThemeIDs {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM themes WHERE id = ? AND process_id = ?`, th, c.ProcessID).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			return ouvert.FieldError("themes", "form.choose")
		}
	}
	return nil
}

func (tx *Tx) setThemes(ctx context.Context, id int64, themes []int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM contribution_themes WHERE contribution_id = ?`, id); err != nil {
		return err
	}
	for _, th := range themes {
		if _, err := tx.exec(ctx, `INSERT INTO contribution_themes (contribution_id, theme_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, th); err != nil {
			return fmt.Errorf("store: set themes: %w", err)
		}
	}
	return nil
}

// countContribution moves the published counters of a contribution's process, axis, response,
// origin and themes by delta: a contribution was published, withdrawn, hidden or restored.
func (tx *Tx) countContribution(ctx context.Context, id int64, delta int) error {
	var processID, axisID int64
	var response string
	var origin ouvert.Origin
	if err := tx.queryRow(ctx, `SELECT process_id, axis_id, response, origin FROM contributions WHERE id = ?`, id).Scan(&processID, &axisID, &response, &origin); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE processes SET contributions = contributions + ? WHERE id = ?`, delta, processID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE axes SET contributions = contributions + ? WHERE id = ?`, delta, axisID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO origin_counts (process_id, axis_id, origin, n) VALUES (?, ?, ?, ?)
		ON CONFLICT (process_id, axis_id, origin) DO UPDATE SET n = origin_counts.n + excluded.n`, processID, axisID, origin, delta); err != nil {
		return err
	}
	if err := tx.countThemes(ctx, id, axisID, origin, delta); err != nil {
		return err
	}
	return tx.countResponse(ctx, processID, axisID, response, delta)
}

// countThemes moves the published counters of a contribution's themes by delta.
func (tx *Tx) countThemes(ctx context.Context, id, axisID int64, origin ouvert.Origin, delta int) error {
	_, err := tx.exec(ctx, `INSERT INTO theme_counts (theme_id, axis_id, origin, n)
		SELECT theme_id, ?, ?, ? FROM contribution_themes WHERE contribution_id = ?
		ON CONFLICT (theme_id, axis_id, origin) DO UPDATE SET n = theme_counts.n + excluded.n`, axisID, origin, delta, id)
	return err
}

// recountFilters counts again a process' published contributions per theme and per origin, after
// writes in bulk (generation, import, a person's texts deleted).
func (tx *Tx) recountFilters(ctx context.Context, processID int64) error {
	for _, s := range []string{
		`DELETE FROM theme_counts WHERE theme_id IN (SELECT id FROM themes WHERE process_id = ?)`,
		`INSERT INTO theme_counts (theme_id, axis_id, origin, n) SELECT ct.theme_id, c.axis_id, c.origin, COUNT(*)
			FROM contribution_themes ct JOIN contributions c ON c.id = ct.contribution_id
			WHERE c.process_id = ? AND c.status = 'published' GROUP BY ct.theme_id, c.axis_id, c.origin`,
		`DELETE FROM origin_counts WHERE process_id = ?`,
		`INSERT INTO origin_counts (process_id, axis_id, origin, n) SELECT process_id, axis_id, origin, COUNT(*)
			FROM contributions WHERE process_id = ? AND status = 'published' GROUP BY process_id, axis_id, origin`,
	} {
		if _, err := tx.exec(ctx, s, processID); err != nil {
			return err
		}
	}
	return nil
}

// countResponse moves the count of published contributions of an axis with a response.
func (tx *Tx) countResponse(ctx context.Context, processID, axisID int64, response string, delta int) error {
	_, err := tx.exec(ctx, `INSERT INTO response_counts (process_id, axis_id, response, n) VALUES (?, ?, ?, ?)
		ON CONFLICT (process_id, axis_id, response) DO UPDATE SET n = response_counts.n + excluded.n`,
		processID, axisID, response, delta)
	return err
}

// Contribution returns a contribution with its themes.
func (db *DB) Contribution(ctx context.Context, id int64) (*ouvert.Contribution, error) {
	c, err := scanContribution(db.queryRow(ctx, `SELECT `+contributionColumns+contributionFrom+` WHERE c.id = ?`, id))
	if err != nil {
		return nil, err
	}
	err = db.each(ctx, func(s scanner) error {
		var th int64
		err := s.Scan(&th)
		c.ThemeIDs = append(c.ThemeIDs, th)
		return err
	}, `SELECT theme_id FROM contribution_themes WHERE contribution_id = ? ORDER BY theme_id`, id)
	return c, err
}

// EditContribution changes a contribution's text and themes. Only its author may, and only until
// the first vote or argument; the earlier text is kept in revisions.
func (db *DB) EditContribution(ctx context.Context, id, authorID int64, title, body string, themes []int64) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		c, err := scanContribution(tx.queryRow(ctx, `SELECT `+contributionColumns+contributionFrom+` WHERE c.id = ?`, id))
		if err != nil {
			return err
		}
		if c.AuthorID != authorID || c.AuthorID == 0 {
			return ouvert.Errorf(ouvert.EFORBIDDEN, "error.forbidden")
		}
		if !c.Editable() {
			return ouvert.Errorf(ouvert.ECONFLICT, "contribution.not_editable")
		}
		c.ThemeIDs = themes
		if err := tx.checkAxisAndThemes(ctx, c); err != nil {
			return err
		}
		now := tx.db.Now()
		if _, err := tx.exec(ctx, `INSERT INTO revisions (target_type, target_id, title, body, replaced_at) VALUES ('contribution', ?, ?, ?, ?)`,
			id, c.Title, c.Body, now); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE contributions SET title = ?, body = ?, search = ?, updated_at = ? WHERE id = ?`,
			title, body, textsearch.Document(title, body), now, id); err != nil {
			return fmt.Errorf("store: edit contribution %d: %w", id, err)
		}
		if c.Status != ouvert.StatusPublished {
			return tx.setThemes(ctx, id, themes)
		}
		if err := tx.countThemes(ctx, id, c.AxisID, c.Origin, -1); err != nil {
			return err
		}
		if err := tx.setThemes(ctx, id, themes); err != nil {
			return err
		}
		return tx.countThemes(ctx, id, c.AxisID, c.Origin, 1)
	})
}

// WithdrawContribution lets an author take back a contribution: it stays, marked withdrawn, so
// that votes and arguments keep their context.
func (db *DB) WithdrawContribution(ctx context.Context, id, authorID int64) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		var author sql.NullInt64
		var status string
		var processID, axisID int64
		err := tx.queryRow(ctx, `SELECT author_id, status, process_id, axis_id FROM contributions WHERE id = ?`, id).Scan(&author, &status, &processID, &axisID)
		if errors.Is(err, sql.ErrNoRows) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		} else if err != nil {
			return err
		}
		if !author.Valid || author.Int64 != authorID {
			return ouvert.Errorf(ouvert.EFORBIDDEN, "error.forbidden")
		}
		if status != ouvert.StatusPublished {
			return ouvert.Errorf(ouvert.ECONFLICT, "contribution.not_published")
		}
		if _, err := tx.exec(ctx, `UPDATE contributions SET status = ?, updated_at = ? WHERE id = ?`, ouvert.StatusWithdrawn, tx.db.Now(), id); err != nil {
			return err
		}
		return tx.countContribution(ctx, id, -1)
	})
}

// Revision is an earlier text of a contribution or argument.
type Revision struct {
	Title, Body string
	ReplacedAt  time.Time
}

// Revisions returns the earlier texts of a contribution or argument, oldest first.
func (db *DB) Revisions(ctx context.Context, targetType string, id int64) ([]Revision, error) {
	var out []Revision
	err := db.each(ctx, func(s scanner) error {
		var r Revision
		err := s.Scan(&r.Title, &r.Body, &r.ReplacedAt)
		out = append(out, r)
		return err
	}, `SELECT title, body, replaced_at FROM revisions WHERE target_type = ? AND target_id = ? ORDER BY id`, targetType, id)
	return out, err
}

// Sort orders of contribution lists.
const (
	SortAgree     = "agree"
	SortDiscussed = "discussed"
	SortNewest    = "newest"
	SortRandom    = "random"
	SortOldest    = "oldest"
)

// ContributionFilter selects and orders a page of a process' published contributions.
type ContributionFilter struct {
	ProcessID int64
	AxisID    int64 // 0: every axis
	ThemeID   int64 // 0: every theme
	Origin    ouvert.Origin
	Response  ouvert.Response
	// For the synthesis workspace: at least MinVotes votes, written in [From, To), matching Query.
	MinVotes int
	From, To time.Time
	Query    textsearch.Query
	Sort     string
	Seed     int32 // for SortRandom: the visitor's starting point, so that their order is stable
	Page     int   // from 1
	PerPage  int
}

// Contributions returns a page of published contributions and how many match in all. Each order
// reads an index of the same order (see migration 0002); the total comes from the counters kept
// on write, except with a theme or origin filter.
func (db *DB) Contributions(ctx context.Context, f ContributionFilter) ([]*ouvert.Contribution, int, error) {
	if f.PerPage <= 0 {
		f.PerPage = 20
	}
	if f.Page < 1 {
		f.Page = 1
	}
	where := []string{"c.process_id = ?", "c.status = 'published'"}
	args := []any{f.ProcessID}
	if f.AxisID != 0 {
		where = append(where, "c.axis_id = ?")
		args = append(args, f.AxisID)
	}
	if f.ThemeID != 0 {
		where = append(where, themeTest)
		args = append(args, f.ThemeID)
	}
	if f.Origin != "" {
		where = append(where, "c.origin = ?")
		args = append(args, f.Origin)
	}
	if f.Response != "" {
		where = append(where, "c.response = ?")
		args = append(args, f.Response)
	}
	if f.MinVotes > 0 {
		where = append(where, "c.agree + c.mixed + c.disagree >= ?")
		args = append(args, f.MinVotes)
	}
	if !f.From.IsZero() {
		where = append(where, "c.created_at >= ?")
		args = append(args, f.From)
	}
	if !f.To.IsZero() {
		where = append(where, "c.created_at < ?")
		args = append(args, f.To)
	}
	if !f.Query.Empty() {
		if db.dialect.name() == "postgres" {
			where = append(where, "c.search_vector @@ to_tsquery('simple', ?)")
			args = append(args, f.Query.TSQuery())
		} else {
			where = append(where, "c.id IN (SELECT rowid FROM contributions_fts WHERE contributions_fts MATCH ?)")
			args = append(args, f.Query.FTS5())
		}
	}
	offset := (f.Page - 1) * f.PerPage
	if driver, err := db.narrowFilter(ctx, f, offset); err != nil {
		return nil, 0, err
	} else if driver != "" {
		// Every match is read: their number is the count.
		return db.narrowList(ctx, f, driver, where, args, offset)
	}
	total, err := db.countContributions(ctx, f, strings.Join(where, " AND "), args)
	if err != nil {
		return nil, 0, err
	}
	if f.Sort == SortRandom {
		list, err := db.shuffled(ctx, f, where, args, offset)
		return list, total, err
	}
	order, key := "c.agree DESC, c.id DESC", "c.agree"
	switch f.Sort {
	case SortDiscussed:
		order, key = "c.arguments DESC, c.id DESC", "c.arguments"
	case SortNewest:
		order, key = "c.id DESC", ""
	case SortOldest:
		order, key = "c.id", ""
	}
	// Deep pages start from the nearest known position of the order (see seekFrom) rather than
	// counting every row before them.
	if f.Sort != SortOldest && offset >= seekStride {
		from, skipped, err := db.seekFrom(ctx, where, args, key, order, offset)
		if err != nil {
			return nil, 0, err
		}
		if skipped > 0 {
			ids, idArgs := afterPosition(where, args, key, order, from, offset-skipped+f.PerPage)
			list, err := db.contributionList(ctx, `SELECT `+contributionColumns+` FROM (`+ids+` LIMIT ? OFFSET ?) k JOIN contributions c ON c.id = k.id`+
				contributionJoins+` ORDER BY `+order, append(idArgs, f.PerPage, offset-skipped)...)
			return list, total, err
		}
	}
	// A deferred join: the page's ids come from the covering index of the order, and only those
	// rows are read and joined.
	list, err := db.contributionList(ctx, `SELECT `+contributionColumns+` FROM (SELECT c.id FROM contributions c WHERE `+
		strings.Join(where, " AND ")+` ORDER BY `+order+` LIMIT ? OFFSET ?) k JOIN contributions c ON c.id = k.id`+contributionJoins+
		` ORDER BY `+order, append(args, f.PerPage, offset)...)
	return list, total, err
}

// afterPosition returns the query (without LIMIT) of the ids of the first n rows of a list after
// position p of its descending order by key (if any) and id. A row comparison, (key, id) <
// (p key, p id), bounds the index by key alone: it would walk every row sharing p's key before
// the position (thousands, where most contributions have as few votes). Rows with p's key and
// rows with a smaller key are read as two ranges of the index instead, n rows at most each.
func afterPosition(where []string, args []any, key, order string, p [2]int64, n int) (string, []any) {
	cond := strings.Join(where, " AND ")
	if key == "" {
		return `SELECT c.id FROM contributions c WHERE ` + cond + ` AND c.id < ? ORDER BY ` + order, append(args[:len(args):len(args)], p[1])
	}
	q := `SELECT id FROM (SELECT * FROM (SELECT c.id, ` + key + ` AS k FROM contributions c WHERE ` + cond + ` AND ` + key + ` = ? AND c.id < ?
		ORDER BY c.id DESC LIMIT ?) same UNION ALL SELECT * FROM (SELECT c.id, ` + key + ` AS k FROM contributions c WHERE ` + cond + ` AND ` + key + ` < ?
		ORDER BY ` + order + ` LIMIT ?) below) u ORDER BY k DESC, id DESC`
	a := append(args[:len(args):len(args)], p[0], p[1], n)
	a = append(a, args...)
	return q, append(a, p[0], n)
}

// seekStride is the distance between the known positions of a list's order: a page starts from
// the nearest one before it and skips at most seekStride-1 rows. seekTTL is how long positions
// are kept: votes move rows meanwhile, so that a deep page may be off by the rows that crossed a
// position in those seconds, as a pager reading page after page is off by the rows that moved
// between two of its requests.
const (
	seekStride = 100
	seekTTL    = 10 * time.Second
	seekLists  = 256 // lists whose positions are kept; past it, the cache starts again empty
)

// seekCache keeps the positions of the lists read deep.
type seekCache struct {
	mu sync.Mutex
	m  map[string]seekPoints
}

// seekPoints are the keys of every seekStride-th row of a list, found as deep as pages were
// asked: points[i] ends the first (i+1)*seekStride rows.
type seekPoints struct {
	at     time.Time
	points [][2]int64 // (sort key, id); sort key 0 when the order is by id alone
	end    bool       // the list has no more points
}

// seekFrom returns the last known position of a list at or before offset, and how many rows
// precede it (0 when there is none). key is the column the order sorts by before the id, "" for
// the id alone; the order is descending. Missing positions are found by jumps of seekStride rows
// from the last known one, each a short walk along the order's index.
func (db *DB) seekFrom(ctx context.Context, where []string, args []any, key, order string, offset int) ([2]int64, int, error) {
	cacheKey := fmt.Sprint(order, where, args)
	now := db.Now()
	db.seeks.mu.Lock()
	sp, ok := db.seeks.m[cacheKey]
	db.seeks.mu.Unlock()
	if !ok || now.Sub(sp.at) > seekTTL {
		sp = seekPoints{at: now}
	}
	sortKey := key
	if sortKey == "" {
		sortKey = "0"
	}
	if need := offset / seekStride; len(sp.points) < need && !sp.end {
		points := sp.points[:len(sp.points):len(sp.points)]
		for len(points) < need {
			q := `SELECT c.id FROM contributions c WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order
			qArgs := args
			if n := len(points); n > 0 {
				q, qArgs = afterPosition(where, args, key, order, points[n-1], seekStride)
			}
			var p [2]int64
			err := db.queryRow(ctx, `SELECT `+sortKey+`, c.id FROM (`+q+` LIMIT 1 OFFSET ?) k JOIN contributions c ON c.id = k.id`,
				append(qArgs[:len(qArgs):len(qArgs)], seekStride-1)...).Scan(&p[0], &p[1])
			if errors.Is(err, sql.ErrNoRows) {
				sp.end = true
				break
			} else if err != nil {
				return [2]int64{}, 0, fmt.Errorf("store: list positions: %w", err)
			}
			points = append(points, p)
		}
		sp.points = points
		db.seeks.mu.Lock()
		if db.seeks.m == nil || len(db.seeks.m) >= seekLists {
			db.seeks.m = map[string]seekPoints{}
		}
		db.seeks.m[cacheKey] = sp
		db.seeks.mu.Unlock()
	}
	i := min(offset/seekStride, len(sp.points))
	if i == 0 {
		return [2]int64{}, 0, nil
	}
	return sp.points[i-1], i * seekStride, nil
}

// countCap bounds the counts of the workspace's filters; pages say "10 000 or more".
const countCap = 10_000

func (db *DB) countContributions(ctx context.Context, f ContributionFilter, where string, args []any) (int, error) {
	var n int
	var err error
	// Filters with counters kept on write: a theme's count knows the origins too, but neither
	// knows the response.
	keptTogether := (f.ThemeID != 0 || f.Origin != "") && f.Response != ""
	switch {
	case f.MinVotes > 0 || !f.From.IsZero() || !f.To.IsZero() || !f.Query.Empty() || keptTogether:
		// The workspace's filters, and kept filters together: counted up to countCap, so that a
		// broad filter stays quick.
		err = db.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM contributions c WHERE `+where+` LIMIT ?) t`, append(args, countCap)...).Scan(&n)
	case f.ThemeID != 0:
		q, qargs := `SELECT COALESCE(SUM(tc.n), 0) FROM theme_counts tc JOIN themes t ON t.id = tc.theme_id
			WHERE tc.theme_id = ? AND t.process_id = ?`, []any{f.ThemeID, f.ProcessID}
		if f.AxisID != 0 {
			q, qargs = q+` AND tc.axis_id = ?`, append(qargs, f.AxisID)
		}
		if f.Origin != "" {
			q, qargs = q+` AND tc.origin = ?`, append(qargs, f.Origin)
		}
		err = db.queryRow(ctx, q, qargs...).Scan(&n)
	case f.Origin != "":
		q, qargs := `SELECT COALESCE(SUM(n), 0) FROM origin_counts WHERE process_id = ? AND origin = ?`, []any{f.ProcessID, f.Origin}
		if f.AxisID != 0 {
			q, qargs = q+` AND axis_id = ?`, append(qargs, f.AxisID)
		}
		err = db.queryRow(ctx, q, qargs...).Scan(&n)
	case f.Response != "":
		q, qargs := `SELECT COALESCE(SUM(n), 0) FROM response_counts WHERE process_id = ? AND response = ?`, []any{f.ProcessID, f.Response}
		if f.AxisID != 0 {
			q, qargs = q+` AND axis_id = ?`, append(qargs, f.AxisID)
		}
		err = db.queryRow(ctx, q, qargs...).Scan(&n)
	case f.AxisID != 0:
		err = db.queryRow(ctx, `SELECT contributions FROM axes WHERE id = ? AND process_id = ?`, f.AxisID, f.ProcessID).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
	default:
		err = db.queryRow(ctx, `SELECT contributions FROM processes WHERE id = ?`, f.ProcessID).Scan(&n)
	}
	return n, err
}

// themeTest is the theme filter of a list that walks its order's index: a test per row (see
// narrowFilter for the other way). As an IN list, SQLite started from the theme's rows and sorted
// them, 33 ms a page.
const themeTest = "EXISTS (SELECT 1 FROM contribution_themes ct WHERE ct.contribution_id = c.id AND ct.theme_id = ?)"

// narrowFilter says whether a list filtered by a theme or an origin other than online should
// start from the few contributions that match (narrowList), and from which of the two ("theme"
// or "origin", the fewer), or "" to walk the order's index and skip those that do not. To find a
// page, the walk steps through about (offset+page) × all / n index entries when n of all match;
// the other way reads n rows, each narrowCost steps. Past
// sqrt((offset+page) × all / narrowCost) matches walking is cheaper; before, narrowing is, and
// never reads more than that: 535 rows for the first page at 100,000 contributions (about 4 ms
// at worst either way), 1,690 at 1,000,000.
func (db *DB) narrowFilter(ctx context.Context, f ContributionFilter, offset int) (string, error) {
	if !f.Query.Empty() {
		return "", nil
	}
	// n is what narrowList would read: the theme's contributions or the origin's, the fewer.
	driver, n := "", 0
	if f.ThemeID != 0 {
		m, err := db.countContributions(ctx, ContributionFilter{ProcessID: f.ProcessID, AxisID: f.AxisID, ThemeID: f.ThemeID}, "", nil)
		if err != nil {
			return "", err
		}
		driver, n = "theme", m
	}
	if f.Origin != "" && f.Origin != ouvert.OriginOnline {
		m, err := db.countContributions(ctx, ContributionFilter{ProcessID: f.ProcessID, AxisID: f.AxisID, Origin: f.Origin}, "", nil)
		if err != nil {
			return "", err
		}
		if driver == "" || m < n {
			driver, n = "origin", m
		}
	}
	if driver == "" {
		return "", nil
	}
	all, err := db.countContributions(ctx, ContributionFilter{ProcessID: f.ProcessID, AxisID: f.AxisID}, "", nil)
	if err != nil {
		return "", err
	}
	// Deep pages walk from a kept position (seekFrom), at most seekStride rows before theirs.
	if narrowCost*n*n < (min(offset, seekStride)+f.PerPage)*all {
		return driver, nil
	}
	return "", nil
}

// narrowCost is how many steps of an index walk cost as much as reading one contribution by id
// and sorting it (measured at 100,000 contributions: about 7 µs against 1).
const narrowCost = 7

// narrowList reads a page of a list whose theme or origin few contributions match: their ids and
// sort keys in one query that starts from the theme's contributions or the origin's index
// (contributions_by_origin), sorted here, then the page's rows.
func (db *DB) narrowList(ctx context.Context, f ContributionFilter, driver string, where []string, args []any, offset int) ([]*ouvert.Contribution, int, error) {
	from := "contributions c"
	where = slices.Clone(where)
	if driver == "theme" {
		// The theme's contributions first (contribution_themes_by_theme), each then read by id;
		// the join takes the place of the per-row test, with the same argument.
		from = "contribution_themes ct CROSS JOIN contributions c"
		where[slices.Index(where, themeTest)] = "ct.theme_id = ? AND c.id = ct.contribution_id"
	} else {
		where = append(where, "c.origin <> 'online'") // lets the partial index serve
	}
	type row struct {
		id, agree, arguments int64
		shuffle              int32
	}
	var rows []row
	if err := db.each(ctx, func(s scanner) error {
		var r row
		err := s.Scan(&r.id, &r.agree, &r.arguments, &r.shuffle)
		rows = append(rows, r)
		return err
	}, `SELECT c.id, c.agree, c.arguments, c.shuffle FROM `+from+` WHERE `+strings.Join(where, " AND "), args...); err != nil {
		return nil, 0, err
	}
	// The orders of Contributions, with ties broken by id as the indexes do.
	key := func(r row) (int64, int64) { return r.agree, r.id }
	switch f.Sort {
	case SortDiscussed:
		key = func(r row) (int64, int64) { return r.arguments, r.id }
	case SortNewest:
		key = func(r row) (int64, int64) { return r.id, 0 }
	case SortOldest:
		key = func(r row) (int64, int64) { return -r.id, 0 }
	case SortRandom:
		// From the visitor's seed upwards, then from the start: shuffle ascending, id ascending.
		key = func(r row) (int64, int64) {
			k := int64(r.shuffle)
			if r.shuffle < f.Seed {
				k += 1 << 32
			}
			return -k, -r.id
		}
	}
	slices.SortFunc(rows, func(a, b row) int {
		a1, a2 := key(a)
		b1, b2 := key(b)
		return cmp.Or(cmp.Compare(b1, a1), cmp.Compare(b2, a2))
	})
	if offset >= len(rows) {
		return nil, len(rows), nil
	}
	ids := make([]int64, 0, f.PerPage)
	for _, r := range rows[offset:min(len(rows), offset+f.PerPage)] {
		ids = append(ids, r.id)
	}
	list, err := db.ContributionsByID(ctx, ids)
	return list, len(rows), err
}

// shuffled reads the random order: contributions from the visitor's seed upwards in the shuffle
// column, then wrapping around to the start, both by index.
func (db *DB) shuffled(ctx context.Context, f ContributionFilter, where []string, args []any, offset int) ([]*ouvert.Contribution, error) {
	cond := strings.Join(where, " AND ")
	first, err := db.contributionList(ctx, `SELECT `+contributionColumns+contributionFrom+` WHERE `+cond+
		` AND c.shuffle >= ? ORDER BY c.shuffle, c.id LIMIT ? OFFSET ?`, append(append([]any{}, args...), f.Seed, f.PerPage, offset)...)
	if err != nil || len(first) == f.PerPage {
		return first, err
	}
	var before int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM contributions c WHERE `+cond+` AND c.shuffle >= ?`, append(append([]any{}, args...), f.Seed)...).Scan(&before); err != nil {
		return nil, err
	}
	rest, err := db.contributionList(ctx, `SELECT `+contributionColumns+contributionFrom+` WHERE `+cond+
		` AND c.shuffle < ? ORDER BY c.shuffle, c.id LIMIT ? OFFSET ?`, append(append([]any{}, args...), f.Seed, f.PerPage-len(first), max(0, offset-before))...)
	return append(first, rest...), err
}

func (db *DB) contributionList(ctx context.Context, q string, args ...any) ([]*ouvert.Contribution, error) {
	var out []*ouvert.Contribution
	err := db.each(ctx, func(s scanner) error {
		c, err := scanContribution(s)
		out = append(out, c)
		return err
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list contributions: %w", err)
	}
	return out, nil
}

// SearchContributions returns a page of published contributions matching every term of q, best
// first, and how many match. See searchindex.go.
func (db *DB) SearchContributions(ctx context.Context, processID int64, q textsearch.Query, page, perPage int) ([]*ouvert.Contribution, int, error) {
	if q.Empty() {
		return nil, 0, nil
	}
	offset := (max(page, 1) - 1) * perPage
	var ids []int64
	var total int
	err := db.searchIndex(ctx, processID, func(x *textsearch.Index) { ids, total = x.Search(q, 0, offset+perPage) })
	if err != nil {
		return nil, 0, fmt.Errorf("store: search: %w", err)
	}
	if offset >= len(ids) {
		return nil, total, nil
	}
	list, err := db.ContributionsByID(ctx, ids[offset:])
	return list, total, err
}

// ContributionsByID reads contributions in the order of ids, in one query.
func (db *DB) ContributionsByID(ctx context.Context, ids []int64) ([]*ouvert.Contribution, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	list, err := db.contributionList(ctx, `SELECT `+contributionColumns+contributionFrom+` WHERE c.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*ouvert.Contribution, len(list))
	for _, c := range list {
		byID[c.ID] = c
	}
	out := make([]*ouvert.Contribution, 0, len(ids))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// SimilarContributions returns up to limit published contributions sharing the most terms with
// a draft, for the author to see before publishing. Only the draft's most telling terms are
// looked up (see SimilarQuery).
func (db *DB) SimilarContributions(ctx context.Context, processID int64, q textsearch.Query, exclude int64, limit int) ([]*ouvert.Contribution, error) {
	if q.Empty() {
		return nil, nil
	}
	var ids []int64
	err := db.searchIndex(ctx, processID, func(x *textsearch.Index) { ids = x.Similar(q, exclude, limit) })
	if err != nil {
		return nil, fmt.Errorf("store: similar: %w", err)
	}
	return db.ContributionsByID(ctx, ids)
}

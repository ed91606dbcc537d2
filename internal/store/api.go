package store

import (
	"context"
	"fmt"
	"strings"

	"ouvert/internal/ouvert"
)

// APIFilter selects a page of contributions for the public API, in id order after a cursor.
type APIFilter struct {
	ProcessID int64
	AxisID    int64
	Origin    ouvert.Origin
	Status    string
	Response  ouvert.Response
	After     int64
	Limit     int
}

// ContributionsAfter returns up to f.Limit contributions of every status (the API shows hidden
// and withdrawn ones without their text) with ids above f.After, in id order: a cursor that stays
// right while contributions are added.
func (db *DB) ContributionsAfter(ctx context.Context, f APIFilter) ([]*ouvert.Contribution, error) {
	where := []string{"c.process_id = ?", "c.id > ?"}
	args := []any{f.ProcessID, f.After}
	if f.AxisID != 0 {
		where = append(where, "c.axis_id = ?")
		args = append(args, f.AxisID)
	}
	if f.Origin != "" {
		where = append(where, "c.origin = ?")
		args = append(args, f.Origin)
	}
	if f.Status != "" {
		where = append(where, "c.status = ?")
		args = append(args, f.Status)
	}
	if f.Response != "" {
		where = append(where, "c.response = ?")
		args = append(args, f.Response)
	}
	from := contributionFrom
	if f.Status == "" && db.dialect.name() == "sqlite" {
		// By id: the hourly sampled ANALYZE (Optimize) makes a process look like a thousand rows,
		// and SQLite then read them all by a (process_id, status, id) index and sorted them (a
		// second at 100,000 contributions) rather than walk the primary key from the cursor.
		from = ` FROM contributions c NOT INDEXED` + contributionJoins
	}
	list, err := db.contributionList(ctx, `SELECT `+contributionColumns+from+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY c.id LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: contributions after: %w", err)
	}
	return list, nil
}

// ArgumentsAfter returns up to limit arguments and replies of a contribution after a cursor, in id order.
func (db *DB) ArgumentsAfter(ctx context.Context, contributionID, after int64, limit int) ([]*ouvert.Argument, error) {
	var out []*ouvert.Argument
	err := db.each(ctx, func(s scanner) error {
		a, err := scanArgument(s)
		out = append(out, a)
		return err
	}, `SELECT `+argumentColumns+argumentFrom+` WHERE a.contribution_id = ? AND a.id > ? ORDER BY a.id LIMIT ?`, contributionID, after, limit)
	return out, err
}

// EventsAfter returns up to limit published events of a process after a cursor, in id order,
// with their programmes.
func (db *DB) EventsAfter(ctx context.Context, processID, after int64, limit int) ([]*ouvert.Event, error) {
	var out []*ouvert.Event
	err := db.each(ctx, func(s scanner) error {
		e, err := scanEvent(s)
		out = append(out, e)
		return err
	}, `SELECT `+eventColumns+` FROM events e WHERE e.process_id = ? AND e.status IN ('published', 'cancelled') AND e.id > ? ORDER BY e.id LIMIT ?`,
		processID, after, limit)
	if err != nil {
		return nil, err
	}
	return out, db.loadProgrammes(ctx, out)
}

// Processes lists every process, newest first (at most 100). Each is loaded with its phases,
// axes, themes, channels and links in its own queries: a platform holds a handful of processes.
func (db *DB) Processes(ctx context.Context) ([]*ouvert.Process, error) {
	var slugs []string
	err := db.each(ctx, func(s scanner) error {
		var slug string
		err := s.Scan(&slug)
		slugs = append(slugs, slug)
		return err
	}, `SELECT slug FROM processes ORDER BY id DESC LIMIT 100`)
	if err != nil {
		return nil, err
	}
	out := make([]*ouvert.Process, 0, len(slugs))
	for _, slug := range slugs {
		p, err := db.ProcessBySlug(ctx, slug)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

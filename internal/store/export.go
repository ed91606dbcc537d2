package store

import (
	"context"
	"time"

	"ouvert/internal/ouvert"
)

// The Each* methods stream a table row by row in id order, for the open-data export: memory
// stays flat whatever the table's size.

// EachContribution calls fn for every contribution.
func (db *DB) EachContribution(ctx context.Context, fn func(*ouvert.Contribution) error) error {
	return db.each(ctx, func(s scanner) error {
		c, err := scanContribution(s)
		if err != nil {
			return err
		}
		return fn(c)
	}, `SELECT `+contributionColumns+contributionFrom+` ORDER BY c.id`)
}

// EachArgument calls fn for every argument and reply.
func (db *DB) EachArgument(ctx context.Context, fn func(*ouvert.Argument) error) error {
	return db.each(ctx, func(s scanner) error {
		a, err := scanArgument(s)
		if err != nil {
			return err
		}
		return fn(a)
	}, `SELECT `+argumentColumns+argumentFrom+` ORDER BY a.id`)
}

// EachVote calls fn for every vote.
func (db *DB) EachVote(ctx context.Context, fn func(contributionID, userID int64, value int, at time.Time) error) error {
	return db.each(ctx, func(s scanner) error {
		var c, u int64
		var v int
		var at time.Time
		if err := s.Scan(&c, &u, &v, &at); err != nil {
			return err
		}
		return fn(c, u, v, at)
	}, `SELECT contribution_id, user_id, value, updated_at FROM votes ORDER BY contribution_id, user_id`)
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

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"ouvert/internal/ouvert"
)

// CreateProcess stores a process with its phases, axes, channels and links, setting their IDs.
func (db *DB) CreateProcess(ctx context.Context, p *ouvert.Process) error {
	p.CreatedAt = db.Now()
	return db.WithTx(ctx, func(tx *Tx) error {
		if p.ReportThreshold <= 0 {
			p.ReportThreshold = 3
		}
		id, err := tx.insert(ctx, `INSERT INTO processes (slug, title, subtitle, intro, contact_email, time_zone, example, created_at, report_threshold)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.Slug, p.Title, p.Subtitle, p.Intro, p.ContactEmail, p.TimeZone, p.Example, p.CreatedAt, p.ReportThreshold)
		if db.dialect.isUniqueViolation(err) {
			return &ouvert.Error{Code: ouvert.ECONFLICT, Message: "process.slug_taken", Field: "slug"}
		} else if err != nil {
			return fmt.Errorf("store: create process: %w", err)
		}
		p.ID = id
		for i := range p.Phases {
			ph := &p.Phases[i]
			ph.Position = i
			if ph.ID, err = tx.insert(ctx, `INSERT INTO phases (process_id, kind, title, description, starts_at, ends_at, position)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, id, ph.Kind, ph.Title, ph.Description, ph.StartsAt.UTC(), ph.EndsAt.UTC(), i); err != nil {
				return fmt.Errorf("store: create phase: %w", err)
			}
		}
		for i := range p.Axes {
			a := &p.Axes[i]
			a.Position = i + 1
			if a.ID, err = tx.insert(ctx, `INSERT INTO axes (process_id, position, title, description) VALUES (?, ?, ?, ?)`,
				id, a.Position, a.Title, a.Description); err != nil {
				return fmt.Errorf("store: create axis: %w", err)
			}
		}
		for i := range p.Channels {
			c := &p.Channels[i]
			c.Position = i
			if c.ID, err = tx.insert(ctx, `INSERT INTO channels (process_id, kind, title, description, position) VALUES (?, ?, ?, ?, ?)`,
				id, c.Kind, c.Title, c.Description, i); err != nil {
				return fmt.Errorf("store: create channel: %w", err)
			}
		}
		for i := range p.Themes {
			th := &p.Themes[i]
			th.Position = i
			if th.ID, err = tx.insert(ctx, `INSERT INTO themes (process_id, position, name) VALUES (?, ?, ?)`, id, i, th.Name); err != nil {
				return fmt.Errorf("store: create theme: %w", err)
			}
		}
		for i := range p.Links {
			l := &p.Links[i]
			l.Position = i
			if l.ID, err = tx.insert(ctx, `INSERT INTO process_links (process_id, label, url, position) VALUES (?, ?, ?, ?)`,
				id, l.Label, l.URL, i); err != nil {
				return fmt.Errorf("store: create link: %w", err)
			}
		}
		return nil
	})
}

// ProcessBySlug returns a process with its phases, axes, channels and links.
func (db *DB) ProcessBySlug(ctx context.Context, slug string) (*ouvert.Process, error) {
	return db.loadProcess(ctx, `WHERE slug = ?`, slug)
}

// CurrentProcess returns the most recently created process: the one the home page shows.
// With no process at all it is ENOTFOUND.
func (db *DB) CurrentProcess(ctx context.Context) (*ouvert.Process, error) {
	return db.loadProcess(ctx, `ORDER BY id DESC LIMIT 1`)
}

func (db *DB) loadProcess(ctx context.Context, where string, args ...any) (*ouvert.Process, error) {
	var p ouvert.Process
	err := db.queryRow(ctx, `SELECT id, slug, title, subtitle, intro, contact_email, time_zone, example, created_at, report_threshold, contributions,
		publish_events_at_once FROM processes `+where, args...).Scan(&p.ID, &p.Slug, &p.Title, &p.Subtitle, &p.Intro, &p.ContactEmail,
		&p.TimeZone, &p.Example, &p.CreatedAt, &p.ReportThreshold, &p.Contributions, &p.PublishEventsAtOnce)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: load process: %w", err)
	}
	err = db.each(ctx, func(s scanner) error {
		var ph ouvert.Phase
		if err := s.Scan(&ph.ID, &ph.Kind, &ph.Title, &ph.Description, &ph.StartsAt, &ph.EndsAt, &ph.Position); err != nil {
			return err
		}
		ph.StartsAt, ph.EndsAt = ph.StartsAt.UTC(), ph.EndsAt.UTC()
		p.Phases = append(p.Phases, ph)
		return nil
	}, `SELECT id, kind, title, description, starts_at, ends_at, position FROM phases WHERE process_id = ? ORDER BY position`, p.ID)
	if err == nil {
		err = db.each(ctx, func(s scanner) error {
			var a ouvert.Axis
			err := s.Scan(&a.ID, &a.Position, &a.Title, &a.Description, &a.Contributions)
			p.Axes = append(p.Axes, a)
			return err
		}, `SELECT id, position, title, description, contributions FROM axes WHERE process_id = ? ORDER BY position`, p.ID)
	}
	if err == nil {
		err = db.each(ctx, func(s scanner) error {
			var c ouvert.Channel
			err := s.Scan(&c.ID, &c.Kind, &c.Title, &c.Description, &c.Position)
			p.Channels = append(p.Channels, c)
			return err
		}, `SELECT id, kind, title, description, position FROM channels WHERE process_id = ? ORDER BY position`, p.ID)
	}
	if err == nil {
		err = db.each(ctx, func(s scanner) error {
			var l ouvert.Link
			err := s.Scan(&l.ID, &l.Label, &l.URL, &l.Position)
			p.Links = append(p.Links, l)
			return err
		}, `SELECT id, label, url, position FROM process_links WHERE process_id = ? ORDER BY position`, p.ID)
	}
	if err == nil {
		err = db.each(ctx, func(s scanner) error {
			var th ouvert.Theme
			err := s.Scan(&th.ID, &th.Position, &th.Name)
			p.Themes = append(p.Themes, th)
			return err
		}, `SELECT id, position, name FROM themes WHERE process_id = ? ORDER BY position`, p.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: load process %d: %w", p.ID, err)
	}
	return &p, nil
}

// SetPhaseDates moves a phase, for organisers who extend or shorten it.
func (db *DB) SetPhaseDates(ctx context.Context, phaseID int64, ph ouvert.Phase) error {
	if !ph.EndsAt.After(ph.StartsAt) {
		return ouvert.FieldError("ends_at", "phase.ends_before_start")
	}
	res, err := db.exec(ctx, `UPDATE phases SET starts_at = ?, ends_at = ? WHERE id = ?`, ph.StartsAt.UTC(), ph.EndsAt.UTC(), phaseID)
	if err != nil {
		return fmt.Errorf("store: set phase dates: %w", err)
	}
	return mustAffect(res)
}

// CountProcesses returns how many processes exist, to tell an empty database.
func (db *DB) CountProcesses(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM processes`).Scan(&n)
	return n, err
}

// each runs fn on every row of a read query.
func (db *DB) each(ctx context.Context, fn func(scanner) error, q string, args ...any) error {
	rows, err := db.query(ctx, q, args...)
	return eachRow(rows, err, fn)
}

// int64s returns the numbers a read query's one column holds, in its order (never nil).
func (db *DB) int64s(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := db.query(ctx, q, args...)
	return int64Rows(rows, err)
}

// int64s is int64s within a transaction.
func (tx *Tx) int64s(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := tx.query(ctx, q, args...)
	return int64Rows(rows, err)
}

func int64Rows(rows *sql.Rows, err error) ([]int64, error) {
	out := []int64{}
	err = eachRow(rows, err, func(s scanner) error {
		var n int64
		err := s.Scan(&n)
		out = append(out, n)
		return err
	})
	return out, err
}

// eachRow is each within a transaction.
func (tx *Tx) eachRow(ctx context.Context, fn func(scanner) error, q string, args ...any) error {
	rows, err := tx.query(ctx, q, args...)
	return eachRow(rows, err, fn)
}

func eachRow(rows *sql.Rows, err error, fn func(scanner) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

package store

import (
	"context"
	"fmt"

	"ouvert/internal/ouvert"
)

// CreateEvent stores an event with its programme.
func (db *DB) CreateEvent(ctx context.Context, e *ouvert.Event) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO events (process_id, kind, title, description, starts_at, ends_at, venue, address, organiser)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ProcessID, e.Kind, e.Title, e.Description, e.StartsAt.UTC(), e.EndsAt.UTC(), e.Venue, e.Address, e.Organiser)
		if err != nil {
			return fmt.Errorf("store: create event: %w", err)
		}
		e.ID = id
		for i := range e.Sessions {
			s := &e.Sessions[i]
			s.Position = i
			if s.ID, err = tx.insert(ctx, `INSERT INTO event_sessions (event_id, position, starts_at, ends_at, title, room, description, parallel_group)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, i, s.StartsAt.UTC(), s.EndsAt.UTC(), s.Title, s.Room, s.Description, s.ParallelGroup); err != nil {
				return fmt.Errorf("store: create session: %w", err)
			}
			for j, sp := range s.Speakers {
				if _, err := tx.exec(ctx, `INSERT INTO session_speakers (session_id, position, name, role) VALUES (?, ?, ?, ?)`,
					s.ID, j, sp.Name, sp.Role); err != nil {
					return fmt.Errorf("store: create speaker: %w", err)
				}
			}
		}
		return nil
	})
}

// ProcessEvents returns a process' events in date order, each with its programme, in three
// queries whatever the number of events.
func (db *DB) ProcessEvents(ctx context.Context, processID int64) ([]*ouvert.Event, error) {
	var events []*ouvert.Event
	byID := map[int64]*ouvert.Event{}
	err := db.each(ctx, func(s scanner) error {
		e := &ouvert.Event{ProcessID: processID}
		if err := s.Scan(&e.ID, &e.Kind, &e.Title, &e.Description, &e.StartsAt, &e.EndsAt, &e.Venue, &e.Address, &e.Organiser); err != nil {
			return err
		}
		e.StartsAt, e.EndsAt = e.StartsAt.UTC(), e.EndsAt.UTC()
		events = append(events, e)
		byID[e.ID] = e
		return nil
	}, `SELECT id, kind, title, description, starts_at, ends_at, venue, address, organiser FROM events
		WHERE process_id = ? ORDER BY starts_at, id`, processID)
	if err != nil {
		return nil, fmt.Errorf("store: process events: %w", err)
	}
	type key struct{ event, session int64 }
	sessionAt := map[int64]key{}
	err = db.each(ctx, func(s scanner) error {
		var es ouvert.EventSession
		var eventID int64
		if err := s.Scan(&eventID, &es.ID, &es.Position, &es.StartsAt, &es.EndsAt, &es.Title, &es.Room, &es.Description, &es.ParallelGroup); err != nil {
			return err
		}
		es.StartsAt, es.EndsAt = es.StartsAt.UTC(), es.EndsAt.UTC()
		e := byID[eventID]
		e.Sessions = append(e.Sessions, es)
		sessionAt[es.ID] = key{eventID, int64(len(e.Sessions) - 1)}
		return nil
	}, `SELECT s.event_id, s.id, s.position, s.starts_at, s.ends_at, s.title, s.room, s.description, s.parallel_group
		FROM event_sessions s JOIN events e ON e.id = s.event_id WHERE e.process_id = ? ORDER BY s.event_id, s.position`, processID)
	if err != nil {
		return nil, fmt.Errorf("store: event sessions: %w", err)
	}
	err = db.each(ctx, func(s scanner) error {
		var sessionID int64
		var sp ouvert.Speaker
		if err := s.Scan(&sessionID, &sp.Name, &sp.Role); err != nil {
			return err
		}
		k := sessionAt[sessionID]
		es := &byID[k.event].Sessions[k.session]
		es.Speakers = append(es.Speakers, sp)
		return nil
	}, `SELECT sp.session_id, sp.name, sp.role FROM session_speakers sp
		JOIN event_sessions s ON s.id = sp.session_id JOIN events e ON e.id = s.event_id
		WHERE e.process_id = ? ORDER BY sp.session_id, sp.position`, processID)
	if err != nil {
		return nil, fmt.Errorf("store: session speakers: %w", err)
	}
	return events, nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"ouvert/internal/ouvert"
)

const eventColumns = `e.id, e.process_id, e.kind, e.status, e.title, e.description, e.starts_at, e.ends_at, e.venue, e.address,
	e.postcode, e.commune, e.departement, e.region, e.online_url, e.organiser, COALESCE(e.organiser_id, 0), e.host_administration,
	e.audience, e.accessibility, e.accessibility_note, e.capacity, e.registration, e.external_url, e.registered, e.waiting,
	e.created_at`

func scanEvent(s scanner) (*ouvert.Event, error) {
	var e ouvert.Event
	var access string
	var created sql.NullTime
	err := s.Scan(&e.ID, &e.ProcessID, &e.Kind, &e.Status, &e.Title, &e.Description, &e.StartsAt, &e.EndsAt, &e.Venue, &e.Address,
		&e.Postcode, &e.Commune, &e.Departement, &e.Region, &e.OnlineURL, &e.Organiser, &e.OrganiserID, &e.HostAdministration,
		&e.Audience, &access, &e.AccessibilityNote, &e.Capacity, &e.Registration, &e.ExternalURL, &e.Registered, &e.Waiting, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, err
	}
	if access != "" {
		e.Accessibility = strings.Split(access, ",")
	}
	e.StartsAt, e.EndsAt, e.CreatedAt = e.StartsAt.UTC(), e.EndsAt.UTC(), created.Time.UTC()
	return &e, nil
}

// CreateEvent stores an event with its programme and axes.
func (db *DB) CreateEvent(ctx context.Context, e *ouvert.Event) error {
	if e.Status == "" {
		e.Status = ouvert.EventPublished
	}
	if e.Registration == "" {
		e.Registration = ouvert.RegistrationNone
	}
	e.CreatedAt = db.Now()
	return db.WithTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO events (process_id, kind, status, title, description, starts_at, ends_at, venue, address,
			postcode, commune, departement, region, online_url, organiser, organiser_id, host_administration, audience,
			accessibility, accessibility_note, capacity, registration, external_url, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ProcessID, e.Kind, e.Status, e.Title, e.Description, e.StartsAt.UTC(), e.EndsAt.UTC(), e.Venue, e.Address,
			e.Postcode, e.Commune, e.Departement, e.Region, e.OnlineURL, e.Organiser, nullID(e.OrganiserID), e.HostAdministration,
			e.Audience, strings.Join(e.Accessibility, ","), e.AccessibilityNote, e.Capacity, e.Registration, e.ExternalURL, e.CreatedAt)
		if err != nil {
			return fmt.Errorf("store: create event: %w", err)
		}
		e.ID = id
		for _, a := range e.AxisIDs {
			if _, err := tx.exec(ctx, `INSERT INTO event_axes (event_id, axis_id) SELECT ?, id FROM axes WHERE id = ? AND process_id = ?`,
				id, a, e.ProcessID); err != nil {
				return fmt.Errorf("store: event axis: %w", err)
			}
		}
		for i := range e.Sessions {
			s := &e.Sessions[i]
			s.Position = i
			if s.ID, err = tx.insert(ctx, `INSERT INTO event_sessions (event_id, position, starts_at, ends_at, title, room, description, parallel_group, capacity)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, i, s.StartsAt.UTC(), s.EndsAt.UTC(), s.Title, s.Room, s.Description, s.ParallelGroup, s.Capacity); err != nil {
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

// Event returns an event with its programme and axes.
func (db *DB) Event(ctx context.Context, id int64) (*ouvert.Event, error) {
	e, err := scanEvent(db.queryRow(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.id = ?`, id))
	if err != nil {
		return nil, err
	}
	if err := db.loadProgrammes(ctx, []*ouvert.Event{e}); err != nil {
		return nil, err
	}
	err = db.each(ctx, func(s scanner) error {
		var a int64
		err := s.Scan(&a)
		e.AxisIDs = append(e.AxisIDs, a)
		return err
	}, `SELECT axis_id FROM event_axes WHERE event_id = ? ORDER BY axis_id`, id)
	return e, err
}

// ProcessEvents returns a process' published events in date order, each with its programme.
func (db *DB) ProcessEvents(ctx context.Context, processID int64) ([]*ouvert.Event, error) {
	list, _, err := db.Events(ctx, EventFilter{ProcessID: processID, PerPage: 1000})
	if err != nil {
		return nil, err
	}
	return list, db.loadProgrammes(ctx, list)
}

// loadProgrammes reads the sessions and speakers of some events: two queries whatever their number.
func (db *DB) loadProgrammes(ctx context.Context, events []*ouvert.Event) error {
	if len(events) == 0 {
		return nil
	}
	byID := map[int64]*ouvert.Event{}
	ids := make([]any, len(events))
	for i, e := range events {
		byID[e.ID] = e
		ids[i] = e.ID
		e.Sessions = nil
	}
	type key struct{ event, index int64 }
	sessionAt := map[int64]key{}
	var sessionIDs []any
	err := db.each(ctx, func(s scanner) error {
		var es ouvert.EventSession
		var eventID int64
		if err := s.Scan(&eventID, &es.ID, &es.Position, &es.StartsAt, &es.EndsAt, &es.Title, &es.Room, &es.Description, &es.ParallelGroup,
			&es.Capacity, &es.Registered, &es.Waiting); err != nil {
			return err
		}
		es.StartsAt, es.EndsAt = es.StartsAt.UTC(), es.EndsAt.UTC()
		e := byID[eventID]
		e.Sessions = append(e.Sessions, es)
		sessionAt[es.ID] = key{eventID, int64(len(e.Sessions) - 1)}
		sessionIDs = append(sessionIDs, es.ID)
		return nil
	}, `SELECT event_id, id, position, starts_at, ends_at, title, room, description, parallel_group, capacity, registered, waiting
		FROM event_sessions WHERE event_id IN (`+placeholders(len(ids))+`) ORDER BY event_id, position`, ids...)
	if err != nil || len(sessionIDs) == 0 {
		return err
	}
	return db.each(ctx, func(s scanner) error {
		var sessionID int64
		var sp ouvert.Speaker
		if err := s.Scan(&sessionID, &sp.Name, &sp.Role); err != nil {
			return err
		}
		k := sessionAt[sessionID]
		es := &byID[k.event].Sessions[k.index]
		es.Speakers = append(es.Speakers, sp)
		return nil
	}, `SELECT session_id, name, role FROM session_speakers WHERE session_id IN (`+placeholders(len(sessionIDs))+`) ORDER BY session_id, position`, sessionIDs...)
}

// EventFilter selects published events.
type EventFilter struct {
	ProcessID   int64
	Kind        ouvert.EventKind
	Departement string
	Region      string
	AxisID      int64
	Online      bool // only events that can be followed online
	From, To    time.Time
	Status      string // default published
	Page        int
	PerPage     int
}

func (f EventFilter) status() string {
	if f.Status == "" {
		return ouvert.EventPublished
	}
	return f.Status
}

func (f EventFilter) where() (string, []any) {
	where := []string{"e.process_id = ?", "e.status = ?"}
	args := []any{f.ProcessID, f.status()}
	if f.Kind != "" {
		where = append(where, "e.kind = ?")
		args = append(args, f.Kind)
	}
	if f.Departement != "" {
		where = append(where, "e.departement = ?")
		args = append(args, f.Departement)
	}
	if f.Region != "" {
		where = append(where, "e.region = ?")
		args = append(args, f.Region)
	}
	if f.AxisID != 0 {
		// Tested row by row (event_axes' primary key) as the list reads events in date order.
		where = append(where, "EXISTS (SELECT 1 FROM event_axes a WHERE a.event_id = e.id AND a.axis_id = ?)")
		args = append(args, f.AxisID)
	}
	if f.Online {
		where = append(where, "e.online_url <> ''")
	}
	if !f.From.IsZero() {
		where = append(where, "e.ends_at >= ?")
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where = append(where, "e.starts_at < ?")
		args = append(args, f.To.UTC())
	}
	return strings.Join(where, " AND "), args
}

// EventList is a page of the events a filter selects, how many it selects, and how many it
// selects in each département whatever the filter's département (for the map).
type EventList struct {
	Items  []*ouvert.Event
	Total  int
	Counts map[string]int // read only: shared with other requests
	// Stamp identifies the figures behind Counts: two lists with the same non-zero stamp have the
	// same filter (its département aside), and the events it selects have not changed since
	// (registration counters aside), so what is drawn from them can be kept by stamp.
	Stamp uint64
}

// EventList returns a page of events in date order, how many match, and how many match in each
// département. The figures come from memory while they hold (see event_stats.go): the page's
// query is the only one that reads events.
func (db *DB) EventList(ctx context.Context, f EventFilter) (*EventList, error) {
	if f.PerPage <= 0 {
		f.PerPage = 20
	}
	st, err := db.eventStats(ctx, f)
	if err != nil {
		return nil, err
	}
	l := &EventList{Total: st.count(f.Departement), Counts: st.counts, Stamp: st.stamp}
	offset := (max(f.Page, 1) - 1) * f.PerPage
	if offset >= l.Total {
		return l, nil
	}
	where, args := f.where()
	if !f.From.IsZero() {
		// Every event the filter selects starts at or after the first start counted: the list
		// reads its date-ordered index from there, not from the first event ever.
		where += " AND e.starts_at >= ?"
		args = append(args, st.firstStart)
	}
	err = db.each(ctx, func(s scanner) error {
		e, err := scanEvent(s)
		l.Items = append(l.Items, e)
		return err
	}, `SELECT `+eventColumns+` FROM events e WHERE `+where+` ORDER BY e.starts_at, e.id LIMIT ? OFFSET ?`,
		append(args, f.PerPage, offset)...)
	if err != nil {
		return nil, fmt.Errorf("store: events: %w", err)
	}
	return l, nil
}

// Events returns a page of events in date order, and how many match.
func (db *DB) Events(ctx context.Context, f EventFilter) ([]*ouvert.Event, int, error) {
	l, err := db.EventList(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	return l.Items, l.Total, nil
}

// EventCounts returns how many events match per département, whatever the filter's département,
// for the map. The map is shared with other requests: read it, never change it.
func (db *DB) EventCounts(ctx context.Context, f EventFilter) (map[string]int, error) {
	st, err := db.eventStats(ctx, f)
	if err != nil {
		return nil, err
	}
	return st.counts, nil
}

// SetEventStatus publishes, rejects or cancels an event.
func (db *DB) SetEventStatus(ctx context.Context, id int64, status string) error {
	res, err := db.exec(ctx, `UPDATE events SET status = ? WHERE id = ?`, status, id)
	if err != nil {
		return fmt.Errorf("store: event status: %w", err)
	}
	return mustAffect(res)
}

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

// maxEventDays is the longest an event may last.
const maxEventDays = 31

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

func (f EventFilter) where() (string, []any) {
	status := f.Status
	if status == "" {
		status = ouvert.EventPublished
	}
	where := []string{"e.process_id = ?", "e.status = ?"}
	args := []any{f.ProcessID, status}
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
		where = append(where, "e.id IN (SELECT event_id FROM event_axes WHERE axis_id = ?)")
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

// Events returns a page of events in date order, and how many match.
func (db *DB) Events(ctx context.Context, f EventFilter) ([]*ouvert.Event, int, error) {
	if f.PerPage <= 0 {
		f.PerPage = 20
	}
	where, args := f.where()
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM events e WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count events: %w", err)
	}
	if !f.From.IsZero() {
		// No event lasts more than maxEventDays: this bound lets the list read its date-ordered
		// index (events_list, which carries ends_at) from near f.From, not from the first event.
		where += " AND e.starts_at >= ?"
		args = append(args, f.From.UTC().AddDate(0, 0, -maxEventDays))
	}
	var out []*ouvert.Event
	err := db.each(ctx, func(s scanner) error {
		e, err := scanEvent(s)
		out = append(out, e)
		return err
	}, `SELECT `+eventColumns+` FROM events e WHERE `+where+` ORDER BY e.starts_at, e.id LIMIT ? OFFSET ?`,
		append(args, f.PerPage, (max(f.Page, 1)-1)*f.PerPage)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: events: %w", err)
	}
	return out, total, nil
}

// EventCounts returns how many events match per département, for the map.
func (db *DB) EventCounts(ctx context.Context, f EventFilter) (map[string]int, error) {
	f.Departement = ""
	where, args := f.where()
	out := map[string]int{}
	err := db.each(ctx, func(s scanner) error {
		var d string
		var n int
		err := s.Scan(&d, &n)
		if d != "" {
			out[d] = n
		}
		return err
	}, `SELECT e.departement, COUNT(*) FROM events e WHERE `+where+` GROUP BY e.departement`, args...)
	return out, err
}

// SetEventStatus publishes, rejects or cancels an event.
func (db *DB) SetEventStatus(ctx context.Context, id int64, status string) error {
	res, err := db.exec(ctx, `UPDATE events SET status = ? WHERE id = ?`, status, id)
	if err != nil {
		return fmt.Errorf("store: event status: %w", err)
	}
	return mustAffect(res)
}

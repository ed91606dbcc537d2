package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"ouvert/internal/ouvert"
)

// Registration is a person's place at an event (or one of its parallel sessions).
type Registration struct {
	ID        int64
	EventID   int64
	SessionID int64
	UserID    int64
	Name      string
	Email     string
	Category  ouvert.Category
	Status    string
	Attended  bool
	CreatedAt time.Time
}

// lockEvent serialises registrations to one event: SQLite has one writer already, PostgreSQL
// locks the event's row.
func (tx *Tx) lockEvent(ctx context.Context, id int64) (*ouvert.Event, error) {
	lock := ""
	if tx.db.dialect.name() == "postgres" {
		lock = " FOR UPDATE"
	}
	return scanEvent(tx.queryRow(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.id = ?`+lock, id))
}

// Register gives a person a place at an event, or at one of its parallel sessions, within its
// capacity; beyond it they wait, in order of arrival. Events "on approval" put them pending. It
// returns the registration's status.
func (db *DB) Register(ctx context.Context, eventID, sessionID, userID int64) (string, error) {
	var status string
	err := db.WithTx(ctx, func(tx *Tx) error {
		e, err := tx.lockEvent(ctx, eventID)
		if err != nil {
			return err
		}
		if e.Status != ouvert.EventPublished {
			return ouvert.Errorf(ouvert.ECONFLICT, "event.not_open")
		}
		if e.Registration != ouvert.RegistrationOpen && e.Registration != ouvert.RegistrationApproval {
			return ouvert.Errorf(ouvert.ECONFLICT, "event.no_registration")
		}
		if !e.EndsAt.After(tx.db.Now()) {
			return ouvert.Errorf(ouvert.ECONFLICT, "event.over")
		}
		capacity, registered := e.Capacity, e.Registered
		if sessionID != 0 {
			err := tx.queryRow(ctx, `SELECT capacity, registered FROM event_sessions WHERE id = ? AND event_id = ? AND parallel_group <> ''`,
				sessionID, eventID).Scan(&capacity, &registered)
			if errors.Is(err, sql.ErrNoRows) {
				return ouvert.FieldError("session", "form.choose")
			} else if err != nil {
				return err
			}
			// The event's own capacity still bounds the total.
			if e.Capacity > 0 && e.Registered >= e.Capacity {
				capacity, registered = 1, 1
			}
		}
		switch {
		case e.Registration == ouvert.RegistrationApproval:
			status = ouvert.RegPending
		case capacity == 0 || registered < capacity:
			status = ouvert.RegConfirmed
		default:
			status = ouvert.RegWaiting
		}
		now := tx.db.Now()
		_, err = tx.exec(ctx, `INSERT INTO registrations (event_id, session_id, user_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			eventID, nullID(sessionID), userID, status, now, now)
		if tx.db.dialect.isUniqueViolation(err) {
			return ouvert.Errorf(ouvert.ECONFLICT, "event.already_registered")
		} else if err != nil {
			return fmt.Errorf("store: register: %w", err)
		}
		return tx.countRegistration(ctx, eventID, sessionID, status, 1)
	})
	return status, err
}

// countRegistration moves the counters of an event and its session for a registration's status.
func (tx *Tx) countRegistration(ctx context.Context, eventID, sessionID int64, status string, delta int) error {
	col := ""
	switch status {
	case ouvert.RegConfirmed:
		col = "registered"
	case ouvert.RegWaiting:
		col = "waiting"
	default:
		return nil
	}
	if _, err := tx.exec(ctx, `UPDATE events SET `+col+` = `+col+` + ? WHERE id = ?`, delta, eventID); err != nil {
		return err
	}
	if sessionID != 0 {
		_, err := tx.exec(ctx, `UPDATE event_sessions SET `+col+` = `+col+` + ? WHERE id = ?`, delta, sessionID)
		return err
	}
	return nil
}

// CancelRegistration cancels a person's registration. When it held a place, the first person
// waiting (for the same session) takes it; that person is returned, for the mail that tells them.
func (db *DB) CancelRegistration(ctx context.Context, eventID, userID int64) (*Registration, error) {
	var promoted *Registration
	err := db.WithTx(ctx, func(tx *Tx) error {
		e, err := tx.lockEvent(ctx, eventID)
		if err != nil {
			return err
		}
		var id int64
		var session sql.NullInt64
		var status string
		err = tx.queryRow(ctx, `SELECT id, session_id, status FROM registrations WHERE event_id = ? AND user_id = ? AND status <> 'cancelled'`,
			eventID, userID).Scan(&id, &session, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "event.not_registered")
		} else if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE registrations SET status = 'cancelled', updated_at = ? WHERE id = ?`, tx.db.Now(), id); err != nil {
			return err
		}
		if err := tx.countRegistration(ctx, eventID, session.Int64, status, -1); err != nil {
			return err
		}
		if status != ouvert.RegConfirmed || e.Registration != ouvert.RegistrationOpen {
			return nil
		}
		q := `SELECT r.id, r.user_id, u.display_name, u.email, u.category, r.created_at FROM registrations r JOIN users u ON u.id = r.user_id
			WHERE r.event_id = ? AND r.status = 'waiting' AND r.session_id IS NULL ORDER BY r.id LIMIT 1`
		args := []any{eventID}
		if session.Valid {
			q = `SELECT r.id, r.user_id, u.display_name, u.email, u.category, r.created_at FROM registrations r JOIN users u ON u.id = r.user_id
				WHERE r.event_id = ? AND r.status = 'waiting' AND r.session_id = ? ORDER BY r.id LIMIT 1`
			args = append(args, session.Int64)
		}
		var p Registration
		err = tx.queryRow(ctx, q, args...).Scan(&p.ID, &p.UserID, &p.Name, &p.Email, &p.Category, &p.CreatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE registrations SET status = 'confirmed', updated_at = ? WHERE id = ?`, tx.db.Now(), p.ID); err != nil {
			return err
		}
		if err := tx.countRegistration(ctx, eventID, session.Int64, ouvert.RegWaiting, -1); err != nil {
			return err
		}
		if err := tx.countRegistration(ctx, eventID, session.Int64, ouvert.RegConfirmed, 1); err != nil {
			return err
		}
		p.EventID, p.SessionID, p.Status = eventID, session.Int64, ouvert.RegConfirmed
		promoted = &p
		return nil
	})
	return promoted, err
}

// UserRegistration returns a person's live registration to an event, or nil.
func (db *DB) UserRegistration(ctx context.Context, eventID, userID int64) (*Registration, error) {
	var r Registration
	var session sql.NullInt64
	err := db.queryRow(ctx, `SELECT id, event_id, session_id, user_id, status, created_at FROM registrations
		WHERE event_id = ? AND user_id = ? AND status <> 'cancelled'`, eventID, userID).Scan(&r.ID, &r.EventID, &session, &r.UserID, &r.Status, &r.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	r.SessionID = session.Int64
	return &r, nil
}

// Registrations lists an event's live registrations in order of arrival, for its organiser.
func (db *DB) Registrations(ctx context.Context, eventID int64) ([]Registration, error) {
	var out []Registration
	err := db.each(ctx, func(s scanner) error {
		var r Registration
		var session sql.NullInt64
		err := s.Scan(&r.ID, &r.EventID, &session, &r.UserID, &r.Name, &r.Email, &r.Category, &r.Status, &r.Attended, &r.CreatedAt)
		r.SessionID = session.Int64
		out = append(out, r)
		return err
	}, `SELECT r.id, r.event_id, r.session_id, r.user_id, u.display_name, u.email, u.category, r.status, r.attended, r.created_at
		FROM registrations r JOIN users u ON u.id = r.user_id WHERE r.event_id = ? AND r.status <> 'cancelled' ORDER BY r.id`, eventID)
	return out, err
}

// SetAttendance records who came to an event, among its live registrations.
func (db *DB) SetAttendance(ctx context.Context, eventID int64, present []int64) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE registrations SET attended = ? WHERE event_id = ?`, false, eventID); err != nil {
			return err
		}
		for _, id := range present {
			if _, err := tx.exec(ctx, `UPDATE registrations SET attended = ? WHERE id = ? AND event_id = ? AND status <> 'cancelled'`, true, id, eventID); err != nil {
				return err
			}
		}
		return nil
	})
}

// PurgeRegistrations deletes the registrations of events that ended before a time: who registered
// is kept only as long as the organisers need it. Counters stay.
func (db *DB) PurgeRegistrations(ctx context.Context, endedBefore time.Time) (int64, error) {
	res, err := db.exec(ctx, `DELETE FROM registrations WHERE event_id IN (SELECT id FROM events WHERE ends_at < ?)`, endedBefore.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: purge registrations: %w", err)
	}
	return res.RowsAffected()
}

// AcceptRegistration accepts a pending registration to an event "on approval": it gets a place
// within the capacity, or waits. It returns the new status and the person's id.
func (db *DB) AcceptRegistration(ctx context.Context, eventID, registrationID int64) (string, int64, error) {
	var status string
	var userID int64
	err := db.WithTx(ctx, func(tx *Tx) error {
		e, err := tx.lockEvent(ctx, eventID)
		if err != nil {
			return err
		}
		var session sql.NullInt64
		var old string
		err = tx.queryRow(ctx, `SELECT session_id, user_id, status FROM registrations WHERE id = ? AND event_id = ?`, registrationID, eventID).
			Scan(&session, &userID, &old)
		if errors.Is(err, sql.ErrNoRows) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		} else if err != nil {
			return err
		}
		if old != ouvert.RegPending {
			return ouvert.Errorf(ouvert.ECONFLICT, "event.not_pending")
		}
		capacity, registered := e.Capacity, e.Registered
		if session.Valid {
			if err := tx.queryRow(ctx, `SELECT capacity, registered FROM event_sessions WHERE id = ?`, session.Int64).Scan(&capacity, &registered); err != nil {
				return err
			}
		}
		status = ouvert.RegWaiting
		if capacity == 0 || registered < capacity {
			status = ouvert.RegConfirmed
		}
		if _, err := tx.exec(ctx, `UPDATE registrations SET status = ?, updated_at = ? WHERE id = ?`, status, tx.db.Now(), registrationID); err != nil {
			return err
		}
		return tx.countRegistration(ctx, eventID, session.Int64, status, 1)
	})
	return status, userID, err
}

package store

import (
	"context"

	"ouvert/internal/ouvert"
)

// PersonalData is everything Ouvert holds about one person, for them to download.
type PersonalData struct {
	Account       map[string]any   `json:"account"`
	Organisations []map[string]any `json:"organisations"`
	Contributions []map[string]any `json:"contributions"`
	Arguments     []map[string]any `json:"arguments"`
	Votes         []map[string]any `json:"votes"`
	Follows       []int64          `json:"follows"`
	Registrations []map[string]any `json:"registrations"`
	Notifications []map[string]any `json:"notifications"`
	Reports       []map[string]any `json:"reports"`
}

// PersonalData gathers what Ouvert holds about a person: one query per kind of data.
func (db *DB) PersonalData(ctx context.Context, u *ouvert.User) (*PersonalData, error) {
	d := &PersonalData{Account: map[string]any{
		"id": u.ID, "email": u.Email, "display_name": u.DisplayName, "category": u.Category, "role": u.Role,
		"administration": u.Administration, "language": u.Lang, "confirmed_at": u.ConfirmedAt, "created_at": u.CreatedAt,
		"daily_digest": u.Digest, "blocked_at": u.BlockedAt,
	}}
	rows := func(dst *[]map[string]any, cols []string, q string, args ...any) error {
		*dst = []map[string]any{}
		return db.each(ctx, func(s scanner) error {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := s.Scan(ptrs...); err != nil {
				return err
			}
			m := map[string]any{}
			for i, c := range cols {
				if b, ok := vals[i].([]byte); ok {
					vals[i] = string(b)
				}
				m[c] = vals[i]
			}
			*dst = append(*dst, m)
			return nil
		}, q, args...)
	}
	steps := []error{
		rows(&d.Organisations, []string{"name", "category", "administrator"},
			`SELECT o.name, o.category, m.is_admin FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = ?`, u.ID),
		rows(&d.Contributions, []string{"id", "title", "body", "status", "created_at"},
			`SELECT id, title, body, status, created_at FROM contributions WHERE author_id = ? ORDER BY id`, u.ID),
		rows(&d.Arguments, []string{"id", "contribution_id", "stance", "body", "status", "created_at"},
			`SELECT id, contribution_id, stance, body, status, created_at FROM arguments WHERE author_id = ? ORDER BY id`, u.ID),
		rows(&d.Votes, []string{"contribution_id", "value", "updated_at"},
			`SELECT contribution_id, value, updated_at FROM votes WHERE user_id = ? ORDER BY contribution_id`, u.ID),
		rows(&d.Registrations, []string{"event_id", "status", "attended", "created_at"},
			`SELECT event_id, status, attended, created_at FROM registrations WHERE user_id = ? ORDER BY id`, u.ID),
		rows(&d.Notifications, []string{"kind", "contribution_id", "created_at", "read_at"},
			`SELECT kind, contribution_id, created_at, read_at FROM notifications WHERE user_id = ? ORDER BY id`, u.ID),
		rows(&d.Reports, []string{"target_type", "target_id", "reason", "detail", "created_at"},
			`SELECT target_type, target_id, reason, detail, created_at FROM reports WHERE reporter_id = ? ORDER BY id`, u.ID),
	}
	for _, err := range steps {
		if err != nil {
			return nil, err
		}
	}
	var err error
	d.Follows, err = db.int64s(ctx, `SELECT contribution_id FROM follows WHERE user_id = ? ORDER BY contribution_id`, u.ID)
	return d, err
}

// DeleteUserContent withdraws a person's contributions and hides their arguments, before their
// account is deleted, when they ask for their texts to go too.
func (db *DB) DeleteUserContent(ctx context.Context, userID int64) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		now := tx.db.Now()
		// Their published contributions leave every counter, one by one (a person writes few).
		published, err := tx.int64s(ctx, `SELECT id FROM contributions WHERE author_id = ? AND status = 'published'`, userID)
		if err != nil {
			return err
		}
		for _, id := range published {
			if err := tx.countContribution(ctx, id, -1); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `UPDATE contributions SET status = 'withdrawn', title = '', body = '', search = '', updated_at = ?
			WHERE author_id = ?`, now, userID); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE arguments SET status = 'hidden', hidden_reason = 'deleted', body = '' WHERE author_id = ?`, userID)
		return err
	})
}

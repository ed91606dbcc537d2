package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"ouvert/internal/ouvert"
)

// Answer gives the same response to contributions of a process and tells their followers (the
// author follows their own contribution unless they stopped). Contributions of another process
// are refused whole. It returns how many contributions changed.
func (db *DB) Answer(ctx context.Context, processID int64, ids []int64, a ouvert.Answer, actorID int64) (int, error) {
	errs := ouvert.FieldErrors{}
	a.Validate(errs)
	if err := errs.Err(); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, ouvert.FieldError("ids", "response.none_selected")
	}
	changed := 0
	err := db.WithTx(ctx, func(tx *Tx) error {
		if a.Response == ouvert.ResponseMerged {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM contributions WHERE id = ? AND process_id = ? AND status = 'published'`,
				a.Target, processID).Scan(&n); err != nil {
				return err
			} else if n == 0 {
				return ouvert.FieldError("target", "response.bad_target")
			}
		}
		if a.Response == ouvert.ResponseDraft {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM drafts WHERE id = ? AND process_id = ?`, a.Target, processID).Scan(&n); err != nil {
				return err
			} else if n == 0 {
				return ouvert.FieldError("target", "response.bad_draft")
			}
		}
		now := tx.db.Now()
		if !a.At.IsZero() {
			now = a.At
		}
		for _, id := range ids {
			if a.Response == ouvert.ResponseMerged && id == a.Target {
				continue // the contribution that others merge into keeps its own answer
			}
			var process, axis int64
			var status, old, reason string
			var target sql.NullInt64
			err := tx.queryRow(ctx, `SELECT process_id, axis_id, status, response, response_reason, response_target FROM contributions WHERE id = ?`, id).
				Scan(&process, &axis, &status, &old, &reason, &target)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && process != processID) {
				return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
			} else if err != nil {
				return err
			}
			if old == string(a.Response) && reason == a.Reason && target.Int64 == a.Target {
				continue
			}
			if _, err := tx.exec(ctx, `UPDATE contributions SET response = ?, response_reason = ?, response_target = ?, responded_at = ? WHERE id = ?`,
				a.Response, a.Reason, nullID(a.Target), now, id); err != nil {
				return fmt.Errorf("store: answer %d: %w", id, err)
			}
			if a.Response == ouvert.ResponseDraft {
				if _, err := tx.exec(ctx, `INSERT INTO draft_sources (draft_id, contribution_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, a.Target, id); err != nil {
					return err
				}
			}
			if status == ouvert.StatusPublished && old != string(a.Response) {
				if err := tx.countResponse(ctx, processID, axis, old, -1); err != nil {
					return err
				}
				if err := tx.countResponse(ctx, processID, axis, string(a.Response), 1); err != nil {
					return err
				}
			}
			if err := tx.notifyFollowers(ctx, id, 0, actorID, "answered"); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}

// ResponseCounts returns, per axis then per response, how many published contributions of a
// process have it: counters kept on write, one short read whatever the number of contributions.
func (db *DB) ResponseCounts(ctx context.Context, processID int64) (map[int64]map[ouvert.Response]int, error) {
	counts := map[int64]map[ouvert.Response]int{}
	err := db.each(ctx, func(s scanner) error {
		var axis int64
		var r ouvert.Response
		var n int
		if err := s.Scan(&axis, &r, &n); err != nil {
			return err
		}
		if counts[axis] == nil {
			counts[axis] = map[ouvert.Response]int{}
		}
		counts[axis][r] = n
		return nil
	}, `SELECT axis_id, response, n FROM response_counts WHERE process_id = ? AND n <> 0`, processID)
	return counts, err
}

// ContributionTitles returns the titles of a process' visible contributions among ids, for
// references in a synthesis: what is not there (unknown, withdrawn, hidden, another process) is
// absent from the map.
func (db *DB) ContributionTitles(ctx context.Context, processID int64, ids []int64) (map[int64]string, error) {
	titles := map[int64]string{}
	if len(ids) == 0 {
		return titles, nil
	}
	args := []any{processID}
	for _, id := range ids {
		args = append(args, id)
	}
	err := db.each(ctx, func(s scanner) error {
		var id int64
		var title string
		err := s.Scan(&id, &title)
		titles[id] = title
		return err
	}, `SELECT id, title FROM contributions WHERE process_id = ? AND status = 'published' AND id IN (`+placeholders(len(ids))+`)`, args...)
	return titles, err
}

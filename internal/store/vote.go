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

// voteColumn names the counter of a vote value.
func voteColumn(v int) string {
	switch v {
	case ouvert.VoteAgree:
		return "agree"
	case ouvert.VoteDisagree:
		return "disagree"
	}
	return "mixed"
}

// Vote records a person's vote on a published contribution, or changes it, and keeps the
// contribution's counters in the same transaction.
func (db *DB) Vote(ctx context.Context, contributionID, userID int64, value int) error {
	if value < -1 || value > 1 {
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		var status string
		if err := tx.queryRow(ctx, `SELECT status FROM contributions WHERE id = ?`, contributionID).Scan(&status); errors.Is(err, sql.ErrNoRows) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		} else if err != nil {
			return err
		}
		if status != ouvert.StatusPublished {
			return ouvert.Errorf(ouvert.ECONFLICT, "contribution.not_published")
		}
		now := tx.db.Now()
		var old int
		err := tx.queryRow(ctx, `SELECT value FROM votes WHERE contribution_id = ? AND user_id = ?`, contributionID, userID).Scan(&old)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.exec(ctx, `INSERT INTO votes (contribution_id, user_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
				contributionID, userID, value, now, now); err != nil {
				return fmt.Errorf("store: vote: %w", err)
			}
			_, err = tx.exec(ctx, `UPDATE contributions SET `+voteColumn(value)+` = `+voteColumn(value)+` + 1 WHERE id = ?`, contributionID)
			return err
		case err != nil:
			return err
		case old == value:
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE votes SET value = ?, updated_at = ? WHERE contribution_id = ? AND user_id = ?`, value, now, contributionID, userID); err != nil {
			return fmt.Errorf("store: change vote: %w", err)
		}
		_, err = tx.exec(ctx, `UPDATE contributions SET `+voteColumn(old)+` = `+voteColumn(old)+` - 1, `+
			voteColumn(value)+` = `+voteColumn(value)+` + 1 WHERE id = ?`, contributionID)
		return err
	})
}

// UserVotes returns a person's votes on some contributions, in one query.
func (db *DB) UserVotes(ctx context.Context, userID int64, ids []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if userID == 0 || len(ids) == 0 {
		return out, nil
	}
	args := []any{userID}
	for _, id := range ids {
		args = append(args, id)
	}
	err := db.each(ctx, func(s scanner) error {
		var id int64
		var v int
		err := s.Scan(&id, &v)
		out[id] = v
		return err
	}, `SELECT contribution_id, value FROM votes WHERE user_id = ? AND contribution_id IN (`+placeholders(len(ids))+`)`, args...)
	return out, err
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// VoteRow is one vote of a bulk import.
type VoteRow struct {
	ContributionID, UserID int64
	Value                  int
	At                     time.Time
}

// ImportVotes stores many votes in one transaction (later rows replace earlier ones of the same
// person on the same contribution), then recounts the counters of the contributions touched.
func (db *DB) ImportVotes(ctx context.Context, rows []VoteRow) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		touched := map[int64]bool{}
		for _, r := range rows {
			if r.Value < -1 || r.Value > 1 {
				return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
			}
			if _, err := tx.exec(ctx, `INSERT INTO votes (contribution_id, user_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (contribution_id, user_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
				r.ContributionID, r.UserID, r.Value, r.At.UTC(), r.At.UTC()); err != nil {
				return fmt.Errorf("store: import vote: %w", err)
			}
			touched[r.ContributionID] = true
		}
		for id := range touched {
			if _, err := tx.exec(ctx, `UPDATE contributions SET
				agree = (SELECT COUNT(*) FROM votes WHERE contribution_id = ? AND value = 1),
				mixed = (SELECT COUNT(*) FROM votes WHERE contribution_id = ? AND value = 0),
				disagree = (SELECT COUNT(*) FROM votes WHERE contribution_id = ? AND value = -1) WHERE id = ?`, id, id, id, id); err != nil {
				return err
			}
		}
		return nil
	})
}

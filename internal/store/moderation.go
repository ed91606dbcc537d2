package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"ouvert/internal/ouvert"
)

// Targets of reports and moderation.
const (
	TargetContribution = "contribution"
	TargetArgument     = "argument"
)

func targetTable(targetType string) (string, error) {
	switch targetType {
	case TargetContribution:
		return "contributions", nil
	case TargetArgument:
		return "arguments", nil
	}
	return "", ouvert.Errorf(ouvert.EINVALID, "error.invalid")
}

// Report records a person's report of a contribution or argument. Once threshold distinct people
// have reported it, it is hidden until a moderator reviews it, and its author is told. It returns
// whether this report hid it.
func (db *DB) Report(ctx context.Context, targetType string, targetID, reporterID int64, reason, detail string, threshold int) (bool, error) {
	table, err := targetTable(targetType)
	if err != nil {
		return false, err
	}
	if !ouvert.ValidReportReason(reason) {
		return false, ouvert.FieldError("reason", "form.choose")
	}
	hid := false
	err = db.WithTx(ctx, func(tx *Tx) error {
		var author sql.NullInt64
		var status string
		var contributionID int64
		q := `SELECT author_id, status, id FROM contributions WHERE id = ?`
		if targetType == TargetArgument {
			q = `SELECT author_id, status, contribution_id FROM arguments WHERE id = ?`
		}
		if err := tx.queryRow(ctx, q, targetID).Scan(&author, &status, &contributionID); errors.Is(err, sql.ErrNoRows) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		} else if err != nil {
			return err
		}
		if author.Valid && author.Int64 == reporterID {
			return ouvert.Errorf(ouvert.EFORBIDDEN, "report.own")
		}
		_, err := tx.exec(ctx, `INSERT INTO reports (target_type, target_id, reporter_id, reason, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			targetType, targetID, reporterID, reason, detail, tx.db.Now())
		if tx.db.dialect.isUniqueViolation(err) {
			return ouvert.Errorf(ouvert.ECONFLICT, "report.already")
		} else if err != nil {
			return fmt.Errorf("store: report: %w", err)
		}
		var reports int
		if err := tx.queryRow(ctx, `UPDATE `+table+` SET reports = reports + 1 WHERE id = ? RETURNING reports`, targetID).Scan(&reports); err != nil {
			return err
		}
		if status != ouvert.StatusPublished || reports < threshold {
			return nil
		}
		hid = true
		if err := tx.setHidden(ctx, targetType, targetID, ouvert.HiddenPending); err != nil {
			return err
		}
		// The reason of an automatic hiding is the number of reports, shown in words by the page.
		if err := tx.logModeration(ctx, 0, "auto_hide", targetType, targetID, strconv.Itoa(reports)); err != nil {
			return err
		}
		argID := int64(0)
		if targetType == TargetArgument {
			argID = targetID
		}
		return tx.notify(ctx, author.Int64, "hidden", contributionID, argID, ouvert.HiddenPending)
	})
	return hid, err
}

// setHidden hides a target with a reason, keeping the published counters.
func (tx *Tx) setHidden(ctx context.Context, targetType string, id int64, reason string) error {
	table, _ := targetTable(targetType)
	var status string
	if err := tx.queryRow(ctx, `SELECT status FROM `+table+` WHERE id = ?`, id).Scan(&status); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE `+table+` SET status = ?, hidden_reason = ? WHERE id = ?`, ouvert.StatusHidden, reason, id); err != nil {
		return err
	}
	if targetType == TargetContribution && status == ouvert.StatusPublished {
		return tx.countContribution(ctx, id, -1)
	}
	return nil
}

func (tx *Tx) logModeration(ctx context.Context, moderatorID int64, action, targetType string, targetID int64, reason string) error {
	_, err := tx.exec(ctx, `INSERT INTO moderation_log (moderator_id, action, target_type, target_id, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		nullID(moderatorID), action, targetType, targetID, reason, tx.db.Now())
	return err
}

// Moderate hides a contribution or argument with a reason, or restores a hidden one, or keeps a
// reported one published; open reports on it are closed, the decision is logged, and the author
// is told when their text is hidden or restored.
func (db *DB) Moderate(ctx context.Context, moderatorID int64, targetType string, targetID int64, hide bool, reason string) error {
	table, err := targetTable(targetType)
	if err != nil {
		return err
	}
	if hide && !ouvert.ValidReportReason(reason) {
		return ouvert.FieldError("reason", "form.choose")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		var author sql.NullInt64
		var status string
		var contributionID int64
		q := `SELECT author_id, status, id FROM contributions WHERE id = ?`
		if targetType == TargetArgument {
			q = `SELECT author_id, status, contribution_id FROM arguments WHERE id = ?`
		}
		if err := tx.queryRow(ctx, q, targetID).Scan(&author, &status, &contributionID); errors.Is(err, sql.ErrNoRows) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		} else if err != nil {
			return err
		}
		action := "hide"
		if hide {
			if err := tx.setHidden(ctx, targetType, targetID, reason); err != nil {
				return err
			}
		} else if status == ouvert.StatusPublished {
			// Keeping a reported text published dismisses its reports; its author hears nothing.
			if _, err := tx.exec(ctx, `UPDATE `+table+` SET reports = 0 WHERE id = ?`, targetID); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE reports SET resolved_at = ? WHERE target_type = ? AND target_id = ? AND resolved_at IS NULL`,
				tx.db.Now(), targetType, targetID); err != nil {
				return err
			}
			return tx.logModeration(ctx, moderatorID, "keep", targetType, targetID, reason)
		} else {
			action = "restore"
			if status != ouvert.StatusHidden {
				return ouvert.Errorf(ouvert.ECONFLICT, "moderation.not_hidden")
			}
			if _, err := tx.exec(ctx, `UPDATE `+table+` SET status = ?, hidden_reason = '', reports = 0 WHERE id = ?`, ouvert.StatusPublished, targetID); err != nil {
				return err
			}
			if targetType == TargetContribution {
				if err := tx.countContribution(ctx, targetID, 1); err != nil {
					return err
				}
			}
		}
		if _, err := tx.exec(ctx, `UPDATE reports SET resolved_at = ? WHERE target_type = ? AND target_id = ? AND resolved_at IS NULL`,
			tx.db.Now(), targetType, targetID); err != nil {
			return err
		}
		if err := tx.logModeration(ctx, moderatorID, action, targetType, targetID, reason); err != nil {
			return err
		}
		argID := int64(0)
		if targetType == TargetArgument {
			argID = targetID
		}
		kind := "restored"
		if hide {
			kind = "hidden"
		}
		return tx.notify(ctx, author.Int64, kind, contributionID, argID, reason)
	})
}

// SetBlocked blocks an account (it can read, not write) or unblocks it, and logs who did it.
func (db *DB) SetBlocked(ctx context.Context, moderatorID, userID int64, blocked bool, reason string) error {
	defer db.sessions.forget()
	return db.WithTx(ctx, func(tx *Tx) error {
		var at any
		action := "unblock"
		if blocked {
			at, action = tx.db.Now(), "block"
		}
		res, err := tx.exec(ctx, `UPDATE users SET blocked_at = ? WHERE id = ?`, at, userID)
		if err != nil {
			return err
		}
		if err := mustAffect(res); err != nil {
			return err
		}
		return tx.logModeration(ctx, moderatorID, action, "user", userID, reason)
	})
}

// QueueItem is a contribution or argument waiting for a moderator: reported, or hidden pending review.
type QueueItem struct {
	TargetType     string
	TargetID       int64
	ContributionID int64
	Title          string
	Body           string
	AuthorID       int64
	AuthorName     string
	Status         string
	HiddenReason   string
	Reports        int
	Reasons        []string // the open reports' reasons
}

// ModerationQueue returns the items with open reports, most reported first: one query for the
// items and one for their reasons, whatever the length of the queue.
func (db *DB) ModerationQueue(ctx context.Context, limit int) ([]QueueItem, error) {
	var out []QueueItem
	err := db.each(ctx, func(s scanner) error {
		var q QueueItem
		var first int64
		err := s.Scan(&q.TargetType, &q.TargetID, &q.ContributionID, &q.Title, &q.Body, &q.AuthorID, &q.AuthorName,
			&q.Status, &q.HiddenReason, &q.Reports, &first)
		out = append(out, q)
		return err
	}, `SELECT 'contribution', c.id, c.id, c.title, c.body, COALESCE(c.author_id, 0), COALESCE(u.display_name, ''),
			c.status, c.hidden_reason, r.n, r.first
		FROM (SELECT target_id, COUNT(*) AS n, MIN(id) AS first FROM reports
			WHERE resolved_at IS NULL AND target_type = 'contribution' GROUP BY target_id) r
		JOIN contributions c ON c.id = r.target_id LEFT JOIN users u ON u.id = c.author_id
		UNION ALL
		SELECT 'argument', a.id, a.contribution_id, '', a.body, COALESCE(a.author_id, 0), COALESCE(u.display_name, ''),
			a.status, a.hidden_reason, r.n, r.first
		FROM (SELECT target_id, COUNT(*) AS n, MIN(id) AS first FROM reports
			WHERE resolved_at IS NULL AND target_type = 'argument' GROUP BY target_id) r
		JOIN arguments a ON a.id = r.target_id LEFT JOIN users u ON u.id = a.author_id
		ORDER BY 10 DESC, 11 LIMIT ?`, limit)
	if err != nil || len(out) == 0 {
		return out, err
	}
	index := map[string]int{}
	var ids []any
	for i, q := range out {
		index[q.TargetType+":"+strconv.FormatInt(q.TargetID, 10)] = i
		ids = append(ids, q.TargetID)
	}
	err = db.each(ctx, func(s scanner) error {
		var typ, reason string
		var id int64
		if err := s.Scan(&typ, &id, &reason); err != nil {
			return err
		}
		if i, ok := index[typ+":"+strconv.FormatInt(id, 10)]; ok {
			out[i].Reasons = append(out[i].Reasons, reason)
		}
		return nil
	}, `SELECT DISTINCT target_type, target_id, reason FROM reports WHERE resolved_at IS NULL
		AND target_id IN (`+placeholders(len(ids))+`) ORDER BY target_type, target_id, reason`, ids...)
	if err != nil {
		return nil, fmt.Errorf("store: moderation queue: %w", err)
	}
	return out, nil
}

// HiddenCounts returns, for the public, how many contributions and arguments of a process are
// hidden, by reason.
func (db *DB) HiddenCounts(ctx context.Context, processID int64) (map[string]int, error) {
	out := map[string]int{}
	err := db.each(ctx, func(s scanner) error {
		var reason string
		var n int
		err := s.Scan(&reason, &n)
		out[reason] += n
		return err
	}, `SELECT hidden_reason, COUNT(*) FROM contributions WHERE status = 'hidden' AND process_id = ? GROUP BY hidden_reason
		UNION ALL SELECT a.hidden_reason, COUNT(*) FROM arguments a JOIN contributions c ON c.id = a.contribution_id
		WHERE a.status = 'hidden' AND c.process_id = ? GROUP BY a.hidden_reason`, processID, processID)
	return out, err
}

// LogEntry is one moderation decision.
type LogEntry struct {
	ModeratorName string
	Action        string
	TargetType    string
	TargetID      int64
	Reason        string
	CreatedAt     time.Time
}

// ModerationLog returns the newest moderation decisions.
func (db *DB) ModerationLog(ctx context.Context, limit int) ([]LogEntry, error) {
	var out []LogEntry
	err := db.each(ctx, func(s scanner) error {
		var e LogEntry
		err := s.Scan(&e.ModeratorName, &e.Action, &e.TargetType, &e.TargetID, &e.Reason, &e.CreatedAt)
		out = append(out, e)
		return err
	}, `SELECT COALESCE(u.display_name, ''), l.action, l.target_type, l.target_id, l.reason, l.created_at
		FROM moderation_log l LEFT JOIN users u ON u.id = l.moderator_id ORDER BY l.id DESC LIMIT ?`, limit)
	return out, err
}

// HideAtSource hides an imported contribution that its source platform had moderated out.
func (db *DB) HideAtSource(ctx context.Context, contributionID int64, reason string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.setHidden(ctx, TargetContribution, contributionID, reason); err != nil {
			return err
		}
		return tx.logModeration(ctx, 0, "import_hidden", TargetContribution, contributionID, reason)
	})
}

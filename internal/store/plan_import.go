package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"ouvert/internal/ouvert"
)

// CreateCommitments adds commitments to a plan, each with the next number and its milestones
// (milestones[i] are those of cs[i]), in one transaction: an import refused half-way leaves the
// plan as it was. A commitment without an axis gets the axis of the plan's process whose title is
// its AxisTitle, if there is one, so that the tracker's axis filter finds it. A commitment whose
// ProgressManual is set keeps its Progress instead of the progress of its milestones.
func (db *DB) CreateCommitments(ctx context.Context, cs []*ouvert.Commitment, milestones [][]NewMilestone) error {
	if len(milestones) != len(cs) {
		return fmt.Errorf("store: create commitments: %d commitments but %d lists of milestones", len(cs), len(milestones))
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		for i, c := range cs {
			// Checked inside the transaction: a refused commitment undoes the ones before it.
			if err := validateNewCommitment(c); err != nil {
				return fmt.Errorf("store: commitment %d of %d: %w", i+1, len(cs), err)
			}
			if c.AxisID == 0 && strings.TrimSpace(c.AxisTitle) != "" {
				err := tx.queryRow(ctx, `SELECT a.id FROM axes a JOIN plans p ON p.process_id = a.process_id
					WHERE p.id = ? AND a.title = ? ORDER BY a.position LIMIT 1`, c.PlanID, strings.TrimSpace(c.AxisTitle)).Scan(&c.AxisID)
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("store: find axis %q: %w", c.AxisTitle, err)
				}
			}
			if err := tx.createCommitment(ctx, c, milestones[i]); err != nil {
				return fmt.Errorf("store: commitment %d of %d: %w", i+1, len(cs), err)
			}
			if c.ProgressManual {
				if _, err := tx.exec(ctx, `UPDATE commitments SET progress = ?, progress_manual = TRUE, progress_reason = ? WHERE id = ?`,
					c.Progress, c.ProgressReason, c.ID); err != nil {
					return fmt.Errorf("store: set progress of commitment %d: %w", c.ID, err)
				}
			}
		}
		return nil
	})
}

// validateNewCommitment checks what CreateCommitment checks, and a progress set by hand.
func validateNewCommitment(c *ouvert.Commitment) error {
	errs := ouvert.FieldErrors{}
	if n := utf8.RuneCountInString(strings.TrimSpace(c.Title)); n == 0 {
		errs.Add("title", "form.required")
	} else if n > ouvert.MaxTitleLen*2 {
		errs.Add("title", "contribution.title_too_long")
	}
	if strings.TrimSpace(c.LeadAdministration) == "" {
		errs.Add("lead_administration", "form.required")
	}
	if c.ProgressManual && (c.Progress < 0 || c.Progress > 100) {
		errs.Add("progress", "plan.bad_progress")
	}
	return errs.Err()
}

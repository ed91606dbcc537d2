package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"ouvert/internal/ouvert"
)

// EventReport returns what an event's organiser recorded afterwards, or nil if nothing yet.
func (db *DB) EventReport(ctx context.Context, eventID int64) (*ouvert.EventReport, error) {
	r := &ouvert.EventReport{EventID: eventID, ByCategory: map[ouvert.Category]int{}}
	var cit, adm, assoc, think, priv, res int
	err := db.queryRow(ctx, `SELECT attendance, citizen, administration, association, think_tank, private, research, report, updated_at
		FROM event_reports WHERE event_id = ?`, eventID).Scan(&r.Attendance, &cit, &adm, &assoc, &think, &priv, &res, &r.Report, &r.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: event report: %w", err)
	}
	for c, n := range map[ouvert.Category]int{ouvert.CategoryCitizen: cit, ouvert.CategoryAdministration: adm, ouvert.CategoryAssociation: assoc,
		ouvert.CategoryThinkTank: think, ouvert.CategoryPrivate: priv, ouvert.CategoryResearch: res} {
		if n > 0 {
			r.ByCategory[c] = n
		}
	}
	return r, nil
}

// SaveEventResults records an event's attendance and report and turns its ideas into
// contributions of the consultation, all in one transaction: a refused idea leaves nothing
// half-saved.
func (db *DB) SaveEventResults(ctx context.Context, r *ouvert.EventReport, by int64, ideas []*ouvert.Contribution) error {
	r.UpdatedAt = db.Now()
	return db.WithTx(ctx, func(tx *Tx) error {
		c := r.ByCategory
		_, err := tx.exec(ctx, `INSERT INTO event_reports (event_id, attendance, citizen, administration, association, think_tank, private, research,
			report, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (event_id) DO UPDATE SET attendance = excluded.attendance, citizen = excluded.citizen,
			administration = excluded.administration, association = excluded.association, think_tank = excluded.think_tank,
			private = excluded.private, research = excluded.research, report = excluded.report,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			r.EventID, r.Attendance, c[ouvert.CategoryCitizen], c[ouvert.CategoryAdministration], c[ouvert.CategoryAssociation],
			c[ouvert.CategoryThinkTank], c[ouvert.CategoryPrivate], c[ouvert.CategoryResearch], r.Report, r.UpdatedAt, nullID(by))
		if err != nil {
			return fmt.Errorf("store: save event report: %w", err)
		}
		for _, idea := range ideas {
			if err := tx.createContribution(ctx, idea); err != nil {
				return err
			}
		}
		return nil
	})
}

// EventContributions returns the contributions an event produced, oldest first.
func (db *DB) EventContributions(ctx context.Context, eventID int64) ([]*ouvert.Contribution, error) {
	return db.contributionList(ctx, `SELECT `+contributionColumns+contributionFrom+` WHERE c.origin_event_id = ? AND c.status = 'published' ORDER BY c.id`, eventID)
}

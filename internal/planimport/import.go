package planimport

import (
	"context"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// Import adds the commitments Parse read to a plan, numbered after the plan's own (the file's
// numbers only group its lines), with their completion and milestones, in one transaction: all
// of them or, on any error, none. A milestone done is dated done at its end. A progress that the
// file gives and that differs from the progress of the milestones is kept as set by hand, with
// no reason since the file has none; an empty progress follows the milestones. It returns how
// many commitments it added.
func Import(ctx context.Context, db *store.DB, planID int64, rows []Row) (int, error) {
	cs := make([]*ouvert.Commitment, len(rows))
	ms := make([][]store.NewMilestone, len(rows))
	for i, r := range rows {
		c := &ouvert.Commitment{PlanID: planID, AxisTitle: r.Axis, Title: r.Title, LeadAdministration: r.LeadAdministration,
			OtherActors: r.OtherActors, Values: r.Values, Completion: r.Completion}
		done := 0
		for _, m := range r.Milestones {
			ms[i] = append(ms[i], store.NewMilestone{Deliverable: m.Deliverable, StartsAt: m.StartsAt, EndsAt: m.EndsAt, Status: m.Status})
			if m.Status == ouvert.MilestoneDone {
				done++
			}
		}
		// As the store computes it from the milestones.
		fromMilestones := 0
		if len(r.Milestones) > 0 {
			fromMilestones = 100 * done / len(r.Milestones)
		}
		if r.Progress != nil && *r.Progress != fromMilestones {
			c.Progress, c.ProgressManual = *r.Progress, true
		}
		cs[i] = c
	}
	if err := db.CreateCommitments(ctx, cs, ms); err != nil {
		return 0, err
	}
	return len(cs), nil
}

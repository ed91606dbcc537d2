package web_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

var benchPlan struct {
	once sync.Once
	slug string
	busy int64 // a commitment with 100 updates
	err  error
}

// planBenchSetup writes, once, a plan of 100 commitments with 1,000 milestones (a third reached,
// some late) and 10,000 updates into the benchmark's database.
func planBenchSetup(b *testing.B) (*benchEnv, string, int64) {
	e := benchSetup(b)
	benchPlan.once.Do(func() {
		ctx := context.Background()
		slug := "bench-plan-" + strconv.FormatInt(time.Now().UnixNano(), 36)
		plan := &ouvert.Plan{ProcessID: e.proc.ID, Slug: slug, Title: "Plan de référence", Status: ouvert.PlanImplementation,
			PeriodStart: time.Now().AddDate(-1, 0, 0), PeriodEnd: time.Now().AddDate(1, 0, 0), Introduction: "Un plan de **100** engagements."}
		if benchPlan.err = e.db.SavePlan(ctx, plan); benchPlan.err != nil {
			return
		}
		for i := range 100 {
			c := &ouvert.Commitment{PlanID: plan.ID, AxisID: e.proc.Axes[i%len(e.proc.Axes)].ID, AxisTitle: e.proc.Axes[i%len(e.proc.Axes)].Title,
				Title: "Engagement de référence " + strconv.Itoa(i), LeadAdministration: "Ministère " + strconv.Itoa(i%10),
				Sections: map[string]string{ouvert.SectionProblem: "Le problème public, en quelques phrases.", ouvert.SectionCommitment: "Ce que l'administration fera."}}
			var ms []store.NewMilestone
			for j := range 10 {
				m := store.NewMilestone{Deliverable: "Livrable " + strconv.Itoa(j), StartsAt: time.Now().AddDate(0, j-6, 0), EndsAt: time.Now().AddDate(0, j-5, 0)}
				if j < 3 {
					m.Status = ouvert.MilestoneDone
				}
				ms = append(ms, m)
			}
			if benchPlan.err = e.db.CreateCommitment(ctx, c, ms); benchPlan.err != nil {
				return
			}
			if i == 0 {
				benchPlan.busy = c.ID
			}
			for range 100 {
				if benchPlan.err = e.db.PostUpdate(ctx, c.ID, e.voterID, "Une mise à jour avec un [lien](https://example.org).", false); benchPlan.err != nil {
					return
				}
			}
		}
		benchPlan.slug = slug
	})
	if benchPlan.err != nil {
		b.Fatal(benchPlan.err)
	}
	return e, benchPlan.slug, benchPlan.busy
}

// BenchmarkPlanTracker: the tracker of a plan of 100 commitments, 1,000 milestones, 10,000 updates.
func BenchmarkPlanTracker(b *testing.B) {
	e, slug, _ := planBenchSetup(b)
	serve(b, e, func(int) *http.Request { return get("/plans/" + slug) }, http.StatusOK)
}

// BenchmarkPlanCommitment: a commitment's page with its 10 milestones and 100 updates.
func BenchmarkPlanCommitment(b *testing.B) {
	e, _, id := planBenchSetup(b)
	serve(b, e, func(int) *http.Request { return get("/engagements/" + strconv.FormatInt(id, 10)) }, http.StatusOK)
}

// BenchmarkPlanPrint: the print-ready plan, every commitment and milestone.
func BenchmarkPlanPrint(b *testing.B) {
	e, slug, _ := planBenchSetup(b)
	serve(b, e, func(int) *http.Request { return get("/plans/" + slug + "/imprimer") }, http.StatusOK)
}

package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"ouvert/internal/demo"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

func TestLoadSeedDates(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	if _, err := demo.Load(ctx, db, demo.SeedStart); err != nil {
		t.Fatal(err)
	}
	p, err := db.CurrentProcess(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Axes) != 4 || len(p.Phases) != 6 || len(p.Channels) != 3 || p.ContactEmail != "gouvernement-ouvert@etalab.gouv.fr" {
		t.Fatalf("process = %d axes, %d phases, %d channels, contact %q", len(p.Axes), len(p.Phases), len(p.Channels), p.ContactEmail)
	}
	if p.Example {
		t.Error("the seed's real dates are marked as a shifted demo")
	}
	loc := p.Location()
	ideation := p.Phases[1]
	if ideation.Kind != ouvert.PhaseIdeation ||
		!ideation.StartsAt.Equal(time.Date(2017, 3, 15, 0, 0, 0, 0, loc)) ||
		!ideation.EndsAt.Equal(time.Date(2017, 4, 16, 0, 0, 0, 0, loc)) {
		t.Fatalf("ideation = %+v", ideation)
	}
	writing := p.Phases[3]
	if !writing.StartsAt.Equal(time.Date(2017, 6, 15, 0, 0, 0, 0, loc)) || !writing.EndsAt.Equal(time.Date(2017, 7, 16, 0, 0, 0, 0, loc)) {
		t.Fatalf("writing = %+v", writing)
	}
	events, err := db.ProcessEvents(ctx, p.ID)
	if err != nil || len(events) != 6 {
		t.Fatalf("%d events, %v", len(events), err)
	}
	e := events[0]
	if e.Kind != ouvert.EventLaunch {
		t.Fatalf("first event is %q, want the launch", e.Title)
	}
	for _, ex := range events[1:] {
		if !strings.HasPrefix(ex.Title, "[Exemple]") {
			t.Errorf("example event %q is not marked", ex.Title)
		}
	}
	if len(e.Sessions) != 10 || e.Address != "32 rue de Babylone, 75007 Paris" {
		t.Fatalf("launch event = %+v", e)
	}
	rooms := map[string]bool{}
	for _, s := range e.Sessions {
		if s.ParallelGroup == "ateliers" {
			rooms[s.Room] = true
			if s.StartsAt.In(loc).Hour() != 17 || s.EndsAt.In(loc).Format("15:04") != "18:30" {
				t.Errorf("workshop %q at %v-%v", s.Title, s.StartsAt.In(loc), s.EndsAt.In(loc))
			}
		}
	}
	for _, r := range []string{"Salle de la Chapelle", "Salle 109", "Salle B", "Salle A"} {
		if !rooms[r] {
			t.Errorf("no workshop in %s", r)
		}
	}
	if sp := e.Sessions[1].Speakers; len(sp) != 1 || sp[0].Name != "Jean-Vincent Placé" {
		t.Errorf("opening speakers = %+v", sp)
	}
	// With the seed's dates the syntheses are out: one per axis and an overall one, every example
	// contribution answered, and each axis' synthesis cites its retained examples.
	syntheses, err := db.Syntheses(ctx, p.ID, true)
	if err != nil || len(syntheses) != 5 {
		t.Fatalf("%d published syntheses, %v", len(syntheses), err)
	}
	for _, s := range syntheses {
		if !s.Example || !s.PublishedAt.Equal(time.Date(2017, 5, 31, 10, 0, 0, 0, loc)) {
			t.Errorf("synthesis %q: example %v, published %v", s.Title, s.Example, s.PublishedAt)
		}
	}
	counts, err := db.ResponseCounts(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	byResponse := map[ouvert.Response]int{}
	for _, m := range counts {
		for r, n := range m {
			byResponse[r] += n
		}
	}
	if byResponse[ouvert.ResponseReview] != 0 || byResponse[ouvert.ResponseMerged] != 2 || byResponse[ouvert.ResponseRetained] != 24 || byResponse[ouvert.ResponseDraft] != 3 {
		t.Errorf("responses = %v", byResponse)
	}
	first, _, err := db.Contributions(ctx, store.ContributionFilter{ProcessID: p.ID, Sort: store.SortOldest, PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	if cs, err := db.Citations(ctx, first[0].ID); err != nil || len(cs) != 1 {
		t.Errorf("the first example is cited by %+v, %v", cs, err)
	}
	// The writing phase is over: two example drafts, settled, with versions and decided amendments.
	drafts, err := db.Drafts(ctx, p.ID)
	if err != nil || len(drafts) != 2 {
		t.Fatalf("%d drafts, %v", len(drafts), err)
	}
	for _, d := range drafts {
		if !d.Example || d.Status != ouvert.DraftFinal || d.Version.Number < 2 || d.Amendments != 0 || d.Comments == 0 {
			t.Errorf("draft %q: %+v", d.Version.Title, d)
		}
		if !d.CreatedAt.Equal(time.Date(2017, 6, 16, 10, 0, 0, 0, loc)) {
			t.Errorf("draft %q created %v", d.Version.Title, d.CreatedAt)
		}
		decided, _, err := db.Amendments(ctx, d.ID, "", "", 1, 20)
		if err != nil || len(decided) == 0 {
			t.Fatalf("amendments %v", err)
		}
		for _, a := range decided {
			if a.Status == ouvert.AmendmentOpen || a.DecidedAt.Year() != 2017 {
				t.Errorf("amendment %d: %s on %v", a.ID, a.Status, a.DecidedAt)
			}
		}
	}
	// The 2017-2019 plan is in implementation: its commitments come from the example drafts; every
	// milestone reached but one, which is late.
	plan, err := db.PlanBySlug(ctx, "plan-2017-2019")
	if err != nil || plan.Status != ouvert.PlanImplementation || !plan.Example || plan.Commitments != 2 {
		t.Fatalf("plan = %+v, %v", plan, err)
	}
	summary, err := db.PlanSummary(ctx, plan.ID, time.Now())
	if err != nil || summary.LateMilestones != 1 || summary.ByCompletion[ouvert.CompletionComplete] != 1 {
		t.Fatalf("summary = %+v, %v", summary, err)
	}
	if feed, _ := db.PlanFeed(ctx, plan.ID, 50); len(feed) < 4 || feed[0].CreatedAt.Year() != 2018 {
		t.Errorf("feed = %d entries", len(feed))
	}
	past, err := db.PlanBySlug(ctx, "plan-2015-2017")
	if err != nil || !past.ReviewOpen || past.Commitments != 3 {
		t.Fatalf("past plan = %+v, %v", past, err)
	}
	if _, err := demo.Load(ctx, db, demo.SeedStart); err == nil {
		t.Error("the demo loaded twice into the same database")
	}
}

func TestDefaultStartOpensIdeation(t *testing.T) {
	ctx := context.Background()
	for _, today := range []time.Time{
		time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC),
		time.Date(2027, 3, 28, 23, 30, 0, 0, time.UTC), // the night clocks change in Paris
		time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC),
	} {
		db := storetest.Open(t)
		p, err := demo.Load(ctx, db, demo.DefaultStart(today))
		if err != nil {
			t.Fatal(err)
		}
		if ph := p.CurrentPhase(today); ph == nil || ph.Kind != ouvert.PhaseIdeation {
			t.Errorf("on %v the current phase is %+v, want ideation", today, ph)
		}
		if !p.Example {
			t.Error("a shifted calendar is not marked as a demo")
		}
		if d := p.Phases[1].EndsAt.Sub(p.Phases[1].StartsAt).Hours() / 24; d < 31.9 || d > 32.1 {
			t.Errorf("ideation lasts %.1f days, want the seed's 32", d)
		}
		if list, err := db.Syntheses(ctx, p.ID, false); err != nil || len(list) != 0 {
			t.Errorf("syntheses during the ideation phase: %d, %v", len(list), err)
		}
		if list, err := db.Drafts(ctx, p.ID); err != nil || len(list) != 0 {
			t.Errorf("drafts during the ideation phase: %d, %v", len(list), err)
		}
		// The previous plan is there to review at once; the next one is not.
		if plans, err := db.Plans(ctx); err != nil || len(plans) != 1 || !plans[0].ReviewOpen {
			t.Errorf("plans during the ideation phase: %+v, %v", plans, err)
		}
	}
}

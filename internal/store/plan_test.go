package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

func TestPlanFromFinalDrafts(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	rep, alice := newUser(t, db, "rep@exemple.fr"), newUser(t, db, "alice@exemple.fr")
	d := newDraft(t, db, p, rep.ID)
	open := newDraft(t, db, p, rep.ID)
	plan := &ouvert.Plan{ProcessID: p.ID, Slug: "plan-2017-2019", Title: "Plan d'action national 2017-2019", Status: ouvert.PlanPreparation,
		PeriodStart: time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2019, 6, 30, 0, 0, 0, 0, time.UTC)}
	if err := db.SavePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	if err := db.SavePlan(ctx, &ouvert.Plan{Slug: "plan-2017-2019", Title: "Encore", Status: ouvert.PlanPreparation, PeriodStart: plan.PeriodStart, PeriodEnd: plan.PeriodEnd}); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("a second plan at the same address: %v", err)
	}
	// Only final drafts become commitments.
	if _, err := db.AddCommitmentsFromDrafts(ctx, plan.ID, []int64{open.ID}, time.UTC); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("an open draft: %v", err)
	}
	if err := db.MarkFinal(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := db.AddCommitmentsFromDrafts(ctx, plan.ID, []int64{d.ID, d.ID}, time.UTC); err != nil || n != 1 {
		t.Fatalf("from drafts: %d, %v", n, err)
	}
	list, err := db.Commitments(ctx, store.CommitmentFilter{PlanID: plan.ID})
	if err != nil || len(list) != 1 {
		t.Fatalf("commitments = %v, %v", list, err)
	}
	c := list[0]
	if c.Number != 1 || c.Title != "Ouvrir les données culturelles" || c.LeadAdministration != "Ministère de la Culture" || c.Milestones != 2 || c.DraftID != d.ID {
		t.Fatalf("commitment = %+v", c)
	}
	ms, err := db.PlanMilestones(ctx, c.ID)
	if err != nil || len(ms) != 2 || ms[0].Deliverable != "Inventaire" || !ms[0].EndsAt.Equal(time.Date(2017, 12, 31, 23, 59, 59, 0, time.UTC)) {
		t.Fatalf("milestones = %+v, %v", ms, err)
	}
	// The first milestone's end (December 2017) is past: late, until done.
	now := time.Date(2018, 2, 1, 0, 0, 0, 0, time.UTC)
	if late, _ := db.Commitments(ctx, store.CommitmentFilter{PlanID: plan.ID, Late: true, Now: now}); len(late) != 1 {
		t.Fatalf("late commitments = %d", len(late))
	}
	if s, err := db.PlanSummary(ctx, plan.ID, now); err != nil || s.LateMilestones != 1 || s.ByCompletion[ouvert.CompletionNotStarted] != 1 || len(s.Leads) != 1 {
		t.Fatalf("summary = %+v, %v", s, err)
	}
	if err := db.SetCommitmentFollow(ctx, c.ID, alice.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetMilestoneStatus(ctx, c.ID, ms[0].ID, ouvert.MilestoneDone, rep.ID); err != nil {
		t.Fatal(err)
	}
	if late, _ := db.Commitments(ctx, store.CommitmentFilter{PlanID: plan.ID, Late: true, Now: now}); len(late) != 0 {
		t.Fatalf("still late after its milestone is done")
	}
	c, _ = db.Commitment(ctx, c.ID)
	if c.Progress != 50 || c.MilestonesDone != 1 {
		t.Fatalf("progress = %d, done %d", c.Progress, c.MilestonesDone)
	}
	// Progress by hand needs a reason.
	ninety := 90
	if err := db.SetCompletion(ctx, c.ID, ouvert.CompletionSubstantial, &ninety, "", rep.ID); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("progress without reason: %v", err)
	}
	if err := db.SetCompletion(ctx, c.ID, ouvert.CompletionSubstantial, &ninety, "Données publiées, documentation en cours.", rep.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.PostUpdate(ctx, c.ID, rep.ID, "Les données sont en ligne : [data.gouv.fr](https://www.data.gouv.fr).", false); err != nil {
		t.Fatal(err)
	}
	c, _ = db.Commitment(ctx, c.ID)
	if c.Progress != 90 || !c.ProgressManual || c.Completion != ouvert.CompletionSubstantial || c.Updates != 3 {
		t.Fatalf("after the updates: %+v", c)
	}
	feed, err := db.PlanFeed(ctx, plan.ID, 10)
	if err != nil || len(feed) != 3 || feed[0].Kind != "update" || feed[2].Kind != "milestone" || feed[0].Number != 1 {
		t.Fatalf("feed = %+v, %v", feed, err)
	}
	if ns, _ := db.Notifications(ctx, alice.ID, 10); len(ns) != 3 || ns[0].Path() != "/engagements/"+itoa64(c.ID) || ns[0].ContributionTitle != c.Title {
		t.Fatalf("alice's notifications = %+v", ns)
	}
	// Back to the milestones' progress.
	if err := db.SetCompletion(ctx, c.ID, ouvert.CompletionSubstantial, nil, "", rep.ID); err != nil {
		t.Fatal(err)
	}
	if c, _ = db.Commitment(ctx, c.ID); c.Progress != 50 || c.ProgressManual {
		t.Fatalf("progress from milestones = %d", c.Progress)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func TestReviewsOfAPastPlan(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	alice, bob := newUser(t, db, "alice@exemple.fr"), newUser(t, db, "bob@exemple.fr")
	plan := &ouvert.Plan{Slug: "plan-2015-2017", Title: "Plan 2015-2017", Status: ouvert.PlanClosed,
		PeriodStart: time.Date(2015, 7, 1, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2017, 6, 30, 0, 0, 0, 0, time.UTC)}
	if err := db.SavePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	c := &ouvert.Commitment{PlanID: plan.ID, Title: "Ouvrir les données de la commande publique", LeadAdministration: "Ministère de l'Économie",
		Sections: map[string]string{ouvert.SectionCommitment: "Publier les marchés publics."}, Completion: ouvert.CompletionSubstantial}
	if err := db.CreateCommitment(ctx, c, []store.NewMilestone{{Deliverable: "Publication", Status: ouvert.MilestoneDone,
		EndsAt: time.Date(2016, 12, 31, 0, 0, 0, 0, time.UTC)}}); err != nil {
		t.Fatal(err)
	}
	r := &ouvert.Review{CommitmentID: c.ID, UserID: alice.ID, Implementation: 4, Usefulness: 5, Comment: "Très utile."}
	if err := db.ReviewCommitment(ctx, r); ouvert.ErrorCode(err) != ouvert.EFORBIDDEN {
		t.Fatalf("review before the plan is open for review: %v", err)
	}
	plan.ReviewOpen = true
	if err := db.SavePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	if err := db.ReviewCommitment(ctx, &ouvert.Review{CommitmentID: c.ID, UserID: bob.ID, Implementation: 0, Usefulness: 9}); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("ratings out of range: %v", err)
	}
	for _, rv := range []*ouvert.Review{r, {CommitmentID: c.ID, UserID: bob.ID, Implementation: 2, Usefulness: 3}, {CommitmentID: c.ID, UserID: alice.ID, Implementation: 3, Usefulness: 5, Comment: "Utile, mais incomplet."}} {
		if err := db.ReviewCommitment(ctx, rv); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := db.Commitment(ctx, c.ID)
	if got.Reviews != 2 || got.Implementation() != 2.5 || got.Usefulness() != 4 {
		t.Fatalf("reviews %d, implementation %.2f, usefulness %.2f", got.Reviews, got.Implementation(), got.Usefulness())
	}
	list, err := db.Reviews(ctx, c.ID, 1, 20)
	if err != nil || len(list) != 1 || list[0].Comment != "Utile, mais incomplet." {
		t.Fatalf("reviews = %+v, %v", list, err)
	}
	// An open ministry names the commitment it reviewed.
	launch := &ouvert.Event{ProcessID: p.ID, Kind: ouvert.EventLaunch, Status: ouvert.EventPublished, Title: "Lancement",
		StartsAt: time.Date(2017, 2, 28, 17, 0, 0, 0, time.UTC), EndsAt: time.Date(2017, 2, 28, 19, 0, 0, 0, time.UTC), Venue: "Ségur", Address: "Paris"}
	if err := db.CreateEvent(ctx, launch); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveEventReview(ctx, &ouvert.EventReview{EventID: launch.ID, CommitmentID: c.ID, Findings: "Bilan."}); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("findings of the launch, not an open ministry: %v", err)
	}
	om := &ouvert.Event{ProcessID: p.ID, Kind: ouvert.EventOpenMinistry, Status: ouvert.EventPublished, Title: "Ministère ouvert : bilan",
		StartsAt: time.Date(2017, 3, 20, 17, 0, 0, 0, time.UTC), EndsAt: time.Date(2017, 3, 20, 19, 0, 0, 0, time.UTC), Venue: "Bercy", Address: "Paris"}
	if err := db.CreateEvent(ctx, om); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveEventReview(ctx, &ouvert.EventReview{EventID: om.ID, CommitmentID: c.ID, Findings: "Les données sont publiées mais peu réutilisées."}); err != nil {
		t.Fatal(err)
	}
	if ers, err := db.EventReviews(ctx, c.ID); err != nil || len(ers) != 1 || ers[0].EventTitle != om.Title {
		t.Fatalf("event reviews = %+v, %v", ers, err)
	}
}

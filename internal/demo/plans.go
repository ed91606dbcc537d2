package demo

import (
	"context"
	"fmt"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// pastCommitments are example commitments of the previous plan (2015-2017), which the seed's
// open ministries and first workshop look back at. They are written for the demo.
var pastCommitments = []struct {
	title, lead, commitment, completion string
	reviews                             [][2]int
	comment                             string
}{
	{"[Exemple] Ouvrir les données de la commande publique", "Ministère de l'Économie (exemple)",
		"Publier en données ouvertes les marchés publics et leurs avenants.", ouvert.CompletionSubstantial,
		[][2]int{{4, 5}, {3, 5}, {4, 4}}, "Les données sont publiées, mais il manque encore les avenants."},
	{"[Exemple] Associer les citoyens à l'évaluation des politiques publiques", "Secrétariat général pour la modernisation de l'action publique (exemple)",
		"Ouvrir les évaluations de politiques publiques à des panels de citoyens.", ouvert.CompletionLimited,
		[][2]int{{2, 4}, {1, 4}}, "Deux panels seulement, sans suite visible."},
	{"[Exemple] Publier les avis du Conseil d'État sur les projets de loi", "Secrétariat général du Gouvernement (exemple)",
		"Rendre publics les avis du Conseil d'État sur les projets de loi.", ouvert.CompletionComplete,
		[][2]int{{5, 5}, {5, 4}, {4, 5}, {5, 5}}, "Fait, et très utile pour comprendre les textes."},
}

// LoadPlans writes the demo's plans: the previous plan (2015-2017, closed and open for review, with
// example reviews), and, once its publication date has passed, the 2017-2019 plan made from the
// writing phase's example drafts, in implementation, with milestones (some reached, one late) and
// updates. Everything is example content, dated like the rest of the demo.
func LoadPlans(ctx context.Context, db *store.DB, p *ouvert.Process, at func(int, time.Month, int, int, int) time.Time, withDrafts bool) error {
	clock := db.Now
	defer func() { db.Now = clock }()
	setNow := func(t time.Time) { db.Now = func() time.Time { return t } }
	person := func(i int) int64 {
		u, err := db.UserByEmail(ctx, fmt.Sprintf("exemple-%d@ouvert.invalid", i))
		if err != nil {
			return 0
		}
		return u.ID
	}
	setNow(at(2015, time.July, 16, 10, 0))
	past := &ouvert.Plan{ProcessID: p.ID, Slug: "plan-2015-2017", Title: "[Exemple] Plan d'action national 2015-2017", Status: ouvert.PlanClosed,
		ReviewOpen: true, Example: true, PeriodStart: at(2015, time.July, 16, 0, 0), PeriodEnd: at(2017, time.July, 15, 0, 0),
		Introduction: "*Contenu d'exemple.* Le premier plan d'action national comptait 26 engagements portés par dix ministères. " +
			"Ces trois engagements d'exemple permettent de voir comment on évalue le plan précédent : chacun peut noter leur mise en œuvre et leur utilité."}
	if err := db.SavePlan(ctx, past); err != nil {
		return fmt.Errorf("demo: past plan: %w", err)
	}
	for i, pc := range pastCommitments {
		c := &ouvert.Commitment{PlanID: past.ID, Title: pc.title, LeadAdministration: pc.lead, Completion: pc.completion, Example: true,
			Sections: map[string]string{ouvert.SectionCommitment: pc.commitment}, Values: []string{"transparency"}}
		ms := []store.NewMilestone{{Deliverable: "Première étape", EndsAt: at(2016, time.June, 30, 0, 0), Status: ouvert.MilestoneDone}}
		if pc.completion == ouvert.CompletionComplete || pc.completion == ouvert.CompletionSubstantial {
			ms = append(ms, store.NewMilestone{Deliverable: "Seconde étape", EndsAt: at(2017, time.June, 30, 0, 0), Status: ouvert.MilestoneDone})
		}
		if err := db.CreateCommitment(ctx, c, ms); err != nil {
			return fmt.Errorf("demo: past commitment: %w", err)
		}
		for j, r := range pc.reviews {
			setNow(at(2017, time.March, 1+j+3*i, 18, 0))
			rv := &ouvert.Review{CommitmentID: c.ID, UserID: person(40 + j + 4*i), Implementation: r[0], Usefulness: r[1], Example: true}
			if j == 0 {
				rv.Comment = pc.comment
			}
			if err := db.ReviewCommitment(ctx, rv); err != nil {
				return fmt.Errorf("demo: review: %w", err)
			}
		}
	}
	if !withDrafts {
		return nil
	}
	published := at(2017, time.September, 1, 10, 0)
	if published.After(clock()) {
		return nil
	}
	setNow(published)
	plan := &ouvert.Plan{ProcessID: p.ID, Slug: "plan-2017-2019", Title: "[Exemple] Plan d'action national 2017-2019", Status: ouvert.PlanImplementation,
		Example: true, PeriodStart: at(2017, time.September, 1, 0, 0), PeriodEnd: at(2019, time.June, 30, 0, 0),
		Introduction: "*Contenu d'exemple.* Les engagements de ce plan sont issus des projets rédigés ensemble pendant la consultation de 2017. " +
			"Chacun montre son avancement, ses jalons et le chemin qui y a mené."}
	if err := db.SavePlan(ctx, plan); err != nil {
		return fmt.Errorf("demo: plan: %w", err)
	}
	drafts, err := db.Drafts(ctx, p.ID)
	if err != nil {
		return err
	}
	var ids []int64
	for _, d := range drafts {
		if d.Example && d.Status == ouvert.DraftFinal {
			ids = append(ids, d.ID)
		}
	}
	if _, err := db.AddCommitmentsFromDrafts(ctx, plan.ID, ids, p.Location()); err != nil {
		return fmt.Errorf("demo: commitments: %w", err)
	}
	list, err := db.Commitments(ctx, store.CommitmentFilter{PlanID: plan.ID})
	if err != nil {
		return err
	}
	// Every milestone reached on time but the last of the first commitment, which is late.
	for i, c := range list {
		rep, err := db.UserByEmail(ctx, fmt.Sprintf("exemple-administration-%d@ouvert.invalid", i+1))
		if err != nil {
			return err
		}
		ms, err := db.PlanMilestones(ctx, c.ID)
		if err != nil {
			return err
		}
		for j, m := range ms {
			if i == 0 && j == len(ms)-1 {
				setNow(m.StartsAt.AddDate(0, 1, 0))
				if err := db.SetMilestoneStatus(ctx, c.ID, m.ID, ouvert.MilestoneInProgress, rep.ID); err != nil {
					return err
				}
				continue
			}
			setNow(m.EndsAt.AddDate(0, 0, -3))
			if err := db.SetMilestoneStatus(ctx, c.ID, m.ID, ouvert.MilestoneDone, rep.ID); err != nil {
				return err
			}
			if err := db.PostUpdate(ctx, c.ID, rep.ID, fmt.Sprintf("*Contenu d'exemple.* Jalon « %s » atteint : le livrable est en ligne.", m.Deliverable), true); err != nil {
				return err
			}
		}
		completion := ouvert.CompletionSubstantial
		if i > 0 {
			completion = ouvert.CompletionComplete
		}
		setNow(at(2018, time.November, 15, 10, 0))
		if err := db.SetCompletion(ctx, c.ID, completion, nil, "", rep.ID); err != nil {
			return err
		}
	}
	return nil
}

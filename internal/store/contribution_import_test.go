package store_test

import (
	"context"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

func TestImportContributions(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := &ouvert.Process{Slug: "p", Title: "P", TimeZone: "UTC", Axes: []ouvert.Axis{{Title: "A"}, {Title: "B"}}}
	other := &ouvert.Process{Slug: "autre", Title: "Autre", TimeZone: "UTC", Axes: []ouvert.Axis{{Title: "X"}}}
	for _, proc := range []*ouvert.Process{p, other} {
		if err := db.CreateProcess(ctx, proc); err != nil {
			t.Fatal(err)
		}
	}
	// Someone already on the site: the import's ids come after theirs.
	if err := db.CreateContribution(ctx, &ouvert.Contribution{ProcessID: p.ID, AxisID: p.Axes[0].ID, Title: "Déjà là", Body: "Une contribution du site."}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2017, 10, 5, 14, 30, 0, 0, time.UTC)
	imp := func() *store.ContributionImport {
		return &store.ContributionImport{
			ProcessID:    p.ID,
			Participants: []store.ImportedParticipant{{Key: "p-aaaa", Name: "Alice"}, {Key: "p-bbbb", Name: "p-bbbb"}},
			Contributions: []store.ImportedContribution{
				{AxisID: p.Axes[1].ID, Author: 0, MergedInto: store.NoRow, Title: "Une idée", Body: "Son texte.", Status: ouvert.StatusPublished,
					Response: ouvert.ResponseReview, CreatedAt: at},
				{AxisID: p.Axes[1].ID, Author: store.NoRow, MergedInto: 0, Title: "La même", Body: "En d'autres mots.", Status: ouvert.StatusPublished,
					Response: ouvert.ResponseMerged, ResponseReason: "Même idée.", CreatedAt: at, RespondedAt: at.Add(time.Hour)},
				{AxisID: p.Axes[0].ID, Author: store.NoRow, MergedInto: store.NoRow, Status: ouvert.StatusHidden, HiddenReason: "spam",
					Response: ouvert.ResponseReview, CreatedAt: at},
			},
			// The reply comes first: it is written after its parent all the same.
			Arguments: []store.ImportedArgument{
				{Contribution: 0, Parent: 1, Author: 0, Body: "Une réponse.", Status: ouvert.StatusPublished, CreatedAt: at},
				{Contribution: 0, Parent: store.NoRow, Author: 1, Stance: ouvert.StanceFor, Body: "Un argument.", Status: ouvert.StatusPublished, CreatedAt: at},
			},
			Votes: []store.ImportedVote{{Contribution: 0, Voter: 1, Value: 1, At: at}, {Contribution: 0, Voter: 0, Value: -1, At: at},
				{Contribution: 2, Voter: 1, Value: 0, At: at}},
		}
	}

	// Guards of the store itself: nothing is written.
	for name, spoil := range map[string]func(*store.ContributionImport){
		"axis of another process": func(i *store.ContributionImport) { i.Contributions[0].AxisID = other.Axes[0].ID },
		"author out of range":     func(i *store.ContributionImport) { i.Contributions[0].Author = 2 },
		"merged into itself":      func(i *store.ContributionImport) { i.Contributions[1].MergedInto = 1 },
		"reply to a reply":        func(i *store.ContributionImport) { i.Arguments[1].Parent = 0 },
		"vote value":              func(i *store.ContributionImport) { i.Votes[0].Value = 2 },
		"argument withdrawn":      func(i *store.ContributionImport) { i.Arguments[0].Status = ouvert.StatusWithdrawn },
	} {
		i := imp()
		spoil(i)
		if _, err := db.ImportContributions(ctx, i); err == nil {
			t.Errorf("%s: imported", name)
		}
	}
	if _, err := db.UserByEmail(ctx, "p-aaaa@import.invalid"); ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		t.Fatalf("a refused import made a participant: %v", err)
	}

	res, err := db.ImportContributions(ctx, imp())
	if err != nil {
		t.Fatal(err)
	}
	ids := res.ContributionIDs
	if len(ids) != 3 || ids[0] <= 1 || ids[1] != ids[0]+1 || ids[2] != ids[1]+1 || res.NewParticipants != 2 {
		t.Fatalf("result = %+v", res)
	}
	c, err := db.Contribution(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if c.AuthorName != "Alice" || c.Agree != 1 || c.Disagree != 1 || c.Arguments != 1 || c.Followers != 0 || !c.CreatedAt.Equal(at) {
		t.Errorf("contribution 1 = %+v", c)
	}
	c, _ = db.Contribution(ctx, ids[1])
	if c.ResponseTarget != ids[0] || c.AuthorID != 0 || !c.RespondedAt.Equal(at.Add(time.Hour)) {
		t.Errorf("contribution 2 = %+v", c)
	}
	args, err := db.Arguments(ctx, ids[0], store.SortNewest, 1, 10)
	if err != nil || len(args) != 1 || args[0].Replies != 1 || len(args[0].Thread) != 1 || args[0].Thread[0].AuthorName != "Alice" {
		t.Fatalf("arguments = %+v, %v", args, err)
	}
	got, _ := db.ProcessBySlug(ctx, p.Slug)
	if got.Contributions != 3 || got.Axes[0].Contributions != 1 || got.Axes[1].Contributions != 2 {
		t.Errorf("counts: process %d, axes %d and %d", got.Contributions, got.Axes[0].Contributions, got.Axes[1].Contributions)
	}
	counts, _ := db.ResponseCounts(ctx, p.ID)
	if counts[p.Axes[1].ID][ouvert.ResponseMerged] != 1 || counts[p.Axes[1].ID][ouvert.ResponseReview] != 1 || counts[p.Axes[0].ID][ouvert.ResponseReview] != 1 {
		t.Errorf("response counts = %v", counts)
	}
	// The site goes on after an import: the next contribution gets the next id.
	next := &ouvert.Contribution{ProcessID: p.ID, AxisID: p.Axes[0].ID, Title: "Après", Body: "Une contribution du site."}
	if err := db.CreateContribution(ctx, next); err != nil || next.ID != ids[2]+1 {
		t.Errorf("next contribution %d, %v", next.ID, err)
	}
	// A second import finds the participants the first made.
	if res, err := db.ImportContributions(ctx, imp()); err != nil || res.NewParticipants != 0 {
		t.Errorf("second import: %+v, %v", res, err)
	}
}

package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

// The consultation's theme and origin filters count from counters kept on write, and a filter
// that few contributions match reads those few rather than walking the list's order. Whatever
// the path, a filtered list must be the unfiltered list with the others left out, page by page,
// in every order, and its count must stay right through every change of status or themes.
func TestFilteredListsAndCounts(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	if len(p.Themes) < 2 {
		t.Fatal("the demo process has fewer than two themes")
	}
	rare, common := p.Themes[0].ID, p.Themes[1].ID
	author := newUser(t, db, "autrice@exemple.fr")
	mod := newUser(t, db, "moderation@exemple.fr")
	var voters []*ouvert.User
	for i := range 4 {
		voters = append(voters, newUser(t, db, fmt.Sprintf("v%d@exemple.fr", i)))
	}

	// 60 contributions on two axes: 6 on the rare theme, 50 on the common one, 5 produced at an
	// event and 3 typed in by a facilitator; votes and arguments give the orders something to do.
	var all []*ouvert.Contribution
	for i := range 60 {
		c := &ouvert.Contribution{ProcessID: p.ID, AxisID: p.Axes[i%2].ID, AuthorID: author.ID,
			Title: fmt.Sprintf("Proposition %d", i), Body: "Un texte."}
		if i%10 == 3 {
			c.ThemeIDs = append(c.ThemeIDs, rare)
		}
		if i < 50 {
			c.ThemeIDs = append(c.ThemeIDs, common)
		}
		switch {
		case i%12 == 5:
			c.Origin, c.OnBehalfOf = ouvert.OriginFacilitated, "Marie"
		case i%11 == 7:
			c.Origin = ouvert.OriginEvent
		}
		if err := db.CreateContribution(ctx, c); err != nil {
			t.Fatal(err)
		}
		all = append(all, c)
		for v := range i % 5 {
			if err := db.Vote(ctx, c.ID, voters[v%4].ID, 1-v%3); err != nil {
				t.Fatal(err)
			}
		}
		for range (i % 4) % 3 {
			if err := db.CreateArgument(ctx, &ouvert.Argument{ContributionID: c.ID, AuthorID: author.ID, Stance: ouvert.StanceFor, Body: "Oui."}); err != nil {
				t.Fatal(err)
			}
		}
	}

	// What each filter keeps, read again from the contributions themselves.
	theme := func(id int64) func(*ouvert.Contribution) bool {
		return func(c *ouvert.Contribution) bool { return slices.Contains(c.ThemeIDs, id) }
	}
	origin := func(o ouvert.Origin) func(*ouvert.Contribution) bool {
		return func(c *ouvert.Contribution) bool { return c.Origin == o }
	}
	check := func(when string) {
		t.Helper()
		for _, axis := range []int64{0, p.Axes[1].ID} {
			for _, sort := range []string{store.SortAgree, store.SortDiscussed, store.SortNewest, store.SortOldest, store.SortRandom} {
				base := store.ContributionFilter{ProcessID: p.ID, AxisID: axis, Sort: sort, Seed: 1 << 20, PerPage: 100}
				unfiltered, _, err := db.Contributions(ctx, base)
				if err != nil {
					t.Fatal(err)
				}
				full := map[int64]*ouvert.Contribution{}
				for _, c := range unfiltered {
					if full[c.ID], err = db.Contribution(ctx, c.ID); err != nil { // with its themes
						t.Fatal(err)
					}
				}
				for _, filter := range []struct {
					name  string
					set   func(*store.ContributionFilter)
					keeps func(*ouvert.Contribution) bool
				}{
					{"rare theme", func(f *store.ContributionFilter) { f.ThemeID = rare }, theme(rare)},
					{"common theme", func(f *store.ContributionFilter) { f.ThemeID = common }, theme(common)},
					{"event", func(f *store.ContributionFilter) { f.Origin = ouvert.OriginEvent }, origin(ouvert.OriginEvent)},
					{"facilitated", func(f *store.ContributionFilter) { f.Origin = ouvert.OriginFacilitated }, origin(ouvert.OriginFacilitated)},
					{"online", func(f *store.ContributionFilter) { f.Origin = ouvert.OriginOnline }, origin(ouvert.OriginOnline)},
					{"common theme, online", func(f *store.ContributionFilter) { f.ThemeID, f.Origin = common, ouvert.OriginOnline },
						func(c *ouvert.Contribution) bool { return theme(common)(c) && origin(ouvert.OriginOnline)(c) }},
					{"common theme, event", func(f *store.ContributionFilter) { f.ThemeID, f.Origin = common, ouvert.OriginEvent },
						func(c *ouvert.Contribution) bool { return theme(common)(c) && origin(ouvert.OriginEvent)(c) }},
					{"rare theme, facilitated", func(f *store.ContributionFilter) { f.ThemeID, f.Origin = rare, ouvert.OriginFacilitated },
						func(c *ouvert.Contribution) bool { return theme(rare)(c) && origin(ouvert.OriginFacilitated)(c) }},
				} {
					var want []int64
					for _, c := range unfiltered {
						if filter.keeps(full[c.ID]) {
							want = append(want, c.ID)
						}
					}
					var got []int64
					total := -1
					for page := 1; page <= 30; page++ {
						f := base
						f.Page, f.PerPage = page, 2
						filter.set(&f)
						list, n, err := db.Contributions(ctx, f)
						if err != nil {
							t.Fatal(err)
						}
						total = n
						if len(list) == 0 {
							break
						}
						for _, c := range list {
							got = append(got, c.ID)
						}
					}
					if !slices.Equal(got, want) || total != len(want) {
						t.Errorf("%s, axis %d, %s, %s: got %v (count %d), want %v (%d)", when, axis, sort, filter.name, got, total, want, len(want))
					}
				}
			}
		}
	}
	check("after publishing")

	// Every change of status or themes moves the counters.
	hidden := all[3] // rare and common themes
	if err := db.Moderate(ctx, mod.ID, "contribution", hidden.ID, true, "spam"); err != nil {
		t.Fatal(err)
	}
	if err := db.WithdrawContribution(ctx, all[7].ID, author.ID); err != nil { // an event's
		t.Fatal(err)
	}
	check("after hiding and withdrawing")
	if err := db.Moderate(ctx, mod.ID, "contribution", hidden.ID, false, "erreur"); err != nil {
		t.Fatal(err)
	}
	// Edited before any vote: its themes change from the common one to the rare one.
	edited := all[55] // no vote nor argument, on no theme until now
	if err := db.EditContribution(ctx, edited.ID, author.ID, edited.Title, edited.Body, []int64{rare}); err != nil {
		t.Fatal(err)
	}
	check("after restoring and editing themes")
	// A person's texts deleted at their request.
	if err := db.DeleteUserContent(ctx, author.ID); err != nil {
		t.Fatal(err)
	}
	for _, f := range []store.ContributionFilter{{ProcessID: p.ID, ThemeID: rare}, {ProcessID: p.ID, ThemeID: common},
		{ProcessID: p.ID, Origin: ouvert.OriginEvent}, {ProcessID: p.ID, Origin: ouvert.OriginOnline}} {
		if list, n, err := db.Contributions(ctx, f); err != nil || n != 0 || len(list) != 0 {
			t.Errorf("after deleting the author's texts, %+v: %d listed, count %d, %v", f, len(list), n, err)
		}
	}
}

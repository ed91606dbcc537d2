package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

// TestDeepPages checks that pages past the first 100 rows, which start from known positions
// of the order rather than counting every row before them, are exactly the pages of the whole
// list read at once, in each order, on one axis and across the process, also after votes moved
// rows and when the last page is reached.
func TestDeepPages(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	// Few votes and arguments on many contributions: long runs of equal counts, where only the id
	// orders rows.
	if _, err := db.Generate(ctx, p.ID, store.GenerateOptions{Contributions: 3000, Votes: 3000, Arguments: 600, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	const perPage = 20
	check := func(name string, f store.ContributionFilter) {
		t.Helper()
		whole := f
		whole.Page, whole.PerPage = 1, 100_000
		all, total, err := db.Contributions(ctx, whole)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != total || total < 600 {
			t.Fatalf("%s: %d rows, total %d", name, len(all), total)
		}
		pages := (total + perPage - 1) / perPage
		for _, page := range []int{5, 6, 7, 10, 11, 12, 13, 14, 25, 26, 27, 49, 50, 51, 52, 99, 100, 101, 120, pages - 1, pages} {
			if page > pages {
				continue
			}
			f.Page, f.PerPage = page, perPage
			got, _, err := db.Contributions(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			want := all[(page-1)*perPage : min(page*perPage, total)]
			if !slices.EqualFunc(got, want, func(a, b *ouvert.Contribution) bool { return a.ID == b.ID }) {
				t.Errorf("%s, page %d: ids %v, want %v", name, page, ids(got), ids(want))
			}
		}
	}
	for _, sort := range []string{store.SortAgree, store.SortDiscussed, store.SortNewest} {
		check(sort+" across the process", store.ContributionFilter{ProcessID: p.ID, Sort: sort})
	}
	check("agree on an axis", store.ContributionFilter{ProcessID: p.ID, AxisID: p.Axes[0].ID, Sort: store.SortAgree})
	// Votes move rows after the positions were found: once the positions are old enough to be
	// found again, pages follow the list as it is now.
	voter := newUser(t, db, "votante@exemple.fr")
	list, _, err := db.Contributions(ctx, store.ContributionFilter{ProcessID: p.ID, Sort: store.SortAgree, Page: 1, PerPage: 3000})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list[1500:1510] {
		if err := db.Vote(ctx, c.ID, voter.ID, ouvert.VoteAgree); err != nil {
			t.Fatal(err)
		}
	}
	later := db.Now().Add(11 * time.Second)
	db.Now = func() time.Time { return later }
	check("agree after votes", store.ContributionFilter{ProcessID: p.ID, Sort: store.SortAgree})
}

func ids(list []*ouvert.Contribution) []int64 {
	out := make([]int64, len(list))
	for i, c := range list {
		out[i] = c.ID
	}
	return out
}

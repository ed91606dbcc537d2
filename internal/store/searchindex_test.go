package store_test

import (
	"context"
	"slices"
	"testing"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
	"ouvert/internal/textsearch"
)

// The search index lives in each instance's memory; the database stays the truth. Two stores
// opened on the same database stand for two instances (or the server and an import command):
// whatever one writes, the other finds at its next search, and only published contributions.
func TestSearchIndexFollowsChanges(t *testing.T) {
	ctx := context.Background()
	url := storetest.URL(t)
	a, b := storetest.OpenAt(t, url), storetest.OpenAt(t, url)

	p := demoProcess(t, a)
	alice := newUser(t, a, "alice@exemple.fr")
	mod := newUser(t, a, "mod@exemple.fr")

	found := func(db *store.DB, query string) []int64 {
		t.Helper()
		list, n, err := db.SearchContributions(ctx, p.ID, textsearch.ParseQuery(query), 1, 20)
		if err != nil {
			t.Fatal(err)
		}
		ids := []int64{}
		for _, c := range list {
			ids = append(ids, c.ID)
		}
		if n != len(ids) {
			t.Fatalf("search %q: total %d for %d results on one page", query, n, len(ids))
		}
		return ids
	}
	expect := func(query string, want ...int64) {
		t.Helper()
		for i, db := range []*store.DB{a, b} {
			if got := found(db, query); !slices.Equal(got, append([]int64{}, want...)) {
				t.Fatalf("instance %d, search %q: %v, want %v", i+1, query, got, want)
			}
		}
	}

	expect("hôpitaux") // both indexes are built, empty
	c := propose(t, a, p, alice.ID, 0, "Ouvrir les données de santé", "Publier les données anonymisées des hôpitaux.")
	expect("hopital", c.ID)
	expect("données santé", c.ID)

	if err := a.EditContribution(ctx, c.ID, alice.ID, "Ouvrir les données scolaires", "Publier les résultats des écoles.", nil); err != nil {
		t.Fatal(err)
	}
	expect("hôpitaux")
	expect("école", c.ID)

	if err := a.Moderate(ctx, mod.ID, store.TargetContribution, c.ID, true, "spam"); err != nil {
		t.Fatal(err)
	}
	expect("école")
	if err := a.Moderate(ctx, mod.ID, store.TargetContribution, c.ID, false, ""); err != nil {
		t.Fatal(err)
	}
	expect("école", c.ID)
	if err := a.WithdrawContribution(ctx, c.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	expect("école")

	// Every match is counted and ranked, not the first 200: 230 contributions, best first.
	var ids []int64
	for i := range 230 {
		body := "Un budget participatif pour chaque quartier."
		if i%10 == 0 {
			body = "Le budget, le budget et encore le budget participatif." // the term thrice: ranked first
		}
		ids = append(ids, propose(t, b, p, alice.ID, i%4, "Une proposition", body).ID)
	}
	for _, db := range []*store.DB{a, b} {
		list, n, err := db.SearchContributions(ctx, p.ID, textsearch.ParseQuery("budget participatif"), 12, 20)
		if err != nil || n != 230 || len(list) != 10 {
			t.Fatalf("page 12: %d results of %d, %v", len(list), n, err)
		}
		first, _, err := db.SearchContributions(ctx, p.ID, textsearch.ParseQuery("budget"), 1, 20)
		if err != nil || len(first) != 20 || first[0].ID != ids[220] || first[2].ID != ids[200] {
			t.Fatalf("the contributions that say budget thrice, newest first, are not first: %v", err)
		}
		similar, err := db.SimilarContributions(ctx, p.ID, textsearch.ParseQuery("budget quartier piscine"), ids[0], 5)
		if err != nil || len(similar) != 5 || slices.ContainsFunc(similar, func(c *ouvert.Contribution) bool { return c.ID == ids[0] }) {
			t.Fatalf("similar: %d, %v", len(similar), err)
		}
	}
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/textsearch"
)

func TestGenericPlans(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u@h/db":                                   "postgres://u@h/db?plan_cache_mode=force_generic_plan&max_parallel_workers_per_gather=0",
		"postgres://u@h/db?sslmode=disable":                   "postgres://u@h/db?sslmode=disable&plan_cache_mode=force_generic_plan&max_parallel_workers_per_gather=0",
		"postgres://u@h/db?plan_cache_mode=auto":              "postgres://u@h/db?plan_cache_mode=auto&max_parallel_workers_per_gather=0",
		"postgres://u@h/db?max_parallel_workers_per_gather=2": "postgres://u@h/db?max_parallel_workers_per_gather=2&plan_cache_mode=force_generic_plan",
		"postgresql://u@/db?host=/tmp&sslmode=off":            "postgresql://u@/db?host=/tmp&sslmode=off&plan_cache_mode=force_generic_plan&max_parallel_workers_per_gather=0",
	} {
		if got := genericPlans(in); got != want {
			t.Errorf("genericPlans(%q) = %q, want %q", in, got, want)
		}
	}
	// pgx passes the parameter on to the server.
	admin := os.Getenv("OUVERT_TEST_DATABASE")
	if !strings.HasPrefix(admin, "postgres") {
		return
	}
	conn, err := sql.Open("pgx", genericPlans(admin))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var mode, workers string
	if err := conn.QueryRow(`SHOW plan_cache_mode`).Scan(&mode); err != nil || mode != "force_generic_plan" {
		t.Fatalf("plan_cache_mode = %q, %v", mode, err)
	}
	if err := conn.QueryRow(`SHOW max_parallel_workers_per_gather`).Scan(&workers); err != nil || workers != "0" {
		t.Fatalf("max_parallel_workers_per_gather = %q, %v", workers, err)
	}
}

// TestPlansWithSampledStatistics checks the plans of the consultation's hot queries with the
// statistics production has: the hourly Optimize samples (ANALYZE with analysis_limit), which at
// 100,000 contributions made a process look like a thousand rows. With them SQLite read a whole
// process for the search index's refresh (150 ms) and sorted it for the API's list (a second)
// while the benchmarks, with the generator's full statistics, saw nothing. No hot query may sort
// a list or scan contributions whole, but those that sort a bounded handful of rows. The lists
// cover the consultation's orders and filters and the synthesis workspace's.
func TestPlansWithSampledStatistics(t *testing.T) {
	if strings.HasPrefix(os.Getenv("OUVERT_TEST_DATABASE"), "postgres") {
		t.Skip("SQLite's planner")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ouvert.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	p := &ouvert.Process{Slug: "plans", Title: "Plans", TimeZone: "Europe/Paris",
		Axes:   []ouvert.Axis{{Position: 1, Title: "Un"}, {Position: 2, Title: "Deux"}},
		Themes: []ouvert.Theme{{Name: "Budget"}}}
	if err := db.CreateProcess(ctx, p); err != nil {
		t.Fatal(err)
	}
	u := &ouvert.User{Email: "plans@exemple.fr", PasswordHash: "x", DisplayName: "Plans"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	var first int64
	for i := range 250 { // enough for pages past the first kept position
		c := &ouvert.Contribution{ProcessID: p.ID, AxisID: p.Axes[i%2].ID, AuthorID: u.ID,
			Title: fmt.Sprintf("Budget participatif %d", i), Body: "Un budget participatif pour chaque quartier."}
		if i%3 == 0 {
			c.ThemeIDs = []int64{p.Themes[0].ID}
		}
		if err := db.CreateContribution(ctx, c); err != nil {
			t.Fatal(err)
		}
		if first == 0 {
			first = c.ID
		}
	}
	if err := db.CreateArgument(ctx, &ouvert.Argument{ContributionID: first, AuthorID: u.ID, Stance: ouvert.StanceFor, Body: "D'accord."}); err != nil {
		t.Fatal(err)
	}

	stats, err := os.ReadFile(filepath.Join("testdata", "sampled_stat1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.ExecContext(ctx, `ANALYZE; DELETE FROM sqlite_stat1`); err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(stats)) {
		if f := strings.Split(strings.TrimSpace(line), "|"); len(f) == 3 && !strings.HasPrefix(f[0], "#") {
			if _, err := db.write.ExecContext(ctx, `INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)`, f[0], f[1], f[2]); err != nil {
				t.Fatal(err)
			}
		}
	}
	db.Close()
	if db, err = Open(ctx, path); err != nil { // connections read the statistics when they open
		t.Fatal(err)
	}
	defer db.Close()

	queries := HotQueries(t, db, p, first)

	refreshes := 0
	for _, q := range queries {
		rows, err := db.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.Q, q.Args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		outerSort, innerSort := false, false
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
			if detail == "USE TEMP B-TREE FOR ORDER BY" {
				outerSort, innerSort = outerSort || parent == 0, innerSort || parent != 0
			}
		}
		rows.Close()
		whole := strings.Join(plan, "\n")
		// The outer query may sort what is bounded: one page of a deferred join (ids from the
		// order's index, then their rows), the changes since the search index's mark; and the
		// two ranges after a kept position (UNION ALL, a page and a stride at most) are sorted
		// together wherever they are.
		// A text filter (the synthesis workspace's) gives its matches in no useful order: they
		// are sorted, as many as the words match.
		merged := strings.Contains(q.Q, "UNION ALL")
		textual := strings.Contains(q.Q, "contributions_fts MATCH")
		bounded := merged || strings.Contains(q.Q, ") k JOIN contributions c") || strings.Contains(q.Q, "search_version")
		if innerSort && !merged && !textual || outerSort && !bounded || slices.Contains(plan, "SCAN c") {
			t.Errorf("sorts or scans contributions:\n%s\n%s", q.Q, whole)
		}
		// The search index's refresh reads the changes since its mark, not the whole process.
		if strings.Contains(q.Q, "search_version > ?") && !strings.Contains(whole, "INDEX contributions_search_version (search_version>?)") {
			t.Errorf("the search index's refresh reads more than the changes:\n%s\n%s", q.Q, whole)
		}
		refreshes += strings.Count(q.Q, "search_version > ?")
	}
	if len(queries) < 20 || refreshes == 0 {
		t.Fatalf("only %d queries seen, %d refreshes of the search index", len(queries), refreshes)
	}
}

// PlanQuery is a read query as the database is asked it (rebound for its dialect), with its
// arguments.
type PlanQuery struct {
	Q    string
	Args []any
}

// HotQueries runs the consultation's hot reads on process p (two axes and a theme at least; first
// is a contribution with arguments) and returns every query they asked, for a test to read their
// plans: the lists in each order and filter, the synthesis workspace's filters, the API's lists,
// a contribution's arguments, the search and the similar-contributions lookup.
func HotQueries(t testing.TB, db *DB, p *ouvert.Process, first int64) []PlanQuery {
	t.Helper()
	ctx := context.Background()
	var queries []PlanQuery
	db.explain = func(q string, args []any) { queries = append(queries, PlanQuery{q, args}) }
	for _, sort := range []string{SortAgree, SortDiscussed, SortNewest} {
		for _, axis := range []int64{0, p.Axes[0].ID} {
			for _, page := range []int{1, 7} {
				if _, _, err := db.Contributions(ctx, ContributionFilter{ProcessID: p.ID, AxisID: axis, Sort: sort, Page: page, PerPage: 20}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// The consultation's filters and random order, and the synthesis workspace's filters.
	from, theme := db.Now().Add(-24*time.Hour), p.Themes[0].ID
	for _, f := range []ContributionFilter{
		{ProcessID: p.ID, Sort: SortRandom, Seed: 12345},
		{ProcessID: p.ID, AxisID: p.Axes[0].ID, Sort: SortRandom, Seed: 12345, Page: 7},
		{ProcessID: p.ID, Origin: ouvert.OriginEvent, Sort: SortAgree},
		{ProcessID: p.ID, Origin: ouvert.OriginOnline, Sort: SortAgree},
		{ProcessID: p.ID, ThemeID: theme, Sort: SortAgree},
		{ProcessID: p.ID, AxisID: p.Axes[1].ID, ThemeID: theme, Sort: SortNewest, Page: 7},
		{ProcessID: p.ID, ThemeID: theme, Sort: SortRandom, Seed: 12345},
		{ProcessID: p.ID, Response: ouvert.ResponseRetained, Sort: SortNewest},
		{ProcessID: p.ID, MinVotes: 5, Sort: SortNewest},
		{ProcessID: p.ID, MinVotes: 5, Sort: SortAgree},
		{ProcessID: p.ID, From: from, To: db.Now(), Sort: SortOldest},
		{ProcessID: p.ID, From: from, To: db.Now(), Sort: SortNewest, Page: 7},
		{ProcessID: p.ID, Query: textsearch.ParseQuery("budget"), Sort: SortNewest},
		{ProcessID: p.ID, Query: textsearch.ParseQuery("budget"), Sort: SortAgree, MinVotes: 2},
	} {
		f.PerPage = 20
		if _, _, err := db.Contributions(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []APIFilter{{ProcessID: p.ID, Limit: 20}, {ProcessID: p.ID, AxisID: p.Axes[1].ID, After: first, Limit: 20}, {ProcessID: p.ID, Status: "hidden", Limit: 20}} {
		if _, err := db.ContributionsAfter(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	for _, sort := range []string{"useful", SortNewest} {
		if _, err := db.Arguments(ctx, first, sort, 1, 20); err != nil {
			t.Fatal(err)
		}
	}
	q := textsearch.ParseQuery("budget quartier")
	for range 2 { // the index's first build, then a refresh
		if _, _, err := db.SearchContributions(ctx, p.ID, q, 1, 20); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SimilarContributions(ctx, p.ID, q, first, 5); err != nil {
		t.Fatal(err)
	}
	db.explain = nil
	return queries
}

// PostgresSettings returns the settings of Ouvert's PostgreSQL connections, name=value.
func PostgresSettings() []string { return postgresSettings }

package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
	"ouvert/internal/web"
)

// The events benchmarks: 10,000 published events and 200,000 registrations (times
// OUVERT_BENCH_SCALE), on SQLite, or on PostgreSQL with OUVERT_TEST_DATABASE. Built once per run.
const (
	benchEvents        = 10_000
	benchRegistrations = 200_000
)

// BenchmarkEvents measures the list (with its map), a filtered list, the calendar feed and an
// event page over one generated database.
func BenchmarkEvents(b *testing.B) {
	scale, _, err := benchScale()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db := storetest.Open(b)
	p := benchProcess()
	if err := db.CreateProcess(ctx, p); err != nil {
		b.Fatal(err)
	}
	n := func(full int) int { return max(1, int(float64(full)*scale+0.5)) }
	gen, err := db.Generate(ctx, p.ID, store.GenerateOptions{Contributions: 10, Users: n(50_000), Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	if err := db.GenerateEvents(ctx, p.ID, n(benchEvents), n(benchRegistrations), gen.FirstUser, gen.LastUser, 7); err != nil {
		b.Fatal(err)
	}
	cfg := web.DefaultConfig("http://127.0.0.1")
	cfg.NoPageCache = true // measure rendering, not the cache
	cfg.DataDir = b.TempDir()
	srv, err := web.New(ctx, cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		b.Fatal(err)
	}
	get := func(b *testing.B, path string) {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d", path, w.Code)
		}
	}
	for _, c := range []struct{ name, path string }{
		{"List", "/evenements"},
		{"Filtered", "/evenements?departement=69&type=relay_workshop"},
		{"Feed", "/evenements.ics"},
		{"Page", "/evenements/1"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				get(b, c.path)
			}
		})
	}
	// The first request after an event changes counts the events again and draws the map or
	// writes the feed again (docs/events.md): what a moderator's approval costs the next visitor.
	// The change itself is not timed.
	for _, c := range []struct{ name, path string }{
		{"ListAfterChange", "/evenements"},
		{"FeedAfterChange", "/evenements.ics"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				if err := db.SetEventStatus(ctx, 1, ouvert.EventPublished); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				get(b, c.path)
			}
		})
	}
}

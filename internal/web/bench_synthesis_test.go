package web_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// organiser signs in an organiser of the benchmark's process.
func (e *benchEnv) organiser(b *testing.B) *http.Cookie {
	b.Helper()
	ctx := context.Background()
	cookie, id, err := e.signIn(ctx, "bench-organiser-"+strconv.Itoa(b.N)+"-"+b.Name()+"@example.org")
	if err != nil {
		b.Fatal(err)
	}
	if err := e.db.SetRole(ctx, id, ouvert.RoleOrganiser, ""); err != nil {
		b.Fatal(err)
	}
	return cookie
}

// BenchmarkRegroup: the whole grouping of the process' 100,000 contributions, as the hourly run
// does it: read their texts, group them (internal/cluster), write the proposals. first-run-s is
// the first run, which writes every group; ns/op the next ones, which find the same groups and
// keep them.
func BenchmarkRegroup(b *testing.B) {
	e := benchSetup(b)
	ctx := context.Background()
	start := time.Now()
	if err := e.srv.Regroup(ctx); err != nil {
		b.Fatal(err)
	}
	first := time.Since(start)
	for b.Loop() {
		if err := e.srv.Regroup(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(first.Seconds(), "first-run-s")
	for _, kind := range []ouvert.GroupKind{ouvert.GroupDuplicate, ouvert.GroupTopic} {
		_, n, err := e.db.Groups(ctx, store.GroupFilter{ProcessID: e.proc.ID, Kind: kind, PerPage: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), string(kind)+"-groups")
	}
}

// BenchmarkResponses: "Qu'est devenue ma contribution ?", read from the counters kept on write.
func BenchmarkResponses(b *testing.B) {
	e := benchSetup(b)
	serve(b, e, func(int) *http.Request { return get("/reponses") }, http.StatusOK)
}

// BenchmarkWorkspace: the synthesis workspace on an axis, contributions still under review,
// newest first, for an organiser.
func BenchmarkWorkspace(b *testing.B) {
	e := benchSetup(b)
	cookie := e.organiser(b)
	path := "/synthese?axe=" + strconv.FormatInt(e.axis, 10) + "&reponse=review"
	serve(b, e, func(int) *http.Request {
		r := get(path)
		r.AddCookie(cookie)
		return r
	}, http.StatusOK)
}

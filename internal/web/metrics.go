package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"ouvert/internal/store"
)

// metrics counts requests and their latencies per route, and writes them with the database
// pool's state in Prometheus' text format. It is written here rather than taken from
// client_golang: it needs a counter and a histogram, which are a page of code.
type metrics struct {
	mu       sync.Mutex
	requests map[reqKey]uint64
	latency  map[string]*histogram
	started  time.Time
}

type reqKey struct {
	method, route string
	code          int
}

var buckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[reqKey]uint64{}, latency: map[string]*histogram{}, started: time.Now()}
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// instrument records each request and logs it.
func (m *metrics) instrument(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		route := new(string)
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), routeKey, route)))
		d := time.Since(start)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		if *route == "" || *route == "/" {
			*route = "other"
		}
		m.observe(r.Method, *route, sw.status, d)
		log.Info("request", "method", r.Method, "path", r.URL.Path, "route", *route, "status", sw.status,
			"bytes", sw.bytes, "duration_ms", float64(d.Microseconds())/1000)
	})
}

func (m *metrics) observe(method, route string, code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{method, route, code}]++
	h, ok := m.latency[route]
	if !ok {
		h = &histogram{counts: make([]uint64, len(buckets))}
		m.latency[route] = h
	}
	sec := d.Seconds()
	for i, b := range buckets {
		if sec <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += sec
	h.count++
}

// recordRoute wraps the router: once it has matched a request, the matched pattern is passed back
// to instrument, which sees only the request before routing.
func recordRoute(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if p, ok := r.Context().Value(routeKey).(*string); ok {
			*p = r.Pattern
		}
	})
}

// serve writes the metrics.
func (m *metrics) serve(db *store.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		m.mu.Lock()
		b.WriteString("# HELP ouvert_http_requests_total HTTP requests served, by method, route and status.\n")
		b.WriteString("# TYPE ouvert_http_requests_total counter\n")
		keys := make([]reqKey, 0, len(m.requests))
		for k := range m.requests {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].route != keys[j].route {
				return keys[i].route < keys[j].route
			}
			if keys[i].method != keys[j].method {
				return keys[i].method < keys[j].method
			}
			return keys[i].code < keys[j].code
		})
		for _, k := range keys {
			fmt.Fprintf(&b, "ouvert_http_requests_total{method=%q,route=%q,code=\"%d\"} %d\n", k.method, k.route, k.code, m.requests[k])
		}
		b.WriteString("# HELP ouvert_http_request_duration_seconds Time to serve a request, by route.\n")
		b.WriteString("# TYPE ouvert_http_request_duration_seconds histogram\n")
		routes := make([]string, 0, len(m.latency))
		for r := range m.latency {
			routes = append(routes, r)
		}
		sort.Strings(routes)
		for _, route := range routes {
			h := m.latency[route]
			var cum uint64
			for i, le := range buckets {
				cum += h.counts[i]
				fmt.Fprintf(&b, "ouvert_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", route, le, cum)
			}
			fmt.Fprintf(&b, "ouvert_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", route, h.count)
			fmt.Fprintf(&b, "ouvert_http_request_duration_seconds_sum{route=%q} %g\n", route, h.sum)
			fmt.Fprintf(&b, "ouvert_http_request_duration_seconds_count{route=%q} %d\n", route, h.count)
		}
		m.mu.Unlock()

		stats := db.Stats()
		pools := make([]string, 0, len(stats))
		for p := range stats {
			pools = append(pools, p)
		}
		sort.Strings(pools)
		gauge := func(name, help string, value func(p string) float64) {
			fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
			for _, p := range pools {
				fmt.Fprintf(&b, "%s{database=%q,pool=%q} %g\n", name, db.Kind(), p, value(p))
			}
		}
		gauge("ouvert_db_open_connections", "Open database connections.", func(p string) float64 { return float64(stats[p].OpenConnections) })
		gauge("ouvert_db_in_use_connections", "Database connections in use.", func(p string) float64 { return float64(stats[p].InUse) })
		gauge("ouvert_db_idle_connections", "Idle database connections.", func(p string) float64 { return float64(stats[p].Idle) })
		gauge("ouvert_db_max_open_connections", "Most database connections allowed.", func(p string) float64 { return float64(stats[p].MaxOpenConnections) })
		fmt.Fprintf(&b, "# HELP ouvert_db_wait_count_total Times a request waited for a database connection.\n# TYPE ouvert_db_wait_count_total counter\n")
		for _, p := range pools {
			fmt.Fprintf(&b, "ouvert_db_wait_count_total{database=%q,pool=%q} %d\n", db.Kind(), p, stats[p].WaitCount)
		}
		fmt.Fprintf(&b, "# HELP ouvert_db_wait_seconds_total Time spent waiting for a database connection.\n# TYPE ouvert_db_wait_seconds_total counter\n")
		for _, p := range pools {
			fmt.Fprintf(&b, "ouvert_db_wait_seconds_total{database=%q,pool=%q} %g\n", db.Kind(), p, stats[p].WaitDuration.Seconds())
		}
		votes := db.VoteStats()
		fmt.Fprintf(&b, "# HELP ouvert_vote_groups_total Groups of votes written, each in one transaction.\n# TYPE ouvert_vote_groups_total counter\nouvert_vote_groups_total %d\n", votes.Groups)
		fmt.Fprintf(&b, "# HELP ouvert_vote_group_votes_total Votes in those groups, written or refused.\n# TYPE ouvert_vote_group_votes_total counter\nouvert_vote_group_votes_total %d\n", votes.Votes)
		fmt.Fprintf(&b, "# HELP ouvert_vote_retried_total Votes of groups whose transaction failed, tried again one by one.\n# TYPE ouvert_vote_retried_total counter\nouvert_vote_retried_total %d\n", votes.Retried)
		if wal, ok := db.WAL(); ok {
			fmt.Fprintf(&b, "# HELP ouvert_sqlite_checkpoints_total Checkpoints of SQLite's write-ahead log since the process started.\n# TYPE ouvert_sqlite_checkpoints_total counter\nouvert_sqlite_checkpoints_total %d\n", wal.Checkpoints)
			fmt.Fprintf(&b, "# HELP ouvert_sqlite_wal_frames Pages in SQLite's write-ahead log at the last checkpoint.\n# TYPE ouvert_sqlite_wal_frames gauge\nouvert_sqlite_wal_frames %d\n", wal.Frames)
			fmt.Fprintf(&b, "# HELP ouvert_sqlite_wal_copied_frames Of those pages, how many the last checkpoint had copied back into the database file.\n# TYPE ouvert_sqlite_wal_copied_frames gauge\nouvert_sqlite_wal_copied_frames %d\n", wal.Copied)
		}
		fmt.Fprintf(&b, "# HELP ouvert_start_time_seconds When the process started.\n# TYPE ouvert_start_time_seconds gauge\nouvert_start_time_seconds %d\n", m.started.Unix())
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Write([]byte(b.String()))
	}
}

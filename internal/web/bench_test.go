//go:build unix

package web_test

// Benchmarks of the pages the consultation's performance targets name, over a generated
// database of 100,000 contributions, 1,000,000 votes and 300,000 arguments (times
// OUVERT_BENCH_SCALE), and TestLoadServer, which serves that database for scripts/loadtest.
// docs/benchmarks.md tells how to run them and what they measured.
//
// The database is generated once per process, inside the benchmarks only: plain `go test` never
// builds it. On SQLite the generated file is kept in the system's temporary directory and copied
// for each run; on PostgreSQL (OUVERT_TEST_DATABASE) it is generated into a new database each run.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/pprof"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"ouvert/internal/auth"
	"ouvert/internal/demo"
	"ouvert/internal/ouvert"
	"ouvert/internal/polis"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
	"ouvert/internal/web"
)

// Full-scale sizes, from the targets.
const (
	benchContributions = 100_000
	benchVotes         = 1_000_000
	benchArguments     = 300_000
	benchSeed          = 2017
)

func TestMain(m *testing.M) { storetest.Main(m) }

// keepTB is a testing.TB whose cleanups never run: OUVERT_BENCH_KEEP_DB=1 keeps the generated
// PostgreSQL database for EXPLAIN ANALYZE (drop it by hand afterwards).
type keepTB struct{ testing.TB }

func (keepTB) Cleanup(func()) {}

// benchEnv is the generated database and a server over it.
type benchEnv struct {
	db      *store.DB
	path    string // SQLite: the copy in use
	url     string // the database in use
	srv     *web.Server
	proc    *ouvert.Process
	axis    int64
	gen     store.GenerateResult
	texts   []string
	queries []string
	voter   *http.Cookie
	voterID int64
}

var bench struct {
	once sync.Once
	env  *benchEnv
	err  error
}

// benchSetup returns the shared environment, building it on first use.
func benchSetup(tb testing.TB) *benchEnv {
	tb.Helper()
	bench.once.Do(func() {
		bench.err = fmt.Errorf("setup did not finish")
		bench.env, bench.err = newBenchEnv(storetest.ProcessTB{TB: tb})
	})
	if bench.err != nil {
		tb.Fatal(bench.err)
	}
	return bench.env
}

func benchScale() (float64, string, error) {
	s := os.Getenv("OUVERT_BENCH_SCALE")
	if s == "" {
		s = "1"
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 || f > 10 {
		return 0, "", fmt.Errorf("OUVERT_BENCH_SCALE=%q: want a number in (0, 10]", s)
	}
	return f, strconv.FormatFloat(f, 'g', -1, 64), nil
}

func benchOptions(scale float64, texts []string) store.GenerateOptions {
	n := func(full int) int { return max(1, int(float64(full)*scale+0.5)) }
	return store.GenerateOptions{Contributions: n(benchContributions), Votes: n(benchVotes), Arguments: n(benchArguments),
		Texts: texts, Seed: benchSeed}
}

// benchTexts returns the statements of the real Polis conversations shared beside the repository.
func benchTexts() ([]string, error) {
	dir := os.Getenv("OUVERT_POLIS_DIR")
	if dir == "" {
		root, err := storetest.RepoRoot()
		if err != nil {
			return nil, err
		}
		dir = filepath.Join(root, "..", "shared", "data", "polis")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("Polis data: %w (set OUVERT_POLIS_DIR)", err)
	}
	var texts []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		c, err := polis.Read(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		for _, s := range c.Statements {
			if s.Text != "" && !s.Hidden() {
				texts = append(texts, s.Text)
			}
		}
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("no Polis statements in %s", dir)
	}
	return texts, nil
}

// cacheVersion names what the generated file depends on: the generator's version and source.
// Migrations added since are applied to the copy when it is opened, like on any database.
func cacheVersion() (string, error) {
	root, err := storetest.RepoRoot()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(root, "internal", "store", "generate.go"))
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(b)
	return fmt.Sprintf("g%d-%s", store.GenerateVersion, hex.EncodeToString(h[:])[:10]), nil
}

// benchProcess is the demo's process, without its example content, with today on the tenth day
// of the ideation phase.
func benchProcess() *ouvert.Process {
	start := demo.DefaultStart(time.Now())
	shift := int(start.Sub(demo.SeedStart).Hours() / 24)
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		loc = time.FixedZone("CET", 3600)
	}
	return demo.Process(func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d+shift, 0, 0, 0, 0, loc).UTC() })
}

// generate fills a fresh database at url with the demo's process and the generated data.
func generate(ctx context.Context, url string, o store.GenerateOptions) (store.GenerateResult, error) {
	db, err := store.Open(ctx, url)
	if err != nil {
		return store.GenerateResult{}, err
	}
	defer db.Close()
	p := benchProcess()
	if err := db.CreateProcess(ctx, p); err != nil {
		return store.GenerateResult{}, err
	}
	t0 := time.Now()
	res, err := db.Generate(ctx, p.ID, o)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(os.Stderr, "generated %d users, %d contributions, %d votes, %d arguments (%d replies) on %s in %s %v\n",
		res.Users, res.Contributions, res.Votes, res.TopLevel+res.Replies, res.Replies, db.Kind(), time.Since(t0).Round(100*time.Millisecond), res.Took)
	return res, nil
}

// sqliteCopy returns a private copy of the cached generated SQLite file, generating it first
// if it is missing, and the generation's result.
func sqliteCopy(ctx context.Context, o store.GenerateOptions, scale string) (string, store.GenerateResult, error) {
	var res store.GenerateResult
	version, err := cacheVersion()
	if err != nil {
		return "", res, err
	}
	cached := filepath.Join(os.TempDir(), fmt.Sprintf("ouvert-bench-%s-%s.db", scale, version))
	meta := cached + ".json"
	if b, err := os.ReadFile(meta); err == nil && json.Unmarshal(b, &res) == nil {
		if _, err := os.Stat(cached); err != nil {
			res = store.GenerateResult{}
		}
	}
	if res.Contributions == 0 {
		fmt.Fprintf(os.Stderr, "generating %s (scale %s)...\n", cached, scale)
		dir, err := os.MkdirTemp(os.TempDir(), "ouvert-bench-gen-")
		if err != nil {
			return "", res, err
		}
		defer os.RemoveAll(dir)
		tmp := filepath.Join(dir, "ouvert.db")
		if res, err = generate(ctx, tmp, o); err != nil {
			return "", res, err
		}
		// Closing the last connection checkpointed the WAL into the file.
		if _, err := os.Stat(tmp + "-wal"); err == nil {
			return "", res, fmt.Errorf("generated database still has a WAL file")
		}
		if err := os.Rename(tmp, cached); err != nil {
			return "", res, err
		}
		b, _ := json.Marshal(res)
		if err := os.WriteFile(meta, b, 0o644); err != nil {
			return "", res, err
		}
	}
	dir, err := os.MkdirTemp(os.TempDir(), "ouvert-bench-run-")
	if err != nil {
		return "", res, err
	}
	storetest.AtExit(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "ouvert.db")
	if err := copyFile(cached, path); err != nil {
		return "", res, err
	}
	return path, res, nil
}

// givenCopy copies the SQLite database at path and reads what Generate would have reported of it.
func givenCopy(ctx context.Context, path string) (string, store.GenerateResult, error) {
	var res store.GenerateResult
	dir, err := os.MkdirTemp(os.TempDir(), "ouvert-bench-run-")
	if err != nil {
		return "", res, err
	}
	storetest.AtExit(func() { os.RemoveAll(dir) })
	copyPath := filepath.Join(dir, "ouvert.db")
	if err := copyFile(path, copyPath); err != nil {
		return "", res, err
	}
	res, err = describeGenerated(ctx, "sqlite", copyPath)
	return copyPath, res, err
}

// describeGenerated reads from its rows what Generate would have returned about a database.
func describeGenerated(ctx context.Context, driver, dsn string) (store.GenerateResult, error) {
	var res store.GenerateResult
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		return res, err
	}
	defer raw.Close()
	err = raw.QueryRowContext(ctx, `SELECT MIN(id), MAX(id), COUNT(*) FROM contributions`).Scan(&res.FirstContribution, &res.LastContribution, &res.Contributions)
	if err == nil {
		err = raw.QueryRowContext(ctx, `SELECT id, arguments FROM contributions ORDER BY arguments DESC LIMIT 1`).Scan(&res.Busy, &res.BusyArguments)
	}
	if err == nil {
		err = raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM votes`).Scan(&res.Votes)
	}
	if err == nil {
		err = raw.QueryRowContext(ctx, `SELECT MIN(id), MAX(id) FROM users`).Scan(&res.FirstUser, &res.LastUser)
	}
	fmt.Fprintf(os.Stderr, "using %s: %d contributions, %d votes\n", dsn, res.Contributions, res.Votes)
	return res, err
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// benchConfig is the production configuration with cheap password hashing and no rate limits.
func benchConfig(baseURL string) web.Config {
	cfg := web.DefaultConfig(baseURL)
	cfg.NoPageCache = true // measure rendering, not the cache
	cfg.Password = cheap
	cfg.ContactMinDelay = 0
	cfg.Limits = web.Limits{}
	return cfg
}

func newBenchEnv(tb testing.TB) (*benchEnv, error) {
	ctx := context.Background()
	scale, scaleName, err := benchScale()
	if err != nil {
		return nil, err
	}
	texts, err := benchTexts()
	if err != nil {
		return nil, err
	}
	o := benchOptions(scale, texts)
	e := &benchEnv{texts: texts}
	url := ""
	given := os.Getenv("OUVERT_BENCH_DB")
	switch {
	case strings.HasPrefix(given, "postgres"):
		// A PostgreSQL database kept by an earlier run (OUVERT_BENCH_KEEP_DB), used in place: the
		// vote benchmarks change its votes, nothing else.
		url = given
		if e.gen, err = describeGenerated(ctx, "pgx", given); err != nil {
			return nil, err
		}
	case storetest.Kind() == "postgres":
		if os.Getenv("OUVERT_BENCH_KEEP_DB") != "" {
			url = storetest.URL(keepTB{tb})
			fmt.Fprintf(os.Stderr, "keeping the generated database: %s\n", url)
		} else {
			url = storetest.URL(tb)
		}
		fmt.Fprintf(os.Stderr, "generating into a new PostgreSQL database (scale %s)...\n", scaleName)
		if e.gen, err = generate(ctx, url, o); err != nil {
			return nil, err
		}
	case given != "":
		// A database generated elsewhere (such as the open-data export benchmark's, at 1,000,000
		// contributions): copied, then described from its rows.
		if url, e.gen, err = givenCopy(ctx, given); err != nil {
			return nil, err
		}
		e.path = url
	default:
		if url, e.gen, err = sqliteCopy(ctx, o, scaleName); err != nil {
			return nil, err
		}
		e.path = url
	}
	e.url = url
	if e.db, err = store.Open(ctx, url); err != nil {
		return nil, err
	}
	storetest.AtExit(func() { e.db.Close() })
	if e.proc, err = e.db.CurrentProcess(ctx); err != nil {
		return nil, err
	}
	// A cached database keeps the phases of the day it was made: open ideation again today.
	fresh := benchProcess()
	for i, ph := range e.proc.Phases {
		if err := e.db.SetPhaseDates(ctx, ph.ID, fresh.Phases[i]); err != nil {
			return nil, err
		}
	}
	if e.proc, err = e.db.CurrentProcess(ctx); err != nil {
		return nil, err
	}
	e.axis = e.proc.Axes[0].ID
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if e.srv, err = web.New(ctx, benchConfig("http://127.0.0.1:8080"), e.db, log, nil); err != nil {
		return nil, err
	}
	if e.voter, e.voterID, err = e.signIn(ctx, "bench-voter@example.org"); err != nil {
		return nil, err
	}
	e.queries = benchQueries
	return e, nil
}

// signIn creates a confirmed participant and logs them in through the log-in form.
func (e *benchEnv) signIn(ctx context.Context, email string) (*http.Cookie, int64, error) {
	hash, err := auth.Hash(goodPassword, cheap)
	if err != nil {
		return nil, 0, err
	}
	now := time.Now()
	u := &ouvert.User{Email: email, PasswordHash: hash, DisplayName: strings.Split(email, "@")[0], ConfirmedAt: &now}
	if err := e.db.CreateUser(ctx, u); ouvert.ErrorCode(err) == ouvert.ECONFLICT {
		// A database kept from an earlier run (OUVERT_BENCH_DB) has them already.
		if u, err = e.db.UserByEmail(ctx, email); err != nil {
			return nil, 0, err
		}
	} else if err != nil {
		return nil, 0, err
	}
	req := postForm("/connexion", url.Values{"email": {email}, "password": {goodPassword}}, nil)
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		return nil, 0, fmt.Errorf("log in as %s: status %d", email, rec.Code)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == "ouvert_session" && c.Value != "" {
			return &http.Cookie{Name: c.Name, Value: c.Value}, u.ID, nil
		}
	}
	return nil, 0, fmt.Errorf("log in as %s: no session cookie", email)
}

func postForm(path string, form url.Values, cookie *http.Cookie) *http.Request {
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://127.0.0.1:8080")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept-Language", "fr")
	if cookie != nil {
		req.AddCookie(cookie)
	}
	return req
}

func get(path string) *http.Request {
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Accept-Language", "fr")
	return req
}

// benchQueries are searches a visitor could type about the Polis conversations' subjects, from
// rare to frequent words.
var benchQueries = []string{
	"minimum wage", "referendum", "proportional representation", "concussions", "small business",
	"brexit deal", "helmets", "electoral reform", "wage", "vote",
}

// serve runs the benchmark's loop: one request per iteration, served in-process, with its
// status checked. Besides the wall time (ns/op) it reports the CPU time the process spent per
// request (cpu-ns/op: the handler, SQLite, which runs in-process, and the garbage collector),
// which other load on the machine inflates much less. On PostgreSQL the server's own CPU time is
// not in it.
func serve(b *testing.B, e *benchEnv, req func(i int) *http.Request, want int) {
	b.Helper()
	b.ReportAllocs()
	i := 0
	var cpu0 time.Duration
	for b.Loop() {
		if i == 0 {
			cpu0 = storetest.CPUTime()
		}
		r := req(i)
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, r)
		if rec.Code != want {
			b.Fatalf("%s %s: status %d, want %d\n%.2000s", r.Method, r.URL, rec.Code, want, rec.Body.String())
		}
		i++
	}
	if i > 0 {
		b.ReportMetric(float64(storetest.CPUTime()-cpu0)/float64(i), "cpu-ns/op")
	}
}

// BenchmarkList: an axis' list, most agreed first, first page, for an anonymous visitor.
func BenchmarkList(b *testing.B) {
	e := benchSetup(b)
	path := "/consultation?axe=" + strconv.FormatInt(e.axis, 10)
	serve(b, e, func(int) *http.Request { return get(path) }, http.StatusOK)
}

// BenchmarkListPage500: the same list at page 500 (offset 9,980).
func BenchmarkListPage500(b *testing.B) {
	e := benchSetup(b)
	page := min(500, (e.proc.Axes[0].Contributions+19)/20)
	path := "/consultation?axe=" + strconv.FormatInt(e.axis, 10) + "&page=" + strconv.Itoa(page)
	serve(b, e, func(int) *http.Request { return get(path) }, http.StatusOK)
}

// BenchmarkListFiltered: the consultation's list with the filters and orders a visitor can pick
// (not in the list of targets; measured so that none is far from the others). The
// generated contributions are all written online, so the "at an event" filter matches none.
func BenchmarkListFiltered(b *testing.B) {
	e := benchSetup(b)
	theme := e.proc.Themes[0].ID
	for _, c := range []struct{ name, query string }{
		{"Random", "tri=random"},
		{"Newest", "tri=newest"},
		{"Theme", "theme=" + strconv.FormatInt(theme, 10)},
		{"ThemeAxis", "theme=" + strconv.FormatInt(theme, 10) + "&axe=" + strconv.FormatInt(e.axis, 10)},
		{"ThemePage100", "theme=" + strconv.FormatInt(theme, 10) + "&page=100"},
		{"OriginOnline", "origine=online"},
		{"OriginEvent", "origine=event"},
		{"ThemeOnline", "theme=" + strconv.FormatInt(theme, 10) + "&origine=online"},
		{"ThemeEvent", "theme=" + strconv.FormatInt(theme, 10) + "&origine=event"},
	} {
		b.Run(c.name, func(b *testing.B) {
			path := "/consultation?" + c.query
			serve(b, e, func(int) *http.Request { return get(path) }, http.StatusOK)
		})
	}
}

// BenchmarkContribution1000Arguments: the page of the contribution with 1,000 arguments, with the
// first page of its arguments and their replies.
func BenchmarkContribution1000Arguments(b *testing.B) {
	e := benchSetup(b)
	path := "/contributions/" + strconv.FormatInt(e.gen.Busy, 10)
	serve(b, e, func(int) *http.Request { return get(path) }, http.StatusOK)
}

// BenchmarkSearch: a search of the consultation, cycling through benchQueries.
func BenchmarkSearch(b *testing.B) {
	e := benchSetup(b)
	prepareSearch(b, e)
	for _, q := range e.queries {
		path := "/consultation?q=" + url.QueryEscape(q)
		b.Run(strings.ReplaceAll(q, " ", "_"), func(b *testing.B) {
			serve(b, e, func(int) *http.Request { return get(path) }, http.StatusOK)
		})
	}
}

// prepareSearch builds the search index before timing, as the server does when it starts.
// It logs how long that took and how much the heap grew.
func prepareSearch(b *testing.B, e *benchEnv) {
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before, start := heap(), time.Now()
	n, err := e.db.PrepareSearch(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	b.Logf("search index: %d contributions, built in %v, heap %+d MB", n, took.Round(time.Millisecond), (int64(heap())-int64(before))>>20)
}

// BenchmarkSimilar: the propose form's check step, which looks up the contributions most similar
// to the draft; drafts are real statements, cycled.
func BenchmarkSimilar(b *testing.B) {
	e := benchSetup(b)
	prepareSearch(b, e)
	rng := rand.New(rand.NewPCG(1, 2))
	drafts := make([]url.Values, 64)
	for i := range drafts {
		t := e.texts[rng.IntN(len(e.texts))]
		drafts[i] = url.Values{"axis": {strconv.FormatInt(e.axis, 10)}, "title": {polis.Title(t)}, "body": {t}, "step": {"check"}}
	}
	serve(b, e, func(i int) *http.Request {
		return postForm("/contributions/nouvelle", drafts[i%len(drafts)], e.voter)
	}, http.StatusOK)
}

// BenchmarkVote: a signed-in participant's vote on a random contribution, with a random value.
func BenchmarkVote(b *testing.B) {
	e := benchSetup(b)
	rng := rand.New(rand.NewPCG(3, 4))
	values := []string{"agree", "mixed", "disagree"}
	n := e.gen.LastContribution - e.gen.FirstContribution + 1
	serve(b, e, func(int) *http.Request {
		id := e.gen.FirstContribution + rng.Int64N(n)
		return postForm("/contributions/"+strconv.FormatInt(id, 10)+"/vote", url.Values{"value": {values[rng.IntN(3)]}}, e.voter)
	}, http.StatusSeeOther)
}

// TestLoadServer serves the generated database on OUVERT_LOADTEST_ADDR for scripts/loadtest,
// with the production configuration but for cheap password hashing and no per-account vote
// limit. It signs in OUVERT_LOADTEST_VOTERS participants (8 by default) and writes what the
// script needs to OUVERT_LOADTEST_INFO (one KEY=VALUE a line), then serves until killed or for
// OUVERT_LOADTEST_SECONDS (600 by default). GET /_loadtest/votes answers how many votes the
// voters have in the database and how many vote requests the server answered 303.
func TestLoadServer(t *testing.T) {
	addr := os.Getenv("OUVERT_LOADTEST_ADDR")
	if addr == "" {
		t.Skip("OUVERT_LOADTEST_ADDR not set")
	}
	ctx := context.Background()
	e := benchSetup(t)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	cfg := web.DefaultConfig(base)
	cfg.Password = cheap
	cfg.Limits.Vote = web.Limit{} // no per-account limit: a few accounts cast every vote
	cfg.Limits.Login = web.Limit{}
	logPath := os.Getenv("OUVERT_LOADTEST_LOG")
	if logPath == "" {
		logPath = filepath.Join(os.TempDir(), "ouvert-loadtest.log")
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	srv, err := web.New(ctx, cfg, e.db, slog.New(slog.NewTextHandler(logFile, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv

	voters := 8
	if s := os.Getenv("OUVERT_LOADTEST_VOTERS"); s != "" {
		if voters, err = strconv.Atoi(s); err != nil || voters < 1 {
			t.Fatalf("OUVERT_LOADTEST_VOTERS=%q", s)
		}
	}
	var cookies []string
	var ids []string
	run := time.Now().Unix() // new voters at each run: a PostgreSQL database is used in place
	for i := range voters {
		c, id, err := e.signIn(ctx, fmt.Sprintf("load-voter-%d-%d@example.org", i, run))
		if err != nil {
			t.Fatal(err)
		}
		cookies = append(cookies, c.Value)
		ids = append(ids, strconv.FormatInt(id, 10))
	}

	// A raw connection counts the voters' votes; the handler counts the votes answered 303.
	driver, dsn := "sqlite", "file:"+e.path+"?mode=ro&_pragma=busy_timeout(10000)"
	if e.path == "" {
		driver, dsn = "pgx", e.url
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var voted atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_loadtest/votes", func(w http.ResponseWriter, r *http.Request) {
		var n int64
		if err := raw.QueryRow(`SELECT COUNT(*) FROM votes WHERE user_id IN (` + strings.Join(ids, ",") + `)`).Scan(&n); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprintf(w, "db_votes=%d\nserver_303=%d\n", n, voted.Load())
	})
	if os.Getenv("OUVERT_LOADTEST_PPROF") != "" {
		// A CPU profile of the server under load: GET /debug/pprof/profile?seconds=10.
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	}
	// The floor: what this machine's HTTP stack costs a vote before Ouvert does anything. It reads
	// the same request (form, session cookie) and answers the same 303, with no middleware and no
	// database, so that the load test can say how many requests a second the machine serves at best.
	mux.HandleFunc("POST /_loadtest/floor/contributions/{id}/vote", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := ouvert.ParseVote(r.PostFormValue("value")); !ok {
			http.Error(w, "value", http.StatusBadRequest)
			return
		}
		if _, err := r.Cookie("ouvert_session"); err != nil {
			http.Error(w, "session", http.StatusForbidden)
			return
		}
		w.Header().Set("Location", "/contributions/"+r.PathValue("id")+"#vote-"+r.PathValue("id"))
		w.WriteHeader(http.StatusSeeOther)
	})
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/vote") {
			sw := &codeWriter{ResponseWriter: w}
			srv.ServeHTTP(sw, r)
			if sw.code == http.StatusSeeOther {
				voted.Add(1)
			}
			return
		}
		srv.ServeHTTP(w, r)
	}))

	info := []string{
		"BASE=" + base,
		"AXIS=" + strconv.FormatInt(e.axis, 10),
		"FIRST_CONTRIBUTION=" + strconv.FormatInt(e.gen.FirstContribution, 10),
		"LAST_CONTRIBUTION=" + strconv.FormatInt(e.gen.LastContribution, 10),
		"BUSY=" + strconv.FormatInt(e.gen.Busy, 10),
		"COOKIES=" + strings.Join(cookies, ","),
		// Quoted for the shell that reads this: a PostgreSQL URL holds "&".
		"DATABASE='" + strings.ReplaceAll(e.url, "'", "") + "'",
	}
	if path := os.Getenv("OUVERT_LOADTEST_INFO"); path != "" {
		if err := os.WriteFile(path, []byte(strings.Join(info, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Println(strings.Join(info, "\n"))
	seconds := 600
	if s := os.Getenv("OUVERT_LOADTEST_SECONDS"); s != "" {
		seconds, _ = strconv.Atoi(s)
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
	// Stop after the given time or on SIGINT/SIGTERM, returning normally so that TestMain removes
	// the database copy.
	stop, cancel := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer cancel()
	go func() {
		select {
		case <-stop.Done():
		case <-time.After(time.Duration(seconds) * time.Second):
		}
		hs.Close()
	}()
	if err := hs.Serve(ln); err != http.ErrServerClosed {
		t.Fatal(err)
	}
}

type codeWriter struct {
	http.ResponseWriter
	code int
}

func (w *codeWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *codeWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// BenchmarkAPI: the API's list endpoints and items over the generated data (set OUVERT_BENCH_DB to
// a larger generated database, such as the open-data export benchmark's 1,000,000 contributions).
func BenchmarkAPI(b *testing.B) {
	e := benchSetup(b)
	mid := strconv.FormatInt((e.gen.FirstContribution+e.gen.LastContribution)/2, 10)
	for _, c := range []struct{ name, path string }{
		{"contributions", "/api/v1/contributions"},
		{"contributions_middle", "/api/v1/contributions?cursor=" + mid},
		{"contributions_axis", "/api/v1/contributions?axis=" + strconv.FormatInt(e.axis, 10) + "&cursor=" + mid},
		{"contributions_limit_100", "/api/v1/contributions?limit=100&cursor=" + mid},
		{"contribution", "/api/v1/contributions/" + mid},
		{"arguments_busy", "/api/v1/contributions/" + strconv.FormatInt(e.gen.Busy, 10) + "/arguments"},
		{"processes", "/api/v1/processes"},
		{"events", "/api/v1/events"},
	} {
		b.Run(c.name, func(b *testing.B) {
			serve(b, e, func(int) *http.Request { return get(c.path) }, http.StatusOK)
		})
	}
}

// BenchmarkVotesParallel: votes written straight through the store by 64 goroutines at once, on
// distinct (contribution, participant) pairs, so that they are written in groups: what the
// database can record a second, without HTTP in front.
func BenchmarkVotesParallel(b *testing.B) {
	e := benchSetup(b)
	ctx := context.Background()
	n := e.gen.LastContribution - e.gen.FirstContribution + 1
	var next atomic.Int64
	// From a random pair on, so that a database kept from an earlier run (OUVERT_BENCH_DB) gets
	// new votes too, not the same ones again (which change nothing).
	next.Store(rand.Int64N(1 << 40))
	b.SetParallelism(32) // 64 goroutines on 2 cores
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s := next.Add(1)
			// The bench voter and the generated participants: every pair is new.
			c := e.gen.FirstContribution + (s*7919)%n
			u := e.gen.FirstUser + (s/n)%(e.gen.LastUser-e.gen.FirstUser+1)
			if err := e.db.Vote(ctx, c, u, int(s%3)-1); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "votes/s")
}

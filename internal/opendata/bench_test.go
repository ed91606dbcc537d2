//go:build unix

package opendata_test

// BenchmarkExport measures the open-data archive over a generated process: 10,000 contributions,
// 100,000 votes and 10,000 arguments times OUVERT_EXPORT_SCALE (100 gives the 1,000,000 /
// 10,000,000 / 1,000,000). docs/benchmarks.md ("Open-data export") tells how to run it and what it
// measured.
//
// The data is generated once per process, inside the benchmark only. On SQLite the generated file
// is kept in the system's temporary directory, named by the sizes and a hash of the generator, the
// migrations and the texts, and read in place (the export only reads). On PostgreSQL
// (OUVERT_TEST_DATABASE) it is generated into a new database dropped at the end; with
// OUVERT_EXPORT_KEEP_DB=1 it goes into a database named the same way, kept, and found again by the
// next run with the variable set (drop it by hand afterwards).
//
// OUVERT_EXPORT_FILE=path writes the last archive there instead of discarding it.

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"ouvert/internal/demo"
	"ouvert/internal/opendata"
	"ouvert/internal/polis"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

// Sizes at OUVERT_EXPORT_SCALE=1: small enough for a quick run.
const (
	exportContributions = 10_000
	exportVotes         = 100_000
	exportArguments     = 10_000
	exportSeed          = 2017
)

func TestMain(m *testing.M) { storetest.Main(m) }

var exportEnv struct {
	once sync.Once
	db   *store.DB
	gen  store.GenerateResult
	err  error
}

func BenchmarkExport(b *testing.B) {
	exportEnv.once.Do(func() {
		exportEnv.err = errors.New("setup did not finish")
		exportEnv.db, exportEnv.gen, exportEnv.err = exportSetup(storetest.ProcessTB{TB: b})
	})
	if exportEnv.err != nil {
		b.Fatal(exportEnv.err)
	}
	db, ctx := exportEnv.db, context.Background()
	o := opendata.Options{Licence: "Licence Ouverte 2.0", LicenceURL: "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
		BaseURL: "https://ouvert.exemple.fr", PseudonymKey: []byte("bench-pseudonym-key"), Now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}

	// What generation left behind is not the export's: collect it and give it back to the system
	// before sampling.
	runtime.GC()
	debug.FreeOSMemory()
	s := startSampler()
	var out countingWriter
	cpu0 := storetest.CPUTime()
	start := time.Now()
	for b.Loop() {
		out.reset()
		if err := opendata.Export(ctx, db, &out, o); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	cpu := storetest.CPUTime() - cpu0
	heap, rss := s.stop()

	entries, err := out.entries()
	if err != nil {
		b.Fatal(err)
	}
	var table uint64
	for _, f := range entries {
		table += f.UncompressedSize64
	}
	sec := elapsed.Seconds() / float64(b.N)
	b.ReportMetric(float64(out.n)/1e6/sec, "zip-MB/s")
	b.ReportMetric(float64(table)/1e6/sec, "table-MB/s")
	b.ReportMetric(float64(out.n)/1e6, "zip-MB")
	b.ReportMetric(float64(table)/1e6, "table-MB")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(heap)/1e6, "peak-heap-MB")
	if rss > 0 {
		b.ReportMetric(float64(rss)/1e6, "peak-rss-MB")
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(maxrssBytes(ru.Maxrss))/1e6, "maxrss-MB")
	}
	var sizes []string
	for _, f := range entries {
		if f.UncompressedSize64 > 1e6 {
			sizes = append(sizes, fmt.Sprintf("%s %.0f/%.0f MB", f.Name, float64(f.UncompressedSize64)/1e6, float64(f.CompressedSize64)/1e6))
		}
	}
	g := exportEnv.gen
	b.Logf("%s: %d contributions, %d votes, %d arguments; %d runs of %.1f s; %s (table/zip)",
		db.Kind(), g.Contributions, g.Votes, g.TopLevel+g.Replies, b.N, sec, strings.Join(sizes, ", "))
}

// countingWriter counts the archive's bytes and keeps its end, which holds the ZIP's central
// directory: enough to list the entries and their sizes without keeping the archive.
type countingWriter struct {
	n    int64
	tail []byte
	file *os.File // OUVERT_EXPORT_FILE
}

const tailKeep = 256 << 10

func (w *countingWriter) reset() {
	w.n, w.tail = 0, w.tail[:0]
	if path := os.Getenv("OUVERT_EXPORT_FILE"); path != "" {
		if w.file != nil {
			w.file.Close()
		}
		f, err := os.Create(path)
		if err != nil {
			panic(err)
		}
		w.file = f
	}
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	if w.file != nil {
		if _, err := w.file.Write(p); err != nil {
			return 0, err
		}
	}
	if len(p) >= tailKeep {
		w.tail = append(w.tail[:0], p[len(p)-tailKeep:]...)
		return len(p), nil
	}
	if len(w.tail)+len(p) > 2*tailKeep {
		w.tail = append(w.tail[:0], w.tail[len(w.tail)-(tailKeep-len(p)):]...)
	}
	w.tail = append(w.tail, p...)
	return len(p), nil
}

// ReadAt serves the kept end of the archive.
func (w *countingWriter) ReadAt(p []byte, off int64) (int, error) {
	first := w.n - int64(len(w.tail))
	if off < first {
		return 0, fmt.Errorf("offset %d is before the kept end of the archive (%d)", off, first)
	}
	n := copy(p, w.tail[off-first:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// entries lists the archive's entries from its central directory.
func (w *countingWriter) entries() ([]*zip.File, error) {
	if w.file != nil {
		if err := w.file.Close(); err != nil {
			return nil, err
		}
		w.file = nil
	}
	zr, err := zip.NewReader(w, w.n)
	if err != nil {
		return nil, err
	}
	return zr.File, nil
}

// sampler keeps the highest Go heap (live and not yet collected objects) and resident set size
// seen every 10 ms.
type sampler struct {
	done      chan struct{}
	stopped   chan struct{}
	heap, rss uint64
}

func startSampler() *sampler {
	s := &sampler{done: make(chan struct{}), stopped: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() {
		metrics.Read(sample)
		s.heap = max(s.heap, sample[0].Value.Uint64())
		s.rss = max(s.rss, residentBytes())
	}
	read()
	go func() {
		defer close(s.stopped)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.done:
				read()
				return
			case <-t.C:
				read()
			}
		}
	}()
	return s
}

func (s *sampler) stop() (heap, rss uint64) {
	close(s.done)
	<-s.stopped
	return s.heap, s.rss
}

// residentBytes is the process' resident set size now, from /proc (0 where there is none).
func residentBytes() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}

// maxrssBytes converts getrusage's ru_maxrss: kilobytes, but bytes on macOS.
func maxrssBytes(v int64) int64 {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return v
	}
	return v * 1024
}

func exportScale() (float64, string, error) {
	s := os.Getenv("OUVERT_EXPORT_SCALE")
	if s == "" {
		s = "1"
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 || f > 1000 {
		return 0, "", fmt.Errorf("OUVERT_EXPORT_SCALE=%q: want a number in (0, 1000]", s)
	}
	return f, strconv.FormatFloat(f, 'g', -1, 64), nil
}

// exportTexts returns the statements of the real Polis conversations shared beside the repository
// (OUVERT_POLIS_DIR, or ../shared/data/polis), or none, for Generate's built-in sentences.
func exportTexts(root string) []string {
	dir := os.Getenv("OUVERT_POLIS_DIR")
	if dir == "" {
		dir = filepath.Join(root, "..", "shared", "data", "polis")
	}
	entries, _ := os.ReadDir(dir)
	var texts []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if c, err := polis.Read(filepath.Join(dir, e.Name())); err == nil {
			for _, s := range c.Statements {
				if s.Text != "" && !s.Hidden() {
					texts = append(texts, s.Text)
				}
			}
		}
	}
	return texts
}

// dataKey names what the generated data depends on: the generator, the schema and the texts.
func dataKey(root string, texts []string) (string, error) {
	h := sha256.New()
	files, err := filepath.Glob(filepath.Join(root, "internal", "store", "migrations", "*", "*.sql"))
	if err != nil {
		return "", err
	}
	slices.Sort(files)
	for _, f := range append([]string{filepath.Join(root, "internal", "store", "generate.go")}, files...) {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(f), len(b))
		h.Write(b)
	}
	for _, t := range texts {
		fmt.Fprintf(h, "%d\n%s", len(t), t)
	}
	return fmt.Sprintf("g%d-%s", store.GenerateVersion, hex.EncodeToString(h.Sum(nil))[:10]), nil
}

// exportSetup opens the generated database, generating it first if needed.
func exportSetup(tb testing.TB) (*store.DB, store.GenerateResult, error) {
	ctx := context.Background()
	var res store.GenerateResult
	scale, scaleName, err := exportScale()
	if err != nil {
		return nil, res, err
	}
	root, err := storetest.RepoRoot()
	if err != nil {
		return nil, res, err
	}
	texts := exportTexts(root)
	key, err := dataKey(root, texts)
	if err != nil {
		return nil, res, err
	}
	n := func(full int) int { return max(1, int(float64(full)*scale+0.5)) }
	o := store.GenerateOptions{Contributions: n(exportContributions), Votes: n(exportVotes), Arguments: n(exportArguments),
		Texts: texts, Seed: exportSeed}
	var dbURL string
	if storetest.Kind() == "postgres" {
		dbURL, err = postgresData(ctx, tb, o, scaleName, key)
	} else {
		dbURL, err = sqliteData(ctx, o, scaleName, key)
	}
	if err != nil {
		return nil, res, err
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return nil, res, err
	}
	storetest.AtExit(func() { db.Close() })
	// The sizes, as written (neither a cached file's nor a kept database's generation is at hand).
	driver := "sqlite"
	if db.Kind() == "postgres" {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dbURL)
	if err != nil {
		return nil, res, err
	}
	defer raw.Close()
	for q, n := range map[string]*int{
		`SELECT COUNT(*) FROM contributions`:                         &res.Contributions,
		`SELECT COUNT(*) FROM votes`:                                 &res.Votes,
		`SELECT COUNT(*) FROM arguments WHERE parent_id IS NULL`:     &res.TopLevel,
		`SELECT COUNT(*) FROM arguments WHERE parent_id IS NOT NULL`: &res.Replies,
	} {
		if err := raw.QueryRowContext(ctx, q).Scan(n); err != nil {
			return nil, res, err
		}
	}
	return db, res, nil
}

// generateInto fills a fresh database at dbURL with the demo's process and the generated data.
func generateInto(ctx context.Context, dbURL string, o store.GenerateOptions) error {
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	p := demo.Process(func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) })
	if err := db.CreateProcess(ctx, p); err != nil {
		return err
	}
	t0 := time.Now()
	res, err := db.Generate(ctx, p.ID, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "generated %d users, %d contributions, %d votes, %d arguments on %s in %s %v\n",
		res.Users, res.Contributions, res.Votes, res.TopLevel+res.Replies, db.Kind(), time.Since(t0).Round(100*time.Millisecond), res.Took)
	return nil
}

// sqliteData returns the path of the cached generated SQLite file, generating it if missing.
func sqliteData(ctx context.Context, o store.GenerateOptions, scale, key string) (string, error) {
	cached := filepath.Join(os.TempDir(), fmt.Sprintf("ouvert-export-bench-%s-%s.db", scale, key))
	if _, err := os.Stat(cached); err == nil {
		return cached, nil
	}
	fmt.Fprintf(os.Stderr, "generating %s...\n", cached)
	dir, err := os.MkdirTemp(os.TempDir(), "ouvert-export-bench-gen-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "ouvert.db")
	if err := generateInto(ctx, tmp, o); err != nil {
		return "", err
	}
	// Closing the last connection checkpointed the WAL into the file.
	if _, err := os.Stat(tmp + "-wal"); err == nil {
		return "", errors.New("generated database still has a WAL file")
	}
	return cached, os.Rename(tmp, cached)
}

// postgresData returns the URL of a database holding the generated data: a new one dropped at the
// end, or with OUVERT_EXPORT_KEEP_DB a kept one, found again by its name.
func postgresData(ctx context.Context, tb testing.TB, o store.GenerateOptions, scale, key string) (string, error) {
	if os.Getenv("OUVERT_EXPORT_KEEP_DB") == "" {
		dbURL := storetest.URL(tb)
		fmt.Fprintf(os.Stderr, "generating into a new PostgreSQL database...\n")
		return dbURL, generateInto(ctx, dbURL, o)
	}
	admin := os.Getenv("OUVERT_TEST_DATABASE")
	u, err := url.Parse(admin)
	if err != nil {
		return "", err
	}
	name := "ouvert_export_" + strings.NewReplacer(".", "_", "-", "_").Replace(scale+"_"+key)
	at := func(db string) string { v := *u; v.Path = "/" + db; return v.String() }
	adm, err := sql.Open("pgx", admin)
	if err != nil {
		return "", err
	}
	defer adm.Close()
	var found int
	if err := adm.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_database WHERE datname = $1`, name).Scan(&found); err != nil {
		return "", err
	}
	if found == 1 {
		fmt.Fprintf(os.Stderr, "using the kept database %s\n", name)
		return at(name), nil
	}
	// Generated under another name and renamed once complete, so that a failed run leaves no
	// database that a later run would take for complete.
	tmp := name + "_partial"
	if _, err := adm.ExecContext(ctx, `DROP DATABASE IF EXISTS `+tmp+` WITH (FORCE)`); err != nil {
		return "", err
	}
	if _, err := adm.ExecContext(ctx, `CREATE DATABASE `+tmp); err != nil {
		return "", err
	}
	fmt.Fprintf(os.Stderr, "generating into %s, kept (drop it by hand)...\n", name)
	if err := generateInto(ctx, at(tmp), o); err != nil {
		return "", err
	}
	if _, err := adm.ExecContext(ctx, `ALTER DATABASE `+tmp+` RENAME TO `+name); err != nil {
		return "", err
	}
	return at(name), nil
}

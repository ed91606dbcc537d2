// Package store keeps Ouvert's data in SQLite or PostgreSQL through database/sql. Queries are
// written once with ? placeholders and rebound for PostgreSQL; dialect.go holds what differs.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// DB is Ouvert's database. On SQLite, writes go through one connection (SQLite has one writer)
// and reads through a pool; on PostgreSQL both are the same pool.
type DB struct {
	write   *sql.DB
	read    *sql.DB
	dialect dialect
	// Now returns the current time; tests move it.
	Now func() time.Time
	// readDSN is how the SQLite readers open the file (see BulkReader).
	readDSN string

	eventStatsCache eventStatsCache // see event_stats.go

	// On SQLite, statements are prepared once and kept: parsing and planning a query cost as much
	// as running it (a fifth of a list page's time). pgx keeps its own cache on PostgreSQL.
	readStmts, writeStmts *stmtCache

	voters      []*voter      // see Vote
	checkpoints *checkpointer // SQLite only: see checkpoint.go
	sessions    sessionCache  // see SessionUser
	seeks       seekCache     // see seekFrom
	search      searchIndexes // see searchindex.go

	// explain, when a test sets it, is told every read query before it runs (plans_test.go).
	explain func(q string, args []any)
}

// maxStatements bounds each statement cache; queries beyond it run unprepared. Queries are
// built from constant fragments, so their distinct texts are a few hundred; bulk statements
// (more than maxCachedParams parameters, as imports write) are never kept.
const (
	maxStatements   = 500
	maxCachedParams = 64
)

// stmtCache holds prepared statements by their (rebound) text.
type stmtCache struct {
	pool *sql.DB
	mu   sync.Mutex
	m    map[string]*sql.Stmt
}

// get returns the prepared statement of q, preparing it on first use; nil when the cache is off,
// full, or q does not prepare (the caller then runs it unprepared and reports the error).
// Preparing takes a connection of the pool: never call it while holding the writer's only
// connection in a transaction (see Tx.stmt).
func (c *stmtCache) get(q string) *sql.Stmt {
	if st, ok := c.lookup(q); ok {
		return st
	}
	if !c.wants(q) {
		return nil
	}
	// Prepared without the lock, which a query waiting for a connection must not hold, and not
	// with the request's context: a cancelled request must not leave a broken statement behind.
	st, err := c.pool.PrepareContext(context.Background(), q)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if have, ok := c.m[q]; ok {
		st.Close()
		return have
	}
	if len(c.m) >= maxStatements {
		st.Close()
		return nil
	}
	c.m[q] = st
	return st
}

// lookup returns q's statement if it is prepared already.
func (c *stmtCache) lookup(q string) (*sql.Stmt, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.m[q]
	return st, ok
}

// wants tells whether q is worth keeping: the cache is on and has room, and q is not a bulk
// statement.
func (c *stmtCache) wants(q string) bool {
	if c == nil || strings.Count(q, "?") > maxCachedParams {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m) < maxStatements
}

func (c *stmtCache) close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for q, st := range c.m {
		err = errors.Join(err, st.Close())
		delete(c.m, q)
	}
	return err
}

// SQLite's pool of readers: how many, and how long one lives (see Optimize).
const (
	maxReaders     = 8
	readerLifetime = time.Hour
)

// Open opens the database named by url: a postgres:// or postgresql:// URL, or else the path of
// an SQLite file (created with its directory if missing). It applies pending migrations.
func Open(ctx context.Context, url string) (*DB, error) {
	db := &DB{Now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		pool, err := sql.Open("pgx", genericPlans(url))
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		pool.SetMaxOpenConns(20)
		pool.SetMaxIdleConns(20)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		db.write, db.read, db.dialect = pool, pool, postgresDialect{}
	} else {
		path := strings.TrimPrefix(url, "sqlite://")
		if path == "" {
			return nil, errors.New("store: empty database path")
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("store: create database directory: %w", err)
		}
		// busy_timeout first, so that the others wait rather than fail on a locked file.
		dsn := "file:" + path + "?_time_format=sqlite&_txlock=immediate" +
			"&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"
		// The writer keeps up to 64 MB of pages: bulk writes (the grouping, imports) check foreign keys
		// against large tables. It never copies the WAL back into the file: the checkpointer does
		// (checkpoint.go).
		w, err := sql.Open("sqlite", dsn+"&_pragma=cache_size(-65536)&_pragma=wal_autocheckpoint(0)")
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxIdleTime(0)
		db.readDSN = dsn + "&_pragma=query_only(1)"
		r, err := sql.Open("sqlite", db.readDSN)
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		r.SetMaxOpenConns(maxReaders)
		r.SetMaxIdleConns(maxReaders)
		r.SetConnMaxLifetime(readerLifetime)
		db.write, db.read, db.dialect = w, r, sqliteDialect{}
		if db.checkpoints, err = startCheckpoints(dsn); err != nil {
			w.Close()
			r.Close()
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		db.readStmts = &stmtCache{pool: r, m: map[string]*sql.Stmt{}}
		db.writeStmts = &stmtCache{pool: w, m: map[string]*sql.Stmt{}}
	}
	db.voters = newVoters(db.dialect)
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// postgresSettings are the settings genericPlans gives Ouvert's PostgreSQL connections.
var postgresSettings = []string{"plan_cache_mode=force_generic_plan", "max_parallel_workers_per_gather=0"}

// genericPlans asks PostgreSQL to plan each prepared statement once, for any values, unless url
// sets plan_cache_mode itself. pgx prepares each statement once per connection, but PostgreSQL
// plans it again at every run for its first five runs, and for good when the generic plan looks
// costlier, as LIMIT and OFFSET parameters make it look: planning took 1.1 ms of the list query's
// 1.8, and 2 ms of a vote's 2.7. Every query follows an index whatever its values, which is what
// the generic plans do too (docs/benchmarks.md); LIMITs are written into the queries (see
// postgresDialect.rebind) so that the plans know how few rows a page wants.
//
// It also turns off parallel workers for a query, unless url sets
// max_parallel_workers_per_gather: with an OFFSET it cannot see, the planner expected a theme's
// list to read thousands of rows and started two workers, 10 ms before reading the 300 it needed.
// A page's queries read too few rows for workers to pay.
func genericPlans(url string) string {
	for _, p := range postgresSettings {
		name, _, _ := strings.Cut(p, "=")
		if strings.Contains(url, name+"=") {
			continue
		}
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		url += sep + p
	}
	return url
}

// Close closes the database.
func (db *DB) Close() error {
	for _, v := range db.voters {
		v.stop()
	}
	err := errors.Join(db.readStmts.close(), db.writeStmts.close(), db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	if db.checkpoints != nil {
		err = errors.Join(err, db.checkpoints.close())
	}
	return err
}

// Kind returns "sqlite" or "postgres".
func (db *DB) Kind() string { return db.dialect.name() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// Stats returns the connection pool's statistics: the writer's and, on SQLite, the readers'.
func (db *DB) Stats() map[string]sql.DBStats {
	if db.read == db.write {
		return map[string]sql.DBStats{"main": db.write.Stats()}
	}
	return map[string]sql.DBStats{"write": db.write.Stats(), "read": db.read.Stats()}
}

// Tx is a database transaction with Ouvert's placeholder rebinding.
type Tx struct {
	tx *sql.Tx
	db *DB
	// unprepared are the statements it ran unprepared, prepared once it ends (see stmt); a
	// transaction may run the same one thousands of times.
	unprepared map[string]struct{}
}

// WithTx runs fn in a write transaction, committed if fn returns nil and rolled back otherwise.
func (db *DB) WithTx(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx := &Tx{tx: sqlTx, db: db}
	defer tx.prepare()
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// prepare prepares, once the transaction has given back its connection, the statements it ran
// unprepared.
func (tx *Tx) prepare() {
	for q := range tx.unprepared {
		tx.db.writeStmts.get(q)
	}
}

// stmt returns the writer's prepared statement of q for this transaction, or nil. A statement
// not prepared yet cannot be prepared now (on SQLite the transaction holds the writer's only
// connection): it runs unprepared and is prepared when the transaction ends.
func (tx *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	st, ok := tx.db.writeStmts.lookup(q)
	if ok {
		return tx.tx.StmtContext(ctx, st)
	}
	if tx.db.writeStmts.wants(q) {
		if tx.unprepared == nil {
			tx.unprepared = map[string]struct{}{}
		}
		tx.unprepared[q] = struct{}{}
	}
	return nil
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q, args = tx.db.dialect.rebind(q, args)
	if st := tx.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.tx.ExecContext(ctx, q, args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q, args = tx.db.dialect.rebind(q, args)
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.tx.QueryContext(ctx, q, args...)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q, args = tx.db.dialect.rebind(q, args)
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.tx.QueryRowContext(ctx, q, args...)
}

// insert runs an INSERT ... RETURNING id and returns the id.
func (tx *Tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q, args = db.dialect.rebind(q, args)
	if db.explain != nil {
		db.explain(q, args)
	}
	if st := db.readStmts.get(q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.read.QueryContext(ctx, q, args...)
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q, args = db.dialect.rebind(q, args)
	if db.explain != nil {
		db.explain(q, args)
	}
	if st := db.readStmts.get(q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.read.QueryRowContext(ctx, q, args...)
}

// exec runs one write statement in its own transaction.
func (db *DB) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q, args = db.dialect.rebind(q, args)
	if st := db.writeStmts.get(q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return db.write.ExecContext(ctx, q, args...)
}

// prefixColumns qualifies each column of a comma-separated list with a table alias.
func prefixColumns(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface{ Scan(dest ...any) error }

// nullTime turns a nullable column into a pointer.
func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

// timeArg turns an optional time into a query argument.
func timeArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// Optimize refreshes the query planner's statistics, which pick the right index among several:
// on SQLite an ANALYZE sampling at most 1,000 rows per index (milliseconds, run hourly by
// serve), then the events' indexes in full (tens of milliseconds at 10,000 events: once a
// thousand events are online only, the first 1,000 entries of events_by_departement are all
// theirs, and make every département look as big as all of them together), on PostgreSQL
// ANALYZE (autovacuum also does it).
func (db *DB) Optimize(ctx context.Context) error {
	if db.dialect.name() == "postgres" {
		_, err := db.write.ExecContext(ctx, "ANALYZE")
		return err
	}
	if _, err := db.write.ExecContext(ctx, "PRAGMA analysis_limit=1000; ANALYZE; PRAGMA analysis_limit=0; ANALYZE events"); err != nil {
		return err
	}
	// An SQLite connection reads the statistics with the schema, once: the readers open now
	// would plan with the old ones (or none) for as long as they live. Close the idle ones; the
	// others are closed within readerLifetime.
	db.read.SetMaxIdleConns(0)
	db.read.SetMaxIdleConns(maxReaders)
	return nil
}

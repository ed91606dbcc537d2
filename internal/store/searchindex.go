package store

import (
	"context"
	"fmt"
	"sync"

	"ouvert/internal/textsearch"
)

// Search and the similar-contributions lookup rank contributions with an index each instance
// keeps in memory (textsearch.Index): asking the database for candidates and ranking them cost
// milliseconds at 100,000 contributions, the index tens of microseconds, and it ranks every match
// rather than the first 200. It is the same on SQLite and PostgreSQL.
//
// The database stays the truth. Before each search the instance asks what changed since it last
// looked (migration 0012 numbers each change in contributions.search_version) and applies it, so
// a contribution is found as soon as it is published, hidden ones vanish at once, and changes
// made by other instances, imports or SQL typed by hand are seen too. With nothing changed that
// costs one small indexed query. The first search of a process reads all of its published
// contributions: about a second at 100,000 on this machine (see docs/benchmarks.md for the
// figures and the memory it takes).

type searchIndexes struct {
	mu sync.Mutex
	m  map[int64]*processIndex
}

// processIndex is the index of one process' published contributions.
type processIndex struct {
	refresh sync.Mutex   // one refresh at a time
	mu      sync.RWMutex // searches read the index, a refresh changes it
	idx     *textsearch.Index
	// seen is where the next refresh starts: changes numbered above it may not be in idx yet.
	seen int64
}

// processIndex returns the index of a process, brought up to date.
func (db *DB) processIndex(ctx context.Context, processID int64) (*processIndex, error) {
	db.search.mu.Lock()
	if db.search.m == nil {
		db.search.m = map[int64]*processIndex{}
	}
	pi := db.search.m[processID]
	if pi == nil {
		pi = &processIndex{}
		db.search.m[processID] = pi
	}
	db.search.mu.Unlock()

	pi.refresh.Lock()
	defer pi.refresh.Unlock()
	if err := db.refreshIndex(ctx, processID, pi); err != nil {
		return nil, fmt.Errorf("store: search index: %w", err)
	}
	return pi, nil
}

// PrepareSearch builds the search index of every process, which the first search of each would
// otherwise wait for, and returns how many contributions they hold.
func (db *DB) PrepareSearch(ctx context.Context) (int, error) {
	ids, err := db.int64s(ctx, `SELECT id FROM processes ORDER BY id DESC`)
	if err != nil {
		return 0, fmt.Errorf("store: search index: %w", err)
	}
	n := 0
	for _, id := range ids {
		pi, err := db.processIndex(ctx, id)
		if err != nil {
			return n, err
		}
		pi.mu.RLock()
		n += pi.idx.Len()
		pi.mu.RUnlock()
	}
	return n, nil
}

// refreshIndex applies to pi the changes numbered above pi.seen, or reads the whole process the
// first time, and moves pi.seen to the mark read in the same statement (one snapshot):
//
//   - on SQLite the mark is the last change number (of any process), and nothing has changed
//     since the last refresh when it has not moved;
//   - on PostgreSQL, where the numbers are transaction ids and transactions commit in any order,
//     it is just below the oldest transaction still running: every change not in this snapshot
//     is above it. Changes above it already read are read again next time, which Set makes
//     harmless (it keeps the newest version).
func (db *DB) refreshIndex(ctx context.Context, processID int64, pi *processIndex) error {
	mark := `(SELECT version FROM search_clock)`
	if db.dialect.name() == "postgres" {
		mark = `pg_snapshot_xmin(pg_current_snapshot())::text::bigint - 1`
	}
	cond, args := `c.search_version > ?`, []any{pi.seen, processID}
	// SQLite is told which index to take: the hourly sampled ANALYZE (Optimize) makes a process
	// look like a thousand rows, and the planner then read all of them by process_id (150 ms at
	// 100,000 contributions) rather than the few changed since the mark.
	hint := ""
	if db.dialect.name() == "sqlite" {
		hint = ` INDEXED BY contributions_search_version`
	}
	if pi.idx == nil {
		cond, args, hint = `c.status = 'published'`, args[1:], ""
	}
	type change struct {
		id, version int64
		search      string
		published   bool
	}
	var changes []change
	var seen int64
	err := db.each(ctx, func(s scanner) error {
		var c change
		err := s.Scan(&seen, &c.id, &c.version, &c.search, &c.published)
		if c.id != 0 {
			changes = append(changes, c)
		}
		return err
	}, `SELECT `+mark+`, COALESCE(c.id, 0), COALESCE(c.search_version, 0), COALESCE(c.search, ''), COALESCE(c.status = 'published', FALSE)
		FROM processes p LEFT JOIN contributions c`+hint+` ON c.process_id = p.id AND `+cond+` WHERE p.id = ? ORDER BY c.id`, args...)
	if err != nil {
		return err
	}
	if pi.idx == nil || len(changes) > 0 {
		pi.mu.Lock()
		if pi.idx == nil {
			pi.idx = textsearch.NewIndex()
		}
		for _, c := range changes {
			if c.published {
				pi.idx.Set(c.id, c.version, c.search)
			} else if v, ok := pi.idx.Version(c.id); ok && v < c.version {
				pi.idx.Remove(c.id)
			}
		}
		pi.mu.Unlock()
	}
	pi.seen = seen
	return nil
}

// searchIndex runs search on the index of a process, brought up to date.
func (db *DB) searchIndex(ctx context.Context, processID int64, search func(*textsearch.Index)) error {
	pi, err := db.processIndex(ctx, processID)
	if err != nil {
		return err
	}
	pi.mu.RLock()
	defer pi.mu.RUnlock()
	search(pi.idx)
	return nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"ouvert/internal/ouvert"
)

// The list of events, its map and its calendar feed start from the same figures about the events
// a filter selects, whatever their département: how many there are in each département, when the
// first of them starts, and when the first of them ends. Counting them takes milliseconds at
// 10,000 events, and they seldom change, so the store keeps them in memory, per filter, and counts
// again only when they may have changed:
//
//   - when an event is written: migration 0006's triggers move processes.events_version whenever
//     an event is added, deleted or changed (its registration counters aside), or its axes are,
//     on whichever instance (or by hand, in SQL) the change is made. Each use reads that version:
//     one small query.
//   - when time passes: figures about the events not over at a time T hold at a later time until
//     the first of those events ends. Nothing else that time does changes them.
//
// A filter with an end date (EventFilter.To) is counted each time: nothing uses it on a hot path.

// eventStats are the figures about the events a filter selects, its département aside.
type eventStats struct {
	stamp      uint64         // unique to this counting: what is drawn from the figures can be kept by it
	version    int64          // processes.events_version when they were counted
	from       time.Time      // the filter's From
	firstEnd   time.Time      // when the first counted event ends (zero when none, or From is zero)
	firstStart time.Time      // when the first counted event starts (zero when none)
	counts     map[string]int // per département; events without one (online only) are in total alone
	total      int
}

// holds reports whether the figures still hold for the same filter with From from, at version.
func (s *eventStats) holds(version int64, from time.Time) bool {
	if s.version != version {
		return false
	}
	if from.IsZero() || s.from.IsZero() {
		return from.Equal(s.from)
	}
	return !from.Before(s.from) && (s.firstEnd.IsZero() || !from.After(s.firstEnd))
}

// count returns how many events match in a département, or in all when dep is "".
func (s *eventStats) count(dep string) int {
	if dep == "" {
		return s.total
	}
	return s.counts[dep]
}

// eventStatsKey is a filter without its département, page and dates: what the figures depend on
// besides the version and From.
type eventStatsKey struct {
	processID int64
	kind      ouvert.EventKind
	region    string
	axisID    int64
	online    bool
	status    string
	upcoming  bool // From is set
}

// maxEventStats bounds the cache: a few hundred filters (kinds × axes × online × past) at most
// in practice; past it, the cache starts again empty.
const maxEventStats = 512

type eventStatsCache struct {
	mu     sync.Mutex
	m      map[eventStatsKey]*eventStats
	stamps uint64 // the last stamp given
}

// EventsStamp returns the stamp of the figures about the events f selects (see EventList.Stamp),
// 0 when they are not kept: what is drawn from the events f selects may be kept by it, since a
// change to any of them, or the end of one, changes it.
func (db *DB) EventsStamp(ctx context.Context, f EventFilter) (uint64, error) {
	s, err := db.eventStats(ctx, f)
	if err != nil {
		return 0, err
	}
	return s.stamp, nil
}

// eventStats returns the figures about the events f selects, whatever its département.
func (db *DB) eventStats(ctx context.Context, f EventFilter) (*eventStats, error) {
	f.Departement = ""
	if !f.To.IsZero() {
		return db.countEvents(ctx, f, 0)
	}
	var version int64
	err := db.queryRow(ctx, `SELECT events_version FROM processes WHERE id = ?`, f.ProcessID).Scan(&version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: events version: %w", err)
	}
	key := eventStatsKey{processID: f.ProcessID, kind: f.Kind, region: f.Region, axisID: f.AxisID, online: f.Online,
		status: f.status(), upcoming: !f.From.IsZero()}
	c := &db.eventStatsCache
	c.mu.Lock()
	s := c.m[key]
	c.mu.Unlock()
	if s != nil && s.holds(version, f.From) {
		return s, nil
	}
	// Counted after the version was read: a write in between is counted, and moves the version,
	// so the next use counts again.
	if s, err = db.countEvents(ctx, f, version); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxEventStats {
		c.m = map[eventStatsKey]*eventStats{}
	}
	c.stamps++
	s.stamp = c.stamps
	c.m[key] = s
	c.mu.Unlock()
	return s, nil
}

// countEvents counts the events f selects per département, in one pass over events_upcoming
// (events_by_departement or events_list when From is not set).
func (db *DB) countEvents(ctx context.Context, f EventFilter, version int64) (*eventStats, error) {
	where, args := f.where()
	s := &eventStats{version: version, from: f.From, counts: map[string]int{}}
	err := db.each(ctx, func(sc scanner) error {
		var dep string
		var n int
		var start, end anyTime
		if err := sc.Scan(&dep, &n, &start, &end); err != nil {
			return err
		}
		if dep != "" {
			s.counts[dep] = n
		}
		s.total += n
		if s.firstStart.IsZero() || start.Before(s.firstStart) {
			s.firstStart = start.Time
		}
		if s.firstEnd.IsZero() || end.Before(s.firstEnd) {
			s.firstEnd = end.Time
		}
		return nil
	}, `SELECT e.departement, COUNT(*), MIN(e.starts_at), MIN(e.ends_at) FROM events e WHERE `+where+` GROUP BY e.departement`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: count events: %w", err)
	}
	if f.From.IsZero() {
		s.firstEnd = time.Time{}
	}
	return s, nil
}

// anyTime scans a time that PostgreSQL returns as a time and SQLite as text: the driver converts
// a column declared TIMESTAMP, not an aggregate of one.
type anyTime struct{ time.Time }

// sqliteTimeLayout is how the SQLite driver writes times (_time_format=sqlite).
const sqliteTimeLayout = "2006-01-02 15:04:05.999999999-07:00"

func (t *anyTime) Scan(v any) error {
	var err error
	switch x := v.(type) {
	case nil:
		t.Time = time.Time{}
	case time.Time:
		t.Time = x.UTC()
	case string:
		t.Time, err = time.Parse(sqliteTimeLayout, x)
	case []byte:
		t.Time, err = time.Parse(sqliteTimeLayout, string(x))
	default:
		err = fmt.Errorf("store: cannot scan %T as a time", v)
	}
	t.Time = t.Time.UTC()
	return err
}

package store

import (
	"context"
	"time"
)

// Dashboard holds the participation figures of a process, for the public dashboard.
type Dashboard struct {
	At time.Time
	// Days counts, per day (UTC, "2006-01-02") on which something happened, the contributions,
	// votes and arguments first written that day.
	Days map[string]*DayCounts
	// Participants counts the people who proposed, voted or argued, by public category.
	Participants map[string]int
	// Origins counts published contributions by origin; those produced at an event by its kind.
	Origins map[string]int
	// Departements counts, per département, published events, their registrations and the
	// contributions they produced.
	Departements map[string]*DepartementCounts
}

// DayCounts are a day's new contributions, votes and arguments.
type DayCounts struct {
	Contributions, Votes, Arguments int
}

// DepartementCounts are the figures of a département.
type DepartementCounts struct {
	Events, Registrations, Contributions int
}

// DashboardStats computes the dashboard of a process. It reads every contribution, vote and
// argument of the process: the web server keeps the result for some minutes rather than
// computing it on each view.
func (db *DB) DashboardStats(ctx context.Context, processID int64) (*Dashboard, error) {
	d := &Dashboard{At: db.Now(), Days: map[string]*DayCounts{}, Participants: map[string]int{}, Origins: map[string]int{},
		Departements: map[string]*DepartementCounts{}}
	day := func(col string) string {
		if db.dialect.name() == "postgres" {
			return `to_char(` + col + ` AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
		}
		return `substr(` + col + `, 1, 10)`
	}
	perDay := []struct {
		q   string
		add func(*DayCounts, int)
	}{
		{`SELECT ` + day("c.created_at") + `, COUNT(*) FROM contributions c WHERE c.process_id = ? AND c.status = 'published' GROUP BY 1`,
			func(d *DayCounts, n int) { d.Contributions += n }},
		{`SELECT ` + day("v.created_at") + `, COUNT(*) FROM votes v JOIN contributions c ON c.id = v.contribution_id WHERE c.process_id = ? GROUP BY 1`,
			func(d *DayCounts, n int) { d.Votes += n }},
		{`SELECT ` + day("a.created_at") + `, COUNT(*) FROM arguments a JOIN contributions c ON c.id = a.contribution_id
			WHERE c.process_id = ? AND a.status = 'published' GROUP BY 1`, func(d *DayCounts, n int) { d.Arguments += n }},
	}
	for _, pd := range perDay {
		err := db.each(ctx, func(s scanner) error {
			var k string
			var n int
			if err := s.Scan(&k, &n); err != nil {
				return err
			}
			if d.Days[k] == nil {
				d.Days[k] = &DayCounts{}
			}
			pd.add(d.Days[k], n)
			return nil
		}, pd.q, processID)
		if err != nil {
			return nil, err
		}
	}
	counts := func(m map[string]int, q string, args ...any) error {
		return db.each(ctx, func(s scanner) error {
			var k string
			var n int
			err := s.Scan(&k, &n)
			m[k] += n
			return err
		}, q, args...)
	}
	if err := counts(d.Participants, `SELECT u.category, COUNT(*) FROM users u WHERE u.id IN (
		SELECT c.author_id FROM contributions c WHERE c.process_id = ? AND c.author_id IS NOT NULL
		UNION SELECT v.user_id FROM votes v JOIN contributions c ON c.id = v.contribution_id WHERE c.process_id = ?
		UNION SELECT a.author_id FROM arguments a JOIN contributions c ON c.id = a.contribution_id WHERE c.process_id = ? AND a.author_id IS NOT NULL)
		GROUP BY u.category`, processID, processID, processID); err != nil {
		return nil, err
	}
	if err := counts(d.Origins, `SELECT CASE WHEN c.origin = 'event' THEN COALESCE(e.kind, 'event') ELSE c.origin END, COUNT(*)
		FROM contributions c LEFT JOIN events e ON e.id = c.origin_event_id WHERE c.process_id = ? AND c.status = 'published'
		GROUP BY CASE WHEN c.origin = 'event' THEN COALESCE(e.kind, 'event') ELSE c.origin END`, processID); err != nil {
		return nil, err
	}
	dep := func(code string) *DepartementCounts {
		if d.Departements[code] == nil {
			d.Departements[code] = &DepartementCounts{}
		}
		return d.Departements[code]
	}
	err := db.each(ctx, func(s scanner) error {
		var code string
		var events, registered int
		err := s.Scan(&code, &events, &registered)
		dep(code).Events, dep(code).Registrations = events, registered
		return err
	}, `SELECT departement, COUNT(*), COALESCE(SUM(registered), 0) FROM events
		WHERE process_id = ? AND status = 'published' AND departement <> '' GROUP BY departement`, processID)
	if err != nil {
		return nil, err
	}
	err = db.each(ctx, func(s scanner) error {
		var code string
		var n int
		err := s.Scan(&code, &n)
		dep(code).Contributions = n
		return err
	}, `SELECT e.departement, COUNT(*) FROM contributions c JOIN events e ON e.id = c.origin_event_id
		WHERE c.process_id = ? AND c.status = 'published' AND e.departement <> '' GROUP BY e.departement`, processID)
	if err != nil {
		return nil, err
	}
	return d, nil
}

package store

import (
	"testing"
	"time"
)

// parseSQLiteTime must read what modernc's driver reads, as the same instant.
func TestParseSQLiteTime(t *testing.T) {
	paris := time.FixedZone("Paris", 3600)
	for _, tm := range []time.Time{
		time.Date(2026, 11, 27, 21, 24, 39, 123456000, time.UTC),
		time.Date(2026, 11, 27, 21, 24, 39, 0, time.UTC),
		time.Date(2026, 11, 27, 21, 24, 39, 999999999, paris),
		time.Date(2024, 2, 29, 0, 0, 0, 1, time.FixedZone("x", -(9*3600+30*60))),
		time.Date(1999, 12, 31, 23, 59, 59, 500000000, time.FixedZone("y", 14*3600)),
	} {
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00",
			"2006-01-02 15:04:05.999999999 -0700 MST", "2006-01-02 15:04:05.000000000-07:00"} {
			s := tm.Format(layout)
			want, werr := time.Parse(layout, s) // as the driver reads it
			got, err := parseSQLiteTime(s)
			if werr != nil {
				continue // a zone abbreviation time.Parse does not know
			}
			if err != nil || !got.Equal(want) || !got.Equal(tm) || got.Location() != time.UTC {
				t.Errorf("%q: got %v, %v; want %v", s, got, err, tm)
			}
		}
	}
	now := time.Now() // String with a monotonic clock reading
	if got, err := parseSQLiteTime(now.String()); err != nil || !got.Equal(now) {
		t.Errorf("%q: got %v, %v", now.String(), got, err)
	}
	for s, want := range map[string]time.Time{
		"2026-11-27 21:24:39":         time.Date(2026, 11, 27, 21, 24, 39, 0, time.UTC),
		"2026-11-27T21:24:39.5Z":      time.Date(2026, 11, 27, 21, 24, 39, 500000000, time.UTC),
		"2026-11-27 21:24":            time.Date(2026, 11, 27, 21, 24, 0, 0, time.UTC),
		"2026-11-27":                  time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		"2026-11-27 21:24:39+00:00":   time.Date(2026, 11, 27, 21, 24, 39, 0, time.UTC),
		"2026-11-27 21:24:39-01:30":   time.Date(2026, 11, 27, 22, 54, 39, 0, time.UTC),
		"2026-01-01 00:00:00.1+01:00": time.Date(2025, 12, 31, 23, 0, 0, 100000000, time.UTC),
	} {
		if got, err := parseSQLiteTime(s); err != nil || !got.Equal(want) {
			t.Errorf("%q: got %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "yesterday", "2026-02-30 00:00:00", "2026-13-01 00:00:00", "2026-11-27 24:00:00",
		"2026-11-27 21:24:39.1234567890+00:00", "2026-11-27 21:24:39+0000x"} {
		if got, err := parseSQLiteTime(s); err == nil {
			if _, perr := time.Parse("2006-01-02 15:04:05.999999999-07:00", s); perr != nil {
				t.Errorf("%q: read as %v, time.Parse refuses it: %v", s, got, perr)
			}
		}
	}
}

func TestDaysIn(t *testing.T) {
	for year := 1896; year <= 2404; year++ {
		for m := 1; m <= 12; m++ {
			if got, want := daysIn(m, year), time.Date(year, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day(); got != want {
				t.Fatalf("%d-%02d: %d days, want %d", year, m, got, want)
			}
		}
	}
}

package ouvert

import (
	"testing"
	"time"
)

// A process' time zone is loaded once and kept; an unknown one falls back to UTC.
func TestProcessLocation(t *testing.T) {
	p := &Process{TimeZone: "Europe/Paris"}
	loc := p.Location()
	if loc.String() != "Europe/Paris" {
		t.Fatalf("Location() = %v", loc)
	}
	if p.Location() != loc {
		t.Error("the zone was loaded again rather than kept")
	}
	// 1 July 2026 at noon UTC is 14:00 in Paris (summer time).
	if h := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC).In(loc).Hour(); h != 14 {
		t.Errorf("noon UTC is %d h in Paris, want 14", h)
	}
	for _, name := range []string{"Europe/Nowhere", "../../etc/passwd"} {
		if got := (&Process{TimeZone: name}).Location(); got != time.UTC {
			t.Errorf("Location(%q) = %v, want UTC", name, got)
		}
	}
	if _, kept := locations.Load("Europe/Nowhere"); kept {
		t.Error("an unknown zone was kept")
	}
}

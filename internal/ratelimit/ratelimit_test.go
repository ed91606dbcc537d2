package ratelimit

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	l := New(3, time.Minute)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		if ok, _ := l.Allow("ip", now); !ok {
			t.Fatalf("event %d refused within the burst", i+1)
		}
	}
	ok, wait := l.Allow("ip", now)
	if ok || wait != time.Minute {
		t.Fatalf("fourth event: ok=%v wait=%v, want refused for a minute", ok, wait)
	}
	if ok, _ := l.Allow("other", now); !ok {
		t.Fatal("another key was limited")
	}
	if ok, _ := l.Allow("ip", now.Add(time.Minute)); !ok {
		t.Fatal("no token after a minute")
	}
	if ok, _ := New(0, time.Minute).Allow("ip", now); !ok {
		t.Fatal("a zero limiter limited")
	}
}

// Package ratelimit limits how often one client may do one thing, with a token bucket per key
// kept in memory. Each instance keeps its own buckets: behind a load balancer of N instances a
// client gets at most N times the rate, which still stops scripted floods.
package ratelimit

import (
	"sync"
	"time"
)

// Limiter allows Burst events at once per key, refilled at one event per Every.
type Limiter struct {
	Burst int
	Every time.Duration

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// New returns a limiter of burst events refilled at one per every. A zero burst never limits.
func New(burst int, every time.Duration) *Limiter {
	return &Limiter{Burst: burst, Every: every, buckets: map[string]*bucket{}}
}

// Allow takes one token from key's bucket at now and reports whether there was one. When not,
// it also returns how long until the next token.
func (l *Limiter) Allow(key string, now time.Time) (bool, time.Duration) {
	if l == nil || l.Burst <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > 10*time.Minute {
		l.sweep(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(l.Burst), last: now}
		l.buckets[key] = b
	}
	b.tokens = min(float64(l.Burst), b.tokens+now.Sub(b.last).Seconds()/l.Every.Seconds())
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(l.Every))
}

// sweep forgets full buckets, so that memory follows the number of recent clients.
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()/l.Every.Seconds() >= float64(l.Burst) {
			delete(l.buckets, k)
		}
	}
	l.swept = now
}

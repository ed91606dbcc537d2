package web

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"time"
)

// pageCache keeps the pages anonymous visitors read for one second, so that a burst of readers of
// the same list costs one rendering a second: on a national launch day most readers are not
// signed in and read the same few pages. Signed-in people, forms, flashes, random orders and
// anything but a 200 are never cached; an entry is keyed by language and address.
type pageCache struct {
	mu      sync.Mutex
	entries map[string]*cachedPage
}

type cachedPage struct {
	at     time.Time
	header http.Header
	body   []byte
}

const (
	pageCacheTTL = time.Second
	pageCacheMax = 1000
)

func newPageCache() *pageCache { return &pageCache{entries: map[string]*cachedPage{}} }

// cacheable reports whether a request may be answered from the cache.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet || currentUser(r) != nil || strings.Contains(r.URL.RawQuery, "tri=random") {
		return false
	}
	if _, err := r.Cookie(flashCookie); err == nil {
		return false
	}
	if _, err := r.Cookie(sessionCookie); err == nil {
		return false
	}
	p := r.URL.Path
	return p == "/" || p == "/consultation" || strings.HasPrefix(p, "/contributions/") && !strings.HasSuffix(p, "/modifier") ||
		p == "/evenements" || strings.HasPrefix(p, "/evenements/") && !strings.Contains(p, "/inscriptions") && !strings.Contains(p, "/restitution")
}

type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header         { return w.header }
func (w *recorder) WriteHeader(status int)      { w.status = status }
func (w *recorder) Write(b []byte) (int, error) { return w.body.Write(b) }

func (c *pageCache) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cacheable(r) {
			next.ServeHTTP(w, r)
			return
		}
		key := currentLang(r) + " " + r.URL.RequestURI()
		c.mu.Lock()
		e, ok := c.entries[key]
		c.mu.Unlock()
		if ok && time.Since(e.at) < pageCacheTTL {
			for k, v := range e.header {
				w.Header()[k] = v
			}
			w.Header().Set("X-Cache", "hit")
			w.Write(e.body)
			return
		}
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status)
		w.Write(rec.body.Bytes())
		if rec.status != http.StatusOK || rec.header.Get("Set-Cookie") != "" {
			return
		}
		c.mu.Lock()
		if len(c.entries) >= pageCacheMax {
			now := time.Now()
			for k, old := range c.entries {
				if now.Sub(old.at) >= pageCacheTTL {
					delete(c.entries, k)
				}
			}
			if len(c.entries) >= pageCacheMax {
				c.entries = map[string]*cachedPage{}
			}
		}
		c.entries[key] = &cachedPage{at: time.Now(), header: rec.header.Clone(), body: bytes.Clone(rec.body.Bytes())}
		c.mu.Unlock()
	})
}

// clear drops every cached page.
func (c *pageCache) clear() {
	c.mu.Lock()
	c.entries = map[string]*cachedPage{}
	c.mu.Unlock()
}

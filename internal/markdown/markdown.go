// Package markdown turns Markdown typed by people into safe HTML: goldmark renders it, then
// bluemonday keeps only the elements and attributes of its user-content policy.
package markdown

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Renderer is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy

	mu    sync.Mutex
	cache map[string]template.HTML // Cached's renderings, by source
}

// cacheSize bounds Cached's memory: past it the cache starts again empty.
const cacheSize = 4096

// Cached is HTML for texts that many pages show again and again unchanged (a plan's commitments,
// a draft's paragraphs): each distinct text is rendered once while it stays in the cache.
func (r *Renderer) Cached(src string) template.HTML {
	r.mu.Lock()
	h, ok := r.cache[src]
	r.mu.Unlock()
	if ok {
		return h
	}
	h = r.HTML(src)
	r.mu.Lock()
	if r.cache == nil || len(r.cache) >= cacheSize {
		r.cache = make(map[string]template.HTML, cacheSize)
	}
	r.cache[src] = h
	r.mu.Unlock()
	return h
}

// New returns a renderer for GitHub-flavoured Markdown without raw HTML.
func New() *Renderer {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return &Renderer{
		md:     goldmark.New(goldmark.WithExtensions(extension.GFM)),
		policy: p,
	}
}

// HTML renders src to sanitised HTML.
func (r *Renderer) HTML(src string) template.HTML {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(r.policy.SanitizeBytes(buf.Bytes()))
}

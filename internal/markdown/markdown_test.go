package markdown

import (
	"strings"
	"testing"
)

func TestHTMLIsSanitised(t *testing.T) {
	r := New()
	for _, src := range []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`[clic](javascript:alert(1))`,
		`<a href="javascript:alert(1)">x</a>`,
		`<iframe src="https://exemple.fr"></iframe>`,
		"<svg onload=alert(1)>",
		`<div style="background:url(javascript:alert(1))">x</div>`,
	} {
		got := strings.ToLower(string(r.HTML(src)))
		for _, bad := range []string{"<script", "onerror", "javascript:", "<iframe", "onload", "style="} {
			if strings.Contains(got, bad) {
				t.Errorf("HTML(%q) = %q, contains %q", src, got, bad)
			}
		}
	}
	got := string(r.HTML("**Gras** et [lien](https://www.etalab.gouv.fr)"))
	if !strings.Contains(got, "<strong>Gras</strong>") || !strings.Contains(got, `href="https://www.etalab.gouv.fr"`) {
		t.Errorf("ordinary Markdown lost: %q", got)
	}
}

func TestCached(t *testing.T) {
	r := New()
	src := "Un **texte** <script>alert(1)</script>"
	first := r.Cached(src)
	if first != r.HTML(src) || r.Cached(src) != first {
		t.Fatalf("cached %q, rendered %q", first, r.HTML(src))
	}
	for i := range cacheSize + 10 {
		r.Cached(strings.Repeat("x", i+1))
	}
	if len(r.cache) > cacheSize {
		t.Fatalf("the cache holds %d renderings, over %d", len(r.cache), cacheSize)
	}
}

package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focusable is what the tests know of the links and buttons of a page.
type focusable struct {
	Index int    `json:"index"` // among the page's a[href] and button, in document order; -1 if neither
	Tag   string `json:"tag"`
	Href  string `json:"href"`
	ID    string `json:"id"`
	Class string `json:"class"`
	Text  string `json:"text"`
	// Visible is true when the element has a box inside the viewport's width, as a sighted
	// keyboard user needs to see where the focus is.
	Visible bool `json:"visible"`
}

func (f focusable) String() string {
	s := "<" + strings.ToLower(f.Tag)
	if f.ID != "" {
		s += " id=" + f.ID
	}
	if f.Href != "" {
		s += " href=" + f.Href
	}
	return s + fmt.Sprintf("> %q", f.Text)
}

// describeJS describes an element as a focusable; el is bound by the caller.
const describeJS = `{
	const all = Array.from(document.querySelectorAll('a[href], button'));
	const r = el.getBoundingClientRect();
	return {
		index: all.indexOf(el), tag: el.tagName, href: el.getAttribute('href') || '',
		id: el.id || '', class: el.className || '',
		text: (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60),
		visible: r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth,
	};
}`

// TestKeyboardReachesEverything tabs through the home page from the top, as a person without
// a mouse does: the first stop is the skip link, every link and button is reached, and the
// skip link takes the focus to the main content.
func TestKeyboardReachesEverything(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	b := newTab(t, a, frenchBrowser)
	b.open("/")

	all := eval[[]focusable](b, `Array.from(document.querySelectorAll('a[href], button')).map(el => `+describeJS+`)`)
	if len(all) < 10 {
		t.Fatalf("the home page has %d links and buttons; the test expects the demo's full page", len(all))
	}
	active := func() focusable {
		t.Helper()
		return eval[focusable](b, `(el => `+describeJS+`)(document.activeElement)`)
	}
	pressTab := func() focusable {
		t.Helper()
		b.do("press Tab", chromedp.KeyEvent(kb.Tab))
		return active()
	}

	first := pressTab()
	if first.Index != 0 || !strings.Contains(first.Class, "skip") {
		t.Errorf("the first Tab focuses %v; want the skip link %v", first, all[0])
	}
	if !first.Visible {
		t.Errorf("the skip link is focused but not shown on screen: %v", first)
	}

	// Tab on until the focus comes back to the skip link (or leaves the page and returns).
	reached := map[int]bool{first.Index: true}
	var order []string
	for range len(all) + 10 {
		f := pressTab()
		if f.Index == first.Index {
			break
		}
		order = append(order, f.String())
		if f.Index < 0 {
			continue // the page itself, between the last stop and the first
		}
		reached[f.Index] = true
		if !f.Visible {
			t.Errorf("Tab focuses %v, which is not on screen", f)
		}
	}
	for i, f := range all {
		if !reached[i] {
			t.Errorf("Tab never reaches %v", f)
		}
	}
	if t.Failed() {
		t.Logf("the focus went through:\n  %s", strings.Join(order, "\n  "))
	}

	// From the top again: the skip link, activated with Enter, takes the focus to the content.
	b.open("/")
	if f := pressTab(); f.Index != 0 {
		t.Fatalf("the first Tab focuses %v; want the skip link", f)
	}
	b.do("press Enter on the skip link", chromedp.KeyEvent(kb.Enter))
	if !b.waitFor(`document.activeElement && document.activeElement.matches('main#contenu')`) {
		t.Fatalf("after Enter on the skip link, the focus is on %v; want main#contenu", active())
	}
	if hash := eval[string](b, "location.hash"); hash != "#contenu" {
		t.Errorf("after Enter on the skip link the address ends with %q; want #contenu", hash)
	}
	// The next Tab goes to the first link of the content, past the header.
	next := pressTab()
	inMain := eval[bool](b, `document.querySelector('main').contains(document.activeElement)`)
	if !inMain {
		t.Errorf("after the skip link, Tab focuses %v, outside the main content", next)
	}
}

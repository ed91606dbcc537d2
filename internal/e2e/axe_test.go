package e2e

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, Deque's accessibility engine (MPL-2.0): see testdata/README.md.
//
//go:embed testdata/axe.min.js
var axeSource string

// axeTags are the rules the site must pass: WCAG 2.0 and 2.1, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axeRule is one rule of axe's results and the elements it found.
type axeRule struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

type axeNode struct {
	Target  json.RawMessage `json:"target"` // CSS selectors; nested arrays across frames
	HTML    string          `json:"html"`
	Summary string          `json:"failureSummary"`
}

type axeResults struct {
	Violations []axeRule `json:"violations"`
	Incomplete []axeRule `json:"incomplete"`
}

// axeRunJS runs axe on the page and keeps what a report needs.
var axeRunJS = func() string {
	tags, _ := json.Marshal(axeTags)
	return `axe.run(document, {runOnly: {type: 'tag', values: ` + string(tags) + `}, resultTypes: ['violations', 'incomplete']})
	.then(r => {
		const rules = list => list.map(v => ({
			id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary || ''})),
		}));
		return {violations: rules(r.violations), incomplete: rules(r.incomplete)};
	})`
}()

// checkAccessibility runs axe-core on the page shown and fails the test with every violation of
// WCAG 2.1 A and AA that it finds. What axe could not decide is logged, not failed.
func (b *tab) checkAccessibility() {
	b.t.Helper()
	if !eval[bool](b, "typeof axe !== 'undefined'") {
		// The tab bypasses the page's Content-Security-Policy (see newTab): axe may run.
		run(b, "inject axe-core", chromedp.Evaluate[chromedp.Void](axeSource))
	}
	res := run(b, "run axe-core", chromedp.Evaluate[axeResults](axeRunJS, chromedp.EvalAwaitPromise))
	where := b.location()
	if len(res.Violations) > 0 {
		b.t.Errorf("%s (lang=%s): %d accessibility violation(s):\n%s", where, b.lang(), len(res.Violations), formatRules(res.Violations))
	}
	if len(res.Incomplete) > 0 {
		b.t.Logf("%s: axe could not decide %d rule(s), check by hand:\n%s", where, len(res.Incomplete), formatRules(res.Incomplete))
	}
}

func formatRules(rules []axeRule) string {
	var s strings.Builder
	for _, r := range rules {
		fmt.Fprintf(&s, "  %s (%s): %s\n    %s\n", r.ID, r.Impact, r.Help, r.HelpURL)
		for _, n := range r.Nodes {
			fmt.Fprintf(&s, "    - %s\n      %s\n", n.Target, n.HTML)
			if n.Summary != "" {
				fmt.Fprintf(&s, "      %s\n", strings.ReplaceAll(n.Summary, "\n", "\n      "))
			}
		}
	}
	return s.String()
}

// a11yPage brings a tab to one page, in the state a person sees it in, and checks that it got
// there.
type a11yPage struct {
	name  string
	visit func(b *tab)
}

// openPage visits a path that must answer status.
func openPage(path string, status int) func(b *tab) {
	return func(b *tab) {
		b.t.Helper()
		if got := b.open(path); got != int64(status) {
			b.t.Fatalf("%s answered %d; want %d", path, got, status)
		}
	}
}

// The pages anyone can reach, in every state the tests can put them in.
var publicPages = []a11yPage{
	{"home", openPage("/", http.StatusOK)},
	{"participate", openPage("/comment-participer", http.StatusOK)},
	{"signup", openPage("/inscription", http.StatusOK)},
	{"signup refused", func(b *tab) {
		b.open("/inscription")
		if status := b.click("main form button[type=submit]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("an empty sign-up form answered %d; want 422", status)
		}
		b.text(".error-summary")
	}},
	{"signup sent", func(b *tab) {
		b.open("/inscription")
		b.typeInto("#email", "alan.turing@example.org")
		b.typeInto("#password", "cheval batterie agrafe 2017")
		b.typeInto("#display_name", "Alan")
		b.do("tick the box", chromedp.Click(chromedp.CSS("#accept")))
		if status := b.click("main form button[type=submit]"); status != http.StatusOK {
			b.t.Fatalf("sign-up answered %d; want 200", status)
		}
	}},
	{"invalid confirmation link", openPage("/confirmer?jeton=perime", http.StatusNotFound)},
	{"login", openPage("/connexion", http.StatusOK)},
	{"login failed", func(b *tab) {
		b.open("/connexion")
		b.typeInto("#email", "personne@example.org")
		b.typeInto("#password", "pas le bon mot de passe")
		if status := b.click("main form button[type=submit]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("a failed log-in answered %d; want 422", status)
		}
		b.text(".error-summary")
	}},
	{"forgotten password", openPage("/mot-de-passe-oublie", http.StatusOK)},
	{"forgotten password sent", func(b *tab) {
		b.open("/mot-de-passe-oublie")
		b.typeInto("#email", "personne@example.org")
		if status := b.click("main form button[type=submit]"); status != http.StatusOK {
			b.t.Fatalf("the forgotten-password form answered %d; want 200", status)
		}
	}},
	{"contact", openPage("/contact", http.StatusOK)},
	{"contact refused", func(b *tab) {
		b.open("/contact")
		if status := b.click("main form button[type=submit]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("an empty contact form answered %d; want 422", status)
		}
		b.text(".error-summary")
	}},
	{"legal notice", openPage("/pages/legal-notice", http.StatusOK)},
	{"personal data", openPage("/pages/personal-data", http.StatusOK)},
	{"accessibility statement", openPage("/pages/accessibility", http.StatusOK)},
	{"not found", openPage("/pas-de-page-ici", http.StatusNotFound)},
}

// englishPages are checked in English too: each template at least once, and every state
// that shows an error.
var englishPages = []string{"home", "participate", "signup refused", "login failed", "forgotten password", "contact", "accessibility statement", "not found"}

var participantPages = []a11yPage{
	{"profile", openPage("/profil", http.StatusOK)},
	{"delete account", openPage("/profil/supprimer", http.StatusOK)},
	{"delete account refused", func(b *tab) {
		b.open("/profil/supprimer")
		b.typeInto("#password", "pas le bon mot de passe")
		if status := b.click("main form button[type=submit]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("a wrong password answered %d; want 422", status)
		}
		b.text(".error-summary")
	}},
}

var organiserPages = []a11yPage{
	{"accounts", openPage("/admin/comptes", http.StatusOK)},
	{"edit a page", openPage("/pages/legal-notice/modifier", http.StatusOK)},
}

// TestAccessibility runs axe-core on every page a person can reach: anonymous, signed in, and
// as an organiser; in French, and the main ones in English.
func TestAccessibility(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	check := func(t *testing.T, b *tab, lang string, pages []a11yPage) {
		for _, p := range pages {
			t.Run(p.name, func(t *testing.T) {
				b := b.as(t)
				p.visit(b)
				wantLanguage(b, lang)
				b.checkAccessibility()
			})
		}
	}

	t.Run("fr", func(t *testing.T) {
		t.Parallel()
		check(t, newTab(t, a, frenchBrowser), "fr", publicPages)
	})
	t.Run("en", func(t *testing.T) {
		t.Parallel()
		var pages []a11yPage
		for _, p := range publicPages {
			for _, name := range englishPages {
				if p.name == name {
					pages = append(pages, p)
				}
			}
		}
		if len(pages) != len(englishPages) {
			t.Fatalf("englishPages names a page that publicPages lacks")
		}
		check(t, newTab(t, a, englishBrowser), "en", pages)
	})
	t.Run("participant", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, a, frenchBrowser)
		b.logIn(a.Participant)
		check(t, b, "fr", participantPages)
	})
	t.Run("organiser", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, a, frenchBrowser)
		b.logIn(a.Organiser)
		check(t, b, "fr", organiserPages)
	})
}

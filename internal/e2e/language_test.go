package e2e

import (
	"testing"
)

// TestSwitchLanguage presses the language button: the site turns English, stays English from
// page to page, and turns French again.
func TestSwitchLanguage(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	b := newTab(t, a, frenchBrowser)

	b.open("/")
	wantLanguage(b, "fr")
	b.wantText("#quand-participer", "Quand participer ?")

	b.wantText(".lang-switch button", "English")
	b.click(".lang-switch button")
	b.wantPath("/")
	wantLanguage(b, "en")
	b.wantText("#quand-participer", "When to take part")
	b.wantText(".lang-switch button", "Français")

	// Another page, reached by a link: the choice holds.
	b.click(`header a[href="/connexion"]`)
	wantLanguage(b, "en")
	b.wantText("h1", "Log in")

	// And back to French, on the same page.
	b.click(".lang-switch button")
	b.wantPath("/connexion")
	wantLanguage(b, "fr")
	b.wantText("h1", "Se connecter")
	b.open("/")
	wantLanguage(b, "fr")
	b.wantText("#quand-participer", "Quand participer ?")
}

// TestFirstVisitLanguage opens the home page in browsers set to different languages, each a
// first visit (no cookie yet).
func TestFirstVisitLanguage(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	for _, tc := range []struct {
		acceptLanguage, lang, when string
	}{
		{englishBrowser, "en", "When to take part"},
		{"fr-FR", "fr", "Quand participer ?"},
		{"fr-CA,en;q=0.8", "fr", "Quand participer ?"},
		{"en-US,fr;q=0.5", "en", "When to take part"},
		// A language the site does not speak: its default, French.
		{"de-DE,de;q=0.9", "fr", "Quand participer ?"},
	} {
		t.Run(tc.acceptLanguage, func(t *testing.T) {
			b := newTab(t, a, tc.acceptLanguage)
			b.open("/")
			wantLanguage(b, tc.lang)
			b.wantText("#quand-participer", tc.when)
		})
	}
}

// wantLanguage fails the test unless the page says, on <html lang>, that it is in lang.
func wantLanguage(b *tab, lang string) {
	b.t.Helper()
	if got := b.lang(); got != lang {
		b.t.Errorf("%s is in %q (<html lang>); want %q", b.location(), got, lang)
	}
}

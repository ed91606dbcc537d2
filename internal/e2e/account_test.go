package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestSignUpConfirmLogInLogOut follows a newcomer: sign-up, the confirmation mail, the link in
// it, log-out, a mistyped password, and log-in.
func TestSignUpConfirmLogInLogOut(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	b := newTab(t, a, frenchBrowser)
	const (
		address  = "ada.lovelace@example.org"
		password = "cheval batterie agrafe 2017"
	)

	// Sign up.
	b.open("/inscription")
	b.typeInto("#email", address)
	b.typeInto("#password", password)
	b.typeInto("#display_name", "Ada")
	b.do("choose a category", chromedp.Click(chromedp.CSS(`label[for="category-association"]`)))
	b.do("tick the box", chromedp.Click(chromedp.CSS("#accept")))
	if status := b.click("main form button[type=submit]"); status != http.StatusOK {
		t.Errorf("sign-up answered %d; want 200", status)
	}
	b.wantText("h1", "Vérifiez votre messagerie")
	b.wantText("main", address)

	// The confirmation mail.
	m := a.waitForMail(t, address)
	if want := "Confirmez votre adresse – Ouvert"; m.Subject != want {
		t.Errorf("the confirmation mail's subject is %q; want %q", m.Subject, want)
	}
	if !strings.Contains(m.Body, "Bonjour Ada,") {
		t.Errorf("the confirmation mail does not greet Ada by name:\n%s", m.Body)
	}
	link := linkIn(t, m, a.URL+"/confirmer?jeton=")

	// The link signs the newcomer in, on their profile.
	b.openURL(link)
	b.wantPath("/profil")
	b.wantText(".flash[role=status]", "Votre adresse est confirmée")
	b.wantText("h1", "Mon compte")
	b.wantText("main", address)
	if !b.checked("#category-association") {
		t.Error("the profile does not show the category chosen at sign-up")
	}

	// Log out with the header's button.
	b.click(`header form[action="/deconnexion"] button`)
	b.wantPath("/")
	b.wantText(".flash[role=status]", "Vous êtes déconnecté·e.")
	if b.exists(`header a[href="/profil"]`) {
		t.Error("after logging out, the header still links to the profile")
	}
	b.wantText(`header a[href="/connexion"]`, "Se connecter")

	// A wrong password: the error summary, and the address still typed.
	b.click(`header a[href="/connexion"]`)
	b.typeInto("#email", address)
	b.typeInto("#password", "cheval batterie agrafe 2018")
	if status := b.click("main form button[type=submit]"); status != http.StatusUnprocessableEntity {
		t.Errorf("a wrong password answered %d; want 422", status)
	}
	b.wantText(".error-summary[role=alert]", "Adresse électronique ou mot de passe incorrect.")
	if got := b.value("#email"); got != address {
		t.Errorf("after a wrong password the email field holds %q; want %q", got, address)
	}
	if got := b.value("#password"); got != "" {
		t.Errorf("after a wrong password the password field still holds %q; want it empty", got)
	}

	// The right password, typed in the same form and sent with Enter.
	b.navigate("log in with Enter", chromedp.SendKeys(chromedp.CSS("#password"), password+kb.Enter))
	b.wantPath("/")
	b.wantText(`header a[href="/profil"]`, "Mon compte")
	b.click(`header a[href="/profil"]`)
	b.wantText("main", address)
}

// TestRefusedSignUpKeepsWhatWasTyped submits the sign-up form with a password too short: the
// form comes back with the error, and everything typed but the password.
func TestRefusedSignUpKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	b := newTab(t, a, frenchBrowser)
	const address = "grace.hopper@example.org"

	b.open("/inscription")
	b.typeInto("#email", address)
	b.typeInto("#display_name", "Grace")
	b.do("choose a category", chromedp.Click(chromedp.CSS(`label[for="category-research"]`)))
	b.do("tick the box", chromedp.Click(chromedp.CSS("#accept")))
	// Enter in the password field sends the form, as the keyboard user does.
	status := b.navigate("send the form with Enter", chromedp.SendKeys(chromedp.CSS("#password"), "court"+kb.Enter))
	if status != http.StatusUnprocessableEntity {
		t.Errorf("a refused sign-up answered %d; want 422", status)
	}

	b.wantPath("/inscription")
	b.wantText(".error-summary[role=alert]", "Le formulaire contient des erreurs")
	b.wantText(".error-summary", "Le mot de passe doit contenir au moins 12 caractères.")
	b.wantText("#password-error", "Le mot de passe doit contenir au moins 12 caractères.")
	if got := b.value("#email"); got != address {
		t.Errorf("the email field holds %q; want %q", got, address)
	}
	if got := b.value("#display_name"); got != "Grace" {
		t.Errorf("the display name field holds %q; want %q", got, "Grace")
	}
	if got := b.value("#password"); got != "" {
		t.Errorf("the password field holds %q; a refused form must not send a password back", got)
	}
	if v, _ := b.attr("#password", "aria-invalid"); v != "true" {
		t.Errorf(`the password field has aria-invalid=%q; want "true"`, v)
	}
	if v, ok := b.attr("#email", "aria-invalid"); ok {
		t.Errorf("the email field, which was right, has aria-invalid=%q", v)
	}
	if described, _ := b.attr("#password", "aria-describedby"); !strings.Contains(described, "password-error") {
		t.Errorf("the password field's aria-describedby is %q; want it to name password-error", described)
	}
	if !b.checked("#category-research") {
		t.Error("the category chosen is no longer ticked")
	}
	if !b.checked("#accept") {
		t.Error("the accept box is no longer ticked")
	}
}

// TestErrorSummaryFollowsTheForm sends forms empty: the error summary lists the problems in
// the order of the fields, top to bottom, and each of its links takes the focus to its field.
func TestErrorSummaryFollowsTheForm(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	b := newTab(t, a, frenchBrowser)
	for _, form := range []struct{ name, path string }{{"signup", "/inscription"}, {"contact", "/contact"}} {
		t.Run(form.name, func(t *testing.T) {
			b := b.as(t)
			b.open(form.path)
			if status := b.click("main form button[type=submit]"); status != http.StatusUnprocessableEntity {
				t.Fatalf("the empty form answered %d; want 422", status)
			}
			links := eval[[]string](b, `Array.from(document.querySelectorAll('.error-summary a')).map(a => a.getAttribute('href'))`)
			var fields []string
			for _, id := range eval[[]string](b, `Array.from(document.querySelectorAll('.field-error')).map(f =>
				f.matches('fieldset') ? f.id : f.querySelector('input, textarea, select').id)`) {
				fields = append(fields, "#"+id)
			}
			if strings.Join(links, " ") != strings.Join(fields, " ") {
				t.Errorf("the error summary links to %v; want the fields in error in the form's order, %v", links, fields)
			}
			for _, href := range links {
				b.do("follow "+href, chromedp.Click(chromedp.CSS(`.error-summary a[href="`+href+`"]`)))
				focused := eval[string](b, "'#' + document.activeElement.id")
				isGroup := eval[bool](b, `document.querySelector('`+href+`').matches('fieldset')`)
				if !isGroup && focused != href {
					t.Errorf("the summary's link to %s leaves the focus on %s", href, focused)
				}
			}
		})
	}
}

// TestLogInReturnsToThePageAsked opens a page that needs a log-in: the log-in form comes
// first, and then the page asked for, even after a wrong password.
func TestLogInReturnsToThePageAsked(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	b := newTab(t, a, frenchBrowser)

	b.open("/profil/supprimer")
	b.wantPath("/connexion")
	b.wantText("h1", "Se connecter")
	b.typeInto("#email", a.Participant.Email)
	b.typeInto("#password", "ce n'est pas le bon")
	b.click("main form button[type=submit]")
	b.wantText(".error-summary", "Adresse électronique ou mot de passe incorrect.")
	b.typeInto("#password", a.Participant.Password)
	b.click("main form button[type=submit]")
	b.wantPath("/profil/supprimer")
	b.wantText("h1", "Supprimer mon compte")
}

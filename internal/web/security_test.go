package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/web"
)

func TestCrossOriginPostsAreRefused(t *testing.T) {
	a := newApp(t)
	c := a.client()
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		req, _ := http.NewRequest("POST", a.srv.URL+"/inscription", strings.NewReader(signupForm("x@exemple.fr", goodPassword).Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		res := c.do(req)
		if res.Status != http.StatusForbidden {
			t.Errorf("cross-origin post with %v: status %d", h, res.Status)
		}
		contains(t, res, "autre site et a été refusée")
	}
}

func TestSecurityHeaders(t *testing.T) {
	a := newApp(t)
	res := a.client().get("/")
	for k, want := range map[string]string{
		"Content-Security-Policy": "default-src 'none'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "same-origin",
	} {
		if got := res.Header.Get(k); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src") || strings.Contains(res.Body, "<script") {
		t.Error("a page allows or holds script")
	}
}

func TestSessionCookie(t *testing.T) {
	a := newApp(t)
	a.user("a@exemple.fr", ouvert.RoleParticipant)
	res := a.client().post("/connexion", url.Values{"email": {"a@exemple.fr"}, "password": {goodPassword}})
	cookie := res.Header.Get("Set-Cookie")
	for _, want := range []string{"ouvert_session=", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("Secure cookie over plain http: %q", cookie)
	}
	b := newApp(t, func(c *web.Config) { c.BaseURL = "https://ouvert.exemple.fr" })
	b.user("a@exemple.fr", ouvert.RoleParticipant)
	res = b.client().post("/connexion", url.Values{"email": {"a@exemple.fr"}, "password": {goodPassword}})
	if !strings.Contains(res.Header.Get("Set-Cookie"), "Secure") {
		t.Errorf("no Secure cookie behind https: %q", res.Header.Get("Set-Cookie"))
	}
}

func TestNextCannotLeaveTheSite(t *testing.T) {
	a := newApp(t)
	a.user("a@exemple.fr", ouvert.RoleParticipant)
	for next, want := range map[string]string{
		"/profil":                "/profil",
		"https://evil.example/":  "/",
		"//evil.example/":        "/",
		`/\evil.example`:         "/",
		"javascript:alert(1)":    "/",
		"/%0d%0aSet-Cookie:x=y":  "/%0d%0aSet-Cookie:x=y",
		"http:/\\evil.example":   "/",
		"/profil?onglet=a#ancre": "/profil?onglet=a#ancre",
	} {
		res := a.client().post("/connexion", url.Values{"email": {"a@exemple.fr"}, "password": {goodPassword}, "next": {next}})
		if res.Location != want {
			t.Errorf("next=%q: redirected to %q, want %q", next, res.Location, want)
		}
	}
	res := a.client().post("/langue", url.Values{"lang": {"en"}, "next": {"//evil.example"}})
	if res.Location != "/" {
		t.Errorf("language switch redirected to %q", res.Location)
	}
}

// TestAuthorisation: every page and write that needs a role refuses everyone else.
func TestAuthorisation(t *testing.T) {
	a := newApp(t)
	anon := a.client()
	participant, _ := a.user("p@exemple.fr", ouvert.RoleParticipant)
	moderator, _ := a.user("m@exemple.fr", ouvert.RoleModerator)
	admin, _ := a.user("adm@exemple.fr", ouvert.RoleAdministration)
	organiser, target := a.user("o@exemple.fr", ouvert.RoleOrganiser)
	tests := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/admin/comptes", nil},
		{"POST", "/admin/comptes/1/role", url.Values{"role": {"organiser"}}},
		{"GET", "/pages/legal-notice/modifier", nil},
		{"POST", "/pages/legal-notice/modifier", url.Values{"title": {"Piraté"}, "body": {"Piraté"}}},
		{"GET", "/synthese", nil},
		{"POST", "/synthese/reponses", url.Values{"ids": {"1"}, "response": {"retained"}}},
		{"POST", "/contributions/1/reponse", url.Values{"response": {"retained"}}},
		{"GET", "/synthese/redaction?axe=0", nil},
		{"POST", "/synthese/redaction", url.Values{"axis": {"0"}, "title": {"Piraté"}, "draft": {"Piraté"}, "action": {"publish"}}},
	}
	for _, tt := range tests {
		for name, c := range map[string]*client{"participant": participant, "moderator": moderator, "administration": admin} {
			var res response
			if tt.method == "GET" {
				res = c.get(tt.path)
			} else {
				res = c.post(tt.path, tt.form)
			}
			if res.Status != http.StatusForbidden {
				t.Errorf("%s %s as %s: status %d, want 403", tt.method, tt.path, name, res.Status)
			}
		}
		var res response
		if tt.method == "GET" {
			res = anon.get(tt.path)
		} else {
			res = anon.post(tt.path, tt.form)
		}
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/connexion") {
			t.Errorf("%s %s anonymous: status %d to %q, want the log-in page", tt.method, tt.path, res.Status, res.Location)
		}
	}
	if p, _ := a.db.UserByEmail(t.Context(), "p@exemple.fr"); p.Role != ouvert.RoleParticipant {
		t.Fatalf("a participant's role changed to %s", p.Role)
	}
	contains(t, a.client().get("/pages/legal-notice"), "Mentions légales")
	lacks(t, a.client().get("/pages/legal-notice"), "Piraté")

	// The organiser may do all of it.
	res := organiser.post("/admin/comptes/1/role", url.Values{"role": {"moderator"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("organiser sets a role: %d", res.Status)
	}
	if u, _ := a.db.UserByID(t.Context(), 1); u.Role != ouvert.RoleModerator {
		t.Errorf("role not set: %s", u.Role)
	}
	res = organiser.post("/pages/legal-notice/modifier", url.Values{"title": {"Mentions légales"}, "body": {"Édité par **Etalab**."}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("organiser edits a page: %d", res.Status)
	}
	contains(t, anon.get("/pages/legal-notice"), "<strong>Etalab</strong>")
	if res := organiser.post("/admin/comptes/"+itoa(target.ID)+"/role", url.Values{"role": {"participant"}}); res.Status != http.StatusForbidden {
		t.Errorf("an organiser demoted themselves: %d", res.Status)
	}
}

// TestEscaping puts markup in every field a person fills and checks that it comes back as text.
func TestEscaping(t *testing.T) {
	a := newApp(t)
	const xss = `<script>alert(1)</script><img src=x onerror=alert(2)>"'`
	c, _ := a.user("x@exemple.fr", ouvert.RoleParticipant)
	org, _ := a.user("o@exemple.fr", ouvert.RoleOrganiser)
	c.post("/profil", url.Values{"display_name": {"Nom " + xss}, "category": {"citizen"}})
	c.post("/profil/organisations", url.Values{"org_name": {"Org " + xss}, "org_category": {"association"}})
	org.post("/pages/accessibility/modifier", url.Values{"title": {"Titre " + xss}, "body": {"Corps " + xss + "\n\n[lien](javascript:alert(3))"}})
	pages := []response{
		c.get("/profil"),
		org.get("/admin/comptes"),
		a.client().get("/pages/accessibility"),
		a.client().post("/inscription", url.Values{"email": {xss}, "display_name": {xss}, "password": {"x"}}),
		a.client().post("/connexion", url.Values{"email": {xss}, "password": {"x"}, "next": {xss}}),
		a.client().post("/contact", url.Values{"name": {xss}, "email": {xss}, "subject": {xss}, "message": {xss}}),
		a.client().get("/connexion?next=" + url.QueryEscape(`"><script>alert(4)</script>`)),
		a.client().get("/inexistante/" + url.PathEscape(xss)),
	}
	for i, res := range pages {
		lacks(t, res, "<script>alert", "<img src=x", `href="javascript:`)
		if i < 3 && !strings.Contains(res.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") && !strings.Contains(res.Body, "alert(1)") {
			t.Errorf("page %d lost the text typed", i)
		}
	}
}

func TestRateLimits(t *testing.T) {
	a := newApp(t, func(c *web.Config) {
		c.Limits.Signup = web.Limit{Burst: 2, Every: time.Hour}
		c.Limits.Login = web.Limit{Burst: 3, Every: time.Hour}
		c.Limits.Reset = web.Limit{Burst: 2, Every: time.Hour}
		c.Limits.Contact = web.Limit{Burst: 1, Every: time.Hour}
	})
	c := a.client()
	for i, want := range []int{200, 200, 429} {
		if res := c.post("/inscription", signupForm("s"+itoa(int64(i))+"@exemple.fr", goodPassword)); res.Status != want {
			t.Errorf("sign-up %d: status %d, want %d", i+1, res.Status, want)
		}
	}
	for i, want := range []int{422, 422, 422, 429} {
		res := c.post("/connexion", url.Values{"email": {"x@exemple.fr"}, "password": {"mauvais mot"}})
		if res.Status != want {
			t.Errorf("log-in %d: status %d, want %d", i+1, res.Status, want)
		}
		if want == 429 {
			contains(t, res, "Trop de demandes")
		}
	}
	for i, want := range []int{200, 200, 429} {
		if res := c.post("/mot-de-passe-oublie", url.Values{"email": {"x@exemple.fr"}}); res.Status != want {
			t.Errorf("reset %d: status %d, want %d", i+1, res.Status, want)
		}
	}
}

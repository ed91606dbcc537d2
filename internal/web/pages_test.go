package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store/storetest"
)

func TestHomeShowsTheProcess(t *testing.T) {
	a := newApp(t)
	res := a.client().get("/")
	if res.Status != http.StatusOK {
		t.Fatalf("home: %d", res.Status)
	}
	contains(t, res,
		`<html lang="fr">`,
		"Plan d&#39;action national 2017-2019",
		"Ouvrir plus de données pour créer des biens communs numériques",
		"Augmenter la participation citoyenne et l&#39;inclusion de nouveaux publics",
		"Accroître la transparence, la redevabilité et l&#39;innovation dans l&#39;action publique",
		"Mettre le gouvernement ouvert au service de nouveaux thèmes",
		"Quand participer ?",
		`aria-current="step"`, "Consultation en ligne : phase d&#39;idéation",
		"Ministères ouverts", "Ateliers-relais",
		"gouvernement-ouvert@etalab.gouv.fr",
		"Salle de la Chapelle", "Salle 109", "Salle B", "Salle A", "Jean-Vincent Placé",
		"https://www.etalab.gouv.fr", "Site de démonstration",
	)
	// The current phase is ideation, and the timeline says so once.
	if n := strings.Count(res.Body, `aria-current="step"`); n != 1 {
		t.Errorf("%d current phases in the timeline", n)
	}
	contains(t, a.client().get("/comment-participer"), "Comment participer ?", "Think tank", "Ministères ouverts")
}

func TestLanguage(t *testing.T) {
	a := newApp(t)
	c := a.client()
	c.lang = "en-GB,en;q=0.9"
	contains(t, c.get("/"), `<html lang="en">`, "When to take part")
	c.lang = "de-DE"
	contains(t, c.get("/"), `<html lang="fr">`, "Quand participer ?")
	// The choice persists over the browser's language.
	res := c.post("/langue", url.Values{"lang": {"en"}, "next": {"/comment-participer"}})
	if res.Status != http.StatusSeeOther || res.Location != "/comment-participer" {
		t.Fatalf("switch: %d to %q", res.Status, res.Location)
	}
	contains(t, c.get("/comment-participer"), `<html lang="en">`, "How to take part")
	contains(t, c.get("/nulle-part"), "Page not found")
	// A signed-in person's choice is kept on the account.
	u, _ := a.user("a@exemple.fr", ouvert.RoleParticipant)
	u.post("/langue", url.Values{"lang": {"en"}})
	got, _ := a.db.UserByEmail(context.Background(), "a@exemple.fr")
	if got.Lang != "en" {
		t.Errorf("account language = %q", got.Lang)
	}
}

func TestErrorPages(t *testing.T) {
	a := newApp(t)
	res := a.client().get("/nulle-part")
	if res.Status != http.StatusNotFound {
		t.Fatalf("status %d", res.Status)
	}
	contains(t, res, "Page introuvable", "Revenir à l&#39;accueil")
	if res := a.client().get("/pages/inconnue"); res.Status != http.StatusNotFound {
		t.Errorf("unknown page: %d", res.Status)
	}
	if res := a.client().get("/profil/organisations/abc/quitter"); res.Status != http.StatusMethodNotAllowed && res.Status != http.StatusNotFound {
		t.Errorf("GET on a POST route: %d", res.Status)
	}
}

func TestContact(t *testing.T) {
	a := newApp(t)
	c := a.client()
	form := c.get("/contact")
	stamp := regexp.MustCompile(`name="stamp" value="([^"]+)"`).FindStringSubmatch(form.Body)
	if stamp == nil {
		t.Fatal("no stamp in the contact form")
	}
	msg := url.Values{"stamp": {stamp[1]}, "name": {"Léa"}, "email": {"lea@exemple.fr"}, "subject": {"Atelier à Lyon"}, "message": {"Bonjour, comment organiser un atelier-relais ?"}}

	bad := url.Values{}
	for k, v := range msg {
		bad[k] = v
	}
	bad.Set("email", "pas une adresse")
	res := c.post("/contact", bad)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad address: %d", res.Status)
	}
	contains(t, res, "Bonjour, comment organiser un atelier-relais ?", `value="Atelier à Lyon"`)

	forged := url.Values{}
	for k, v := range msg {
		forged[k] = v
	}
	forged.Set("stamp", "1.abcdef")
	contains(t, c.post("/contact", forged), "ouverte depuis trop longtemps", "Bonjour, comment organiser")

	res = c.post("/contact", msg)
	if res.Status != http.StatusOK {
		t.Fatalf("contact: %d\n%s", res.Status, res.Body)
	}
	contains(t, res, "Message envoyé")
	msgs, _ := a.db.MailTo(context.Background(), "gouvernement-ouvert@etalab.gouv.fr")
	if len(msgs) != 1 || msgs[0].ReplyTo != "lea@exemple.fr" || !strings.Contains(msgs[0].Subject, "Atelier à Lyon") ||
		!strings.Contains(msgs[0].Body, "comment organiser un atelier-relais") {
		t.Fatalf("contact mail = %+v", msgs)
	}

	// A robot fills the hidden field: same answer, no mail.
	robot := url.Values{}
	for k, v := range msg {
		robot[k] = v
	}
	robot.Set("website", "http://spam.example")
	contains(t, c.post("/contact", robot), "Message envoyé")
	if msgs, _ := a.db.MailTo(context.Background(), "gouvernement-ouvert@etalab.gouv.fr"); len(msgs) != 1 {
		t.Errorf("the honeypot let a message through: %d messages", len(msgs))
	}
}

func TestHealthAndMetrics(t *testing.T) {
	a := newApp(t)
	c := a.client()
	res := c.get("/healthz")
	if res.Status != http.StatusOK || !strings.Contains(res.Body, `"status":"ok"`) || !strings.Contains(res.Body, `"schema_version":`) {
		t.Fatalf("healthz: %d %s", res.Status, res.Body)
	}
	c.get("/")
	c.get("/nulle-part")
	voter, _ := a.user("votant@exemple.fr", ouvert.RoleParticipant)
	for _, value := range []string{"agree", "disagree"} {
		if res := voter.post("/contributions/1/vote", url.Values{"value": {value}}); res.Status != http.StatusSeeOther {
			t.Fatalf("vote: %d", res.Status)
		}
	}
	res = c.get("/metrics")
	contains(t, res,
		`ouvert_http_requests_total{method="GET",route="GET /{$}",code="200"} 1`,
		"ouvert_vote_groups_total 2\n", "ouvert_vote_group_votes_total 2\n", "ouvert_vote_retried_total 0\n",
		`ouvert_http_request_duration_seconds_count{route="GET /{$}"} 1`,
		`ouvert_db_open_connections{database=`,
		"# TYPE ouvert_http_request_duration_seconds histogram",
	)
	if storetest.Kind() == "sqlite" {
		contains(t, res, "ouvert_sqlite_checkpoints_total ", "ouvert_sqlite_wal_frames ", "ouvert_sqlite_wal_copied_frames ")
	} else if strings.Contains(res.Body, "ouvert_sqlite_") {
		t.Error("/metrics reports SQLite's log on PostgreSQL")
	}
}

// TestPageWeight keeps each page with its stylesheet under 60 KB before compression.
func TestPageWeight(t *testing.T) {
	a := newApp(t)
	c := a.client()
	home := c.get("/")
	css := regexp.MustCompile(`href="(/static/style\.[0-9a-f]+\.css)"`).FindStringSubmatch(home.Body)
	if css == nil {
		t.Fatal("no stylesheet link")
	}
	sheet := c.get(css[1])
	if sheet.Status != http.StatusOK || !strings.Contains(sheet.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("stylesheet: %d %q", sheet.Status, sheet.Header.Get("Cache-Control"))
	}
	for _, path := range []string{"/", "/comment-participer", "/inscription", "/contact", "/pages/personal-data", "/consultation", "/evenements", "/evenements?passes=1", "/kit"} {
		res := c.get(path)
		if n := len(res.Body) + len(sheet.Body); n > 60_000 {
			t.Errorf("%s weighs %d bytes with its stylesheet, over 60 KB", path, n)
		}
	}
	t.Logf("home page %d bytes + stylesheet %d bytes", len(home.Body), len(sheet.Body))
}

func TestAnonymousPageCache(t *testing.T) {
	a := newApp(t)
	anon := a.client()
	if res := anon.get("/consultation"); res.Header.Get("X-Cache") != "" {
		t.Fatalf("first read came from the cache")
	}
	if res := anon.get("/consultation"); res.Header.Get("X-Cache") != "hit" {
		t.Errorf("second anonymous read within the second was rendered again")
	}
	signed, _ := a.user("a@exemple.fr", ouvert.RoleParticipant)
	if res := signed.get("/consultation"); res.Header.Get("X-Cache") != "" {
		t.Errorf("a signed-in person got a cached page")
	}
	// A contribution published through the site is seen at once by everyone.
	p := a.process()
	id := signed.publish(p.Axes[0].ID, "Une idée toute neuve", "Publiée à l'instant par un participant.")
	contains(t, anon.get("/consultation?tri=newest"), "Une idée toute neuve")
	// A vote is seen by anonymous readers within the second.
	voter, _ := a.user("v@exemple.fr", ouvert.RoleParticipant)
	voter.post("/contributions/"+itoa(id)+"/vote", url.Values{"value": {"agree"}})
	time.Sleep(1100 * time.Millisecond)
	contains(t, anon.get("/contributions/"+itoa(id)), "1 d&#39;accord")
}

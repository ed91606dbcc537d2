package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

func (a *app) process() *ouvert.Process {
	a.t.Helper()
	p, err := a.db.CurrentProcess(context.Background())
	if err != nil {
		a.t.Fatal(err)
	}
	return p
}

var idRE = regexp.MustCompile(`^/contributions/(\d+)`)

// publish proposes a contribution through the two steps of the form and returns its id.
func (c *client) publish(axis int64, title, body string) int64 {
	c.a.t.Helper()
	form := url.Values{"axis": {strconv.FormatInt(axis, 10)}, "title": {title}, "body": {body}, "step": {"publish"}}
	res := c.post("/contributions/nouvelle", form)
	m := idRE.FindStringSubmatch(res.Location)
	if res.Status != http.StatusSeeOther || m == nil {
		c.a.t.Fatalf("publish: status %d to %q\n%s", res.Status, res.Location, res.Body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func TestProposeShowsSimilarFirst(t *testing.T) {
	a := newApp(t)
	c, _ := a.user("a@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	axis := strconv.FormatInt(p.Axes[0].ID, 10)
	form := url.Values{"axis": {axis}, "title": {"Ouvrir les données des hôpitaux"}, "body": {"Publier la qualité des soins de chaque hôpital."}, "step": {"check"}}
	res := c.post("/contributions/nouvelle", form)
	if res.Status != http.StatusOK {
		t.Fatalf("check: %d", res.Status)
	}
	// The demo's example on hospital data is the closest; the draft is kept.
	contains(t, res, "Des contributions proches existent peut-être", "Ouvrir les données de la qualité des soins des hôpitaux",
		`value="Ouvrir les données des hôpitaux"`, "Publier la qualité des soins de chaque hôpital.", `name="step" value="publish"`)
	before := a.process().Contributions
	id := c.publish(p.Axes[0].ID, "Ouvrir les données des hôpitaux", "Publier la qualité des soins de chaque hôpital.")
	if a.process().Contributions != before+1 {
		t.Error("contribution not counted")
	}
	contains(t, c.get("/contributions/"+itoa(id)), "Votre contribution est publiée", "Ouvrir les données des hôpitaux")
	contains(t, c.get("/consultation?tri=newest"), "Ouvrir les données des hôpitaux")

	// A refused draft comes back with what was typed and a clear message.
	res = c.post("/contributions/nouvelle", url.Values{"axis": {axis}, "title": {strings.Repeat("t", 151)}, "body": {"court"}, "step": {"publish"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad draft: %d", res.Status)
	}
	contains(t, res, "150 caractères au plus", "10 caractères au moins", strings.Repeat("t", 151))

	// The themes chosen stay chosen, and only they.
	t1, t2 := itoa(p.Themes[1].ID), itoa(p.Themes[2].ID)
	res = c.post("/contributions/nouvelle", url.Values{"axis": {axis}, "title": {""}, "body": {"court"}, "themes": {t1}, "step": {"publish"}})
	contains(t, res, `<input type="checkbox" id="theme-`+t1+`" name="themes" value="`+t1+`" checked><label for="theme-`+t1+`">`+html.EscapeString(p.Themes[1].Name)+`</label>`,
		`<input type="checkbox" id="theme-`+t2+`" name="themes" value="`+t2+`"><label`, `<legend>Thèmes <span class="optional">`)
}

func TestVoteArgueReplyUseful(t *testing.T) {
	a := newApp(t)
	author, _ := a.user("auteur@exemple.fr", ouvert.RoleParticipant)
	voter, _ := a.user("votant@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	id := author.publish(p.Axes[1].ID, "Des ateliers partout", "Organiser des ateliers-relais dans chaque département.")
	path := "/contributions/" + itoa(id)
	if res := voter.post(path+"/vote", url.Values{"value": {"agree"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("vote: %d", res.Status)
	}
	contains(t, voter.get(path), "1 d&#39;accord", `value="agree" class="vote-agree" aria-pressed="true"`, "Votre vote : D&#39;accord")
	voter.post(path+"/vote", url.Values{"value": {"disagree"}})
	contains(t, voter.get(path), "0 d&#39;accord", "1 pas d&#39;accord")
	if res := voter.post(path+"/vote", url.Values{"value": {"plutôt"}}); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("unknown vote value: %d", res.Status)
	}

	res := voter.post(path+"/arguments", url.Values{"stance": {"for"}, "body": {""}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty argument: %d", res.Status)
	}
	res = voter.post(path+"/arguments", url.Values{"body": {"Sans position"}})
	contains(t, res, "Indiquez si votre argument est pour", "Sans position")
	res = voter.post(path+"/arguments", url.Values{"stance": {"against"}, "body": {"Les moyens manquent pour animer ces ateliers."}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("argument: %d", res.Status)
	}
	args, _ := a.db.Arguments(context.Background(), id, store.SortNewest, 1, 20)
	argID := itoa(args[0].ID)
	author.post(path+"/arguments", url.Values{"parent": {argID}, "body": {"Les associations locales peuvent aider."}})
	if res := author.post("/arguments/"+argID+"/utile", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("useful: %d", res.Status)
	}
	page := a.client().get(path)
	contains(t, page, "Les moyens manquent", "Les associations locales peuvent aider.", "1 personne trouve cet argument utile", "1 argument")
	// The author was told of the argument, the arguer of the reply.
	contains(t, author.get("/notifications"), "Nouvel argument sur « Des ateliers partout »")
	contains(t, voter.get("/notifications"), "Nouvelle réponse sur « Des ateliers partout »")
	// Editing after arguments is refused.
	if res := author.get(path + "/modifier"); res.Status != http.StatusConflict {
		t.Errorf("edit form after an argument: %d", res.Status)
	}
}

func TestReportHideRestore(t *testing.T) {
	a := newApp(t)
	author, u := a.user("auteur@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	id := author.publish(p.Axes[2].ID, "Achetez mes montres", "Promotion exceptionnelle, cliquez ici.")
	for i := range 3 {
		r, _ := a.user("r"+itoa(int64(i))+"@exemple.fr", ouvert.RoleParticipant)
		res := r.post("/signaler", url.Values{"type": {"contribution"}, "id": {itoa(id)}, "reason": {"spam"}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("report %d: %d", i, res.Status)
		}
	}
	page := a.client().get("/contributions/" + itoa(id))
	contains(t, page, "Contribution masquée", "en attente d&#39;examen")
	lacks(t, page, "Promotion exceptionnelle")
	lacks(t, a.client().get("/consultation?tri=newest"), "Achetez mes montres")
	contains(t, author.get("/notifications"), "a été masqué")

	mod, _ := a.user("mod@exemple.fr", ouvert.RoleModerator)
	contains(t, mod.get("/moderation"), "Achetez mes montres", "3 signalements")
	res := mod.post("/moderation/decision", url.Values{"type": {"contribution"}, "id": {itoa(id)}, "action": {"restore"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("restore: %d", res.Status)
	}
	contains(t, a.client().get("/contributions/"+itoa(id)), "Promotion exceptionnelle")
	mod.post("/moderation/decision", url.Values{"type": {"contribution"}, "id": {itoa(id)}, "action": {"hide"}, "reason": {"spam"}})
	contains(t, a.client().get("/consultation"), "Textes masqués par la modération", "publicité ou spam : 1")
	contains(t, mod.get("/moderation"), "masqué", "rétabli", "masqué après signalements")

	// A blocked account can read, not write.
	mod.post("/moderation/comptes/"+itoa(u.ID), url.Values{"block": {"1"}, "reason": {"spam"}})
	res = author.post("/contributions/"+itoa(id)+"/vote", url.Values{"value": {"agree"}})
	if res.Status != http.StatusForbidden {
		t.Fatalf("vote by a blocked account: %d", res.Status)
	}
	contains(t, res, "bloqué par la modération")
	if res := author.get("/consultation"); res.Status != http.StatusOK {
		t.Errorf("a blocked account cannot read: %d", res.Status)
	}
}

func TestClosedPhaseRefusesWrites(t *testing.T) {
	a := newApp(t)
	c, _ := a.user("a@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	id := c.publish(p.Axes[0].ID, "Une idée", "Une idée assez longue pour passer.")
	ideation := p.Phase(ouvert.PhaseIdeation)
	// Close the phase: it ended yesterday.
	if err := a.db.SetPhaseDates(context.Background(), ideation.ID, ouvert.Phase{StartsAt: ideation.StartsAt, EndsAt: time.Now().Add(-24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // the server reads the process once a second
	for _, tt := range []struct{ path string }{{"/contributions/" + itoa(id) + "/vote"}, {"/contributions/" + itoa(id) + "/arguments"}, {"/contributions/nouvelle"}} {
		res := c.post(tt.path, url.Values{"value": {"agree"}, "stance": {"for"}, "body": {"Trop tard ?"}, "title": {"x"}, "axis": {"1"}, "step": {"publish"}})
		if res.Status != http.StatusForbidden {
			t.Errorf("%s after the phase: %d", tt.path, res.Status)
		}
		contains(t, res, "La phase d&#39;idéation est close")
	}
	page := c.get("/contributions/" + itoa(id))
	contains(t, page, "Une idée", "La phase d&#39;idéation est close")
	lacks(t, page, `action="/contributions/`+itoa(id)+`/vote"`)

	// The organiser extends the phase: writing reopens.
	org, _ := a.user("o@exemple.fr", ouvert.RoleOrganiser)
	last := time.Now().Add(48 * time.Hour).In(p.Location()).Format("2006-01-02")
	res := org.post("/admin/phases/"+itoa(ideation.ID), url.Values{"starts": {ideation.StartsAt.In(p.Location()).Format("2006-01-02")}, "ends": {last}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("extend: %d %s", res.Status, res.Body)
	}
	if res := c.post("/contributions/"+itoa(id)+"/vote", url.Values{"value": {"agree"}}); res.Status != http.StatusSeeOther {
		t.Errorf("vote after the extension: %d", res.Status)
	}
}

func TestConsultationPermissions(t *testing.T) {
	a := newApp(t)
	author, _ := a.user("auteur@exemple.fr", ouvert.RoleParticipant)
	other, _ := a.user("autre@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	id := author.publish(p.Axes[0].ID, "Mon idée", "Le texte de mon idée.")
	path := "/contributions/" + itoa(id)
	author.post(path+"/arguments", url.Values{"stance": {"for"}, "body": {"Mon propre argument."}})
	args, _ := a.db.Arguments(context.Background(), id, store.SortNewest, 1, 20)
	argID := itoa(args[0].ID)
	for _, tt := range []struct {
		c      *client
		method string
		path   string
		form   url.Values
		want   int
	}{
		{other, "GET", path + "/modifier", nil, http.StatusForbidden},
		{other, "POST", path + "/modifier", url.Values{"title": {"Piraté"}, "body": {"Texte piraté par un autre."}}, http.StatusForbidden},
		{other, "POST", path + "/retirer", nil, http.StatusForbidden},
		{other, "GET", "/arguments/" + argID + "/modifier", nil, http.StatusForbidden},
		{other, "POST", "/arguments/" + argID + "/modifier", url.Values{"body": {"Piraté"}}, http.StatusForbidden},
		{author, "POST", "/arguments/" + argID + "/utile", nil, http.StatusForbidden},
		{author, "POST", "/signaler", url.Values{"type": {"contribution"}, "id": {itoa(id)}, "reason": {"spam"}}, http.StatusForbidden},
		{other, "GET", "/moderation", nil, http.StatusForbidden},
		{other, "POST", "/moderation/decision", url.Values{"type": {"contribution"}, "id": {itoa(id)}, "action": {"hide"}, "reason": {"spam"}}, http.StatusForbidden},
		{other, "POST", "/moderation/comptes/1", url.Values{"block": {"1"}}, http.StatusForbidden},
		{other, "GET", "/admin/phases", nil, http.StatusForbidden},
		{other, "POST", "/admin/phases/1", url.Values{"starts": {"2020-01-01"}, "ends": {"2030-01-01"}}, http.StatusForbidden},
	} {
		var res response
		if tt.method == "GET" {
			res = tt.c.get(tt.path)
		} else {
			res = tt.c.post(tt.path, tt.form)
		}
		if res.Status != tt.want {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.path, res.Status, tt.want)
		}
	}
	got, _ := a.db.Contribution(context.Background(), id)
	if got.Title != "Mon idée" || got.Status != ouvert.StatusPublished {
		t.Fatalf("contribution changed: %+v", got)
	}
	// Anonymous writes lead to the log-in page.
	for _, path := range []string{path + "/vote", path + "/arguments", "/contributions/nouvelle", "/signaler", path + "/suivre"} {
		res := a.client().post(path, url.Values{"value": {"agree"}})
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/connexion") {
			t.Errorf("anonymous POST %s: %d to %q", path, res.Status, res.Location)
		}
	}
}

func TestConsultationEscapingAndSearch(t *testing.T) {
	a := newApp(t)
	const xss = `<script>alert(1)</script><img src=x onerror=alert(2)>`
	c, _ := a.user("x@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	id := c.publish(p.Axes[0].ID, "Titre "+xss, "Corps "+xss+"\n\n[lien](javascript:alert(3))")
	c.post("/contributions/"+itoa(id)+"/arguments", url.Values{"stance": {"for"}, "body": {"Argument " + xss}})
	other, _ := a.user("y@exemple.fr", ouvert.RoleParticipant)
	other.post("/signaler", url.Values{"type": {"contribution"}, "id": {itoa(id)}, "reason": {"other"}, "detail": {xss}})
	mod, _ := a.user("m@exemple.fr", ouvert.RoleModerator)
	for _, res := range []response{
		a.client().get("/contributions/" + itoa(id)),
		a.client().get("/consultation?tri=newest"),
		a.client().get("/consultation?q=" + url.QueryEscape("titre "+xss)),
		c.get("/notifications"),
		mod.get("/moderation"),
	} {
		if res.Status != http.StatusOK {
			t.Errorf("status %d", res.Status)
		}
		lacks(t, res, "<script>alert", "<img src=x", `href="javascript:`)
	}
	for _, q := range []string{`"`, `"données`, "*", "OR", "AND OR NOT", "NEAR(a b)", "-", "^", "()", "😀", "'; DROP TABLE contributions; --", strings.Repeat("données ", 800), "\xff\xfe"} {
		res := a.client().get("/consultation?q=" + url.QueryEscape(q))
		if res.Status != http.StatusOK {
			t.Errorf("search %.30q: %d", q, res.Status)
		}
	}
	res := a.client().get("/consultation?q=" + url.QueryEscape("données hôpitaux"))
	contains(t, res, "<mark>", "qualité des soins")
	contains(t, a.client().get("/consultation?q=zzzyyyxxx"), "Aucune contribution ne correspond")
}

// TestConsultationControls checks that the list's controls show where the visitor is: the axis
// tab, the filters and order chosen, the search typed, how many contributions there are, and
// pages that keep the filters.
func TestConsultationControls(t *testing.T) {
	a := newApp(t)
	p := a.process()
	axis, theme := itoa(p.Axes[1].ID), itoa(p.Themes[0].ID)
	for _, tt := range []struct {
		lang, path     string
		want, unwanted []string
	}{
		{"fr", "/consultation", []string{
			`<a href="/consultation" aria-current="page">Tous les axes (32)</a>`,
			`<a href="/consultation?axe=` + axis + `">Axe 2 (8)</a>`,
			`<input id="q" name="q" type="search" value="" maxlength="500">`,
			`<option value="agree" selected>les plus approuvées</option>`,
			`<p role="status">32 contributions · page 1 sur 2</p>`,
			`<li><a href="/consultation?page=1&amp;tri=agree" aria-current="page">1</a></li>`,
			`<li><a href="/consultation?page=2&amp;tri=agree"><span class="visually-hidden">Page </span>2</a></li>`,
		}, []string{`name="axe"`, `<option value="" selected`, `<option value="online" selected`}},
		{"en", "/consultation?tri=newest", []string{
			`<nav aria-label="Axes of the action plan">`,
			`<option value="newest" selected>newest</option>`,
			`<p role="status">32 contributions · page 1 of 2</p>`,
			`<a href="/consultation?page=2&amp;tri=newest">`,
		}, []string{`<option value="agree" selected`}},
		{"fr", "/consultation?axe=" + axis + "&theme=" + theme + "&origine=event&reponse=retained&tri=discussed", []string{
			`<a href="/consultation?axe=` + axis + `" aria-current="page">Axe 2 (8)</a>`,
			`<input type="hidden" name="axe" value="` + axis + `">`,
			`<option value="` + theme + `" selected>`,
			`<option value="event" selected>`,
			`<option value="retained" selected>`,
			`<option value="discussed" selected>`,
			`<p role="status">0 contribution</p>`,
		}, []string{`<a href="/consultation" aria-current="page">`, `class="pager"`}},
		{"fr", "/consultation?q=" + url.QueryEscape(`"zzz" <b>&`), []string{
			`value="&#34;zzz&#34; &lt;b&gt;&amp;"`,
			`<p role="status">0 résultat</p>`,
			"Aucune contribution ne correspond",
		}, []string{"<b>&"}},
	} {
		c := a.client()
		c.lang = tt.lang
		res := c.get(tt.path)
		if res.Status != http.StatusOK {
			t.Errorf("GET %s: %d", tt.path, res.Status)
			continue
		}
		contains(t, res, tt.want...)
		lacks(t, res, tt.unwanted...)
	}
}

func TestDigest(t *testing.T) {
	a := newApp(t)
	author, u := a.user("auteur@exemple.fr", ouvert.RoleParticipant)
	voter, _ := a.user("v@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	id := author.publish(p.Axes[0].ID, "Suivie", "Une contribution suivie par son auteur.")
	voter.post("/contributions/"+itoa(id)+"/arguments", url.Values{"stance": {"for"}, "body": {"Premier argument."}})
	voter.post("/contributions/"+itoa(id)+"/arguments", url.Values{"stance": {"against"}, "body": {"Second argument."}})
	n, err := a.srvDigests()
	if err != nil || n != 1 {
		t.Fatalf("digests = %d, %v", n, err)
	}
	msgs, _ := a.db.MailTo(context.Background(), u.Email)
	if len(msgs) != 1 || strings.Count(msgs[0].Body, "Nouvel argument sur « Suivie »") != 2 {
		t.Fatalf("digest mail = %+v", msgs)
	}
	voter.post("/contributions/"+itoa(id)+"/arguments", url.Values{"stance": {"neutral"}, "body": {"Troisième argument."}})
	if n, _ := a.srvDigests(); n != 0 {
		t.Errorf("a second digest the same day")
	}
}

func TestEditHistory(t *testing.T) {
	a := newApp(t)
	c, _ := a.user("a@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	id := c.publish(p.Axes[0].ID, "Premier titre", "Premier texte de la contribution.")
	path := "/contributions/" + itoa(id)
	contains(t, c.get(path+"/modifier"), `value="Premier titre"`)
	res := c.post(path+"/modifier", url.Values{"title": {"Second titre"}, "body": {"Second texte de la contribution."}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.Status)
	}
	contains(t, a.client().get(path), "Second titre", path+"/historique")
	contains(t, a.client().get(path+"/historique"), "Second titre", "Premier titre", "Premier texte de la contribution.")

	other, _ := a.user("b@exemple.fr", ouvert.RoleParticipant)
	other.post(path+"/arguments", url.Values{"stance": {"neutral"}, "body": {"Argument d'origine."}})
	args, _ := a.db.Arguments(context.Background(), id, store.SortNewest, 1, 20)
	argPath := "/arguments/" + itoa(args[0].ID)
	if res := other.post(argPath+"/modifier", url.Values{"body": {"Argument corrigé."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("edit argument: %d", res.Status)
	}
	contains(t, a.client().get(argPath+"/historique"), "Argument corrigé.", "Argument d&#39;origine.")
}

func TestDigestToggleAndPhaseDates(t *testing.T) {
	a := newApp(t)
	c, u := a.user("a@exemple.fr", ouvert.RoleParticipant)
	contains(t, c.get("/notifications"), "Ne plus recevoir le résumé")
	if res := c.post("/notifications/resume", url.Values{"digest": {"0"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("digest off: %d", res.Status)
	}
	contains(t, c.get("/notifications"), "Recevoir un résumé quotidien")
	if got, _ := a.db.UserByID(context.Background(), u.ID); got.Digest {
		t.Error("digest still on")
	}

	org, _ := a.user("o@exemple.fr", ouvert.RoleOrganiser)
	ideation := a.process().Phase(ouvert.PhaseIdeation)
	path := "/admin/phases/" + itoa(ideation.ID)
	for _, form := range []url.Values{
		{"starts": {"pas une date"}, "ends": {"2030-01-01"}},
		{"starts": {"2030-01-10"}, "ends": {"2030-01-01"}},
	} {
		res := org.post(path, form)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d", form, res.Status)
		}
		contains(t, res, "Le formulaire contient des erreurs")
	}
	if got := a.process().Phase(ouvert.PhaseIdeation); !got.EndsAt.Equal(ideation.EndsAt) {
		t.Errorf("a refused date moved the phase to %v", got.EndsAt)
	}
}

// The "log in" links of a page bring the person back to it once logged in (they were encoded
// twice, and the log-in form dropped the address).
func TestLoginLinksComeBack(t *testing.T) {
	a := newApp(t)
	p := a.process()
	_, u := a.user("retour@exemple.fr", ouvert.RoleParticipant)
	author, _ := a.user("auteur-retour@exemple.fr", ouvert.RoleParticipant)
	id := author.publish(p.Axes[0].ID, "Une idée à retrouver", "Un texte assez long pour être publié.")
	linkRE := regexp.MustCompile(`href="(/connexion\?next=[^"]*)"`)
	nextRE := regexp.MustCompile(`action="/connexion" novalidate>\s*<input type="hidden" name="next" value="([^"]*)"`)
	for _, page := range []string{"/consultation?axe=" + itoa(p.Axes[1].ID), "/contributions/" + itoa(id)} {
		c := a.client()
		res := c.get(page)
		m := linkRE.FindStringSubmatch(res.Body)
		if res.Status != http.StatusOK || m == nil {
			t.Fatalf("%s: %d, no log-in link", page, res.Status)
		}
		login := c.get(html.UnescapeString(m[1]))
		n := nextRE.FindStringSubmatch(login.Body)
		if login.Status != http.StatusOK || n == nil || html.UnescapeString(n[1]) != page {
			t.Fatalf("%s: the log-in form at %s does not come back here: %v", page, m[1], n)
		}
		done := c.post("/connexion", url.Values{"email": {u.Email}, "password": {goodPassword}, "next": {html.UnescapeString(n[1])}})
		if done.Status != http.StatusSeeOther || done.Location != page {
			t.Fatalf("%s: logged in, sent to %q", page, done.Location)
		}
	}
}

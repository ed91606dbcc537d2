package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"ouvert/internal/ouvert"
)

// setWriting puts today inside the writing phase (open), or just after it (open false): every
// earlier phase is moved into the past.
func (a *app) setWriting(open bool) {
	a.t.Helper()
	p := a.process()
	now := time.Now()
	end := now.Add(30 * 24 * time.Hour)
	if !open {
		end = now.Add(-time.Hour)
	}
	start := end.Add(-60 * 24 * time.Hour)
	for i, ph := range p.Phases {
		switch {
		case ph.Kind == ouvert.PhaseWriting:
			ph.StartsAt, ph.EndsAt = start, end
		case ph.StartsAt.Before(now) || i < 3:
			ph.StartsAt, ph.EndsAt = start.Add(-time.Duration(10-i)*24*time.Hour), start.Add(-time.Duration(9-i)*24*time.Hour)
		default:
			continue
		}
		if err := a.db.SetPhaseDates(a.t.Context(), ph.ID, ph); err != nil {
			a.t.Fatal(err)
		}
	}
	a.web.ForgetProcess()
}

var draftPathRE = regexp.MustCompile(`^/projets/(\d+)$`)
var amendmentPathRE = regexp.MustCompile(`^/amendements/(\d+)$`)

func TestDraftCommitments(t *testing.T) {
	a := newApp(t)
	rep, _ := a.user("rep@exemple.fr", ouvert.RoleAdministration) // Ministère de la Culture
	other, otherUser := a.user("autre@exemple.fr", ouvert.RoleAdministration)
	if err := a.db.SetRole(t.Context(), otherUser.ID, ouvert.RoleAdministration, "Ministère des Armées"); err != nil {
		t.Fatal(err)
	}
	org, _ := a.user("org@exemple.fr", ouvert.RoleOrganiser)
	ana, _ := a.user("ana@exemple.fr", ouvert.RoleParticipant)
	bob, _ := a.user("bob@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	c1 := ana.publish(p.Axes[0].ID, "Des musées ouverts", "Publier les collections des musées en ligne.")
	c2 := ana.publish(p.Axes[0].ID, "Des archives ouvertes", "Numériser et publier les archives départementales.")
	a.setWriting(true)

	// Only organisers and administration representatives write drafts.
	if res := ana.get("/projets/nouveau"); res.Status != http.StatusForbidden {
		t.Fatalf("a participant opens the draft form: %d", res.Status)
	}
	form := url.Values{"title": {"Ouvrir les données culturelles"}, "axis": {itoa(p.Axes[0].ID)}, "lead_administration": {"Ministère des Armées"},
		"problem":    {"Les données culturelles sont dispersées.\n\nPeu sont réutilisables."},
		"commitment": {"Publier les données des musées nationaux."}, "milestones": {"Inventaire | 2017-09 | 2017-12"},
		"values": {"transparency"}, "contributions": {"C-" + itoa(c1) + ", C-" + itoa(c2)}}
	// A refused draft keeps what was typed.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("commitment", "")
	res := rep.post("/projets/nouveau", bad)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("draft without commitment: %d", res.Status)
	}
	contains(t, res, "Les données culturelles sont dispersées.", "Ouvrir les données culturelles")
	res = rep.post("/projets/nouveau", form)
	m := draftPathRE.FindStringSubmatch(res.Location)
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q\n%s", res.Status, res.Location, res.Body)
	}
	path := res.Location
	// The representative writes for their own administration, whatever they typed.
	page := ana.get(path)
	contains(t, page, "Ministère de la Culture", "Ouvrir les données culturelles", "Inventaire", "Des musées ouverts")
	lacks(t, page, "Ministère des Armées")
	contains(t, ana.get("/contributions/"+itoa(c1)), "Reprise dans un projet d&#39;engagement")

	// A participant votes on the whole and a section, comments on a paragraph, proposes two amendments.
	ana.post(path+"/vote", url.Values{"value": {"agree"}})
	bob.post(path+"/vote", url.Values{"value": {"disagree"}, "section": {"problem"}})
	res = bob.post(path+"/commentaires", url.Values{"section": {"problem"}, "paragraph": {"2"}, "body": {"Lesquelles ?"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("comment without stance: %d", res.Status)
	}
	contains(t, res, "Indiquez si votre argument est pour, contre ou neutre.", "Lesquelles ?")
	bob.post(path+"/commentaires", url.Values{"section": {"problem"}, "paragraph": {"2"}, "stance": {"against"}, "body": {"Lesquelles ?"}})
	page = ana.get(path)
	contains(t, page, "Les paragraphes les plus commentés", "paragraphe 2</a> : 1 commentaire", "1 d&#39;accord")
	contains(t, ana.get(path+"?section=problem&paragraphe=2"), "Lesquelles ?", "Peu sont réutilisables.")
	amend := func(c *client, text, reason string) string {
		t.Helper()
		res := c.post(path+"/amender", url.Values{"section": {"commitment"}, "text": {text}, "reason": {reason}, "action": {"publish"}})
		if res.Status != http.StatusSeeOther || !amendmentPathRE.MatchString(res.Location) {
			t.Fatalf("amend: %d %q\n%s", res.Status, res.Location, res.Body)
		}
		return res.Location
	}
	preview := ana.post(path+"/amender", url.Values{"section": {"commitment"}, "text": {"Publier les données de tous les musées."}, "action": {"preview"}})
	contains(t, preview, "<del>", "<ins>", "tous")
	one := amend(ana, "Publier les données de tous les musées.", "Pas seulement les nationaux.")
	two := amend(bob, "Ne rien publier.", "Trop cher.")
	bob.post(one+"/vote", url.Values{"value": {"agree"}})
	contains(t, ana.get(one), "1 d&#39;accord", "Pas seulement les nationaux.", "<ins>")

	// Only the lead administration's representatives (or organisers) decide.
	contains(t, rep.get(one), "Enregistrer la décision", "Accepter avec modifications")
	lacks(t, other.get(one), "Enregistrer la décision")
	for _, c := range []*client{ana, other} {
		if res := c.post(one+"/decision", url.Values{"decision": {"accepted"}}); res.Status != http.StatusForbidden {
			t.Errorf("a non-decider decided: %d", res.Status)
		}
	}
	res = rep.post(two+"/decision", url.Values{"decision": {"rejected"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("reject without reason: %d", res.Status)
	}
	contains(t, res, "Donnez le motif de cette décision.")
	if res := rep.post(one+"/decision", url.Values{"decision": {"accepted_modified"}, "text": {"Publier les données de tous les musées de France."}, "reason": {"Précisé."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("accept with changes: %d\n%s", res.Status, res.Body)
	}
	if res := org.post(two+"/decision", url.Values{"decision": {"rejected"}, "reason": {"Contraire à l'objectif."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("reject: %d", res.Status)
	}
	contains(t, ana.get(one), "accepté avec modifications", "a donné la version 2", "Précisé.")
	contains(t, bob.get(two), "rejeté", "Contraire à l&#39;objectif.")
	contains(t, ana.get("/notifications"), "Décision sur un amendement au projet")
	// The representative edits: version 3. The history shows three versions and their differences.
	edit := url.Values{"title": {"Ouvrir les données culturelles"}, "problem": {form.Get("problem")}, "commitment": {"Publier les données de tous les musées de France."},
		"ambition": {"Toutes les collections d'ici 2019."}, "milestones": {form.Get("milestones")}, "summary": {"Ajout de l'ambition."}}
	if res := rep.post(path+"/modifier", edit); res.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", res.Status, res.Body)
	}
	history := ana.get(path + "/versions")
	contains(t, history, "version 3", "version 2", "version 1", "Ajout de l&#39;ambition.", "issue d&#39;un amendement")
	compare := ana.get(path + "/versions?de=1&a=3&vue=cote")
	contains(t, compare, "side-by-side", "<del>", "<ins>", "nationaux")
	contains(t, ana.get(path+"/versions?de=1&a=2"), "tous les musées de France")
	contains(t, ana.get(path+"/versions/1"), "Publier les données des musées nationaux.")

	// After the phase, every write is refused with a clear message.
	a.setWriting(false)
	for _, w := range []struct{ path string }{{path + "/vote"}, {path + "/commentaires"}, {path + "/amender"}} {
		if res := ana.post(w.path, url.Values{"value": {"agree"}, "section": {"problem"}, "stance": {"for"}, "body": {"Trop tard"}, "text": {"Autre"}, "reason": {"x"}}); res.Status != http.StatusForbidden ||
			!strings.Contains(res.Body, "pendant la phase de rédaction collaborative seulement") {
			t.Errorf("%s after the phase: %d", w.path, res.Status)
		}
	}
	if res := rep.post(path+"/modifier", edit); res.Status != http.StatusForbidden || !strings.Contains(res.Body, "phase de rédaction collaborative est close") {
		t.Errorf("edit after the phase: %d", res.Status)
	}
	// Organisers settle the final version.
	if res := rep.post(path+"/final", nil); res.Status != http.StatusForbidden {
		t.Errorf("a representative settled the final version: %d", res.Status)
	}
	if res := org.post(path+"/final", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("final: %d", res.Status)
	}
	contains(t, ana.get(path), "Version finale : 3")
}

func TestDraftsAPI(t *testing.T) {
	a := newApp(t)
	org, _ := a.user("org@exemple.fr", ouvert.RoleOrganiser)
	ana, _ := a.user("ana@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	a.setWriting(true)
	res := org.post("/projets/nouveau", url.Values{"title": {"Ouvrir les données"}, "axis": {itoa(p.Axes[0].ID)}, "lead_administration": {"Etalab"},
		"commitment": {"Publier les données."}, "contributions": {"C-1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("create: %d", res.Status)
	}
	path := res.Location
	res = ana.post(path+"/amender", url.Values{"section": {"commitment"}, "text": {"Publier toutes les données."}, "reason": {"Toutes."}, "action": {"publish"}})
	org.post(res.Location+"/decision", url.Values{"decision": {"accepted"}})
	id := strings.TrimPrefix(path, "/projets/")

	c := a.client()
	res, docv := c.getJSON("/api/v1/openapi.json")
	var doc openAPI
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatal(err)
	}
	_ = docv
	schema := func(path string) map[string]any {
		op := doc.Paths[path]["get"].(map[string]any)
		return op["responses"].(map[string]any)["200"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	}
	res, list := c.getJSON("/api/v1/drafts")
	checkShape(t, &doc, schema("/api/v1/drafts"), list, "drafts")
	if items := list.(map[string]any)["items"].([]any); len(items) != 1 {
		t.Fatalf("drafts = %s", res.Body)
	}
	res, one := c.getJSON("/api/v1/drafts/" + id)
	checkShape(t, &doc, schema("/api/v1/drafts/{id}"), one, "draft")
	m := one.(map[string]any)
	if len(m["versions"].([]any)) != 2 || len(m["amendments"].([]any)) != 1 || fmt.Sprint(m["contributions"]) != "[1]" {
		t.Errorf("draft = %s", res.Body)
	}
	if strings.Contains(res.Body, "@exemple.fr") {
		t.Error("the API shows an address")
	}
	if res, _ := c.getJSON("/api/v1/drafts/999"); res.Status != http.StatusNotFound {
		t.Errorf("unknown draft: %d", res.Status)
	}
}

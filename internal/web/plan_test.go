package web_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

func TestPlanFollowUp(t *testing.T) {
	a := newApp(t)
	rep, _ := a.user("rep@exemple.fr", ouvert.RoleAdministration) // Ministère de la Culture
	org, _ := a.user("org@exemple.fr", ouvert.RoleOrganiser)
	ana, _ := a.user("ana@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	a.setWriting(true)
	var drafts []string
	for _, title := range []string{"Ouvrir les données culturelles", "Des archives en ligne"} {
		res := rep.post("/projets/nouveau", url.Values{"title": {title}, "axis": {itoa(p.Axes[0].ID)}, "commitment": {"Publier."},
			"milestones": {"Inventaire | 2017-09 | 2017-12\nPublication | 2030-01 | 2030-06"}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("draft: %d", res.Status)
		}
		drafts = append(drafts, strings.TrimPrefix(res.Location, "/projets/"))
	}
	a.setWriting(false)
	for _, id := range drafts {
		org.post("/projets/"+id+"/final", nil)
	}

	// Organisers make the plan, in preparation: not public yet.
	if res := rep.get("/plans/nouveau"); res.Status != http.StatusForbidden {
		t.Fatalf("a representative opens the plan form: %d", res.Status)
	}
	form := url.Values{"title": {"Plan d'action national 2017-2019"}, "slug": {"plan-2017-2019"}, "status": {"preparation"},
		"period_start": {"2017-07-01"}, "period_end": {"2019-06-30"}, "introduction": {"Vingt et un engagements."}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("slug", "Plan 2017")
	if res := org.post("/plans/nouveau", bad); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Vingt et un engagements.") {
		t.Fatalf("bad slug: %d", res.Status)
	}
	if res := org.post("/plans/nouveau", form); res.Status != http.StatusSeeOther {
		t.Fatalf("plan: %d\n%s", res.Status, res.Body)
	}
	if res := ana.get("/plans/plan-2017-2019"); res.Status != http.StatusNotFound {
		t.Fatalf("a plan in preparation is public: %d", res.Status)
	}
	if res := org.post("/plans/plan-2017-2019/projets", url.Values{"drafts": drafts}); res.Status != http.StatusSeeOther {
		t.Fatalf("add drafts: %d", res.Status)
	}
	form.Set("status", "implementation")
	org.post("/plans/plan-2017-2019/modifier", form)
	tracker := ana.get("/plans/plan-2017-2019")
	contains(t, tracker, "Engagement 1 · Ouvrir les données culturelles", "Engagement 2 · Des archives en ligne", "Jalons en retard</a> : 2 / 4", "en retard")

	plan, _ := a.db.PlanBySlug(t.Context(), "plan-2017-2019")
	list, _ := a.db.Commitments(t.Context(), store.CommitmentFilter{PlanID: plan.ID})
	c := list[0]
	path := "/engagements/" + itoa(c.ID)
	ms, _ := a.db.PlanMilestones(t.Context(), c.ID)
	// Only the lead administration's representatives or organisers report.
	for _, what := range []string{"suivi", "jalon", "avancement"} {
		if res := ana.post(path+"/"+what, url.Values{"body": {"x"}, "milestone": {itoa(ms[0].ID)}, "status": {"done"}, "completion": {"complete"}}); res.Status != http.StatusForbidden {
			t.Errorf("a participant posts %s: %d", what, res.Status)
		}
	}
	ana.post(path+"/suivre", url.Values{"follow": {"1"}})
	if res := rep.post(path+"/suivi", url.Values{"body": {"Inventaire publié : [voir](https://www.data.gouv.fr)."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("update: %d", res.Status)
	}
	if res := rep.post(path+"/jalon", url.Values{"milestone": {itoa(ms[0].ID)}, "status": {"done"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("milestone: %d", res.Status)
	}
	res := rep.post(path+"/avancement", url.Values{"completion": {"substantial"}, "progress": {"80"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("progress without reason: %d", res.Status)
	}
	contains(t, res, "Donnez la raison d&#39;un avancement fixé à la main.")
	rep.post(path+"/avancement", url.Values{"completion": {"substantial"}, "progress": {"80"}, "reason": {"Données en ligne."}})
	page := ana.get(path)
	contains(t, page, "substantiel", "avancement 80 %", "Inventaire publié", `href="https://www.data.gouv.fr"`, "Jalon « Inventaire » : atteint",
		"D&#39;où vient cet engagement", `href="/projets/`+drafts[0]+`"`)
	lacks(t, page, `action="`+path+`/suivi"`)
	contains(t, ana.get("/notifications"), "Nouvelles de l&#39;engagement « Ouvrir les données culturelles »")
	contains(t, ana.get("/plans/plan-2017-2019?retard=1"), "Des archives en ligne")
	lacks(t, ana.get("/plans/plan-2017-2019?retard=1"), "Engagement 1 ·")

	// The API gives the plan, its commitments and milestones, and a commitment's follow-up.
	c2 := a.client()
	docRes, _ := c2.getJSON("/api/v1/openapi.json")
	var doc openAPI
	if err := json.Unmarshal([]byte(docRes.Body), &doc); err != nil {
		t.Fatal(err)
	}
	schema := func(path string) map[string]any {
		op := doc.Paths[path]["get"].(map[string]any)
		return op["responses"].(map[string]any)["200"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	}
	for path, doc2 := range map[string]string{"/api/v1/plans": "/api/v1/plans", "/api/v1/plans/plan-2017-2019": "/api/v1/plans/{slug}",
		"/api/v1/commitments/" + itoa(c.ID): "/api/v1/commitments/{id}"} {
		res, v := c2.getJSON(path)
		if res.Status != http.StatusOK {
			t.Fatalf("%s: %d", path, res.Status)
		}
		checkShape(t, &doc, schema(doc2), v, path)
		if strings.Contains(res.Body, "@exemple.fr") {
			t.Errorf("%s shows an address", path)
		}
	}
	_, one := c2.getJSON("/api/v1/commitments/" + itoa(c.ID))
	if m := one.(map[string]any); m["progress"] != float64(80) || len(m["updates"].([]any)) != 3 || len(m["milestones"].([]any)) != 2 {
		t.Errorf("commitment = %v", m)
	}

	// Take it away: every commitment on the print-ready page, and the CSV.
	contains(t, ana.get("/plans/plan-2017-2019/imprimer"), "Sommaire", `id="engagement-1"`, `id="engagement-2"`, "Des archives en ligne")
	res = ana.get("/plans/plan-2017-2019/engagements.csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 5 || rows[0][0] != "number" || rows[1][6] != "substantial" || rows[1][11] != "done" || rows[3][12] != "true" {
		t.Fatalf("csv (%v):\n%s", err, res.Body)
	}
}

func TestReviewAPastPlan(t *testing.T) {
	a := newApp(t)
	ana, _ := a.user("ana@exemple.fr", ouvert.RoleParticipant)
	rep, _ := a.user("rep@exemple.fr", ouvert.RoleAdministration) // Ministère de la Culture
	p := a.process()
	plan := &ouvert.Plan{ProcessID: p.ID, Slug: "plan-2013-2015", Title: "Plan 2013-2015", Status: ouvert.PlanClosed, ReviewOpen: true,
		PeriodStart: p.Phases[0].StartsAt.AddDate(-2, 0, 0), PeriodEnd: p.Phases[0].StartsAt}
	if err := a.db.SavePlan(t.Context(), plan); err != nil {
		t.Fatal(err)
	}
	c := &ouvert.Commitment{PlanID: plan.ID, Title: "Ouvrir les données culturelles", LeadAdministration: "Ministère de la Culture",
		Sections: map[string]string{ouvert.SectionCommitment: "Publier."}}
	if err := a.db.CreateCommitment(t.Context(), c, nil); err != nil {
		t.Fatal(err)
	}
	om := &ouvert.Event{ProcessID: p.ID, Kind: ouvert.EventOpenMinistry, Status: ouvert.EventPublished, Title: "Ministère ouvert de la Culture",
		HostAdministration: "Ministère de la Culture", StartsAt: p.Phases[1].StartsAt, EndsAt: p.Phases[1].StartsAt.Add(2 * 3600e9), Venue: "Valois", Address: "Paris"}
	if err := a.db.CreateEvent(t.Context(), om); err != nil {
		t.Fatal(err)
	}
	path := "/engagements/" + itoa(c.ID)
	contains(t, ana.get("/plans/plan-2013-2015"), "Retours d&#39;expérience ouverts")
	res := ana.post(path+"/avis", url.Values{"implementation": {"4"}, "comment": {"Utile mais incomplet."}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("review without usefulness: %d", res.Status)
	}
	contains(t, res, "Choisissez une note de 1 à 5.", "Utile mais incomplet.")
	if res := ana.post(path+"/avis", url.Values{"implementation": {"4"}, "usefulness": {"5"}, "comment": {"Utile mais incomplet."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("review: %d", res.Status)
	}
	contains(t, a.client().get(path), "1 évaluation", "mise en œuvre : 4,0 / 5", "Utile mais incomplet.")
	if res := ana.post(path+"/constats", url.Values{"event": {itoa(om.ID)}, "findings": {"Piraté"}}); res.Status != http.StatusForbidden {
		t.Fatalf("a participant records findings: %d", res.Status)
	}
	if res := rep.post(path+"/constats", url.Values{"event": {itoa(om.ID)}, "findings": {"Les données sont publiées, peu réutilisées."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("findings: %d\n%s", res.Status, res.Body)
	}
	contains(t, a.client().get(path), "Constats des ministères ouverts", "Ministère ouvert de la Culture", "peu réutilisées")
}

func TestEnterACommitment(t *testing.T) {
	a := newApp(t)
	org, _ := a.user("org@exemple.fr", ouvert.RoleOrganiser)
	ana, _ := a.user("ana@exemple.fr", ouvert.RoleParticipant)
	path := "/plans/plan-2015-2017/engagements"
	if res := ana.post(path, url.Values{"title": {"Piraté"}, "lead_administration": {"X"}}); res.Status != http.StatusForbidden {
		t.Fatalf("a participant enters a commitment: %d", res.Status)
	}
	form := url.Values{"title": {"Publier les subventions aux associations"}, "lead_administration": {"Premier ministre"},
		"commitment": {"Publier chaque année les subventions versées."}, "milestones": {"Premier jeu de données | 2016-03 | 2016-13"}}
	res := org.post(path, form)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad milestone date: %d", res.Status)
	}
	contains(t, res, "Un jalon a une date illisible", "Publier les subventions aux associations", "2016-13")
	form.Set("milestones", "Premier jeu de données | 2016-03 | 2016-12")
	res = org.post(path, form)
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/engagements/") {
		t.Fatalf("enter: %d %q", res.Status, res.Location)
	}
	contains(t, ana.get(res.Location), "Engagement 4 · Publier les subventions aux associations", "Premier jeu de données", "Premier ministre")
}

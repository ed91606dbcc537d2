package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"ouvert/internal/i18n"
	"ouvert/internal/ouvert"
	"ouvert/internal/planimport"
	"ouvert/internal/store"
)

// importCommitments posts a CSV file to a plan's import form.
func (c *client) importCommitments(slug, filename, data string) response {
	c.a.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if filename != "" {
		f, _ := w.CreateFormFile("file", filename)
		f.Write([]byte(data))
	}
	w.Close()
	req, _ := http.NewRequest("POST", c.a.srv.URL+"/plans/"+slug+"/import", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", c.a.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// newPlan writes an empty plan in implementation, for the current process.
func (a *app) newPlan(slug string) *ouvert.Plan {
	a.t.Helper()
	pl := &ouvert.Plan{ProcessID: a.process().ID, Slug: slug, Title: "Plan " + slug, Status: ouvert.PlanImplementation,
		PeriodStart: time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2019, 6, 30, 0, 0, 0, 0, time.UTC)}
	if err := a.db.SavePlan(context.Background(), pl); err != nil {
		a.t.Fatal(err)
	}
	return pl
}

func (a *app) commitments(planID int64) []*ouvert.Commitment {
	a.t.Helper()
	list, err := a.db.Commitments(context.Background(), store.CommitmentFilter{PlanID: planID})
	if err != nil {
		a.t.Fatal(err)
	}
	return list
}

const importHeader = "number,title,axis,lead_administration,other_actors,ogp_values,completion,progress,milestone,milestone_start,milestone_end,milestone_status,milestone_late,url\n"

func TestPlanImport(t *testing.T) {
	a := newApp(t)
	org, _ := a.user("org@exemple.fr", ouvert.RoleOrganiser)
	ana, _ := a.user("ana@exemple.fr", ouvert.RoleParticipant)
	pl := a.newPlan("plan-importe")
	path := "/plans/" + pl.Slug + "/import"
	good := importHeader +
		"1,Ouvrir les données culturelles,,Ministère de la Culture,,transparency,substantial,,Inventaire,2017-09-01,2017-12-31,done,,\n" +
		"1,Ouvrir les données culturelles,,Ministère de la Culture,,transparency,substantial,,Publication,2018-01-01,2018-06-30,in_progress,,\n" +
		"2,Des archives en ligne,,Archives nationales,,,,,,,,,,\n"

	// Organisers only.
	if res := a.client().get(path); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/connexion?next=") {
		t.Errorf("anonymous: %d %s", res.Status, res.Location)
	}
	if res := ana.get(path); res.Status != http.StatusForbidden {
		t.Errorf("a participant opens the import form: %d", res.Status)
	}
	if res := ana.importCommitments(pl.Slug, "engagements.csv", good); res.Status != http.StatusForbidden {
		t.Errorf("a participant imports: %d", res.Status)
	}
	lacks(t, ana.get("/plans/"+pl.Slug), `href="`+path+`"`)
	contains(t, org.get("/plans/"+pl.Slug), `href="`+path+`"`)
	form := org.get(path)
	if form.Status != http.StatusOK {
		t.Fatalf("form: %d", form.Status)
	}
	contains(t, form, `enctype="multipart/form-data"`, `<label for="file">`, `accept=".csv,text/csv"`, `aria-describedby="file-hint"`,
		`href="/plans/`+pl.Slug+`/engagements.csv"`, "number, title, lead_administration", "AAAA-MM-JJ")

	// A bad line refuses everything, and says where and why in the person's language.
	bad := good + "2,Des archives en ligne,,Archives nationales,,,,,Index,2018-01-01,30/06/2018,,,\n"
	res := org.importCommitments(pl.Slug, "engagements.csv", bad)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d", res.Status)
	}
	contains(t, res, "Ligne 5, colonne « milestone_end » : la date doit s&#39;écrire AAAA-MM-JJ.", "rien n&#39;a été importé",
		`id="file-error"`, `aria-describedby="file-hint file-error"`, `aria-invalid="true"`, `class="error-summary"`)
	en, _ := a.user("en@exemple.fr", ouvert.RoleOrganiser)
	en.post("/langue", url.Values{"lang": {"en"}})
	contains(t, en.importCommitments(pl.Slug, "engagements.csv", bad), "Line 5, column “milestone_end”: the date must be written YYYY-MM-DD.")
	contains(t, org.importCommitments(pl.Slug, "engagements.csv", "number,titel,lead_administration\n1,T,M\n"),
		"Ligne 1, colonne « titel » : cette colonne est inconnue")
	if res := org.importCommitments(pl.Slug, "", ""); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("no file: %d", res.Status)
	} else {
		contains(t, res, "Choisissez un fichier CSV.")
	}
	if n := len(a.commitments(pl.ID)); n != 0 {
		t.Fatalf("refused imports left %d commitments", n)
	}

	res = org.importCommitments(pl.Slug, "engagements.csv", "\ufeff"+good)
	if res.Status != http.StatusSeeOther || res.Location != "/plans/"+pl.Slug {
		t.Fatalf("import: %d %s\n%s", res.Status, res.Location, res.Body)
	}
	contains(t, org.get("/plans/"+pl.Slug), "Les engagements sont importés dans le plan.", "Engagement 1 · Ouvrir les données culturelles",
		"Engagement 2 · Des archives en ligne")
	list := a.commitments(pl.ID)
	if len(list) != 2 || list[0].Milestones != 2 || list[0].MilestonesDone != 1 || list[0].Completion != "substantial" || list[1].Milestones != 0 {
		t.Fatalf("commitments = %+v", list)
	}
	// A second import numbers after the plan's own.
	if res := org.importCommitments(pl.Slug, "encore.csv", good); res.Status != http.StatusSeeOther {
		t.Fatalf("second import: %d", res.Status)
	}
	if list := a.commitments(pl.ID); len(list) != 4 || list[3].Number != 4 {
		t.Fatalf("after a second import: %d commitments", len(list))
	}
}

// TestPlanImportReasonsTranslated checks that every reason of a refused file reads in both languages.
func TestPlanImportReasonsTranslated(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range append(planimport.Reasons(), "import.line", "import.line_column", "import.refused") {
		if !cat.Has(k) {
			t.Errorf("the catalogues lack %s", k)
		}
	}
}

// TestPlanImportRoundTrip exports a plan's CSV, imports it into an empty plan and exports that:
// the two files are the same but for the commitments' addresses.
func TestPlanImportRoundTrip(t *testing.T) {
	for _, zone := range []string{"UTC", "Europe/Paris"} {
		t.Run(zone, func(t *testing.T) {
			importRoundTrip(t, zone)
		})
	}
}

func importRoundTrip(t *testing.T, zone string) {
	a := newApp(t)
	ctx := context.Background()
	if err := a.db.CreateProcess(ctx, &ouvert.Process{Slug: "processus-" + strings.ToLower(strings.ReplaceAll(zone, "/", "-")), Title: "Processus",
		TimeZone: zone, Axes: []ouvert.Axis{{Title: "Transparence"}, {Title: "Participation"}}}); err != nil {
		t.Fatal(err)
	}
	a.web.ForgetProcess()
	proc := a.process()
	loc := proc.Location()
	org, u := a.user("org@exemple.fr", ouvert.RoleOrganiser)
	src := a.newPlan("source")
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	end := func(y int, m time.Month, d int) time.Time { return day(y, m, d).AddDate(0, 0, 1).Add(-time.Second) }
	c1 := &ouvert.Commitment{PlanID: src.ID, AxisID: proc.Axes[0].ID, AxisTitle: proc.Axes[0].Title, Title: "=SOMME(A1:A3) des données ouvertes",
		LeadAdministration: "Ministère de la Culture", OtherActors: "Etalab, \"Ville de Paris\"\net des associations", Values: []string{"transparency", "technology"}}
	if err := a.db.CreateCommitment(ctx, c1, []store.NewMilestone{
		{Deliverable: "Inventaire", StartsAt: day(2017, 9, 1), EndsAt: end(2017, 12, 31), Status: ouvert.MilestoneDone},
		{Deliverable: "-Publication des données", StartsAt: day(2018, 1, 1), EndsAt: end(2018, 6, 30), Status: ouvert.MilestoneInProgress},
		{Deliverable: "@Outil de visualisation", EndsAt: end(2030, 6, 30)},
	}); err != nil {
		t.Fatal(err)
	}
	progress := 80
	if err := a.db.SetCompletion(ctx, c1.ID, ouvert.CompletionSubstantial, &progress, "Données en ligne.", u.ID); err != nil {
		t.Fatal(err)
	}
	c2 := &ouvert.Commitment{PlanID: src.ID, AxisTitle: "Un axe d'un autre plan", Title: "Des archives en ligne", LeadAdministration: "Archives nationales"}
	if err := a.db.CreateCommitment(ctx, c2, nil); err != nil {
		t.Fatal(err)
	}
	if err := a.db.SetCompletion(ctx, c2.ID, ouvert.CompletionLimited, nil, "", u.ID); err != nil {
		t.Fatal(err)
	}

	// The demo's previous plan too: milestones with an end and no start, all done.
	for _, from := range []string{src.Slug, "plan-2015-2017"} {
		first := org.get("/plans/" + from + "/engagements.csv")
		if first.Status != http.StatusOK {
			t.Fatalf("export %s: %d", from, first.Status)
		}
		to := a.newPlan("copie-de-" + from)
		if res := org.importCommitments(to.Slug, from+"-engagements.csv", first.Body); res.Status != http.StatusSeeOther {
			t.Fatalf("import %s: %d\n%s", from, res.Status, res.Body)
		}
		second := org.get("/plans/" + to.Slug + "/engagements.csv")
		before, after := withoutURL(t, first.Body), withoutURL(t, second.Body)
		if len(before) < 3 || !slices.EqualFunc(before, after, slices.Equal) {
			t.Errorf("%s: the round trip changed the CSV:\n%s\n---\n%s", from, first.Body, second.Body)
		}
	}
	if !strings.Contains(org.get("/plans/source/engagements.csv").Body, "'=SOMME") {
		t.Error("the export does not guard formulas any more: the test no longer checks they are read back")
	}
}

// withoutURL reads an exported CSV and drops its url column, the only one an import changes.
func withoutURL(t *testing.T, body string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "url")
	if col < 0 {
		t.Fatalf("no url column: %v", rows[0])
	}
	for i, r := range rows {
		rows[i] = slices.Delete(slices.Clone(r), col, col+1)
	}
	return rows
}

package planimport_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"ouvert/internal/csvsafe"
	"ouvert/internal/ouvert"
	"ouvert/internal/planimport"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

var header = []string{"number", "title", "axis", "lead_administration", "other_actors", "ogp_values", "completion", "progress",
	"milestone", "milestone_start", "milestone_end", "milestone_status", "milestone_late", "url"}

// exportLike writes lines as the plan's export does: byte-order mark, formula guard, quotes.
func exportLike(t *testing.T, lines ...[]string) string {
	t.Helper()
	var b bytes.Buffer
	w := csvsafe.NewWriter(&b)
	w.Write(header...)
	for _, l := range lines {
		w.Write(l...)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestParseExport(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	actors := "Etalab, \"Ville de Paris\"\net associations"
	file := exportLike(t,
		[]string{"1", "=1+1 données ouvertes", "Transparence", "Ministère de la Culture", actors, "transparency technology", "substantial", "80",
			"Inventaire", "2017-09-01", "2017-12-31", "done", "true", "http://x/engagements/1"},
		[]string{"1", "=1+1 données ouvertes", "Transparence", "Ministère de la Culture", actors, "transparency technology", "substantial", "80",
			"-Publication", "2030-01", "2030", "in_progress", "false", "http://x/engagements/1"},
		[]string{"2", "Des archives en ligne", "", "Archives nationales", "", "", "", "",
			"", "", "", "", "", "http://x/engagements/2"},
	)
	if !strings.Contains(file, "'=1+1") || !strings.Contains(file, "'-Publication") {
		t.Fatalf("the export's guard is not in the file:\n%s", file)
	}
	rows, err := planimport.Parse(strings.NewReader(file), paris)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("rows = %+v", rows)
	}
	c := rows[0]
	if c.Number != "1" || c.Title != "=1+1 données ouvertes" || c.Axis != "Transparence" || c.LeadAdministration != "Ministère de la Culture" ||
		c.OtherActors != actors || strings.Join(c.Values, " ") != "transparency technology" || c.Completion != "substantial" ||
		c.Progress == nil || *c.Progress != 80 || len(c.Milestones) != 2 || c.Line != 2 {
		t.Fatalf("commitment 1 = %+v", c)
	}
	m := c.Milestones[0]
	if m.Deliverable != "Inventaire" || m.Status != "done" || !m.StartsAt.Equal(time.Date(2017, 9, 1, 0, 0, 0, 0, paris)) ||
		!m.EndsAt.Equal(time.Date(2017, 12, 31, 23, 59, 59, 0, paris)) {
		t.Errorf("milestone 1 = %+v", m)
	}
	m = c.Milestones[1]
	if m.Deliverable != "-Publication" || m.Status != "in_progress" || !m.EndsAt.Equal(time.Date(2030, 12, 31, 23, 59, 59, 0, paris)) {
		t.Errorf("milestone 2 = %+v", m)
	}
	// The second line of commitment 1 starts on line 4: the first's other actors span lines 2 and 3.
	if m.Line != 4 {
		t.Errorf("milestone 2 on line %d", m.Line)
	}
	c = rows[1]
	if c.Number != "2" || c.Completion != ouvert.CompletionNotStarted || c.Progress != nil || len(c.Milestones) != 0 || c.Values != nil {
		t.Errorf("commitment 2 = %+v", c)
	}
	if n, ms := planimport.Count(rows); n != 2 || ms != 2 {
		t.Errorf("count = %d, %d", n, ms)
	}
}

// TestParseSpreadsheet reads what a person makes in a French spreadsheet: semicolons, columns
// in another order, some left out, a blank line at the end, statuses in capitals.
func TestParseSpreadsheet(t *testing.T) {
	file := "Title;Number;lead_administration;milestone;milestone_end;milestone_status;;\n" +
		"Budget ouvert;A;Ministère des Finances;Données du budget;2018-06-30;Done;;\n" +
		"Budget ouvert;A;Ministère des Finances;Outil de visualisation;;;;\n" +
		";;;;;;;\n"
	rows, err := planimport.Parse(strings.NewReader(file), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Title != "Budget ouvert" || len(rows[0].Milestones) != 2 || rows[0].Milestones[0].Status != "done" ||
		rows[0].Milestones[1].Status != "not_started" || !rows[0].Milestones[1].EndsAt.IsZero() {
		t.Fatalf("rows = %+v", rows)
	}
}

func TestParseRefuses(t *testing.T) {
	h := strings.Join(header, ",") + "\n"
	good := "1,Titre,Axe,Ministère,,,,,Jalon,2018-01-01,2018-06-30,done,false,\n"
	for _, tt := range []struct {
		name, file string
		line       int
		column     string
		reason     string
	}{
		{"empty file", "", 1, "", "import.no_header"},
		{"header only", h, 2, "", "import.empty"},
		{"missing required column", "number,title,milestone\n1,Titre,Jalon\n", 1, "lead_administration", "import.missing_column"},
		{"unknown column", "number,title,lead_administration,milestone_ends\n1,T,M,2018\n", 1, "milestone_ends", "import.unknown_column"},
		{"duplicate column", "number,title,lead_administration,title\n1,T,M,T\n", 1, "title", "import.duplicate_column"},
		{"value under an unnamed column", "number,title,lead_administration,\n1,T,M,perdu\n", 2, "4", "import.unnamed_column"},
		{"too few cells", h + "1,Titre\n", 2, "", "import.field_count"},
		{"bad quotes", h + good + `2,"Titre,Axe,M,,,,,,,,,,` + "\n", 3, "", "import.bad_csv"},
		{"not UTF-8", h + good + "2,Donn\xe9es,Axe,M,,,,,,,,,,\n", 3, "", "import.bad_encoding"},
		{"empty title", h + "1,,Axe,Ministère,,,,,,,,,,\n", 2, "title", "import.required"},
		{"empty number", h + good + ",Titre,Axe,Ministère,,,,,,,,,,\n", 3, "number", "import.required"},
		{"empty lead", h + "1,Titre,Axe,,,,,,,,,,,\n", 2, "lead_administration", "import.required"},
		{"title too long", h + "1," + strings.Repeat("a", 301) + ",Axe,M,,,,,,,,,,\n", 2, "title", "import.too_long"},
		{"bad end date", h + good + good + "1,Titre,Axe,Ministère,,,,,Jalon 3,2018-01-01,30/06/2018,done,false,\n", 4, "milestone_end", "import.bad_date"},
		{"bad start date", h + "1,Titre,Axe,M,,,,,Jalon,janvier,,,,\n", 2, "milestone_start", "import.bad_date"},
		{"end before start", h + "1,Titre,Axe,M,,,,,Jalon,2018-06,2018-01,,,\n", 2, "milestone_end", "import.date_order"},
		{"bad status", h + "1,Titre,Axe,M,,,,,Jalon,,2018-01,fini,,\n", 2, "milestone_status", "import.bad_status"},
		{"done without end", h + "1,Titre,Axe,M,,,,,Jalon,2018-01,,done,,\n", 2, "milestone_end", "import.done_without_end"},
		{"dates without deliverable", h + "1,Titre,Axe,M,,,,,,2018-01,2018-06,,,\n", 2, "milestone", "import.milestone_no_title"},
		{"bad completion", h + "1,Titre,Axe,M,,,terminé,,,,,,,\n", 2, "completion", "import.bad_completion"},
		{"progress not a number", h + "1,Titre,Axe,M,,,,beaucoup,,,,,,\n", 2, "progress", "import.bad_progress"},
		{"progress over 100", h + "1,Titre,Axe,M,,,,120,,,,,,\n", 2, "progress", "import.bad_progress"},
		{"bad OGP value", h + "1,Titre,Axe,M,,transparency inclusion,,,,,,,,\n", 2, "ogp_values", "import.bad_value"},
		{"repeated lines disagree", h + good + "1,Titre,Autre axe,Ministère,,,,,Jalon 2,,,,,\n", 3, "axis", "import.disagrees"},
		{"repeated lines disagree on progress", h + "1,Titre,Axe,M,,,,50,J1,,,,,\n1,Titre,Axe,M,,,,60,J2,,,,,\n", 3, "progress", "import.disagrees"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := planimport.Parse(strings.NewReader(tt.file), time.UTC)
			var e *planimport.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse = %+v, %v; want an *Error", rows, err)
			}
			if e.Line != tt.line || e.Column != tt.column || e.Reason != tt.reason {
				t.Errorf("error = line %d, column %q, %s; want line %d, column %q, %s", e.Line, e.Column, e.Reason, tt.line, tt.column, tt.reason)
			}
		})
	}
}

func TestErrorSentence(t *testing.T) {
	e := &planimport.Error{Line: 4, Column: "milestone_end", Reason: "import.bad_date"}
	if got, want := e.Error(), "line 4, column milestone_end: the date must be written YYYY-MM-DD"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := (&planimport.Error{Line: 3, Reason: "import.bad_csv"}).Error(); got != "line 3: the line is not valid CSV: check its quotes" {
		t.Errorf("Error() = %q", got)
	}
	for _, k := range planimport.Reasons() {
		if got := (&planimport.Error{Line: 1, Reason: k}).Error(); strings.Contains(got, "import.") {
			t.Errorf("%s has no English text: %q", k, got)
		}
	}
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	proc := &ouvert.Process{Slug: "p", Title: "P", TimeZone: "UTC", Axes: []ouvert.Axis{{Title: "Transparence"}, {Title: "Participation"}}}
	if err := db.CreateProcess(ctx, proc); err != nil {
		t.Fatal(err)
	}
	proc, _ = db.CurrentProcess(ctx)
	plan := &ouvert.Plan{ProcessID: proc.ID, Slug: "plan", Title: "Plan", Status: ouvert.PlanImplementation,
		PeriodStart: time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2019, 6, 30, 0, 0, 0, 0, time.UTC)}
	if err := db.SavePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateCommitment(ctx, &ouvert.Commitment{PlanID: plan.ID, Title: "Déjà là", LeadAdministration: "Etalab"}, nil); err != nil {
		t.Fatal(err)
	}
	file := exportLike(t,
		[]string{"7", "Ouvrir les données", "Participation", "Ministère de la Culture", "", "transparency", "substantial", "80",
			"Inventaire", "2017-09-01", "2017-12-31", "done", "", ""},
		[]string{"7", "Ouvrir les données", "Participation", "Ministère de la Culture", "", "transparency", "substantial", "80",
			"Publication", "2018-01-01", "2018-06-30", "not_started", "", ""},
		[]string{"9", "Sans jalon", "Axe inconnu", "Archives nationales", "", "", "limited", "0", "", "", "", "", "", ""},
	)
	rows, err := planimport.Parse(strings.NewReader(file), time.UTC)
	if err != nil {
		t.Fatal(err)
	}

	// All or nothing: a commitment the store refuses undoes the ones before it.
	bad := append(append([]planimport.Row{}, rows...), planimport.Row{Number: "10", LeadAdministration: "Etalab", Completion: "limited"})
	if _, err := planimport.Import(ctx, db, plan.ID, bad); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("import with a commitment without title: %v", err)
	}
	if list, _ := db.Commitments(ctx, store.CommitmentFilter{PlanID: plan.ID}); len(list) != 1 {
		t.Fatalf("a refused import left %d commitments", len(list))
	}

	if n, err := planimport.Import(ctx, db, plan.ID, rows); err != nil || n != 2 {
		t.Fatalf("import = %d, %v", n, err)
	}
	list, err := db.Commitments(ctx, store.CommitmentFilter{PlanID: plan.ID})
	if err != nil || len(list) != 3 {
		t.Fatalf("commitments = %v, %v", list, err)
	}
	c := list[1]
	if c.Number != 2 || c.Title != "Ouvrir les données" || c.AxisTitle != "Participation" || c.AxisID != proc.Axes[1].ID ||
		c.Completion != "substantial" || c.Progress != 80 || !c.ProgressManual || c.Milestones != 2 || c.MilestonesDone != 1 ||
		strings.Join(c.Values, " ") != "transparency" {
		t.Errorf("commitment 2 = %+v", c)
	}
	ms, _ := db.PlanMilestones(ctx, c.ID)
	if len(ms) != 2 || ms[0].Status != "done" || !ms[0].DoneAt.Equal(ms[0].EndsAt) || ms[1].Deliverable != "Publication" {
		t.Errorf("milestones = %+v", ms)
	}
	c = list[2]
	if c.Number != 3 || c.AxisID != 0 || c.AxisTitle != "Axe inconnu" || c.Completion != "limited" || c.Progress != 0 || c.ProgressManual || c.Milestones != 0 {
		t.Errorf("commitment 3 = %+v", c)
	}
	if p, _ := db.PlanByID(ctx, plan.ID); p.Commitments != 3 {
		t.Errorf("the plan counts %d commitments", p.Commitments)
	}
}

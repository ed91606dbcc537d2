package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

func TestImportCommitments(t *testing.T) {
	ctx := context.Background()
	url, db, _ := processDB(t, "A")
	plan := &ouvert.Plan{Slug: "plan-2017-2019", Title: "Plan", Status: ouvert.PlanImplementation,
		PeriodStart: time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2019, 6, 30, 0, 0, 0, 0, time.UTC)}
	if err := db.SavePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	header := "\ufeffnumber,title,axis,lead_administration,other_actors,ogp_values,completion,progress,milestone,milestone_start,milestone_end,milestone_status,milestone_late,url\n"
	good := header +
		"1,Ouvrir les données culturelles,A,Ministère de la Culture,,transparency,limited,50,Inventaire,2017-09,2017-12,done,true,\n" +
		"1,Ouvrir les données culturelles,A,Ministère de la Culture,,transparency,limited,50,Publication,2018-01,2018-06,in_progress,false,\n" +
		"2,Des archives en ligne,A,Archives nationales,,,,,Numérisation,2018-01-01,2018-12-31,,,\n"
	bad := write("mauvais.csv", good+"2,Des archives en ligne,A,Archives nationales,,,,,Index,2018-01-01,31/12/2018,,,\n")
	okPath := write("engagements.csv", good)
	count := func() int {
		list, err := db.Commitments(ctx, store.CommitmentFilter{PlanID: plan.ID})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{bad, "--plan", plan.Slug}, "mauvais.csv: line 5, column milestone_end: the date must be written YYYY-MM-DD"},
		{[]string{okPath, "--plan", "pas-de-plan"}, `no such plan "pas-de-plan"`},
		{[]string{okPath}, "--plan"},
		{[]string{filepath.Join(dir, "absent.csv"), "--plan", plan.Slug}, "absent.csv"},
	} {
		err := run(ctx, append(append([]string{"import", "commitments"}, tt.args...), "--database", url), nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("import commitments %v: err = %v, want %q", tt.args, err, tt.want)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("refused imports wrote %d commitments", n)
	}

	var out bytes.Buffer
	if err := run(ctx, []string{"import", "commitments", okPath, "--plan", plan.Slug, "--dry-run", "--database", url}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2 commitments and 3 milestones would be imported") || count() != 0 {
		t.Fatalf("dry run: %q, %d commitments", out.String(), count())
	}
	out.Reset()
	// Flags may come before the file too.
	if err := run(ctx, []string{"import", "commitments", "--database", url, "--plan", plan.Slug, okPath}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "imported 2 commitments and 3 milestones") {
		t.Errorf("output %q", out.String())
	}
	list, _ := db.Commitments(ctx, store.CommitmentFilter{PlanID: plan.ID})
	if len(list) != 2 || list[0].Title != "Ouvrir les données culturelles" || list[0].Milestones != 2 || list[0].MilestonesDone != 1 ||
		list[0].Completion != "limited" || list[0].Progress != 50 || list[0].ProgressManual || list[1].Number != 2 || list[1].Milestones != 1 {
		t.Fatalf("commitments = %+v", list)
	}
	ms, _ := db.PlanMilestones(ctx, list[0].ID)
	paris, _ := time.LoadLocation("Europe/Paris")
	if len(ms) != 2 || !ms[0].StartsAt.Equal(time.Date(2017, 9, 1, 0, 0, 0, 0, paris)) || !ms[0].EndsAt.Equal(time.Date(2017, 12, 31, 23, 59, 59, 0, paris)) {
		t.Errorf("milestones = %+v", ms)
	}
}

package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

func TestImportContributions(t *testing.T) {
	ctx := context.Background()
	url, db, p := processDB(t, "A", "B")
	var help, flags bytes.Buffer
	run(ctx, []string{"--help"}, nil, &help, io.Discard)
	run(ctx, []string{"import", "contributions", "--help"}, nil, io.Discard, &flags)
	if !strings.Contains(help.String(), "ouvert import contributions") || !strings.Contains(flags.String(), "without those files they are zero") ||
		!strings.Contains(flags.String(), "-votes") {
		t.Errorf("help lacks the command or its flags:\n%s\n%s", help.String(), flags.String())
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	contributions := "\ufeffid,axis_id,status,hidden_reason,title,body,participant,author_name,created_at\n" +
		"7,41,published,,Ouvrir les données,Publier les subventions.,p-aaaa,Alice,2017-10-05T14:30:00Z\n" +
		"8,42,hidden,spam,,,,,2017-10-05T15:00:00Z\n" +
		"9,42,withdrawn,,,,,,2017-10-05T16:00:00Z\n"
	good := write("contributions.csv", contributions)
	bad := write("mauvais.csv", contributions+"10,41,publiée,,T,B,,,\n")
	axes := write("axes.csv", "id,process,number,title\n41,source,1,A\n42,source,2,B\n")
	arguments := write("arguments.csv", "id,contribution_id,parent_id,stance,body,participant,author_name\n1,7,0,for,Un argument.,p-bbbb,Bob\n2,7,1,,Une réponse.,p-aaaa,Alice\n")
	votes := write("votes.csv", "contribution_id,participant,value,voted_at\n7,p-bbbb,1,2017-10-06T10:00:00Z\n7,p-cccc,'-1,2017-10-06T10:00:00Z\n8,p-aaaa,0,2017-10-06T10:00:00Z\n")
	badVotes := write("votes-mauvais.csv", "contribution_id,participant,value\n7,p-bbbb,1\n7,p-cccc,2\n")
	count := func() int {
		n := 0
		db.EachContribution(ctx, func(*ouvert.Contribution) error { n++; return nil })
		return n
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{bad, "--process", "p", "--axes", axes}, "mauvais.csv: line 5, column status: the status must be published, hidden or withdrawn"},
		{[]string{good, "--process", "p"}, "contributions.csv: line 2, column axis_id: the process has no axis of this identifier"},
		{[]string{good, "--process", "p", "--axes", axes, "--votes", badVotes}, "votes-mauvais.csv: line 3, column value: the value must be 1 (agree), 0 (mixed) or -1 (disagree)"},
		{[]string{good, "--process", "pas-de-processus"}, `no such process "pas-de-processus"`},
		{[]string{good}, "--process"},
		{[]string{filepath.Join(dir, "absent.csv"), "--process", "p"}, "absent.csv"},
		{[]string{good, "--process", "p", "--votes", filepath.Join(dir, "absent-votes.csv")}, "absent-votes.csv"},
	} {
		err := run(ctx, append(append([]string{"import", "contributions"}, tt.args...), "--database", url), nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("import contributions %v: err = %v, want %q", tt.args, err, tt.want)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("refused imports wrote %d contributions", n)
	}

	all := []string{"--process", "p", "--axes", axes, "--arguments", arguments, "--votes", votes}
	var out bytes.Buffer
	if err := run(ctx, append([]string{"import", "contributions", good, "--dry-run", "--database", url}, all...), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	want := `3 contributions (1 hidden, 1 withdrawn), 2 arguments, 3 votes from 3 participants would be imported into "p"; nothing written`
	if !strings.Contains(out.String(), want) || count() != 0 {
		t.Fatalf("dry run: %q, %d contributions", out.String(), count())
	}
	out.Reset()
	// Flags may come before the file too.
	if err := run(ctx, append(append([]string{"import", "contributions", "--database", url}, all...), good), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if want := `imported 3 contributions (1 hidden, 1 withdrawn), 2 arguments, 3 votes from 3 participants into "p"`; !strings.Contains(out.String(), want) {
		t.Errorf("output %q, want %q", out.String(), want)
	}
	list, total, err := db.Contributions(ctx, store.ContributionFilter{ProcessID: p.ID})
	if err != nil || total != 1 || len(list) != 1 {
		t.Fatalf("published = %d, %v", total, err)
	}
	if c := list[0]; c.Title != "Ouvrir les données" || c.AxisID != p.Axes[0].ID || c.AuthorName != "Alice" || c.Agree != 1 || c.Disagree != 1 || c.Arguments != 1 {
		t.Errorf("contribution = %+v", c)
	}
}

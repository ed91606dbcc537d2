package polis

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// sharedData is the project's real participation data, beside the repository.
func sharedData(t *testing.T) string {
	t.Helper()
	dir, _ := filepath.Abs("../../../shared/data/polis")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no shared Polis data at %s", dir)
	}
	return dir
}

func TestReadRealConversations(t *testing.T) {
	root := sharedData(t)
	hidden := 0
	for _, name := range []string{"15-per-hour-seattle", "brexit-consensus", "canadian-electoral-reform", "football-concussions"} {
		c, err := Read(filepath.Join(root, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(c.Statements) < 40 || len(c.Votes) < 1000 {
			t.Errorf("%s: %d statements, %d votes", name, len(c.Statements), len(c.Votes))
		}
		for _, s := range c.Statements {
			if s.Hidden() {
				hidden++
			}
		}
		seen := map[[2]int]bool{}
		for _, v := range c.Votes {
			k := [2]int{v.StatementID, v.VoterID}
			if seen[k] {
				t.Fatalf("%s: two votes kept for voter %d on statement %d", name, v.VoterID, v.StatementID)
			}
			seen[k] = true
		}
	}
	if hidden == 0 {
		t.Error("no moderated-out statement in any conversation")
	}
}

func TestBadFilesAreRefusedWithLineAndColumn(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	header := "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
	write("votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n")
	for _, tt := range []struct {
		comments string
		line     int
		column   string
	}{
		{header + "1,x,0,0,1,0,1,Bon\n2,x,un,0,1,0,1,Mauvais\n", 3, "comment-id"},
		{header + "1,x,0,0,1,0,7,Bon\n", 2, "moderated"},
		{"timestamp,comment-id\n1,0\n", 1, "author-id"},
	} {
		write("comments.csv", tt.comments)
		_, err := Read(dir)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != tt.line || pe.Column != tt.column || pe.File != "comments.csv" {
			t.Errorf("Read = %v, want comments.csv line %d column %s", err, tt.line, tt.column)
		}
	}
	write("comments.csv", header+"1,x,0,0,1,0,1,Bon\n")
	write("votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,2\n")
	var pe *ParseError
	if _, err := Read(dir); !errors.As(err, &pe) || pe.File != "votes.csv" || pe.Line != 2 || pe.Column != "vote" {
		t.Errorf("bad vote: %v", err)
	}
}

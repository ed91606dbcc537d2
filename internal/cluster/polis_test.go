package cluster

import (
	"os"
	"path/filepath"
	"testing"

	"ouvert/internal/polis"
)

// conversations are the shared Polis exports the tests read, each the axis
// of its index plus one.
var conversations = []string{"15-per-hour-seattle", "brexit-consensus", "canadian-electoral-reform", "football-concussions"}

// statement is a real Polis statement.
type statement struct {
	conv int // index in conversations
	id   int
	text string
}

// polisStatements returns the non-empty statements of the shared Polis
// conversations (moderated-out ones included: they are real contributions,
// often removed for being repeats), or skips the test without the data.
func polisStatements(tb testing.TB) []statement {
	tb.Helper()
	root, _ := filepath.Abs("../../../shared/data/polis")
	if _, err := os.Stat(root); err != nil {
		tb.Skipf("no shared Polis data at %s", root)
	}
	var out []statement
	for n, name := range conversations {
		c, err := polis.Read(filepath.Join(root, name))
		if err != nil {
			tb.Fatal(err)
		}
		for _, s := range c.Statements {
			if s.Text != "" {
				out = append(out, statement{n, s.ID, s.Text})
			}
		}
	}
	return out
}

// statementDocs turns statements into docs: id conversation*10000 + id,
// axis the conversation.
func statementDocs(ss []statement) []Doc {
	docs := make([]Doc, len(ss))
	for i, s := range ss {
		docs[i] = Doc{ID: statementID(s.conv, s.id), Axis: int64(s.conv + 1), Text: s.text}
	}
	return docs
}

func statementID(conv, id int) int64 { return int64(conv)*10000 + int64(id) }

// Package polis reads a Polis open-data export: a conversation's statements (comments.csv) and
// votes (votes.csv). Ouvert's tests and benchmarks load real conversations with it, and the import
// command turns them into contributions and votes.
package polis

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Attribution is the notice the data's publishers ask to keep with it.
const Attribution = "Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed " +
	"under CC BY 4.0 with Attribution to The Computational Democracy Project."

// Statement is one statement of a conversation.
type Statement struct {
	ID        int
	AuthorID  int
	Agrees    int
	Disagrees int
	// Moderated is 1 when moderators accepted the statement, -1 when they moderated it out, and
	// 0 when it was never reviewed.
	Moderated int
	Text      string
	Time      time.Time
}

// Hidden reports whether Polis' moderators took the statement out of the conversation.
func (s Statement) Hidden() bool { return s.Moderated < 0 }

// Vote is one participant's last vote on a statement: 1 agree, -1 disagree, 0 pass.
type Vote struct {
	StatementID int
	VoterID     int
	Value       int
	Time        time.Time
}

// Conversation is a whole export.
type Conversation struct {
	Name       string
	Statements []Statement
	Votes      []Vote
}

// ParseError says which line and column of which file was refused, and why.
type ParseError struct {
	File   string
	Line   int
	Column string
	Reason string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("polis: %s, line %d, column %s: %s", e.File, e.Line, e.Column, e.Reason)
}

// Read reads the export in dir. Any bad line refuses the whole conversation with a *ParseError.
func Read(dir string) (*Conversation, error) {
	c := &Conversation{Name: filepath.Base(dir)}
	var err error
	if c.Statements, err = readStatements(filepath.Join(dir, "comments.csv")); err != nil {
		return nil, err
	}
	if c.Votes, err = readVotes(filepath.Join(dir, "votes.csv")); err != nil {
		return nil, err
	}
	known := map[int]bool{}
	for _, s := range c.Statements {
		known[s.ID] = true
	}
	for _, v := range c.Votes {
		if !known[v.StatementID] {
			return nil, fmt.Errorf("polis: votes.csv: a vote on statement %d, which comments.csv lacks", v.StatementID)
		}
	}
	return c, nil
}

// table reads a CSV file with a header and calls row for each record with a column getter.
func table(path string, want []string, row func(line int, get func(col string) (string, int)) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("polis: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return &ParseError{File: filepath.Base(path), Line: 1, Column: "-", Reason: "no header: " + err.Error()}
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.TrimSpace(h)] = i
	}
	for _, w := range want {
		if _, ok := cols[w]; !ok {
			return &ParseError{File: filepath.Base(path), Line: 1, Column: w, Reason: "missing column"}
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return &ParseError{File: filepath.Base(path), Line: pe.Line, Column: strconv.Itoa(pe.Column), Reason: pe.Err.Error()}
			}
			return fmt.Errorf("polis: %s: %w", path, err)
		}
		get := func(col string) (string, int) { return rec[cols[col]], line }
		if err := row(line, get); err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				pe.File = filepath.Base(path)
			}
			return err
		}
	}
}

func intField(get func(string) (string, int), col string, allowEmpty bool) (int, error) {
	s, line := get(col)
	s = strings.TrimSpace(s)
	if s == "" && allowEmpty {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, &ParseError{Line: line, Column: col, Reason: fmt.Sprintf("%q is not a whole number", s)}
	}
	return n, nil
}

func timeField(get func(string) (string, int)) (time.Time, error) {
	ms, err := intField(get, "timestamp", false)
	if err != nil {
		return time.Time{}, err
	}
	return time.UnixMilli(int64(ms)).UTC(), nil
}

func readStatements(path string) ([]Statement, error) {
	var out []Statement
	err := table(path, []string{"timestamp", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"},
		func(line int, get func(string) (string, int)) error {
			var s Statement
			var err error
			if s.Time, err = timeField(get); err != nil {
				return err
			}
			if s.ID, err = intField(get, "comment-id", false); err != nil {
				return err
			}
			if s.AuthorID, err = intField(get, "author-id", false); err != nil {
				return err
			}
			if s.Agrees, err = intField(get, "agrees", true); err != nil {
				return err
			}
			if s.Disagrees, err = intField(get, "disagrees", true); err != nil {
				return err
			}
			if s.Moderated, err = intField(get, "moderated", true); err != nil {
				return err
			}
			if s.Moderated < -1 || s.Moderated > 1 {
				return &ParseError{Line: line, Column: "moderated", Reason: "want -1, 0 or 1"}
			}
			s.Text, _ = get("comment-body")
			s.Text = strings.TrimSpace(s.Text)
			out = append(out, s)
			return nil
		})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// readVotes keeps each voter's last vote on each statement, as Polis does.
func readVotes(path string) ([]Vote, error) {
	type key struct{ s, v int }
	last := map[key]Vote{}
	err := table(path, []string{"timestamp", "comment-id", "voter-id", "vote"},
		func(line int, get func(string) (string, int)) error {
			var v Vote
			var err error
			if v.Time, err = timeField(get); err != nil {
				return err
			}
			if v.StatementID, err = intField(get, "comment-id", false); err != nil {
				return err
			}
			if v.VoterID, err = intField(get, "voter-id", false); err != nil {
				return err
			}
			if v.Value, err = intField(get, "vote", false); err != nil {
				return err
			}
			if v.Value < -1 || v.Value > 1 {
				return &ParseError{Line: line, Column: "vote", Reason: "want -1, 0 or 1"}
			}
			k := key{v.StatementID, v.VoterID}
			if old, ok := last[k]; !ok || !v.Time.Before(old.Time) {
				last[k] = v
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	out := make([]Vote, 0, len(last))
	for _, v := range last {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.Before(out[j].Time)
		}
		if out[i].StatementID != out[j].StatementID {
			return out[i].StatementID < out[j].StatementID
		}
		return out[i].VoterID < out[j].VoterID
	})
	return out, nil
}

package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"ouvert/internal/demo"
	"ouvert/internal/ouvert"
	"ouvert/internal/polis"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
	"ouvert/internal/textsearch"
)

// polisTexts returns the statements of the shared Polis conversations, or nil without them.
func polisTexts(t *testing.T) []string {
	t.Helper()
	root, _ := filepath.Abs("../../../shared/data/polis")
	var texts []string
	for _, name := range []string{"15-per-hour-seattle", "brexit-consensus", "canadian-electoral-reform", "football-concussions"} {
		if _, err := os.Stat(filepath.Join(root, name)); err != nil {
			continue
		}
		c, err := polis.Read(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range c.Statements {
			if s.Text != "" {
				texts = append(texts, s.Text)
			}
		}
	}
	return texts
}

// openProcess opens a fresh database holding the demo's process (without its examples), with
// ideation open today, and a second connection for raw checks.
func openProcess(t *testing.T) (*store.DB, *sql.DB, *ouvert.Process) {
	t.Helper()
	ctx := context.Background()
	url := storetest.URL(t)
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	driver := "sqlite"
	if strings.HasPrefix(url, "postgres") {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	start := demo.DefaultStart(time.Now())
	shift := int(start.Sub(demo.SeedStart).Hours() / 24)
	p := demo.Process(func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d+shift, 0, 0, 0, 0, time.UTC) })
	if err := db.CreateProcess(ctx, p); err != nil {
		t.Fatal(err)
	}
	return db, raw, p
}

func count(t *testing.T, raw *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := raw.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// checkCounters asserts that every counter matches the rows it counts.
func checkCounters(t *testing.T, raw *sql.DB) {
	t.Helper()
	for _, c := range []struct{ what, q string }{
		{"contribution vote counters", `SELECT COUNT(*) FROM contributions c WHERE
			c.agree <> (SELECT COUNT(*) FROM votes v WHERE v.contribution_id = c.id AND v.value = 1) OR
			c.mixed <> (SELECT COUNT(*) FROM votes v WHERE v.contribution_id = c.id AND v.value = 0) OR
			c.disagree <> (SELECT COUNT(*) FROM votes v WHERE v.contribution_id = c.id AND v.value = -1)`},
		{"contribution argument counters", `SELECT COUNT(*) FROM contributions c WHERE
			c.arguments <> (SELECT COUNT(*) FROM arguments a WHERE a.contribution_id = c.id AND a.parent_id IS NULL)`},
		{"argument reply counters", `SELECT COUNT(*) FROM arguments a WHERE
			a.replies <> (SELECT COUNT(*) FROM arguments r WHERE r.parent_id = a.id)`},
		{"replies to another contribution's argument, or to a reply", `SELECT COUNT(*) FROM arguments r
			JOIN arguments p ON p.id = r.parent_id WHERE p.contribution_id <> r.contribution_id OR p.parent_id IS NOT NULL`},
		{"replies with a stance, top-level arguments without one", `SELECT COUNT(*) FROM arguments
			WHERE (parent_id IS NULL) = (stance = '')`},
		{"process counters", `SELECT COUNT(*) FROM processes p WHERE
			p.contributions <> (SELECT COUNT(*) FROM contributions c WHERE c.process_id = p.id AND c.status = 'published')`},
		{"axis counters", `SELECT COUNT(*) FROM axes x WHERE
			x.contributions <> (SELECT COUNT(*) FROM contributions c WHERE c.axis_id = x.id AND c.status = 'published')`},
		{"contributions on another process' axis", `SELECT COUNT(*) FROM contributions c JOIN axes x ON x.id = c.axis_id
			WHERE x.process_id <> c.process_id`},
	} {
		if n := count(t, raw, c.q); n != 0 {
			t.Errorf("%s: %d rows wrong", c.what, n)
		}
	}
}

func TestGenerate(t *testing.T) {
	ctx := context.Background()
	db, raw, p := openProcess(t)
	texts := polisTexts(t)
	o := store.GenerateOptions{Contributions: 200, Votes: 2000, Arguments: 600, Texts: texts, Seed: 1}
	res, err := db.Generate(ctx, p.ID, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)

	if n := count(t, raw, `SELECT COUNT(*) FROM contributions`); n != 200 || res.Contributions != 200 {
		t.Errorf("%d contributions (result %d), want 200", n, res.Contributions)
	}
	if n := count(t, raw, `SELECT COUNT(*) FROM votes`); n != 2000 || res.Votes != 2000 {
		t.Errorf("%d votes (result %d), want 2000", n, res.Votes)
	}
	if n := count(t, raw, `SELECT COUNT(*) FROM arguments`); n != 600 || res.TopLevel+res.Replies != 600 {
		t.Errorf("%d arguments (result %d+%d), want 600", n, res.TopLevel, res.Replies)
	}
	if n := count(t, raw, `SELECT COUNT(*) FROM arguments WHERE parent_id IS NOT NULL`); n == 0 || n != res.Replies {
		t.Errorf("%d replies, result says %d", n, res.Replies)
	}
	if n := count(t, raw, `SELECT COUNT(*) FROM users WHERE email LIKE 'gen-%@generate.invalid' AND password_hash = '!'`); n != res.Users || n < 50 {
		t.Errorf("%d generated users, result says %d", n, res.Users)
	}
	if n := count(t, raw, `SELECT COUNT(DISTINCT axis_id) FROM contributions`); n != len(p.Axes) {
		t.Errorf("contributions on %d axes, want %d", n, len(p.Axes))
	}
	checkCounters(t, raw)

	// The busiest contribution has exactly its top-level arguments, more than any other.
	busy, err := db.Contribution(ctx, res.Busy)
	if err != nil {
		t.Fatal(err)
	}
	if busy.Arguments != res.BusyArguments || res.BusyArguments != 300 {
		t.Errorf("busiest contribution has %d arguments, result says %d, want 300", busy.Arguments, res.BusyArguments)
	}
	if n := count(t, raw, `SELECT MAX(arguments) FROM contributions WHERE id <> `+strconv.FormatInt(res.Busy, 10)); n >= busy.Arguments {
		t.Errorf("another contribution has %d arguments", n)
	}
	args, err := db.Arguments(ctx, res.Busy, store.SortNewest, 1, 20)
	if err != nil || len(args) != 20 {
		t.Fatalf("first page of arguments: %d, %v", len(args), err)
	}

	// Texts are valid contributions, and the search column is the analyser's document.
	rows, err := raw.Query(`SELECT title, body, search FROM contributions`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var title, body, search string
		if err := rows.Scan(&title, &body, &search); err != nil {
			t.Fatal(err)
		}
		errs := ouvert.FieldErrors{}
		ouvert.ValidateContribution(title, body, errs)
		if len(errs) > 0 {
			t.Errorf("invalid contribution %q / %q: %v", title, body, errs)
		}
		if want := textsearch.Document(title, body); search != want {
			t.Errorf("search of %q:\n%q\nwant\n%q", title, search, want)
		}
	}
	rows.Close()

	// The lists, the search and the counters read by the pages agree.
	proc, err := db.CurrentProcess(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if proc.Contributions != 200 {
		t.Errorf("process counts %d contributions", proc.Contributions)
	}
	list, total, err := db.Contributions(ctx, store.ContributionFilter{ProcessID: p.ID, AxisID: proc.Axes[0].ID, Page: 1, PerPage: 20})
	if err != nil || total != proc.Axes[0].Contributions || len(list) == 0 {
		t.Fatalf("list: %d of %d, axis says %d, %v", len(list), total, proc.Axes[0].Contributions, err)
	}
	for i := 1; i < len(list); i++ {
		if list[i].Agree > list[i-1].Agree {
			t.Errorf("list not sorted by agreement")
		}
	}
	word := strings.Fields(list[0].Title)[0]
	if q := textsearch.ParseQuery(list[0].Title); !q.Empty() {
		found, n, err := db.SearchContributions(ctx, p.ID, q, 1, 20)
		if err != nil || n == 0 || len(found) == 0 {
			t.Errorf("search %q (%s): %d found, %v", list[0].Title, word, n, err)
		}
	}

	// The ordinary write paths go on after Generate (ids and sequences are right).
	u := &ouvert.User{Email: "after@example.org", PasswordHash: "!", DisplayName: "after"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	c := &ouvert.Contribution{ProcessID: p.ID, AxisID: p.Axes[1].ID, AuthorID: u.ID, Title: "Après la génération", Body: "Une contribution écrite ensuite."}
	if err := db.CreateContribution(ctx, c); err != nil {
		t.Fatal(err)
	}
	if c.ID <= res.LastContribution {
		t.Errorf("new contribution %d, generated up to %d", c.ID, res.LastContribution)
	}
	a := &ouvert.Argument{ContributionID: res.Busy, AuthorID: u.ID, Stance: ouvert.StanceFor, Body: "D'accord."}
	if err := db.CreateArgument(ctx, a); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{res.FirstContribution, res.Busy, c.ID} {
		if err := db.Vote(ctx, id, u.ID, ouvert.VoteAgree); err != nil {
			t.Fatal(err)
		}
		if err := db.Vote(ctx, id, res.FirstUser, ouvert.VoteDisagree); err != nil {
			t.Fatal(err)
		}
	}

	// A second run adds to the first.
	res2, err := db.Generate(ctx, p.ID, store.GenerateOptions{Contributions: 30, Votes: 100, Arguments: 40, Users: 10, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res2.FirstUser <= u.ID || res2.FirstContribution <= c.ID {
		t.Errorf("second run overlaps the first: %+v", res2)
	}
	checkCounters(t, raw)
	if n := count(t, raw, `SELECT contributions FROM processes`); n != 231 {
		t.Errorf("process counts %d contributions, want 231", n)
	}
}

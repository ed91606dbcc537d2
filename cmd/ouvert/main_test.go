package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ouvert/internal/auth"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

func TestHelp(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"serve", "migrate", "user create", "OUVERT_DATABASE"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("ouvert --help lacks %q", want)
		}
	}
	out.Reset()
	run(context.Background(), []string{"serve", "--help"}, nil, &out, &errOut)
	for _, want := range []string{"-addr", "-data", "-database", "-demo", "-demo-start", "-smtp-url", "-base-url", "-log-format", "OUVERT_ADDR", "OUVERT_SMTP_URL_FILE"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("ouvert serve --help lacks %q", want)
		}
	}
	if err := run(context.Background(), []string{"frobnicate"}, nil, io.Discard, io.Discard); err == nil {
		t.Error("an unknown command did not fail")
	}
}

func TestUserCreate(t *testing.T) {
	url := storetest.URL(t)
	args := []string{"user", "create", "--database", url, "--email", "Orga@Exemple.fr", "--role", "organiser", "--name", "Équipe Etalab"}
	var out bytes.Buffer
	if err := run(context.Background(), args, strings.NewReader("cheval batterie agrafe 2017\n"), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "created organiser account") {
		t.Errorf("output %q", out.String())
	}
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.UserByEmail(context.Background(), "orga@exemple.fr")
	if err != nil || u.Role != ouvert.RoleOrganiser || !u.Confirmed() || u.DisplayName != "Équipe Etalab" || auth.Verify("cheval batterie agrafe 2017", u.PasswordHash) != nil {
		t.Fatalf("created user = %+v, %v", u, err)
	}
	for _, tt := range []struct {
		args     []string
		password string
		want     string
	}{
		{[]string{"--email", "b@exemple.fr", "--role", "organiser"}, "court\n", "at least 12"},
		{[]string{"--email", "b@exemple.fr", "--role", "roi"}, "cheval batterie agrafe 2017\n", "--role"},
		{[]string{"--email", "pas-une-adresse", "--role", "organiser"}, "cheval batterie agrafe 2017\n", "--email"},
		{[]string{"--email", "orga@exemple.fr", "--role", "organiser"}, "cheval batterie agrafe 2017\n", "already exists"},
		{[]string{"--email", "c@exemple.fr", "--role", "administration"}, "cheval batterie agrafe 2017\n", "--administration"},
	} {
		err := run(context.Background(), append([]string{"user", "create", "--database", url}, tt.args...), strings.NewReader(tt.password), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("user create %v: err = %v, want %q", tt.args, err, tt.want)
		}
	}
}

// TestServeDemo runs the command as the README does, on a free port, and stops it as SIGTERM would.
func TestServeDemo(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	args := []string{"serve", "--demo", "--demo-start", "2017-02-28", "--addr", addr, "--data", dir, "--database", storetest.URL(t)}
	go func() { done <- run(ctx, args, nil, io.Discard, io.Discard) }()

	var res *http.Response
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(50 * time.Millisecond) {
		if res, err = http.Get("http://" + addr + "/healthz"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("server did not start: %v", err)
	}
	res.Body.Close()
	res, err = http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	// With the seed's real dates, the process is long over.
	for _, want := range []string{"Plan d&#39;action national 2017-2019", "15 mars 2017", "Le processus est terminé"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := os.Stat(filepath.Join(dir, "outbox")); err != nil {
		t.Errorf("no outbox directory: %v", err)
	}
}

func TestImportPolis(t *testing.T) {
	dir, _ := filepath.Abs("../../../shared/data/polis/brexit-consensus")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no shared Polis data")
	}
	url := storetest.URL(t)
	ctx := context.Background()
	var out bytes.Buffer
	// An empty database: the demo gives it a process to import into.
	if err := run(ctx, []string{"migrate", "--database", url}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateProcess(ctx, &ouvert.Process{Slug: "p", Title: "P", TimeZone: "Europe/Paris", Axes: []ouvert.Axis{{Title: "A"}, {Title: "B"}}}); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"import", "polis", dir, "--database", url, "--process", "p", "--axis", "2", "--dry-run"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.CurrentProcess(ctx); p.Contributions != 0 || !strings.Contains(out.String(), "nothing written") {
		t.Fatalf("dry run wrote: %d contributions, %q", p.Contributions, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"import", "polis", dir, "--database", url, "--process", "p", "--axis", "2"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	p, _ := db.CurrentProcess(ctx)
	if p.Axes[1].Contributions < 40 || !strings.Contains(out.String(), "CC BY 4.0") {
		t.Fatalf("after import: axis 2 has %d contributions; output %q", p.Axes[1].Contributions, out.String())
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "comments.csv"), []byte("timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,zero,0,1,0,1,Texte\n"), 0o644)
	os.WriteFile(filepath.Join(bad, "votes.csv"), []byte("timestamp,datetime,comment-id,voter-id,vote\n"), 0o644)
	err = run(ctx, []string{"import", "polis", bad, "--database", url, "--process", "p"}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "line 2, column comment-id") {
		t.Fatalf("bad file: %v", err)
	}
}

func TestExportCommand(t *testing.T) {
	url := storetest.URL(t)
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	db.CreateProcess(ctx, &ouvert.Process{Slug: "p", Title: "P", TimeZone: "Europe/Paris", Axes: []ouvert.Axis{{Title: "A"}}})
	db.Close()
	out := t.TempDir()
	var b bytes.Buffer
	if err := run(ctx, []string{"export", "--database", url, "--out", out}, nil, &b, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ouvert-opendata.zip", "contributions.csv", "votes.ndjson", "datapackage.json", "README.md"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("no %s: %v", name, err)
		}
	}
}

// processDB migrates a new database through the command, as an operator would, and creates in it
// a process "p" with axes of these titles; the database closes with the test.
func processDB(t *testing.T, axes ...string) (string, *store.DB, *ouvert.Process) {
	t.Helper()
	url := storetest.URL(t)
	ctx := context.Background()
	if err := run(ctx, []string{"migrate", "--database", url}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p := &ouvert.Process{Slug: "p", Title: "P", TimeZone: "Europe/Paris"}
	for _, a := range axes {
		p.Axes = append(p.Axes, ouvert.Axis{Title: a})
	}
	if err := db.CreateProcess(ctx, p); err != nil {
		t.Fatal(err)
	}
	return url, db, p
}

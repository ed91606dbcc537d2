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

package e2e

import (
	"context"
	"log/slog"
	"net"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"ouvert/internal/auth"
	"ouvert/internal/demo"
	"ouvert/internal/mail"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
	"ouvert/internal/web"
)

// fastPasswords makes argon2id cheap: the tests hash and check many passwords, under -race.
var fastPasswords = auth.Params{Memory: 1024, Time: 1, Threads: 1}

// account is a person who already has an account, made directly in the store.
type account struct {
	Email, Password, Name string
}

// app is a running Ouvert: its address, its database and the directory its mail goes to.
type app struct {
	URL    string
	DB     *store.DB
	Outbox string

	// Participant and Organiser are confirmed accounts, for the pages that need a log-in.
	Participant, Organiser account

	// ahead is how far the app's clock (its database's Now) runs ahead of the real one.
	ahead atomic.Int64
}

// startApp serves Ouvert the way "ouvert serve --demo" does, on a fresh database, until the
// test ends: the demo process, a mail sender writing .eml files, and the web server at a
// 127.0.0.1 address that is also its base URL (so links in mail come back to it).
func startApp(t *testing.T) *app {
	t.Helper()
	browser(t) // skip (or fail) first, rather than build an app no browser will look at
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))

	db := storetest.Open(t)
	a := &app{
		DB:          db,
		Outbox:      t.TempDir(),
		Participant: account{Email: "camille.participante@example.org", Password: "pomme violon escalier 42", Name: "Camille"},
		Organiser:   account{Email: "dominique.organisatrice@example.org", Password: "nuage tambour falaise 93", Name: "Dominique"},
	}
	// Set before the server and the mail sender start, then moved only through a.ahead: the
	// clock can go forward while they run, without a data race.
	db.Now = func() time.Time {
		return time.Now().UTC().Truncate(time.Microsecond).Add(time.Duration(a.ahead.Load()))
	}
	if _, err := demo.Load(ctx, db, demo.DefaultStart(time.Now())); err != nil {
		t.Fatalf("load the demo: %v", err)
	}

	a.createAccount(t, a.Participant, ouvert.RoleParticipant)
	a.createAccount(t, a.Organiser, ouvert.RoleOrganiser)

	sender, err := mail.New(mail.Config{OutboxDir: a.Outbox}, db, log)
	if err != nil {
		t.Fatalf("mail sender: %v", err)
	}
	mailCtx, stopMail := context.WithCancel(ctx)
	mailDone := make(chan struct{})
	go func() {
		defer close(mailDone)
		sender.Run(mailCtx)
	}()
	t.Cleanup(func() {
		stopMail()
		<-mailDone
	})

	// The listener comes first: its address is the base URL the server needs.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	baseURL := "http://" + ln.Addr().String()
	cfg := web.DefaultConfig(baseURL)
	cfg.Password = fastPasswords
	cfg.Limits.Signup.Burst = 100
	cfg.Limits.Login.Burst = 100
	cfg.ContactMinDelay = 0
	handler, err := web.New(ctx, cfg, db, log, sender.Poke)
	if err != nil {
		ln.Close()
		t.Fatalf("web server: %v", err)
	}
	srv := httptest.NewUnstartedServer(handler)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	a.URL = srv.URL
	if a.URL != baseURL {
		t.Fatalf("server at %s, base URL %s", a.URL, baseURL)
	}
	return a
}

// passTime moves the app's clock forward: time passes for the server, its database and its mail.
func (a *app) passTime(d time.Duration) {
	a.ahead.Add(int64(d))
}

// createAccount makes a confirmed account with the role, as "ouvert user create" does.
func (a *app) createAccount(t *testing.T, acc account, role ouvert.Role) {
	t.Helper()
	hash, err := auth.Hash(acc.Password, fastPasswords)
	if err != nil {
		t.Fatal(err)
	}
	now := a.DB.Now()
	u := &ouvert.User{Email: acc.Email, PasswordHash: hash, DisplayName: acc.Name, Role: role, ConfirmedAt: &now}
	if err := a.DB.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("create %s account %s: %v", role, acc.Email, err)
	}
}

package mail_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ouvert/internal/mail"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

// testLog sends the Sender's log to the test's output.
func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func enqueue(t *testing.T, db *store.DB, m store.Message) store.Message {
	t.Helper()
	if err := db.Enqueue(context.Background(), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func pending(t *testing.T, db *store.DB) int {
	t.Helper()
	n, err := db.PendingMail(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// parsed is a message read back the way a mail client would.
type parsed struct {
	header  netmail.Header
	subject string
	body    string // decoded, with LF line endings
}

func parse(t *testing.T, raw []byte) parsed {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Errorf("bare LF in message:\n%s", raw)
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, raw)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	if got := msg.Header.Get("Content-Transfer-Encoding"); got != "quoted-printable" {
		t.Errorf("Content-Transfer-Encoding = %q", got)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatalf("decode body: %v", err)
	}
	return parsed{header: msg.Header, subject: subject, body: strings.ReplaceAll(string(body), "\r\n", "\n")}
}

// sameBody compares bodies up to the final line break, which Format adds when missing.
func sameBody(got, want string) bool {
	return strings.TrimSuffix(got, "\n") == strings.TrimSuffix(want, "\n")
}

const frenchBody = "Bonjour Élodie,\n\nPour confirmer votre adresse, ouvrez ce lien (il expire dans 48 heures, après quoi il faudra en demander un nouveau) :\nhttps://ouvert.example/confirmer?jeton=AbC=dEf\n\n. \nÀ bientôt — l'équipe d'Ouvert  \n"

func TestWithoutSMTPWritesEML(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	dir := filepath.Join(t.TempDir(), "data", "outbox")
	s, err := mail.New(mail.Config{OutboxDir: dir}, db, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("outbox directory not created: %v", err)
	}
	msgs := []store.Message{
		enqueue(t, db, store.Message{To: "Élodie Lefèvre <elodie@example.fr>", ReplyTo: "contact@example.fr",
			Subject: "Confirmez votre adresse — Ouvert", Body: frenchBody}),
		enqueue(t, db, store.Message{To: "bob@example.org", Subject: "Plain subject", Body: "Hello Bob."}),
	}
	sent, err := s.SendDue(ctx)
	if err != nil || sent != 2 {
		t.Fatalf("SendDue = %d, %v; want 2, nil", sent, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("outbox directory holds %d entries, want 2: %v", len(entries), entries)
	}
	for _, m := range msgs {
		names, _ := filepath.Glob(filepath.Join(dir, "*-"+strconv.FormatInt(m.ID, 10)+".eml"))
		if len(names) != 1 {
			t.Fatalf("message %d: files %v", m.ID, names)
		}
		if !regexp.MustCompile(`^\d{8}T\d{6}-\d+\.eml$`).MatchString(filepath.Base(names[0])) {
			t.Errorf("file name %q", filepath.Base(names[0]))
		}
		raw, err := os.ReadFile(names[0])
		if err != nil {
			t.Fatal(err)
		}
		p := parse(t, raw)
		if p.subject != m.Subject {
			t.Errorf("subject = %q, want %q", p.subject, m.Subject)
		}
		if !sameBody(p.body, m.Body) {
			t.Errorf("body = %q, want %q", p.body, m.Body)
		}
		to, err := p.header.AddressList("To")
		want, _ := netmail.ParseAddress(m.To)
		if err != nil || len(to) != 1 || *to[0] != *want {
			t.Errorf("To = %v (%v), want %v", to, err, want)
		}
		if got := p.header.Get("Reply-To"); (got != "") != (m.ReplyTo != "") || !strings.Contains(got, m.ReplyTo) {
			t.Errorf("Reply-To = %q, want %q", got, m.ReplyTo)
		}
		from, err := p.header.AddressList("From")
		if err != nil || len(from) != 1 || from[0].Address != "no-reply@localhost" || from[0].Name != "Ouvert" {
			t.Errorf("From = %v (%v)", from, err)
		}
		if !regexp.MustCompile(`^<outbox-` + strconv.FormatInt(m.ID, 10) + `\.[0-9a-f]+@localhost>$`).MatchString(p.header.Get("Message-ID")) {
			t.Errorf("Message-ID = %q", p.header.Get("Message-ID"))
		}
		if _, err := p.header.Date(); err != nil {
			t.Errorf("Date: %v", err)
		}
		if got := p.header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
			t.Errorf("Content-Type = %q", got)
		}
		if p.header.Get("MIME-Version") != "1.0" {
			t.Errorf("MIME-Version = %q", p.header.Get("MIME-Version"))
		}
		for _, line := range strings.Split(string(raw), "\r\n") {
			if len(line) > 76 {
				t.Errorf("line of %d characters: %q", len(line), line)
			}
		}
		attempts, sent, lastErr, err := db.MailStatus(ctx, m.ID)
		if err != nil || attempts != 1 || !sent || lastErr != "" {
			t.Errorf("MailStatus(%d) = %d, %v, %q, %v", m.ID, attempts, sent, lastErr, err)
		}
	}
	if n := pending(t, db); n != 0 {
		t.Errorf("PendingMail = %d, want 0", n)
	}
	// Nothing is due any more.
	if sent, err := s.SendDue(ctx); sent != 0 || err != nil {
		t.Errorf("second SendDue = %d, %v", sent, err)
	}
}

func TestFormat(t *testing.T) {
	now := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	long := "Votre contribution « Aménager les berges de la Loire pour les piétons et les vélos » a reçu une réponse de l'administration"
	m := store.Message{ID: 42, To: "a@example.fr", Subject: long, Body: strings.Repeat("é", 200)}
	raw := mail.Format("Équipe Ouvert <bonjour@ouvert.example>", m, now)
	p := parse(t, raw)
	if p.subject != long {
		t.Errorf("subject = %q, want %q", p.subject, long)
	}
	if !sameBody(p.body, m.Body) {
		t.Errorf("body = %q", p.body)
	}
	if d, err := p.header.Date(); err != nil || !d.Equal(now) {
		t.Errorf("Date = %v, %v; want %v", d, err, now)
	}
	from, err := p.header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Équipe Ouvert" || from[0].Address != "bonjour@ouvert.example" {
		t.Errorf("From = %v, %v", from, err)
	}
	if !strings.HasSuffix(p.header.Get("Message-ID"), "@ouvert.example>") || !strings.HasPrefix(p.header.Get("Message-ID"), "<outbox-42.") {
		t.Errorf("Message-ID = %q", p.header.Get("Message-ID"))
	}
	if p.header.Get("Reply-To") != "" {
		t.Errorf("Reply-To = %q, want none", p.header.Get("Reply-To"))
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 76 {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
	}
	if bytes.Equal(raw, mail.Format("Équipe Ouvert <bonjour@ouvert.example>", m, now)) {
		t.Error("two formats of a message share a Message-ID")
	}
}

// TestFormatHeaderInjection checks that Format, though the Sender never gives it such values,
// cannot be made to write a header of the value's choosing.
func TestFormatHeaderInjection(t *testing.T) {
	m := store.Message{ID: 1, To: "a@b.fr\r\nBcc: x@y.fr", ReplyTo: "c@d.fr\nBcc: x@y.fr",
		Subject: "Salut\r\nBcc: x@y.fr", Body: "Corps\r\nBcc: x@y.fr\r\n"}
	raw := mail.Format("Ouvert <no-reply@localhost>\r\nBcc: x@y.fr", m, time.Now())
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, raw)
	}
	if len(msg.Header["Bcc"]) != 0 {
		t.Errorf("Bcc header written:\n%s", raw)
	}
	head, _, _ := strings.Cut(string(raw), "\r\n\r\n")
	for _, line := range strings.Split(head, "\r\n") {
		if strings.HasPrefix(strings.ToLower(line), "bcc") {
			t.Errorf("header line %q:\n%s", line, raw)
		}
	}
}

func TestNew(t *testing.T) {
	db := storetest.Open(t)
	for _, tc := range []struct {
		cfg  mail.Config
		want string // in the error; "" for none
	}{
		{mail.Config{SMTPURL: "http://mail.example:25"}, `scheme "http"`},
		{mail.Config{SMTPURL: "mail.example:25"}, "want smtp or smtps"},
		{mail.Config{SMTPURL: "smtp://user:s3cret@mail.example:port"}, "bad SMTP URL"},
		{mail.Config{SMTPURL: "smtp://user:s3cret@:25"}, "no host"},
		{mail.Config{SMTPURL: "smtp://mail.example"}, ""},
		{mail.Config{SMTPURL: "smtps://user:s3cret@mail.example:465"}, ""},
		{mail.Config{SMTPURL: "smtp://mail.example", From: "not an address"}, "bad From"},
		{mail.Config{SMTPURL: "smtp://mail.example", From: "a@b.fr\r\nBcc: x@y.fr"}, "line break"},
		{mail.Config{}, "OutboxDir is required"},
	} {
		_, err := mail.New(tc.cfg, db, testLog(t))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("New(%+v): %v", tc.cfg, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("New(%+v) = %v, want an error with %q", tc.cfg, err, tc.want)
		case err != nil && (strings.Contains(err.Error(), "s3cret") || !strings.HasPrefix(err.Error(), "mail: ")):
			t.Errorf("New(%+v): error %q", tc.cfg, err)
		}
	}
}

func TestBackoff(t *testing.T) {
	for attempts, want := range map[int]time.Duration{
		0: time.Minute, 1: 2 * time.Minute, 2: 4 * time.Minute, 8: 256 * time.Minute,
		9: 6 * time.Hour, 10: 6 * time.Hour, 64: 6 * time.Hour, 1 << 30: 6 * time.Hour,
	} {
		if got := mail.Backoff(attempts); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempts, got, want)
		}
	}
}

func TestRunAndPoke(t *testing.T) {
	db := storetest.Open(t)
	dir := t.TempDir()
	s, err := mail.New(mail.Config{OutboxDir: dir, Interval: time.Hour}, db, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	waitFor := func(id int64) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if names, _ := filepath.Glob(filepath.Join(dir, "*-"+strconv.FormatInt(id, 10)+".eml")); len(names) == 1 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("message %d not written within 5 s", id)
	}
	// The first message goes out with Run's first pass; once it is there, that pass is over and
	// only Poke can make the second one leave before the hour is up.
	first := enqueue(t, db, store.Message{To: "a@example.fr", Subject: "Un", Body: "1"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx)
	}()
	defer func() {
		cancel()
		<-done
	}()
	waitFor(first.ID)
	second := enqueue(t, db, store.Message{To: "b@example.fr", Subject: "Deux", Body: "2"})
	s.Poke()
	s.Poke() // never blocks
	waitFor(second.ID)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
	if n := pending(t, db); n != 0 {
		t.Errorf("PendingMail = %d, want 0", n)
	}
}

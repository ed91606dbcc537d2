package mail_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"ouvert/internal/mail"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

// received is one message as the test server got it.
type received struct {
	From string
	To   []string
	Data []byte
	User string // who authenticated, "" for nobody
	TLS  bool
}

// backend records what the senders deliver. With user set it requires AUTH PLAIN.
type backend struct {
	user, pass string

	mu       sync.Mutex
	msgs     []received
	sessions int
}

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	b.mu.Lock()
	b.sessions++
	b.mu.Unlock()
	return &session{b: b, tls: isTLS}, nil
}

func (b *backend) received() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]received(nil), b.msgs...)
}

func (b *backend) sessionCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sessions
}

type session struct {
	b    *backend
	tls  bool
	user string
	cur  received
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if s.b.user == "" || user != s.b.user || pass != s.b.pass {
			return errors.New("bad credentials")
		}
		s.user = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.b.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.cur = received{From: from}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data, s.cur.User, s.cur.TLS = data, s.user, s.tls
	s.b.mu.Lock()
	s.b.msgs = append(s.b.msgs, s.cur)
	s.b.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }

type tlsMode int

const (
	plain     tlsMode = iota // no TLS at all
	startTLS                 // STARTTLS offered
	implicitT                // TLS from the first byte (smtps)
)

// startServer runs a go-smtp server on 127.0.0.1 for the test and returns its port.
func startServer(t *testing.T, be *backend, mode tlsMode) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	switch mode {
	case startTLS:
		srv.TLSConfig = selfSigned(t)
	case implicitT:
		ln = tls.NewListener(ln, selfSigned(t))
	}
	port := ln.Addr().(*net.TCPAddr).Port
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return port
}

// selfSigned returns a TLS configuration with a fresh certificate for 127.0.0.1.
func selfSigned(t *testing.T) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

// closedPort returns a port on 127.0.0.1 where nothing listens.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

func newSender(t *testing.T, db *store.DB, url string) *mail.Sender {
	t.Helper()
	s, err := mail.New(mail.Config{SMTPURL: url, From: "Ouvert <no-reply@ouvert.example>", InsecureSkipVerify: true}, db, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSMTP(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mode   tlsMode
		scheme string
		auth   bool
	}{
		{"plain", plain, "smtp", false},
		{"plain auth", plain, "smtp", true},
		{"starttls auth", startTLS, "smtp", true},
		{"smtps auth", implicitT, "smtps", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t)
			be := &backend{}
			creds := ""
			if tc.auth {
				be.user, be.pass = "ouvert", "p@ss:word"
				creds = "ouvert:p%40ss%3Aword@"
			}
			port := startServer(t, be, tc.mode)
			s := newSender(t, db, fmt.Sprintf("%s://%s127.0.0.1:%d", tc.scheme, creds, port))
			msgs := []store.Message{
				enqueue(t, db, store.Message{To: "Élodie <elodie@example.fr>", ReplyTo: "contact@example.fr",
					Subject: "Confirmez votre adresse — Ouvert", Body: frenchBody}),
				enqueue(t, db, store.Message{To: "bob@example.org", Subject: "Second", Body: ".\n.. dots\n"}),
				enqueue(t, db, store.Message{To: "carol@example.org", Subject: "Third", Body: "Three"}),
			}
			sent, err := s.SendDue(ctx)
			if err != nil || sent != len(msgs) {
				t.Fatalf("SendDue = %d, %v; want %d, nil", sent, err, len(msgs))
			}
			got := be.received()
			if len(got) != len(msgs) {
				t.Fatalf("server received %d messages, want %d", len(got), len(msgs))
			}
			for i, m := range msgs {
				r := got[i]
				addr, _ := netmail.ParseAddress(m.To)
				want := addr.Address
				if r.From != "no-reply@ouvert.example" || len(r.To) != 1 || r.To[0] != want {
					t.Errorf("envelope %q -> %q, want no-reply@ouvert.example -> %q", r.From, r.To, want)
				}
				if tc.auth && r.User != "ouvert" {
					t.Errorf("authenticated as %q", r.User)
				}
				if r.TLS != (tc.mode != plain) {
					t.Errorf("TLS = %v", r.TLS)
				}
				p := parse(t, r.Data)
				if p.subject != m.Subject || !sameBody(p.body, m.Body) {
					t.Errorf("message %d: subject %q, body %q", m.ID, p.subject, p.body)
				}
			}
			if tc.mode == plain && be.sessionCount() != 1 {
				t.Errorf("%d connections for one pass, want 1", be.sessionCount())
			}
			if n := pending(t, db); n != 0 {
				t.Errorf("PendingMail = %d, want 0", n)
			}
		})
	}
}

func TestSMTPBadCredentials(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	be := &backend{user: "ouvert", pass: "right"}
	port := startServer(t, be, plain)
	s := newSender(t, db, fmt.Sprintf("smtp://ouvert:wrong@127.0.0.1:%d", port))
	m := enqueue(t, db, store.Message{To: "a@example.fr", Subject: "S", Body: "B"})
	if sent, err := s.SendDue(ctx); sent != 0 || err != nil {
		t.Fatalf("SendDue = %d, %v; want 0, nil", sent, err)
	}
	attempts, sent, lastErr, err := db.MailStatus(ctx, m.ID)
	if err != nil || attempts != 1 || sent || !strings.Contains(lastErr, "AUTH") || strings.Contains(lastErr, "wrong") {
		t.Errorf("MailStatus = %d, %v, %q, %v", attempts, sent, lastErr, err)
	}
}

func TestSMTPOutage(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	msgs := []store.Message{
		enqueue(t, db, store.Message{To: "a@example.fr", Subject: "Un", Body: "1"}),
		enqueue(t, db, store.Message{To: "b@example.fr", Subject: "Deux", Body: "2"}),
	}
	down := newSender(t, db, fmt.Sprintf("smtp://127.0.0.1:%d", closedPort(t)))
	if sent, err := down.SendDue(ctx); sent != 0 || err != nil {
		t.Fatalf("SendDue during the outage = %d, %v; want 0, nil", sent, err)
	}
	for _, m := range msgs {
		attempts, sent, lastErr, err := db.MailStatus(ctx, m.ID)
		if err != nil || attempts != 1 || sent || lastErr == "" {
			t.Errorf("MailStatus(%d) = %d, %v, %q, %v; want 1 attempt, unsent, an error", m.ID, attempts, sent, lastErr, err)
		}
		if !strings.HasPrefix(lastErr, fmt.Sprintf("mail: send %d: ", m.ID)) {
			t.Errorf("last error %q", lastErr)
		}
	}
	if n := pending(t, db); n != 2 {
		t.Errorf("PendingMail = %d, want 2", n)
	}
	// The next attempt is a minute away: not due half a minute later...
	base := db.Now()
	db.Now = func() time.Time { return base.Add(30 * time.Second) }
	if claimed, err := db.ClaimMail(ctx, 50, time.Minute); err != nil || len(claimed) != 0 {
		t.Fatalf("ClaimMail 30 s after the failure = %v, %v; want nothing due", claimed, err)
	}
	// ...but due two minutes later, when the server is back.
	db.Now = func() time.Time { return base.Add(2 * time.Minute) }
	be := &backend{}
	up := newSender(t, db, fmt.Sprintf("smtp://127.0.0.1:%d", startServer(t, be, plain)))
	if sent, err := up.SendDue(ctx); sent != 2 || err != nil {
		t.Fatalf("SendDue after the outage = %d, %v; want 2, nil", sent, err)
	}
	if got := be.received(); len(got) != 2 {
		t.Errorf("server received %d messages, want 2", len(got))
	}
	for _, m := range msgs {
		attempts, sent, lastErr, err := db.MailStatus(ctx, m.ID)
		if err != nil || attempts != 2 || !sent || lastErr != "" {
			t.Errorf("MailStatus(%d) = %d, %v, %q, %v; want 2 attempts, sent", m.ID, attempts, sent, lastErr, err)
		}
	}
	if n := pending(t, db); n != 0 {
		t.Errorf("PendingMail = %d, want 0", n)
	}
}

func TestSMTPHeaderInjection(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	be := &backend{}
	s := newSender(t, db, fmt.Sprintf("smtp://127.0.0.1:%d", startServer(t, be, plain)))
	bad := []store.Message{
		enqueue(t, db, store.Message{To: "a@b.fr\r\nBcc: x@y.fr", Subject: "S", Body: "B"}),
		enqueue(t, db, store.Message{To: "a@b.fr", Subject: "S\nBcc: x@y.fr", Body: "B"}),
		enqueue(t, db, store.Message{To: "a@b.fr", ReplyTo: "c@d.fr\r\nBcc: x@y.fr", Subject: "S", Body: "B"}),
		enqueue(t, db, store.Message{To: "a@b.fr, x@y.fr", Subject: "S", Body: "B"}),
		enqueue(t, db, store.Message{To: "not an address", Subject: "S", Body: "B"}),
	}
	good := enqueue(t, db, store.Message{To: "ok@b.fr", Subject: "S", Body: "B"})
	if sent, err := s.SendDue(ctx); sent != 1 || err != nil {
		t.Fatalf("SendDue = %d, %v; want 1, nil", sent, err)
	}
	for _, m := range bad {
		attempts, sent, lastErr, err := db.MailStatus(ctx, m.ID)
		if err != nil || attempts != 1 || sent || lastErr == "" {
			t.Errorf("MailStatus(%d) = %d, %v, %q, %v; want a failed attempt", m.ID, attempts, sent, lastErr, err)
		}
	}
	got := be.received()
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != "ok@b.fr" {
		t.Fatalf("server received %+v, want only the message to ok@b.fr", got)
	}
	for _, r := range got {
		if bytes.Contains(bytes.ToLower(r.Data), []byte("bcc")) || bytes.Contains(r.Data, []byte("x@y.fr")) {
			t.Errorf("injected header reached the server:\n%s", r.Data)
		}
	}
	if _, sent, _, _ := db.MailStatus(ctx, good.ID); !sent {
		t.Error("the good message is not marked sent")
	}
	// Still there, never dropped: retried later, and failing again.
	if n := pending(t, db); n != len(bad) {
		t.Errorf("PendingMail = %d, want %d", n, len(bad))
	}
}

// TestSMTPShutdown checks that a pass interrupted by its context leaves the message unsent
// without counting an attempt, so that it goes out after the claim's lease expires.
func TestSMTPShutdown(t *testing.T) {
	db := storetest.Open(t)
	// A server that accepts connections and never says a word.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns sync.WaitGroup
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() {
				defer conns.Done()
				io.Copy(io.Discard, c)
				c.Close()
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		conns.Wait()
	})
	s := newSender(t, db, fmt.Sprintf("smtp://%s", ln.Addr()))
	m := enqueue(t, db, store.Message{To: "a@example.fr", Subject: "S", Body: "B"})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if sent, err := s.SendDue(ctx); sent != 0 || err != nil {
		t.Errorf("SendDue = %d, %v; want 0, nil", sent, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("SendDue took %v after its context ended", d)
	}
	attempts, sent, _, err := db.MailStatus(context.Background(), m.ID)
	if err != nil || attempts != 0 || sent {
		t.Errorf("MailStatus = %d, %v, %v; want no attempt, unsent", attempts, sent, err)
	}
}

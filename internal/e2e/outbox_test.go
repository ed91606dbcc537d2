package e2e

import (
	"io"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// email is a message as its reader sees it: decoded subject and body.
type email struct {
	File    string
	To      string
	Subject string
	Body    string
}

// mailTimeout is how long a message may take to reach the outbox directory.
const mailTimeout = 10 * time.Second

// waitForMail returns the first message to the address that the app's sender writes to its
// outbox directory, failing the test if none comes within mailTimeout.
func (a *app) waitForMail(t *testing.T, to string) email {
	t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(mailTimeout)
	for {
		if m, ok := a.findMail(t, to); ok {
			return m
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("no mail to %s in %s after %s", to, a.Outbox, mailTimeout)
		}
	}
}

// findMail looks through the .eml files of the outbox for a message to the address.
func (a *app) findMail(t *testing.T, to string) (email, bool) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(a.Outbox, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		m := readEML(t, f)
		if strings.EqualFold(m.To, to) {
			return m, true
		}
	}
	return email{}, false
}

// readEML parses an .eml file the way a mail reader would.
func readEML(t *testing.T, path string) email {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	msg, err := netmail.ReadMessage(f)
	if err != nil {
		t.Fatalf("%s: not a mail message: %v", path, err)
	}
	to, err := netmail.ParseAddress(msg.Header.Get("To"))
	if err != nil {
		t.Fatalf("%s: To: %v", path, err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("%s: Subject: %v", path, err)
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("%s: body: %v", path, err)
	}
	return email{File: path, To: to.Address, Subject: subject, Body: strings.ReplaceAll(string(b), "\r\n", "\n")}
}

// linkIn returns the first address in the body that starts with prefix, failing the test if
// there is none.
func linkIn(t *testing.T, m email, prefix string) string {
	t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(prefix) + `\S*`)
	link := re.FindString(m.Body)
	if link == "" {
		t.Fatalf("the mail %q to %s has no link starting with %s:\n%s", m.Subject, m.To, prefix, m.Body)
	}
	return link
}

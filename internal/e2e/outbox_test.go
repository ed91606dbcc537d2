package e2e

import (
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// email is a message as its reader sees it: decoded subject, body and attachments.
type email struct {
	File        string
	To          string
	Subject     string
	Body        string
	Attachments map[string][]byte // by file name
}

// mailTimeout is how long a message may take to reach the outbox directory.
const mailTimeout = 10 * time.Second

// waitForMail returns the first message to the address that the app's sender writes to its
// outbox directory, failing the test if none comes within mailTimeout.
func (a *app) waitForMail(t *testing.T, to string) email {
	t.Helper()
	return a.waitForMailAbout(t, to, "")
}

// waitForMailAbout returns the first message to the address whose subject contains subject,
// failing the test if none comes within mailTimeout.
func (a *app) waitForMailAbout(t *testing.T, to, subject string) email {
	t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(mailTimeout)
	for {
		if m, ok := a.findMail(t, to, subject); ok {
			return m
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("no mail to %s about %q in %s after %s", to, subject, a.Outbox, mailTimeout)
		}
	}
}

// findMail looks through the .eml files of the outbox for a message to the address whose
// subject contains subject.
func (a *app) findMail(t *testing.T, to, subject string) (email, bool) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(a.Outbox, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		m := readEML(t, f)
		if strings.EqualFold(m.To, to) && strings.Contains(m.Subject, subject) {
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
	m := email{File: path, To: to.Address, Subject: subject, Attachments: map[string][]byte{}}
	mediaType, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if !strings.HasPrefix(mediaType, "multipart/") {
		m.Body = string(decodePart(t, path, msg.Body, msg.Header.Get("Content-Transfer-Encoding")))
		return m
	}
	// A text part and attachments: the first part without a file name is the body.
	parts := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := parts.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		b := decodePart(t, path, part, part.Header.Get("Content-Transfer-Encoding"))
		if name := part.FileName(); name != "" {
			m.Attachments[name] = b
		} else if m.Body == "" {
			m.Body = string(b)
		}
	}
	return m
}

// decodePart reads a message's body or a part of it, undoing its transfer encoding; text
// comes back with \n line ends.
func decodePart(t *testing.T, path string, r io.Reader, encoding string) []byte {
	t.Helper()
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: body: %v", path, err)
	}
	if strings.EqualFold(encoding, "base64") {
		return b
	}
	return []byte(strings.ReplaceAll(string(b), "\r\n", "\n"))
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

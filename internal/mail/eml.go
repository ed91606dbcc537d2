package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ouvert/internal/store"
)

// foldAt is the line length beyond which a header is folded: RFC 2047 limits a line holding an
// encoded word to 76 characters (RFC 5322 recommends 78 for any line).
const foldAt = 76

// Format returns m as an RFC 5322 message from from, dated now: a plain-text UTF-8 body in
// quoted-printable (which survives any relay, 7-bit or not), non-ASCII header values as RFC 2047
// encoded words, CRLF line endings. Format does not judge m (the Sender checks it first and
// refuses what Format would have to alter); it only makes sure that nothing in a header value
// can start a header of its own, by turning line breaks into spaces.
func Format(from string, m store.Message, now time.Time) []byte {
	var b bytes.Buffer
	writeHeader(&b, "Date", now.Format(time.RFC1123Z))
	writeHeader(&b, "From", formatAddress(from))
	writeHeader(&b, "To", formatAddress(m.To))
	if m.ReplyTo != "" {
		writeHeader(&b, "Reply-To", formatAddress(m.ReplyTo))
	}
	writeHeader(&b, "Subject", mime.QEncoding.Encode("utf-8", oneLine(m.Subject)))
	writeHeader(&b, "Message-ID", fmt.Sprintf("<outbox-%d.%s@%s>", m.ID, randomHex(8), domainOf(from)))
	writeHeader(&b, "MIME-Version", "1.0")
	boundary := ""
	if m.AttachmentName != "" {
		// A text part and one attachment (an event's .ics): multipart/mixed.
		boundary = "ouvert-" + randomHex(12)
		writeHeader(&b, "Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
		b.WriteString("\r\n--" + boundary + "\r\n")
	}
	writeHeader(&b, "Content-Type", "text/plain; charset=utf-8")
	writeHeader(&b, "Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	body := m.Body
	if !strings.HasSuffix(body, "\n") {
		body += "\n" // so that the message ends with a line break
	}
	// The writer turns every line break into CRLF and keeps lines within 76 characters.
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(body)) // writes to a bytes.Buffer do not fail
	qp.Close()
	if boundary != "" {
		name := attachmentName(m.AttachmentName)
		b.WriteString("\r\n--" + boundary + "\r\n")
		writeHeader(&b, "Content-Type", oneLine(m.AttachmentType)+`; name="`+name+`"`)
		writeHeader(&b, "Content-Disposition", `attachment; filename="`+name+`"`)
		writeHeader(&b, "Content-Transfer-Encoding", "base64")
		b.WriteString("\r\n")
		enc := base64.StdEncoding.EncodeToString(m.Attachment)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n--" + boundary + "--\r\n")
	}
	return b.Bytes()
}

// attachmentName keeps a file name to safe characters, for a quoted header parameter.
func attachmentName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '/' {
			return '_'
		}
		return r
	}, s)
	if s == "" {
		return "attachment"
	}
	return s
}

// writeHeader writes "name: value" and CRLF, folded before a space when the line would exceed
// foldAt. Encoded words (at most 75 characters) are separated by spaces, so long subjects fold
// too, the first word going to the next line if need be.
func writeHeader(b *bytes.Buffer, name, value string) {
	b.WriteString(name)
	b.WriteString(":")
	col := len(name) + 1
	for _, w := range strings.Split(value, " ") {
		// Never fold before an empty word (a run of spaces), so that no line is blank.
		if w != "" && col+1+len(w) > foldAt {
			b.WriteString("\r\n")
			col = 0
		}
		b.WriteString(" ")
		b.WriteString(w)
		col += 1 + len(w)
	}
	b.WriteString("\r\n")
}

// formatAddress writes an address header value: the parsed address, its name encoded as needed,
// or, if it does not parse, the text on one line.
func formatAddress(s string) string {
	s = oneLine(s)
	if a, err := netmail.ParseAddress(s); err == nil {
		return a.String()
	}
	return mime.QEncoding.Encode("utf-8", s)
}

// oneLine replaces line breaks with spaces.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)
}

// domainOf returns the domain of the address from, for Message-IDs, or "localhost".
func domainOf(from string) string {
	a, err := netmail.ParseAddress(oneLine(from))
	if err != nil {
		return "localhost"
	}
	if i := strings.LastIndexByte(a.Address, '@'); i >= 0 && i+1 < len(a.Address) {
		return a.Address[i+1:]
	}
	return "localhost"
}

// randomHex returns n random bytes in hex, which makes a Message-ID unique even when the same
// outbox message is formatted twice (a retry after a delivery whose outcome was lost).
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// emlDir is the transport without SMTP: each message becomes a file a developer can open.
type emlDir struct {
	dir string
	log *slog.Logger
}

// send writes data to dir/YYYYMMDDTHHMMSS-<id>.eml through a temporary file renamed into place,
// so that a reader of the directory never sees half a message. A message written twice (after a
// crash before it was marked sent) replaces or sits beside the first copy.
func (e emlDir) send(_ context.Context, m store.Message, _ string, data []byte, now time.Time) error {
	path := filepath.Join(e.dir, fmt.Sprintf("%s-%d.eml", now.UTC().Format("20060102T150405"), m.ID))
	f, err := os.CreateTemp(e.dir, ".eml-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	e.log.Info("mail: written to the outbox directory", "to", m.To, "subject", m.Subject, "path", path)
	return nil
}

func (emlDir) close() {}

package mail_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"ouvert/internal/mail"
	"ouvert/internal/store"
)

func TestFormatWithAttachment(t *testing.T) {
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + strings.Repeat("X-FILL:é\r\n", 40) + "END:VCALENDAR\r\n"
	m := store.Message{ID: 3, To: "lea@exemple.fr", Subject: "Inscription confirmée", Body: "Vous êtes inscrite.",
		AttachmentName: "atelier\"/../evil.ics", AttachmentType: "text/calendar; charset=utf-8; method=PUBLISH", Attachment: []byte(ics)}
	raw := mail.Format("Ouvert <no-reply@ouvert.exemple.fr>", m, time.Now())
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/mixed" {
		t.Fatalf("content type %q, %v", mediaType, err)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	text, err := r.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(text))
	if strings.TrimSpace(string(body)) != "Vous êtes inscrite." {
		t.Errorf("text part %q", body)
	}
	att, err := r.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	if att.FileName() != "atelier__.._evil.ics" {
		t.Errorf("file name %q", att.FileName())
	}
	data, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, att))
	if string(data) != ics {
		t.Errorf("attachment differs")
	}
	if _, err := r.NextPart(); err != io.EOF {
		t.Errorf("a third part: %v", err)
	}
}

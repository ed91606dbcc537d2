package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// The contact form resists spam without a third-party captcha: a field hidden from people that
// robots fill in, and a signed time stamp that must be at least ContactMinDelay and at most a day
// old. A robot's message is answered like a person's and dropped.

func (s *Server) formStamp(t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, s.formKey)
	mac.Write([]byte("contact:" + ts))
	return ts + "." + hex.EncodeToString(mac.Sum(nil))
}

// stampAge checks a stamp and returns its age; ok is false for a forged or malformed one.
func (s *Server) stampAge(stamp string, now time.Time) (time.Duration, bool) {
	ts, _, found := strings.Cut(stamp, ".")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if !found || err != nil || !hmac.Equal([]byte(stamp), []byte(s.formStamp(time.Unix(sec, 0)))) {
		return 0, false
	}
	return now.Sub(time.Unix(sec, 0)), true
}

func (s *Server) contactForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "contact.title")
	if p.Process == nil || p.Process.ContactEmail == "" {
		return errNotFound
	}
	if u := p.User; u != nil {
		p.Form.Values.Set("name", u.DisplayName)
		p.Form.Values.Set("email", u.Email)
	}
	p.Form.Values.Set("stamp", s.formStamp(time.Now()))
	s.render(w, r, http.StatusOK, "contact", p)
	return nil
}

const maxContactMessage = 5000

func (s *Server) contact(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "contact.title")
	if p.Process == nil || p.Process.ContactEmail == "" {
		return errNotFound
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	if err := s.allow(r, "contact"); err != nil {
		return err
	}
	name := strings.TrimSpace(p.Form.Get("name"))
	email := ouvert.NormalizeEmail(p.Form.Get("email"))
	subject := strings.TrimSpace(p.Form.Get("subject"))
	message := strings.TrimSpace(p.Form.Get("message"))
	errs := p.Form.Errors
	if name == "" {
		errs.Add("name", "form.required")
	} else if utf8.RuneCountInString(name) > 120 {
		errs.Add("name", "form.too_long")
	}
	if !ouvert.ValidEmail(email) {
		errs.Add("email", "form.email")
	}
	if subject == "" {
		errs.Add("subject", "form.required")
	} else if utf8.RuneCountInString(subject) > 150 || strings.ContainsAny(subject, "\r\n") {
		errs.Add("subject", "form.too_long")
	}
	if message == "" {
		errs.Add("message", "form.required")
	} else if utf8.RuneCountInString(message) > maxContactMessage {
		errs.Add("message", "form.too_long")
	}
	age, ok := s.stampAge(p.Form.Get("stamp"), time.Now())
	if !ok || age > 24*time.Hour {
		// An old or broken page: give a fresh stamp and ask to send again, keeping the text.
		errs.Add("message", "contact.expired")
	}
	if p.Form.HasErrors() {
		p.Form.Values.Set("stamp", s.formStamp(time.Now()))
		s.render(w, r, http.StatusUnprocessableEntity, "contact", p)
		return nil
	}
	if p.Form.Get("website") != "" || age < s.cfg.ContactMinDelay {
		s.log.Warn("contact form looks automated: dropped", "ip", s.clientIP(r), "age", age)
	} else {
		l := s.cat.Locale("fr", p.L.Loc)
		body := l.T("mail.contact.body", name, email, subject, message)
		m := &store.Message{To: p.Process.ContactEmail, ReplyTo: email, Subject: l.T("mail.contact.subject", subject), Body: body}
		if err := s.send(r, m); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "contact_done", p)
	return nil
}

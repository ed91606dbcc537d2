package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"ouvert/internal/auth"
	"ouvert/internal/i18n"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

const (
	confirmTTL = 48 * time.Hour
	resetTTL   = time.Hour
)

// parseForm reads a posted form into a *form of the page.
func parseForm(r *http.Request, p *page) error {
	if err := r.ParseForm(); err != nil {
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	p.Form.Values = r.PostForm
	return nil
}

func (s *Server) signupForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "signup.title")
	p.Form.Values.Set("category", string(ouvert.CategoryCitizen))
	s.render(w, r, http.StatusOK, "signup", p)
	return nil
}

// signup creates an unconfirmed account and mails a confirmation link. An address that already
// has an account gets a mail saying so, and the page is the same either way: nobody learns from
// this form whether an address has an account.
func (s *Server) signup(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "signup.title")
	if err := parseForm(r, p); err != nil {
		return err
	}
	if err := s.allow(r, "signup"); err != nil {
		return err
	}
	email := ouvert.NormalizeEmail(p.Form.Get("email"))
	password := p.Form.Get("password")
	name := strings.TrimSpace(p.Form.Get("display_name"))
	cat := ouvert.Category(p.Form.Get("category"))
	errs := p.Form.Errors
	if !ouvert.ValidEmail(email) {
		errs.Add("email", "form.email")
	}
	ouvert.ValidatePassword(password, email, errs)
	ouvert.ValidateProfile(name, cat, errs)
	if p.Form.Get("accept") != "yes" {
		errs.Add("accept", "signup.must_accept")
	}
	if errs.Err() != nil {
		s.render(w, r, http.StatusUnprocessableEntity, "signup", p)
		return nil
	}
	hash, err := auth.Hash(password, s.cfg.Password)
	if err != nil {
		return err
	}
	u := &ouvert.User{Email: email, PasswordHash: hash, DisplayName: name, Category: cat, Lang: p.L.Lang, Digest: true}
	err = s.db.CreateUser(r.Context(), u)
	switch ouvert.ErrorCode(err) {
	case "":
		if err := s.sendConfirmation(r, u); err != nil {
			return err
		}
	case ouvert.ECONFLICT:
		existing, err := s.db.UserByEmail(r.Context(), email)
		if err != nil {
			return err
		}
		if err := s.mail(r, existing.Email, existing.Lang, "mail.exists", s.cfg.BaseURL+"/connexion", s.cfg.BaseURL+"/mot-de-passe-oublie"); err != nil {
			return err
		}
	default:
		return err
	}
	p.Data = email
	s.render(w, r, http.StatusOK, "signup_done", p)
	return nil
}

func (s *Server) sendConfirmation(r *http.Request, u *ouvert.User) error {
	tok, err := s.db.CreateToken(r.Context(), u.ID, store.TokenConfirm, confirmTTL)
	if err != nil {
		return err
	}
	return s.mail(r, u.Email, u.Lang, "mail.confirm", u.DisplayName, s.cfg.BaseURL+"/confirmer?jeton="+url.QueryEscape(tok))
}

// mail queues a message whose subject and body are the catalogue's key.subject and key.body in
// lang, the body formatted with args.
func (s *Server) mail(r *http.Request, to, lang, key string, args ...any) error {
	l := s.cat.Locale(lang, time.UTC)
	return s.send(r, &store.Message{To: to, Subject: l.T(key + ".subject"), Body: l.T(key+".body", args...)})
}

// send queues messages (all or none) and wakes the mail sender, so that it does not wait for its
// next round.
func (s *Server) send(r *http.Request, ms ...*store.Message) error {
	if err := s.db.Enqueue(r.Context(), ms...); err != nil {
		return err
	}
	s.mailPoke()
	return nil
}

// confirm uses a confirmation link, signs the person in and takes them to their profile.
func (s *Server) confirm(w http.ResponseWriter, r *http.Request) error {
	id, err := s.db.UseToken(r.Context(), r.URL.Query().Get("jeton"), store.TokenConfirm)
	if err != nil {
		p := s.page(r, "confirm.invalid_title")
		s.render(w, r, http.StatusNotFound, "confirm_invalid", p)
		return nil
	}
	if err := s.db.ConfirmUser(r.Context(), id); err != nil {
		return err
	}
	if err := s.startSession(w, r, id); err != nil {
		return err
	}
	s.flash(w, r, "flash.confirmed")
	http.Redirect(w, r, "/profil", http.StatusSeeOther)
	return nil
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, userID int64) error {
	secret, err := s.db.CreateSession(r.Context(), userID, s.cfg.SessionTTL)
	if err != nil {
		return err
	}
	s.setCookie(w, r, sessionCookie, secret, s.cfg.SessionTTL)
	return nil
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "login.title")
	p.Form.Values.Set("next", safeNext(r.URL.Query().Get("next"), ""))
	s.render(w, r, http.StatusOK, "login", p)
	return nil
}

// login checks an address and password. Failures count against the account (locked for a
// growing time from the fifth in a row) and against the client's address.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "login.title")
	if err := parseForm(r, p); err != nil {
		return err
	}
	if err := s.allow(r, "login"); err != nil {
		return err
	}
	ctx := r.Context()
	email, password := ouvert.NormalizeEmail(p.Form.Get("email")), p.Form.Get("password")
	fail := func(key string, args ...any) error {
		p.Form.Errors.Add("email", key)
		p.Data = args
		s.render(w, r, http.StatusUnprocessableEntity, "login", p)
		return nil
	}
	u, err := s.db.UserByEmail(ctx, email)
	if ouvert.ErrorCode(err) == ouvert.ENOTFOUND {
		auth.VerifyNothing(password)
		return fail("login.wrong")
	} else if err != nil {
		return err
	}
	if u.LockedUntil != nil && u.LockedUntil.After(s.db.Now()) {
		minutes := int(u.LockedUntil.Sub(s.db.Now()).Minutes()) + 1
		return fail("login.locked", minutes)
	}
	if err := auth.Verify(password, u.PasswordHash); err != nil {
		if err := s.db.RecordLoginFailure(ctx, u.ID); err != nil {
			return err
		}
		return fail("login.wrong")
	}
	if err := s.db.RecordLoginSuccess(ctx, u.ID); err != nil {
		return err
	}
	if !u.Confirmed() {
		if err := s.sendConfirmation(r, u); err != nil {
			return err
		}
		return fail("login.unconfirmed")
	}
	if err := s.startSession(w, r, u.ID); err != nil {
		return err
	}
	if i18n.Supported(u.Lang) != "" {
		s.setCookie(w, r, langCookie, u.Lang, 365*24*time.Hour)
	}
	http.Redirect(w, r, safeNext(p.Form.Get("next"), "/"), http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.db.DeleteSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearCookie(w, r, sessionCookie)
	s.flash(w, r, "flash.logged_out")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "forgot", s.page(r, "forgot.title"))
	return nil
}

// forgot mails a reset link when the address has an account, and shows the same page when it
// has none.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "forgot.title")
	if err := parseForm(r, p); err != nil {
		return err
	}
	if err := s.allow(r, "reset"); err != nil {
		return err
	}
	email := ouvert.NormalizeEmail(p.Form.Get("email"))
	if !ouvert.ValidEmail(email) {
		p.Form.Errors.Add("email", "form.email")
		s.render(w, r, http.StatusUnprocessableEntity, "forgot", p)
		return nil
	}
	u, err := s.db.UserByEmail(r.Context(), email)
	if err == nil {
		tok, err := s.db.CreateToken(r.Context(), u.ID, store.TokenReset, resetTTL)
		if err != nil {
			return err
		}
		if err := s.mail(r, u.Email, u.Lang, "mail.reset", s.cfg.BaseURL+"/reinitialiser?jeton="+url.QueryEscape(tok)); err != nil {
			return err
		}
	} else if ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		return err
	}
	p.Data = email
	s.render(w, r, http.StatusOK, "forgot_done", p)
	return nil
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "reset.title")
	tok := r.URL.Query().Get("jeton")
	if !s.db.TokenValid(r.Context(), tok, store.TokenReset) {
		s.render(w, r, http.StatusNotFound, "confirm_invalid", p)
		return nil
	}
	p.Form.Values.Set("jeton", tok)
	s.render(w, r, http.StatusOK, "reset", p)
	return nil
}

// reset sets a new password from a reset link. It also confirms the address, since the person
// just read mail sent to it, and ends every other session.
func (s *Server) reset(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "reset.title")
	if err := parseForm(r, p); err != nil {
		return err
	}
	if err := s.allow(r, "reset"); err != nil {
		return err
	}
	ctx := r.Context()
	tok, password := p.Form.Get("jeton"), p.Form.Get("password")
	if !s.db.TokenValid(ctx, tok, store.TokenReset) {
		s.render(w, r, http.StatusNotFound, "confirm_invalid", p)
		return nil
	}
	// Check the password against the account's address before using up the link.
	var email string
	if id, err := s.db.TokenUser(ctx, tok, store.TokenReset); err == nil {
		if u, err := s.db.UserByID(ctx, id); err == nil {
			email = u.Email
		}
	}
	ouvert.ValidatePassword(password, email, p.Form.Errors)
	if p.Form.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "reset", p)
		return nil
	}
	id, err := s.db.UseToken(ctx, tok, store.TokenReset)
	if err != nil {
		s.render(w, r, http.StatusNotFound, "confirm_invalid", p)
		return nil
	}
	hash, err := auth.Hash(password, s.cfg.Password)
	if err != nil {
		return err
	}
	if err := s.db.SetPassword(ctx, id, hash); err != nil {
		return err
	}
	if err := s.db.ConfirmUser(ctx, id); err != nil {
		return err
	}
	s.flash(w, r, "flash.password_reset")
	http.Redirect(w, r, "/connexion", http.StatusSeeOther)
	return nil
}

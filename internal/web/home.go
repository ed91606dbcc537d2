package web

import (
	"net/http"

	"ouvert/internal/i18n"
	"ouvert/internal/ouvert"
)

// homeData is what the home page shows of the process.
type homeData struct {
	Current *ouvert.Phase
	Next    *ouvert.Phase
	Events  []*ouvert.Event
	Intro   any
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "home.title")
	if p.Process == nil {
		s.render(w, r, http.StatusOK, "empty", p)
		return nil
	}
	events, err := s.db.ProcessEvents(r.Context(), p.Process.ID)
	if err != nil {
		return err
	}
	p.Title = p.Process.Title
	p.Data = homeData{
		Current: p.Process.CurrentPhase(p.Now),
		Next:    p.Process.NextPhase(p.Now),
		Events:  events,
		Intro:   s.md.HTML(p.Process.Intro),
	}
	s.render(w, r, http.StatusOK, "home", p)
	return nil
}

func (s *Server) participate(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "participate.title")
	if p.Process == nil {
		return errNotFound
	}
	p.Data = homeData{Current: p.Process.CurrentPhase(p.Now)}
	s.render(w, r, http.StatusOK, "participate", p)
	return nil
}

// setLang remembers the chosen language in a cookie (and on the account) and goes back.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) error {
	lang := i18n.Supported(r.PostFormValue("lang"))
	if lang == "" {
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	s.setCookie(w, r, langCookie, lang, 365*24*60*60*1e9)
	if u := currentUser(r); u != nil {
		if err := s.db.SetUserLang(r.Context(), u.ID, lang); err != nil {
			return err
		}
	}
	http.Redirect(w, r, safeNext(r.PostFormValue("next"), "/"), http.StatusSeeOther)
	return nil
}

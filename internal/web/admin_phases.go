package web

import (
	"net/http"
	"strconv"
	"time"

	"ouvert/internal/ouvert"
)

// adminPhases lets organisers move a phase's dates, to extend the ideation phase for instance.
func (s *Server) adminPhases(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if !u.Is(ouvert.RoleOrganiser) {
		return errForbidden
	}
	p := s.page(r, "admin.phases.title")
	if p.Process == nil {
		return errNotFound
	}
	s.render(w, r, http.StatusOK, "admin_phases", p)
	return nil
}

// adminPhaseSave sets a phase's first and last days (inclusive, in the process' time zone).
func (s *Server) adminPhaseSave(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if !u.Is(ouvert.RoleOrganiser) {
		return errForbidden
	}
	p := s.page(r, "admin.phases.title")
	if p.Process == nil {
		return errNotFound
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	loc := p.Process.Location()
	start, err1 := time.ParseInLocation("2006-01-02", p.Form.Get("starts"), loc)
	last, err2 := time.ParseInLocation("2006-01-02", p.Form.Get("ends"), loc)
	key := "phase-" + strconv.FormatInt(id, 10)
	switch {
	case err1 != nil || err2 != nil:
		p.Form.Errors.Add(key, "admin.phases.bad_date")
	case last.Before(start):
		p.Form.Errors.Add(key, "phase.ends_before_start")
	}
	if p.Form.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "admin_phases", p)
		return nil
	}
	end := time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, loc)
	if err := s.db.SetPhaseDates(r.Context(), id, ouvert.Phase{StartsAt: start, EndsAt: end}); err != nil {
		return err
	}
	s.forgetProcess()
	s.flash(w, r, "flash.phase_saved")
	http.Redirect(w, r, "/admin/phases", http.StatusSeeOther)
	return nil
}

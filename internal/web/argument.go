package web

import (
	"net/http"
	"strconv"
	"strings"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// argumentCreate adds an argument, or a reply when the form names a parent. A refused text comes
// back on the contribution's page with what was typed.
func (s *Server) argumentCreate(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	u, id, err := s.participantOn(w, r, p)
	if u == nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	a := &ouvert.Argument{ContributionID: id, AuthorID: u.ID, ParentID: atoi(p.Form.Get("parent")),
		Stance: p.Form.Get("stance"), Body: strings.TrimSpace(p.Form.Get("body"))}
	field := "body"
	if a.ParentID != 0 {
		field = "reply-" + strconv.FormatInt(a.ParentID, 10)
	}
	errs := ouvert.FieldErrors{}
	ouvert.ValidateArgument(a.Body, errs)
	if a.ParentID == 0 && !ouvert.ValidStance(a.Stance) {
		errs.Add("stance", "argument.choose_stance")
	}
	if err := errs.Err(); err == nil {
		if err := s.allowUser(u, "argue"); err != nil {
			return err
		}
		err = s.db.CreateArgument(r.Context(), a)
		if e, ok := err.(*ouvert.Error); ok && e.Field != "" {
			errs.Add(e.Field, e.Message)
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		for k, v := range errs {
			if k == "body" {
				k = field
			}
			p.Form.Errors.Add(k, v)
		}
		if a.ParentID != 0 {
			p.Form.Values.Set(field, p.Form.Get("body"))
		}
		r.URL.RawQuery = ""
		return s.contributionShowWith(w, r, p, http.StatusUnprocessableEntity)
	}
	s.flash(w, r, "flash.argument_published")
	back(w, r, id, "argument-"+strconv.FormatInt(a.ID, 10))
	return nil
}

func (s *Server) argumentUseful(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	u, id, err := s.participantOn(w, r, p)
	if u == nil {
		return err
	}
	a, err := s.db.Argument(r.Context(), id)
	if err != nil {
		return err
	}
	if err := s.allowUser(u, "vote"); err != nil {
		return err
	}
	if _, err := s.db.ToggleUseful(r.Context(), id, u.ID); err != nil {
		return err
	}
	back(w, r, a.ContributionID, "argument-"+strconv.FormatInt(id, 10))
	return nil
}

func (s *Server) argumentEditForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "argument.edit_title")
	u, id, err := s.participantOn(w, r, p)
	if u == nil {
		return err
	}
	a, err := s.db.Argument(r.Context(), id)
	if err != nil {
		return err
	}
	if a.AuthorID != u.ID {
		return errForbidden
	}
	p.Form.Values.Set("body", a.Body)
	p.Data = a
	s.render(w, r, http.StatusOK, "argument_edit", p)
	return nil
}

func (s *Server) argumentEdit(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "argument.edit_title")
	u, id, err := s.participantOn(w, r, p)
	if u == nil {
		return err
	}
	a, err := s.db.Argument(r.Context(), id)
	if err != nil {
		return err
	}
	if a.AuthorID != u.ID {
		return errForbidden
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	body := strings.TrimSpace(p.Form.Get("body"))
	ouvert.ValidateArgument(body, p.Form.Errors)
	if p.Form.HasErrors() {
		p.Data = a
		s.render(w, r, http.StatusUnprocessableEntity, "argument_edit", p)
		return nil
	}
	if err := s.db.EditArgument(r.Context(), id, u.ID, body); err != nil {
		return err
	}
	s.flash(w, r, "flash.argument_saved")
	back(w, r, a.ContributionID, "argument-"+strconv.FormatInt(id, 10))
	return nil
}

// report records a report of a contribution or argument; the threshold comes from the process.
func (s *Server) report(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	p := s.page(r, "")
	if p.Process == nil {
		return errNotFound
	}
	if u.BlockedAt != nil {
		return ouvert.Errorf(ouvert.EFORBIDDEN, "consultation.blocked")
	}
	if err := s.allowUser(u, "report"); err != nil {
		return err
	}
	targetType, id := r.PostFormValue("type"), atoi(r.PostFormValue("id"))
	contributionID := id
	if targetType == store.TargetArgument {
		a, err := s.db.Argument(r.Context(), id)
		if err != nil {
			return err
		}
		contributionID = a.ContributionID
	} else if targetType != store.TargetContribution {
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	reason := r.PostFormValue("reason")
	if !ouvert.ValidReportReason(reason) {
		return ouvert.Errorf(ouvert.EINVALID, "report.choose_reason")
	}
	hid, err := s.db.Report(r.Context(), targetType, id, u.ID, reason, strings.TrimSpace(r.PostFormValue("detail")), p.Process.ReportThreshold)
	switch ouvert.ErrorCode(err) {
	case "":
		if hid {
			s.forgetProcess()
		}
		s.flash(w, r, "flash.reported")
	case ouvert.ECONFLICT:
		s.flash(w, r, "report.already")
	default:
		return err
	}
	anchor := "contribution"
	if targetType == store.TargetArgument {
		anchor = "argument-" + strconv.FormatInt(id, 10)
	}
	back(w, r, contributionID, anchor)
	return nil
}

package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"ouvert/internal/auth"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

type profileData struct {
	Memberships []store.Membership
}

func (s *Server) profilePage(w http.ResponseWriter, r *http.Request, p *page, u *ouvert.User, status int) error {
	ms, err := s.db.UserOrganisations(r.Context(), u.ID)
	if err != nil {
		return err
	}
	p.Data = profileData{Memberships: ms}
	s.render(w, r, status, "profile", p)
	return nil
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	p := s.page(r, "profile.title")
	p.Form.Values.Set("display_name", u.DisplayName)
	p.Form.Values.Set("category", string(u.Category))
	p.Form.Values.Set("org_category", string(ouvert.CategoryAssociation))
	return s.profilePage(w, r, p, u, http.StatusOK)
}

func (s *Server) profileSave(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	p := s.page(r, "profile.title")
	if err := parseForm(r, p); err != nil {
		return err
	}
	name, cat := strings.TrimSpace(p.Form.Get("display_name")), ouvert.Category(p.Form.Get("category"))
	ouvert.ValidateProfile(name, cat, p.Form.Errors)
	if p.Form.HasErrors() {
		p.Form.Values.Set("org_category", string(ouvert.CategoryAssociation))
		return s.profilePage(w, r, p, u, http.StatusUnprocessableEntity)
	}
	if err := s.db.UpdateProfile(r.Context(), u.ID, name, cat); err != nil {
		return err
	}
	s.flash(w, r, "flash.profile_saved")
	http.Redirect(w, r, "/profil", http.StatusSeeOther)
	return nil
}

func (s *Server) organisationCreate(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	p := s.page(r, "profile.title")
	if err := parseForm(r, p); err != nil {
		return err
	}
	o := &ouvert.Organisation{Name: strings.TrimSpace(p.Form.Get("org_name")), Category: ouvert.Category(p.Form.Get("org_category"))}
	errs := ouvert.FieldErrors{}
	ouvert.ValidateOrganisation(o.Name, o.Category, errs)
	for k, v := range errs {
		p.Form.Errors.Add("org_"+k, v)
	}
	if p.Form.HasErrors() {
		p.Form.Values.Set("display_name", u.DisplayName)
		p.Form.Values.Set("category", string(u.Category))
		return s.profilePage(w, r, p, u, http.StatusUnprocessableEntity)
	}
	if err := s.db.CreateOrganisation(r.Context(), o, u.ID); err != nil {
		return err
	}
	s.flash(w, r, "flash.organisation_created")
	http.Redirect(w, r, "/profil#organisations", http.StatusSeeOther)
	return nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// organisationAddMember lets an organisation's administrator add a person by address; the store
// checks that the person acting administers that organisation.
func (s *Server) organisationAddMember(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = s.db.AddMember(r.Context(), id, u.ID, r.PostFormValue("email"))
	switch ouvert.ErrorCode(err) {
	case "":
		s.flash(w, r, "flash.member_added")
	case ouvert.ENOTFOUND, ouvert.ECONFLICT:
		s.flash(w, r, ouvert.ErrorMessage(err))
	default:
		return err
	}
	http.Redirect(w, r, "/profil#organisations", http.StatusSeeOther)
	return nil
}

func (s *Server) organisationLeave(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.db.LeaveOrganisation(r.Context(), id, u.ID); err != nil {
		return err
	}
	s.flash(w, r, "flash.organisation_left")
	http.Redirect(w, r, "/profil#organisations", http.StatusSeeOther)
	return nil
}

// personalData gives a person everything Ouvert holds about them, as JSON.
func (s *Server) personalData(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	d, err := s.db.PersonalData(r.Context(), u)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="mes-donnees-ouvert.json"`)
	w.Header().Set("Cache-Control", "private, no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

func (s *Server) deleteAccountForm(w http.ResponseWriter, r *http.Request) error {
	if u := requireUser(w, r); u == nil {
		return nil
	}
	s.render(w, r, http.StatusOK, "delete_account", s.page(r, "delete.title"))
	return nil
}

// deleteAccount removes the person's account once they type their password again.
func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	p := s.page(r, "delete.title")
	if err := parseForm(r, p); err != nil {
		return err
	}
	if err := auth.Verify(p.Form.Get("password"), u.PasswordHash); err != nil {
		p.Form.Errors.Add("password", "delete.wrong_password")
		s.render(w, r, http.StatusUnprocessableEntity, "delete_account", p)
		return nil
	}
	if p.Form.Get("content") == "delete" {
		if err := s.db.DeleteUserContent(r.Context(), u.ID); err != nil {
			return err
		}
		s.forgetProcess()
	}
	if err := s.db.DeleteUser(r.Context(), u.ID); err != nil {
		return err
	}
	s.clearCookie(w, r, sessionCookie)
	s.flash(w, r, "flash.account_deleted")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

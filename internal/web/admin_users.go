package web

import (
	"net/http"
	"strconv"
	"strings"

	"ouvert/internal/ouvert"
)

const usersPerPage = 50

type adminUsersData struct {
	Users []*ouvert.User
	Total int
	Next  int64 // cursor of the next page, 0 on the last one
	Roles []ouvert.Role
}

// adminUsers lists accounts for organisers, newest first, a page at a time by id cursor.
func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if !u.Is(ouvert.RoleOrganiser) {
		return errForbidden
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("avant"), 10, 64)
	users, err := s.db.Users(r.Context(), before, usersPerPage+1)
	if err != nil {
		return err
	}
	total, err := s.db.CountUsers(r.Context())
	if err != nil {
		return err
	}
	d := adminUsersData{Users: users, Total: total, Roles: ouvert.Roles}
	if len(users) > usersPerPage {
		d.Users = users[:usersPerPage]
		d.Next = d.Users[usersPerPage-1].ID
	}
	p := s.page(r, "admin.users.title")
	p.Data = d
	s.render(w, r, http.StatusOK, "admin_users", p)
	return nil
}

// adminSetRole changes a person's role; only organisers may, and not their own, so that the
// last organiser cannot lock everybody out by mistake.
func (s *Server) adminSetRole(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if !u.Is(ouvert.RoleOrganiser) {
		return errForbidden
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if id == u.ID {
		return ouvert.Errorf(ouvert.EFORBIDDEN, "admin.users.not_self")
	}
	role := ouvert.Role(r.PostFormValue("role"))
	admin := strings.TrimSpace(r.PostFormValue("administration"))
	if role == ouvert.RoleAdministration && admin == "" {
		return ouvert.Errorf(ouvert.EINVALID, "admin.users.administration_required")
	}
	if err := s.db.SetRole(r.Context(), id, role, admin); err != nil {
		return err
	}
	s.flash(w, r, "flash.role_saved")
	http.Redirect(w, r, "/admin/comptes", http.StatusSeeOther)
	return nil
}

package web

import (
	"net/http"
	"slices"
	"strings"

	"ouvert/internal/ouvert"
)

// pageData is an editable page as shown.
type pageData struct {
	Slug string
	Body any
	Page *ouvert.Page // nil while the page still shows its default text
}

// loadPage returns the organisers' version of a page in the person's language, or the default
// text from the catalogue.
func (s *Server) loadPage(r *http.Request, p *page, slug string) (*ouvert.Page, error) {
	if !slices.Contains(ouvert.PageSlugs, slug) {
		return nil, errNotFound
	}
	pg, err := s.db.Page(r.Context(), slug, p.L.Lang)
	if ouvert.ErrorCode(err) == ouvert.ENOTFOUND {
		return &ouvert.Page{Slug: slug, Lang: p.L.Lang, Title: p.L.T("page." + slug + ".title"), Body: p.L.T("page." + slug + ".body")}, nil
	}
	return pg, err
}

func (s *Server) pageShow(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	pg, err := s.loadPage(r, p, r.PathValue("slug"))
	if err != nil {
		return err
	}
	p.Title = pg.Title
	p.Data = pageData{Slug: pg.Slug, Body: s.md.HTML(pg.Body), Page: pg}
	s.render(w, r, http.StatusOK, "page", p)
	return nil
}

func (s *Server) pageEditForm(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if !u.Is(ouvert.RoleOrganiser) {
		return errForbidden
	}
	p := s.page(r, "page.edit_title")
	pg, err := s.loadPage(r, p, r.PathValue("slug"))
	if err != nil {
		return err
	}
	p.Form.Values.Set("title", pg.Title)
	p.Form.Values.Set("body", pg.Body)
	p.Data = pageData{Slug: pg.Slug}
	s.render(w, r, http.StatusOK, "page_edit", p)
	return nil
}

// pageEdit saves an organiser's version of a page, in the language they are reading in.
func (s *Server) pageEdit(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if !u.Is(ouvert.RoleOrganiser) {
		return errForbidden
	}
	p := s.page(r, "page.edit_title")
	slug := r.PathValue("slug")
	if !slices.Contains(ouvert.PageSlugs, slug) {
		return errNotFound
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	pg := &ouvert.Page{Slug: slug, Lang: p.L.Lang, Title: strings.TrimSpace(p.Form.Get("title")), Body: p.Form.Get("body")}
	if pg.Title == "" {
		p.Form.Errors.Add("title", "form.required")
	} else if len(pg.Title) > 200 {
		p.Form.Errors.Add("title", "form.too_long")
	}
	if strings.TrimSpace(pg.Body) == "" {
		p.Form.Errors.Add("body", "form.required")
	} else if len(pg.Body) > 100_000 {
		p.Form.Errors.Add("body", "form.too_long")
	}
	if p.Form.HasErrors() {
		p.Data = pageData{Slug: slug}
		s.render(w, r, http.StatusUnprocessableEntity, "page_edit", p)
		return nil
	}
	if err := s.db.SavePage(r.Context(), pg, u.ID); err != nil {
		return err
	}
	s.flash(w, r, "flash.page_saved")
	http.Redirect(w, r, "/pages/"+slug, http.StatusSeeOther)
	return nil
}

package web

import (
	"errors"
	"net/http"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/planimport"
)

// maxPlanImport bounds an uploaded CSV of commitments: a plan of a hundred commitments with ten
// milestones each is well under a megabyte.
const maxPlanImport = 5 << 20

// planImportData is the form that imports commitments from CSV.
type planImportData struct {
	Plan *ouvert.Plan
	// Refusal names the line, column and reason a file was refused for, in the person's language.
	Refusal string
}

// planImportForm shows the form that imports a plan's commitments from CSV (organisers).
func (s *Server) planImportForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "import.title")
	pl, err := s.organiserPlan(w, r, p)
	if pl == nil {
		return err
	}
	p.Data = &planImportData{Plan: pl}
	s.render(w, r, http.StatusOK, "plan_import", p)
	return nil
}

// planImport adds the commitments and milestones of an uploaded CSV to a plan, all or none: a
// bad line shows the form again with its line, column and reason, and nothing is imported.
func (s *Server) planImport(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "import.title")
	pl, err := s.organiserPlan(w, r, p)
	if pl == nil {
		return err
	}
	d := &planImportData{Plan: pl}
	p.Data = d
	r.Body = http.MaxBytesReader(w, r.Body, maxPlanImport+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			p.Form.Errors.Add("file", "import.too_big")
			s.render(w, r, http.StatusRequestEntityTooLarge, "plan_import", p)
			return nil
		}
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	defer r.MultipartForm.RemoveAll()
	file, header, err := r.FormFile("file")
	if err != nil {
		p.Form.Errors.Add("file", "import.no_file")
		s.render(w, r, http.StatusUnprocessableEntity, "plan_import", p)
		return nil
	}
	defer file.Close()
	if header.Size > maxPlanImport {
		p.Form.Errors.Add("file", "import.too_big")
		s.render(w, r, http.StatusRequestEntityTooLarge, "plan_import", p)
		return nil
	}
	loc := time.UTC
	if p.Process != nil {
		loc = p.Process.Location()
	}
	rows, err := planimport.Parse(file, loc)
	var bad *planimport.Error
	if errors.As(err, &bad) {
		if bad.Column != "" {
			d.Refusal = p.L.T("import.line_column", bad.Line, bad.Column, p.L.T(bad.Reason))
		} else {
			d.Refusal = p.L.T("import.line", bad.Line, p.L.T(bad.Reason))
		}
		p.Form.Errors.Add("file", "import.refused")
		s.render(w, r, http.StatusUnprocessableEntity, "plan_import", p)
		return nil
	} else if err != nil {
		return err
	}
	if _, err := planimport.Import(r.Context(), s.db, pl.ID, rows); err != nil {
		return err
	}
	s.flash(w, r, "flash.commitments_imported")
	http.Redirect(w, r, "/plans/"+pl.Slug, http.StatusSeeOther)
	return nil
}

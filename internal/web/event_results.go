package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"ouvert/internal/csvsafe"
	"ouvert/internal/ouvert"
)

const maxIdeasUpload = 2 << 20

type resultsData struct {
	E     *ouvert.Event
	Lines []string // why a CSV was refused, line by line
}

// resultsEvent returns the event whose results the person may record: its organiser or the
// process' organisers, once it has started.
func (s *Server) resultsEvent(w http.ResponseWriter, r *http.Request, p *page) (*ouvert.Event, error) {
	if p.User == nil {
		requireUser(w, r)
		return nil, nil
	}
	e, err := s.visibleEvent(r, p)
	if err != nil {
		return nil, err
	}
	if p.User.ID != e.OrganiserID && !p.User.Is(ouvert.RoleOrganiser) {
		return nil, errForbidden
	}
	if e.StartsAt.After(p.Now) {
		return nil, ouvert.Errorf(ouvert.ECONFLICT, "results.not_yet")
	}
	return e, nil
}

func (s *Server) eventResultsForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "results.title")
	e, err := s.resultsEvent(w, r, p)
	if e == nil {
		return err
	}
	rep, err := s.db.EventReport(r.Context(), e.ID)
	if err != nil {
		return err
	}
	if rep != nil {
		p.Form.Values.Set("attendance", strconv.Itoa(rep.Attendance))
		for c, n := range rep.ByCategory {
			p.Form.Values.Set("cat_"+string(c), strconv.Itoa(n))
		}
		p.Form.Values.Set("report", rep.Report)
	}
	if len(e.AxisIDs) > 0 {
		p.Form.Values.Set("axis", strconv.FormatInt(e.AxisIDs[0], 10))
	}
	p.Data = resultsData{E: e}
	s.render(w, r, http.StatusOK, "event_results", p)
	return nil
}

var paragraphs = regexp.MustCompile(`\n\s*\n`)

// eventResults records attendance and report, and publishes the ideas typed, pasted (one per
// paragraph) or uploaded as CSV as contributions whose origin is the event. A bad CSV line refuses
// everything, with the line and the reason; what was typed stays in the form.
func (s *Server) eventResults(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "results.title")
	e, err := s.resultsEvent(w, r, p)
	if e == nil {
		return err
	}
	if err := r.ParseMultipartForm(maxIdeasUpload); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return ouvert.Errorf(ouvert.EINVALID, "results.too_big")
	}
	p.Form.Values = r.Form
	f := p.Form
	d := resultsData{E: e}
	number := func(name string) int {
		v := strings.TrimSpace(f.Get(name))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1_000_000 {
			f.Errors.Add(name, "results.bad_number")
		}
		return n
	}
	rep := &ouvert.EventReport{EventID: e.ID, Attendance: number("attendance"), ByCategory: map[ouvert.Category]int{},
		Report: strings.TrimSpace(f.Get("report"))}
	sum := 0
	for _, c := range ouvert.Categories {
		if n := number("cat_" + string(c)); n > 0 {
			rep.ByCategory[c] = n
			sum += n
		}
	}
	if sum > rep.Attendance && rep.Attendance > 0 {
		f.Errors.Add("attendance", "results.breakdown_exceeds")
	}
	if utf8.RuneCountInString(rep.Report) > 20000 {
		f.Errors.Add("report", "form.too_long")
	}
	axis := atoi(f.Get("axis"))
	idea := func(title, body string) *ouvert.Contribution {
		if title == "" {
			title = ouvert.TitleFrom(body)
		}
		return &ouvert.Contribution{ProcessID: p.Process.ID, AxisID: axis, AuthorID: p.User.ID, Title: title, Body: body,
			Origin: ouvert.OriginEvent, OriginEventID: e.ID}
	}
	var ideas []*ouvert.Contribution
	for _, para := range paragraphs.Split(strings.ReplaceAll(f.Get("ideas"), "\r\n", "\n"), -1) {
		if para = strings.TrimSpace(para); para != "" {
			ideas = append(ideas, idea("", para))
		}
	}
	if name, text := strings.TrimSpace(f.Get("for_name")), strings.TrimSpace(f.Get("for_text")); name != "" || text != "" {
		switch {
		case name == "":
			f.Errors.Add("for_name", "form.required")
		case text == "":
			f.Errors.Add("for_text", "form.required")
		case f.Get("for_agreed") != "yes":
			f.Errors.Add("for_agreed", "results.must_agree")
		default:
			c := idea("", text)
			c.Origin, c.OnBehalfOf = ouvert.OriginFacilitated, name
			ideas = append(ideas, c)
		}
	}
	if file, _, err := r.FormFile("csv"); err == nil {
		rows, lines := parseIdeasCSV(file, p)
		file.Close()
		if len(lines) > 0 {
			d.Lines = lines
			f.Errors.Add("csv", "results.csv_refused")
		}
		for _, row := range rows {
			c := idea(row.title, row.text)
			c.AxisID = row.axis
			if row.person != "" {
				c.Origin, c.OnBehalfOf = ouvert.OriginFacilitated, row.person
			}
			ideas = append(ideas, c)
		}
	}
	for _, c := range ideas {
		errs := ouvert.FieldErrors{}
		ouvert.ValidateContribution(c.Title, c.Body, errs)
		if len(errs) > 0 {
			f.Errors.Add("ideas", "results.idea_invalid")
		}
		if p.Process.Axis(c.AxisID) == nil {
			f.Errors.Add("axis", "form.choose")
		}
	}
	if len(ideas) > 0 {
		if key := ouvert.CanParticipate(p.User, p.Process, p.Now); key != "" {
			f.Errors.Add("ideas", key)
		}
	}
	if f.HasErrors() {
		p.Data = d
		s.render(w, r, http.StatusUnprocessableEntity, "event_results", p)
		return nil
	}
	if err := s.db.SaveEventResults(r.Context(), rep, p.User.ID, ideas); err != nil {
		return err
	}
	s.forgetProcess()
	s.flash(w, r, "flash.results_saved")
	http.Redirect(w, r, fmt.Sprintf("/evenements/%d#resultats", e.ID), http.StatusSeeOther)
	return nil
}

type csvIdea struct {
	axis                int64
	title, text, person string
}

// parseIdeasCSV reads the ideas template: axe (the axis' number), titre (optional), texte, pour
// (optional: the person a facilitator typed it in for). It returns every refused line's reason.
func parseIdeasCSV(r io.Reader, p *page) ([]csvIdea, []string) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, []string{p.L.T("results.csv_line", 1, "-", p.L.T("results.csv_no_header"))}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	var lines []string
	for _, need := range []string{"axe", "texte"} {
		if _, ok := col[need]; !ok {
			lines = append(lines, p.L.T("results.csv_line", 1, need, p.L.T("results.csv_missing_column")))
		}
	}
	if len(lines) > 0 {
		return nil, lines
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var out []csvIdea
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				lines = append(lines, p.L.T("results.csv_line", pe.Line, strconv.Itoa(pe.Column), pe.Err.Error()))
				break
			}
			lines = append(lines, err.Error())
			break
		}
		row := csvIdea{title: get(rec, "titre"), text: get(rec, "texte"), person: get(rec, "pour")}
		n, err := strconv.Atoi(get(rec, "axe"))
		if err != nil || n < 1 || n > len(p.Process.Axes) {
			lines = append(lines, p.L.T("results.csv_line", line, "axe", p.L.T("results.csv_bad_axis", len(p.Process.Axes))))
			continue
		}
		row.axis = p.Process.Axes[n-1].ID
		errs := ouvert.FieldErrors{}
		title := row.title
		if title == "" {
			title = ouvert.TitleFrom(row.text)
		}
		ouvert.ValidateContribution(title, row.text, errs)
		if k, ok := errs["body"]; ok {
			lines = append(lines, p.L.T("results.csv_line", line, "texte", p.L.T(k)))
			continue
		}
		if k, ok := errs["title"]; ok {
			lines = append(lines, p.L.T("results.csv_line", line, "titre", p.L.T(k)))
			continue
		}
		out = append(out, row)
	}
	if len(out) == 0 && len(lines) == 0 {
		lines = append(lines, p.L.T("results.csv_line", 2, "-", p.L.T("results.csv_empty")))
	}
	return out, lines
}

// eventResultsTemplate is the CSV template the results page offers.
func (s *Server) eventResultsTemplate(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	if _, err := s.visibleEvent(r, p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="idees-atelier.csv"`)
	cw := csvsafe.NewWriter(w)
	cw.Write("axe", "titre", "texte", "pour")
	cw.Write("2", "Des ateliers dans les médiathèques", "Organiser des ateliers de participation dans les médiathèques de quartier.", "")
	cw.Write("1", "", "Publier les horaires des services publics en données ouvertes.", "Marie (a donné son accord)")
	return cw.Flush()
}

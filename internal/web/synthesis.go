package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"ouvert/internal/i18n"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/synthesis"
	"ouvert/internal/textsearch"
)

// requireOrganiser returns the signed-in organiser, or nil after answering the request: the log-in
// page for visitors, 403 for others.
func requireOrganiser(w http.ResponseWriter, r *http.Request) (*ouvert.User, error) {
	u := requireUser(w, r)
	if u == nil {
		return nil, nil
	}
	if !u.Is(ouvert.RoleOrganiser) {
		return nil, errForbidden
	}
	return u, nil
}

// workspaceData is a page of the synthesis workspace: the contributions of the process with the
// organisers' filters, their groups, and the bulk answer form.
type workspaceData struct {
	Items      []*ouvert.Contribution
	Groups     map[int64][]*ouvert.Group
	Total      int
	Capped     bool
	Page       int
	Pages      int
	PageLinks  []pageLink
	Filter     url.Values
	Syntheses  []*ouvert.Synthesis
	Selected   map[int64]bool
	BulkAction string
}

// workspace lets organisers work through the contributions: filters, sorts, search, and the same
// answer for every ticked contribution.
func (s *Server) workspace(w http.ResponseWriter, r *http.Request) error {
	u, err := requireOrganiser(w, r)
	if u == nil {
		return err
	}
	return s.workspaceWith(w, r, s.page(r, "workspace.title"), http.StatusOK)
}

func (s *Server) workspaceWith(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	if p.Process == nil {
		return errNotFound
	}
	p.Title = p.L.T("workspace.title")
	q := r.URL.Query()
	d := &workspaceData{Filter: url.Values{}, Selected: map[int64]bool{}}
	f := store.ContributionFilter{ProcessID: p.Process.ID, PerPage: 50}
	keep := func(name string) { d.Filter.Set(name, q.Get(name)) }
	if id := atoi(q.Get("axe")); id != 0 && p.Process.Axis(id) != nil {
		f.AxisID = id
		keep("axe")
	}
	if id := atoi(q.Get("theme")); id != 0 && p.Process.Theme(id) != nil {
		f.ThemeID = id
		keep("theme")
	}
	if o := ouvert.Origin(q.Get("origine")); slices.Contains(ouvert.Origins, o) {
		f.Origin = o
		keep("origine")
	}
	if resp, ok := ouvert.ParseResponse(q.Get("reponse")); ok {
		f.Response = resp
		keep("reponse")
	}
	if n := atoi(q.Get("votes")); n > 0 {
		f.MinVotes = int(n)
		keep("votes")
	}
	loc := p.Process.Location()
	if t, err := time.ParseInLocation("2006-01-02", q.Get("du"), loc); err == nil {
		f.From = t
		keep("du")
	}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("au"), loc); err == nil {
		f.To = t.AddDate(0, 0, 1)
		keep("au")
	}
	if text := strings.TrimSpace(q.Get("q")); text != "" {
		f.Query = textsearch.ParseQuery(text)
		keep("q")
	}
	f.Sort = q.Get("tri")
	if !slices.Contains([]string{store.SortAgree, store.SortDiscussed, store.SortNewest, store.SortOldest}, f.Sort) {
		f.Sort = store.SortNewest
	}
	d.Filter.Set("tri", f.Sort)
	d.Page = max(1, int(atoi(q.Get("page"))))
	f.Page = d.Page
	ctx := r.Context()
	var err error
	if d.Items, d.Total, err = s.db.Contributions(ctx, f); err != nil {
		return err
	}
	d.Capped = d.Total >= 10_000 && (f.MinVotes > 0 || !f.From.IsZero() || !f.To.IsZero() || !f.Query.Empty())
	d.Pages = max(1, (d.Total+f.PerPage-1)/f.PerPage)
	d.PageLinks = pageLinks("/synthese", d.Filter, d.Page, d.Pages)
	ids := make([]int64, len(d.Items))
	for i, c := range d.Items {
		ids[i] = c.ID
	}
	if d.Groups, err = s.db.GroupsOf(ctx, ids); err != nil {
		return err
	}
	if d.Syntheses, err = s.db.Syntheses(ctx, p.Process.ID, false); err != nil {
		return err
	}
	for _, v := range p.Form.Values["ids"] {
		d.Selected[atoi(v)] = true
	}
	p.Data = d
	s.render(w, r, status, "workspace", p)
	return nil
}

// workspaceAnswer gives the same answer to the ticked contributions of the workspace.
func (s *Server) workspaceAnswer(w http.ResponseWriter, r *http.Request) error {
	u, err := requireOrganiser(w, r)
	if u == nil {
		return err
	}
	p := s.page(r, "workspace.title")
	if p.Process == nil {
		return errNotFound
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	var ids []int64
	for _, v := range p.Form.Values["ids"] {
		if id := atoi(v); id > 0 {
			ids = append(ids, id)
		}
	}
	next := safeNext(p.Form.Get("next"), "/synthese")
	if _, err := s.db.Answer(r.Context(), p.Process.ID, ids, answerFrom(p.Form), u.ID); err != nil {
		if p.Form.Refused(err) {
			// The workspace comes back as it was, with what was ticked and typed.
			if u, err := url.Parse(next); err == nil {
				r.URL.RawQuery = u.RawQuery
			}
			return s.workspaceWith(w, r, p, http.StatusUnprocessableEntity)
		}
		return err
	}
	s.forgetProcess()
	s.flash(w, r, "flash.answered_bulk")
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// synthesisEditData is the editor of one synthesis.
type synthesisEditData struct {
	Synthesis *ouvert.Synthesis
	Axis      *ouvert.Axis
	Preview   any
	Unknown   []int64
	Versions  []*ouvert.SynthesisVersion
}

// synthesisEdit shows organisers the editor of the synthesis of an axis (axe=0: the overall one).
func (s *Server) synthesisEdit(w http.ResponseWriter, r *http.Request) error {
	u, err := requireOrganiser(w, r)
	if u == nil {
		return err
	}
	p := s.page(r, "synthesis.edit_title")
	if p.Process == nil {
		return errNotFound
	}
	syn, err := s.synthesisOfAxis(r, p, atoi(r.URL.Query().Get("axe")))
	if err != nil {
		return err
	}
	p.Form.Values.Set("title", syn.Title)
	p.Form.Values.Set("draft", syn.Draft)
	return s.synthesisEditWith(w, r, p, syn, http.StatusOK, false)
}

// synthesisOfAxis returns the synthesis of an axis, or a new one with a title to start from.
func (s *Server) synthesisOfAxis(r *http.Request, p *page, axisID int64) (*ouvert.Synthesis, error) {
	if axisID != 0 && p.Process.Axis(axisID) == nil {
		return nil, errNotFound
	}
	list, err := s.db.Syntheses(r.Context(), p.Process.ID, false)
	if err != nil {
		return nil, err
	}
	for _, syn := range list {
		if syn.AxisID == axisID {
			return syn, nil
		}
	}
	syn := &ouvert.Synthesis{ProcessID: p.Process.ID, AxisID: axisID, Title: p.L.T("synthesis.default_overall")}
	if a := p.Process.Axis(axisID); a != nil {
		syn.Title = p.L.T("synthesis.default_axis", a.Position, a.Title)
	}
	return syn, nil
}

func (s *Server) synthesisEditWith(w http.ResponseWriter, r *http.Request, p *page, syn *ouvert.Synthesis, status int, preview bool) error {
	d := &synthesisEditData{Synthesis: syn, Axis: p.Process.Axis(syn.AxisID)}
	if preview || syn.Draft != "" {
		expanded, _, unknown, err := s.expand(r, p, syn.AxisID, syn.Draft)
		if err != nil {
			return err
		}
		d.Preview, d.Unknown = s.md.HTML(expanded), unknown
	}
	if syn.ID != 0 {
		var err error
		if d.Versions, err = s.db.SynthesisVersions(r.Context(), syn.ID); err != nil {
			return err
		}
	}
	p.Data = d
	s.render(w, r, status, "synthesis_edit", p)
	return nil
}

// expand reads what a synthesis' draft cites and counts, and writes it out in the process'
// language, whatever the organiser's.
func (s *Server) expand(r *http.Request, p *page, axisID int64, src string) (string, []int64, []int64, error) {
	l := s.cat.Locale(i18n.Default, p.Process.Location())
	return synthesis.Prepare(r.Context(), s.db, l, p.Process.ID, axisID, src, p.Now)
}

// synthesisSave saves the draft of a synthesis, shows its preview, or publishes it as a new
// version. A draft citing contributions that do not exist is not published.
func (s *Server) synthesisSave(w http.ResponseWriter, r *http.Request) error {
	u, err := requireOrganiser(w, r)
	if u == nil {
		return err
	}
	p := s.page(r, "synthesis.edit_title")
	if p.Process == nil {
		return errNotFound
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	syn, err := s.synthesisOfAxis(r, p, atoi(p.Form.Get("axis")))
	if err != nil {
		return err
	}
	syn.Title, syn.Draft = p.Form.Get("title"), strings.ReplaceAll(p.Form.Get("draft"), "\r\n", "\n")
	action := p.Form.Get("action")
	if action == "preview" {
		return s.synthesisEditWith(w, r, p, syn, http.StatusOK, true)
	}
	if err := s.db.SaveSynthesis(r.Context(), syn); err != nil {
		if p.Form.Refused(err) {
			return s.synthesisEditWith(w, r, p, syn, http.StatusUnprocessableEntity, false)
		}
		return err
	}
	back := "/synthese/redaction?axe=" + strconv.FormatInt(syn.AxisID, 10)
	if action != "publish" {
		s.flash(w, r, "flash.synthesis_saved")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	expanded, cited, unknown, err := s.expand(r, p, syn.AxisID, syn.Draft)
	if err != nil {
		return err
	}
	if len(unknown) > 0 {
		p.Form.Errors.Add("draft", "synthesis.unknown_references")
		return s.synthesisEditWith(w, r, p, syn, http.StatusUnprocessableEntity, true)
	}
	if _, err := s.db.PublishSynthesis(r.Context(), syn.ID, expanded, cited, u.ID, p.Now); err != nil {
		if p.Form.Refused(err) {
			return s.synthesisEditWith(w, r, p, syn, http.StatusUnprocessableEntity, false)
		}
		return err
	}
	s.forgetProcess()
	s.flash(w, r, "flash.synthesis_published")
	http.Redirect(w, r, "/syntheses/"+strconv.FormatInt(syn.ID, 10), http.StatusSeeOther)
	return nil
}

// synthesesData lists the published syntheses.
type synthesesData struct {
	Items []*ouvert.Synthesis
}

// syntheses lists the published syntheses of the process, the overall one first.
func (s *Server) syntheses(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "syntheses.title")
	if p.Process == nil {
		return errNotFound
	}
	list, err := s.db.Syntheses(r.Context(), p.Process.ID, true)
	if err != nil {
		return err
	}
	p.Data = synthesesData{Items: list}
	s.render(w, r, http.StatusOK, "syntheses", p)
	return nil
}

// synthesisData is one published version of a synthesis.
type synthesisData struct {
	Synthesis *ouvert.Synthesis
	Axis      *ouvert.Axis
	Version   *ouvert.SynthesisVersion
	Body      any
	Versions  []*ouvert.SynthesisVersion
	Organiser bool
}

// synthesisShow shows the published version of a synthesis, or an earlier one
// (/syntheses/{id}/versions/{n}), with the list of versions.
func (s *Server) synthesisShow(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	if p.Process == nil {
		return errNotFound
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	syn, err := s.db.Synthesis(ctx, id)
	if err != nil {
		return err
	}
	if syn.ProcessID != p.Process.ID || !syn.Published() {
		return errNotFound
	}
	number := 0
	if n := r.PathValue("n"); n != "" {
		if number = int(atoi(n)); number < 1 {
			return errNotFound
		}
	}
	d := &synthesisData{Synthesis: syn, Axis: p.Process.Axis(syn.AxisID), Organiser: canAnswer(p.User)}
	if d.Version, err = s.db.SynthesisVersion(ctx, id, number); err != nil {
		return err
	}
	if d.Versions, err = s.db.SynthesisVersions(ctx, id); err != nil {
		return err
	}
	d.Body = s.md.Cached(d.Version.Expanded)
	p.Title = d.Version.Title
	p.Data = d
	s.render(w, r, http.StatusOK, "synthesis", p)
	return nil
}

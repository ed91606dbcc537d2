package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// draftsData lists the drafts of the process.
type draftsData struct {
	Items    []*ouvert.Draft
	CanWrite bool
	Closed   string
}

// drafts lists the draft commitments of the process, by axis.
func (s *Server) drafts(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "drafts.title")
	if p.Process == nil {
		return errNotFound
	}
	list, err := s.db.Drafts(r.Context(), p.Process.ID)
	if err != nil {
		return err
	}
	p.Data = draftsData{Items: list, CanWrite: ouvert.CanWriteDrafts(p.User) && s.writingOver(p) == "",
		Closed: ouvert.CanReactToDrafts(p.User, p.Process, p.Now)}
	s.render(w, r, http.StatusOK, "drafts", p)
	return nil
}

// writingOver says why drafts can no longer be written or edited ("" while they can): the
// writing phase is over.
func (s *Server) writingOver(p *page) string {
	if ph := p.Process.Phase(ouvert.PhaseWriting); ph != nil && !p.Now.Before(ph.EndsAt) {
		return "draft.phase_over"
	}
	return ""
}

// draftForm is what the draft editor shows.
type draftFormData struct {
	Draft     *ouvert.Draft // nil for a new draft
	Syntheses []*ouvert.Synthesis
	Lead      string // a representative's administration, fixed
}

// draftNewForm shows the form of a new draft commitment.
func (s *Server) draftNewForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "drafts.new")
	u, err := s.draftWriter(w, r, p)
	if u == nil {
		return err
	}
	if c := atoi(r.URL.Query().Get("contribution")); c != 0 {
		p.Form.Values.Set("contributions", "C-"+strconv.FormatInt(c, 10))
	}
	return s.draftFormWith(w, r, p, nil, http.StatusOK)
}

// draftWriter returns the signed-in person if they may write drafts now.
func (s *Server) draftWriter(w http.ResponseWriter, r *http.Request, p *page) (*ouvert.User, error) {
	u := requireUser(w, r)
	if u == nil {
		return nil, nil
	}
	if p.Process == nil {
		return nil, errNotFound
	}
	if !ouvert.CanWriteDrafts(u) {
		return nil, errForbidden
	}
	if key := s.writingOver(p); key != "" {
		return nil, ouvert.Errorf(ouvert.EFORBIDDEN, "%s", key)
	}
	return u, nil
}

func (s *Server) draftFormWith(w http.ResponseWriter, r *http.Request, p *page, d *ouvert.Draft, status int) error {
	syns, err := s.db.Syntheses(r.Context(), p.Process.ID, true)
	if err != nil {
		return err
	}
	data := draftFormData{Draft: d, Syntheses: syns}
	if p.User.Role == ouvert.RoleAdministration {
		data.Lead = p.User.Administration
	}
	p.Data = data
	s.render(w, r, status, "draft_form", p)
	return nil
}

// versionFrom reads a draft version from the editor's form.
func versionFrom(f *form, loc *time.Location, errs ouvert.FieldErrors) *ouvert.DraftVersion {
	v := &ouvert.DraftVersion{Title: strings.TrimSpace(f.Get("title")), OtherActors: strings.TrimSpace(f.Get("other_actors")),
		Summary: strings.TrimSpace(f.Get("summary")), Sections: map[string]string{}}
	for _, k := range ouvert.Sections {
		v.Sections[k] = strings.TrimSpace(strings.ReplaceAll(f.Get(k), "\r\n", "\n"))
	}
	for _, x := range f.Values["values"] {
		if slices.Contains(ouvert.OGPValues, x) {
			v.Values = append(v.Values, x)
		}
	}
	for name, t := range map[string]*time.Time{"period_start": &v.PeriodStart, "period_end": &v.PeriodEnd} {
		if s := f.Get(name); s != "" {
			parsed, err := time.ParseInLocation("2006-01-02", s, loc)
			if err != nil {
				errs.Add(name, "event.bad_date")
			}
			*t = parsed
		}
	}
	return v
}

// refs reads "C-12, C-14" or "12 14" into ids.
func refs(s string) []int64 {
	var ids []int64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' }) {
		f = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(f)), "C-")
		if id := atoi(f); id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// draftCreate writes a new draft commitment and its first version.
func (s *Server) draftCreate(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "drafts.new")
	u, err := s.draftWriter(w, r, p)
	if u == nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	d := &ouvert.Draft{ProcessID: p.Process.ID, AxisID: atoi(p.Form.Get("axis")), LeadAdministration: strings.TrimSpace(p.Form.Get("lead_administration")),
		Contributions: refs(p.Form.Get("contributions"))}
	if u.Role == ouvert.RoleAdministration {
		d.LeadAdministration = u.Administration // a representative writes for their own administration
	}
	for _, v := range p.Form.Values["syntheses"] {
		d.Syntheses = append(d.Syntheses, atoi(v))
	}
	v := versionFrom(p.Form, p.Process.Location(), p.Form.Errors)
	v.AuthorID = u.ID
	if p.Process.Axis(d.AxisID) == nil {
		p.Form.Errors.Add("axis", "form.choose")
	}
	if !p.Form.HasErrors() {
		err = s.db.CreateDraft(r.Context(), d, v)
	}
	if p.Form.HasErrors() || p.Form.Refused(err) {
		return s.draftFormWith(w, r, p, nil, http.StatusUnprocessableEntity)
	} else if err != nil {
		return err
	}
	s.flash(w, r, "flash.draft_created")
	http.Redirect(w, r, "/projets/"+strconv.FormatInt(d.ID, 10), http.StatusSeeOther)
	return nil
}

// draftOf reads the draft the path names, in the current process.
func (s *Server) draftOf(r *http.Request, p *page) (*ouvert.Draft, error) {
	if p.Process == nil {
		return nil, errNotFound
	}
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	d, err := s.db.Draft(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if d.ProcessID != p.Process.ID {
		return nil, errNotFound
	}
	return d, nil
}

// draftEditor returns the draft if the signed-in person may edit it and decide on its amendments now.
func (s *Server) draftEditor(w http.ResponseWriter, r *http.Request, p *page) (*ouvert.User, *ouvert.Draft, error) {
	u := requireUser(w, r)
	if u == nil {
		return nil, nil, nil
	}
	d, err := s.draftOf(r, p)
	if err != nil {
		return nil, nil, err
	}
	if !ouvert.CanDecide(u, d) {
		return nil, nil, errForbidden
	}
	if key := s.writingOver(p); key != "" {
		return nil, nil, ouvert.Errorf(ouvert.EFORBIDDEN, "%s", key)
	}
	return u, d, nil
}

// draftEditForm shows a draft's current version in the editor.
func (s *Server) draftEditForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "drafts.edit")
	u, d, err := s.draftEditor(w, r, p)
	if u == nil {
		return err
	}
	v := d.Version
	p.Form.Values.Set("title", v.Title)
	p.Form.Values.Set("other_actors", v.OtherActors)
	for _, k := range ouvert.Sections {
		p.Form.Values.Set(k, v.Sections[k])
	}
	p.Form.Values["values"] = v.Values
	if !v.PeriodStart.IsZero() {
		p.Form.Values.Set("period_start", v.PeriodStart.In(p.Process.Location()).Format("2006-01-02"))
	}
	if !v.PeriodEnd.IsZero() {
		p.Form.Values.Set("period_end", v.PeriodEnd.In(p.Process.Location()).Format("2006-01-02"))
	}
	return s.draftFormWith(w, r, p, d, http.StatusOK)
}

// draftEdit makes a new version of a draft.
func (s *Server) draftEdit(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "drafts.edit")
	u, d, err := s.draftEditor(w, r, p)
	if u == nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	v := versionFrom(p.Form, p.Process.Location(), p.Form.Errors)
	v.AuthorID = u.ID
	if !p.Form.HasErrors() {
		err = s.db.EditDraft(r.Context(), d.ID, v)
	}
	if p.Form.HasErrors() || p.Form.Refused(err) {
		return s.draftFormWith(w, r, p, d, http.StatusUnprocessableEntity)
	} else if err != nil {
		return err
	}
	s.flash(w, r, "flash.draft_saved")
	http.Redirect(w, r, "/projets/"+strconv.FormatInt(d.ID, 10), http.StatusSeeOther)
	return nil
}

// draftSection is a section of the draft page: its paragraphs with their comment counts.
type draftSection struct {
	Key        string
	Paragraphs []draftParagraph
	Counts     store.SectionCounts
	MyVote     *int
	Milestones []ouvert.Milestone
	Comments   int // on the section as a whole
}

type draftParagraph struct {
	N        int
	HTML     template.HTML
	Comments int
}

// draftData is the page of a draft.
type draftData struct {
	Draft      *ouvert.Draft
	Axis       *ouvert.Axis
	Sections   []draftSection
	Whole      store.SectionCounts
	MyVote     *int
	Closed     string
	CanDecide  bool
	Organiser  bool
	Follows    bool
	Busiest    []busyParagraph
	Sources    []*ouvert.Contribution
	Syntheses  []*ouvert.Synthesis
	Thread     *draftThread // the comments of the section or paragraph asked for
	Amendments []*ouvert.Amendment
}

// busyParagraph is a paragraph that draws comments, for the page's summary.
type busyParagraph struct {
	Section  string
	N        int
	Comments int
}

// draftThread is a page of comments on a section (Paragraph 0) or a paragraph.
type draftThread struct {
	Section   string
	Paragraph int
	Text      template.HTML
	Items     []*ouvert.DraftComment
	Total     int
	PageLinks []pageLink
}

// draftShow shows a draft's current version, its votes, the paragraphs that draw comments, its
// open amendments and, when asked (?section=&paragraphe=), the comments on one place.
func (s *Server) draftShow(w http.ResponseWriter, r *http.Request) error {
	return s.draftShowWith(w, r, s.page(r, ""), http.StatusOK)
}

func (s *Server) draftShowWith(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	d, err := s.draftOf(r, p)
	if err != nil {
		return err
	}
	ctx := r.Context()
	data := &draftData{Draft: d, Axis: p.Process.Axis(d.AxisID), Closed: ouvert.CanReactToDrafts(p.User, p.Process, p.Now),
		CanDecide: ouvert.CanDecide(p.User, d) && s.writingOver(p) == "", Organiser: p.User != nil && p.User.Is(ouvert.RoleOrganiser)}
	if d.Status != ouvert.DraftOpen && data.Closed == "" {
		data.Closed = "draft.frozen"
	}
	counts, err := s.db.DraftCounts(ctx, d.ID)
	if err != nil {
		return err
	}
	paragraphs, err := s.db.ParagraphComments(ctx, d.ID)
	if err != nil {
		return err
	}
	var mine map[string]int
	if p.User != nil {
		if mine, err = s.db.DraftVotes(ctx, d.ID, p.User.ID); err != nil {
			return err
		}
		if data.Follows, err = s.db.FollowsDraft(ctx, d.ID, p.User.ID); err != nil {
			return err
		}
	}
	vote := func(section string) *int {
		if v, ok := mine[section]; ok {
			return &v
		}
		return nil
	}
	data.Whole, data.MyVote = counts[""], vote("")
	q := r.URL.Query()
	askedSection, askedParagraph := q.Get("section"), int(atoi(q.Get("paragraphe")))
	for _, k := range ouvert.Sections {
		sec := draftSection{Key: k, Counts: counts[k], MyVote: vote(k), Comments: paragraphs[k][0]}
		text := d.Version.Sections[k]
		if k == ouvert.SectionMilestones {
			sec.Milestones = ouvert.Milestones(text)
		}
		for i, para := range ouvert.Paragraphs(text) {
			n := i + 1
			dp := draftParagraph{N: n, HTML: s.md.Cached(para), Comments: paragraphs[k][n]}
			sec.Paragraphs = append(sec.Paragraphs, dp)
			if dp.Comments > 0 {
				data.Busiest = append(data.Busiest, busyParagraph{Section: k, N: n, Comments: dp.Comments})
			}
			if k == askedSection && n == askedParagraph {
				data.Thread = &draftThread{Section: k, Paragraph: n, Text: dp.HTML}
			}
		}
		if k == askedSection && askedParagraph == 0 && q.Has("section") {
			data.Thread = &draftThread{Section: k}
		}
		data.Sections = append(data.Sections, sec)
	}
	slices.SortStableFunc(data.Busiest, func(a, b busyParagraph) int { return b.Comments - a.Comments })
	data.Busiest = data.Busiest[:min(len(data.Busiest), 5)]
	if t := data.Thread; t != nil {
		page := max(1, int(atoi(q.Get("page"))))
		if t.Items, t.Total, err = s.db.DraftComments(ctx, d.ID, t.Section, t.Paragraph, page, perPage); err != nil {
			return err
		}
		args := url.Values{"section": {t.Section}, "paragraphe": {strconv.Itoa(t.Paragraph)}}
		t.PageLinks = pageLinks("/projets/"+strconv.FormatInt(d.ID, 10), args, page, max(1, (t.Total+perPage-1)/perPage))
		if !p.Form.HasErrors() {
			p.Form.Values.Set("section", t.Section)
			p.Form.Values.Set("paragraph", strconv.Itoa(t.Paragraph))
		}
	}
	if data.Amendments, _, err = s.db.Amendments(ctx, d.ID, "", ouvert.AmendmentOpen, 1, 10); err != nil {
		return err
	}
	if data.Sources, data.Syntheses, err = s.draftSources(ctx, d); err != nil {
		return err
	}
	p.Title = d.Version.Title
	p.Path = r.URL.RequestURI()
	p.Data = data
	s.render(w, r, status, "draft", p)
	return nil
}

// draftSources reads the contributions and the published syntheses a draft draws on.
func (s *Server) draftSources(ctx context.Context, d *ouvert.Draft) ([]*ouvert.Contribution, []*ouvert.Synthesis, error) {
	contributions, err := s.db.ContributionsByID(ctx, d.Contributions)
	if err != nil || len(d.Syntheses) == 0 {
		return contributions, nil, err
	}
	all, err := s.db.Syntheses(ctx, d.ProcessID, true)
	if err != nil {
		return nil, nil, err
	}
	var syntheses []*ouvert.Synthesis
	for _, syn := range all {
		if slices.Contains(d.Syntheses, syn.ID) {
			syntheses = append(syntheses, syn)
		}
	}
	return contributions, syntheses, nil
}

// drafter returns the person and the draft for a participant's write on a draft (vote, comment,
// amendment): signed in, during the writing phase, on an open draft.
func (s *Server) drafter(w http.ResponseWriter, r *http.Request, p *page) (*ouvert.User, *ouvert.Draft, error) {
	u := requireUser(w, r)
	if u == nil {
		return nil, nil, nil
	}
	d, err := s.draftOf(r, p)
	if err != nil {
		return nil, nil, err
	}
	if key := ouvert.CanReactToDrafts(u, p.Process, p.Now); key != "" {
		return nil, nil, ouvert.Errorf(ouvert.EFORBIDDEN, "%s", key)
	}
	return u, d, nil
}

// draftVote records a vote on a draft or one of its sections.
func (s *Server) draftVote(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	u, d, err := s.drafter(w, r, p)
	if u == nil {
		return err
	}
	value, ok := ouvert.ParseVote(r.PostFormValue("value"))
	if !ok {
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	if err := s.allowUser(u, "vote"); err != nil {
		return err
	}
	section := r.PostFormValue("section")
	if err := s.db.VoteDraft(r.Context(), d.ID, section, u.ID, value); err != nil {
		return err
	}
	s.flash(w, r, "flash.voted")
	anchor := "vote"
	if section != "" {
		anchor = "section-" + section
	}
	http.Redirect(w, r, "/projets/"+strconv.FormatInt(d.ID, 10)+"#"+anchor, http.StatusSeeOther)
	return nil
}

// draftComment publishes a comment on a section or paragraph; a refused one comes back with what
// was typed.
func (s *Server) draftComment(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	u, d, err := s.drafter(w, r, p)
	if u == nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	if err := s.allowUser(u, "argue"); err != nil {
		return err
	}
	c := &ouvert.DraftComment{DraftID: d.ID, Section: p.Form.Get("section"), Paragraph: int(atoi(p.Form.Get("paragraph"))),
		Stance: p.Form.Get("stance"), Body: p.Form.Get("body"), AuthorID: u.ID}
	if err := s.db.CommentDraft(r.Context(), c); err != nil {
		if p.Form.Refused(err) {
			r.URL.RawQuery = url.Values{"section": {c.Section}, "paragraphe": {strconv.Itoa(c.Paragraph)}}.Encode()
			return s.draftShowWith(w, r, p, http.StatusUnprocessableEntity)
		}
		return err
	}
	s.flash(w, r, "flash.commented")
	http.Redirect(w, r, "/projets/"+strconv.FormatInt(d.ID, 10)+"?section="+url.QueryEscape(c.Section)+"&paragraphe="+strconv.Itoa(c.Paragraph)+"#comments", http.StatusSeeOther)
	return nil
}

// draftFollow makes the person follow a draft or stop following it.
func (s *Server) draftFollow(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	d, err := s.draftOf(r, s.page(r, ""))
	if err != nil {
		return err
	}
	if err := s.setFollow(w, r, u, d.ID, s.db.SetDraftFollow); err != nil {
		return err
	}
	http.Redirect(w, r, "/projets/"+strconv.FormatInt(d.ID, 10), http.StatusSeeOther)
	return nil
}

// draftFinal marks a draft's current version final (organisers).
func (s *Server) draftFinal(w http.ResponseWriter, r *http.Request) error {
	u, err := requireOrganiser(w, r)
	if u == nil {
		return err
	}
	d, err := s.draftOf(r, s.page(r, ""))
	if err != nil {
		return err
	}
	if err := s.db.MarkFinal(r.Context(), d.ID); err != nil {
		return err
	}
	s.flash(w, r, "flash.draft_final")
	http.Redirect(w, r, "/projets/"+strconv.FormatInt(d.ID, 10), http.StatusSeeOther)
	return nil
}

package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ouvert/internal/diff"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// diffLabels are the visually hidden words that say what a marked change is.
func diffLabels(p *page) diff.Labels {
	return diff.Labels{Inserted: p.L.T("diff.inserted"), Deleted: p.L.T("diff.deleted")}
}

// amendFormData is the form of a new amendment, with the difference it makes once previewed.
type amendFormData struct {
	Draft   *ouvert.Draft
	Section string
	Diff    template.HTML
}

// amendForm shows the form of an amendment to a section, filled with the section's current text.
func (s *Server) amendForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "amendment.new")
	u, d, err := s.drafter(w, r, p)
	if u == nil {
		return err
	}
	section := r.URL.Query().Get("section")
	if !ouvert.ValidSection(section) {
		return errNotFound
	}
	p.Form.Values.Set("section", section)
	p.Form.Values.Set("text", d.Version.Sections[section])
	p.Data = amendFormData{Draft: d, Section: section}
	s.render(w, r, http.StatusOK, "amendment_new", p)
	return nil
}

// amendCreate shows the difference an amendment makes ("preview") or publishes it.
func (s *Server) amendCreate(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "amendment.new")
	u, d, err := s.drafter(w, r, p)
	if u == nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	section := p.Form.Get("section")
	if !ouvert.ValidSection(section) {
		return errNotFound
	}
	text := strings.ReplaceAll(p.Form.Get("text"), "\r\n", "\n")
	data := amendFormData{Draft: d, Section: section,
		Diff: diff.Inline(diff.Words(d.Version.Sections[section], strings.TrimSpace(text)), diffLabels(p))}
	if p.Form.Get("action") == "preview" {
		p.Data = data
		s.render(w, r, http.StatusOK, "amendment_new", p)
		return nil
	}
	if err := s.allowUser(u, "propose"); err != nil {
		return err
	}
	a := &ouvert.Amendment{DraftID: d.ID, Section: section, Text: text, Reason: p.Form.Get("reason"), AuthorID: u.ID}
	if err := s.db.ProposeAmendment(r.Context(), a); err != nil {
		if p.Form.Refused(err) {
			p.Data = data
			s.render(w, r, http.StatusUnprocessableEntity, "amendment_new", p)
			return nil
		}
		return err
	}
	s.flash(w, r, "flash.amendment_published")
	http.Redirect(w, r, "/amendements/"+strconv.FormatInt(a.ID, 10), http.StatusSeeOther)
	return nil
}

// amendmentData is the page of an amendment.
type amendmentData struct {
	A         *ouvert.Amendment
	Draft     *ouvert.Draft
	Diff      template.HTML
	Changes   [2]int // words inserted, deleted
	Comments  []*ouvert.DraftComment
	Total     int
	PageLinks []pageLink
	MyVote    *int
	Closed    string
	CanDecide bool
}

// amendmentOf reads the amendment the path names and its draft, in the current process.
func (s *Server) amendmentOf(r *http.Request, p *page) (*ouvert.Amendment, *ouvert.Draft, error) {
	if p.Process == nil {
		return nil, nil, errNotFound
	}
	id, err := pathID(r)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.db.Amendment(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.db.Draft(r.Context(), a.DraftID)
	if err != nil {
		return nil, nil, err
	}
	if d.ProcessID != p.Process.ID {
		return nil, nil, errNotFound
	}
	return a, d, nil
}

// amendmentShow shows an amendment: the word-level difference against the version it was written
// for, its reason, votes, comments, and its decision or the form to decide.
func (s *Server) amendmentShow(w http.ResponseWriter, r *http.Request) error {
	return s.amendmentShowWith(w, r, s.page(r, "amendment.title"), http.StatusOK)
}

func (s *Server) amendmentShowWith(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	a, d, err := s.amendmentOf(r, p)
	if err != nil {
		return err
	}
	ctx := r.Context()
	base, err := s.db.DraftVersion(ctx, d.ID, a.BaseVersion)
	if err != nil {
		return err
	}
	chunks := diff.Words(base.Sections[a.Section], a.Text)
	data := &amendmentData{A: a, Draft: d, Diff: diff.Inline(chunks, diffLabels(p)),
		Closed:    ouvert.CanReactToDrafts(p.User, p.Process, p.Now),
		CanDecide: ouvert.CanDecide(p.User, d) && s.writingOver(p) == "" && a.Status == ouvert.AmendmentOpen && d.Status == ouvert.DraftOpen}
	data.Changes[0], data.Changes[1] = diff.Stats(chunks)
	if a.Status != ouvert.AmendmentOpen && data.Closed == "" {
		data.Closed = "amendment.decided"
	}
	page := max(1, int(atoi(r.URL.Query().Get("page"))))
	if data.Comments, data.Total, err = s.db.AmendmentComments(ctx, a.ID, page, perPage); err != nil {
		return err
	}
	data.PageLinks = pageLinks("/amendements/"+strconv.FormatInt(a.ID, 10), url.Values{}, page, max(1, (data.Total+perPage-1)/perPage))
	if p.User != nil {
		if v, ok, err := s.db.AmendmentVote(ctx, a.ID, p.User.ID); err != nil {
			return err
		} else if ok {
			data.MyVote = &v
		}
	}
	if data.CanDecide && !p.Form.HasErrors() {
		p.Form.Values.Set("text", a.Text)
	}
	p.Title = p.L.T("amendment.title_of", d.Version.Title)
	p.Data = data
	s.render(w, r, status, "amendment", p)
	return nil
}

// amendmentReactor returns the person, the amendment the path names and its draft for a vote or a
// comment on it: signed in, during the writing phase. Otherwise it answers the request or returns
// the refusal, with a nil person.
func (s *Server) amendmentReactor(w http.ResponseWriter, r *http.Request, p *page) (*ouvert.User, *ouvert.Amendment, *ouvert.Draft, error) {
	u := requireUser(w, r)
	if u == nil {
		return nil, nil, nil, nil
	}
	a, d, err := s.amendmentOf(r, p)
	if err != nil {
		return nil, nil, nil, err
	}
	if key := ouvert.CanReactToDrafts(u, p.Process, p.Now); key != "" {
		return nil, nil, nil, ouvert.Errorf(ouvert.EFORBIDDEN, "%s", key)
	}
	return u, a, d, nil
}

// amendmentVote records a vote on an open amendment.
func (s *Server) amendmentVote(w http.ResponseWriter, r *http.Request) error {
	u, a, _, err := s.amendmentReactor(w, r, s.page(r, ""))
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
	if err := s.db.VoteAmendment(r.Context(), a.ID, u.ID, value); err != nil {
		return err
	}
	s.flash(w, r, "flash.voted")
	http.Redirect(w, r, "/amendements/"+strconv.FormatInt(a.ID, 10)+"#vote", http.StatusSeeOther)
	return nil
}

// amendmentComment publishes a comment on an amendment.
func (s *Server) amendmentComment(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "amendment.title")
	u, a, d, err := s.amendmentReactor(w, r, p)
	if u == nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	if err := s.allowUser(u, "argue"); err != nil {
		return err
	}
	c := &ouvert.DraftComment{DraftID: d.ID, AmendmentID: a.ID, Stance: p.Form.Get("stance"), Body: p.Form.Get("body"), AuthorID: u.ID}
	if err := s.db.CommentDraft(r.Context(), c); err != nil {
		if p.Form.Refused(err) {
			return s.amendmentShowWith(w, r, p, http.StatusUnprocessableEntity)
		}
		return err
	}
	s.flash(w, r, "flash.commented")
	http.Redirect(w, r, "/amendements/"+strconv.FormatInt(a.ID, 10)+"#comments", http.StatusSeeOther)
	return nil
}

// amendmentDecide accepts an amendment (as is or with changes) or rejects it with a reason: the
// lead administration's representatives or organisers, during the writing phase.
func (s *Server) amendmentDecide(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "amendment.title")
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	a, d, err := s.amendmentOf(r, p)
	if err != nil {
		return err
	}
	if !ouvert.CanDecide(u, d) {
		return errForbidden
	}
	if key := s.writingOver(p); key != "" {
		return ouvert.Errorf(ouvert.EFORBIDDEN, "%s", key)
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	decision := store.Decision{Status: p.Form.Get("decision"), Text: strings.ReplaceAll(p.Form.Get("text"), "\r\n", "\n"), Reason: p.Form.Get("reason")}
	if _, err := s.db.DecideAmendment(r.Context(), a.ID, u.ID, decision); err != nil {
		if p.Form.Refused(err) {
			return s.amendmentShowWith(w, r, p, http.StatusUnprocessableEntity)
		}
		return err
	}
	s.flash(w, r, "flash.amendment_decided")
	http.Redirect(w, r, "/amendements/"+strconv.FormatInt(a.ID, 10), http.StatusSeeOther)
	return nil
}

// amendmentsData lists a draft's amendments.
type amendmentsData struct {
	Draft     *ouvert.Draft
	Items     []*ouvert.Amendment
	Total     int
	Section   string
	Status    string
	PageLinks []pageLink
}

// amendments lists a draft's amendments, by section and status.
func (s *Server) amendments(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "amendments.title")
	d, err := s.draftOf(r, p)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	data := &amendmentsData{Draft: d}
	args := url.Values{}
	if sec := q.Get("section"); ouvert.ValidSection(sec) {
		data.Section = sec
		args.Set("section", sec)
	}
	if st := q.Get("etat"); st == ouvert.AmendmentOpen || st == ouvert.AmendmentAccepted || st == ouvert.AmendmentAcceptedModified || st == ouvert.AmendmentRejected {
		data.Status = st
		args.Set("etat", st)
	}
	page := max(1, int(atoi(q.Get("page"))))
	if data.Items, data.Total, err = s.db.Amendments(r.Context(), d.ID, data.Section, data.Status, page, perPage); err != nil {
		return err
	}
	data.PageLinks = pageLinks("/projets/"+strconv.FormatInt(d.ID, 10)+"/amendements", args, page, max(1, (data.Total+perPage-1)/perPage))
	p.Data = data
	s.render(w, r, http.StatusOK, "amendments", p)
	return nil
}

// versionsData is the history of a draft, with the comparison of two versions when asked.
type versionsData struct {
	Draft    *ouvert.Draft
	Versions []*ouvert.DraftVersion
	From, To int
	Side     bool
	Changes  []versionChange
	Shown    *ouvert.DraftVersion // one version, read alone
	Sections []draftSection
}

// versionChange is the difference of one field between two versions.
type versionChange struct {
	Key         string
	Inline      template.HTML
	Left, Right template.HTML
	Inserted    int
	Deleted     int
}

// draftVersions lists a draft's versions and compares two of them (?de=1&a=3, &vue=cote for side
// by side), or shows one (/projets/{id}/versions/{n}).
func (s *Server) draftVersions(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "versions.title")
	d, err := s.draftOf(r, p)
	if err != nil {
		return err
	}
	ctx := r.Context()
	data := &versionsData{Draft: d}
	if data.Versions, err = s.db.DraftVersions(ctx, d.ID); err != nil {
		return err
	}
	if n := r.PathValue("n"); n != "" {
		if data.Shown, err = s.db.DraftVersion(ctx, d.ID, int(atoi(n))); err != nil {
			return err
		}
		for _, k := range ouvert.Sections {
			sec := draftSection{Key: k}
			for i, para := range ouvert.Paragraphs(data.Shown.Sections[k]) {
				sec.Paragraphs = append(sec.Paragraphs, draftParagraph{N: i + 1, HTML: s.md.Cached(para)})
			}
			data.Sections = append(data.Sections, sec)
		}
		p.Data = data
		s.render(w, r, http.StatusOK, "draft_versions", p)
		return nil
	}
	q := r.URL.Query()
	data.From, data.To = int(atoi(q.Get("de"))), int(atoi(q.Get("a")))
	if data.To == 0 {
		data.To = d.Version.Number
	}
	if data.From == 0 {
		data.From = max(1, data.To-1)
	}
	data.Side = q.Get("vue") == "cote"
	if data.From != data.To {
		from, err := s.db.DraftVersion(ctx, d.ID, data.From)
		if err != nil {
			return err
		}
		to, err := s.db.DraftVersion(ctx, d.ID, data.To)
		if err != nil {
			return err
		}
		labels := diffLabels(p)
		fields := append([]string{"title", "other_actors"}, ouvert.Sections...)
		for _, k := range fields {
			a, b := from.Sections[k], to.Sections[k]
			switch k {
			case "title":
				a, b = from.Title, to.Title
			case "other_actors":
				a, b = from.OtherActors, to.OtherActors
			}
			if a == b {
				continue
			}
			chunks := diff.Words(a, b)
			c := versionChange{Key: k}
			c.Inserted, c.Deleted = diff.Stats(chunks)
			if data.Side {
				c.Left, c.Right = diff.SideBySide(chunks, labels)
			} else {
				c.Inline = diff.Inline(chunks, labels)
			}
			data.Changes = append(data.Changes, c)
		}
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "draft_versions", p)
	return nil
}

package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/textsearch"
)

// participant returns the signed-in person if they may write in the consultation now, and the
// refusal otherwise: not signed in redirects to the log-in page (nil, nil), anything else is an
// error shown in their language.
func (s *Server) participant(w http.ResponseWriter, r *http.Request, p *page) (*ouvert.User, error) {
	u := requireUser(w, r)
	if u == nil {
		return nil, nil
	}
	if p.Process == nil {
		return nil, errNotFound
	}
	if key := ouvert.CanParticipate(u, p.Process, p.Now); key != "" {
		return nil, ouvert.Errorf(ouvert.EFORBIDDEN, "%s", key)
	}
	return u, nil
}

// participantOn is participant for a write on the resource the path's {id} names: it returns the
// person and the id, or the refusal (nil, 0, nil after redirecting to the log-in page).
func (s *Server) participantOn(w http.ResponseWriter, r *http.Request, p *page) (*ouvert.User, int64, error) {
	u, err := s.participant(w, r, p)
	if u == nil {
		return nil, 0, err
	}
	id, err := pathID(r)
	if err != nil {
		return nil, 0, err
	}
	return u, id, nil
}

// allowUser applies a per-account rate limit.
func (s *Server) allowUser(u *ouvert.User, name string) error {
	if ok, _ := s.limits[name].Allow("user:"+strconv.FormatInt(u.ID, 10), s.db.Now()); !ok {
		s.log.Warn("rate limited", "limit", name, "user", u.ID)
		return ouvert.Errorf(ouvert.ETOOMANY, "error.too_many")
	}
	return nil
}

type proposeData struct {
	Similar []*ouvert.Contribution
	Checked bool
	Orgs    []store.Membership
}

func (s *Server) proposeForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "propose.title")
	u, err := s.participant(w, r, p)
	if u == nil {
		return err
	}
	p.Form.Values.Set("axis", r.URL.Query().Get("axe"))
	orgs, err := s.db.UserOrganisations(r.Context(), u.ID)
	if err != nil {
		return err
	}
	p.Data = proposeData{Orgs: orgs}
	s.render(w, r, http.StatusOK, "propose", p)
	return nil
}

// propose checks a draft, shows the five most similar contributions first, and publishes on the
// second step.
func (s *Server) propose(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "propose.title")
	u, err := s.participant(w, r, p)
	if u == nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	ctx := r.Context()
	orgs, err := s.db.UserOrganisations(ctx, u.ID)
	if err != nil {
		return err
	}
	d := proposeData{Orgs: orgs}
	c := &ouvert.Contribution{
		ProcessID: p.Process.ID, AuthorID: u.ID, AxisID: atoi(p.Form.Get("axis")),
		Title: strings.TrimSpace(p.Form.Get("title")), Body: strings.TrimSpace(p.Form.Get("body")),
		OrganisationID: atoi(p.Form.Get("organisation")),
	}
	ouvert.ValidateContribution(c.Title, c.Body, p.Form.Errors)
	if p.Process.Axis(c.AxisID) == nil {
		p.Form.Errors.Add("axis", "form.choose")
	}
	for _, v := range p.Form.Values["themes"] {
		id := atoi(v)
		if p.Process.Theme(id) == nil {
			p.Form.Errors.Add("themes", "form.choose")
		}
		c.ThemeIDs = append(c.ThemeIDs, id)
	}
	if p.Form.HasErrors() {
		p.Data = d
		s.render(w, r, http.StatusUnprocessableEntity, "propose", p)
		return nil
	}
	if p.Form.Get("step") != "publish" {
		if d.Similar, err = s.db.SimilarContributions(ctx, p.Process.ID, similarQuery(c.Title, c.Body), 0, 5); err != nil {
			return err
		}
		d.Checked = true
		p.Data = d
		s.render(w, r, http.StatusOK, "propose", p)
		return nil
	}
	if err := s.allowUser(u, "propose"); err != nil {
		return err
	}
	if err := s.db.CreateContribution(ctx, c); err != nil {
		if e, ok := err.(*ouvert.Error); ok && e.Field != "" {
			p.Form.Errors.Add(e.Field, e.Message)
			p.Data = d
			s.render(w, r, http.StatusUnprocessableEntity, "propose", p)
			return nil
		}
		return err
	}
	s.forgetProcess()
	s.place(ctx, c)
	s.flash(w, r, "flash.contribution_published")
	http.Redirect(w, r, "/contributions/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
	return nil
}

// similarQuery keeps a draft's most telling terms: its title's, then its text's longest (long
// stems are the rarer ones), six at most, so that the lookup reads few matches.
func similarQuery(title, body string) textsearch.Query {
	q := textsearch.ParseQuery(title)
	seen := map[string]bool{}
	for _, t := range q.Terms {
		seen[t] = true
	}
	rest := textsearch.ParseQuery(body).Terms
	slices.SortStableFunc(rest, func(a, b string) int { return len(b) - len(a) })
	for _, t := range rest {
		if !seen[t] {
			seen[t] = true
			q.Terms = append(q.Terms, t)
		}
	}
	if len(q.Terms) > 6 {
		q.Terms = q.Terms[:6]
	}
	return q
}

type contributionData struct {
	C            *ouvert.Contribution
	Body         any
	Axis         *ouvert.Axis
	Themes       []*ouvert.Theme
	Arguments    []*ouvert.Argument
	ArgumentList template.HTML // the page of arguments, written by argumentsHTML
	Sort         string
	Page         int
	Pages        int
	PageLinks    []pageLink
	MyVote       *int
	Follows      bool
	Closed       string
	Mine         bool
	Revisions    int
	Moderator    bool
	Response     responseData
}

// contributionShow shows a contribution, its counts, the person's vote, and a page of arguments.
func (s *Server) contributionShow(w http.ResponseWriter, r *http.Request) error {
	return s.contributionShowWith(w, r, s.page(r, ""), http.StatusOK)
}

// contributionShowWith renders the contribution page with p's form, so that a refused argument
// comes back with its text and errors.
func (s *Server) contributionShowWith(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, err := s.db.Contribution(ctx, id)
	if err != nil {
		return err
	}
	if p.Process == nil || c.ProcessID != p.Process.ID {
		return errNotFound
	}
	d := &contributionData{C: c, Axis: p.Process.Axis(c.AxisID), Sort: r.URL.Query().Get("tri")}
	if d.Sort != store.SortNewest {
		d.Sort = "useful"
	}
	d.Page = max(1, int(atoi(r.URL.Query().Get("page"))))
	d.Pages = max(1, (c.Arguments+perPage-1)/perPage)
	if d.Page > d.Pages {
		return errNotFound
	}
	args := url.Values{"tri": {d.Sort}}
	d.PageLinks = pageLinks("/contributions/"+strconv.FormatInt(id, 10), args, d.Page, d.Pages)
	for _, th := range c.ThemeIDs {
		if t := p.Process.Theme(th); t != nil {
			d.Themes = append(d.Themes, t)
		}
	}
	if c.Visible() || (p.User != nil && (p.User.ID == c.AuthorID || p.User.Is(ouvert.RoleModerator))) {
		d.Body = s.md.HTML(c.Body)
	}
	if d.Arguments, err = s.db.Arguments(ctx, id, d.Sort, d.Page, perPage); err != nil {
		return err
	}
	// The first page of a busy contribution's arguments is read again and again: its texts are
	// rendered once while they stay in the Markdown cache.
	list := &argumentList{C: c, Arguments: d.Arguments, Bodies: map[int64]template.HTML{}}
	var argIDs []int64
	for _, a := range d.Arguments {
		list.Bodies[a.ID] = s.md.Cached(a.Body)
		argIDs = append(argIDs, a.ID)
		for _, rep := range a.Thread {
			list.Bodies[rep.ID] = s.md.Cached(rep.Body)
		}
	}
	if p.User != nil {
		d.Mine = p.User.ID == c.AuthorID
		d.Moderator = p.User.Is(ouvert.RoleModerator)
		votes, err := s.db.UserVotes(ctx, p.User.ID, []int64{id})
		if err != nil {
			return err
		}
		if v, ok := votes[id]; ok {
			d.MyVote = &v
		}
		if d.Follows, err = s.db.Follows(ctx, id, p.User.ID); err != nil {
			return err
		}
		if list.Useful, err = s.db.UserUseful(ctx, p.User.ID, argIDs); err != nil {
			return err
		}
	}
	d.Closed = ouvert.CanParticipate(p.User, p.Process, p.Now)
	list.Open = d.Closed == ""
	// An edit keeps the text it replaces and moves updated_at: a contribution never updated has
	// no history to count (most of them; one query fewer on their page).
	if !c.UpdatedAt.Equal(c.CreatedAt) {
		revs, err := s.db.Revisions(ctx, store.TargetContribution, id)
		if err != nil {
			return err
		}
		d.Revisions = len(revs)
	}
	if d.Response, err = s.loadResponse(r, p, c); err != nil {
		return err
	}
	p.Path = "/contributions/" + strconv.FormatInt(id, 10)
	if r.Method == http.MethodGet && r.URL.RawQuery != "" {
		p.Path += "?" + r.URL.RawQuery
	}
	p.Title = c.Title
	if !c.Visible() {
		p.Title = p.L.T("contribution.hidden_title")
	}
	d.ArgumentList = argumentsHTML(p, list)
	p.Data = d
	s.render(w, r, status, "contribution", p)
	return nil
}

// back returns to the contribution page (or a list page the form came from) at an anchor.
func back(w http.ResponseWriter, r *http.Request, id int64, anchor string) {
	target := safeNext(r.PostFormValue("next"), "/contributions/"+strconv.FormatInt(id, 10))
	if anchor != "" && !strings.Contains(target, "#") {
		target += "#" + anchor
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func (s *Server) contributionVote(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	u, id, err := s.participantOn(w, r, p)
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
	if err := s.db.Vote(r.Context(), id, u.ID, value); err != nil {
		return err
	}
	s.flash(w, r, "flash.voted")
	back(w, r, id, "vote-"+strconv.FormatInt(id, 10))
	return nil
}

func (s *Server) contributionFollow(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := s.db.Contribution(r.Context(), id); err != nil {
		return err
	}
	if err := s.setFollow(w, r, u, id, s.db.SetFollow); err != nil {
		return err
	}
	back(w, r, id, "suivre")
	return nil
}

// setFollow answers a follow button, on a contribution, a draft or a commitment: the person
// follows the item (follow=1) or stops, and is told so.
func (s *Server) setFollow(w http.ResponseWriter, r *http.Request, u *ouvert.User, id int64,
	set func(ctx context.Context, id, userID int64, follow bool) error) error {
	follow := r.PostFormValue("follow") == "1"
	if err := set(r.Context(), id, u.ID, follow); err != nil {
		return err
	}
	if follow {
		s.flash(w, r, "flash.followed")
	} else {
		s.flash(w, r, "flash.unfollowed")
	}
	return nil
}

func (s *Server) contributionWithdraw(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	u, id, err := s.participantOn(w, r, p)
	if u == nil {
		return err
	}
	if err := s.db.WithdrawContribution(r.Context(), id, u.ID); err != nil {
		return err
	}
	s.forgetProcess()
	s.flash(w, r, "flash.withdrawn")
	back(w, r, id, "")
	return nil
}

func (s *Server) contributionEditForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "contribution.edit_title")
	u, id, err := s.participantOn(w, r, p)
	if u == nil {
		return err
	}
	c, err := s.db.Contribution(r.Context(), id)
	if err != nil {
		return err
	}
	if c.AuthorID != u.ID {
		return errForbidden
	}
	if !c.Editable() {
		return ouvert.Errorf(ouvert.ECONFLICT, "contribution.not_editable")
	}
	p.Form.Values.Set("title", c.Title)
	p.Form.Values.Set("body", c.Body)
	for _, th := range c.ThemeIDs {
		p.Form.Values.Add("themes", strconv.FormatInt(th, 10))
	}
	p.Data = c
	s.render(w, r, http.StatusOK, "contribution_edit", p)
	return nil
}

func (s *Server) contributionEdit(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "contribution.edit_title")
	u, id, err := s.participantOn(w, r, p)
	if u == nil {
		return err
	}
	c, err := s.db.Contribution(r.Context(), id)
	if err != nil {
		return err
	}
	if c.AuthorID != u.ID {
		return errForbidden
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	title, body := strings.TrimSpace(p.Form.Get("title")), strings.TrimSpace(p.Form.Get("body"))
	ouvert.ValidateContribution(title, body, p.Form.Errors)
	var themes []int64
	for _, v := range p.Form.Values["themes"] {
		if p.Process.Theme(atoi(v)) == nil {
			p.Form.Errors.Add("themes", "form.choose")
		}
		themes = append(themes, atoi(v))
	}
	if p.Form.HasErrors() {
		p.Data = c
		s.render(w, r, http.StatusUnprocessableEntity, "contribution_edit", p)
		return nil
	}
	if err := s.db.EditContribution(r.Context(), id, u.ID, title, body, themes); err != nil {
		return err
	}
	s.flash(w, r, "flash.contribution_saved")
	http.Redirect(w, r, "/contributions/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

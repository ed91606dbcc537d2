package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"ouvert/internal/csvsafe"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// plansData lists the plans.
type plansData struct {
	Items     []*ouvert.Plan
	Organiser bool
}

// plans lists the action plans; those in preparation only for organisers.
func (s *Server) plans(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "plans.title")
	list, err := s.db.Plans(r.Context())
	if err != nil {
		return err
	}
	d := plansData{Organiser: p.User != nil && p.User.Is(ouvert.RoleOrganiser)}
	for _, pl := range list {
		if pl.Public() || d.Organiser {
			d.Items = append(d.Items, pl)
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "plans", p)
	return nil
}

// planFromForm reads a plan's fields.
func planFromForm(f *form, loc *time.Location, pl *ouvert.Plan) {
	pl.Title, pl.Introduction, pl.Status = strings.TrimSpace(f.Get("title")), strings.TrimSpace(f.Get("introduction")), f.Get("status")
	if pl.ID == 0 {
		pl.Slug = strings.TrimSpace(f.Get("slug"))
	}
	pl.ReviewOpen = f.Get("review_open") == "1"
	pl.PeriodStart, _ = time.ParseInLocation("2006-01-02", f.Get("period_start"), loc)
	pl.PeriodEnd, _ = time.ParseInLocation("2006-01-02", f.Get("period_end"), loc)
}

// planNewForm shows the form of a new plan (organisers).
func (s *Server) planNewForm(w http.ResponseWriter, r *http.Request) error {
	u, err := requireOrganiser(w, r)
	if u == nil {
		return err
	}
	p := s.page(r, "plans.new")
	p.Form.Values.Set("status", ouvert.PlanPreparation)
	s.render(w, r, http.StatusOK, "plan_form", p)
	return nil
}

// planCreate creates a plan.
func (s *Server) planCreate(w http.ResponseWriter, r *http.Request) error {
	u, err := requireOrganiser(w, r)
	if u == nil {
		return err
	}
	p := s.page(r, "plans.new")
	if err := parseForm(r, p); err != nil {
		return err
	}
	loc := time.UTC
	pl := &ouvert.Plan{}
	if p.Process != nil {
		loc, pl.ProcessID = p.Process.Location(), p.Process.ID
	}
	planFromForm(p.Form, loc, pl)
	if err := s.db.SavePlan(r.Context(), pl); err != nil {
		if p.Form.Refused(err) {
			s.render(w, r, http.StatusUnprocessableEntity, "plan_form", p)
			return nil
		}
		return err
	}
	s.flash(w, r, "flash.plan_created")
	http.Redirect(w, r, "/plans/"+pl.Slug, http.StatusSeeOther)
	return nil
}

// planOf reads the plan the path names; a plan in preparation is for organisers only.
func (s *Server) planOf(r *http.Request, p *page) (*ouvert.Plan, error) {
	pl, err := s.db.PlanBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	if !pl.Public() && (p.User == nil || !p.User.Is(ouvert.RoleOrganiser)) {
		return nil, errNotFound
	}
	return pl, nil
}

// organiserPlan returns the plan the path names for an organiser; for anyone else it answers the
// request (the log-in page for visitors, 403 for others) and returns a nil plan.
func (s *Server) organiserPlan(w http.ResponseWriter, r *http.Request, p *page) (*ouvert.Plan, error) {
	u, err := requireOrganiser(w, r)
	if u == nil {
		return nil, err
	}
	return s.planOf(r, p)
}

// planData is the tracker of a plan.
type planData struct {
	Plan         *ouvert.Plan
	Intro        template.HTML
	Items        []*ouvert.Commitment
	Groups       []commitmentGroup
	Summary      store.PlanSummary
	Feed         []*ouvert.CommitmentUpdate
	Filter       url.Values
	Organiser    bool
	FinalDrafts  []*ouvert.Draft
	Now          time.Time
	FilterActive bool
}

// commitmentGroup is the commitments of an axis, in the tracker.
type commitmentGroup struct {
	Axis  string
	Items []trackerItem
}

// trackerItem is a commitment of the tracker in words, ready to show: a plan of a hundred
// commitments would otherwise cost a template function call per word.
type trackerItem struct {
	ID         int64
	Heading    string
	Completion string // the level, for the style
	Meta       string // lead administration · completion · progress · milestones
	Progress   int
	ProgressOf string
	Late       bool
	Example    bool
}

// plan shows a plan's tracker: its commitments grouped by axis with their completion, progress
// and late milestones, filters, a summary and the feed of updates.
func (s *Server) plan(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "plans.title")
	pl, err := s.planOf(r, p)
	if err != nil {
		return err
	}
	ctx := r.Context()
	q := r.URL.Query()
	p.Title = pl.Title
	// Everyone but organisers (who also see the drafts they may add) sees the same body for the
	// same state of the plan, filter and language, within the minute (late milestones depend on
	// the time).
	organiser := p.User != nil && p.User.Is(ouvert.RoleOrganiser)
	key := ""
	if !organiser {
		version, err := s.db.PlanVersion(ctx, pl.ID)
		if err != nil {
			return err
		}
		key = fmt.Sprintf("tracker|%d|%s|%d|%d|%s|%s|%s|%s|%s|%s", pl.ID, p.L.Lang, version, pl.Commitments, pl.Status, pl.Title,
			pl.Introduction, r.URL.RawQuery, p.Now.Truncate(time.Minute), strconv.FormatBool(pl.ReviewOpen))
		if body, ok := s.bodies.get(key); ok {
			p.Data = body
			s.render(w, r, http.StatusOK, "raw", p)
			return nil
		}
	}
	d := &planData{Plan: pl, Intro: s.md.Cached(pl.Introduction), Filter: url.Values{}, Now: p.Now,
		Organiser: p.User != nil && p.User.Is(ouvert.RoleOrganiser)}
	f := store.CommitmentFilter{PlanID: pl.ID, Now: p.Now}
	if id := atoi(q.Get("axe")); id != 0 {
		f.AxisID = id
		d.Filter.Set("axe", q.Get("axe"))
	}
	if lead := strings.TrimSpace(q.Get("administration")); lead != "" {
		f.Lead = lead
		d.Filter.Set("administration", lead)
	}
	if c := q.Get("avancement"); slices.Contains(ouvert.Completions, c) {
		f.Completion = c
		d.Filter.Set("avancement", c)
	}
	if q.Get("retard") == "1" {
		f.Late = true
		d.Filter.Set("retard", "1")
	}
	d.FilterActive = len(d.Filter) > 0
	if d.Items, err = s.db.Commitments(ctx, f); err != nil {
		return err
	}
	l := p.L
	for _, c := range d.Items {
		if n := len(d.Groups); n == 0 || d.Groups[n-1].Axis != c.AxisTitle {
			d.Groups = append(d.Groups, commitmentGroup{Axis: c.AxisTitle})
		}
		progress := l.T("commitment.progress", c.Progress)
		item := trackerItem{ID: c.ID, Heading: l.T("commitment.number", c.Number) + " · " + c.Title, Completion: c.Completion,
			Meta: c.LeadAdministration + " · " + l.T("completion."+c.Completion) + " · " + progress + " · " +
				l.T("commitment.milestones_done", c.MilestonesDone, c.Milestones),
			Progress: c.Progress, ProgressOf: progress, Late: c.Late(p.Now), Example: c.Example}
		d.Groups[len(d.Groups)-1].Items = append(d.Groups[len(d.Groups)-1].Items, item)
	}
	if d.Summary, err = s.db.PlanSummary(ctx, pl.ID, p.Now); err != nil {
		return err
	}
	if d.Feed, err = s.db.PlanFeed(ctx, pl.ID, 20); err != nil {
		return err
	}
	if d.Organiser && pl.ProcessID != 0 {
		drafts, err := s.db.Drafts(ctx, pl.ProcessID)
		if err != nil {
			return err
		}
		for _, dr := range drafts {
			if dr.Status == ouvert.DraftFinal {
				d.FinalDrafts = append(d.FinalDrafts, dr)
			}
		}
	}
	p.Data = d
	if organiser {
		s.render(w, r, http.StatusOK, "plan", p)
		return nil
	}
	var buf bytes.Buffer
	if err := s.tmpl.pages["plan"].ExecuteTemplate(&buf, "content", p); err != nil {
		return err
	}
	body := template.HTML(buf.String())
	s.bodies.put(key, body)
	p.Data = body
	s.render(w, r, http.StatusOK, "raw", p)
	return nil
}

// planSettings changes a plan's status and text (organisers).
func (s *Server) planSettings(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "plans.title")
	pl, err := s.organiserPlan(w, r, p)
	if pl == nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	loc := time.UTC
	if p.Process != nil {
		loc = p.Process.Location()
	}
	planFromForm(p.Form, loc, pl)
	if err := s.db.SavePlan(r.Context(), pl); err != nil {
		if p.Form.Refused(err) {
			p.Data = pl
			s.render(w, r, http.StatusUnprocessableEntity, "plan_form", p)
			return nil
		}
		return err
	}
	s.flash(w, r, "flash.plan_saved")
	http.Redirect(w, r, "/plans/"+pl.Slug, http.StatusSeeOther)
	return nil
}

// planEditForm shows a plan's settings.
func (s *Server) planEditForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "plans.edit")
	pl, err := s.organiserPlan(w, r, p)
	if pl == nil {
		return err
	}
	p.Form.Values.Set("title", pl.Title)
	p.Form.Values.Set("introduction", pl.Introduction)
	p.Form.Values.Set("status", pl.Status)
	p.Form.Values.Set("period_start", pl.PeriodStart.Format("2006-01-02"))
	p.Form.Values.Set("period_end", pl.PeriodEnd.Format("2006-01-02"))
	if pl.ReviewOpen {
		p.Form.Values.Set("review_open", "1")
	}
	p.Data = pl
	s.render(w, r, http.StatusOK, "plan_form", p)
	return nil
}

// planAddDrafts makes commitments of the ticked final drafts (organisers).
func (s *Server) planAddDrafts(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "plans.title")
	pl, err := s.organiserPlan(w, r, p)
	if pl == nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	var ids []int64
	for _, v := range r.PostForm["drafts"] {
		ids = append(ids, atoi(v))
	}
	loc := time.UTC
	if p.Process != nil {
		loc = p.Process.Location()
	}
	if _, err := s.db.AddCommitmentsFromDrafts(r.Context(), pl.ID, ids, loc); err != nil {
		return err
	}
	s.flash(w, r, "flash.commitments_added")
	http.Redirect(w, r, "/plans/"+pl.Slug, http.StatusSeeOther)
	return nil
}

// commitmentData is the page of a commitment.
type commitmentData struct {
	C          *ouvert.Commitment
	Plan       *ouvert.Plan
	Sections   map[string]template.HTML
	Milestones []*ouvert.PlanMilestone
	Updates    []*ouvert.CommitmentUpdate
	UpdateHTML map[int64]template.HTML
	Total      int
	PageLinks  []pageLink
	CanReport  bool
	Follows    bool
	Now        time.Time
	Draft      *ouvert.Draft
	Versions   []*ouvert.DraftVersion
	Amendments []*ouvert.Amendment
	Sources    []*ouvert.Contribution
	Syntheses  []*ouvert.Synthesis
	// Reviews, once the plan is open for review.
	Reviews      []*ouvert.Review
	EventReviews []*ouvert.EventReview
	FindingsHTML map[int64]template.HTML
	CanReview    bool
	Ministries   []*ouvert.Event // open ministries whose findings the person may record
}

// commitment shows a commitment: its template, milestones with their status (late ones flagged),
// its follow-up, and its trail back to the draft, its amendments, the syntheses and contributions.
func (s *Server) commitment(w http.ResponseWriter, r *http.Request) error {
	return s.commitmentWith(w, r, s.page(r, ""), http.StatusOK)
}

func (s *Server) commitmentOf(r *http.Request, p *page) (*ouvert.Commitment, *ouvert.Plan, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.db.Commitment(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	pl, err := s.db.PlanByID(r.Context(), c.PlanID)
	if err != nil {
		return nil, nil, err
	}
	if !pl.Public() && (p.User == nil || !p.User.Is(ouvert.RoleOrganiser)) {
		return nil, nil, errNotFound
	}
	return c, pl, nil
}

func (s *Server) commitmentWith(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	c, pl, err := s.commitmentOf(r, p)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d := &commitmentData{C: c, Plan: pl, Sections: map[string]template.HTML{}, UpdateHTML: map[int64]template.HTML{}, Now: p.Now,
		CanReport: ouvert.CanFollowUp(p.User, c)}
	for k, text := range c.Sections {
		d.Sections[k] = s.md.Cached(text)
	}
	if d.Milestones, err = s.db.PlanMilestones(ctx, c.ID); err != nil {
		return err
	}
	page := max(1, int(atoi(r.URL.Query().Get("page"))))
	if d.Updates, d.Total, err = s.db.CommitmentUpdates(ctx, c.ID, page, perPage); err != nil {
		return err
	}
	for _, u := range d.Updates {
		if u.Kind == "update" {
			d.UpdateHTML[u.ID] = s.md.Cached(u.Body)
		}
	}
	d.PageLinks = pageLinks("/engagements/"+strconv.FormatInt(c.ID, 10), url.Values{}, page, max(1, (d.Total+perPage-1)/perPage))
	if p.User != nil {
		if d.Follows, err = s.db.FollowsCommitment(ctx, c.ID, p.User.ID); err != nil {
			return err
		}
	}
	if c.DraftID != 0 {
		if d.Draft, err = s.db.Draft(ctx, c.DraftID); err != nil && ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
			return err
		}
		if d.Draft != nil {
			if d.Versions, err = s.db.DraftVersions(ctx, c.DraftID); err != nil {
				return err
			}
			if d.Amendments, _, err = s.db.Amendments(ctx, c.DraftID, "", "", 1, 100); err != nil {
				return err
			}
			if d.Sources, d.Syntheses, err = s.draftSources(ctx, d.Draft); err != nil {
				return err
			}
		}
	}
	if d.Reviews, err = s.db.Reviews(ctx, c.ID, 1, perPage); err != nil {
		return err
	}
	if d.EventReviews, err = s.db.EventReviews(ctx, c.ID); err != nil {
		return err
	}
	d.FindingsHTML = map[int64]template.HTML{}
	for _, er := range d.EventReviews {
		d.FindingsHTML[er.EventID] = s.md.HTML(er.Findings)
	}
	d.CanReview = pl.ReviewOpen && p.User != nil && p.User.BlockedAt == nil
	if d.CanReview && !p.Form.HasErrors() {
		if mine, err := s.db.MyReview(ctx, c.ID, p.User.ID); err != nil {
			return err
		} else if mine != nil {
			p.Form.Values.Set("implementation", strconv.Itoa(mine.Implementation))
			p.Form.Values.Set("usefulness", strconv.Itoa(mine.Usefulness))
			p.Form.Values.Set("comment", mine.Comment)
		}
	}
	if p.User != nil && p.Process != nil && (p.User.Is(ouvert.RoleOrganiser) || p.User.Role == ouvert.RoleAdministration) {
		events, err := s.db.ProcessEvents(ctx, p.Process.ID)
		if err != nil {
			return err
		}
		for _, e := range events {
			if e.Kind == ouvert.EventOpenMinistry && canRecordFindings(p.User, e) {
				d.Ministries = append(d.Ministries, e)
			}
		}
	}
	if !p.Form.HasErrors() {
		p.Form.Values.Set("completion", c.Completion)
		if c.ProgressManual {
			p.Form.Values.Set("progress", strconv.Itoa(c.Progress))
			p.Form.Values.Set("reason", c.ProgressReason)
		}
	}
	p.Title = p.L.T("commitment.number", c.Number) + " · " + c.Title
	p.Data = d
	s.render(w, r, status, "commitment", p)
	return nil
}

// commitmentReporter returns the commitment if the signed-in person may report on it.
func (s *Server) commitmentReporter(w http.ResponseWriter, r *http.Request, p *page) (*ouvert.User, *ouvert.Commitment, error) {
	u := requireUser(w, r)
	if u == nil {
		return nil, nil, nil
	}
	c, _, err := s.commitmentOf(r, p)
	if err != nil {
		return nil, nil, err
	}
	if !ouvert.CanFollowUp(u, c) {
		return nil, nil, errForbidden
	}
	return u, c, nil
}

// commitmentReport posts a progress update, a milestone's status or the completion level.
func (s *Server) commitmentReport(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	u, c, err := s.commitmentReporter(w, r, p)
	if u == nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	ctx := r.Context()
	switch r.PathValue("what") {
	case "suivi":
		err = s.db.PostUpdate(ctx, c.ID, u.ID, p.Form.Get("body"), false)
	case "jalon":
		err = s.db.SetMilestoneStatus(ctx, c.ID, atoi(p.Form.Get("milestone")), p.Form.Get("status"), u.ID)
	case "avancement":
		var progress *int
		if v := strings.TrimSpace(p.Form.Get("progress")); v != "" {
			n, convErr := strconv.Atoi(v)
			if convErr != nil {
				p.Form.Errors.Add("progress", "plan.bad_progress")
				return s.commitmentWith(w, r, p, http.StatusUnprocessableEntity)
			}
			progress = &n
		}
		err = s.db.SetCompletion(ctx, c.ID, p.Form.Get("completion"), progress, p.Form.Get("reason"), u.ID)
	default:
		return errNotFound
	}
	if err != nil {
		if p.Form.Refused(err) {
			return s.commitmentWith(w, r, p, http.StatusUnprocessableEntity)
		}
		return err
	}
	s.flash(w, r, "flash.commitment_reported")
	http.Redirect(w, r, "/engagements/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
	return nil
}

// commitmentFollow makes the person follow a commitment or stop following it.
func (s *Server) commitmentFollow(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	c, _, err := s.commitmentOf(r, s.page(r, ""))
	if err != nil {
		return err
	}
	if err := s.setFollow(w, r, u, c.ID, s.db.SetCommitmentFollow); err != nil {
		return err
	}
	http.Redirect(w, r, "/engagements/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
	return nil
}

// planPrintData is the print-ready plan.
type planPrintData struct {
	Plan  *ouvert.Plan
	Intro template.HTML
	Items []printCommitment
}

// printCommitment is a commitment of the print-ready plan with everything already in words: the
// page repeats a thousand milestones, and a template function call per cell would cost more than
// the rest of the page.
type printCommitment struct {
	Number     int
	Heading    string
	Meta       string
	Sections   []printSection
	Milestones []printMilestone
}

type printSection struct {
	Title string
	HTML  template.HTML
}

type printMilestone struct {
	Deliverable, Start, End, Status string
}

// bodyCache keeps the rendered bodies of the plans' public pages (the tracker, the print-ready
// plan): they change only when the plan or the follow-up of one of its commitments does, and
// repeat a hundred commitments and a thousand milestones.
type bodyCache struct {
	mu    sync.Mutex
	pages map[string]template.HTML
}

func (c *bodyCache) get(key string) (template.HTML, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.pages[key]
	return h, ok
}

func (c *bodyCache) put(key string, h template.HTML) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil || len(c.pages) >= 64 {
		c.pages = map[string]template.HTML{}
	}
	c.pages[key] = h
}

// planPrint is the whole plan on one page, for a browser to print or save as PDF: table of
// contents, then one commitment per page. Its body is rendered once per state of the plan (every
// change of a commitment's follow-up logs an update, so the newest update's id is the state) and
// language, then kept.
func (s *Server) planPrint(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "plans.title")
	pl, err := s.planOf(r, p)
	if err != nil {
		return err
	}
	version, err := s.db.PlanVersion(r.Context(), pl.ID)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("%d|%s|%d|%d|%s|%s|%s|%s|%s", pl.ID, p.L.Lang, version, pl.Commitments, pl.Status, pl.Title,
		pl.PeriodStart, pl.PeriodEnd, pl.Introduction)
	p.Title = pl.Title
	if body, ok := s.bodies.get("print|" + key); ok {
		p.Data = body
		s.render(w, r, http.StatusOK, "raw", p)
		return nil
	}
	ctx := r.Context()
	d := &planPrintData{Plan: pl, Intro: s.md.Cached(pl.Introduction)}
	items, err := s.db.Commitments(ctx, store.CommitmentFilter{PlanID: pl.ID})
	if err != nil {
		return err
	}
	milestones, err := s.db.AllPlanMilestones(ctx, pl.ID)
	if err != nil {
		return err
	}
	l := p.L
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return l.Date(t)
	}
	sectionTitles := map[string]string{}
	for _, k := range ouvert.Sections {
		sectionTitles[k] = l.T("draft.section." + k)
	}
	for _, c := range items {
		pc := printCommitment{Number: c.Number, Heading: l.T("commitment.number", c.Number) + " · " + c.Title}
		meta := []string{c.AxisTitle, c.LeadAdministration}
		if c.OtherActors != "" {
			meta = append(meta, c.OtherActors)
		}
		pc.Meta = strings.Join(append(meta, l.T("completion."+c.Completion), l.T("commitment.progress", c.Progress)), " · ")
		for _, k := range ouvert.Sections {
			if text := c.Sections[k]; text != "" {
				pc.Sections = append(pc.Sections, printSection{Title: sectionTitles[k], HTML: s.md.Cached(text)})
			}
		}
		for _, m := range milestones[c.ID] {
			pc.Milestones = append(pc.Milestones, printMilestone{Deliverable: m.Deliverable, Start: date(m.StartsAt), End: date(m.EndsAt),
				Status: l.T("milestone.status." + m.Status)})
		}
		d.Items = append(d.Items, pc)
	}
	p.Data = d
	var buf bytes.Buffer
	if err := s.tmpl.pages["plan_print"].ExecuteTemplate(&buf, "content", p); err != nil {
		return err
	}
	body := template.HTML(buf.String())
	s.bodies.put("print|"+key, body)
	p.Data = body
	s.render(w, r, http.StatusOK, "raw", p)
	return nil
}

// planCSV is the plan's commitments and milestones as CSV, one line per milestone (or per
// commitment without milestones), with the columns of the review mechanism's self-assessment.
func (s *Server) planCSV(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "plans.title")
	pl, err := s.planOf(r, p)
	if err != nil {
		return err
	}
	ctx := r.Context()
	items, err := s.db.Commitments(ctx, store.CommitmentFilter{PlanID: pl.ID})
	if err != nil {
		return err
	}
	milestones, err := s.db.AllPlanMilestones(ctx, pl.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+pl.Slug+`-engagements.csv"`)
	cw := csvsafe.NewWriter(w)
	if err := cw.Write("number", "title", "axis", "lead_administration", "other_actors", "ogp_values", "completion", "progress",
		"milestone", "milestone_start", "milestone_end", "milestone_status", "milestone_late", "url"); err != nil {
		return err
	}
	// Days as the process' calendar has them, the way the import reads them back.
	loc := time.UTC
	if p.Process != nil {
		loc = p.Process.Location()
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("2006-01-02")
	}
	for _, c := range items {
		base := []string{strconv.Itoa(c.Number), c.Title, c.AxisTitle, c.LeadAdministration, c.OtherActors, strings.Join(c.Values, " "),
			c.Completion, strconv.Itoa(c.Progress)}
		url := s.cfg.BaseURL + "/engagements/" + strconv.FormatInt(c.ID, 10)
		ms := milestones[c.ID]
		if len(ms) == 0 {
			if err := cw.Write(append(base, "", "", "", "", "", url)...); err != nil {
				return err
			}
		}
		for _, m := range ms {
			if err := cw.Write(append(slices.Clone(base), m.Deliverable, day(m.StartsAt), day(m.EndsAt), m.Status,
				strconv.FormatBool(m.Late(p.Now)), url)...); err != nil {
				return err
			}
		}
	}
	return cw.Flush()
}

// canRecordFindings says who records what an open ministry found: organisers, and the
// representatives of the administration that hosted it.
func canRecordFindings(u *ouvert.User, e *ouvert.Event) bool {
	return u != nil && (u.Role == ouvert.RoleOrganiser || (u.Role == ouvert.RoleAdministration && u.Administration != "" &&
		strings.EqualFold(strings.TrimSpace(u.Administration), strings.TrimSpace(e.HostAdministration))))
}

// commitmentReview records a participant's review of a commitment of a plan open for review.
func (s *Server) commitmentReview(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if u.BlockedAt != nil {
		return ouvert.Errorf(ouvert.EFORBIDDEN, "consultation.blocked")
	}
	c, _, err := s.commitmentOf(r, p)
	if err != nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	if err := s.allowUser(u, "argue"); err != nil {
		return err
	}
	rv := &ouvert.Review{CommitmentID: c.ID, UserID: u.ID, Implementation: int(atoi(p.Form.Get("implementation"))),
		Usefulness: int(atoi(p.Form.Get("usefulness"))), Comment: p.Form.Get("comment")}
	if err := s.db.ReviewCommitment(r.Context(), rv); err != nil {
		if p.Form.Refused(err) {
			return s.commitmentWith(w, r, p, http.StatusUnprocessableEntity)
		}
		return err
	}
	s.flash(w, r, "flash.reviewed")
	http.Redirect(w, r, "/engagements/"+strconv.FormatInt(c.ID, 10)+"#reviews", http.StatusSeeOther)
	return nil
}

// commitmentFindings records what an open ministry found about a commitment.
func (s *Server) commitmentFindings(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	c, _, err := s.commitmentOf(r, p)
	if err != nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	e, err := s.db.Event(r.Context(), atoi(p.Form.Get("event")))
	if err != nil {
		if ouvert.ErrorCode(err) == ouvert.ENOTFOUND {
			p.Form.Errors.Add("event", "review.bad_event")
			return s.commitmentWith(w, r, p, http.StatusUnprocessableEntity)
		}
		return err
	}
	if !canRecordFindings(u, e) {
		return errForbidden
	}
	if err := s.db.SaveEventReview(r.Context(), &ouvert.EventReview{EventID: e.ID, CommitmentID: c.ID, Findings: p.Form.Get("findings")}); err != nil {
		if p.Form.Refused(err) {
			return s.commitmentWith(w, r, p, http.StatusUnprocessableEntity)
		}
		return err
	}
	s.flash(w, r, "flash.findings_saved")
	http.Redirect(w, r, "/engagements/"+strconv.FormatInt(c.ID, 10)+"#findings", http.StatusSeeOther)
	return nil
}

package web

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// The public API: everything public, as JSON under /api/v1/, described by api/openapi.json.
// Lists are paginated by an opaque cursor (the last id seen); every answer has an ETag; errors
// are {"error": {"code", "message"}}. Nothing private appears: no address, no registration, and
// of a hidden text only the fact and reason of its hiding.

//go:embed api/openapi.json
var openAPI []byte

const (
	apiDefaultLimit = 50
	apiMaxLimit     = 200
)

type apiHandler func(w http.ResponseWriter, r *http.Request) (any, error)

// api adapts an API handler: rate limit for anonymous callers, JSON encoding, ETag and errors.
func (s *Server) api(fn apiHandler) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Access-Control-Allow-Origin", "*")
		if currentUser(r) == nil {
			if err := s.allow(r, "api"); err != nil {
				h.Set("Retry-After", "10")
				writeAPIError(w, http.StatusTooManyRequests, ouvert.ETOOMANY, "too many requests: slow down")
				return nil
			}
		}
		v, err := fn(w, r)
		if err != nil {
			code := ouvert.ErrorCode(err)
			status := statusOf(code)
			msg := "internal error"
			if status == http.StatusInternalServerError {
				s.log.Error("api", "path", r.URL.Path, "err", err)
			} else {
				msg = apiMessages[code]
			}
			writeAPIError(w, status, code, msg)
			return nil
		}
		body, err := json.Marshal(v)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
		h.Set("ETag", etag)
		h.Set("Cache-Control", "public, max-age=60")
		if match := r.Header.Get("If-None-Match"); match != "" && (match == etag || match == "W/"+etag) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		w.Write(body)
		return nil
	}
}

var apiMessages = map[string]string{
	ouvert.ENOTFOUND:  "not found",
	ouvert.EINVALID:   "invalid request",
	ouvert.EFORBIDDEN: "forbidden",
}

func writeAPIError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": message}})
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(openAPI)
	return nil
}

// Page is a page of a list: the items and the cursor of the next page ("" on the last).
type apiPage[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next"`
}

// pageParams reads cursor and limit.
func pageParams(r *http.Request) (after int64, limit int, err error) {
	q := r.URL.Query()
	if c := q.Get("cursor"); c != "" {
		if after, err = strconv.ParseInt(c, 10, 64); err != nil || after < 0 {
			return 0, 0, ouvert.Errorf(ouvert.EINVALID, "cursor")
		}
	}
	limit = apiDefaultLimit
	if l := q.Get("limit"); l != "" {
		if limit, err = strconv.Atoi(l); err != nil || limit < 1 || limit > apiMaxLimit {
			return 0, 0, ouvert.Errorf(ouvert.EINVALID, "limit")
		}
	}
	return after, limit, nil
}

// nextCursor returns the cursor after a page that was asked one item more than it shows.
func nextCursor[T any](items []T, limit int, id func(T) int64) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, strconv.FormatInt(id(items[len(items)-1]), 10)
}

type apiPhase struct {
	Kind     string    `json:"kind"`
	Title    string    `json:"title"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
}

type apiAxis struct {
	ID            int64  `json:"id"`
	Number        int    `json:"number"`
	Title         string `json:"title"`
	Contributions int    `json:"contributions"`
}

type apiProcess struct {
	Slug          string     `json:"slug"`
	Title         string     `json:"title"`
	Subtitle      string     `json:"subtitle"`
	Introduction  string     `json:"introduction"`
	TimeZone      string     `json:"time_zone"`
	Contact       string     `json:"contact"`
	Contributions int        `json:"contributions"`
	Phases        []apiPhase `json:"phases"`
	Axes          []apiAxis  `json:"axes"`
	Themes        []string   `json:"themes"`
	URL           string     `json:"url"`
}

func (s *Server) apiProcessOf(p *ouvert.Process) apiProcess {
	out := apiProcess{Slug: p.Slug, Title: p.Title, Subtitle: p.Subtitle, Introduction: p.Intro, TimeZone: p.TimeZone,
		Contact: p.ContactEmail, Contributions: p.Contributions, URL: s.cfg.BaseURL + "/",
		Phases: []apiPhase{}, Axes: []apiAxis{}, Themes: []string{}}
	for _, ph := range p.Phases {
		out.Phases = append(out.Phases, apiPhase{string(ph.Kind), ph.Title, ph.StartsAt, ph.EndsAt})
	}
	for _, a := range p.Axes {
		out.Axes = append(out.Axes, apiAxis{a.ID, a.Position, a.Title, a.Contributions})
	}
	for _, th := range p.Themes {
		out.Themes = append(out.Themes, th.Name)
	}
	return out
}

func (s *Server) apiProcesses(w http.ResponseWriter, r *http.Request) (any, error) {
	ps, err := s.db.Processes(r.Context())
	if err != nil {
		return nil, err
	}
	out := apiPage[apiProcess]{Items: []apiProcess{}}
	for _, p := range ps {
		out.Items = append(out.Items, s.apiProcessOf(p))
	}
	return out, nil
}

func (s *Server) apiProcess(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := s.db.ProcessBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	return s.apiProcessOf(p), nil
}

type apiVotes struct {
	Agree    int `json:"agree"`
	Mixed    int `json:"mixed"`
	Disagree int `json:"disagree"`
}

type apiContribution struct {
	ID           int64       `json:"id"`
	Process      string      `json:"process"`
	AxisID       int64       `json:"axis_id"`
	Status       string      `json:"status"`
	HiddenReason string      `json:"hidden_reason"`
	Title        string      `json:"title"`
	Body         string      `json:"body"`
	Author       string      `json:"author"`
	Organisation string      `json:"organisation"`
	Origin       string      `json:"origin"`
	EventID      int64       `json:"event_id"`
	OnBehalfOf   string      `json:"on_behalf_of"`
	Votes        apiVotes    `json:"votes"`
	Arguments    int         `json:"arguments"`
	Example      bool        `json:"example"`
	CreatedAt    time.Time   `json:"created_at"`
	URL          string      `json:"url"`
	Response     apiResponse `json:"response"`
}

// apiResponse is the organisers' answer to a contribution.
type apiResponse struct {
	Status      string     `json:"status"`
	Reason      string     `json:"reason"`
	MergedInto  int64      `json:"merged_into"`
	RespondedAt *time.Time `json:"responded_at"`
}

func (s *Server) apiContributionOf(slug string, c *ouvert.Contribution) apiContribution {
	out := apiContribution{ID: c.ID, Process: slug, AxisID: c.AxisID, Status: c.Status, HiddenReason: c.HiddenReason,
		Origin: string(c.Origin), EventID: c.OriginEventID, Votes: apiVotes{c.Agree, c.Mixed, c.Disagree},
		Arguments: c.Arguments, Example: c.Example, CreatedAt: c.CreatedAt, URL: fmt.Sprintf("%s/contributions/%d", s.cfg.BaseURL, c.ID),
		Response: apiResponse{Status: string(c.Response), Reason: c.ResponseReason}}
	if c.Response == ouvert.ResponseMerged {
		out.Response.MergedInto = c.ResponseTarget
	}
	if !c.RespondedAt.IsZero() {
		out.Response.RespondedAt = &c.RespondedAt
	}
	if c.Visible() {
		out.Title, out.Body, out.Author, out.Organisation, out.OnBehalfOf = c.Title, c.Body, c.AuthorName, c.OrgName, c.OnBehalfOf
	}
	return out
}

// apiProcessParam returns the process named by ?process=, or the current one.
func (s *Server) apiProcessParam(r *http.Request) (*ouvert.Process, error) {
	if slug := r.URL.Query().Get("process"); slug != "" {
		return s.db.ProcessBySlug(r.Context(), slug)
	}
	return s.process(r.Context())
}

func (s *Server) apiContributions(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := s.apiProcessParam(r)
	if err != nil {
		return nil, err
	}
	after, limit, err := pageParams(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	f := store.APIFilter{ProcessID: p.ID, After: after, Limit: limit + 1, AxisID: atoi(q.Get("axis")),
		Origin: ouvert.Origin(q.Get("origin")), Status: q.Get("status"), Response: ouvert.Response(q.Get("response"))}
	list, err := s.db.ContributionsAfter(r.Context(), f)
	if err != nil {
		return nil, err
	}
	list, next := nextCursor(list, limit, func(c *ouvert.Contribution) int64 { return c.ID })
	out := apiPage[apiContribution]{Items: []apiContribution{}, Next: next}
	for _, c := range list {
		out.Items = append(out.Items, s.apiContributionOf(p.Slug, c))
	}
	return out, nil
}

func (s *Server) apiContribution(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	c, err := s.db.Contribution(r.Context(), id)
	if err != nil {
		return nil, err
	}
	p, err := s.process(r.Context())
	slug := ""
	if err == nil && p.ID == c.ProcessID {
		slug = p.Slug
	}
	return s.apiContributionOf(slug, c), nil
}

type apiArgument struct {
	ID             int64     `json:"id"`
	ContributionID int64     `json:"contribution_id"`
	ParentID       int64     `json:"parent_id"`
	Status         string    `json:"status"`
	HiddenReason   string    `json:"hidden_reason"`
	Stance         string    `json:"stance"`
	Body           string    `json:"body"`
	Author         string    `json:"author"`
	Useful         int       `json:"useful"`
	CreatedAt      time.Time `json:"created_at"`
}

func (s *Server) apiArguments(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	c, err := s.db.Contribution(r.Context(), id)
	if err != nil {
		return nil, err
	}
	after, limit, err := pageParams(r)
	if err != nil {
		return nil, err
	}
	list, err := s.db.ArgumentsAfter(r.Context(), c.ID, after, limit+1)
	if err != nil {
		return nil, err
	}
	list, next := nextCursor(list, limit, func(a *ouvert.Argument) int64 { return a.ID })
	out := apiPage[apiArgument]{Items: []apiArgument{}, Next: next}
	for _, a := range list {
		x := apiArgument{ID: a.ID, ContributionID: a.ContributionID, ParentID: a.ParentID, Status: a.Status,
			HiddenReason: a.HiddenReason, Stance: a.Stance, Useful: a.Useful, CreatedAt: a.CreatedAt}
		if a.Status == ouvert.StatusPublished && c.Visible() {
			x.Body, x.Author = a.Body, a.AuthorName
		}
		out.Items = append(out.Items, x)
	}
	return out, nil
}

type apiSession struct {
	Title         string    `json:"title"`
	Room          string    `json:"room"`
	StartsAt      time.Time `json:"starts_at"`
	EndsAt        time.Time `json:"ends_at"`
	ParallelGroup string    `json:"parallel_group"`
	Speakers      []string  `json:"speakers"`
}

type apiEvent struct {
	ID            int64        `json:"id"`
	Kind          string       `json:"kind"`
	Status        string       `json:"status"`
	Title         string       `json:"title"`
	Description   string       `json:"description"`
	StartsAt      time.Time    `json:"starts_at"`
	EndsAt        time.Time    `json:"ends_at"`
	Venue         string       `json:"venue"`
	Address       string       `json:"address"`
	Postcode      string       `json:"postcode"`
	Commune       string       `json:"commune"`
	Departement   string       `json:"departement"`
	Region        string       `json:"region"`
	OnlineURL     string       `json:"online_url"`
	Organiser     string       `json:"organiser"`
	Accessibility []string     `json:"accessibility"`
	Capacity      int          `json:"capacity"`
	Registered    int          `json:"registered"`
	Sessions      []apiSession `json:"sessions"`
	URL           string       `json:"url"`
}

func (s *Server) apiEventOf(e *ouvert.Event) apiEvent {
	out := apiEvent{ID: e.ID, Kind: string(e.Kind), Status: e.Status, Title: e.Title, Description: e.Description, StartsAt: e.StartsAt,
		EndsAt: e.EndsAt, Venue: e.Venue, Address: e.Address, Postcode: e.Postcode, Commune: e.Commune, Departement: e.Departement,
		Region: e.Region, OnlineURL: e.OnlineURL, Organiser: e.Organiser, Accessibility: append([]string{}, e.Accessibility...),
		Capacity: e.Capacity, Registered: e.Registered, Sessions: []apiSession{}, URL: fmt.Sprintf("%s/evenements/%d", s.cfg.BaseURL, e.ID)}
	for _, ses := range e.Sessions {
		x := apiSession{Title: ses.Title, Room: ses.Room, StartsAt: ses.StartsAt, EndsAt: ses.EndsAt, ParallelGroup: ses.ParallelGroup, Speakers: []string{}}
		for _, sp := range ses.Speakers {
			x.Speakers = append(x.Speakers, sp.Name+", "+sp.Role)
		}
		out.Sessions = append(out.Sessions, x)
	}
	return out
}

func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := s.apiProcessParam(r)
	if err != nil {
		return nil, err
	}
	after, limit, err := pageParams(r)
	if err != nil {
		return nil, err
	}
	list, err := s.db.EventsAfter(r.Context(), p.ID, after, limit+1)
	if err != nil {
		return nil, err
	}
	list, next := nextCursor(list, limit, func(e *ouvert.Event) int64 { return e.ID })
	out := apiPage[apiEvent]{Items: []apiEvent{}, Next: next}
	for _, e := range list {
		out.Items = append(out.Items, s.apiEventOf(e))
	}
	return out, nil
}

func (s *Server) apiEvent(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	e, err := s.db.Event(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if e.Status != ouvert.EventPublished && e.Status != ouvert.EventCancelled {
		return nil, errNotFound
	}
	return s.apiEventOf(e), nil
}

type apiSynthesis struct {
	ID          int64                 `json:"id"`
	Process     string                `json:"process"`
	AxisID      int64                 `json:"axis_id"`
	Title       string                `json:"title"`
	PublishedAt time.Time             `json:"published_at"`
	Example     bool                  `json:"example"`
	URL         string                `json:"url"`
	Cites       []int64               `json:"cites"`
	Versions    []apiSynthesisVersion `json:"versions"`
}

type apiSynthesisVersion struct {
	Number      int       `json:"number"`
	Title       string    `json:"title"`
	PublishedAt time.Time `json:"published_at"`
	Text        string    `json:"text"`
}

// apiSynthesisOf returns a published synthesis with the contributions it cites and, when full,
// every version's text (otherwise the current one only).
func (s *Server) apiSynthesisOf(r *http.Request, slug string, syn *ouvert.Synthesis, full bool) (apiSynthesis, error) {
	ctx := r.Context()
	out := apiSynthesis{ID: syn.ID, Process: slug, AxisID: syn.AxisID, PublishedAt: syn.PublishedAt, Example: syn.Example,
		URL: fmt.Sprintf("%s/syntheses/%d", s.cfg.BaseURL, syn.ID), Versions: []apiSynthesisVersion{}}
	var err error
	if out.Cites, err = s.db.Cited(ctx, syn.ID); err != nil {
		return out, err
	}
	current, err := s.db.SynthesisVersion(ctx, syn.ID, 0)
	if err != nil {
		return out, err
	}
	out.Title = current.Title
	versions := []*ouvert.SynthesisVersion{current}
	if full {
		if versions, err = s.db.SynthesisVersionsFull(ctx, syn.ID); err != nil {
			return out, err
		}
	}
	for _, v := range versions {
		out.Versions = append(out.Versions, apiSynthesisVersion{Number: v.Number, Title: v.Title, PublishedAt: v.PublishedAt, Text: v.Expanded})
	}
	return out, nil
}

// apiSyntheses lists a process' published syntheses with their current text: a few per process,
// so in one page.
func (s *Server) apiSyntheses(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := s.apiProcessParam(r)
	if err != nil {
		return nil, err
	}
	list, err := s.db.Syntheses(r.Context(), p.ID, true)
	if err != nil {
		return nil, err
	}
	out := apiPage[apiSynthesis]{Items: []apiSynthesis{}}
	for _, syn := range list {
		a, err := s.apiSynthesisOf(r, p.Slug, syn, false)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, a)
	}
	return out, nil
}

// apiSynthesis returns a published synthesis with every version.
func (s *Server) apiSynthesis(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	syn, err := s.db.Synthesis(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !syn.Published() {
		return nil, errNotFound
	}
	slug := ""
	if p, err := s.process(r.Context()); err == nil && p.ID == syn.ProcessID {
		slug = p.Slug
	}
	return s.apiSynthesisOf(r, slug, syn, true)
}

type apiDraft struct {
	ID                 int64               `json:"id"`
	Process            string              `json:"process"`
	AxisID             int64               `json:"axis_id"`
	LeadAdministration string              `json:"lead_administration"`
	Status             string              `json:"status"`
	FinalVersion       int                 `json:"final_version"`
	Votes              apiVotes            `json:"votes"`
	Comments           int                 `json:"comments"`
	OpenAmendments     int                 `json:"open_amendments"`
	Contributions      []int64             `json:"contributions"`
	Syntheses          []int64             `json:"syntheses"`
	Example            bool                `json:"example"`
	CreatedAt          time.Time           `json:"created_at"`
	URL                string              `json:"url"`
	Version            apiDraftVersion     `json:"version"`
	Versions           []apiDraftVersion   `json:"versions,omitempty"`
	Amendments         []apiDraftAmendment `json:"amendments,omitempty"`
}

type apiDraftVersion struct {
	Number      int               `json:"number"`
	Title       string            `json:"title"`
	OtherActors string            `json:"other_actors"`
	Values      []string          `json:"values"`
	Sections    map[string]string `json:"sections"`
	Author      string            `json:"author"`
	AmendmentID int64             `json:"amendment_id"`
	Summary     string            `json:"summary"`
	CreatedAt   time.Time         `json:"created_at"`
}

type apiDraftAmendment struct {
	ID             int64      `json:"id"`
	Section        string     `json:"section"`
	BaseVersion    int        `json:"base_version"`
	Reason         string     `json:"reason"`
	Author         string     `json:"author"`
	Status         string     `json:"status"`
	DecisionReason string     `json:"decision_reason"`
	DecidedAt      *time.Time `json:"decided_at"`
	ResultVersion  int        `json:"result_version"`
	Votes          apiVotes   `json:"votes"`
	CreatedAt      time.Time  `json:"created_at"`
}

func apiVersionOf(v *ouvert.DraftVersion) apiDraftVersion {
	out := apiDraftVersion{Number: v.Number, Title: v.Title, OtherActors: v.OtherActors, Values: v.Values, Sections: v.Sections,
		Author: v.AuthorName, AmendmentID: v.AmendmentID, Summary: v.Summary, CreatedAt: v.CreatedAt}
	if out.Values == nil {
		out.Values = []string{}
	}
	if out.Sections == nil {
		out.Sections = map[string]string{}
	}
	return out
}

func (s *Server) apiDraftOf(slug string, d *ouvert.Draft) apiDraft {
	out := apiDraft{ID: d.ID, Process: slug, AxisID: d.AxisID, LeadAdministration: d.LeadAdministration, Status: d.Status,
		FinalVersion: d.FinalVersion, Votes: apiVotes{d.Agree, d.Mixed, d.Disagree}, Comments: d.Comments, OpenAmendments: d.Amendments,
		Contributions: d.Contributions, Syntheses: d.Syntheses, Example: d.Example, CreatedAt: d.CreatedAt,
		URL: fmt.Sprintf("%s/projets/%d", s.cfg.BaseURL, d.ID), Version: apiVersionOf(d.Version)}
	if out.Contributions == nil {
		out.Contributions = []int64{}
	}
	if out.Syntheses == nil {
		out.Syntheses = []int64{}
	}
	return out
}

// apiDrafts lists a process' draft commitments with their current version: a few dozen per
// process, so in one page.
func (s *Server) apiDrafts(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := s.apiProcessParam(r)
	if err != nil {
		return nil, err
	}
	list, err := s.db.Drafts(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	out := apiPage[apiDraft]{Items: []apiDraft{}}
	for _, d := range list {
		out.Items = append(out.Items, s.apiDraftOf(p.Slug, d))
	}
	return out, nil
}

// apiDraft returns a draft with every version and every amendment with its decision.
func (s *Server) apiDraft(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	d, err := s.db.Draft(ctx, id)
	if err != nil {
		return nil, err
	}
	slug := ""
	if p, err := s.process(ctx); err == nil && p.ID == d.ProcessID {
		slug = p.Slug
	}
	out := s.apiDraftOf(slug, d)
	out.Versions, out.Amendments = []apiDraftVersion{}, []apiDraftAmendment{}
	versions, err := s.db.DraftVersionsFull(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	for _, v := range versions {
		out.Versions = append(out.Versions, apiVersionOf(v))
	}
	for page := 1; ; page++ {
		list, total, err := s.db.Amendments(ctx, d.ID, "", "", page, 200)
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			x := apiDraftAmendment{ID: a.ID, Section: a.Section, BaseVersion: a.BaseVersion, Reason: a.Reason, Author: a.AuthorName,
				Status: a.Status, DecisionReason: a.DecisionReason, ResultVersion: a.ResultVersion, Votes: apiVotes{a.Agree, a.Mixed, a.Disagree},
				CreatedAt: a.CreatedAt}
			if !a.DecidedAt.IsZero() {
				x.DecidedAt = &a.DecidedAt
			}
			out.Amendments = append(out.Amendments, x)
		}
		if page*200 >= total {
			break
		}
	}
	return out, nil
}

type apiPlan struct {
	ID           int64           `json:"id"`
	Slug         string          `json:"slug"`
	Title        string          `json:"title"`
	PeriodStart  time.Time       `json:"period_start"`
	PeriodEnd    time.Time       `json:"period_end"`
	Introduction string          `json:"introduction"`
	Status       string          `json:"status"`
	ReviewOpen   bool            `json:"review_open"`
	Example      bool            `json:"example"`
	URL          string          `json:"url"`
	Commitments  []apiCommitment `json:"commitments,omitempty"`
}

type apiCommitment struct {
	ID                 int64             `json:"id"`
	Number             int               `json:"number"`
	Title              string            `json:"title"`
	AxisID             int64             `json:"axis_id"`
	Axis               string            `json:"axis"`
	DraftID            int64             `json:"draft_id"`
	LeadAdministration string            `json:"lead_administration"`
	OtherActors        string            `json:"other_actors"`
	Values             []string          `json:"values"`
	Sections           map[string]string `json:"sections"`
	Completion         string            `json:"completion"`
	Progress           int               `json:"progress"`
	ProgressReason     string            `json:"progress_reason"`
	Late               bool              `json:"late"`
	Reviews            int               `json:"reviews"`
	Implementation     float64           `json:"implementation"`
	Usefulness         float64           `json:"usefulness"`
	Example            bool              `json:"example"`
	URL                string            `json:"url"`
	Milestones         []apiMilestone    `json:"milestones"`
	Updates            []apiUpdate       `json:"updates,omitempty"`
}

type apiMilestone struct {
	Deliverable string     `json:"deliverable"`
	StartsAt    *time.Time `json:"starts_at"`
	EndsAt      *time.Time `json:"ends_at"`
	Status      string     `json:"status"`
	Late        bool       `json:"late"`
}

type apiUpdate struct {
	Kind      string    `json:"kind"`
	Body      string    `json:"body"`
	Detail    string    `json:"detail"`
	Author    string    `json:"author"`
	CreatedAt time.Time `json:"created_at"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (s *Server) apiPlanOf(p *ouvert.Plan) apiPlan {
	return apiPlan{ID: p.ID, Slug: p.Slug, Title: p.Title, PeriodStart: p.PeriodStart, PeriodEnd: p.PeriodEnd, Introduction: p.Introduction,
		Status: p.Status, ReviewOpen: p.ReviewOpen, Example: p.Example, URL: s.cfg.BaseURL + "/plans/" + p.Slug}
}

func (s *Server) apiCommitmentOf(c *ouvert.Commitment, ms []*ouvert.PlanMilestone, now time.Time) apiCommitment {
	out := apiCommitment{ID: c.ID, Number: c.Number, Title: c.Title, AxisID: c.AxisID, Axis: c.AxisTitle, DraftID: c.DraftID,
		LeadAdministration: c.LeadAdministration, OtherActors: c.OtherActors, Values: c.Values, Sections: c.Sections, Completion: c.Completion,
		Progress: c.Progress, ProgressReason: c.ProgressReason, Late: c.Late(now), Reviews: c.Reviews, Implementation: c.Implementation(),
		Usefulness: c.Usefulness(), Example: c.Example, URL: fmt.Sprintf("%s/engagements/%d", s.cfg.BaseURL, c.ID), Milestones: []apiMilestone{}}
	if out.Values == nil {
		out.Values = []string{}
	}
	for _, m := range ms {
		out.Milestones = append(out.Milestones, apiMilestone{Deliverable: m.Deliverable, StartsAt: timePtr(m.StartsAt), EndsAt: timePtr(m.EndsAt),
			Status: m.Status, Late: m.Late(now)})
	}
	return out
}

// apiPlans lists the public action plans.
func (s *Server) apiPlans(w http.ResponseWriter, r *http.Request) (any, error) {
	list, err := s.db.Plans(r.Context())
	if err != nil {
		return nil, err
	}
	out := apiPage[apiPlan]{Items: []apiPlan{}}
	for _, p := range list {
		if p.Public() {
			out.Items = append(out.Items, s.apiPlanOf(p))
		}
	}
	return out, nil
}

// apiPlan returns a public plan with its commitments and their milestones (two queries).
func (s *Server) apiPlan(w http.ResponseWriter, r *http.Request) (any, error) {
	ctx := r.Context()
	p, err := s.db.PlanBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	if !p.Public() {
		return nil, errNotFound
	}
	items, err := s.db.Commitments(ctx, store.CommitmentFilter{PlanID: p.ID})
	if err != nil {
		return nil, err
	}
	milestones, err := s.db.AllPlanMilestones(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	out := s.apiPlanOf(p)
	out.Commitments = []apiCommitment{}
	now := s.db.Now()
	for _, c := range items {
		out.Commitments = append(out.Commitments, s.apiCommitmentOf(c, milestones[c.ID], now))
	}
	return out, nil
}

// apiCommitment returns a commitment of a public plan with its milestones and its latest 200
// follow-up entries.
func (s *Server) apiCommitment(w http.ResponseWriter, r *http.Request) (any, error) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	c, err := s.db.Commitment(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.db.PlanByID(ctx, c.PlanID)
	if err != nil {
		return nil, err
	}
	if !p.Public() {
		return nil, errNotFound
	}
	ms, err := s.db.PlanMilestones(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	out := s.apiCommitmentOf(c, ms, s.db.Now())
	updates, _, err := s.db.CommitmentUpdates(ctx, c.ID, 1, 200)
	if err != nil {
		return nil, err
	}
	out.Updates = []apiUpdate{}
	for _, u := range updates {
		out.Updates = append(out.Updates, apiUpdate{Kind: u.Kind, Body: u.Body, Detail: u.Detail, Author: u.AuthorName, CreatedAt: u.CreatedAt})
	}
	return out, nil
}

package web

import (
	"context"
	_ "embed"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"ouvert/internal/cluster"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// grouping holds the index of the last grouping run, so that a new contribution is placed in the
// groups at once, and what organisers are told of the runs.
type grouping struct {
	mu        sync.Mutex
	processID int64
	ix        *cluster.Index
	running   bool
	last      groupingRun
}

// groupingRun describes a run of the grouping, for the groups page.
type groupingRun struct {
	At            time.Time
	Took          time.Duration
	Contributions int
	Err           string
}

var kinds = map[ouvert.GroupKind]cluster.Kind{ouvert.GroupDuplicate: cluster.Duplicate, ouvert.GroupTopic: cluster.Topic}

// Regroup runs the grouping of the current process' published contributions: confirmed and
// rejected groups are passed back as they are, proposals are replaced. The server runs it hourly
// and when an organiser asks; one run at a time.
func (s *Server) Regroup(ctx context.Context) error {
	p, err := s.process(ctx)
	if err != nil {
		if ouvert.ErrorCode(err) == ouvert.ENOTFOUND {
			return nil
		}
		return err
	}
	g := &s.grouping
	g.mu.Lock()
	if g.running {
		g.mu.Unlock()
		return nil
	}
	g.running = true
	g.mu.Unlock()
	start := time.Now()
	ix, n, err := s.regroup(ctx, p.ID)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.running = false
	g.last = groupingRun{At: time.Now(), Took: time.Since(start), Contributions: n}
	if err != nil {
		g.last.Err = err.Error()
		return err
	}
	g.processID, g.ix = p.ID, ix
	s.log.Info("grouping", "contributions", n, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

func (s *Server) regroup(ctx context.Context, processID int64) (*cluster.Index, int, error) {
	var docs []cluster.Doc
	err := s.db.EachContributionText(ctx, processID, func(id, axis int64, title, body string) error {
		docs = append(docs, cluster.Doc{ID: id, Axis: axis, Text: title + "\n" + body})
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	confirmed, err := s.db.ConfirmedGroups(ctx, processID)
	if err != nil {
		return nil, 0, err
	}
	pinned := make([]cluster.Group, len(confirmed))
	for i, c := range confirmed {
		pinned[i] = cluster.Group{ID: c.ID, Kind: kinds[c.Kind], Axis: c.AxisID, Members: c.MemberIDs, Words: c.Words,
			Label: c.Label, Pinned: true, Rejected: c.Rejected}
	}
	ix, groups := cluster.Build(docs, pinned, cluster.DefaultOptions())
	sets := make([]store.GroupSet, 0, len(groups))
	for _, g := range groups {
		kind := ouvert.GroupTopic
		if g.Kind == cluster.Duplicate {
			kind = ouvert.GroupDuplicate
		}
		sets = append(sets, store.GroupSet{Group: ouvert.Group{ID: g.ID, Kind: kind, AxisID: g.Axis, Words: g.Words}, MemberIDs: g.Members})
	}
	if err := s.db.ReplaceProposals(ctx, processID, sets); err != nil {
		return nil, 0, err
	}
	return ix, len(docs), nil
}

// place puts a new contribution in the groups of the last run, if there was one: next to the
// contribution of its duplicate group or topic that it resembles. A failure is logged, not shown:
// the next run places the contribution anyway.
func (s *Server) place(ctx context.Context, c *ouvert.Contribution) {
	g := &s.grouping
	g.mu.Lock()
	ix := g.ix
	if g.processID != c.ProcessID {
		ix = nil
	}
	g.mu.Unlock()
	if ix == nil {
		return
	}
	pl := ix.Add(cluster.Doc{ID: c.ID, Axis: c.AxisID, Text: c.Title + "\n" + c.Body})
	for kind, group := range map[ouvert.GroupKind]*cluster.Group{ouvert.GroupDuplicate: pl.Duplicate, ouvert.GroupTopic: pl.Topic} {
		if group == nil {
			continue
		}
		for _, near := range group.Members {
			if near != c.ID {
				if err := s.db.PlaceContribution(ctx, c.ProcessID, c.ID, kind, near); err != nil {
					s.log.Error("grouping: place", "contribution", c.ID, "err", err)
				}
				break
			}
		}
	}
}

// groupsData is a page of groups of one kind.
type groupsData struct {
	Kind      ouvert.GroupKind
	Axis      *ouvert.Axis
	Items     []*ouvert.Group
	Total     int
	Page      int
	PageLinks []pageLink
	Last      groupingRun
	Running   bool
}

// groups lists the proposed and confirmed groups of a kind (duplicates, or the topics of an axis).
func (s *Server) groups(w http.ResponseWriter, r *http.Request) error {
	u, err := requireOrganiser(w, r)
	if u == nil {
		return err
	}
	p := s.page(r, "groups.title")
	if p.Process == nil {
		return errNotFound
	}
	q := r.URL.Query()
	d := &groupsData{Kind: ouvert.GroupDuplicate, Page: max(1, int(atoi(q.Get("page"))))}
	args := url.Values{}
	if q.Get("type") == "themes" {
		d.Kind = ouvert.GroupTopic
		args.Set("type", "themes")
	}
	f := store.GroupFilter{ProcessID: p.Process.ID, Kind: d.Kind, Page: d.Page, PerPage: 30}
	if id := atoi(q.Get("axe")); id != 0 && d.Kind == ouvert.GroupTopic {
		if d.Axis = p.Process.Axis(id); d.Axis == nil {
			return errNotFound
		}
		f.AxisID = id
		args.Set("axe", q.Get("axe"))
	}
	if d.Items, d.Total, err = s.db.Groups(r.Context(), f); err != nil {
		return err
	}
	d.PageLinks = pageLinks("/synthese/groupes", args, d.Page, max(1, (d.Total+f.PerPage-1)/f.PerPage))
	s.grouping.mu.Lock()
	d.Last, d.Running = s.grouping.last, s.grouping.running
	s.grouping.mu.Unlock()
	p.Data = d
	s.render(w, r, http.StatusOK, "groups", p)
	return nil
}

// groupData is one group with a page of its contributions.
type groupData struct {
	Group     *ouvert.Group
	Axis      *ouvert.Axis
	Members   []*ouvert.Contribution
	Total     int
	PageLinks []pageLink
}

// group shows a group's contributions and what organisers may do with it.
func (s *Server) group(w http.ResponseWriter, r *http.Request) error {
	u, err := requireOrganiser(w, r)
	if u == nil {
		return err
	}
	return s.groupWith(w, r, s.page(r, "groups.title"), http.StatusOK)
}

func (s *Server) groupWith(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	if p.Process == nil {
		return errNotFound
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	g, err := s.db.Group(r.Context(), p.Process.ID, id)
	if err != nil {
		return err
	}
	d := &groupData{Group: g, Axis: p.Process.Axis(g.AxisID)}
	page := max(1, int(atoi(r.URL.Query().Get("page"))))
	if d.Members, d.Total, err = s.db.GroupMembers(r.Context(), id, page, 50); err != nil {
		return err
	}
	d.PageLinks = pageLinks("/synthese/groupes/"+strconv.FormatInt(id, 10), url.Values{}, page, max(1, (d.Total+49)/50))
	if !p.Form.HasErrors() {
		p.Form.Values.Set("label", g.Label)
	}
	p.Title = p.L.T("groups.kind."+string(g.Kind)) + " · " + g.Name()
	p.Data = d
	s.render(w, r, status, "group", p)
	return nil
}

// groupAction confirms (and names), rejects or splits a group, or answers all its contributions.
func (s *Server) groupAction(w http.ResponseWriter, r *http.Request) error {
	u, err := requireOrganiser(w, r)
	if u == nil {
		return err
	}
	p := s.page(r, "groups.title")
	if p.Process == nil {
		return errNotFound
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	ctx := r.Context()
	back := "/synthese/groupes/" + strconv.FormatInt(id, 10)
	flash := "flash.group_saved"
	switch r.PathValue("action") {
	case "confirmer":
		err = s.db.ConfirmGroup(ctx, p.Process.ID, id, p.Form.Get("label"))
	case "rejeter":
		err = s.db.RejectGroup(ctx, p.Process.ID, id)
		back = "/synthese/groupes"
	case "scinder":
		var members []int64
		for _, v := range p.Form.Values["members"] {
			members = append(members, atoi(v))
		}
		var newID int64
		if newID, err = s.db.SplitGroup(ctx, p.Process.ID, id, members); err == nil {
			back = "/synthese/groupes/" + strconv.FormatInt(newID, 10)
		}
	case "reponse":
		if _, err = s.db.Group(ctx, p.Process.ID, id); err != nil {
			return err
		}
		var ids []int64
		if ids, err = s.db.GroupMemberIDs(ctx, id); err == nil {
			_, err = s.db.Answer(ctx, p.Process.ID, ids, answerFrom(p.Form), u.ID)
		}
		flash = "flash.answered_bulk"
	default:
		return errNotFound
	}
	if err != nil {
		if p.Form.Refused(err) {
			return s.groupWith(w, r, p, http.StatusUnprocessableEntity)
		}
		return err
	}
	s.forgetProcess()
	s.flash(w, r, flash)
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// groupsMerge merges the ticked groups into the first.
func (s *Server) groupsMerge(w http.ResponseWriter, r *http.Request) error {
	u, err := requireOrganiser(w, r)
	if u == nil {
		return err
	}
	p := s.page(r, "groups.title")
	if p.Process == nil {
		return errNotFound
	}
	if err := r.ParseForm(); err != nil {
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	var ids []int64
	for _, v := range r.PostForm["groups"] {
		ids = append(ids, atoi(v))
	}
	into, err := s.db.MergeGroups(r.Context(), p.Process.ID, ids)
	if err != nil {
		if e := (*ouvert.Error)(nil); errors.As(err, &e) && e.Field != "" {
			s.flash(w, r, e.Message)
			http.Redirect(w, r, safeNext(r.PostFormValue("next"), "/synthese/groupes"), http.StatusSeeOther)
			return nil
		}
		return err
	}
	s.flash(w, r, "flash.groups_merged")
	http.Redirect(w, r, "/synthese/groupes/"+strconv.FormatInt(into, 10), http.StatusSeeOther)
	return nil
}

// regroupNow starts a run of the grouping in the background and comes back to the groups.
func (s *Server) regroupNow(w http.ResponseWriter, r *http.Request) error {
	u, err := requireOrganiser(w, r)
	if u == nil {
		return err
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		if err := s.Regroup(ctx); err != nil {
			s.log.Error("grouping", "err", err)
		}
	}()
	s.flash(w, r, "flash.regrouping")
	http.Redirect(w, r, "/synthese/groupes", http.StatusSeeOther)
	return nil
}

//go:embed method/fr.md
var methodFR string

//go:embed method/en.md
var methodEN string

// method explains in plain words how contributions are grouped, with the measured quality of the
// duplicate detection: a public page.
func (s *Server) method(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "method.title")
	text := methodFR
	if p.L.Lang == "en" {
		text = methodEN
	}
	p.Data = s.md.HTML(text)
	s.render(w, r, http.StatusOK, "method", p)
	return nil
}

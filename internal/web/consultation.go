package web

import (
	"crypto/sha256"
	"encoding/binary"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/textsearch"
)

const perPage = 20

// listData is a page of the consultation's contributions.
type listData struct {
	Items      []*ouvert.Contribution
	Total      int
	Page       int
	Pages      int
	Axis       *ouvert.Axis
	Theme      *ouvert.Theme
	Origin     string
	Response   string
	Sort       string
	Query      string
	Search     bool
	Controls   template.HTML // the tabs, filters and status line, written by listControls
	Cards      template.HTML // the items, written by cards
	Open       bool          // the ideation phase is open
	Closed     string        // why writing is refused, a message key
	Hidden     map[string]int
	PageLinks  []pageLink
	FilterArgs url.Values
}

type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

// visitorSeed gives each visitor a stable starting point in the random order: from their
// session cookie if any, else their address and browser.
func (s *Server) visitorSeed(r *http.Request) int32 {
	key := s.clientIP(r) + r.UserAgent()
	if c, err := r.Cookie(sessionCookie); err == nil {
		key = c.Value
	}
	h := sha256.Sum256([]byte("shuffle:" + key))
	return int32(binary.BigEndian.Uint32(h[:4]) & 0x7fffffff)
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// consultation lists the contributions of the process, with filters, orders, search and pages.
func (s *Server) consultation(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "consultation.title")
	if p.Process == nil {
		return errNotFound
	}
	q := r.URL.Query()
	d := &listData{Sort: q.Get("tri"), Query: strings.TrimSpace(q.Get("q")), Origin: q.Get("origine"), FilterArgs: url.Values{}}
	if d.Sort != store.SortDiscussed && d.Sort != store.SortNewest && d.Sort != store.SortRandom {
		d.Sort = store.SortAgree
	}
	f := store.ContributionFilter{ProcessID: p.Process.ID, Sort: d.Sort, Seed: s.visitorSeed(r), PerPage: perPage}
	if id := atoi(q.Get("axe")); id != 0 {
		if d.Axis = p.Process.Axis(id); d.Axis == nil {
			return errNotFound
		}
		f.AxisID = id
		d.FilterArgs.Set("axe", q.Get("axe"))
	}
	if id := atoi(q.Get("theme")); id != 0 {
		if d.Theme = p.Process.Theme(id); d.Theme == nil {
			return errNotFound
		}
		f.ThemeID = id
		d.FilterArgs.Set("theme", q.Get("theme"))
	}
	switch ouvert.Origin(d.Origin) {
	case "":
	case ouvert.OriginOnline, ouvert.OriginEvent, ouvert.OriginFacilitated:
		f.Origin = ouvert.Origin(d.Origin)
		d.FilterArgs.Set("origine", d.Origin)
	default:
		d.Origin = ""
	}
	if r, ok := ouvert.ParseResponse(q.Get("reponse")); ok {
		f.Response, d.Response = r, string(r)
		d.FilterArgs.Set("reponse", d.Response)
	}
	d.Page = int(atoi(q.Get("page")))
	if d.Page < 1 {
		d.Page = 1
	}
	f.Page = d.Page
	ctx := r.Context()
	var err error
	var titles, extracts map[int64]template.HTML
	var mine map[int64]int
	if d.Query != "" {
		d.Search = true
		d.FilterArgs.Set("q", d.Query)
		query := textsearch.ParseQuery(d.Query)
		d.Items, d.Total, err = s.db.SearchContributions(ctx, p.Process.ID, query, d.Page, perPage)
		titles, extracts = map[int64]template.HTML{}, map[int64]template.HTML{}
		h := textsearch.NewHighlighter(query)
		for _, c := range d.Items {
			titles[c.ID] = h.Highlight(c.Title, 0)
			extracts[c.ID] = h.Highlight(c.Body, 240)
		}
	} else {
		d.FilterArgs.Set("tri", d.Sort)
		d.Items, d.Total, err = s.db.Contributions(ctx, f)
	}
	if err != nil {
		return err
	}
	d.Pages = (d.Total + perPage - 1) / perPage
	if d.Page > d.Pages && d.Pages > 0 {
		return errNotFound
	}
	d.PageLinks = pageLinks("/consultation", d.FilterArgs, d.Page, d.Pages)
	if p.User != nil {
		ids := make([]int64, len(d.Items))
		for i, c := range d.Items {
			ids[i] = c.ID
		}
		if mine, err = s.db.UserVotes(ctx, p.User.ID, ids); err != nil {
			return err
		}
	}
	d.Closed = ouvert.CanParticipate(p.User, p.Process, p.Now)
	d.Open = d.Closed != "consultation.closed"
	d.Controls = listControls(p, d)
	d.Cards = cards(p, d.Items, titles, extracts, d.Closed == "", mine)
	if d.Hidden, err = s.hiddenCounts(ctx, p.Process.ID); err != nil {
		return err
	}
	if d.Axis != nil {
		p.Title = d.Axis.Title
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "consultation", p)
	return nil
}

// pageLinks returns the links of a pager: the first, the last, and two around the current page.
func pageLinks(base string, args url.Values, page, pages int) []pageLink {
	if pages <= 1 {
		return nil
	}
	var out []pageLink
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < page-2 || n > page+2) {
			continue
		}
		if last != 0 && n > last+1 {
			out = append(out, pageLink{Gap: true})
		}
		v := url.Values{}
		for k, x := range args {
			v[k] = x
		}
		v.Set("page", strconv.Itoa(n))
		out = append(out, pageLink{N: n, URL: base + "?" + v.Encode(), Current: n == page})
		last = n
	}
	return out
}

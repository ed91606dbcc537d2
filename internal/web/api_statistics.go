package web

import (
	"net/http"
	"time"

	"ouvert/internal/geo"
	"ouvert/internal/ouvert"
)

// The participation statistics of a process, as the public dashboard (/tableau-de-bord) shows
// them, from the same figures kept for five minutes.

type apiStatistics struct {
	Process       string           `json:"process"`
	ComputedAt    time.Time        `json:"computed_at"`
	Contributions int              `json:"contributions"`
	Weeks         []apiWeek        `json:"weeks"`
	Axes          []apiAxis        `json:"axes"`
	Publics       []apiPublic      `json:"publics"`
	Origins       []apiOrigin      `json:"origins"`
	Departements  []apiDepartement `json:"departements"`
}

type apiWeek struct {
	Start         string `json:"start"` // the Monday, "2006-01-02"
	Contributions int    `json:"contributions"`
	Votes         int    `json:"votes"`
	Arguments     int    `json:"arguments"`
}

type apiPublic struct {
	Public       string `json:"public"`
	Participants int    `json:"participants"`
}

type apiOrigin struct {
	Origin        string `json:"origin"`
	Contributions int    `json:"contributions"`
}

type apiDepartement struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	Events        int    `json:"events"`
	Registrations int    `json:"registrations"`
	Contributions int    `json:"contributions"`
}

// dashboardOrigins are the origins the dashboard counts: online, each kind of event, typed in by
// a facilitator.
var dashboardOrigins = []string{"online", "open_ministry", "relay_workshop", "launch", "facilitated"}

func (s *Server) apiStatistics(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := s.db.ProcessBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	st, err := s.dashboardStats(r, p.ID)
	if err != nil {
		return nil, err
	}
	out := apiStatistics{Process: p.Slug, ComputedAt: st.At.UTC(), Contributions: p.Contributions, Weeks: []apiWeek{},
		Axes: []apiAxis{}, Publics: []apiPublic{}, Origins: []apiOrigin{}, Departements: []apiDepartement{}}
	for _, wk := range weekly(st.Days) {
		out.Weeks = append(out.Weeks, apiWeek{wk.start.Format("2006-01-02"), wk.Contributions, wk.Votes, wk.Arguments})
	}
	for _, a := range p.Axes {
		out.Axes = append(out.Axes, apiAxis{a.ID, a.Position, a.Title, a.Contributions})
	}
	for _, c := range ouvert.Categories {
		out.Publics = append(out.Publics, apiPublic{string(c), st.Participants[string(c)]})
	}
	for _, o := range dashboardOrigins {
		out.Origins = append(out.Origins, apiOrigin{o, st.Origins[o]})
	}
	for _, dep := range geo.Departements() {
		if c := st.Departements[dep.Code]; c != nil {
			out.Departements = append(out.Departements, apiDepartement{dep.Code, dep.Name, c.Events, c.Registrations, c.Contributions})
		}
	}
	return out, nil
}

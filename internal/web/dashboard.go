package web

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"ouvert/internal/chart"
	"ouvert/internal/csvsafe"
	"ouvert/internal/geo"
	"ouvert/internal/i18n"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// dashboardTTL is how long the dashboard's figures are kept: computing them reads every vote.
const dashboardTTL = 5 * time.Minute

// dashboardCache keeps the last figures of a process; one request at a time computes them.
type dashboardCache struct {
	mu        sync.Mutex
	processID int64
	stats     *store.Dashboard
	at        time.Time
}

// dashboardStats returns the figures of a process, computed at most once every dashboardTTL.
func (s *Server) dashboardStats(r *http.Request, processID int64) (*store.Dashboard, error) {
	c := &s.stats
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stats != nil && c.processID == processID && time.Since(c.at) < dashboardTTL {
		return c.stats, nil
	}
	st, err := s.db.DashboardStats(r.Context(), processID)
	if err != nil {
		return nil, err
	}
	c.processID, c.stats, c.at = processID, st, time.Now()
	return st, nil
}

// dashboardTable is one table of the dashboard, drawn as a chart above it and offered as CSV.
type dashboardTable struct {
	Name    string // the CSV's name, and the chart's id
	Title   string
	Columns []string
	Rows    []dashboardRow
	Chart   template.HTML
}

type dashboardRow struct {
	Label  string
	Link   string
	Values []int
}

// dashboardTables builds the dashboard's tables in the reader's language: participation week by
// week, by axis, by public category, by origin and by département.
func dashboardTables(st *store.Dashboard, p *ouvert.Process, l *i18n.Locale) []dashboardTable {
	var tables []dashboardTable

	weeks := dashboardTable{Name: "semaines", Title: l.T("dashboard.weeks"),
		Columns: []string{l.T("dashboard.week"), l.T("figures.contributions"), l.T("figures.votes"), l.T("figures.arguments")}}
	for _, w := range weekly(st.Days) {
		weeks.Rows = append(weeks.Rows, dashboardRow{Label: w.start.Format("2006-01-02"), Values: []int{w.Contributions, w.Votes, w.Arguments}})
	}
	tables = append(tables, weeks)

	axes := dashboardTable{Name: "axes", Title: l.T("dashboard.axes"), Columns: []string{l.T("responses.axis"), l.T("figures.contributions")}}
	for _, a := range p.Axes {
		axes.Rows = append(axes.Rows, dashboardRow{Label: l.T("consultation.axis", a.Position) + " " + a.Title,
			Link: "/consultation?axe=" + strconv.FormatInt(a.ID, 10), Values: []int{a.Contributions}})
	}
	tables = append(tables, axes)

	publics := dashboardTable{Name: "publics", Title: l.T("dashboard.publics"), Columns: []string{l.T("dashboard.public"), l.T("figures.participants")}}
	for _, c := range ouvert.Categories {
		publics.Rows = append(publics.Rows, dashboardRow{Label: l.T("category." + string(c)), Values: []int{st.Participants[string(c)]}})
	}
	tables = append(tables, publics)

	origins := dashboardTable{Name: "origines", Title: l.T("dashboard.origins"), Columns: []string{l.T("consultation.origin"), l.T("figures.contributions")}}
	for _, o := range dashboardOrigins {
		origins.Rows = append(origins.Rows, dashboardRow{Label: l.T("figures.origin." + o), Values: []int{st.Origins[o]}})
	}
	tables = append(tables, origins)

	deps := dashboardTable{Name: "departements", Title: l.T("dashboard.departements"),
		Columns: []string{l.T("dashboard.departement"), l.T("dashboard.events"), l.T("dashboard.registrations"), l.T("figures.contributions")}}
	for _, dep := range geo.Departements() {
		if c := st.Departements[dep.Code]; c != nil {
			deps.Rows = append(deps.Rows, dashboardRow{Label: dep.Name + " (" + dep.Code + ")",
				Link: "/evenements?departement=" + dep.Code + "&passes=1", Values: []int{c.Events, c.Registrations, c.Contributions}})
		}
	}
	tables = append(tables, deps)
	return tables
}

type week struct {
	start time.Time
	store.DayCounts
}

// weekly sums days into weeks starting on Monday, without gaps from the first to the last.
func weekly(days map[string]*store.DayCounts) []week {
	byStart := map[time.Time]*week{}
	var first, last time.Time
	for k, c := range days {
		d, err := time.Parse("2006-01-02", k)
		if err != nil {
			continue
		}
		start := d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
		w := byStart[start]
		if w == nil {
			w = &week{start: start}
			byStart[start] = w
		}
		w.Contributions += c.Contributions
		w.Votes += c.Votes
		w.Arguments += c.Arguments
		if first.IsZero() || start.Before(first) {
			first = start
		}
		if start.After(last) {
			last = start
		}
	}
	var out []week
	for t := first; !first.IsZero() && !t.After(last); t = t.AddDate(0, 0, 7) {
		if w := byStart[t]; w != nil {
			out = append(out, *w)
		} else {
			out = append(out, week{start: t})
		}
	}
	return out
}

type dashboardData struct {
	At     time.Time
	Tables []dashboardTable
	Map    template.HTML
}

// dashboard shows participation as server-drawn charts, each with its data table and CSV.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "dashboard.title")
	if p.Process == nil {
		return errNotFound
	}
	st, err := s.dashboardStats(r, p.Process.ID)
	if err != nil {
		return err
	}
	d := dashboardData{At: st.At, Tables: dashboardTables(st, p.Process, p.L)}
	opt := func(t dashboardTable) chart.Options {
		return chart.Options{ID: "chart-" + t.Name, Title: t.Title, Empty: p.L.T("dashboard.no_data"), Locale: p.L.Lang}
	}
	for i := range d.Tables {
		t := &d.Tables[i]
		switch t.Name {
		case "semaines":
			series := make([]chart.Series, len(t.Columns)-1)
			for j := range series {
				series[j].Name = t.Columns[j+1]
				for _, row := range t.Rows {
					day, _ := time.Parse("2006-01-02", row.Label)
					series[j].Points = append(series[j].Points, chart.Point{Label: p.L.Date(day), Value: float64(row.Values[j])})
				}
			}
			t.Chart = chart.Lines(opt(*t), series)
		case "departements":
			counts := map[string]int{}
			for code, c := range st.Departements {
				counts[code] = c.Events
			}
			d.Map = geo.MapSVG(counts, func(code string) string { return "/evenements?departement=" + code + "&passes=1" }, func(code string, n int) string {
				dep, _ := geo.DepartementByCode(code)
				return fmt.Sprintf("%s (%s) : %s", dep.Name, code, p.L.N("events.count", n))
			}, t.Title)
		default:
			points := make([]chart.Point, len(t.Rows))
			for j, row := range t.Rows {
				points[j] = chart.Point{Label: row.Label, Value: float64(row.Values[0])}
			}
			t.Chart = chart.Bars(opt(*t), points)
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "dashboard", p)
	return nil
}

// dashboardCSV serves one table of the dashboard as CSV, with the same figures as the page.
func (s *Server) dashboardCSV(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "dashboard.title")
	if p.Process == nil {
		return errNotFound
	}
	st, err := s.dashboardStats(r, p.Process.ID)
	if err != nil {
		return err
	}
	tables := dashboardTables(st, p.Process, p.L)
	i := slices.IndexFunc(tables, func(t dashboardTable) bool { return t.Name+".csv" == r.PathValue("name") })
	if i < 0 {
		return errNotFound
	}
	t := tables[i]
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="tableau-de-bord-`+t.Name+`.csv"`)
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(t.Columns...); err != nil {
		return err
	}
	for _, row := range t.Rows {
		rec := []string{row.Label}
		for _, v := range row.Values {
			rec = append(rec, strconv.Itoa(v))
		}
		if err := cw.Write(rec...); err != nil {
			return err
		}
	}
	return cw.Flush()
}

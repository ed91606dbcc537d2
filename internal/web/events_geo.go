package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"sync"

	"ouvert/internal/geo"
	"ouvert/internal/i18n"
	"ouvert/internal/store"
)

// Most of the cost of the events list is drawing a map of France and two tables from the counts
// of events per département, and offering the 101 départements to choose from; most of the cost
// of the calendar feed is reading and writing up to 200 events. None of them changes often, so
// each is made once and kept: the map and its tables, and the feed, by the stamp of the figures
// behind the list (store.EventList.Stamp, which changes when any event it selects changes or
// ends) and the language or the département; the départements by the one chosen.

// fragmentKey names a kept fragment.
type fragmentKey struct {
	what  string // "geo", "deps" or "feed"
	stamp uint64 // the figures' stamp, for "geo" and "feed"
	name  string // the language, for "geo"; the calendar's name, for "feed"
	dep   string // the département chosen, for "deps" and "feed"
}

// maxFragments bounds the fragments kept: past it, they are made again as asked.
const maxFragments = 256

type fragments struct {
	mu sync.Mutex
	m  map[fragmentKey]string
}

// get returns the fragment kept under key, making and keeping it the first time.
func (c *fragments) get(key fragmentKey, build func() (string, error)) (string, error) {
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := build()
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxFragments {
		c.m = map[fragmentKey]string{}
	}
	c.m[key] = v
	c.mu.Unlock()
	return v, nil
}

// geoView is what the "events_geo" template draws.
type geoView struct {
	L        *i18n.Locale
	Map      template.HTML
	Counts   []depCount // metropolitan départements with events
	Overseas []depCount
}

// eventsGeo returns the map of a list's events and the tables that repeat it. Its links keep the
// list's filters (args), which the figures' stamp implies, and choose a département.
func (s *Server) eventsGeo(p *page, list *store.EventList, args url.Values) (template.HTML, error) {
	draw := func() (string, error) {
		link := func(code string) string {
			v := url.Values{}
			for k, x := range args {
				v[k] = x
			}
			v.Set("departement", code)
			return "/evenements?" + v.Encode() + "#liste"
		}
		g := geoView{L: p.L}
		for _, dep := range geo.Departements() {
			if n := list.Counts[dep.Code]; n > 0 {
				c := depCount{Code: dep.Code, Name: dep.Name, N: n, URL: link(dep.Code)}
				if dep.Overseas {
					g.Overseas = append(g.Overseas, c)
				} else {
					g.Counts = append(g.Counts, c)
				}
			}
		}
		g.Map = geo.MapSVG(list.Counts, link, func(code string, n int) string {
			dep, _ := geo.DepartementByCode(code)
			return fmt.Sprintf("%s (%s) : %s", dep.Name, code, p.L.N("events.count", n))
		}, p.L.T("events.map_title"))
		return s.renderFragment("events_geo", g)
	}
	var h string
	var err error
	if list.Stamp == 0 {
		h, err = draw()
	} else {
		h, err = s.fragments.get(fragmentKey{what: "geo", stamp: list.Stamp, name: p.L.Lang}, draw)
	}
	return template.HTML(h), err
}

// depOptions returns the <option>s of the départements, dep chosen (a valid code, or "").
func (s *Server) depOptions(dep string) (template.HTML, error) {
	h, err := s.fragments.get(fragmentKey{what: "deps", dep: dep}, func() (string, error) {
		return s.renderFragment("dep_options", struct {
			Deps     []geo.Departement
			Selected string
		}{geo.Departements(), dep})
	})
	return template.HTML(h), err
}

// renderFragment renders a template that the events page defines.
func (s *Server) renderFragment(name string, data any) (string, error) {
	var b bytes.Buffer
	if err := s.tmpl.pages["events"].ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("web: render %s: %w", name, err)
	}
	return b.String(), nil
}

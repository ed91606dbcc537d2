package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"ouvert/internal/geo"
	"ouvert/internal/i18n"
	"ouvert/internal/ouvert"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// templates holds one parsed set per page: the layout plus that page's file.
type templates struct {
	pages map[string]*template.Template
}

var funcs = template.FuncMap{
	"field": func(p *page, name, typ, labelKey string, required bool, autocomplete string) field {
		return field{Page: p, Name: name, Type: typ, Label: labelKey, Required: required, Autocomplete: autocomplete}
	},
	"hintfield": func(f field, hintKey string) field { f.Hint = hintKey; return f },
	"lastDay":   func(t time.Time) time.Time { return t.Add(-time.Second) },
	"roleKey":   func(r ouvert.Role) string { return "role." + string(r) },
	"catKey":    func(c ouvert.Category) string { return "category." + string(c) },
	"phaseKey":  func(k ouvert.PhaseKind) string { return "phase." + string(k) },
	"inc":       func(i int) int { return i + 1 },
	// categories lists the public categories a field offers: organisations are not citizens.
	"categories": func(field string) []ouvert.Category {
		if strings.HasPrefix(field, "org_") {
			return ouvert.Categories[1:]
		}
		return ouvert.Categories
	},
	"header":    pageHeader,
	"themes":    themeChoices,
	"footer":    pageFooter,
	"byline":    bylineHTML,
	"counts":    countsHTML,
	"voteform":  voteFormHTML,
	"pager":     pagerHTML,
	"report":    reportHTML,
	"origins":   func() []ouvert.Origin { return ouvert.Origins },
	"responses": func() []ouvert.Response { return ouvert.Responses },
	"dvote": func(p *page, action, section, legend string, mine *int, agree, mixed, disagree int, open bool) dvoteView {
		return dvoteView{Page: p, Action: action, Section: section, Legend: legend, Mine: mine, Agree: agree, Mixed: mixed, Disagree: disagree, Open: open}
	},
	"sections":  func() []string { return ouvert.Sections },
	"ogpValues": func() []string { return ouvert.OGPValues },
	"decisions": func() []string {
		return []string{ouvert.AmendmentAccepted, ouvert.AmendmentAcceptedModified, ouvert.AmendmentRejected}
	},
	"amendmentStatuses": func() []string {
		return []string{ouvert.AmendmentOpen, ouvert.AmendmentAccepted, ouvert.AmendmentAcceptedModified, ouvert.AmendmentRejected}
	},
	"dec":               func(i int) int { return i - 1 },
	"completions":       func() []string { return ouvert.Completions },
	"planStatuses":      func() []string { return ouvert.PlanStatuses },
	"milestoneStatuses": func() []string { return ouvert.MilestoneStatuses },
	"updateLine":        func(p *page, u *ouvert.CommitmentUpdate) updateView { return updateView{Page: p, U: u} },
	// decimal writes a number with one decimal in the reader's way: 4,5 in French, 4.5 in English.
	"decimal": func(p *page, f float64) string {
		s := strconv.FormatFloat(f, 'f', 1, 64)
		if p.L.Lang == "fr" {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	},
	"list":           func(xs ...string) []string { return xs },
	"deref":          func(v *int) int { return *v },
	"answerable":     func() []ouvert.Response { return ouvert.Responses },
	"workspaceSorts": func() []string { return []string{"newest", "oldest", "agree", "discussed"} },
	"synthesisState": func(p *page, s *ouvert.Synthesis) synthesisView { return synthesisView{Page: p, S: s} },
	"voteValues":     func() []string { return []string{"agree", "mixed", "disagree"} },
	"voteName":       ouvert.VoteName,
	"stances":        func() []string { return []string{ouvert.StanceFor, ouvert.StanceAgainst, ouvert.StanceNeutral} },
	"summary":        summarise,
	"eventKinds": func() []ouvert.EventKind {
		return []ouvert.EventKind{ouvert.EventOpenMinistry, ouvert.EventRelay, ouvert.EventLaunch}
	},
	"accessFeatures":    func() []string { return ouvert.AccessibilityFeatures },
	"registrationModes": func() []string { return ouvert.RegistrationModes },
	"geoAttribution":    func() string { return geo.Attribution },
	"kb":                func(n int) int { return (n + 1023) / 1024 },
	"int":               func(n int64) int { return int(n) },
	"atoi":              func(s string) int { n, _ := strconv.Atoi(s); return n },
}

// summaryView is the error summary of a refused form.
type summaryView struct {
	Page  *page
	Items []summaryItem
}

type summaryItem struct{ Name, Key string }

// summarise lists a form's errors in the order of its fields (names), then any other field's
// error in name order, so that the summary reads as the form does.
func summarise(p *page, names ...string) summaryView {
	v := summaryView{Page: p}
	seen := map[string]bool{}
	for _, n := range names {
		if key := p.Form.Err(n); key != "" {
			v.Items = append(v.Items, summaryItem{n, key})
			seen[n] = true
		}
	}
	rest := make([]string, 0, len(p.Form.Errors))
	for n := range p.Form.Errors {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	for _, n := range rest {
		v.Items = append(v.Items, summaryItem{n, p.Form.Errors[n]})
	}
	return v
}

// parseTemplates parses every page at start, failing fast if one is broken.
func parseTemplates() (*templates, error) {
	t := &templates{pages: map[string]*template.Template{}}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		clone, err := layout.Clone()
		if err != nil {
			return nil, err
		}
		if t.pages[name], err = clone.ParseFS(templateFS, f); err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", f, err)
		}
	}
	return t, nil
}

// page is what every template receives.
type page struct {
	L       *i18n.Locale
	User    *ouvert.User
	Process *ouvert.Process
	Title   string
	Path    string // the current path with its query, for "next" links
	Flash   string // a message key
	Form    *form
	Data    any
	Now     time.Time
	CSS     string
	Unread  int // the signed-in person's unread notifications
}

// page starts the data of a page for r.
func (s *Server) page(r *http.Request, titleKey string) *page {
	p := &page{
		User: currentUser(r),
		Path: pagePath(r),
		Now:  s.db.Now(),
		CSS:  cssPath,
		Form: &form{Values: url.Values{}, Errors: ouvert.FieldErrors{}},
	}
	loc := time.UTC
	if proc, err := s.process(r.Context()); err == nil {
		p.Process = proc
		loc = proc.Location()
	}
	p.L = s.cat.Locale(currentLang(r), loc)
	if titleKey != "" {
		p.Title = p.L.T(titleKey)
	}
	return p
}

// pagePath is the address forms on a page come back to ("next"): the page itself for a GET, and
// for a refused form shown in answer to a POST, the same-site page the form was on, since the
// POST's own address may have no page.
func pagePath(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return r.URL.RequestURI()
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
		return safeNext(ref.RequestURI(), "/")
	}
	return "/"
}

// render writes a page. It renders into a buffer first, so that a template error becomes a
// clean 500 page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := s.tmpl.pages[name]
	if !ok {
		s.log.Error("render: no such page", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	// Counted here rather than in page(): handlers that only redirect never pay for it.
	if p.User != nil {
		if n, err := s.db.UnreadNotifications(r.Context(), p.User.ID); err == nil {
			p.Unread = n
		}
	}
	if c, err := r.Cookie(flashCookie); err == nil && p.Flash == "" && s.cat.Has(c.Value) {
		p.Flash = c.Value
		s.clearCookie(w, r, flashCookie)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.log.Error("render", "page", name, "err", err)
		if name != "error" {
			s.renderError(w, r, err)
			return
		}
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.L.Lang)
	if p.User != nil || r.Method != http.MethodGet {
		h.Set("Cache-Control", "private, no-store")
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// form holds what a person typed and what was wrong with it, so that a refused form comes back
// with everything they typed.
type form struct {
	Values url.Values
	Errors ouvert.FieldErrors
}

// Get returns the typed value of a field.
func (f *form) Get(name string) string { return f.Values.Get(name) }

// Err returns the message key of a field's error, or "".
func (f *form) Err(name string) string { return f.Errors[name] }

// Has reports whether a multi-valued field holds value.
func (f *form) Has(name, value string) bool {
	for _, v := range f.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}

// HasErrors reports whether the form was refused.
func (f *form) HasErrors() bool { return len(f.Errors) > 0 }

// Refused records on the form the field errors that err carries (one *ouvert.Error with a field,
// or a *ouvert.ValidationError with several) and reports whether there were any: the handler
// then shows the form again rather than an error page.
func (f *form) Refused(err error) bool {
	var v *ouvert.ValidationError
	var e *ouvert.Error
	switch {
	case errors.As(err, &v):
		for field, key := range v.Fields {
			f.Errors.Add(field, key)
		}
		return len(v.Fields) > 0
	case errors.As(err, &e) && e.Field != "":
		f.Errors.Add(e.Field, e.Message)
		return true
	}
	return false
}

// dvoteView is the vote form and counts of a draft, a section or an amendment.
type dvoteView struct {
	Page                    *page
	Action, Section, Legend string
	Mine                    *int
	Agree, Mixed, Disagree  int
	Open                    bool
}

// updateView is an entry of a commitment's follow-up for the "update-line" template.
type updateView struct {
	Page *page
	U    *ouvert.CommitmentUpdate
}

// synthesisView is a synthesis for the "synthesis-state" template.
type synthesisView struct {
	Page *page
	S    *ouvert.Synthesis
}

// field is one form input for the "field" template.
type field struct {
	Page         *page
	Name, Type   string
	Label, Hint  string
	Required     bool
	Autocomplete string
}

// Value is what the person typed in the field (never a password).
func (f field) Value() string {
	if f.Type == "password" {
		return ""
	}
	return f.Page.Form.Get(f.Name)
}

// Error is the field's error message key.
func (f field) Error() string { return f.Page.Form.Err(f.Name) }

// cssPath is the stylesheet's address, named by its content's hash so that it can be cached for
// a year and still change the day it changes.
var cssPath, cssBody = func() (string, []byte) {
	b, err := staticFS.ReadFile("static/style.css")
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	return "/static/style." + hex.EncodeToString(sum[:6]) + ".css", b
}()

func staticHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != cssPath {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Write(cssBody)
	})
}

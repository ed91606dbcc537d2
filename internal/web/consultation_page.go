package web

import (
	"html/template"
	"strconv"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// The controls of the consultation's list (the axis tabs, the filters and the status line) and
// the pager of every paged list are written here in Go, for the reason the cards are (see
// card.go): through html/template's reflection, their many messages made most of what was left
// of the page's cost. The same rules hold: every value through html.EscapeString, addresses
// built from numbers, our own paths and encoded queries only.

// listSorts are the orders the consultation's list offers, in the order offered.
var listSorts = []string{store.SortAgree, store.SortDiscussed, store.SortNewest, store.SortRandom}

// listControls writes the controls above a page of the consultation's list: the tabs of the
// axes, the filters and search box, and how many contributions there are.
func listControls(p *page, d *listData) template.HTML {
	var w htmlWriter
	w.Grow(4096 + len(p.Process.Themes)*64)
	w.axisTabs(p, d)
	w.WriteString("\n\n")
	w.filters(p, d)
	w.WriteString("\n\n")
	w.listStatus(p, d)
	return template.HTML(w.String())
}

// axisTabs writes a tab per axis, and one for them all, each with its count.
func (w *htmlWriter) axisTabs(p *page, d *listData) {
	w.WriteString(`<nav aria-label="`)
	w.text(p.L.T("consultation.axes_nav"))
	w.WriteString(`">` + "\n  " + `<ul class="tabs">` + "\n    " + `<li><a href="/consultation"`)
	if d.Axis == nil {
		w.WriteString(` aria-current="page"`)
	}
	w.WriteString(`>`)
	w.text(p.L.T("consultation.all_axes"))
	w.WriteString(` (`)
	w.text(p.L.Number(p.Process.Contributions))
	w.WriteString(`)</a></li>` + "\n    ")
	for _, a := range p.Process.Axes {
		w.WriteString(`<li><a href="/consultation?axe=`)
		w.id(a.ID)
		w.WriteString(`"`)
		if d.Axis != nil && d.Axis.ID == a.ID {
			w.WriteString(` aria-current="page"`)
		}
		w.WriteString(`>`)
		w.text(p.L.T("consultation.axis", a.Position))
		w.WriteString(` (`)
		w.text(p.L.Number(a.Contributions))
		w.WriteString(`)</a></li>`)
	}
	w.WriteString("\n  </ul>\n</nav>")
}

// filters writes the form that searches the list, or narrows it to a theme, an origin or a
// response, and orders it.
func (w *htmlWriter) filters(p *page, d *listData) {
	w.WriteString(`<form method="get" action="/consultation" class="filters" role="search">` + "\n  ")
	if d.Axis != nil {
		w.WriteString(`<input type="hidden" name="axe" value="`)
		w.id(d.Axis.ID)
		w.WriteString(`">`)
	}
	w.WriteString("\n  " + `<div class="field"><label for="q">`)
	w.text(p.L.T("consultation.search"))
	w.WriteString("</label>\n    " + `<input id="q" name="q" type="search" value="`)
	w.text(d.Query)
	w.WriteString(`" maxlength="500"></div>` + "\n  " + `<div class="field"><label for="theme">`)
	w.text(p.L.T("consultation.theme"))
	w.WriteString("</label>\n    " + `<select id="theme" name="theme"><option value="">`)
	w.text(p.L.T("consultation.any_theme"))
	w.WriteString("</option>\n    ")
	for _, t := range p.Process.Themes {
		w.WriteString(`<option value="`)
		w.id(t.ID)
		w.WriteString(`"`)
		if d.Theme != nil && d.Theme.ID == t.ID {
			w.WriteString(` selected`)
		}
		w.WriteString(`>`)
		w.text(t.Name)
		w.WriteString(`</option>`)
	}
	w.WriteString("</select></div>\n  ")
	anySelect(w, p, "origine", "consultation.origin", "consultation.any_origin", "origin.", ouvert.Origins, d.Origin)
	w.WriteString("\n  ")
	anySelect(w, p, "reponse", "consultation.response", "consultation.any_response", "response.", ouvert.Responses, d.Response)
	w.WriteString("\n  " + `<div class="field"><label for="tri">`)
	w.text(p.L.T("consultation.sort"))
	w.WriteString("</label>\n    " + `<select id="tri" name="tri">`)
	for _, s := range listSorts {
		w.option(s, d.Sort, p.L.T("sort."+s))
	}
	w.WriteString("</select></div>\n  " + `<button type="submit">`)
	w.text(p.L.T("consultation.apply"))
	w.WriteString("</button>\n</form>")
}

// anySelect writes a labelled select named name, whose first option (value "") is any of values;
// each value's label is the message prefix+value.
func anySelect[T ~string](w *htmlWriter, p *page, name, labelKey, anyKey, prefix string, values []T, chosen string) {
	w.WriteString(`<div class="field"><label for="` + name + `">`)
	w.text(p.L.T(labelKey))
	w.WriteString("</label>\n    " + `<select id="` + name + `" name="` + name + `"><option value="">`)
	w.text(p.L.T(anyKey))
	w.WriteString("</option>\n    ")
	for _, v := range values {
		w.option(string(v), chosen, p.L.T(prefix+string(v)))
	}
	w.WriteString("</select></div>")
}

// option writes an option of a select, selected when its value is the chosen one.
func (w *htmlWriter) option(value, chosen, label string) {
	w.WriteString(`<option value="`)
	w.text(value)
	w.WriteString(`"`)
	if value == chosen {
		w.WriteString(` selected`)
	}
	w.WriteString(`>`)
	w.text(label)
	w.WriteString(`</option>`)
}

// listStatus writes how many contributions the list or the search holds, on which page, and
// says so when a search found nothing.
func (w *htmlWriter) listStatus(p *page, d *listData) {
	w.WriteString(`<p role="status">`)
	if d.Search {
		w.text(p.L.N("consultation.results", d.Total))
	} else {
		w.text(p.L.N("consultation.count", d.Total))
	}
	if d.Pages > 1 {
		w.WriteString(` · `)
		w.text(p.L.T("pager.page_of", d.Page, d.Pages))
	}
	w.WriteString("</p>\n")
	if d.Search && d.Total == 0 {
		w.WriteString(`<p>`)
		w.text(p.L.T("consultation.nothing_found"))
		w.WriteString(`</p>`)
	}
}

// pager writes the links of a paged list (see pageLinks), nothing when it has one page.
func (w *htmlWriter) pager(p *page, links []pageLink) {
	if len(links) == 0 {
		return
	}
	w.WriteString(`<nav aria-label="`)
	w.text(p.L.T("pager.label"))
	w.WriteString(`" class="pager"><ul>`)
	for _, l := range links {
		switch {
		case l.Gap:
			w.WriteString(`<li aria-hidden="true">…</li>`)
		case l.Current:
			w.WriteString(`<li><a href="`)
			w.text(l.URL)
			w.WriteString(`" aria-current="page">` + strconv.Itoa(l.N) + `</a></li>`)
		default:
			w.WriteString(`<li><a href="`)
			w.text(l.URL)
			w.WriteString(`"><span class="visually-hidden">`)
			w.text(p.L.T("pager.page"))
			w.WriteString(` </span>` + strconv.Itoa(l.N) + `</a></li>`)
		}
	}
	w.WriteString(`</ul></nav>`)
}

func pagerHTML(p *page, links []pageLink) template.HTML {
	var w htmlWriter
	w.pager(p, links)
	return template.HTML(w.String())
}

// themeChoices writes the optional themes of a contribution's form as checkboxes, those the
// form holds checked: a process has dozens of themes, and this fieldset through templates cost
// a quarter of the propose form's time.
func themeChoices(p *page) template.HTML {
	if p.Process == nil || len(p.Process.Themes) == 0 {
		return ""
	}
	var w htmlWriter
	w.Grow(512 + len(p.Process.Themes)*128)
	errKey := p.Form.Err("themes")
	w.WriteString("\n" + `<fieldset class="field`)
	if errKey != "" {
		w.WriteString(` field-error`)
	}
	w.WriteString(`" id="themes"`)
	if errKey != "" {
		w.WriteString(` aria-describedby="themes-error"`)
	}
	w.WriteString(">\n  <legend>")
	w.text(p.L.T("propose.themes"))
	w.WriteString(` <span class="optional">`)
	w.text(p.L.T("form.optional"))
	w.WriteString("</span></legend>\n  ")
	if errKey != "" {
		w.fieldError(p, "themes", errKey)
	}
	w.WriteString("\n  " + `<div class="choices-inline">`)
	for _, t := range p.Process.Themes {
		id := strconv.FormatInt(t.ID, 10)
		w.WriteString(`<div class="choice"><input type="checkbox" id="theme-` + id + `" name="themes" value="` + id + `"`)
		if p.Form.Has("themes", id) {
			w.WriteString(` checked`)
		}
		w.WriteString(`><label for="theme-` + id + `">`)
		w.text(t.Name)
		w.WriteString(`</label></div>`)
	}
	w.WriteString("</div>\n</fieldset>")
	return template.HTML(w.String())
}

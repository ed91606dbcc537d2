package web

import (
	"html"
	"html/template"
	"strconv"
	"strings"
	"time"

	"ouvert/internal/ouvert"
)

// A contribution's byline, counts and vote form are written here in Go rather than in templates:
// a list page repeats them twenty times, and html/template's reflection made them most of the
// page's cost. Every value goes through html.EscapeString (text and quoted attributes alike);
// addresses are built from numbers only. The templates call them as byline, counts and voteform.

// htmlWriter is a strings.Builder with an escaping write.
type htmlWriter struct{ strings.Builder }

// text writes s escaped.
func (w *htmlWriter) text(s string) { w.WriteString(html.EscapeString(s)) }

func (w *htmlWriter) id(n int64) { w.WriteString(strconv.FormatInt(n, 10)) }

// fieldError writes a form field's error message, which the field names in aria-describedby.
func (w *htmlWriter) fieldError(p *page, field, key string) {
	w.WriteString(`<p class="error" id="` + field + `-error">`)
	w.text(p.L.T(key))
	w.WriteString(`</p>`)
}

// byline writes who wrote c, when, where it came from and the organisers' response.
func (w *htmlWriter) byline(p *page, c *ouvert.Contribution) {
	switch {
	case c.OrgName != "":
		w.text(c.OrgName)
	case c.AuthorName != "":
		w.text(c.AuthorName)
	default:
		w.text(p.L.T("contribution.deleted_author"))
	}
	if c.OnBehalfOf != "" {
		w.WriteString(" · ")
		w.text(p.L.T("origin.for", c.OnBehalfOf))
	}
	w.WriteString(` · <time datetime="`)
	w.text(p.L.ISO(c.CreatedAt))
	w.WriteString(`">`)
	w.text(p.L.Date(c.CreatedAt))
	w.WriteString(`</time>`)
	if c.OriginEvent != "" {
		w.WriteString(` · <span class="tag">`)
		w.text(p.L.T("origin.from_event"))
		w.WriteString(`</span> <a href="/evenements/`)
		w.id(c.OriginEventID)
		w.WriteString(`">`)
		w.text(c.OriginEvent)
		w.WriteString(`</a>`)
	} else if c.Origin != ouvert.OriginOnline {
		w.WriteString(` · <span class="tag">`)
		w.text(p.L.T("origin." + string(c.Origin)))
		w.WriteString(`</span>`)
	}
	if c.Example {
		w.WriteString(` · <span class="tag">`)
		w.text(p.L.T("contribution.example"))
		w.WriteString(`</span>`)
	}
	if c.Response != ouvert.ResponseReview {
		w.WriteString(` · <span class="tag response-`)
		w.text(string(c.Response))
		w.WriteString(`">`)
		w.text(p.L.T("response." + string(c.Response)))
		w.WriteString(`</span>`)
	}
}

// counts writes c's vote and argument counts.
func (w *htmlWriter) counts(p *page, c *ouvert.Contribution) {
	w.WriteString(`<p class="counts"><span>`)
	w.text(p.L.N("votes.agree", c.Agree))
	w.WriteString(`</span> · <span>`)
	w.text(p.L.N("votes.mixed", c.Mixed))
	w.WriteString(`</span> · <span>`)
	w.text(p.L.N("votes.disagree", c.Disagree))
	w.WriteString(`</span> · <span>`)
	w.text(p.L.N("contribution.arguments", c.Arguments))
	w.WriteString(`</span></p>`)
}

var voteValues = []string{"agree", "mixed", "disagree"}

// voteForm writes the three vote buttons on c, the person's own vote pressed (when has).
func (w *htmlWriter) voteForm(p *page, c *ouvert.Contribution, has bool, mine int) {
	w.WriteString("\n" + `<form method="post" action="/contributions/`)
	w.id(c.ID)
	w.WriteString(`/vote" class="vote" id="vote-`)
	w.id(c.ID)
	w.WriteString(`">` + "\n  " + `<input type="hidden" name="next" value="`)
	w.text(p.Path)
	w.WriteString(`">` + "\n  " + `<fieldset><legend class="visually-hidden">`)
	w.text(p.L.T("vote.legend", c.Title))
	w.WriteString("</legend>\n  ")
	name := ouvert.VoteName(mine)
	for _, v := range voteValues {
		w.WriteString(`<button type="submit" name="value" value="` + v + `" class="vote-` + v + `" aria-pressed="`)
		if has && name == v {
			w.WriteString("true")
		} else {
			w.WriteString("false")
		}
		w.WriteString(`">`)
		w.text(p.L.T("vote." + v))
		w.WriteString("</button> ")
	}
	w.WriteString("\n  </fieldset>\n  ")
	if has {
		w.WriteString(`<p class="my-vote">`)
		w.text(p.L.T("vote.yours", p.L.T("vote."+name)))
		w.WriteString(`</p>`)
	}
	w.WriteString("\n</form>")
}

// card writes one item of a list of contributions: its title (or the highlighted title a search
// made), byline, extract, counts and, while the person may vote, the vote form.
func (w *htmlWriter) card(p *page, c *ouvert.Contribution, title, extract template.HTML, vote bool, mine map[int64]int) {
	w.WriteString("\n  " + `<li class="contribution-card" id="c-`)
	w.id(c.ID)
	w.WriteString(`">` + "\n    " + `<h2 class="card-title"><a href="/contributions/`)
	w.id(c.ID)
	w.WriteString(`">`)
	if title != "" {
		w.WriteString(string(title))
	} else {
		w.text(c.Title)
	}
	w.WriteString("</a></h2>\n    " + `<p class="meta">`)
	w.byline(p, c)
	w.WriteString("</p>\n    ")
	if extract != "" {
		w.WriteString(`<p class="extract">` + string(extract) + "</p>\n    ")
	}
	w.counts(p, c)
	if vote {
		v, has := mine[c.ID]
		w.voteForm(p, c, has, v)
	}
	w.WriteString("\n  </li>")
}

// cards writes the items of a list page (see card). titles and extracts, from a search, hold
// escaped HTML with the words found marked.
func cards(p *page, items []*ouvert.Contribution, titles, extracts map[int64]template.HTML, vote bool, mine map[int64]int) template.HTML {
	var w htmlWriter
	w.Grow(len(items) * 2048)
	for _, c := range items {
		w.card(p, c, titles[c.ID], extracts[c.ID], vote, mine)
	}
	return template.HTML(w.String())
}

func bylineHTML(p *page, c *ouvert.Contribution) template.HTML {
	var w htmlWriter
	w.byline(p, c)
	return template.HTML(w.String())
}

func countsHTML(p *page, c *ouvert.Contribution) template.HTML {
	var w htmlWriter
	w.counts(p, c)
	return template.HTML(w.String())
}

// voteFormHTML writes the vote form of a contribution's own page; mine is nil without a vote.
func voteFormHTML(p *page, c *ouvert.Contribution, mine *int) template.HTML {
	var w htmlWriter
	if mine == nil {
		w.voteForm(p, c, false, 0)
	} else {
		w.voteForm(p, c, true, *mine)
	}
	return template.HTML(w.String())
}

// report writes the form that reports a contribution or an argument to the moderators.
func (w *htmlWriter) report(p *page, typ string, id int64) {
	w.WriteString("\n" + `<details class="report"><summary>`)
	w.text(p.L.T("report.summary"))
	w.WriteString("</summary>\n" + `<form method="post" action="/signaler">` + "\n  " + `<input type="hidden" name="type" value="`)
	w.text(typ)
	w.WriteString(`"><input type="hidden" name="id" value="`)
	w.id(id)
	w.WriteString(`"><input type="hidden" name="next" value="`)
	w.text(p.Path)
	suffix := html.EscapeString(typ) + "-" + strconv.FormatInt(id, 10)
	w.WriteString(`">` + "\n  " + `<label for="reason-` + suffix + `">`)
	w.text(p.L.T("report.reason"))
	w.WriteString("</label>\n  " + `<select id="reason-` + suffix + `" name="reason">`)
	for _, r := range ouvert.ReportReasons {
		w.WriteString(`<option value="`)
		w.text(r)
		w.WriteString(`">`)
		w.text(p.L.T("reason." + r))
		w.WriteString(`</option>`)
	}
	w.WriteString("</select>\n  " + `<label for="detail-` + suffix + `">`)
	w.text(p.L.T("report.detail"))
	w.WriteString(` <span class="optional">`)
	w.text(p.L.T("form.optional"))
	w.WriteString("</span></label>\n  " + `<input id="detail-` + suffix + `" name="detail" type="text" maxlength="500">` + "\n  " +
		`<button type="submit" class="secondary">`)
	w.text(p.L.T("report.submit"))
	w.WriteString("</button>\n</form></details>")
}

func reportHTML(p *page, typ string, id int64) template.HTML {
	var w htmlWriter
	w.report(p, typ, id)
	return template.HTML(w.String())
}

// author writes an argument's author's name, or says the account was deleted.
func (w *htmlWriter) author(p *page, a *ouvert.Argument) {
	if a.AuthorName != "" {
		w.text(a.AuthorName)
	} else {
		w.text(p.L.T("contribution.deleted_author"))
	}
}

func (w *htmlWriter) time(p *page, t time.Time) {
	w.WriteString(`<time datetime="`)
	w.text(p.L.ISO(t))
	w.WriteString(`">`)
	w.text(p.L.Date(t))
	w.WriteString(`</time>`)
}

// argumentList is what the arguments of a contribution's page need besides the page.
type argumentList struct {
	C         *ouvert.Contribution
	Arguments []*ouvert.Argument
	Bodies    map[int64]template.HTML // rendered Markdown
	Useful    map[int64]bool          // the arguments the person marked useful
	Open      bool                    // the person may argue, reply and mark useful now
}

// arguments writes a page of arguments with their replies, and the forms to react to them.
func (w *htmlWriter) arguments(p *page, l *argumentList) {
	w.WriteString(`<ol class="argument-list">`)
	for _, a := range l.Arguments {
		w.WriteString("\n    " + `<li id="argument-`)
		w.id(a.ID)
		w.WriteString(`" class="argument stance-`)
		w.text(a.Stance)
		w.WriteString(`">` + "\n      ")
		mine := p.User != nil && p.User.ID == a.AuthorID
		if a.Status == ouvert.StatusPublished {
			w.WriteString(`<p class="meta"><span class="tag">`)
			w.text(p.L.T("stance." + a.Stance))
			w.WriteString(`</span> `)
			w.author(p, a)
			w.WriteString(` · `)
			w.time(p, a.CreatedAt)
			if a.EditedAt != nil {
				w.WriteString(` · <a href="/arguments/`)
				w.id(a.ID)
				w.WriteString(`/historique">`)
				w.text(p.L.T("contribution.edited"))
				w.WriteString(`</a>`)
			}
			if a.Example {
				w.WriteString(` · <span class="tag">`)
				w.text(p.L.T("contribution.example"))
				w.WriteString(`</span>`)
			}
			w.WriteString("</p>\n      " + `<div class="prose">` + string(l.Bodies[a.ID]) + "</div>\n      " + `<p class="meta">`)
			w.text(p.L.N("argument.useful_count", a.Useful))
			w.WriteString("</p>\n      ")
			if p.User != nil && l.Open {
				if !mine {
					w.WriteString(`<form method="post" action="/arguments/`)
					w.id(a.ID)
					w.WriteString(`/utile" class="inline"><input type="hidden" name="next" value="`)
					w.text(p.Path)
					w.WriteString(`"><button type="submit" class="secondary" aria-pressed="` + strconv.FormatBool(l.Useful[a.ID]) + `">`)
					w.text(p.L.T("argument.useful"))
					w.WriteString(`<span class="visually-hidden"> – `)
					w.text(p.L.T("argument.by", a.AuthorName))
					w.WriteString(`</span></button></form>`)
				} else {
					w.WriteString(`<a href="/arguments/`)
					w.id(a.ID)
					w.WriteString(`/modifier">`)
					w.text(p.L.T("argument.edit"))
					w.WriteString(`</a>`)
				}
			}
			if p.User != nil && !mine {
				w.report(p, "argument", a.ID)
			}
		} else {
			w.hiddenArgument(p, a)
		}
		if len(a.Thread) > 0 {
			w.WriteString(`<ol class="replies">`)
			for _, r := range a.Thread {
				w.WriteString(`<li id="argument-`)
				w.id(r.ID)
				w.WriteString(`" class="reply">` + "\n        ")
				if r.Status == ouvert.StatusPublished {
					w.WriteString(`<p class="meta">`)
					w.author(p, r)
					w.WriteString(` · `)
					w.time(p, r.CreatedAt)
					w.WriteString("</p>\n        " + `<div class="prose">` + string(l.Bodies[r.ID]) + "</div>\n        ")
					if p.User != nil && p.User.ID != r.AuthorID {
						w.report(p, "argument", r.ID)
					}
				} else {
					w.hiddenArgument(p, r)
				}
				w.WriteString("\n      </li>")
			}
			w.WriteString(`</ol>`)
		}
		if l.Open && l.C.Visible() && a.Status == ouvert.StatusPublished {
			w.replyForm(p, l.C, a)
		}
		w.WriteString("\n    </li>")
	}
	if len(l.Arguments) == 0 {
		w.WriteString(`<li>`)
		w.text(p.L.T("arguments.none"))
		w.WriteString(`</li>`)
	}
	w.WriteString("\n  </ol>")
}

func (w *htmlWriter) hiddenArgument(p *page, a *ouvert.Argument) {
	w.WriteString(`<p class="notice">`)
	w.text(p.L.T("argument.hidden", p.L.T("reason."+a.HiddenReason)))
	w.WriteString(`</p>`)
}

// replyForm writes the folded form that replies to argument a, open with its error and text when
// a reply to a was refused.
func (w *htmlWriter) replyForm(p *page, c *ouvert.Contribution, a *ouvert.Argument) {
	f := "reply-" + strconv.FormatInt(a.ID, 10)
	failed := p.Form.Err(f)
	w.WriteString("\n      " + `<details class="reply-form"`)
	if failed != "" {
		w.WriteString(` open`)
	}
	w.WriteString(`><summary>`)
	w.text(p.L.T("argument.reply"))
	w.WriteString(`<span class="visually-hidden"> – `)
	w.text(p.L.T("argument.by", a.AuthorName))
	w.WriteString("</span></summary>\n        " + `<form method="post" action="/contributions/`)
	w.id(c.ID)
	w.WriteString(`/arguments" novalidate>` + "\n          " + `<input type="hidden" name="parent" value="`)
	w.id(a.ID)
	w.WriteString(`">` + "\n          " + `<div class="field`)
	if failed != "" {
		w.WriteString(` field-error`)
	}
	w.WriteString(`"><label for="` + f + `">`)
	w.text(p.L.T("argument.reply_body"))
	w.WriteString("</label>\n          ")
	if failed != "" {
		w.fieldError(p, f, failed)
	}
	w.WriteString("\n          " + `<textarea id="` + f + `" name="body" rows="3"`)
	if failed != "" {
		w.WriteString(` aria-invalid="true" aria-describedby="` + f + `-error"`)
	}
	w.WriteString(`>`)
	w.text(p.Form.Get(f))
	w.WriteString("</textarea></div>\n          " + `<button type="submit">`)
	w.text(p.L.T("argument.reply_submit"))
	w.WriteString("</button>\n        </form></details>")
}

func argumentsHTML(p *page, l *argumentList) template.HTML {
	var w htmlWriter
	w.Grow(len(l.Arguments) * 4096)
	w.arguments(p, l)
	return template.HTML(w.String())
}

package web

import (
	"html/template"
	"strconv"

	"ouvert/internal/ouvert"
)

// The layout around every page (the header with its menus, the footer) is written here in Go,
// for the reason the cards are (see card.go): its thirty messages through html/template's
// reflection cost 0.2 ms on every page. layout.html calls it as header and footer. The same
// rules hold: every value through html.EscapeString, our own addresses only.

// navLink is an entry of a menu: an address of ours and the key of its label.
type navLink struct{ href, key string }

var (
	processNav = []navLink{
		{"/consultation", "nav.consultation"}, {"/evenements", "nav.events"}, {"/syntheses", "nav.syntheses"},
		{"/projets", "nav.drafts"}, {"/plans", "nav.plans"}, {"/comment-participer", "nav.participate"},
	}
	organiserNav = []navLink{
		{"/admin/comptes", "nav.admin"}, {"/admin/phases", "nav.phases"}, {"/synthese", "workspace.title"},
	}
	legalNav = []navLink{
		{"/pages/legal-notice", "page.legal-notice.title"}, {"/pages/personal-data", "page.personal-data.title"},
		{"/pages/accessibility", "page.accessibility.title"},
	}
	processFooterNav = []navLink{{"/reponses", "responses.title"}, {"/tableau-de-bord", "dashboard.title"}}
)

func (w *htmlWriter) navItem(p *page, l navLink) {
	w.WriteString(`<li><a href="` + l.href + `">`)
	w.text(p.L.T(l.key))
	w.WriteString(`</a></li>`)
}

// pageHeader writes the document up to the start of the page's own content: the head, the
// skip link, the site's header with the main menu and the language switch, the demo banner and
// the flash message.
func pageHeader(p *page) template.HTML {
	var w htmlWriter
	w.Grow(4096)
	w.WriteString("<!doctype html>\n<html lang=\"")
	w.text(p.L.Lang)
	w.WriteString("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	if p.Title != "" {
		w.text(p.Title)
		w.WriteString(" · ")
	}
	w.WriteString("Ouvert</title>\n<link rel=\"stylesheet\" href=\"")
	w.text(p.CSS)
	w.WriteString("\">\n<link rel=\"icon\" href=\"data:,\">\n</head>\n<body>\n<a class=\"skip\" href=\"#contenu\">")
	w.text(p.L.T("nav.skip"))
	w.WriteString("</a>\n<header class=\"site-header\">\n  <div class=\"wrap header-row\">\n    <p class=\"brand\"><a href=\"/\">Ouvert</a>")
	if p.Process != nil {
		w.WriteString(` <span class="brand-process">`)
		w.text(p.Process.Title)
		w.WriteString(`</span>`)
	}
	w.WriteString("</p>\n    <nav aria-label=\"")
	w.text(p.L.T("nav.main"))
	w.WriteString("\">\n      <ul class=\"nav\">\n        ")
	w.navItem(p, navLink{"/", "nav.home"})
	if p.Process != nil {
		for _, l := range processNav {
			w.WriteString("\n        ")
			w.navItem(p, l)
		}
	}
	if p.User != nil {
		w.WriteString("\n          <li><a href=\"/notifications\">")
		w.text(p.L.T("nav.notifications"))
		if p.Unread != 0 {
			w.WriteString(` <span class="badge">` + strconv.Itoa(p.Unread) + `<span class="visually-hidden"> `)
			w.text(p.L.T("notifications.unread"))
			w.WriteString(`</span></span>`)
		}
		w.WriteString("</a></li>\n          ")
		w.navItem(p, navLink{"/profil", "nav.profile"})
		if p.User.Is(ouvert.RoleModerator) {
			w.WriteString("\n          ")
			w.navItem(p, navLink{"/moderation", "nav.moderation"})
		}
		if p.User.Is(ouvert.RoleOrganiser) {
			w.WriteString("\n          ")
			for _, l := range organiserNav {
				w.navItem(p, l)
			}
		}
		w.WriteString("\n          <li><form method=\"post\" action=\"/deconnexion\" class=\"inline\"><button type=\"submit\" class=\"link\">")
		w.text(p.L.T("nav.logout"))
		w.WriteString("</button></form></li>")
	} else {
		w.WriteString("\n          ")
		w.navItem(p, navLink{"/connexion", "nav.login"})
		w.WriteString("\n          ")
		w.navItem(p, navLink{"/inscription", "nav.signup"})
	}
	w.WriteString("\n      </ul>\n    </nav>\n    <form method=\"post\" action=\"/langue\" class=\"lang-switch\">\n      <input type=\"hidden\" name=\"next\" value=\"")
	w.text(p.Path)
	w.WriteString("\">\n      ")
	if p.L.Lang == "fr" {
		w.WriteString(`<button type="submit" name="lang" value="en" lang="en">English</button>`)
	} else {
		w.WriteString(`<button type="submit" name="lang" value="fr" lang="fr">Français</button>`)
	}
	w.WriteString("\n    </form>\n  </div>\n</header>\n")
	if p.Process != nil && p.Process.Example {
		w.WriteString(`<p class="demo-banner wrap">`)
		w.text(p.L.T("demo.banner"))
		w.WriteString("</p>\n")
	}
	w.WriteString("<main id=\"contenu\" tabindex=\"-1\" class=\"wrap\">\n")
	if p.Flash != "" {
		w.WriteString(`<div class="flash" role="status"><p>`)
		w.text(p.L.T(p.Flash))
		w.WriteString("</p></div>\n")
	}
	return template.HTML(w.String())
}

// pageFooter writes the document from the end of the page's own content: the footer's menu and
// what Ouvert is.
func pageFooter(p *page) template.HTML {
	var w htmlWriter
	w.Grow(1024)
	w.WriteString("</main>\n<footer class=\"site-footer\">\n  <div class=\"wrap\">\n    <nav aria-label=\"")
	w.text(p.L.T("nav.footer"))
	w.WriteString("\">\n      <ul class=\"nav\">\n        ")
	if p.Process != nil && p.Process.ContactEmail != "" {
		w.navItem(p, navLink{"/contact", "nav.contact"})
		w.WriteString("\n        ")
	}
	for _, l := range legalNav {
		w.navItem(p, l)
		w.WriteString("\n        ")
	}
	if p.Process != nil {
		for _, l := range processFooterNav {
			w.navItem(p, l)
			w.WriteString("\n        ")
		}
	}
	w.navItem(p, navLink{"/opendata/", "opendata.title"})
	w.WriteString("\n      </ul>\n    </nav>\n    <p>")
	w.text(p.L.T("footer.about"))
	w.WriteString("</p>\n  </div>\n</footer>\n</body>\n</html>")
	return template.HTML(w.String())
}

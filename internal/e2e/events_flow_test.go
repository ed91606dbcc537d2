package e2e

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	goical "github.com/emersion/go-ical"

	"ouvert/internal/ouvert"
)

// The events' messages, as a French-speaking person reads them.
const (
	msgEventPending     = "Votre événement est enregistré : il sera publié après validation par la modération."
	msgEventAwaits      = "Cet événement attend la validation de la modération"
	msgRegistered       = "Vous êtes inscrit·e : un courriel de confirmation"
	msgWaitingList      = "L'événement est complet : vous êtes en liste d'attente."
	msgYouAreRegistered = "Vous êtes inscrit·e."
	msgYouAreWaiting    = "Vous êtes en liste d'attente"
	msgRegCancelled     = "Votre inscription est annulée."
	msgResultsSaved     = "Restitution enregistrée : les idées sont publiées dans la consultation."
)

// The relay workshop of TestEventFlow, and the ideas it brings back: three in the ideas field, one
// per paragraph (their titles are their sentences), and two in the CSV template.
const (
	flowTitle    = "Atelier-relais de Clermont : la transparence locale"
	flowVenue    = "Maison des associations"
	flowAddress  = "2 rue Saint-Genès"
	flowPostcode = "63000"
	flowCommune  = "Clermont-Ferrand"
)

var (
	typedIdeas = []string{
		"Publier les budgets de la métropole en données ouvertes.",
		"Filmer et diffuser chaque conseil municipal en direct.",
		"Ouvrir les registres des lobbyistes locaux au public.",
	}
	csvIdeas = []struct{ axis, title, text string }{
		{"2", "Des cafés citoyens dans les quartiers", "Organiser chaque mois un café citoyen avec les élus de quartier."},
		{"3", "Un tableau de bord des marchés publics", "Suivre en ligne chaque marché public de la ville, de l'appel d'offres au paiement."},
	}
)

// TestEventFlow follows a relay workshop from its proposal to the ideas it brings to the
// consultation, each person in their own browser: a participant proposes it (one place, open
// registration), a moderator publishes it, two people register (the second waits), the first
// cancels and the second gets the place and a mail with the event's calendar file; once the
// event is over, its organiser posts the report with ideas typed and uploaded as CSV, which the
// consultation then shows, and finds, as coming from the workshop.
func TestEventFlow(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	organiser := a.newAccount(t, "Ines", ouvert.RoleParticipant) // anyone signed in may organise one
	moderator := a.newAccount(t, "Morgane", ouvert.RoleModerator)
	first := a.newAccount(t, "Ana", ouvert.RoleParticipant)
	second := a.newAccount(t, "Lou", ouvert.RoleParticipant)
	p := a.process(t)
	axis := p.Axes[1]
	loc := p.Location()

	// Tomorrow evening, in the process' time zone.
	y, m, d := a.DB.Now().In(loc).AddDate(0, 0, 1).Date()
	starts := time.Date(y, m, d, 18, 0, 0, 0, loc)
	ends := time.Date(y, m, d, 20, 0, 0, 0, loc)

	// Each person at their own computer. The free texts are pasted, and the log-in form is filled
	// as a password manager does: the fields whose keys matter (dates, times, numbers) are typed.
	org, mod, ana, lou := newTab(t, a, frenchBrowser), newTab(t, a, frenchBrowser), newTab(t, a, frenchBrowser), newTab(t, a, frenchBrowser)

	// The participant proposes the workshop.
	org.logInFilled(organiser)
	org.open("/evenements")
	wantStatus(t, "Organiser un atelier-relais", org.click(`main a[href="/evenements/nouveau"]`), http.StatusOK)
	org.wantPath("/evenements/nouveau")
	if !org.checked("#kind-relay") || !org.checked("#registration-open") {
		t.Error("the form does not offer a relay workshop with open registration by default")
	}
	org.paste("#title", flowTitle)
	org.paste("#description", "Deux heures pour proposer des idées sur la transparence de la ville.")
	org.typeDate("#day-input", starts)
	org.typeTime("#start", starts)
	org.typeTime("#end", ends)
	org.paste("#venue", flowVenue)
	org.paste("#address", flowAddress)
	org.typeInto("#postcode", flowPostcode)
	org.typeInto("#capacity", "1")
	org.do("tick the axis", chromedp.Click(chromedp.CSS(fmt.Sprintf(`label[for="axes-%d"]`, axis.ID))))
	wantStatus(t, "Proposer l'événement", org.click(`form[action="/evenements/nouveau"] button[type=submit]`), http.StatusOK)
	mm := regexp.MustCompile(`^/evenements/(\d+)$`).FindStringSubmatch(org.path())
	if mm == nil {
		t.Fatalf("after proposing the event the browser is on %s (%q); want the event's page:\n%s", org.path(), org.text("h1"), org.text("main"))
	}
	id, _ := strconv.ParseInt(mm[1], 10, 64)
	eventPath := org.path()
	org.wantText(".flash[role=status]", msgEventPending)
	org.wantText("main .notice", msgEventAwaits)
	org.wantText("h1", flowTitle)
	org.wantText("dl.facts", flowCommune)
	org.wantText("dl.facts", "Puy-de-Dôme")

	// Until a moderator publishes it, nobody else sees it: not Ana, who has not logged in yet.
	wantStatus(t, "a pending event, for someone else", ana.open(eventPath), http.StatusNotFound)
	ana.open("/evenements?departement=63")
	ana.wantText("h2#liste", "0 événement")

	// The moderator publishes it from the moderation page.
	mod.logInFilled(moderator)
	mod.click(`header a[href="/moderation"]`)
	card := fmt.Sprintf(`ol.queue > li:has(a[href="%s"])`, eventPath)
	if !mod.exists(card) {
		t.Fatalf("the moderation page does not list the pending event:\n%s", mod.text("main"))
	}
	mod.wantText(card, flowCommune)
	wantStatus(t, "Publier", mod.click(card+` button[name=action][value=approve]`), http.StatusOK)
	mod.wantPath("/moderation")
	mod.wantText(".flash[role=status]", msgModerated)
	if mod.exists(card) {
		t.Error("after Publier, the event is still waiting on the moderation page")
	}
	if m := a.waitForMailAbout(t, organiser.Email, "publié"); !strings.Contains(m.Body, a.URL+eventPath) {
		t.Errorf("the mail telling the organiser the event is published has no link to it:\n%s", m.Body)
	}

	// Ana finds it by its département, on the list and on the table beside the map.
	ana.open("/evenements")
	ana.chooseOption("#departement", "63", "63")
	ana.click("form.filters button[type=submit]")
	ana.wantText("h2#liste", "1 événement")
	ana.wantText("ol.contributions > li:first-child .card-title a", flowTitle)
	ana.wantText(`.map-and-table table tr:has(a[href*="departement=63"])`, "Puy-de-Dôme (63)")
	ana.wantText(`.map-and-table table tr:has(a[href*="departement=63"]) td`, "1")
	if !ana.exists(`figure.map svg a[href*="departement=63"]`) {
		t.Error("the map has no link to the events of the Puy-de-Dôme")
	}
	feed, _ := ana.attr(`main a[href^="/evenements.ics"]`, "href")
	ana.click("ol.contributions > li:first-child .card-title a")
	ana.wantPath(eventPath)

	// Its calendar file and the feed of the filtered list, as a calendar application reads them.
	ics, _ := ana.attr(`main a[href$="/ics"]`, "href")
	checkEventICS(t, "the event's .ics", a.get(t, ics, "text/calendar"), id, a.URL, starts, ends)
	if !strings.Contains(feed, "departement=63") {
		t.Errorf("the filtered list's calendar feed is %q; want it to keep the filter", feed)
	}
	checkEventICS(t, "the filtered list's feed", a.get(t, feed, "text/calendar"), id, a.URL, starts, ends)

	// Two people register for its one place: the second waits.
	ana.logInFilled(first)
	ana.open(eventPath)
	ana.wantText(".registration", "0 places prises sur 1")
	ana.wantText(`.registration form[action$="/inscription"] button[type=submit]`, "S'inscrire")
	wantStatus(t, "S'inscrire", ana.click(`.registration form[action$="/inscription"] button[type=submit]`), http.StatusOK)
	ana.wantPath(eventPath)
	ana.wantText(".flash[role=status]", msgRegistered)
	ana.wantText(".registration", msgYouAreRegistered)
	a.waitForMailAbout(t, first.Email, "Inscription confirmée")

	lou.logInFilled(second)
	lou.open(eventPath)
	lou.wantText(".registration", "1 places prises sur 1")
	lou.wantText(`.registration form[action$="/inscription"] button[type=submit]`, "liste d'attente")
	wantStatus(t, "m'inscrire en liste d'attente", lou.click(`.registration form[action$="/inscription"] button[type=submit]`), http.StatusOK)
	lou.wantText(".flash[role=status]", msgWaitingList)
	lou.wantText(".registration", msgYouAreWaiting)
	a.waitForMailAbout(t, second.Email, "Liste d'attente")

	// The first cancels: the second gets the place, and a mail with the calendar file.
	wantStatus(t, "Annuler mon inscription", ana.click(`.registration form[action$="/annulation"] button[type=submit]`), http.StatusOK)
	ana.wantPath(eventPath)
	ana.wantText(".flash[role=status]", msgRegCancelled)
	if ana.exists(`.registration form[action$="/annulation"]`) {
		t.Error("after cancelling, the page still offers to cancel")
	}
	promoted := a.waitForMailAbout(t, second.Email, "Une place s'est libérée")
	if !strings.Contains(promoted.Body, flowTitle) {
		t.Errorf("the promotion mail does not name the event:\n%s", promoted.Body)
	}
	attached, ok := promoted.Attachments[fmt.Sprintf("evenement-%d.ics", id)]
	if !ok {
		t.Errorf("the promotion mail carries %d attachment(s), not the event's .ics", len(promoted.Attachments))
	} else {
		checkEventICS(t, "the promotion mail's .ics", attached, id, a.URL, starts, ends)
	}
	lou.openURL(linkIn(t, promoted, a.URL+"/evenements/"))
	lou.wantPath(eventPath)
	lou.wantText(".registration", msgYouAreRegistered)

	// The day after, the organiser posts the report and the ideas: three in the form, two from the CSV
	// template the page offers.
	a.passTime(time.Until(ends) + 12*time.Hour)
	org.open(eventPath)
	org.wantText(".registration", "Cet événement est passé.")
	wantStatus(t, "Restitution de l'événement", org.click(`main a[href$="/restitution"]`), http.StatusOK)
	org.wantPath(eventPath + "/restitution")
	tmpl, _ := org.attr(`a[href$="/restitution/modele.csv"]`, "href")
	csvFile := filepath.Join(t.TempDir(), "idees.csv")
	writeIdeasCSV(t, csvFile, a.get(t, tmpl, "text/csv"))
	org.typeInto("#attendance", "2")
	org.typeInto("#cat_citizen", "2")
	org.paste("#report", "Une soirée riche : **cinq idées** pour la ville.")
	if got := org.value("#axis"); got != strconv.FormatInt(axis.ID, 10) {
		t.Errorf("the ideas' axis is %s by default; want the event's axis %d", got, axis.ID)
	}
	// The first idea typed, with the Enter key between paragraphs; the others pasted after it.
	org.typeInto("#ideas", typedIdeas[0]+"\n\n")
	org.do("paste the other ideas", call(input.InsertText, input.InsertTextParams{Text: strings.Join(typedIdeas[1:], "\n\n")}))
	if got, want := org.value("#ideas"), strings.Join(typedIdeas, "\n\n"); got != want {
		t.Fatalf("the ideas field holds %q; want %q", got, want)
	}
	org.do("choose the CSV file", chromedp.SetUploadFiles(chromedp.CSS("#csv"), []string{csvFile}))
	wantStatus(t, "Enregistrer la restitution", org.click(`form[action$="/restitution"] button[type=submit]`), http.StatusOK)
	if org.path() != eventPath {
		t.Fatalf("after posting the report the browser is on %s; want %s:\n%s", org.path(), eventPath, org.text("main"))
	}
	org.wantText(".flash[role=status]", msgResultsSaved)
	org.wantText("section[aria-labelledby=resultats]", "2 participants")
	org.wantText("section[aria-labelledby=resultats] .prose", "cinq idées")
	org.wantText("section[aria-labelledby=resultats] h3", "5 idées versées à la consultation")
	titles := append(append([]string{}, typedIdeas...), csvIdeas[0].title, csvIdeas[1].title)
	for _, title := range titles {
		org.wantText("section[aria-labelledby=resultats] ul", title)
	}

	// The consultation shows them as coming from the workshop, and its origin filter finds them.
	lou.open("/consultation")
	lou.chooseOption("#origine", "iss", string(ouvert.OriginEvent))
	lou.chooseOption("#tri", "les plus r", "newest")
	lou.click("form.filters button[type=submit]")
	if q := eval[string](lou, "location.search"); !strings.Contains(q, "origine=event") {
		t.Errorf("the filtered consultation is at %s; want origine=event in it", q)
	}
	for _, title := range titles {
		li := eval[string](lou, fmt.Sprintf(`(Array.from(document.querySelectorAll('ol.contributions > li')).find(li => li.querySelector('.card-title').textContent.trim() === %q) || {}).id || ''`, title))
		if li == "" {
			t.Errorf("the consultation filtered on ideas from events does not list %q:\n%s", title, lou.text("ol.contributions"))
			continue
		}
		lou.wantText("#"+li+" .meta", "issue de l'événement")
		if href, _ := lou.attr("#"+li+` .meta a[href^="/evenements/"]`, "href"); href != eventPath {
			t.Errorf("the idea %q links to the event %s; want %s", title, href, eventPath)
		}
		lou.wantText("#"+li+` .meta a[href^="/evenements/"]`, flowTitle)
	}
	lou.chooseOption("#origine", "en", string(ouvert.OriginOnline))
	lou.click("form.filters button[type=submit]")
	if list := eval[string](lou, `document.querySelector('main').textContent`); strings.Contains(list, typedIdeas[0]) || strings.Contains(list, csvIdeas[0].title) {
		t.Error("the consultation filtered on ideas posted online lists the workshop's ideas")
	}
	// From an idea, the way back to the workshop.
	lou.open("/consultation?origine=event&tri=newest")
	lou.click(fmt.Sprintf(`ol.contributions > li:first-child .meta a[href="%s"]`, eventPath))
	lou.wantPath(eventPath)
	lou.wantText("h1", flowTitle)
}

// typeDate types a day into a date field as a person does: digits in the order the browser
// shows the day, the month and the year.
func (b *tab) typeDate(sel string, day time.Time) {
	b.t.Helper()
	order := eval[[]string](b, `new Intl.DateTimeFormat().formatToParts(new Date(2017, 1, 28)).filter(p => p.type !== 'literal').map(p => p.type)`)
	var keys strings.Builder
	for _, part := range order {
		switch part {
		case "day":
			keys.WriteString(day.Format("02"))
		case "month":
			keys.WriteString(day.Format("01"))
		case "year":
			keys.WriteString(day.Format("2006"))
		}
	}
	b.typeInto(sel, keys.String())
	if got, want := b.value(sel), day.Format("2006-01-02"); got != want {
		b.t.Fatalf("typing %q (%v) into %s gave %q; want %q", keys.String(), order, sel, got, want)
	}
}

// typeTime types hours and minutes into a time field as the browser shows it: on a 12-hour
// clock, then A or P.
func (b *tab) typeTime(sel string, at time.Time) {
	b.t.Helper()
	keys := at.Format("1504")
	if cycle := eval[string](b, `new Intl.DateTimeFormat(undefined, {hour: 'numeric'}).resolvedOptions().hourCycle`); cycle == "h11" || cycle == "h12" {
		keys = at.Format("0304") + at.Format("PM")[:1]
	}
	b.typeInto(sel, keys)
	if got, want := b.value(sel), at.Format("15:04"); got != want {
		b.t.Fatalf("typing %s into %s gave %q; want %q", keys, sel, got, want)
	}
}

// logInFilled logs in through the log-in form filled at once, as a password manager fills it:
// logIn types both fields key by key, which under load takes seconds.
func (b *tab) logInFilled(acc account) {
	b.t.Helper()
	b.open("/connexion")
	b.paste("#email", acc.Email)
	b.paste("#password", acc.Password)
	b.click("main form button[type=submit]")
	if !b.exists(`header a[href="/profil"]`) {
		b.t.Fatalf("logged in as %s, but the header has no link to the profile (on %s)", acc.Email, b.location())
	}
}

// paste puts text into the field at once, as pasting it from elsewhere does.
func (b *tab) paste(sel, text string) {
	b.t.Helper()
	b.do("paste into "+sel, chromedp.Focus(chromedp.CSS(sel)), call(input.InsertText, input.InsertTextParams{Text: text}))
	if got := b.value(sel); got != text {
		b.t.Fatalf("after pasting into %s it holds %q; want %q", sel, got, text)
	}
}

// get fetches a page of the app outside the browser, as a calendar application or a download
// does, and checks its type.
func (a *app) get(t *testing.T, path, contentType string) []byte {
	t.Helper()
	if path == "" {
		t.Fatal("no link to fetch")
	}
	res, err := http.Get(a.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), contentType) {
		t.Fatalf("GET %s: %d %s; want 200 %s:\n%s", path, res.StatusCode, res.Header.Get("Content-Type"), contentType, b)
	}
	return b
}

// checkEventICS parses an iCalendar file back and checks that it holds the workshop, at its
// time, place and address.
func checkEventICS(t *testing.T, what string, data []byte, id int64, baseURL string, starts, ends time.Time) {
	t.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Errorf("%s does not parse as iCalendar: %v\n%s", what, err, data)
		return
	}
	uid := fmt.Sprintf("event-%d@%s", id, strings.TrimPrefix(baseURL, "http://"))
	for _, ev := range cal.Events() {
		if got, _ := ev.Props.Text(goical.PropUID); got != uid {
			continue
		}
		if got, _ := ev.Props.Text(goical.PropSummary); got != flowTitle {
			t.Errorf("%s: SUMMARY is %q; want %q", what, got, flowTitle)
		}
		if got, err := ev.DateTimeStart(time.UTC); err != nil || !got.Equal(starts) {
			t.Errorf("%s: DTSTART is %v (%v); want %v", what, got, err, starts)
		}
		if got, err := ev.DateTimeEnd(time.UTC); err != nil || !got.Equal(ends) {
			t.Errorf("%s: DTEND is %v (%v); want %v", what, got, err, ends)
		}
		want := flowVenue + ", " + flowAddress + ", " + flowPostcode + " " + flowCommune
		if got, _ := ev.Props.Text(goical.PropLocation); got != want {
			t.Errorf("%s: LOCATION is %q; want %q", what, got, want)
		}
		if got := ev.Props.Get(goical.PropURL); got == nil || got.Value != fmt.Sprintf("%s/evenements/%d", baseURL, id) {
			t.Errorf("%s: URL is %v", what, got)
		}
		if got, _ := ev.Props.Text(goical.PropStatus); got != "CONFIRMED" {
			t.Errorf("%s: STATUS is %q; want CONFIRMED", what, got)
		}
		return
	}
	t.Errorf("%s holds no event %s:\n%s", what, uid, data)
}

// writeIdeasCSV fills the CSV template the results page offers with the workshop's ideas, as an
// organiser does in a spreadsheet: the header kept, the examples replaced.
func writeIdeasCSV(t *testing.T, path string, template []byte) {
	t.Helper()
	header, _, _ := strings.Cut(string(template), "\n")
	if got := strings.TrimSpace(strings.TrimPrefix(header, "\ufeff")); got != "axe,titre,texte,pour" {
		t.Fatalf("the CSV template's header is %q; want axe,titre,texte,pour", got)
	}
	var b bytes.Buffer
	b.WriteString(header + "\n")
	w := csv.NewWriter(&b)
	for _, idea := range csvIdeas {
		w.Write([]string{idea.axis, idea.title, idea.text, ""})
	}
	w.Flush()
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

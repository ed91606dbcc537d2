package e2e

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// demoHospitals is the title of one of the demo's example contributions: it has arguments and a
// reply, and it is the closest to the draft that testPropose types.
const demoHospitals = "Ouvrir les données de la qualité des soins des hôpitaux"

// The consultation's messages, as a French-speaking participant reads them.
const (
	msgPublished   = "Votre contribution est publiée."
	msgVoted       = "Vote enregistré."
	msgArgued      = "Argument publié."
	msgReported    = "Merci, votre signalement est enregistré."
	msgModerated   = "Décision enregistrée."
	msgPhaseClosed = "La phase d'idéation est close"
	msgNoStance    = "Indiquez si votre argument est pour, contre ou neutre."
)

// process returns the demo process as the store has it now.
func (a *app) process(t testing.TB) *ouvert.Process {
	t.Helper()
	p, err := a.DB.CurrentProcess(context.Background())
	if err != nil {
		t.Fatalf("the current process: %v", err)
	}
	return p
}

// userID returns the id of an account made with createAccount.
func (a *app) userID(t testing.TB, acc account) int64 {
	t.Helper()
	u, err := a.DB.UserByEmail(context.Background(), acc.Email)
	if err != nil {
		t.Fatalf("the account %s: %v", acc.Email, err)
	}
	return u.ID
}

// newAccount makes a confirmed account with the role for someone called name.
func (a *app) newAccount(t *testing.T, name string, role ouvert.Role) account {
	t.Helper()
	acc := account{
		Email:    strings.ToLower(name) + "@example.org",
		Password: strings.ToLower(name) + " 2017 ouvert",
		Name:     name,
	}
	a.createAccount(t, acc, role)
	return acc
}

// publish makes author publish a contribution on the process' axis'th axis (from 0), directly in
// the store: the state a test starts from, not what it checks.
func (a *app) publish(t testing.TB, author account, axis int, title, body string) int64 {
	t.Helper()
	p := a.process(t)
	c := &ouvert.Contribution{ProcessID: p.ID, AxisID: p.Axes[axis].ID, AuthorID: a.userID(t, author), Title: title, Body: body}
	if err := a.DB.CreateContribution(context.Background(), c); err != nil {
		t.Fatalf("publish %q: %v", title, err)
	}
	return c.ID
}

// contribution returns a contribution as the store has it now.
func (a *app) contribution(t testing.TB, id int64) *ouvert.Contribution {
	t.Helper()
	c, err := a.DB.Contribution(context.Background(), id)
	if err != nil {
		t.Fatalf("contribution %d: %v", id, err)
	}
	return c
}

// contributionByTitle finds a published contribution of the process by its title.
func (a *app) contributionByTitle(t testing.TB, title string) *ouvert.Contribution {
	t.Helper()
	p := a.process(t)
	for page := 1; ; page++ {
		items, total, err := a.DB.Contributions(context.Background(),
			store.ContributionFilter{ProcessID: p.ID, Sort: store.SortNewest, Page: page, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range items {
			if c.Title == title {
				return c
			}
		}
		if page*100 >= total {
			t.Fatalf("no published contribution is called %q", title)
		}
	}
}

func contributionPath(id int64) string { return "/contributions/" + strconv.FormatInt(id, 10) }

var contributionPathRE = regexp.MustCompile(`^/contributions/(\d+)$`)

// counts returns the counts shown under a contribution, as read: "1 d'accord", "0 mitigé"…
func (b *tab) counts() []string {
	b.t.Helper()
	b.text("#contribution .counts")
	return eval[[]string](b, `Array.from(document.querySelectorAll('#contribution .counts span')).map(s => s.textContent.trim())`)
}

// wantCounts fails the test unless the contribution's counts read want.
func (b *tab) wantCounts(want ...string) {
	b.t.Helper()
	if got := b.counts(); strings.Join(got, " · ") != strings.Join(want, " · ") {
		b.t.Errorf("on %s the contribution's counts read %q; want %q", b.location(), strings.Join(got, " · "), strings.Join(want, " · "))
	}
}

// pressed returns the aria-pressed of each vote button of the contribution's vote form, "" for
// a button without one.
func (b *tab) pressed(id int64) map[string]string {
	b.t.Helper()
	return eval[map[string]string](b, fmt.Sprintf(`Object.fromEntries(Array.from(document.querySelectorAll('#vote-%d button[name=value]'))
		.map(x => [x.value, x.getAttribute('aria-pressed') || '']))`, id))
}

// wantPressed fails the test unless the vote button of value is the one pressed.
func (b *tab) wantPressed(id int64, value string) {
	b.t.Helper()
	got := b.pressed(id)
	for _, v := range []string{"agree", "mixed", "disagree"} {
		want := "false"
		if v == value {
			want = "true"
		}
		if got[v] != want {
			b.t.Errorf("on %s the %q vote button has aria-pressed=%q; want %q (all: %v)", b.location(), v, got[v], want, got)
		}
	}
}

// wantStatus fails the test unless the page came with the status.
func wantStatus(t testing.TB, what string, got int64, want int) {
	t.Helper()
	if got != int64(want) {
		t.Errorf("%s answered %d; want %d", what, got, want)
	}
}

// chooseOption picks an option of a drop-down list with the keyboard, as a person typing the
// start of its label does, and checks that it is picked.
func (b *tab) chooseOption(sel, label, value string) {
	b.t.Helper()
	b.do("choose "+label+" in "+sel, chromedp.Focus(chromedp.CSS(sel)), chromedp.KeyEvent(label))
	if got := b.value(sel); got != value {
		b.t.Fatalf("typing %q in %s picked %q; want %q", label, sel, got, value)
	}
}

// TestConsultation takes part in the consultation as people do, on one app: each subtest on a
// contribution of its own, made before any subtest runs so that the one "propose" publishes is the
// newest.
func TestConsultation(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	// Short addresses and passwords: the tests type them, key by key, every time they log in.
	author := a.newAccount(t, "Ana", ouvert.RoleParticipant)
	voteID := a.publish(t, author, 1, "Des ateliers dans chaque médiathèque",
		"Organiser des ateliers de participation dans les médiathèques de chaque département.")
	argueID := a.publish(t, author, 1, "Des réunions publiques le soir",
		"Tenir les réunions publiques après 19 heures, pour que les personnes qui travaillent puissent venir.")
	reportID := a.publish(t, author, 2, reportTitle, reportBody)
	reportOnceID := a.publish(t, author, 2, "Des horaires d'ouverture le dimanche",
		"Ouvrir les services publics le dimanche matin, une fois par mois.")
	keyboardID := a.publish(t, a.newAccount(t, "Ilan", ouvert.RoleParticipant), 3, "Un guichet unique pour le logement social",
		"Une seule demande en ligne, valable dans toutes les communes du département.")
	voter := a.newAccount(t, "Sacha", ouvert.RoleParticipant)
	arguer := a.newAccount(t, "Lou", ouvert.RoleParticipant)
	reporters := []account{
		a.newAccount(t, "Alix", ouvert.RoleParticipant),
		a.newAccount(t, "Noa", ouvert.RoleParticipant),
		a.newAccount(t, "Eden", ouvert.RoleParticipant),
	}
	moderator := a.newAccount(t, "Morgane", ouvert.RoleModerator)

	// The longest first: parallel subtests start in this order, two at a time by default.
	t.Run("report", func(t *testing.T) {
		t.Parallel()
		testReport(t, a, reportID, reportOnceID, author, reporters, moderator)
	})
	t.Run("argue", func(t *testing.T) { t.Parallel(); testArgue(t, a, argueID, author, arguer) })
	t.Run("propose", func(t *testing.T) { t.Parallel(); testPropose(t, a, author) })
	t.Run("vote", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, a, frenchBrowser)
		b.logIn(voter)
		t.Run("mouse", func(t *testing.T) { testVote(b.as(t), voteID) })
		t.Run("keyboard", func(t *testing.T) { testKeyboardVote(b.as(t), keyboardID) })
	})
}

// testPropose follows a participant proposing an idea: the form, the similar contributions shown
// before publishing, the new contribution's page, and the list, newest first.
func testPropose(t *testing.T, a *app, proposer account) {
	b := newTab(t, a, frenchBrowser)
	axis := a.process(t).Axes[0]
	const (
		title = "Ouvrir les données des hôpitaux"
		body  = "La qualité des soins, hôpital par hôpital."
	)

	b.logIn(proposer)
	b.open("/consultation")
	link := `main a.button[href^="/contributions/nouvelle"]`
	b.wantText(link, "Proposer une contribution")
	wantStatus(t, "the propose form", b.click(link), http.StatusOK)
	b.wantPath("/contributions/nouvelle")
	b.wantText("h1", "Proposer une contribution")

	b.do("choose the first axis", chromedp.Click(chromedp.CSS(fmt.Sprintf(`label[for="axis-%d"]`, axis.ID))))
	b.typeInto("#title", title)
	b.typeInto("#body", body)
	b.wantText(`button[name=step][value=check]`, "Continuer")
	wantStatus(t, "Continuer", b.click(`button[name=step][value=check]`), http.StatusOK)

	// Similar contributions first, and the draft as typed.
	b.wantText("#similar-title", "Des contributions proches existent peut-être")
	similar := eval[[]string](b, `Array.from(document.querySelectorAll('.similar li a')).map(a => a.textContent.trim())`)
	found := false
	for _, s := range similar {
		found = found || s == demoHospitals
	}
	if !found {
		t.Errorf("the similar contributions are %q; want them to list the demo's %q", similar, demoHospitals)
	}
	if got := b.value("#title"); got != title {
		t.Errorf("after Continuer the title field holds %q; want %q", got, title)
	}
	if got := b.value("#body"); got != body {
		t.Errorf("after Continuer the text field holds %q; want %q", got, body)
	}
	if !b.checked(fmt.Sprintf("#axis-%d", axis.ID)) {
		t.Error("after Continuer the axis chosen is no longer ticked")
	}

	// Publish.
	publish := `button[name=step][value=publish]`
	b.wantText(publish, "Publier ma contribution")
	wantStatus(t, "Publier ma contribution", b.click(publish), http.StatusOK)
	m := contributionPathRE.FindStringSubmatch(b.path())
	if m == nil {
		t.Fatalf("after publishing the browser is on %s; want the new contribution's page", b.path())
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	b.wantText(".flash[role=status]", msgPublished)
	b.wantText("h1", title)
	b.wantText("#contribution .prose", body)
	b.wantText("#contribution .eyebrow", axis.Title)

	// The list, newest first, as a person sorts it.
	b.click(`header a[href="/consultation"]`)
	b.chooseOption("#tri", "les plus r", store.SortNewest)
	b.click("form.filters button[type=submit]")
	first := "ol.contributions > li:first-child .card-title a"
	b.wantText(first, title)
	if href, _ := b.attr(first, "href"); href != contributionPath(id) {
		t.Errorf("the newest contribution links to %s; want %s", href, contributionPath(id))
	}
}

// testVote has a signed-in participant vote on someone's contribution with the mouse, then change
// their mind.
func testVote(b *tab, id int64) {
	t := b.t
	b.open(contributionPath(id))
	b.wantCounts("0 d'accord", "0 mitigé", "0 pas d'accord", "0 argument")
	for v, p := range b.pressed(id) {
		if p == "true" {
			t.Errorf("before any vote, the %q button is marked pressed", v)
		}
	}

	b.wantText(fmt.Sprintf("#vote-%d button.vote-agree", id), "D'accord")
	wantStatus(t, "D'accord", b.click(fmt.Sprintf("#vote-%d button.vote-agree", id)), http.StatusOK)
	b.wantPath(contributionPath(id))
	b.wantText(".flash[role=status]", msgVoted)
	b.wantCounts("1 d'accord", "0 mitigé", "0 pas d'accord", "0 argument")
	b.wantPressed(id, "agree")
	b.wantText(".my-vote", "Votre vote : D'accord.")

	wantStatus(t, "Pas d'accord", b.click(fmt.Sprintf("#vote-%d button.vote-disagree", id)), http.StatusOK)
	b.wantPath(contributionPath(id))
	b.wantCounts("0 d'accord", "0 mitigé", "1 pas d'accord", "0 argument")
	b.wantPressed(id, "disagree")
	b.wantText(".my-vote", "Votre vote : Pas d'accord.")
}

// testArgue has a participant argue against a contribution, its author reply and mark the
// argument useful; an argument without a stance comes back with what was typed.
func testArgue(t *testing.T, a *app, id int64, author, arguer account) {
	const (
		argument = "Le soir, les parents ne peuvent pas venir."
		reply    = "Une garderie sur place aiderait."
	)
	other := newTab(t, a, frenchBrowser)
	other.logIn(arguer)
	other.open(contributionPath(id))

	// Without a stance: refused, the text kept.
	other.typeInto("#new-argument #body", argument)
	wantStatus(t, "an argument without a stance", other.click("#new-argument button[type=submit]"), http.StatusUnprocessableEntity)
	other.wantText("#new-argument .error-summary[role=alert]", msgNoStance)
	other.wantText("#stance .error", msgNoStance)
	// The error is tied to the group of radio buttons, as on the other forms, so that a screen
	// reader says it on entering the group.
	if described, _ := other.attr("#stance", "aria-describedby"); described == "" ||
		!strings.Contains(eval[string](other, fmt.Sprintf(`%q.split(' ').map(id => (document.getElementById(id) || {}).textContent || '').join(' ')`, described)), msgNoStance) {
		t.Errorf("the stance group has aria-describedby=%q; want it to name the error %q", described, msgNoStance)
	}
	if got := other.value("#new-argument #body"); got != argument {
		t.Errorf("the refused argument's field holds %q; want %q", got, argument)
	}

	// With one.
	other.do("choose Contre", chromedp.Click(chromedp.CSS(`label[for="stance-against"]`)))
	wantStatus(t, "Publier l'argument", other.click("#new-argument button[type=submit]"), http.StatusOK)
	other.wantPath(contributionPath(id))
	other.wantText(".flash[role=status]", msgArgued)
	argID := eval[string](other, `(document.querySelector('ol.argument-list > li.argument') || {}).id || ''`)
	if argID == "" {
		t.Fatal("the argument published is not on the contribution's page")
	}
	arg := "#" + argID
	other.wantText(arg+" .tag", "Contre")
	other.wantText(arg+" .prose", argument)
	other.wantText(arg+" .meta", arguer.Name)

	// The author replies, then marks the argument useful.
	authorTab := newTab(t, a, frenchBrowser)
	authorTab.logIn(author)
	authorTab.open(contributionPath(id))
	summary := arg + " details.reply-form summary"
	authorTab.wantText(summary, "Répondre")
	authorTab.do("open Répondre", chromedp.Click(chromedp.CSS(summary)))
	field := "#reply-" + strings.TrimPrefix(argID, "argument-")
	authorTab.typeInto(field, reply)
	wantStatus(t, "Publier la réponse", authorTab.click(arg+" details.reply-form button[type=submit]"), http.StatusOK)
	authorTab.wantPath(contributionPath(id))
	authorTab.wantText(arg+" ol.replies > li.reply .prose", reply)
	authorTab.wantText(arg+" ol.replies > li.reply .meta", author.Name)

	useful := arg + ` form[action$="/utile"] button`
	authorTab.wantText(useful, "Utile")
	wantStatus(t, "Utile", authorTab.click(useful), http.StatusOK)
	authorTab.wantPath(contributionPath(id))
	if v, _ := authorTab.attr(useful, "aria-pressed"); v != "true" {
		t.Errorf("after marking the argument useful, its button has aria-pressed=%q; want \"true\"", v)
	}

	// What everyone sees: the argument, the reply under it, and the count.
	other.open(contributionPath(id))
	other.wantText(arg+" .prose", argument)
	other.wantText(arg+" ol.replies > li.reply .prose", reply)
	other.wantText(arg, "1 personne trouve cet argument utile")
	other.wantCounts("0 d'accord", "0 mitigé", "0 pas d'accord", "1 argument")

	// On the page of a refused argument, the other buttons still work: a vote comes back to the
	// contribution's page.
	other.typeInto("#new-argument #body", "Sans position.")
	wantStatus(t, "an argument without a stance", other.click("#new-argument button[type=submit]"), http.StatusUnprocessableEntity)
	status := other.click(fmt.Sprintf("#vote-%d button.vote-agree", id))
	if status != http.StatusOK || other.path() != contributionPath(id) {
		t.Errorf("voting from the page of a refused argument leads to %s (%d: %q); want %s (200)",
			other.path(), status, other.text("h1"), contributionPath(id))
	}
}

// The contribution that testReport reports.
const (
	reportTitle = "Un seul logiciel pour toutes les mairies"
	reportBody  = "Imposer à toutes les mairies le même logiciel de gestion, choisi par l'État."
)

// testReport has three participants report a contribution, which hides it until a moderator
// keeps it published; and a moderator keeps published another, reported once.
func testReport(t *testing.T, a *app, id, onceID int64, author account, reporters []account, mod account) {
	const title, body = reportTitle, reportBody
	path := contributionPath(id)

	// Three people, each at their own computer, report it.
	for i, r := range []struct{ typed, reason string }{
		{"pub", "spam"},
		{"hor", "off_topic"},
		{"don", "personal_data"},
	} {
		if !t.Run(reporters[i].Name, func(t *testing.T) {
			b := newTab(t, a, frenchBrowser)
			b.logIn(reporters[i])
			b.open(path)
			b.wantText("#contribution details.report summary", "Signaler")
			b.do("open Signaler", chromedp.Click(chromedp.CSS("#contribution details.report summary")))
			b.chooseOption(fmt.Sprintf("#reason-contribution-%d", id), r.typed, r.reason)
			wantStatus(t, "Envoyer le signalement", b.click("#contribution details.report button[type=submit]"), http.StatusOK)
			b.wantPath(path)
			b.wantText(".flash[role=status]", msgReported)
			if i == 0 {
				// The first also reports another contribution, once.
				b.open(contributionPath(onceID))
				b.do("open Signaler", chromedp.Click(chromedp.CSS("#contribution details.report summary")))
				b.chooseOption(fmt.Sprintf("#reason-contribution-%d", onceID), "hor", "off_topic")
				wantStatus(t, "Envoyer le signalement", b.click("#contribution details.report button[type=submit]"), http.StatusOK)
				b.wantText(".flash[role=status]", msgReported)
			}
		}) {
			t.FailNow()
		}
	}

	visitor := newTab(t, a, frenchBrowser)
	visitor.open(path)
	visitor.wantText("h1", "Contribution masquée")
	visitor.wantText("#contribution .notice", "en attente d'examen par la modération")
	if main := visitor.text("main"); strings.Contains(main, body) || strings.Contains(main, title) {
		t.Errorf("an anonymous visitor still reads the hidden contribution:\n%s", main)
	}

	m := newTab(t, a, frenchBrowser)
	m.logIn(mod)
	m.click(`header a[href="/moderation"]`)
	m.wantText("h1", "Modération")
	n := eval[int](m, fmt.Sprintf(`Array.from(document.querySelectorAll('ol.queue > li')).findIndex(li => li.querySelector('a[href="%s"]')) + 1`, path))
	if n == 0 {
		t.Fatalf("the moderation queue does not list the hidden contribution:\n%s", m.text("main"))
	}
	card := fmt.Sprintf("ol.queue > li:nth-child(%d)", n)
	m.wantText(card, title)
	m.wantText(card, "3 signalements")
	// The reasons in the moderator's language, as the reporters chose them.
	for _, reason := range []string{"publicité ou spam", "hors sujet", "données personnelles"} {
		m.wantText(card+" .meta", reason)
	}
	keep := card + " button[name=action][value=restore]"
	m.wantText(keep, "Garder publié")
	wantStatus(t, "Garder publié", m.click(keep), http.StatusOK)
	m.wantPath("/moderation")
	m.wantText(".flash[role=status]", msgModerated)
	if m.exists(fmt.Sprintf(`ol.queue a[href="%s"]`, path)) {
		t.Error("after Garder publié, the contribution is still in the moderation queue")
	}
	// The log says it was restored, with no report reason: none was given for keeping it.
	m.wantText("table tbody tr:first-child", "rétabli – contribution #"+strconv.FormatInt(id, 10))
	if reason := eval[string](m, `document.querySelector('table tbody tr:first-child td:last-child').textContent.trim()`); reason != "" {
		t.Errorf("the moderation log gives the restoration the reason %q; the moderator gave none", reason)
	}

	visitor.open(path)
	visitor.wantText("h1", title)
	visitor.wantText("#contribution .prose", body)

	// The contribution reported once, still published: the moderator keeps it so, and it leaves
	// the queue.
	m.open("/moderation")
	n = eval[int](m, fmt.Sprintf(`Array.from(document.querySelectorAll('ol.queue > li')).findIndex(li => li.querySelector('a[href="%s"]')) + 1`, contributionPath(onceID)))
	if n == 0 {
		t.Errorf("the moderation queue does not list the contribution reported once:\n%s", m.text("main"))
	} else {
		card = fmt.Sprintf("ol.queue > li:nth-child(%d)", n)
		m.wantText(card, "1 signalement")
		status := m.click(card + " button[name=action][value=restore]")
		if status != http.StatusOK || m.path() != "/moderation" {
			t.Errorf("Garder publié on a contribution reported once leads to %s (%d: %q, %q); want /moderation (200) and %q",
				m.path(), status, m.text("h1"), m.text("main p"), msgModerated)
		} else if m.exists(fmt.Sprintf(`ol.queue a[href="%s"]`, contributionPath(onceID))) {
			t.Error("after Garder publié, the contribution reported once is still in the moderation queue")
		}
	}

	// The author signs in, at the visitor's computer: they were told, in words that fit.
	authorTab := visitor
	authorTab.logIn(author)
	authorTab.click(`header a[href="/notifications"]`)
	authorTab.wantText("ol.notifications", "Votre texte sur « "+title+" » a été masqué")
	restored := eval[string](authorTab, `(Array.from(document.querySelectorAll('ol.notifications li')).find(li => li.textContent.includes('rétabli')) || {}).textContent || ''`)
	switch {
	case restored == "":
		t.Errorf("the author's notifications do not say the contribution was restored:\n%s", authorTab.text("main"))
	case strings.Contains(restored, "("):
		t.Errorf("the author's notification of the restoration gives a report reason, though the moderator kept the text: %q",
			strings.Join(strings.Fields(restored), " "))
	}
}

// TestClosedPhase closes the ideation phase: the contribution's page says so and offers no vote,
// and a vote sent from a page opened before the closing gets a page that says why it failed.
func TestClosedPhase(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	id := a.publish(t, a.newAccount(t, "Ana", ouvert.RoleParticipant), 0, "Ouvrir les données des bibliothèques",
		"Publier les catalogues et les prêts des bibliothèques publiques.")
	path := contributionPath(id)

	// The page opened while the phase is open.
	before := newTab(t, a, frenchBrowser)
	before.logIn(a.newAccount(t, "Jo", ouvert.RoleParticipant))
	before.open(path)
	vote := fmt.Sprintf("#vote-%d button.vote-agree", id)
	before.wantText(vote, "D'accord")

	// The phase ended yesterday.
	ideation := a.process(t).Phase(ouvert.PhaseIdeation)
	if err := a.DB.SetPhaseDates(context.Background(), ideation.ID,
		ouvert.Phase{StartsAt: ideation.StartsAt, EndsAt: time.Now().Add(-24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}

	// The same person opens it again, in another tab.
	after := before.besideTab(t, frenchBrowser)
	// The server reads the process at most once a second: reload until it knows.
	deadline := time.Now().Add(5 * time.Second)
	for {
		after.open(path)
		if strings.Contains(eval[string](after, `document.querySelector('main').textContent`), msgPhaseClosed) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("5 s after the ideation phase closed, its contribution's page does not say so:\n%s", after.text("main"))
		}
		time.Sleep(100 * time.Millisecond)
	}
	after.wantText("#contribution .notice", msgPhaseClosed)
	if after.exists(fmt.Sprintf("#vote-%d", id)) || after.exists("form.vote button") {
		t.Error("once the phase is closed, the contribution's page still offers vote buttons")
	}
	if after.exists("#new-argument") {
		t.Error("once the phase is closed, the contribution's page still offers the argument form")
	}
	after.click(`header a[href="/consultation"]`)
	after.wantText("main .notice", msgPhaseClosed)
	if after.exists(`main a[href^="/contributions/nouvelle"]`) || after.exists("form.vote") {
		t.Error("once the phase is closed, the consultation still offers to propose or vote")
	}

	// The page opened before: its vote button gets a clear refusal.
	status := before.click(vote)
	wantStatus(t, "a vote after the closing", status, http.StatusForbidden)
	before.wantText("h1", "Accès refusé")
	before.wantText("main", msgPhaseClosed)
	if c := a.contribution(t, id); c.Votes() != 0 {
		t.Errorf("a vote after the closing was counted: %d d'accord", c.Agree)
	}
}

// testKeyboardVote has a signed-in participant vote with the keyboard alone: Tab reaches the
// three vote buttons, and Enter on "Mitigé" records the vote.
func testKeyboardVote(b *tab, id int64) {
	t := b.t
	b.open(contributionPath(id))

	active := func() string {
		t.Helper()
		return eval[string](b, `(el => el.matches('form.vote button[name=value]') ? el.value : el.tagName + ' ' + (el.textContent || '').trim().slice(0, 30))(document.activeElement)`)
	}
	var order []string
	for range 60 {
		b.do("press Tab", chromedp.KeyEvent(kb.Tab))
		f := active()
		order = append(order, f)
		if f == "disagree" {
			break
		}
	}
	got := strings.Join(order, " | ")
	if !strings.Contains(got, "agree | mixed | disagree") {
		t.Fatalf("Tab does not reach the vote buttons D'accord, Mitigé, Pas d'accord in turn; the focus went through:\n  %s", strings.Join(order, "\n  "))
	}

	b.do("press Shift+Tab", chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
	if f := active(); f != "mixed" {
		t.Fatalf("Shift+Tab from Pas d'accord focuses %q; want Mitigé", f)
	}
	wantStatus(t, "Enter on Mitigé", b.navigate("press Enter on Mitigé", chromedp.KeyEvent(kb.Enter)), http.StatusOK)
	b.wantPath(contributionPath(id))
	b.wantText(".flash[role=status]", msgVoted)
	b.wantCounts("0 d'accord", "1 mitigé", "0 pas d'accord", "0 argument")
	b.wantPressed(id, "mixed")
}

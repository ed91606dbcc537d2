package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ouvert/internal/i18n"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/synthesis"
)

// axeSource is axe-core, Deque's accessibility engine (MPL-2.0): see testdata/README.md.
//
//go:embed testdata/axe.min.js
var axeSource string

// axeTags are the rules the site must pass: WCAG 2.0 and 2.1, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axeRule is one rule of axe's results and the elements it found.
type axeRule struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

type axeNode struct {
	Target  json.RawMessage `json:"target"` // CSS selectors; nested arrays across frames
	HTML    string          `json:"html"`
	Summary string          `json:"failureSummary"`
}

type axeResults struct {
	Violations []axeRule `json:"violations"`
	Incomplete []axeRule `json:"incomplete"`
}

// axeRunJS runs axe on the page and keeps what a report needs.
var axeRunJS = func() string {
	tags, _ := json.Marshal(axeTags)
	return `axe.run(document, {runOnly: {type: 'tag', values: ` + string(tags) + `}, resultTypes: ['violations', 'incomplete']})
	.then(r => {
		const rules = list => list.map(v => ({
			id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary || ''})),
		}));
		return {violations: rules(r.violations), incomplete: rules(r.incomplete)};
	})`
}()

// checkAccessibility runs axe-core on the page shown and fails the test with every violation of
// WCAG 2.1 A and AA that it finds. What axe could not decide is logged, not failed.
func (b *tab) checkAccessibility() {
	b.t.Helper()
	if !eval[bool](b, "typeof axe !== 'undefined'") {
		// The tab bypasses the page's Content-Security-Policy (see newTab): axe may run.
		run(b, "inject axe-core", chromedp.Evaluate[chromedp.Void](axeSource))
	}
	res := run(b, "run axe-core", chromedp.Evaluate[axeResults](axeRunJS, chromedp.EvalAwaitPromise))
	where := b.location()
	if len(res.Violations) > 0 {
		b.t.Errorf("%s (lang=%s): %d accessibility violation(s):\n%s", where, b.lang(), len(res.Violations), formatRules(res.Violations))
	}
	if len(res.Incomplete) > 0 {
		b.t.Logf("%s: axe could not decide %d rule(s), check by hand:\n%s", where, len(res.Incomplete), formatRules(res.Incomplete))
	}
}

func formatRules(rules []axeRule) string {
	var s strings.Builder
	for _, r := range rules {
		fmt.Fprintf(&s, "  %s (%s): %s\n    %s\n", r.ID, r.Impact, r.Help, r.HelpURL)
		for _, n := range r.Nodes {
			fmt.Fprintf(&s, "    - %s\n      %s\n", n.Target, n.HTML)
			if n.Summary != "" {
				fmt.Fprintf(&s, "      %s\n", strings.ReplaceAll(n.Summary, "\n", "\n      "))
			}
		}
	}
	return s.String()
}

// a11yPage brings a tab to one page, in the state a person sees it in, and checks that it got
// there.
type a11yPage struct {
	name  string
	visit func(b *tab)
}

// openPage visits a path that must answer status.
func openPage(path string, status int) func(b *tab) {
	return func(b *tab) {
		b.t.Helper()
		if got := b.open(path); got != int64(status) {
			b.t.Fatalf("%s answered %d; want %d", path, got, status)
		}
	}
}

// The pages anyone can reach, in every state the tests can put them in.
var publicPages = []a11yPage{
	{"home", openPage("/", http.StatusOK)},
	{"events", openPage("/evenements", http.StatusOK)},
	{"events with past", openPage("/evenements?passes=1", http.StatusOK)},
	{"launch event", openPage("/evenements/1", http.StatusOK)},
	{"event sheet", openPage("/evenements/3/fiche", http.StatusOK)},
	{"kit", openPage("/kit", http.StatusOK)},
	{"open data", openPage("/opendata/", http.StatusOK)},
	{"participate", openPage("/comment-participer", http.StatusOK)},
	{"signup", openPage("/inscription", http.StatusOK)},
	{"signup refused", func(b *tab) {
		b.open("/inscription")
		if status := b.click("main form button[type=submit]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("an empty sign-up form answered %d; want 422", status)
		}
		b.text(".error-summary")
	}},
	{"signup sent", func(b *tab) {
		b.open("/inscription")
		b.typeInto("#email", "alan.turing@example.org")
		b.typeInto("#password", "cheval batterie agrafe 2017")
		b.typeInto("#display_name", "Alan")
		b.do("tick the box", chromedp.Click(chromedp.CSS("#accept")))
		if status := b.click("main form button[type=submit]"); status != http.StatusOK {
			b.t.Fatalf("sign-up answered %d; want 200", status)
		}
	}},
	{"invalid confirmation link", openPage("/confirmer?jeton=perime", http.StatusNotFound)},
	{"login", openPage("/connexion", http.StatusOK)},
	{"login failed", func(b *tab) {
		b.open("/connexion")
		b.typeInto("#email", "personne@example.org")
		b.typeInto("#password", "pas le bon mot de passe")
		if status := b.click("main form button[type=submit]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("a failed log-in answered %d; want 422", status)
		}
		b.text(".error-summary")
	}},
	{"forgotten password", openPage("/mot-de-passe-oublie", http.StatusOK)},
	{"forgotten password sent", func(b *tab) {
		b.open("/mot-de-passe-oublie")
		b.typeInto("#email", "personne@example.org")
		if status := b.click("main form button[type=submit]"); status != http.StatusOK {
			b.t.Fatalf("the forgotten-password form answered %d; want 200", status)
		}
	}},
	{"contact", openPage("/contact", http.StatusOK)},
	{"contact refused", func(b *tab) {
		b.open("/contact")
		if status := b.click("main form button[type=submit]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("an empty contact form answered %d; want 422", status)
		}
		b.text(".error-summary")
	}},
	{"legal notice", openPage("/pages/legal-notice", http.StatusOK)},
	{"personal data", openPage("/pages/personal-data", http.StatusOK)},
	{"accessibility statement", openPage("/pages/accessibility", http.StatusOK)},
	{"not found", openPage("/pas-de-page-ici", http.StatusNotFound)},
	{"consultation", openPage("/consultation", http.StatusOK)},
	{"contribution", openContribution(demoHospitals)},
	{"responses", openPage("/reponses", http.StatusOK)},
	{"dashboard", func(b *tab) {
		openPage("/tableau-de-bord", http.StatusOK)(b)
		mustShow(b, "figure.chart svg[role=img]", "chart")
	}},
	{"syntheses", func(b *tab) {
		openPage("/syntheses", http.StatusOK)(b)
		b.click("ul.syntheses a")
		b.wantText("main", "Ce que vous avez dit")
	}},
	{"grouping method", openPage("/synthese/methode", http.StatusOK)},
	{"plans", openPage("/plans", http.StatusOK)},
	{"plan", func(b *tab) {
		openPage("/plans/plan-2015-2017", http.StatusOK)(b)
		mustShow(b, "ol.commitments progress", "progress bar")
	}},
	{"commitment", func(b *tab) {
		openPage("/plans/plan-2015-2017", http.StatusOK)(b)
		b.click("ol.commitments li:first-child a")
		mustShow(b, "#reviews", "reviews")
	}},
	{"print-ready plan", openPage("/plans/plan-2015-2017/imprimer", http.StatusOK)},
	{"drafts", openPage("/projets", http.StatusOK)},
	{"draft", func(b *tab) {
		openDraft("?section=problem&paragraphe=2")(b)
		b.wantText("#comments", "Lesquelles ?")
	}},
	{"draft versions", func(b *tab) {
		openDraft("/versions?de=1&a=2&vue=cote")(b)
		mustShow(b, ".side-by-side ins", "insertion")
	}},
	{"amendment", func(b *tab) {
		openDraft("/amendements")(b)
		b.click("ul.amendments a")
		mustShow(b, ".diff ins", "insertion")
	}},
}

// englishPages are checked in English too: each template at least once, and every state
// that shows an error.
var englishPages = []string{"home", "participate", "signup refused", "login failed", "forgotten password", "contact", "accessibility statement", "not found"}

// englishParticipantPages are the participant's pages checked in English too: the consultation
// and a contribution, with their forms.
var englishParticipantPages = []string{"consultation", "contribution"}

// openContribution opens the page of the contribution with that title.
func openContribution(title string) func(b *tab) {
	return func(b *tab) {
		b.t.Helper()
		path := contributionPath(b.app.contributionByTitle(b.t, title).ID)
		if got := b.open(path); got != http.StatusOK {
			b.t.Fatalf("%s answered %d; want 200", path, got)
		}
	}
}

// mustShow fails the test unless the page shows an element matching sel: the state the page
// should be in.
func mustShow(b *tab, sel, what string) {
	b.t.Helper()
	if !b.exists(sel) {
		b.t.Fatalf("%s shows no %s (%s)", b.location(), what, sel)
	}
}

// draftContribution fills in the propose form as a participant does.
func draftContribution(b *tab) {
	b.t.Helper()
	b.open("/contributions/nouvelle")
	b.do("choose an axis", chromedp.Click(chromedp.CSS(fmt.Sprintf(`label[for="axis-%d"]`, b.app.process(b.t).Axes[0].ID))))
	b.typeInto("#title", "Ouvrir les données des hôpitaux")
	b.typeInto("#body", "La qualité des soins, hôpital par hôpital.")
}

// The contributions that prepareConsultation makes.
const (
	a11yEditedTitle   = "Des budgets participatifs dans chaque région"
	a11yReportedTitle = "Un texte signalé trois fois"
)

// prepareConsultation puts the consultation in the states its pages must be checked in,
// directly in the store: the participant's contribution edited once (its history), argued on and
// replied to (their notifications); another hidden after three reports, and an argument reported
// once (the moderation queue).
func prepareConsultation(t *testing.T, a *app) {
	t.Helper()
	ctx := context.Background()
	p := a.process(t)
	others := []account{
		a.newAccount(t, "Zoe", ouvert.RoleParticipant),
		a.newAccount(t, "Yanis", ouvert.RoleParticipant),
		a.newAccount(t, "Xavier", ouvert.RoleParticipant),
	}
	mine := a.publish(t, a.Participant, 1, "Des budgets participatifs", "Confier une part du budget aux habitants.")
	if err := a.DB.EditContribution(ctx, mine, a.userID(t, a.Participant), a11yEditedTitle,
		"Confier **5 %** du budget d'investissement des régions aux habitants, qui proposent et votent les projets.", nil); err != nil {
		t.Fatalf("edit: %v", err)
	}
	arg := &ouvert.Argument{ContributionID: mine, AuthorID: a.userID(t, others[0]), Stance: ouvert.StanceNeutral,
		Body: "Il faudra aider les habitants à chiffrer leurs projets."}
	if err := a.DB.CreateArgument(ctx, arg); err != nil {
		t.Fatalf("argue: %v", err)
	}
	reply := &ouvert.Argument{ContributionID: mine, ParentID: arg.ID, AuthorID: a.userID(t, others[1]), Body: "Les services techniques peuvent s'en charger."}
	if err := a.DB.CreateArgument(ctx, reply); err != nil {
		t.Fatalf("reply: %v", err)
	}
	if _, err := a.DB.Report(ctx, store.TargetArgument, arg.ID, a.userID(t, others[2]), "off_topic", "", p.ReportThreshold); err != nil {
		t.Fatalf("report the argument: %v", err)
	}
	reported := a.publish(t, others[0], 2, a11yReportedTitle, "Un texte que trois personnes ont signalé.")
	for i, reason := range []string{"spam", "offensive", "other"} {
		reporter := a.Participant
		if i > 0 {
			reporter = others[i]
		}
		if _, err := a.DB.Report(ctx, store.TargetContribution, reported, a.userID(t, reporter), reason, "", p.ReportThreshold); err != nil {
			t.Fatalf("report the contribution: %v", err)
		}
	}
	// An answer, a group of the two demo examples on axis 1, and a published synthesis citing them.
	if _, err := a.DB.Answer(ctx, p.ID, []int64{mine}, ouvert.Answer{Response: ouvert.ResponseNotRetained, Reason: "Déjà prévu par la loi."}, 0); err != nil {
		t.Fatalf("answer: %v", err)
	}
	hospitals := a.contributionByTitle(t, demoHospitals).ID
	err := a.DB.ReplaceProposals(ctx, p.ID, []store.GroupSet{{Group: ouvert.Group{Kind: ouvert.GroupTopic, AxisID: p.Axes[0].ID, Words: []string{"données", "hôpitaux"}},
		MemberIDs: []int64{hospitals, mine}}})
	if err != nil {
		t.Fatalf("group: %v", err)
	}
	syn := &ouvert.Synthesis{ProcessID: p.ID, AxisID: p.Axes[0].ID, Title: a11ySynthesisTitle,
		Draft: "## Ce que vous avez dit\n\nVoir [[C-" + strconv.FormatInt(hospitals, 10) + "]].\n\n[[chiffres]]\n"}
	if err := a.DB.SaveSynthesis(ctx, syn); err != nil {
		t.Fatalf("synthesis: %v", err)
	}
	cat, _ := i18n.Load()
	expanded, cited, _, err := synthesis.Prepare(ctx, a.DB, cat.Locale("fr", p.Location()), p.ID, syn.AxisID, syn.Draft, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.PublishSynthesis(ctx, syn.ID, expanded, cited, 0, time.Now()); err != nil {
		t.Fatalf("publish: %v", err)
	}
	// A draft commitment with a comment on a paragraph and an accepted amendment: two versions.
	d := &ouvert.Draft{ProcessID: p.ID, AxisID: p.Axes[0].ID, LeadAdministration: "Ministère de la Culture", Contributions: []int64{hospitals}}
	v := &ouvert.DraftVersion{Title: a11yDraftTitle, AuthorID: a.userID(t, a.Organiser), Values: []string{"transparency"},
		Sections: map[string]string{ouvert.SectionProblem: "Les données sont dispersées.\n\nPeu sont réutilisables.",
			ouvert.SectionCommitment: "Publier les données des hôpitaux.", ouvert.SectionMilestones: "Inventaire | 2017-09 | 2017-12"}}
	if err := a.DB.CreateDraft(ctx, d, v); err != nil {
		t.Fatalf("draft: %v", err)
	}
	if err := a.DB.CommentDraft(ctx, &ouvert.DraftComment{DraftID: d.ID, Section: ouvert.SectionProblem, Paragraph: 2, Stance: ouvert.StanceAgainst,
		Body: "Lesquelles ?", AuthorID: a.userID(t, others[0])}); err != nil {
		t.Fatalf("comment: %v", err)
	}
	am := &ouvert.Amendment{DraftID: d.ID, Section: ouvert.SectionCommitment, Text: "Publier les données de tous les hôpitaux.", Reason: "Tous.", AuthorID: a.userID(t, others[1])}
	if err := a.DB.ProposeAmendment(ctx, am); err != nil {
		t.Fatalf("amend: %v", err)
	}
	if _, err := a.DB.DecideAmendment(ctx, am.ID, a.userID(t, a.Organiser), store.Decision{Status: ouvert.AmendmentAccepted}); err != nil {
		t.Fatalf("decide: %v", err)
	}
}

const a11yDraftTitle = "Ouvrir les données des hôpitaux (test)"

// openDraft opens the test's draft commitment, then path under it ("" for its page).
func openDraft(path string) func(b *tab) {
	return func(b *tab) {
		b.t.Helper()
		drafts, err := b.app.DB.Drafts(context.Background(), b.app.process(b.t).ID)
		if err != nil || len(drafts) == 0 {
			b.t.Fatalf("drafts: %v", err)
		}
		openPage("/projets/"+strconv.FormatInt(drafts[0].ID, 10)+path, http.StatusOK)(b)
	}
}

const a11ySynthesisTitle = "Synthèse de l'axe 1 (test)"

var participantPages = []a11yPage{
	{"profile", openPage("/profil", http.StatusOK)},
	{"organise an event", openPage("/evenements/nouveau", http.StatusOK)},
	{"organise an event refused", func(b *tab) {
		b.open("/evenements/nouveau")
		if status := b.click("main form button[type=submit]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("an empty event form answered %d; want 422", status)
		}
	}},
	{"event to register", openPage("/evenements/3", http.StatusOK)},
	{"delete account", openPage("/profil/supprimer", http.StatusOK)},
	{"delete account refused", func(b *tab) {
		b.open("/profil/supprimer")
		b.typeInto("#password", "pas le bon mot de passe")
		if status := b.click("main form button[type=submit]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("a wrong password answered %d; want 422", status)
		}
		b.text(".error-summary")
	}},
	{"consultation", func(b *tab) {
		openPage("/consultation", http.StatusOK)(b)
		mustShow(b, "ol.contributions form.vote", "vote buttons")
		mustShow(b, "section.transparency", "count of hidden texts")
	}},
	{"consultation axis", func(b *tab) {
		openPage("/consultation?axe="+strconv.FormatInt(b.app.process(b.t).Axes[1].ID, 10), http.StatusOK)(b)
		mustShow(b, "ol.contributions li", "contribution")
	}},
	{"consultation search", func(b *tab) {
		openPage("/consultation?q="+url.QueryEscape("données"), http.StatusOK)(b)
		mustShow(b, "ol.contributions mark", "marked words")
	}},
	{"consultation nothing found", func(b *tab) {
		openPage("/consultation?q=zzzz", http.StatusOK)(b)
		b.wantText("main", "Aucune contribution ne correspond à cette recherche.")
	}},
	{"contribution", func(b *tab) {
		openContribution(demoHospitals)(b)
		mustShow(b, "li.argument ol.replies li.reply", "reply")
		mustShow(b, "#new-argument", "argument form")
		mustShow(b, "form.vote", "vote buttons")
	}},
	{"argument refused", func(b *tab) {
		openContribution(demoHospitals)(b)
		if status := b.click("#new-argument button[type=submit]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("an empty argument answered %d; want 422", status)
		}
		b.text(".error-summary")
	}},
	{"propose", openPage("/contributions/nouvelle", http.StatusOK)},
	{"propose checked", func(b *tab) {
		draftContribution(b)
		if status := b.click("button[name=step][value=check]"); status != http.StatusOK {
			b.t.Fatalf("Continuer answered %d; want 200", status)
		}
		mustShow(b, ".similar li a", "similar contribution")
	}},
	{"propose refused", func(b *tab) {
		b.open("/contributions/nouvelle")
		if status := b.click("button[name=step][value=check]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("an empty propose form answered %d; want 422", status)
		}
		b.text(".error-summary")
	}},
	{"history", func(b *tab) {
		id := b.app.contributionByTitle(b.t, a11yEditedTitle).ID
		openPage(contributionPath(id)+"/historique", http.StatusOK)(b)
		b.wantText("main ol", "Des budgets participatifs")
	}},
	{"review a commitment", func(b *tab) {
		openPage("/plans/plan-2015-2017", http.StatusOK)(b)
		b.click("ol.commitments li:first-child a")
		mustShow(b, `form[action$="/avis"] input[type=radio]`, "rating")
	}},
	{"notifications", func(b *tab) {
		openPage("/notifications", http.StatusOK)(b)
		mustShow(b, "ol.notifications li", "notification")
	}},
}

var organiserPages = []a11yPage{
	{"workspace", func(b *tab) {
		openPage("/synthese", http.StatusOK)(b)
		mustShow(b, "table.workspace input[type=checkbox]", "checkbox")
	}},
	{"workspace refused", func(b *tab) {
		b.open("/synthese")
		if status := b.click("fieldset.bulk button[type=submit]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("answering nothing answered %d; want 422", status)
		}
		b.text(".error-summary")
	}},
	{"groups", func(b *tab) {
		openPage("/synthese/groupes?type=themes", http.StatusOK)(b)
		b.click(`main table a[href^="/synthese/groupes/"]`)
		mustShow(b, "form[action$=confirmer]", "confirm form")
	}},
	{"new plan", openPage("/plans/nouveau", http.StatusOK)},
	{"enter a commitment", openPage("/plans/plan-2015-2017/engagements/nouveau", http.StatusOK)},
	{"import commitments", openPage("/plans/plan-2015-2017/import", http.StatusOK)},
	{"new plan refused", func(b *tab) {
		b.open("/plans/nouveau")
		if status := b.click("main form button[type=submit]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("an empty plan answered %d; want 422", status)
		}
		b.text(".error-summary")
	}},
	{"new draft", openPage("/projets/nouveau", http.StatusOK)},
	{"new draft refused", func(b *tab) {
		b.open("/projets/nouveau")
		if status := b.click("main form button[type=submit]"); status != http.StatusUnprocessableEntity {
			b.t.Fatalf("an empty draft answered %d; want 422", status)
		}
		b.text(".error-summary")
	}},
	{"synthesis editor", func(b *tab) {
		openPage("/synthese/redaction?axe="+strconv.FormatInt(b.app.process(b.t).Axes[0].ID, 10), http.StatusOK)(b)
		mustShow(b, ".preview", "preview")
	}},
	{"accounts", openPage("/admin/comptes", http.StatusOK)},
	{"edit a page", openPage("/pages/legal-notice/modifier", http.StatusOK)},
	{"phases", openPage("/admin/phases", http.StatusOK)},
}

var moderatorPages = []a11yPage{
	{"moderation", func(b *tab) {
		openPage("/moderation", http.StatusOK)(b)
		mustShow(b, "ol.queue li", "reported text")
	}},
}

// pick returns the pages of the list that are named, in the list's order.
func pick(t *testing.T, pages []a11yPage, names []string) []a11yPage {
	t.Helper()
	var out []a11yPage
	for _, p := range pages {
		for _, name := range names {
			if p.name == name {
				out = append(out, p)
			}
		}
	}
	if len(out) != len(names) {
		t.Fatalf("%v names a page that the list lacks", names)
	}
	return out
}

// TestAccessibility runs axe-core on every page a person can reach: anonymous, signed in, as a
// moderator and as an organiser; in French, and the main ones in English.
func TestAccessibility(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	prepareConsultation(t, a)
	moderator := a.newAccount(t, "Maxime", ouvert.RoleModerator)
	// The account's language wins over the browser's: an English speaker's account is in English.
	english := a.newAccount(t, "Robin", ouvert.RoleParticipant)
	if err := a.DB.SetUserLang(context.Background(), a.userID(t, english), "en"); err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, b *tab, lang string, pages []a11yPage) {
		for _, p := range pages {
			t.Run(p.name, func(t *testing.T) {
				b := b.as(t)
				p.visit(b)
				wantLanguage(b, lang)
				b.checkAccessibility()
			})
		}
	}

	t.Run("fr", func(t *testing.T) {
		t.Parallel()
		check(t, newTab(t, a, frenchBrowser), "fr", publicPages)
	})
	t.Run("en", func(t *testing.T) {
		t.Parallel()
		check(t, newTab(t, a, englishBrowser), "en", pick(t, publicPages, englishPages))
	})
	t.Run("participant", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, a, frenchBrowser)
		b.logIn(a.Participant)
		check(t, b, "fr", participantPages)
	})
	t.Run("participant en", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, a, englishBrowser)
		b.logIn(english)
		check(t, b, "en", pick(t, participantPages, englishParticipantPages))
	})
	t.Run("moderator", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, a, frenchBrowser)
		b.logIn(moderator)
		check(t, b, "fr", moderatorPages)
	})
	t.Run("organiser", func(t *testing.T) {
		t.Parallel()
		b := newTab(t, a, frenchBrowser)
		b.logIn(a.Organiser)
		check(t, b, "fr", organiserPages)
	})
}

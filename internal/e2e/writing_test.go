package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ouvert/internal/ouvert"
)

// setWriting moves the process' calendar so that today is inside the writing phase (open) or just
// after it, and waits for the server to see it (it reads the process once a second at most).
func (a *app) setWriting(t *testing.T, open bool) {
	t.Helper()
	p := a.process(t)
	now := time.Now()
	end := now.Add(30 * 24 * time.Hour)
	if !open {
		end = now.Add(-time.Hour)
	}
	start := end.Add(-60 * 24 * time.Hour)
	for i, ph := range p.Phases {
		switch {
		case ph.Kind == ouvert.PhaseWriting:
			ph.StartsAt, ph.EndsAt = start, end
		case ph.StartsAt.Before(now) || i < 3:
			ph.StartsAt, ph.EndsAt = start.Add(-time.Duration(10-i)*24*time.Hour), start.Add(-time.Duration(9-i)*24*time.Hour)
		default:
			continue
		}
		if err := a.DB.SetPhaseDates(context.Background(), ph.ID, ph); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(1100 * time.Millisecond)
}

// TestWriting follows the collaborative writing of a commitment in a browser: a representative
// writes a draft from three contributions; a participant comments on a paragraph and proposes an
// amendment; others vote; the representative accepts it with changes and rejects another with a
// reason; the history shows three versions and what changed; after the phase, writes are refused.
func TestWriting(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	rep := a.newAccount(t, "Rachel", ouvert.RoleAdministration)
	if err := a.DB.SetRole(context.Background(), a.userID(t, rep), ouvert.RoleAdministration, "Ministère de la Culture"); err != nil {
		t.Fatal(err)
	}
	ana := a.newAccount(t, "Ana", ouvert.RoleParticipant)
	bob := a.newAccount(t, "Bob", ouvert.RoleParticipant)
	var sources []string
	for _, title := range []string{"Des musées ouverts", "Des archives en ligne", "Des bibliothèques numériques"} {
		id := a.publish(t, ana, 0, title, "Publier les collections publiques en ligne, librement réutilisables.")
		sources = append(sources, "C-"+strconv.FormatInt(id, 10))
	}
	a.setWriting(t, true)

	// The representative writes the draft.
	r := newTab(t, a, "fr")
	r.logIn(rep)
	r.open("/projets/nouveau")
	r.typeInto("#title", "Ouvrir les collections culturelles")
	r.chooseOption("#axis", "Axe 1", strconv.FormatInt(a.process(t).Axes[0].ID, 10))
	r.typeInto("#problem", "Les collections sont dispersées.\n\nPeu sont réutilisables.")
	r.typeInto("#commitment", "Publier les collections des musées nationaux.")
	r.typeInto("#milestones", "Inventaire | 2017-09 | 2017-12")
	r.typeInto("#contributions", strings.Join(sources, ", "))
	wantStatus(t, "creating the draft", r.click(`main form button[type=submit]`), 200)
	draftPath := r.path()
	if !strings.HasPrefix(draftPath, "/projets/") {
		t.Fatalf("creating the draft led to %s", draftPath)
	}
	if got := r.text("main"); !strings.Contains(got, "Ministère de la Culture") || !strings.Contains(got, "Des archives en ligne") {
		t.Fatalf("the draft page reads %q", got)
	}

	// A participant comments on the second paragraph of the problem, and proposes an amendment.
	p := newTab(t, a, "fr") // each person in a browser of their own: their own cookies
	p.logIn(ana)
	p.open(draftPath)
	p.click(`#p-problem-2 a`)
	p.do("pick a stance", chromedp.Click(chromedp.CSS(`label[for="stance-against"]`)))
	p.typeInto("#body", "Lesquelles ?")
	p.click(`#comments form button[type=submit]`)
	if got := p.text("#comments"); !strings.Contains(got, "Lesquelles ?") {
		t.Fatalf("the comments read %q", got)
	}
	amend := func(tab *tab, text, reason string) string {
		t.Helper()
		tab.open(draftPath + "/amender?section=commitment")
		tab.do("clear the text", chromedp.Clear(chromedp.CSS("#text")))
		tab.typeInto("#text", text)
		tab.typeInto("#reason", reason)
		tab.click(`button[value=preview]`)
		if !tab.exists(".diff ins") || !tab.exists(".diff del") {
			t.Fatalf("the preview shows no difference")
		}
		tab.click(`button[value=publish]`)
		if !strings.HasPrefix(tab.path(), "/amendements/") {
			t.Fatalf("publishing the amendment led to %s", tab.path())
		}
		return tab.path()
	}
	one := amend(p, "Publier les collections de tous les musées.", "Pas seulement les nationaux.")
	b := newTab(t, a, "fr")
	b.logIn(bob)
	two := amend(b, "Ne rien publier.", "Trop cher.")
	b.open(one)
	b.click(`#vote button[value=agree]`)
	if got := b.text("#vote .counts"); !strings.Contains(got, "1 d'accord") {
		t.Errorf("the amendment's votes read %q", got)
	}

	// The representative accepts the first with changes, and rejects the second with a reason.
	r.open(one)
	r.do("accept with changes", chromedp.Click(chromedp.CSS(`label[for="decision-accepted_modified"]`)))
	r.do("clear the text", chromedp.Clear(chromedp.CSS("#text")))
	r.typeInto("#text", "Publier les collections de tous les musées de France.")
	r.typeInto("#reason", "Précisé.")
	r.click(`form[action$="/decision"] button[type=submit]`)
	if got := r.text("#decision-title + p"); !strings.Contains(got, "accepté avec modifications") {
		t.Errorf("the decision reads %q", got)
	}
	r.open(two)
	r.do("reject", chromedp.Click(chromedp.CSS(`label[for="decision-rejected"]`)))
	if status := r.click(`form[action$="/decision"] button[type=submit]`); status != 422 {
		t.Errorf("a rejection without reason answered %d; want 422", status)
	}
	r.text(".error-summary")
	r.typeInto("#reason", "Contraire à l'objectif de l'engagement.")
	r.click(`form[action$="/decision"] button[type=submit]`)

	// A direct edit: three versions; the history compares them.
	r.open(draftPath + "/modifier")
	r.typeInto("#ambition", "Toutes les collections d'ici 2019.")
	r.typeInto("#summary", "Ajout de l'ambition.")
	r.click(`main form button[type=submit]`)
	p.open(draftPath + "/versions")
	if n := eval[int](p, `document.querySelectorAll('#list-title + ol li').length`); n != 3 {
		t.Fatalf("the history lists %d versions; want 3", n)
	}
	p.open(draftPath + "/versions?de=1&a=3&vue=cote")
	if got := p.text(".side-by-side"); !strings.Contains(got, "tous les musées de France") || !strings.Contains(got, "nationaux") {
		t.Errorf("the comparison reads %q", got)
	}
	for _, acc := range []account{ana, bob} {
		// Both authors heard of the decisions on their amendments.
		tab := b
		if acc == ana {
			tab = p
		}
		tab.open("/notifications")
		if got := tab.text("main"); !strings.Contains(got, "Décision sur un amendement") {
			t.Errorf("%s's notifications read %q", acc.Name, got)
		}
	}

	// After the phase: writes are refused with a clear message.
	a.setWriting(t, false)
	p.open(draftPath)
	if got := p.text("main"); !strings.Contains(got, "pendant la phase de rédaction collaborative seulement") {
		t.Errorf("after the phase the draft reads %q", got)
	}
	if p.exists(`form[action$="/vote"]`) || p.exists(`a[href*="/amender"]`) {
		t.Error("after the phase the draft still offers to vote or amend")
	}
	status := p.open(fmt.Sprintf("%s/amender?section=commitment", draftPath))
	if status != 403 || !strings.Contains(p.text("main"), "pendant la phase de rédaction collaborative seulement") {
		t.Errorf("the amendment form after the phase answered %d", status)
	}
}

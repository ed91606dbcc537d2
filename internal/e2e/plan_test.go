package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ouvert/internal/ouvert"
)

// TestPlan follows the action plan in a browser: an organiser publishes a plan from two final
// drafts; the lead administration's representative posts an update and completes a milestone; a
// milestone past its date is flagged; a participant reviews a commitment of the previous plan; the
// print-ready page holds every commitment.
func TestPlan(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	ctx := context.Background()
	rep := a.newAccount(t, "Rachel", ouvert.RoleAdministration)
	if err := a.DB.SetRole(ctx, a.userID(t, rep), ouvert.RoleAdministration, "Ministère de la Culture"); err != nil {
		t.Fatal(err)
	}
	ana := a.newAccount(t, "Ana", ouvert.RoleParticipant)
	p := a.process(t)
	// Two final drafts, as the writing phase leaves them; the first has a milestone long past.
	for i, title := range []string{"Ouvrir les collections culturelles", "Des archives en ligne"} {
		d := &ouvert.Draft{ProcessID: p.ID, AxisID: p.Axes[i].ID, LeadAdministration: "Ministère de la Culture"}
		v := &ouvert.DraftVersion{Title: title, AuthorID: a.userID(t, rep), Sections: map[string]string{
			ouvert.SectionCommitment: "Publier les collections.", ouvert.SectionMilestones: "Inventaire | 2017-09 | 2017-12\nPublication | 2040-01 | 2040-06"}}
		if err := a.DB.CreateDraft(ctx, d, v); err != nil {
			t.Fatal(err)
		}
		if err := a.DB.MarkFinal(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
	}

	org := newTab(t, a, "fr")
	org.logIn(a.Organiser)
	org.open("/plans/nouveau")
	org.typeInto("#title", "Plan d'action national 2017-2019")
	org.typeInto("#slug", "plan-2017-2019")
	org.do("dates", chromedp.SetValue(chromedp.CSS("#period_start"), "2017-09-01"), chromedp.SetValue(chromedp.CSS("#period_end"), "2019-06-30"))
	org.chooseOption("#status", "publié", ouvert.PlanPublished)
	org.click("main form button[type=submit]")
	if org.path() != "/plans/plan-2017-2019" {
		t.Fatalf("creating the plan led to %s", org.path())
	}
	org.do("tick the drafts", chromedp.Click(chromedp.CSS(`label[for^="draft-"]`)), chromedp.Click(chromedp.CSS(`.choice:nth-of-type(2) label[for^="draft-"]`)))
	org.click(`form[action$="/projets"] button[type=submit]`)
	if n := eval[int](org, `document.querySelectorAll('ol.commitments li').length`); n != 2 {
		t.Fatalf("the plan lists %d commitments; want 2", n)
	}

	// A visitor sees the late milestones flagged.
	v := newTab(t, a, "fr")
	v.open("/plans/plan-2017-2019")
	if got := v.text("#summary-title + ul"); !strings.Contains(got, "Jalons en retard : 2 / 4") {
		t.Errorf("the summary reads %q", got)
	}
	if n := eval[int](v, `document.querySelectorAll('ol.commitments strong.late').length`); n != 2 {
		t.Errorf("%d commitments flagged late; want 2", n)
	}

	// The representative posts an update and completes the late milestone.
	r := newTab(t, a, "fr")
	r.logIn(rep)
	r.open("/plans/plan-2017-2019")
	r.click(`ol.commitments li:first-child a`)
	commitmentPath := r.path()
	r.typeInto("#body", "L'inventaire est publié : [voir les données](https://www.data.gouv.fr).")
	r.click(`form[action$="/suivi"] button[type=submit]`)
	r.do("milestone done", chromedp.SetValue(chromedp.CSS(`table select[name=status]`), ouvert.MilestoneDone))
	r.click(`table form[action$="/jalon"] button[type=submit]`)
	if got := r.text("#milestones-title + .table-wrap"); !strings.Contains(got, "atteint") || strings.Contains(got, "en retard") {
		t.Errorf("after the milestone is reached, the table reads %q", got)
	}
	if got := r.text("#updates-title ~ ol"); !strings.Contains(got, "L'inventaire est publié") || !strings.Contains(got, "Jalon « Inventaire » : atteint") {
		t.Errorf("the follow-up reads %q", got)
	}
	v.open("/plans/plan-2017-2019")
	if n := eval[int](v, `document.querySelectorAll('ol.commitments strong.late').length`); n != 1 {
		t.Errorf("%d commitments still flagged late; want 1", n)
	}

	// A participant reviews a commitment of the previous plan (the demo's, open for review).
	pt := newTab(t, a, "fr")
	pt.logIn(ana)
	pt.open("/plans/plan-2015-2017")
	pt.click(`ol.commitments li:first-child a`)
	pt.do("rate", chromedp.Click(chromedp.CSS(`label[for="implementation-4"]`)), chromedp.Click(chromedp.CSS(`label[for="usefulness-5"]`)))
	pt.typeInto("#comment", "Utile, mais incomplet.")
	pt.click(`form[action$="/avis"] button[type=submit]`)
	if got := pt.text("#reviews"); !strings.Contains(got, "Utile, mais incomplet.") || !strings.Contains(got, "mise en œuvre 4 / 5") {
		t.Errorf("the reviews read %q", got)
	}

	// The print-ready page holds every commitment, each on its own page.
	v.open("/plans/plan-2017-2019/imprimer")
	if n := eval[int](v, `document.querySelectorAll('section.print-commitment').length`); n != 2 {
		t.Errorf("the print-ready page holds %d commitments; want 2", n)
	}
	if got := v.text("nav.toc"); !strings.Contains(got, "Ouvrir les collections culturelles") || !strings.Contains(got, "Des archives en ligne") {
		t.Errorf("the table of contents reads %q", got)
	}
	r.open(commitmentPath)
}

package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ouvert/internal/ouvert"
)

// TestSynthesis follows the synthesis as organisers and participants do it in a browser: the
// organiser groups the contributions, answers a group of near duplicates, writes and publishes a
// synthesis citing three contributions; the authors find the answer and the citation; the
// dashboard and its CSV agree with the data.
func TestSynthesis(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	ana := a.newAccount(t, "Ana", ouvert.RoleParticipant)
	ilan := a.newAccount(t, "Ilan", ouvert.RoleParticipant)
	body := "Des pistes cyclables sûres et gratuites dans chaque ville moyenne, reliées aux gares."
	one := a.publish(t, ana, 1, "Des pistes cyclables dans chaque ville moyenne", body)
	two := a.publish(t, ilan, 1, "Des pistes cyclables dans chaque ville moyenne !", body+" Vite.")
	three := a.publish(t, ilan, 1, "Des parkings à vélos dans les gares", "Des abris sécurisés pour les vélos dans toutes les gares régionales.")
	p := a.process(t)
	axis := p.Axes[1]

	org := newTab(t, a, "fr")
	org.logIn(a.Organiser)
	// Group: the run happens in the background; the page says when it is done.
	org.open("/synthese/groupes")
	org.click(`form[action="/synthese/regrouper"] button`)
	for i := 0; ; i++ {
		org.open("/synthese?q=cyclables")
		if org.exists(`a[href^="/synthese/groupes/"]`) {
			break
		}
		if i == 50 {
			t.Fatal("the grouping never grouped the two near duplicates")
		}
		time.Sleep(100 * time.Millisecond)
	}
	wantStatus(t, "the group's page", org.click(fmt.Sprintf(`tr:has(#pick-%d) a[href^="/synthese/groupes/"]`, one)), 200)
	if got := org.text("main table"); !strings.Contains(got, "C-"+strconv.FormatInt(two, 10)) {
		t.Fatalf("the group lacks the second near duplicate: %s", got)
	}
	org.typeInto("#label", "Pistes cyclables")
	org.click(`form[action$="/confirmer"] button`)
	if got := org.text("h1"); !strings.Contains(got, "Pistes cyclables") {
		t.Fatalf("the confirmed group is called %q", got)
	}
	// Answer the whole group at once.
	org.chooseOption(`form[action$="/reponse"] #response`, "Retenue", string(ouvert.ResponseRetained))
	org.typeInto(`form[action$="/reponse"] #reason`, "Repris dans la synthèse de l'axe 2.")
	org.click(`form[action$="/reponse"] button[type=submit]`)
	for _, id := range []int64{one, two} {
		if c := a.contribution(t, id); c.Response != ouvert.ResponseRetained || c.ResponseReason != "Repris dans la synthèse de l'axe 2." {
			t.Errorf("contribution %d: %s %q", id, c.Response, c.ResponseReason)
		}
	}

	// Write, preview and publish the synthesis of axis 2, citing three contributions.
	org.open("/synthese/redaction?axe=" + strconv.FormatInt(axis.ID, 10))
	ref := func(id int64) string { return "[[C-" + strconv.FormatInt(id, 10) + "]]" }
	org.typeInto("#draft", "Vous demandez des pistes cyclables "+ref(one)+" "+ref(two)+" et des parkings "+ref(three)+".\n\n[[chiffres]]\n")
	org.click(`button[value=preview]`)
	if got := org.text(".preview"); !strings.Contains(got, "Des parkings à vélos dans les gares (C-"+strconv.FormatInt(three, 10)+")") || !strings.Contains(got, "Chiffres au") {
		t.Fatalf("the preview reads %q", got)
	}
	wantStatus(t, "publishing", org.click(`button[value=publish]`), 200)
	if !strings.HasPrefix(org.path(), "/syntheses/") {
		t.Fatalf("publishing led to %s", org.path())
	}
	synthesisPath := org.path()
	for _, id := range []int64{one, two, three} {
		if !org.exists(fmt.Sprintf(`.prose a[href="/contributions/%d"]`, id)) {
			t.Errorf("the published synthesis does not link to contribution %d", id)
		}
	}

	// The author finds the answer and the citation, and follows it to the synthesis.
	author := org.besideTab(t, "fr")
	author.logIn(ana)
	author.open(contributionPath(one))
	if got := author.text("#response"); !strings.Contains(got, "Retenue dans la synthèse") || !strings.Contains(got, "Repris dans la synthèse de l'axe 2.") {
		t.Errorf("the author reads the response %q", got)
	}
	author.click("#response .citations a")
	if author.path() != synthesisPath {
		t.Errorf("the citation leads to %s; want %s", author.path(), synthesisPath)
	}
	author.open("/notifications")
	if got := author.text("main"); !strings.Contains(got, "Les organisateurs ont répondu") || !strings.Contains(got, "citée dans une synthèse publiée") {
		t.Errorf("the author's notifications read %q", got)
	}

	// The dashboard's table and CSV of contributions by axis agree with the counters.
	p = a.process(t)
	author.open("/tableau-de-bord")
	row := eval[string](author, `Array.from(document.querySelectorAll('#axes ~ details tbody tr')).map(r => r.innerText).join('\n')`)
	csv := run(author, "fetch the CSV", chromedp.Evaluate[string](`fetch('/tableau-de-bord/axes.csv').then(r => r.text())`, chromedp.EvalAwaitPromise))
	for _, ax := range p.Axes {
		n := strconv.Itoa(ax.Contributions)
		if !strings.Contains(row, ax.Title) || !strings.Contains(csv, ax.Title) {
			t.Errorf("axis %d missing from the dashboard:\n%s\n%s", ax.Position, row, csv)
		}
		for line := range strings.Lines(csv) {
			if strings.Contains(line, ax.Title) && !strings.HasSuffix(strings.TrimSpace(line), ","+n) {
				t.Errorf("the CSV line %q; want %s contributions", line, n)
			}
		}
	}
}

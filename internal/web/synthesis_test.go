package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

func TestAnswerAContribution(t *testing.T) {
	a := newApp(t)
	author, _ := a.user("auteur@exemple.fr", ouvert.RoleParticipant)
	org, _ := a.user("org@exemple.fr", ouvert.RoleOrganiser)
	admin, _ := a.user("adm@exemple.fr", ouvert.RoleAdministration)
	p := a.process()
	id := author.publish(p.Axes[0].ID, "Ouvrir les registres", "Publier les registres des délibérations.")
	other := author.publish(p.Axes[0].ID, "Registres ouverts", "Mettre en ligne les registres des délibérations.")
	path := "/contributions/" + itoa(id)

	contains(t, author.get(path), "À l&#39;étude", "recevra une réponse motivée")
	lacks(t, author.get(path), `action="/contributions/`+itoa(id)+`/reponse"`)
	if res := admin.post(path+"/reponse", url.Values{"response": {"retained"}}); res.Status != http.StatusForbidden {
		t.Fatalf("an administration representative answered: %d", res.Status)
	}
	// A refusal without a reason comes back with what was typed and a clear message.
	res := org.post(path+"/reponse", url.Values{"response": {"merged"}, "target": {"C-424242"}, "reason": {"Même idée"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("merge into nothing: %d", res.Status)
	}
	contains(t, res, "Cette contribution de destination n&#39;existe pas", `value="C-424242"`, "Même idée")
	res = org.post(path+"/reponse", url.Values{"response": {"merged"}, "target": {"C-" + itoa(other)}, "reason": {"Même idée que « Registres ouverts »."}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("merge: %d\n%s", res.Status, res.Body)
	}
	contains(t, author.get(path), "Fusionnée avec", `href="/contributions/`+itoa(other)+`"`, "Même idée que « Registres ouverts ».")
	// The author hears of it, and the public account counts it.
	contains(t, author.get("/notifications"), "Les organisateurs ont répondu à « Ouvrir les registres »")
	contains(t, a.client().get("/reponses"), "Qu&#39;est devenue ma contribution ?", "reponse=merged")
	contains(t, a.client().get("/consultation?reponse=merged"), "Ouvrir les registres")
	lacks(t, a.client().get("/consultation?reponse=merged"), "Registres ouverts</a>")
}

func TestWorkspaceBulkAnswer(t *testing.T) {
	a := newApp(t)
	author, _ := a.user("auteur@exemple.fr", ouvert.RoleParticipant)
	org, _ := a.user("org@exemple.fr", ouvert.RoleOrganiser)
	p := a.process()
	one := author.publish(p.Axes[2].ID, "Un budget participatif national", "Consacrer une part du budget à des projets choisis.")
	two := author.publish(p.Axes[2].ID, "Budget participatif pour l'État", "Que les citoyens choisissent des projets financés.")
	res := org.get("/synthese?axe=" + itoa(p.Axes[2].ID) + "&q=budget&tri=oldest")
	contains(t, res, "Un budget participatif national", "Budget participatif pour l&#39;État", `name="ids" value="`+itoa(one)+`"`)
	// Ticked, refused for want of a reason: the ticks and the filter stay.
	next := "/synthese?axe=" + itoa(p.Axes[2].ID) + "&q=budget"
	res = org.post("/synthese/reponses", url.Values{"ids": {itoa(one), itoa(two)}, "response": {"not_retained"}, "next": {next}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bulk without reason: %d", res.Status)
	}
	contains(t, res, "Donnez le motif", `value="`+itoa(one)+`" id="pick-`+itoa(one)+`" checked`)
	lacks(t, res, "Ouvrir les données de la qualité des soins") // the filter is kept: an example of another axis is not listed
	res = org.post("/synthese/reponses", url.Values{"ids": {itoa(one), itoa(two)}, "response": {"out_of_scope"}, "reason": {"Relève de la loi de finances."}, "next": {next}})
	if res.Status != http.StatusSeeOther || res.Location != next {
		t.Fatalf("bulk: %d to %q", res.Status, res.Location)
	}
	for _, id := range []int64{one, two} {
		c, err := a.db.Contribution(t.Context(), id)
		if err != nil || c.Response != ouvert.ResponseOutOfScope {
			t.Fatalf("contribution %d: %v, %v", id, c.Response, err)
		}
	}
	contains(t, org.get("/synthese?reponse=out_of_scope"), "Un budget participatif national")
}

func TestWriteAndPublishASynthesis(t *testing.T) {
	a := newApp(t)
	author, _ := a.user("auteur@exemple.fr", ouvert.RoleParticipant)
	org, _ := a.user("org@exemple.fr", ouvert.RoleOrganiser)
	p := a.process()
	axis := p.Axes[0]
	ids := []int64{
		author.publish(axis.ID, "Publier les <script>alert(1)</script> données", "Un titre qui tente d'injecter du code."),
		author.publish(axis.ID, "Ouvrir les codes sources [lien](javascript:alert(1))", "Un titre qui tente d'injecter un lien."),
		author.publish(axis.ID, "Des données *utiles*", "Des données réutilisables par tous."),
	}
	edit := "/synthese/redaction?axe=" + itoa(axis.ID)
	contains(t, org.get(edit), "Synthèse de l&#39;axe 1")
	draft := "## Ce que vous avez dit\n\nVous demandez d'ouvrir les données : [[C-" + itoa(ids[0]) + "]], [[C-" + itoa(ids[1]) + "]] et [[C-" + itoa(ids[2]) + "]].\n\n[[chiffres]]\n"
	form := url.Values{"axis": {itoa(axis.ID)}, "title": {"Synthèse de l'axe 1"}, "draft": {draft}}
	// The preview expands references and figures without saving anything.
	form.Set("action", "preview")
	res := org.post("/synthese/redaction", form)
	contains(t, res, `href="/contributions/`+itoa(ids[2])+`"`, "Des données *utiles* (C-"+itoa(ids[2])+")", "Chiffres au", "<td>Contributions</td>")
	lacks(t, res, "<script>alert(1)", `href="javascript:`)
	if list, _ := a.db.Syntheses(t.Context(), p.ID, false); len(list) != 0 {
		t.Fatal("a preview saved the synthesis")
	}
	// A reference to nothing is not published.
	bad := url.Values{"axis": {itoa(axis.ID)}, "title": {"Synthèse de l'axe 1"}, "draft": {"Voir [[C-999999]]."}, "action": {"publish"}}
	if res := org.post("/synthese/redaction", bad); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "C-999999") {
		t.Fatalf("unknown reference: %d", res.Status)
	}
	if res := a.client().get("/syntheses"); !strings.Contains(res.Body, "Aucune synthèse") {
		t.Fatal("a refused publication is public")
	}
	form.Set("action", "publish")
	res = org.post("/synthese/redaction", form)
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/syntheses/") {
		t.Fatalf("publish: %d to %q\n%s", res.Status, res.Location, res.Body)
	}
	public := a.client().get(res.Location)
	contains(t, public, "Ce que vous avez dit", "Version 1", "publiée le", `href="/contributions/`+itoa(ids[0])+`"`)
	lacks(t, public, "<script>alert(1)", `href="javascript:`)
	// Each cited contribution links back; its author heard of it.
	contains(t, author.get("/contributions/"+itoa(ids[1])), "Citée dans la synthèse « Synthèse de l&#39;axe 1 »", `href="`+res.Location+`"`)
	contains(t, author.get("/notifications"), "est citée dans une synthèse publiée")
	// A second version keeps the first readable.
	form.Set("draft", draft+"\nAjout après relecture.\n")
	if res := org.post("/synthese/redaction", form); res.Status != http.StatusSeeOther {
		t.Fatalf("second publication: %d", res.Status)
	}
	contains(t, a.client().get(res.Location), "Ajout après relecture.", "Version 2")
	lacks(t, a.client().get(res.Location+"/versions/1"), "Ajout après relecture.")
	if res := a.client().get(res.Location + "/versions/9"); res.Status != http.StatusNotFound {
		t.Fatalf("missing version: %d", res.Status)
	}
}

func TestDashboardAgreesWithTheData(t *testing.T) {
	a := newApp(t)
	author, _ := a.user("auteur@exemple.fr", ouvert.RoleParticipant)
	voter, _ := a.user("votant@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	id := author.publish(p.Axes[3].ID, "Un logement accessible", "Publier les délais d'attribution des logements sociaux.")
	voter.post("/contributions/"+itoa(id)+"/vote", url.Values{"value": {"agree"}})
	p = a.process()

	page := a.client().get("/tableau-de-bord")
	contains(t, page, `role="img"`, "Participation semaine par semaine", "Contributions par origine", `href="/tableau-de-bord/axes.csv"`)
	csvRows := func(name string) [][]string {
		res := a.client().get("/tableau-de-bord/" + name + ".csv")
		if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s.csv: %d %s", name, res.Status, res.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff"))).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s.csv: %v\n%s", name, err, res.Body)
		}
		return rows[1:]
	}
	sum := func(rows [][]string, col int) int {
		n := 0
		for _, r := range rows {
			v, _ := strconv.Atoi(r[col])
			n += v
		}
		return n
	}
	if got := sum(csvRows("axes"), 1); got != p.Contributions {
		t.Errorf("axes.csv sums to %d contributions, the process has %d", got, p.Contributions)
	}
	if got := sum(csvRows("origines"), 1); got != p.Contributions {
		t.Errorf("origines.csv sums to %d, the process has %d", got, p.Contributions)
	}
	weeks := csvRows("semaines")
	if got := sum(weeks, 1); got != p.Contributions {
		t.Errorf("semaines.csv sums to %d contributions, the process has %d", got, p.Contributions)
	}
	var votes int
	list, _, err := a.db.Contributions(t.Context(), store.ContributionFilter{ProcessID: p.ID, PerPage: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		votes += c.Votes()
	}
	if got := sum(weeks, 2); got != votes {
		t.Errorf("semaines.csv sums to %d votes, the contributions have %d", got, votes)
	}
	if res := a.client().get("/tableau-de-bord/inconnu.csv"); res.Status != http.StatusNotFound {
		t.Errorf("unknown table: %d", res.Status)
	}
}

func TestGroupsOfDuplicates(t *testing.T) {
	a := newApp(t)
	author, _ := a.user("auteur@exemple.fr", ouvert.RoleParticipant)
	other, _ := a.user("autre@exemple.fr", ouvert.RoleParticipant)
	org, _ := a.user("org@exemple.fr", ouvert.RoleOrganiser)
	participant := other
	p := a.process()
	one := author.publish(p.Axes[1].ID, "Rendre les vélos cyclables gratuits", "Des pistes cyclables sûres et gratuites dans chaque ville moyenne.")
	two := other.publish(p.Axes[1].ID, "Rendre les vélos cyclables gratuits !", "Des pistes cyclables sûres et gratuites dans chaque ville moyenne, vite.")
	if err := a.web.Regroup(t.Context()); err != nil {
		t.Fatal(err)
	}
	res := org.get("/synthese/groupes")
	contains(t, res, "Dernier regroupement le", "proposé")
	groups, _, err := a.db.Groups(t.Context(), store.GroupFilter{ProcessID: p.ID, Kind: ouvert.GroupDuplicate})
	if err != nil {
		t.Fatal(err)
	}
	var g *ouvert.Group
	for _, x := range groups {
		if ids, _ := a.db.GroupMemberIDs(t.Context(), x.ID); len(ids) == 2 && ids[0] == one && ids[1] == two {
			g = x
		}
	}
	if g == nil {
		t.Fatalf("the two near duplicates are not grouped: %+v", groups)
	}
	path := "/synthese/groupes/" + itoa(g.ID)
	for _, action := range []string{"confirmer", "rejeter", "scinder", "reponse"} {
		if res := participant.post(path+"/"+action, url.Values{"label": {"Piraté"}, "members": {itoa(one)}, "response": {"retained"}}); res.Status != http.StatusForbidden {
			t.Errorf("a participant may %s a group: %d", action, res.Status)
		}
	}
	if res := participant.get(path); res.Status != http.StatusForbidden {
		t.Errorf("a participant sees a group: %d", res.Status)
	}
	contains(t, org.get(path), "Rendre les vélos cyclables gratuits !")
	if res := org.post(path+"/confirmer", url.Values{"label": {"Vélo gratuit"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", res.Status)
	}
	// A refused group answer keeps what was typed.
	res = org.post(path+"/reponse", url.Values{"response": {"not_retained"}, "reason": {""}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("answer without reason: %d", res.Status)
	}
	contains(t, res, "Donnez le motif", "Vélo gratuit")
	if res := org.post(path+"/reponse", url.Values{"response": {"retained"}, "reason": {"Repris dans la synthèse."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("answer the group: %d", res.Status)
	}
	for _, id := range []int64{one, two} {
		contains(t, author.get("/contributions/"+itoa(id)), "Retenue dans la synthèse", "Repris dans la synthèse.")
	}
	// A new near duplicate joins the confirmed group at once; the next run keeps the name.
	three := author.publish(p.Axes[1].ID, "Vélos cyclables gratuits", "Des pistes cyclables sûres et gratuites dans chaque ville moyenne.")
	if ids, _ := a.db.GroupMemberIDs(t.Context(), g.ID); len(ids) != 3 || ids[2] != three {
		t.Fatalf("members after a new contribution: %v", ids)
	}
	if err := a.web.Regroup(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, err := a.db.Group(t.Context(), p.ID, g.ID); err != nil || got.Label != "Vélo gratuit" || got.Members != 3 {
		t.Fatalf("after a second run: %+v, %v", got, err)
	}
	contains(t, a.client().get("/synthese/methode"), "287 paires", "0,7")
}

func TestMergeSplitAndRejectGroups(t *testing.T) {
	a := newApp(t)
	author, _ := a.user("auteur@exemple.fr", ouvert.RoleParticipant)
	org, _ := a.user("org@exemple.fr", ouvert.RoleOrganiser)
	p := a.process()
	var ids []int64
	for i := range 4 {
		ids = append(ids, author.publish(p.Axes[0].ID, "Idée "+itoa(int64(i)), "Une idée parmi d'autres, assez longue."))
	}
	err := a.db.ReplaceProposals(t.Context(), p.ID, []store.GroupSet{
		{Group: ouvert.Group{Kind: ouvert.GroupDuplicate}, MemberIDs: []int64{ids[0], ids[1]}},
		{Group: ouvert.Group{Kind: ouvert.GroupDuplicate}, MemberIDs: []int64{ids[2], ids[3]}},
	})
	if err != nil {
		t.Fatal(err)
	}
	groups, _, _ := a.db.Groups(t.Context(), store.GroupFilter{ProcessID: p.ID, Kind: ouvert.GroupDuplicate})
	// One group ticked is not a merge: the organiser is told, nothing changes.
	res := org.post("/synthese/groupes/fusion", url.Values{"groups": {itoa(groups[0].ID)}, "next": {"/synthese/groupes"}})
	if res.Status != http.StatusSeeOther || res.Location != "/synthese/groupes" {
		t.Fatalf("merge one group: %d %q", res.Status, res.Location)
	}
	contains(t, org.get("/synthese/groupes"), "Cochez au moins deux groupes à fusionner.")
	res = org.post("/synthese/groupes/fusion", url.Values{"groups": {itoa(groups[0].ID), itoa(groups[1].ID)}})
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/synthese/groupes/") {
		t.Fatalf("merge: %d %q", res.Status, res.Location)
	}
	merged := strings.TrimPrefix(res.Location, "/synthese/groupes/")
	contains(t, org.get(res.Location), "4 contributions", "confirmé")
	// Split one contribution out; a split with nothing ticked comes back with a message.
	if res := org.post(res.Location+"/scinder", nil); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Cochez les contributions à sortir du groupe.") {
		t.Fatalf("empty split: %d", res.Status)
	}
	res = org.post("/synthese/groupes/"+merged+"/scinder", url.Values{"members": {itoa(ids[3])}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("split: %d", res.Status)
	}
	contains(t, org.get(res.Location), "1 contribution", "Idée 3")
	contains(t, org.get("/synthese/groupes/"+merged), "3 contributions")
	// Rejected: not duplicates; the group leaves the list.
	if res := org.post(res.Location+"/rejeter", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("reject: %d", res.Status)
	}
	if _, n, _ := a.db.Groups(t.Context(), store.GroupFilter{ProcessID: p.ID, Kind: ouvert.GroupDuplicate}); n != 1 {
		t.Fatalf("%d duplicate groups listed after a rejection; want 1", n)
	}
}

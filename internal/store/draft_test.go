package store_test

import (
	"context"
	"testing"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

func newDraft(t *testing.T, db *store.DB, p *ouvert.Process, author int64, sources ...int64) *ouvert.Draft {
	t.Helper()
	d := &ouvert.Draft{ProcessID: p.ID, AxisID: p.Axes[0].ID, LeadAdministration: "Ministère de la Culture", Contributions: sources}
	v := &ouvert.DraftVersion{Title: "Ouvrir les données culturelles", AuthorID: author, Values: []string{"transparency"},
		Sections: map[string]string{
			ouvert.SectionProblem:    "Les données culturelles sont dispersées.\n\nPeu sont réutilisables.",
			ouvert.SectionCommitment: "Publier les données des musées nationaux.",
			ouvert.SectionMilestones: "Inventaire | 2017-09 | 2017-12\nPublication | 2018-01 | 2018-06",
		}}
	if err := db.CreateDraft(context.Background(), d, v); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDraftsVersionsAndAmendments(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	rep, alice, bob := newUser(t, db, "rep@exemple.fr"), newUser(t, db, "alice@exemple.fr"), newUser(t, db, "bob@exemple.fr")
	c := propose(t, db, p, alice.ID, 0, "Des musées ouverts", "Publier les collections des musées en ligne.")
	if err := db.CreateDraft(ctx, &ouvert.Draft{ProcessID: p.ID, AxisID: p.Axes[0].ID}, &ouvert.DraftVersion{Title: "Sans rien"}); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("empty draft: %v", err)
	}
	d := newDraft(t, db, p, rep.ID, c.ID)

	// The contribution it draws on is answered "taken up in draft", and its author told.
	got, _ := db.Contribution(ctx, c.ID)
	if got.Response != ouvert.ResponseDraft || got.ResponseTarget != d.ID {
		t.Fatalf("source contribution: %s %d", got.Response, got.ResponseTarget)
	}
	checkResponseCounts(t, db, p, map[ouvert.Response]int{ouvert.ResponseDraft: 1})

	// Votes on the whole and on a section, changed once.
	for _, v := range []struct {
		section string
		user    int64
		value   int
	}{{"", alice.ID, ouvert.VoteAgree}, {"", bob.ID, ouvert.VoteDisagree}, {"", bob.ID, ouvert.VoteMixed}, {ouvert.SectionProblem, alice.ID, ouvert.VoteDisagree}} {
		if err := db.VoteDraft(ctx, d.ID, v.section, v.user, v.value); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.VoteDraft(ctx, d.ID, "bogus", alice.ID, 1); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("vote on no section: %v", err)
	}
	counts, err := db.DraftCounts(ctx, d.ID)
	if err != nil || counts[""].Agree != 1 || counts[""].Mixed != 1 || counts[""].Disagree != 0 || counts[ouvert.SectionProblem].Disagree != 1 {
		t.Fatalf("counts = %+v, %v", counts, err)
	}

	// A comment on the second paragraph of the problem.
	cm := &ouvert.DraftComment{DraftID: d.ID, Section: ouvert.SectionProblem, Paragraph: 2, Stance: ouvert.StanceAgainst, Body: "Lesquelles ?", AuthorID: bob.ID}
	if err := db.CommentDraft(ctx, cm); err != nil {
		t.Fatal(err)
	}
	if err := db.CommentDraft(ctx, &ouvert.DraftComment{DraftID: d.ID, Section: ouvert.SectionProblem, Body: "x", AuthorID: bob.ID}); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("comment without stance: %v", err)
	}
	if pc, _ := db.ParagraphComments(ctx, d.ID); pc[ouvert.SectionProblem][2] != 1 {
		t.Fatalf("paragraph counts = %v", pc)
	}
	if list, total, _ := db.DraftComments(ctx, d.ID, ouvert.SectionProblem, 2, 1, 20); total != 1 || list[0].Body != "Lesquelles ?" || list[0].Version != 1 {
		t.Fatalf("comments = %+v", list)
	}

	// Two amendments: one accepted with changes, one rejected.
	one := &ouvert.Amendment{DraftID: d.ID, Section: ouvert.SectionCommitment, Text: "Publier les données de tous les musées.", Reason: "Pas seulement les nationaux.", AuthorID: alice.ID}
	two := &ouvert.Amendment{DraftID: d.ID, Section: ouvert.SectionCommitment, Text: "Ne rien publier.", Reason: "Trop cher.", AuthorID: bob.ID}
	for _, a := range []*ouvert.Amendment{one, two} {
		if err := db.ProposeAmendment(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.ProposeAmendment(ctx, &ouvert.Amendment{DraftID: d.ID, Section: ouvert.SectionCommitment, Text: "Publier les données des musées nationaux.", Reason: "Rien", AuthorID: bob.ID}); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("an amendment that changes nothing: %v", err)
	}
	if err := db.VoteAmendment(ctx, one.ID, bob.ID, ouvert.VoteAgree); err != nil {
		t.Fatal(err)
	}
	if err := db.CommentDraft(ctx, &ouvert.DraftComment{DraftID: d.ID, AmendmentID: one.ID, Stance: ouvert.StanceFor, Body: "Oui.", AuthorID: bob.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DecideAmendment(ctx, two.ID, rep.ID, store.Decision{Status: ouvert.AmendmentRejected}); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("rejected without a reason: %v", err)
	}
	a, err := db.DecideAmendment(ctx, one.ID, rep.ID, store.Decision{Status: ouvert.AmendmentAcceptedModified,
		Text: "Publier les données de tous les musées de France.", Reason: "Précisé."})
	if err != nil || a.ResultVersion != 2 {
		t.Fatalf("accept: %+v, %v", a, err)
	}
	if _, err := db.DecideAmendment(ctx, one.ID, rep.ID, store.Decision{Status: ouvert.AmendmentRejected, Reason: "Non"}); ouvert.ErrorCode(err) != ouvert.ECONFLICT {
		t.Fatalf("decided twice: %v", err)
	}
	if _, err := db.DecideAmendment(ctx, two.ID, rep.ID, store.Decision{Status: ouvert.AmendmentRejected, Reason: "Contraire à l'objectif."}); err != nil {
		t.Fatal(err)
	}
	d2, err := db.Draft(ctx, d.ID)
	if err != nil || d2.Version.Number != 2 || d2.Version.Section(ouvert.SectionCommitment) != "Publier les données de tous les musées de France." ||
		d2.Version.AuthorID != alice.ID || d2.Version.AmendmentID != one.ID || d2.Amendments != 0 || len(d2.Contributions) != 1 {
		t.Fatalf("draft after decisions = %+v (version %+v), %v", d2, d2.Version, err)
	}
	if v1, err := db.DraftVersion(ctx, d.ID, 1); err != nil || v1.Section(ouvert.SectionCommitment) != "Publier les données des musées nationaux." {
		t.Fatalf("version 1 changed: %+v, %v", v1, err)
	}
	// The editor edits directly: version 3.
	v3 := *d2.Version
	v3.Sections = map[string]string{}
	for k, s := range d2.Version.Sections {
		v3.Sections[k] = s
	}
	v3.Sections[ouvert.SectionAmbition] = "Toutes les collections d'ici 2019."
	v3.AuthorID, v3.AmendmentID, v3.Summary = rep.ID, 0, "Ajout de l'ambition."
	if err := db.EditDraft(ctx, d.ID, &v3); err != nil {
		t.Fatal(err)
	}
	if vs, _ := db.DraftVersions(ctx, d.ID); len(vs) != 3 || vs[0].Summary != "Ajout de l'ambition." || vs[1].AmendmentID != one.ID {
		t.Fatalf("versions = %+v", vs)
	}
	// Alice (author of the accepted amendment, not a follower) and the representative heard of it.
	ns, _ := db.Notifications(ctx, alice.ID, 20)
	decided := 0
	for _, n := range ns {
		if n.Kind == "amendment_decided" {
			decided++
		}
	}
	if decided != 1 {
		t.Errorf("alice's decision notifications: %d (%+v)", decided, ns)
	}
	if ns, _ := db.Notifications(ctx, rep.ID, 20); len(ns) < 3 {
		t.Errorf("the representative, who follows the draft, heard of %d things", len(ns))
	}
	// Final: no more changes.
	if err := db.MarkFinal(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.VoteDraft(ctx, d.ID, "", alice.ID, ouvert.VoteDisagree); ouvert.ErrorCode(err) != ouvert.ECONFLICT {
		t.Fatalf("vote on a final draft: %v", err)
	}
	if err := db.ProposeAmendment(ctx, &ouvert.Amendment{DraftID: d.ID, Section: ouvert.SectionAmbition, Text: "Plus.", Reason: "Plus.", AuthorID: bob.ID}); ouvert.ErrorCode(err) != ouvert.ECONFLICT {
		t.Fatalf("amend a final draft: %v", err)
	}
	if d3, _ := db.Draft(ctx, d.ID); d3.FinalVersion != 3 || d3.Status != ouvert.DraftFinal {
		t.Fatalf("final = %d %s", d3.FinalVersion, d3.Status)
	}
	// A contribution answered "taken up in draft" by an organiser names an existing draft.
	c2 := propose(t, db, p, alice.ID, 0, "Des archives ouvertes", "Numériser et publier les archives.")
	if _, err := db.Answer(ctx, p.ID, []int64{c2.ID}, ouvert.Answer{Response: ouvert.ResponseDraft, Target: 999}, rep.ID); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("answer with no such draft: %v", err)
	}
	if _, err := db.Answer(ctx, p.ID, []int64{c2.ID}, ouvert.Answer{Response: ouvert.ResponseDraft, Target: d.ID}, rep.ID); err != nil {
		t.Fatal(err)
	}
	if d4, _ := db.Draft(ctx, d.ID); len(d4.Contributions) != 2 {
		t.Fatalf("sources = %v", d4.Contributions)
	}
}

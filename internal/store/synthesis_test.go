package store_test

import (
	"context"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

// checkResponseCounts compares the counters kept on write with a count of the rows.
func checkResponseCounts(t *testing.T, db *store.DB, p *ouvert.Process, want map[ouvert.Response]int) {
	t.Helper()
	counts, err := db.ResponseCounts(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[ouvert.Response]int{}
	for _, byResponse := range counts {
		for r, n := range byResponse {
			got[r] += n
		}
	}
	for _, r := range ouvert.Responses {
		if got[r] != want[r] {
			t.Errorf("%s: counter %d, want %d (all: %v)", r, got[r], want[r], got)
		}
	}
}

func TestAnswers(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	alice, bob, org := newUser(t, db, "alice@exemple.fr"), newUser(t, db, "bob@exemple.fr"), newUser(t, db, "org@exemple.fr")
	a := propose(t, db, p, alice.ID, 0, "Ouvrir les données de santé", "Publier les données anonymisées des hôpitaux.")
	b := propose(t, db, p, bob.ID, 0, "Données hospitalières ouvertes", "Que les hôpitaux publient leurs données.")
	c := propose(t, db, p, bob.ID, 1, "Un registre des lobbies", "Publier les rencontres avec les représentants d'intérêts.")
	checkResponseCounts(t, db, p, map[ouvert.Response]int{ouvert.ResponseReview: 3})

	// A refusal needs a reason; a merge names its target.
	if _, err := db.Answer(ctx, p.ID, []int64{c.ID}, ouvert.Answer{Response: ouvert.ResponseNotRetained}, org.ID); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("refusal without a reason: %v", err)
	}
	if _, err := db.Answer(ctx, p.ID, []int64{b.ID}, ouvert.Answer{Response: ouvert.ResponseMerged, Reason: "Même idée"}, org.ID); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("merge without a target: %v", err)
	}
	if _, err := db.Answer(ctx, p.ID, []int64{b.ID}, ouvert.Answer{Response: "bogus"}, org.ID); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("unknown response: %v", err)
	}
	// Another process' contribution is not found, and nothing changes.
	if _, err := db.Answer(ctx, p.ID+1, []int64{a.ID}, ouvert.Answer{Response: ouvert.ResponseRetained}, org.ID); ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		t.Fatalf("answer in another process: %v", err)
	}
	// A group answered at once: b merges into a; a itself keeps its own answer.
	n, err := db.Answer(ctx, p.ID, []int64{a.ID, b.ID}, ouvert.Answer{Response: ouvert.ResponseMerged, Reason: "Même idée que C-1", Target: a.ID}, org.ID)
	if err != nil || n != 1 {
		t.Fatalf("merge: %d, %v", n, err)
	}
	if _, err := db.Answer(ctx, p.ID, []int64{a.ID}, ouvert.Answer{Response: ouvert.ResponseRetained}, org.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Answer(ctx, p.ID, []int64{c.ID}, ouvert.Answer{Response: ouvert.ResponseOutOfScope, Reason: "Relève de la loi."}, org.ID); err != nil {
		t.Fatal(err)
	}
	got, err := db.Contribution(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Response != ouvert.ResponseMerged || got.ResponseTarget != a.ID || got.ResponseReason != "Même idée que C-1" || got.RespondedAt.IsZero() {
		t.Fatalf("b = %s %d %q %v", got.Response, got.ResponseTarget, got.ResponseReason, got.RespondedAt)
	}
	checkResponseCounts(t, db, p, map[ouvert.Response]int{ouvert.ResponseRetained: 1, ouvert.ResponseMerged: 1, ouvert.ResponseOutOfScope: 1})
	// Withdrawing and hiding move the counters; restoring puts them back.
	if err := db.WithdrawContribution(ctx, c.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	checkResponseCounts(t, db, p, map[ouvert.Response]int{ouvert.ResponseRetained: 1, ouvert.ResponseMerged: 1})
	if err := db.Moderate(ctx, org.ID, store.TargetContribution, a.ID, true, "offensive"); err != nil {
		t.Fatal(err)
	}
	checkResponseCounts(t, db, p, map[ouvert.Response]int{ouvert.ResponseMerged: 1})
	if err := db.Moderate(ctx, org.ID, store.TargetContribution, a.ID, false, ""); err != nil {
		t.Fatal(err)
	}
	checkResponseCounts(t, db, p, map[ouvert.Response]int{ouvert.ResponseRetained: 1, ouvert.ResponseMerged: 1})
	// The authors heard of it (they follow their contributions); the organiser did not.
	for _, u := range []*ouvert.User{alice, bob} {
		ns, err := db.Notifications(ctx, u.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, n := range ns {
			found = found || n.Kind == "answered"
		}
		if !found {
			t.Errorf("%s was not told of the answer: %+v", u.Email, ns)
		}
	}
	if ns, _ := db.Notifications(ctx, org.ID, 10); len(ns) != 0 {
		t.Errorf("the organiser was notified of their own answer: %+v", ns)
	}
	// An account deleted with its texts leaves the counters right.
	if err := db.DeleteUserContent(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	checkResponseCounts(t, db, p, map[ouvert.Response]int{ouvert.ResponseRetained: 1})
}

func TestSynthesisVersionsAndCitations(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	alice, org := newUser(t, db, "alice@exemple.fr"), newUser(t, db, "org@exemple.fr")
	a := propose(t, db, p, alice.ID, 0, "Ouvrir les données de santé", "Publier les données anonymisées des hôpitaux.")
	b := propose(t, db, p, alice.ID, 0, "Un registre des lobbies", "Publier les rencontres avec les représentants d'intérêts.")
	if err := db.Vote(ctx, a.ID, org.ID, ouvert.VoteAgree); err != nil {
		t.Fatal(err)
	}
	s := &ouvert.Synthesis{ProcessID: p.ID, AxisID: p.Axes[0].ID, Title: "Synthèse de l'axe 1", Draft: "Voir [[C-1]]."}
	if err := db.SaveSynthesis(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveSynthesis(ctx, &ouvert.Synthesis{ProcessID: p.ID, AxisID: p.Axes[0].ID, Title: "Encore"}); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("second synthesis of an axis: %v", err)
	}
	if err := db.SaveSynthesis(ctx, &ouvert.Synthesis{ProcessID: p.ID, AxisID: 999999, Title: "Ailleurs"}); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("synthesis of an unknown axis: %v", err)
	}
	if list, _ := db.Syntheses(ctx, p.ID, true); len(list) != 0 {
		t.Fatalf("an unpublished draft is public: %+v", list)
	}
	at := time.Date(2017, 5, 31, 10, 0, 0, 0, time.UTC)
	v1, err := db.PublishSynthesis(ctx, s.ID, "Voir [Ouvrir](/contributions/1).", []int64{a.ID}, org.ID, at)
	if err != nil || v1.Number != 1 {
		t.Fatalf("publish: %+v, %v", v1, err)
	}
	s.Draft = "Voir [[C-1]] et [[C-2]]."
	if err := db.SaveSynthesis(ctx, s); err != nil {
		t.Fatal(err)
	}
	// The public still reads version 1 while the draft changes.
	if v, err := db.SynthesisVersion(ctx, s.ID, 0); err != nil || v.Number != 1 || v.Source != "Voir [[C-1]]." {
		t.Fatalf("published = %+v, %v", v, err)
	}
	if _, err := db.PublishSynthesis(ctx, s.ID, "v2", []int64{a.ID, b.ID}, org.ID, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := db.Synthesis(ctx, s.ID)
	if err != nil || !got.Published() || got.Versions != 2 || !got.PublishedAt.Equal(at.Add(time.Hour)) {
		t.Fatalf("synthesis = %+v, %v", got, err)
	}
	if vs, _ := db.SynthesisVersions(ctx, s.ID); len(vs) != 2 || vs[0].Number != 2 || vs[0].AuthorName == "" {
		t.Fatalf("versions = %+v", vs)
	}
	for _, c := range []int64{a.ID, b.ID} {
		if cs, err := db.Citations(ctx, c); err != nil || len(cs) != 1 || cs[0].SynthesisID != s.ID {
			t.Fatalf("citations of %d = %+v, %v", c, cs, err)
		}
	}
	// Alice heard once per contribution newly cited, not again for a re-publication.
	ns, _ := db.Notifications(ctx, alice.ID, 20)
	cited := 0
	for _, n := range ns {
		if n.Kind == "cited" {
			cited++
		}
	}
	if cited != 2 {
		t.Errorf("cited notifications = %d, want 2", cited)
	}
	f, err := db.SynthesisFigures(ctx, p.ID, p.Axes[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if f.Contributions != 2 || f.Votes != 1 || f.Participants != 2 || f.ByOrigin["online"] != 2 {
		t.Fatalf("figures = %+v", f)
	}
	titles, err := db.ContributionTitles(ctx, p.ID, []int64{a.ID, b.ID, 424242})
	if err != nil || len(titles) != 2 || titles[a.ID] != a.Title {
		t.Fatalf("titles = %v, %v", titles, err)
	}
}

func TestGroups(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	alice := newUser(t, db, "alice@exemple.fr")
	var ids []int64
	for i := range 6 {
		ids = append(ids, propose(t, db, p, alice.ID, i%2, "Idée", "Une idée parmi d'autres, assez longue.").ID)
	}
	axis := p.Axes[0].ID
	err := db.ReplaceProposals(ctx, p.ID, []store.GroupSet{
		{Group: ouvert.Group{Kind: ouvert.GroupDuplicate}, MemberIDs: []int64{ids[0], ids[2]}},
		{Group: ouvert.Group{Kind: ouvert.GroupTopic, AxisID: axis, Words: []string{"données", "santé"}}, MemberIDs: []int64{ids[0], ids[2], ids[4]}},
		{Group: ouvert.Group{Kind: ouvert.GroupDuplicate}, MemberIDs: []int64{ids[1], ids[3]}},
	})
	if err != nil {
		t.Fatal(err)
	}
	dups, total, err := db.Groups(ctx, store.GroupFilter{ProcessID: p.ID, Kind: ouvert.GroupDuplicate})
	if err != nil || total != 2 || len(dups) != 2 {
		t.Fatalf("duplicates = %+v, %d, %v", dups, total, err)
	}
	// The same run again keeps the same groups (their pages stay where they were); one changed
	// proposal is replaced.
	err = db.ReplaceProposals(ctx, p.ID, []store.GroupSet{
		{Group: ouvert.Group{Kind: ouvert.GroupDuplicate}, MemberIDs: []int64{ids[2], ids[0]}},
		{Group: ouvert.Group{Kind: ouvert.GroupTopic, AxisID: axis, Words: []string{"données", "santé"}}, MemberIDs: []int64{ids[0], ids[2], ids[4]}},
		{Group: ouvert.Group{Kind: ouvert.GroupDuplicate}, MemberIDs: []int64{ids[1], ids[3], ids[5]}},
	})
	if err != nil {
		t.Fatal(err)
	}
	again, _, _ := db.Groups(ctx, store.GroupFilter{ProcessID: p.ID, Kind: ouvert.GroupDuplicate})
	byID := map[int64]int{}
	for _, g := range again {
		byID[g.ID] = g.Members
	}
	if len(again) != 2 || byID[dups[0].ID]+byID[dups[1].ID] != 2 {
		t.Fatalf("after the same run: %+v (before %+v, %+v)", byID, dups[0], dups[1])
	}
	if err := db.ReplaceProposals(ctx, p.ID, []store.GroupSet{
		{Group: ouvert.Group{Kind: ouvert.GroupDuplicate}, MemberIDs: []int64{ids[0], ids[2]}},
		{Group: ouvert.Group{Kind: ouvert.GroupTopic, AxisID: axis, Words: []string{"données", "santé"}}, MemberIDs: []int64{ids[0], ids[2], ids[4]}},
		{Group: ouvert.Group{Kind: ouvert.GroupDuplicate}, MemberIDs: []int64{ids[1], ids[3]}},
	}); err != nil {
		t.Fatal(err)
	}
	dups, _, _ = db.Groups(ctx, store.GroupFilter{ProcessID: p.ID, Kind: ouvert.GroupDuplicate})
	topics, _, _ := db.Groups(ctx, store.GroupFilter{ProcessID: p.ID, Kind: ouvert.GroupTopic, AxisID: axis})
	if len(topics) != 1 || topics[0].Members != 3 || topics[0].Name() != "données, santé" {
		t.Fatalf("topics = %+v", topics)
	}
	// Organisers confirm and rename the topic, and merge the two duplicate groups.
	if err := db.ConfirmGroup(ctx, p.ID, topics[0].ID, "Santé"); err != nil {
		t.Fatal(err)
	}
	if err := db.ConfirmGroup(ctx, p.ID+1, topics[0].ID, "Ailleurs"); ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		t.Fatalf("confirm another process' group: %v", err)
	}
	if _, err := db.MergeGroups(ctx, p.ID, []int64{dups[0].ID, topics[0].ID}); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("merge across kinds: %v", err)
	}
	merged, err := db.MergeGroups(ctx, p.ID, []int64{dups[0].ID, dups[1].ID})
	if err != nil {
		t.Fatal(err)
	}
	if members, _ := db.GroupMemberIDs(ctx, merged); len(members) != 4 {
		t.Fatalf("merged members = %v", members)
	}
	// Split one out again.
	split, err := db.SplitGroup(ctx, p.ID, merged, []int64{ids[3]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SplitGroup(ctx, p.ID, merged, []int64{ids[5]}); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("split a non-member: %v", err)
	}
	// A new run replaces proposals but keeps confirmed groups and their labels.
	confirmed, err := db.ConfirmedGroups(ctx, p.ID)
	if err != nil || len(confirmed) != 3 {
		t.Fatalf("confirmed = %+v, %v", confirmed, err)
	}
	for i := range confirmed {
		if confirmed[i].ID == topics[0].ID {
			confirmed[i].MemberIDs = append(confirmed[i].MemberIDs, ids[5]) // the run placed a new one in it
		}
	}
	next := append(confirmed, store.GroupSet{Group: ouvert.Group{Kind: ouvert.GroupDuplicate}, MemberIDs: []int64{ids[4], ids[5]}})
	if err := db.ReplaceProposals(ctx, p.ID, next); err != nil {
		t.Fatal(err)
	}
	topic, err := db.Group(ctx, p.ID, topics[0].ID)
	if err != nil || topic.Label != "Santé" || topic.Members != 4 || !topic.Confirmed {
		t.Fatalf("topic after the run = %+v, %v", topic, err)
	}
	of, err := db.GroupsOf(ctx, []int64{ids[3], ids[4]})
	if err != nil || len(of[ids[3]]) != 1 || of[ids[3]][0].ID != split || len(of[ids[4]]) != 2 {
		t.Fatalf("groups of = %+v, %v", of, err)
	}
	// New contributions placed next to the contribution the grouping found them near.
	if err := db.PlaceContribution(ctx, p.ID, ids[1], ouvert.GroupTopic, ids[0]); err != nil {
		t.Fatal(err)
	}
	if topic, _ := db.Group(ctx, p.ID, topics[0].ID); topic.Members != 5 {
		t.Fatalf("members after placement = %d", topic.Members)
	}
	if err := db.PlaceContribution(ctx, p.ID, ids[1], ouvert.GroupDuplicate, ids[5]); err != nil {
		t.Fatal(err) // ids[1] is already in a duplicate group: nothing changes
	}
	x := propose(t, db, p, alice.ID, 0, "Nouvelle", "Une nouvelle idée, assez longue.")
	y := propose(t, db, p, alice.ID, 0, "Nouvelle aussi", "Une nouvelle idée, assez longue aussi.")
	if err := db.PlaceContribution(ctx, p.ID, y.ID, ouvert.GroupDuplicate, x.ID); err != nil {
		t.Fatal(err)
	}
	of, _ = db.GroupsOf(ctx, []int64{ids[1], x.ID})
	if len(of[ids[1]]) != 2 || len(of[x.ID]) != 1 || of[x.ID][0].Members != 2 {
		t.Fatalf("after placement: %+v / %+v", of[ids[1]], of[x.ID])
	}
	// A rejected duplicate group leaves the lists but is passed back to the grouping.
	if err := db.RejectGroup(ctx, p.ID, of[x.ID][0].ID); err != nil {
		t.Fatal(err)
	}
	if err := db.RejectGroup(ctx, p.ID, topic.ID); ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		t.Fatalf("reject a topic: %v", err)
	}
	if of, _ := db.GroupsOf(ctx, []int64{x.ID}); len(of[x.ID]) != 0 {
		t.Fatalf("a rejected group is listed: %+v", of[x.ID])
	}
	confirmed, _ = db.ConfirmedGroups(ctx, p.ID)
	rejected := 0
	for _, g := range confirmed {
		if g.Rejected {
			rejected++
		}
	}
	if rejected != 1 {
		t.Fatalf("rejected groups passed back: %d", rejected)
	}
	members, total, err := db.GroupMembers(ctx, topic.ID, 1, 2)
	if err != nil || total != 5 || len(members) != 2 {
		t.Fatalf("members page = %d of %d, %v", len(members), total, err)
	}
}

package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ouvert/internal/demo"
	"ouvert/internal/ouvert"
	"ouvert/internal/polis"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
	"ouvert/internal/textsearch"
)

func demoProcess(t *testing.T, db *store.DB) *ouvert.Process {
	t.Helper()
	// The seed's process without the demo's example contributions, so that counts start at zero.
	seed := demo.Process(func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) })
	if err := db.CreateProcess(context.Background(), seed); err != nil {
		t.Fatal(err)
	}
	p, err := db.CurrentProcess(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func propose(t *testing.T, db *store.DB, p *ouvert.Process, author int64, axis int, title, body string) *ouvert.Contribution {
	t.Helper()
	c := &ouvert.Contribution{ProcessID: p.ID, AxisID: p.Axes[axis].ID, AuthorID: author, Title: title, Body: body}
	if err := db.CreateContribution(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestContributionsVotesAndCounters(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	alice, bob := newUser(t, db, "alice@exemple.fr"), newUser(t, db, "bob@exemple.fr")
	c := propose(t, db, p, alice.ID, 0, "Ouvrir les données de santé", "Publier les données anonymisées des hôpitaux.")
	c.ThemeIDs = []int64{p.Themes[5].ID}
	if err := db.EditContribution(ctx, c.ID, bob.ID, "Piraté", "Texte piraté par Bob.", nil); ouvert.ErrorCode(err) != ouvert.EFORBIDDEN {
		t.Fatalf("edit by another person: %v", err)
	}
	if err := db.EditContribution(ctx, c.ID, alice.ID, "Ouvrir les données hospitalières", "Publier les données anonymisées des hôpitaux publics.", c.ThemeIDs); err != nil {
		t.Fatal(err)
	}
	if revs, _ := db.Revisions(ctx, "contribution", c.ID); len(revs) != 1 || revs[0].Title != "Ouvrir les données de santé" {
		t.Fatalf("revisions = %+v", revs)
	}
	if err := db.Vote(ctx, c.ID, bob.ID, ouvert.VoteAgree); err != nil {
		t.Fatal(err)
	}
	if err := db.Vote(ctx, c.ID, alice.ID, ouvert.VoteMixed); err != nil {
		t.Fatal(err)
	}
	if err := db.Vote(ctx, c.ID, bob.ID, ouvert.VoteDisagree); err != nil {
		t.Fatal(err)
	}
	got, _ := db.Contribution(ctx, c.ID)
	if got.Agree != 0 || got.Mixed != 1 || got.Disagree != 1 || got.Followers != 1 || len(got.ThemeIDs) != 1 {
		t.Fatalf("counters after votes = %+v", got)
	}
	if err := db.EditContribution(ctx, c.ID, alice.ID, "Trop tard", "Modification après les votes.", nil); ouvert.ErrorCode(err) != ouvert.ECONFLICT {
		t.Fatalf("edit after a vote: %v", err)
	}
	votes, _ := db.UserVotes(ctx, bob.ID, []int64{c.ID, 9999})
	if votes[c.ID] != ouvert.VoteDisagree || len(votes) != 1 {
		t.Fatalf("UserVotes = %v", votes)
	}
	p2, _ := db.CurrentProcess(ctx)
	if p2.Contributions != 1 || p2.Axes[0].Contributions != 1 {
		t.Fatalf("published counters %d, %d", p2.Contributions, p2.Axes[0].Contributions)
	}
	if err := db.WithdrawContribution(ctx, c.ID, bob.ID); ouvert.ErrorCode(err) != ouvert.EFORBIDDEN {
		t.Fatalf("withdraw by another: %v", err)
	}
	if err := db.WithdrawContribution(ctx, c.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.Vote(ctx, c.ID, bob.ID, ouvert.VoteAgree); ouvert.ErrorCode(err) != ouvert.ECONFLICT {
		t.Fatalf("vote on a withdrawn contribution: %v", err)
	}
	p2, _ = db.CurrentProcess(ctx)
	if p2.Contributions != 0 || p2.Axes[0].Contributions != 0 {
		t.Fatalf("counters after withdrawal %d, %d", p2.Contributions, p2.Axes[0].Contributions)
	}
}

func TestArgumentsRepliesUsefulAndNotifications(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	alice, bob, carol := newUser(t, db, "alice@exemple.fr"), newUser(t, db, "bob@exemple.fr"), newUser(t, db, "carol@exemple.fr")
	c := propose(t, db, p, alice.ID, 1, "Des ateliers dans chaque département", "Organiser des ateliers-relais partout.")
	db.SetFollow(ctx, c.ID, carol.ID, true)
	arg := &ouvert.Argument{ContributionID: c.ID, AuthorID: bob.ID, Stance: ouvert.StanceFor, Body: "Bonne idée pour inclure de nouveaux publics."}
	if err := db.CreateArgument(ctx, arg); err != nil {
		t.Fatal(err)
	}
	reply := &ouvert.Argument{ContributionID: c.ID, ParentID: arg.ID, AuthorID: alice.ID, Body: "Merci !"}
	if err := db.CreateArgument(ctx, reply); err != nil {
		t.Fatal(err)
	}
	deep := &ouvert.Argument{ContributionID: c.ID, ParentID: reply.ID, AuthorID: bob.ID, Body: "Trop profond"}
	if err := db.CreateArgument(ctx, deep); ouvert.ErrorCode(err) != ouvert.EINVALID {
		t.Fatalf("reply to a reply: %v", err)
	}
	if _, err := db.ToggleUseful(ctx, arg.ID, bob.ID); ouvert.ErrorCode(err) != ouvert.EFORBIDDEN {
		t.Fatalf("own argument marked useful: %v", err)
	}
	if on, err := db.ToggleUseful(ctx, arg.ID, carol.ID); err != nil || !on {
		t.Fatalf("useful: %v %v", on, err)
	}
	list, err := db.Arguments(ctx, c.ID, store.SortAgree, 1, 20)
	if err != nil || len(list) != 1 || list[0].Useful != 1 || list[0].Replies != 1 || len(list[0].Thread) != 1 || list[0].Thread[0].Body != "Merci !" {
		t.Fatalf("arguments = %+v, %v", list, err)
	}
	if on, _ := db.ToggleUseful(ctx, arg.ID, carol.ID); on {
		t.Fatal("second toggle did not take the mark back")
	}
	got, _ := db.Contribution(ctx, c.ID)
	if got.Arguments != 1 || got.Editable() {
		t.Fatalf("contribution after an argument: %+v", got)
	}
	// Alice (author, follows) and Carol (follows) hear of Bob's argument; Bob hears of Alice's reply.
	for who, want := range map[int64]int{alice.ID: 1, carol.ID: 2, bob.ID: 1} {
		ns, _ := db.Notifications(ctx, who, 10)
		if len(ns) != want {
			t.Errorf("user %d has %d notifications, want %d: %+v", who, len(ns), want, ns)
		}
	}
	_ = db.SetFollow(ctx, c.ID, bob.ID, true)
	digests, err := db.DueDigests(ctx, 10)
	if err != nil || len(digests) != 3 {
		t.Fatalf("due digests = %d, %v", len(digests), err)
	}
	for _, d := range digests {
		if err := db.DigestQueued(ctx, d, &store.Message{To: d.User.Email, Subject: "Résumé", Body: "..."}); err != nil {
			t.Fatal(err)
		}
	}
	if digests, _ := db.DueDigests(ctx, 10); len(digests) != 0 {
		t.Fatalf("a second digest within the day: %d", len(digests))
	}
	if err := db.EditArgument(ctx, arg.ID, carol.ID, "Piraté"); ouvert.ErrorCode(err) != ouvert.EFORBIDDEN {
		t.Fatalf("edit of another's argument: %v", err)
	}
	if err := db.EditArgument(ctx, arg.ID, bob.ID, "Très bonne idée pour inclure de nouveaux publics."); err != nil {
		t.Fatal(err)
	}
	if revs, _ := db.Revisions(ctx, "argument", arg.ID); len(revs) != 1 {
		t.Fatalf("argument revisions = %+v", revs)
	}
}

func TestReportsHideAndModeratorsDecide(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	author := newUser(t, db, "auteur@exemple.fr")
	mod := newUser(t, db, "mod@exemple.fr")
	c := propose(t, db, p, author.ID, 2, "Achetez mes montres", "Promotion exceptionnelle sur les montres.")
	if _, err := db.Report(ctx, store.TargetContribution, c.ID, author.ID, "spam", "", 3); ouvert.ErrorCode(err) != ouvert.EFORBIDDEN {
		t.Fatalf("own report: %v", err)
	}
	var hid bool
	for i := range 3 {
		r := newUser(t, db, "r"+string(rune('a'+i))+"@exemple.fr")
		var err error
		if hid, err = db.Report(ctx, store.TargetContribution, c.ID, r.ID, "spam", "", 3); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if _, err := db.Report(ctx, store.TargetContribution, c.ID, r.ID, "spam", "", 3); ouvert.ErrorCode(err) != ouvert.ECONFLICT {
				t.Fatalf("same person reported twice: %v", err)
			}
		}
	}
	got, _ := db.Contribution(ctx, c.ID)
	if !hid || got.Status != ouvert.StatusHidden || got.HiddenReason != ouvert.HiddenPending {
		t.Fatalf("after three reports: hid=%v %+v", hid, got)
	}
	if q, _ := db.ModerationQueue(ctx, 10); len(q) != 1 || q[0].Reports != 3 || len(q[0].Reasons) != 1 || q[0].Reasons[0] != "spam" {
		t.Fatalf("queue = %+v", q)
	}
	if err := db.Moderate(ctx, mod.ID, store.TargetContribution, c.ID, false, "faux positif"); err != nil {
		t.Fatal(err)
	}
	got, _ = db.Contribution(ctx, c.ID)
	if got.Status != ouvert.StatusPublished {
		t.Fatalf("restored: %+v", got)
	}
	if err := db.Moderate(ctx, mod.ID, store.TargetContribution, c.ID, true, "spam"); err != nil {
		t.Fatal(err)
	}
	counts, _ := db.HiddenCounts(ctx, p.ID)
	if counts["spam"] != 1 {
		t.Fatalf("hidden counts = %v", counts)
	}
	log, _ := db.ModerationLog(ctx, 10)
	if len(log) != 3 || log[0].Action != "hide" || log[0].ModeratorName != "Claire" || log[2].Action != "auto_hide" {
		t.Fatalf("log = %+v", log)
	}
	ns, _ := db.Notifications(ctx, author.ID, 10)
	if len(ns) != 3 || ns[0].Kind != "hidden" || ns[0].Detail != "spam" {
		t.Fatalf("author's notifications = %+v", ns)
	}
	if err := db.SetBlocked(ctx, mod.ID, author.ID, true, "spam répété"); err != nil {
		t.Fatal(err)
	}
	if u, _ := db.UserByID(ctx, author.ID); u.BlockedAt == nil {
		t.Fatal("not blocked")
	}
	if p2, _ := db.CurrentProcess(ctx); p2.Contributions != 0 {
		t.Fatalf("a hidden contribution is counted: %d", p2.Contributions)
	}
}

// TestRealPolisConversation loads a real conversation and runs lists, sorts and search on it.
func TestRealPolisConversation(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	conv, err := polis.Read(filepath.Join("..", "..", "..", "shared", "data", "polis", "15-per-hour-seattle"))
	if err != nil {
		t.Skipf("no Polis data: %v", err)
	}
	loaded, err := polis.Load(ctx, db, conv, p.ID, p.Axes[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Contributions < 40 || loaded.Hidden == 0 || loaded.Votes < 2000 {
		t.Fatalf("loaded %+v", loaded)
	}
	visible := loaded.Contributions - loaded.Hidden
	list, total, err := db.Contributions(ctx, store.ContributionFilter{ProcessID: p.ID, AxisID: p.Axes[0].ID, Sort: store.SortAgree, PerPage: 20})
	if err != nil || total != visible || len(list) != 20 {
		t.Fatalf("list: %d of %d (want %d), %v", len(list), total, visible, err)
	}
	for i := 1; i < len(list); i++ {
		if list[i].Agree > list[i-1].Agree {
			t.Fatalf("not sorted by agreement at %d", i)
		}
	}
	// Every page of the random order together holds each visible contribution once.
	seen := map[int64]bool{}
	for page := 1; page <= (total+19)/20; page++ {
		l, _, err := db.Contributions(ctx, store.ContributionFilter{ProcessID: p.ID, Sort: store.SortRandom, Seed: 1 << 30, Page: page, PerPage: 20})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range l {
			if seen[c.ID] {
				t.Fatalf("contribution %d twice in the random order", c.ID)
			}
			seen[c.ID] = true
		}
	}
	if len(seen) != visible {
		t.Fatalf("random order showed %d of %d", len(seen), visible)
	}
	res, n, err := db.SearchContributions(ctx, p.ID, textsearch.ParseQuery("wages"), 1, 20)
	if err != nil || n == 0 {
		t.Fatalf("search wages: %d, %v", n, err)
	}
	for _, c := range res {
		if !strings.Contains(strings.ToLower(c.Title+c.Body), "wage") {
			t.Errorf("result %q does not mention wages", c.Title)
		}
	}
	for _, q := range []string{`"`, "*", "OR", "NEAR(", "😀", strings.Repeat("salaire ", 2000), "-", `'; DROP TABLE contributions; --`} {
		if _, _, err := db.SearchContributions(ctx, p.ID, textsearch.ParseQuery(q), 1, 20); err != nil {
			t.Errorf("search %.20q: %v", q, err)
		}
	}
	sim, err := db.SimilarContributions(ctx, p.ID, textsearch.ParseQuery(res[0].Title), res[0].ID, 5)
	if err != nil || len(sim) == 0 {
		t.Fatalf("similar: %v %v", sim, err)
	}
}

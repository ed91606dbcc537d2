package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"ouvert/internal/ouvert"
	"ouvert/internal/store/storetest"
)

// TestVotesInGroups votes from many goroutines at once, so that votes are written in groups:
// every vote answered nil is in the table, the counters agree with the votes, a vote on a hidden
// contribution is refused alone in the middle of a group, and votes after Close are refused.
func TestVotesInGroups(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	author := newUser(t, db, "autrice@exemple.fr")
	const people, contributions = 24, 6
	var ids []int64
	for i := range contributions {
		ids = append(ids, propose(t, db, p, author.ID, i%len(p.Axes), fmt.Sprintf("Proposition %d", i), "Un texte.").ID)
	}
	hidden := propose(t, db, p, author.ID, 0, "Masquée", "Un texte masqué.")
	if err := db.HideAtSource(ctx, hidden.ID, "spam"); err != nil {
		t.Fatal(err)
	}
	voters := make([]int64, people)
	for i := range voters {
		voters[i] = newUser(t, db, fmt.Sprintf("votant%d@exemple.fr", i)).ID
	}
	// Each person votes on every contribution, then changes some votes; the last value counts.
	final := map[[2]int64]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, people*(2*contributions+1))
	for i, u := range voters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 2 {
				for j, c := range ids {
					v := (i+j+round*(j%2))%3 - 1
					if err := db.Vote(ctx, c, u, v); err != nil {
						errs <- fmt.Errorf("vote %d on %d: %w", u, c, err)
						continue
					}
					mu.Lock()
					final[[2]int64{c, u}] = v
					mu.Unlock()
				}
			}
			if err := db.Vote(ctx, hidden.ID, u, ouvert.VoteAgree); ouvert.ErrorCode(err) != ouvert.ECONFLICT {
				errs <- fmt.Errorf("vote on a hidden contribution: %v, want a refusal", err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, id := range ids {
		c, err := db.Contribution(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]int{}
		for _, u := range voters {
			want[final[[2]int64{id, u}]]++
		}
		if c.Agree != want[ouvert.VoteAgree] || c.Mixed != want[ouvert.VoteMixed] || c.Disagree != want[ouvert.VoteDisagree] {
			t.Errorf("contribution %d: counts %d/%d/%d, want %d/%d/%d", id, c.Agree, c.Mixed, c.Disagree,
				want[ouvert.VoteAgree], want[ouvert.VoteMixed], want[ouvert.VoteDisagree])
		}
		mine, err := db.UserVotes(ctx, voters[0], []int64{id})
		if err != nil || mine[id] != final[[2]int64{id, voters[0]}] {
			t.Errorf("contribution %d: first voter's vote %v (%v), want %d", id, mine, err, final[[2]int64{id, voters[0]}])
		}
	}
	if c, err := db.Contribution(ctx, hidden.ID); err != nil || c.Agree+c.Mixed+c.Disagree != 0 {
		t.Errorf("hidden contribution: %+v, %v; want no vote", c, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Vote(ctx, ids[0], voters[0], ouvert.VoteAgree); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("vote after Close: %v, want a refusal", err)
	}
}

// TestVoteGroup writes one group holding what concurrent requests can bring together: a person's
// two votes on one contribution (the last counts), votes of several people on one contribution, a
// vote that changes an earlier one, a vote that changes nothing, and votes on a hidden and on a
// missing contribution (refused alone). The counters must then agree with the votes.
func TestVoteGroup(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := demoProcess(t, db)
	author := newUser(t, db, "autrice@exemple.fr")
	a := propose(t, db, p, author.ID, 0, "Proposition A", "Un texte.")
	b := propose(t, db, p, author.ID, 1, "Proposition B", "Un texte.")
	hidden := propose(t, db, p, author.ID, 0, "Masquée", "Un texte masqué.")
	if err := db.HideAtSource(ctx, hidden.ID, "spam"); err != nil {
		t.Fatal(err)
	}
	u1, u2, u3 := newUser(t, db, "u1@exemple.fr").ID, newUser(t, db, "u2@exemple.fr").ID, newUser(t, db, "u3@exemple.fr").ID
	for _, v := range [][3]int64{{a.ID, u2, 1}, {b.ID, u3, -1}} { // earlier votes
		if err := db.Vote(ctx, v[0], v[1], int(v[2])); err != nil {
			t.Fatal(err)
		}
	}
	errs, err := db.WriteVoteGroup([][3]int64{
		{a.ID, u1, 1},             // new
		{hidden.ID, u1, 1},        // refused: hidden
		{a.ID, u1, -1},            // the same person again: this one counts
		{a.ID, u2, 0},             // changes agree to mixed
		{a.ID, u3, 1},             // new
		{b.ID, u3, -1},            // the same as before: nothing changes
		{b.ID, u1, 0},             // new
		{hidden.ID + 1000, u1, 1}, // refused: no such contribution
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"", ouvert.ECONFLICT, "", "", "", "", "", ouvert.ENOTFOUND}
	if len(errs) != len(want) {
		t.Fatalf("%d answers for %d votes", len(errs), len(want))
	}
	for i, e := range errs {
		if ouvert.ErrorCode(e) != want[i] {
			t.Errorf("vote %d: %v, want %q", i, e, want[i])
		}
	}
	for _, c := range []struct {
		id                     int64
		agree, mixed, disagree int
		votes                  map[int64]int
	}{
		{a.ID, 1, 1, 1, map[int64]int{u1: -1, u2: 0, u3: 1}},
		{b.ID, 0, 1, 1, map[int64]int{u1: 0, u3: -1}},
		{hidden.ID, 0, 0, 0, map[int64]int{}},
	} {
		got, err := db.Contribution(ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Agree != c.agree || got.Mixed != c.mixed || got.Disagree != c.disagree {
			t.Errorf("contribution %d: counts %d/%d/%d, want %d/%d/%d", c.id, got.Agree, got.Mixed, got.Disagree, c.agree, c.mixed, c.disagree)
		}
		for _, u := range []int64{u1, u2, u3} {
			mine, err := db.UserVotes(ctx, u, []int64{c.id})
			if err != nil {
				t.Fatal(err)
			}
			if v, ok := c.votes[u]; ok != (len(mine) == 1) || ok && mine[c.id] != v {
				t.Errorf("contribution %d, person %d: votes %v, want %v", c.id, u, mine, c.votes)
			}
		}
	}
}

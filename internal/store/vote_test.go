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

package polis

import (
	"context"
	"fmt"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// Loaded tells what Load wrote.
type Loaded struct {
	Participants  int
	Contributions int
	Hidden        int
	Skipped       int // statements without text
	Votes         int
	// ContributionOf maps a statement id to the contribution made of it.
	ContributionOf map[int]int64
}

// HiddenAtSource is the hidden reason of statements that Polis' moderators took out.
const HiddenAtSource = "source"

// Load writes a conversation into a process, on one axis: each statement becomes a contribution
// from a pseudonymous participant (polis-NAME-ID, with an address under .invalid that can receive
// no mail), each vote a vote (agree, disagree, and pass as mixed), and statements moderated out by
// Polis are hidden with reason "source".
func Load(ctx context.Context, db *store.DB, c *Conversation, processID, axisID int64) (*Loaded, error) {
	out := &Loaded{ContributionOf: map[int]int64{}}
	users := map[int]int64{}
	person := func(id int) (int64, error) {
		if uid, ok := users[id]; ok {
			return uid, nil
		}
		u := &ouvert.User{
			Email:        fmt.Sprintf("%s-%d@polis.invalid", c.Name, id),
			PasswordHash: "!", // no password: nobody logs in as an imported participant
			DisplayName:  fmt.Sprintf("polis-%s-%d", c.Name, id),
		}
		if err := db.CreateUser(ctx, u); err != nil {
			if ouvert.ErrorCode(err) != ouvert.ECONFLICT {
				return 0, err
			}
			if u, err = db.UserByEmail(ctx, u.Email); err != nil {
				return 0, err
			}
		}
		users[id] = u.ID
		out.Participants++
		return u.ID, nil
	}
	for _, s := range c.Statements {
		if s.Text == "" {
			out.Skipped++
			continue
		}
		author, err := person(s.AuthorID)
		if err != nil {
			return nil, err
		}
		contrib := &ouvert.Contribution{ProcessID: processID, AxisID: axisID, AuthorID: author, Title: Title(s.Text), Body: s.Text}
		if err := db.CreateContribution(ctx, contrib); err != nil {
			return nil, fmt.Errorf("polis: statement %d: %w", s.ID, err)
		}
		out.ContributionOf[s.ID] = contrib.ID
		out.Contributions++
	}
	rows := make([]store.VoteRow, 0, len(c.Votes))
	for _, v := range c.Votes {
		cid, ok := out.ContributionOf[v.StatementID]
		if !ok {
			continue
		}
		uid, err := person(v.VoterID)
		if err != nil {
			return nil, err
		}
		rows = append(rows, store.VoteRow{ContributionID: cid, UserID: uid, Value: v.Value, At: v.Time})
	}
	if err := db.ImportVotes(ctx, rows); err != nil {
		return nil, err
	}
	out.Votes = len(rows)
	for _, s := range c.Statements {
		if cid, ok := out.ContributionOf[s.ID]; ok && s.Hidden() {
			if err := db.HideAtSource(ctx, cid, HiddenAtSource); err != nil {
				return nil, err
			}
			out.Hidden++
		}
	}
	return out, nil
}

// Title makes a contribution title of a statement (see ouvert.TitleFrom).
func Title(text string) string { return ouvert.TitleFrom(text) }

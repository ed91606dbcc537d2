package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"ouvert/internal/ouvert"
)

// voteColumn names the counter of a vote value.
func voteColumn(v int) string {
	switch v {
	case ouvert.VoteAgree:
		return "agree"
	case ouvert.VoteDisagree:
		return "disagree"
	}
	return "mixed"
}

// Vote records a person's vote on a published contribution, or changes it, and keeps the
// contribution's counters in the same transaction.
//
// Votes are written in groups (group commit): one goroutine takes the votes that concurrent
// requests queued meanwhile and writes up to maxVoteGroup of them in one transaction, so that
// SQLite's single writer commits once per group rather than once per vote. Vote returns once its
// group is committed: a vote is never acknowledged before it is written. A vote that is refused
// (no such contribution, not published) is refused alone; if the group's transaction fails, each
// of its votes is tried again in its own.
func (db *DB) Vote(ctx context.Context, contributionID, userID int64, value int) error {
	if value < -1 || value > 1 {
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	db.voter.once.Do(func() { go db.writeVotes() })
	req := &voteRequest{contributionID: contributionID, userID: userID, value: value, done: make(chan error, 1)}
	select {
	case db.voter.queue <- req:
	case <-db.voter.closing:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Not ctx: once queued, the vote is written whatever happens to the request, and the answer
	// must say so.
	select {
	case err := <-req.done:
		return err
	case <-db.voter.done:
		// Queued as the database closed: answered if the last group took it, else refused.
		select {
		case err := <-req.done:
			return err
		default:
			return errClosed
		}
	}
}

// maxVoteGroup bounds how many votes one transaction writes.
const maxVoteGroup = 256

var errClosed = errors.New("store: the database is closed")

// voter is the queue of votes waiting for the goroutine that writes them.
type voter struct {
	once    sync.Once
	queue   chan *voteRequest
	closing chan struct{} // closed by Close
	done    chan struct{} // closed when the writing goroutine has stopped
}

type voteRequest struct {
	contributionID, userID int64
	value                  int
	done                   chan error
}

// writeVotes writes queued votes in groups until the database closes.
func (db *DB) writeVotes() {
	defer close(db.voter.done)
	group := make([]*voteRequest, 0, maxVoteGroup)
	for {
		select {
		case req := <-db.voter.queue:
			group = append(group[:0], req)
		case <-db.voter.closing:
			// Votes queued before Close are refused, not dropped.
			for {
				select {
				case req := <-db.voter.queue:
					req.done <- errClosed
				default:
					return
				}
			}
		}
	more:
		for len(group) < maxVoteGroup {
			select {
			case req := <-db.voter.queue:
				group = append(group, req)
			default:
				break more
			}
		}
		errs := make([]error, len(group))
		err := db.WithTx(context.Background(), func(tx *Tx) error {
			for i, req := range group {
				if errs[i] = tx.vote(req); errs[i] != nil && ouvert.ErrorCode(errs[i]) == ouvert.EINTERNAL {
					return errs[i]
				}
			}
			return nil
		})
		if err != nil {
			for i, req := range group {
				errs[i] = db.WithTx(context.Background(), func(tx *Tx) error { return tx.vote(req) })
			}
		}
		for i, req := range group {
			req.done <- errs[i]
		}
	}
}

// vote writes one vote (see Vote). A refusal returns an ouvert error and writes nothing.
func (tx *Tx) vote(req *voteRequest) error {
	ctx := context.Background()
	contributionID, userID, value := req.contributionID, req.userID, req.value
	// The contribution's status and the person's vote so far (noVote if none), in one statement.
	const noVote = 2
	var status string
	var old int
	err := tx.queryRow(ctx, `SELECT c.status, COALESCE(v.value, 2) FROM contributions c
		LEFT JOIN votes v ON v.contribution_id = c.id AND v.user_id = ? WHERE c.id = ?`, userID, contributionID).Scan(&status, &old)
	if errors.Is(err, sql.ErrNoRows) {
		return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return err
	}
	if status != ouvert.StatusPublished {
		return ouvert.Errorf(ouvert.ECONFLICT, "contribution.not_published")
	}
	now := tx.db.Now()
	switch old {
	case noVote:
		if _, err := tx.exec(ctx, `INSERT INTO votes (contribution_id, user_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			contributionID, userID, value, now, now); err != nil {
			return fmt.Errorf("store: vote: %w", err)
		}
		_, err = tx.exec(ctx, `UPDATE contributions SET `+voteColumn(value)+` = `+voteColumn(value)+` + 1 WHERE id = ?`, contributionID)
		return err
	case value:
		return nil
	}
	if _, err := tx.exec(ctx, `UPDATE votes SET value = ?, updated_at = ? WHERE contribution_id = ? AND user_id = ?`, value, now, contributionID, userID); err != nil {
		return fmt.Errorf("store: change vote: %w", err)
	}
	_, err = tx.exec(ctx, `UPDATE contributions SET `+voteColumn(old)+` = `+voteColumn(old)+` - 1, `+
		voteColumn(value)+` = `+voteColumn(value)+` + 1 WHERE id = ?`, contributionID)
	return err
}

// UserVotes returns a person's votes on some contributions, in one query.
func (db *DB) UserVotes(ctx context.Context, userID int64, ids []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if userID == 0 || len(ids) == 0 {
		return out, nil
	}
	args := []any{userID}
	for _, id := range ids {
		args = append(args, id)
	}
	err := db.each(ctx, func(s scanner) error {
		var id int64
		var v int
		err := s.Scan(&id, &v)
		out[id] = v
		return err
	}, `SELECT contribution_id, value FROM votes WHERE user_id = ? AND contribution_id IN (`+placeholders(len(ids))+`)`, args...)
	return out, err
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// VoteRow is one vote of a bulk import.
type VoteRow struct {
	ContributionID, UserID int64
	Value                  int
	At                     time.Time
}

// ImportVotes stores many votes in one transaction (later rows replace earlier ones of the same
// person on the same contribution), then recounts the counters of the contributions touched.
func (db *DB) ImportVotes(ctx context.Context, rows []VoteRow) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		touched := map[int64]bool{}
		for _, r := range rows {
			if r.Value < -1 || r.Value > 1 {
				return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
			}
			if _, err := tx.exec(ctx, `INSERT INTO votes (contribution_id, user_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (contribution_id, user_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
				r.ContributionID, r.UserID, r.Value, r.At.UTC(), r.At.UTC()); err != nil {
				return fmt.Errorf("store: import vote: %w", err)
			}
			touched[r.ContributionID] = true
		}
		for id := range touched {
			if _, err := tx.exec(ctx, `UPDATE contributions SET
				agree = (SELECT COUNT(*) FROM votes WHERE contribution_id = ? AND value = 1),
				mixed = (SELECT COUNT(*) FROM votes WHERE contribution_id = ? AND value = 0),
				disagree = (SELECT COUNT(*) FROM votes WHERE contribution_id = ? AND value = -1) WHERE id = ?`, id, id, id, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// stop stops the goroutine that writes votes, if it runs, once the votes it holds are written.
func (v *voter) stop() {
	v.once.Do(func() { close(v.done) }) // never started: nothing to wait for
	select {
	case <-v.closing:
	default:
		close(v.closing)
	}
	<-v.done
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
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
// SQLite's single writer commits once per group rather than once per vote. On PostgreSQL several
// goroutines do, each for its share of the contributions (postgresVoters). Vote returns once its
// group is committed: a vote is never acknowledged before it is written. A vote that is refused
// (no such contribution, not published) is refused alone; if the group's transaction fails, each
// of its votes is tried again in its own.
func (db *DB) Vote(ctx context.Context, contributionID, userID int64, value int) error {
	if value < -1 || value > 1 {
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	v := db.voters[uint64(contributionID)%uint64(len(db.voters))]
	v.once.Do(func() { go db.writeVotes(v) })
	req := &voteRequest{contributionID: contributionID, userID: userID, value: value, done: make(chan error, 1)}
	select {
	case v.queue <- req:
	case <-v.closing:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Not ctx: once queued, the vote is written whatever happens to the request, and the answer
	// must say so.
	select {
	case err := <-req.done:
		return err
	case <-v.done:
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

// postgresVoters is how many goroutines write votes on PostgreSQL: one per core the program may
// use (GOMAXPROCS, which follows a container's CPU limit), from 2 to 8 (of the pool's 20
// connections). Each takes the votes of the contributions whose id falls to it and writes them in
// groups, each group in one statement (voteGroupPostgres). One goroutine was enough for SQLite,
// which has one writer, but on PostgreSQL it waited for the server: 1,500 votes a second with the
// cores half idle. A contribution's votes all go to one goroutine, so they are still written one
// after the other, and two groups never write the same rows. More goroutines make smaller groups:
// on 2 cores, 2 did best (5,700-7,700 votes a second; 8 made 4,000-4,500).
var postgresVoters = min(max(runtime.GOMAXPROCS(0), 2), 8)

// newVoters returns the queues of votes for a database of the dialect.
func newVoters(d dialect) []*voter {
	n := 1
	if d.name() == "postgres" {
		n = postgresVoters
	}
	vs := make([]*voter, n)
	for i := range vs {
		vs[i] = &voter{queue: make(chan *voteRequest, maxVoteGroup), closing: make(chan struct{}), done: make(chan struct{})}
	}
	return vs
}

var errClosed = errors.New("store: the database is closed")

// voter is the queue of votes waiting for the goroutine that writes them.
type voter struct {
	once    sync.Once
	queue   chan *voteRequest
	closing chan struct{} // closed by Close
	done    chan struct{} // closed when the writing goroutine has stopped

	groups, votes, retried atomic.Int64 // see VoteStats
}

// VoteStats tells what the vote writers did since the database was opened.
type VoteStats struct {
	Groups  int64 // groups written, each in one transaction
	Votes   int64 // votes in those groups, written or refused
	Retried int64 // votes of groups whose transaction failed, tried again one by one
}

// VoteStats sums the vote writers' counts. Votes / Groups is the mean group size: the larger, the
// fewer commits a vote costs.
func (db *DB) VoteStats() VoteStats {
	var s VoteStats
	for _, v := range db.voters {
		s.Groups += v.groups.Load()
		s.Votes += v.votes.Load()
		s.Retried += v.retried.Load()
	}
	return s
}

type voteRequest struct {
	contributionID, userID int64
	value                  int
	done                   chan error
}

// writeVotes writes v's queued votes in groups until the database closes.
func (db *DB) writeVotes(v *voter) {
	defer close(v.done)
	group := make([]*voteRequest, 0, maxVoteGroup)
	for {
		select {
		case req := <-v.queue:
			group = append(group[:0], req)
		case <-v.closing:
			// Votes queued before Close are refused, not dropped.
			for {
				select {
				case req := <-v.queue:
					req.done <- errClosed
				default:
					return
				}
			}
		}
	more:
		for len(group) < maxVoteGroup {
			select {
			case req := <-v.queue:
				group = append(group, req)
			default:
				break more
			}
		}
		errs, err := db.writeVoteGroup(group)
		v.groups.Add(1)
		v.votes.Add(int64(len(group)))
		if err != nil {
			v.retried.Add(int64(len(group)))
			for i, req := range group {
				errs[i] = db.WithTx(context.Background(), func(tx *Tx) error { return tx.vote(req) })
			}
		}
		for i, req := range group {
			req.done <- errs[i]
		}
	}
}

// writeVoteGroup writes a group of votes in one transaction and returns each one's refusal, if
// any, or an error for the group as a whole.
func (db *DB) writeVoteGroup(group []*voteRequest) ([]error, error) {
	if db.dialect.name() == "postgres" {
		return db.writeVoteGroupPostgres(group)
	}
	errs := make([]error, len(group))
	return errs, db.WithTx(context.Background(), func(tx *Tx) error {
		for i, req := range group {
			if errs[i] = tx.vote(req); errs[i] != nil && ouvert.ErrorCode(errs[i]) == ouvert.EINTERNAL {
				return errs[i]
			}
		}
		return nil
	})
}

// voteGroupPostgres writes a group of votes in one statement, so in one round trip to the server
// rather than three a vote: the votes as arrays, each pair's last vote in the group written if it
// changes the pair's vote, each contribution's counters moved once by the sum of its changes. It
// returns each vote's contribution status, "" for no such contribution: only votes on published
// contributions are written. Each contribution's votes come from one goroutine (postgresVoters),
// so the votes it reads are not being changed by another group meanwhile.
const voteGroupPostgres = `WITH input AS (
	SELECT i.cid, i.uid, i.val, i.n, c.status
	FROM unnest($1::bigint[], $2::bigint[], $3::int[]) WITH ORDINALITY AS i (cid, uid, val, n)
	LEFT JOIN contributions c ON c.id = i.cid
), latest AS (
	SELECT DISTINCT ON (cid, uid) cid, uid, val FROM input WHERE status = 'published' ORDER BY cid, uid, n DESC
), change AS (
	SELECT l.cid, l.uid, l.val, v.value AS old FROM latest l
	LEFT JOIN votes v ON v.contribution_id = l.cid AND v.user_id = l.uid
	WHERE v.value IS DISTINCT FROM l.val
), written AS (
	INSERT INTO votes (contribution_id, user_id, value, created_at, updated_at)
	SELECT cid, uid, val, $4, $4 FROM change
	ON CONFLICT (contribution_id, user_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
), counted AS (
	UPDATE contributions c SET agree = c.agree + d.agree, mixed = c.mixed + d.mixed, disagree = c.disagree + d.disagree
	FROM (SELECT cid,
		SUM((val = 1)::int - COALESCE((old = 1)::int, 0)) AS agree,
		SUM((val = 0)::int - COALESCE((old = 0)::int, 0)) AS mixed,
		SUM((val = -1)::int - COALESCE((old = -1)::int, 0)) AS disagree
		FROM change GROUP BY cid) d
	WHERE c.id = d.cid
)
SELECT n, COALESCE(status, '') FROM input`

// writeVoteGroupPostgres writes a group of votes with voteGroupPostgres.
func (db *DB) writeVoteGroupPostgres(group []*voteRequest) ([]error, error) {
	cids, uids, vals := make([]int64, len(group)), make([]int64, len(group)), make([]int32, len(group))
	for i, req := range group {
		cids[i], uids[i], vals[i] = req.contributionID, req.userID, int32(req.value)
	}
	errs := make([]error, len(group))
	seen := 0
	// Answered once the statement, and with it its transaction, is committed: pgx reads to the
	// server's "ready" that follows the commit before it closes the rows.
	rows, err := db.write.QueryContext(context.Background(), voteGroupPostgres, cids, uids, vals, db.Now())
	err = eachRow(rows, err, func(s scanner) error {
		var n int
		var status string
		if err := s.Scan(&n, &status); err != nil {
			return err
		}
		if n < 1 || n > len(group) {
			return fmt.Errorf("store: vote group: row %d of %d", n, len(group))
		}
		switch status {
		case ouvert.StatusPublished:
		case "":
			errs[n-1] = ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		default:
			errs[n-1] = ouvert.Errorf(ouvert.ECONFLICT, "contribution.not_published")
		}
		seen++
		return nil
	})
	if err == nil && seen != len(group) {
		err = fmt.Errorf("store: vote group: %d answers for %d votes", seen, len(group))
	}
	return errs, err
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

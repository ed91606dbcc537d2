package store

import "context"

// ExecForTest runs a statement as an administrator would by hand, in SQL: for tests of what the
// store must notice even when it did not make the change itself.
func (db *DB) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := db.exec(ctx, q, args...)
	return err
}

// WriteVoteGroup writes votes (contribution, person, value) as one group of the vote writer, as
// concurrent requests make them, and returns each one's refusal or the group's error.
func (db *DB) WriteVoteGroup(votes [][3]int64) ([]error, error) {
	group := make([]*voteRequest, len(votes))
	for i, v := range votes {
		group[i] = &voteRequest{contributionID: v[0], userID: v[1], value: int(v[2])}
	}
	return db.writeVoteGroup(group)
}

// VoteGroupPostgres is the statement that writes a group of votes on PostgreSQL.
const VoteGroupPostgres = voteGroupPostgres

package contribimport

import (
	"context"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// TargetOf returns what Parse checks files against for a process: its axes and the instance's
// organisations, with the database's clock.
func TargetOf(ctx context.Context, db *store.DB, p *ouvert.Process) (Target, error) {
	orgs, err := db.OrganisationsByName(ctx)
	if err != nil {
		return Target{}, err
	}
	return Target{Axes: p.Axes, Organisations: orgs, Now: db.Now()}, nil
}

// Import adds what Parse read to a process in one transaction: all of it or, on any error,
// nothing (see store.ImportContributions). Each participant becomes an account without password
// under an address KEY@import.invalid; texts without a participant have no author, as those of
// a deleted account. The counts of votes and arguments are those of the rows imported.
func Import(ctx context.Context, db *store.DB, processID int64, s *Set) (store.ImportResult, error) {
	s.Rows.ProcessID = processID
	return db.ImportContributions(ctx, &s.Rows)
}

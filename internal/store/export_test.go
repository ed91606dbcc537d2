package store

import "context"

// ExecForTest runs a statement as an administrator would by hand, in SQL: for tests of what the
// store must notice even when it did not make the change itself.
func (db *DB) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := db.exec(ctx, q, args...)
	return err
}

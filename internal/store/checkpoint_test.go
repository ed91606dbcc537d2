package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

// On SQLite, the writer leaves the write-ahead log to the checkpointer, which copies it back into
// the database file while the server runs (checkpoint.go). The file itself, read without the log
// (immutable=1), must come to hold what was written.
func TestCheckpointsCopyTheLogBack(t *testing.T) {
	if storetest.Kind() != "sqlite" {
		t.Skip("SQLite only")
	}
	ctx := context.Background()
	path := storetest.URL(t)
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u := newUser(t, db, "claire@exemple.fr")

	file, err := sql.Open("sqlite", "file:"+path+"?immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	inFile := func() bool {
		t.Helper()
		// Until the first checkpoint, the file has no tables: the migrations are in the log.
		var email string
		file.QueryRowContext(ctx, `SELECT email FROM users WHERE id = ?`, u.ID).Scan(&email)
		return email == u.Email
	}
	// Every second, not at once: give it ten, for a machine that stalls.
	deadline := time.Now().Add(10 * time.Second)
	for !inFile() {
		if time.Now().After(deadline) {
			t.Fatal("ten seconds after a write, the database file still does not hold it: no checkpoint ran")
		}
		time.Sleep(50 * time.Millisecond)
		file.SetMaxIdleConns(0) // read the file again, not a connection's cache
		file.SetMaxIdleConns(2)
	}
	// What /metrics reports: at least that checkpoint, and no more copied than logged.
	wal, ok := db.WAL()
	if !ok || wal.Checkpoints < 1 || wal.Copied > wal.Frames {
		t.Fatalf("WAL() = %+v, %v", wal, ok)
	}
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// On SQLite, every commit appends the pages it changed to the write-ahead log (WAL); a checkpoint
// copies them back into the database file. SQLite's automatic checkpoint runs in the committing
// connection, so it stopped the one writer for 0.4 s every 40 MB of log: under a flood of votes,
// the writer spent more time copying pages than writing votes. Here the writer never
// checkpoints (wal_autocheckpoint=0): a goroutine with a connection of its own does, every
// checkpointEvery, while the writer goes on (a PASSIVE checkpoint takes no lock the writer or
// the readers need). It copies each page once however many commits changed it since the last.

// checkpointEvery is how often the checkpointer copies the log back.
const checkpointEvery = time.Second

// checkpointer runs the checkpoints of one SQLite store.
type checkpointer struct {
	conn    *sql.DB
	stop    chan struct{} // closed by Close
	done    chan struct{} // closed when the goroutine has stopped
	closing sync.Once

	mu   sync.Mutex
	last WALStats // what the last checkpoint found
}

// WALStats says what the last checkpoint found in SQLite's write-ahead log.
type WALStats struct {
	Checkpoints int64 // checkpoints run since the store opened
	Frames      int   // pages in the log (one per page a commit wrote, since the log last restarted)
	Copied      int   // of those, how many are back in the database file
}

// startCheckpoints opens the checkpointer's connection with dsn and starts its goroutine.
func startCheckpoints(dsn string) (*checkpointer, error) {
	conn, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	conn.SetConnMaxIdleTime(0)
	c := &checkpointer{conn: conn, stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
			if err := c.checkpoint(context.Background()); err != nil {
				slog.Error("store: checkpoint", "err", err)
			}
		}
	}
}

// checkpoint copies what it can of the log back into the file, without waiting for anyone.
func (c *checkpointer) checkpoint(ctx context.Context) error {
	var busy, logged, copied int
	if err := c.conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logged, &copied); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last = WALStats{Checkpoints: c.last.Checkpoints + 1, Frames: logged, Copied: copied}
	return nil
}

// WAL returns what the last checkpoint found in the write-ahead log; ok is false on PostgreSQL.
// Frames that keep growing while Copied lags mean that long reads keep the log from being
// copied back: the -wal file grows with it.
func (db *DB) WAL() (stats WALStats, ok bool) {
	if db.checkpoints == nil {
		return WALStats{}, false
	}
	db.checkpoints.mu.Lock()
	defer db.checkpoints.mu.Unlock()
	return db.checkpoints.last, true
}

// close stops the goroutine, copies back what is left and closes the connection; only the first
// call does anything.
func (c *checkpointer) close() error {
	var err error
	c.closing.Do(func() {
		close(c.stop)
		<-c.done
		err = errors.Join(c.checkpoint(context.Background()), c.conn.Close())
	})
	return err
}

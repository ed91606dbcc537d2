package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"ouvert/internal/ouvert"
)

// NewToken returns a random URL-safe secret and the hash under which it is stored: the database
// never holds a usable session or link.
func NewToken() (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret)
}

// HashToken returns the stored form of a secret.
func HashToken(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// CreateSession opens a session for a user and returns its secret, for the cookie.
func (db *DB) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	secret, hash := NewToken()
	now := db.Now()
	_, err := db.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		hash, userID, now, now.Add(ttl))
	if err != nil {
		return "", fmt.Errorf("store: create session: %w", err)
	}
	return secret, nil
}

// SessionUser returns the user of a live session, or ENOTFOUND.
//
// Every request of a signed-in person asks it, so the answer is kept for sessionTTL: a sixth of
// the server's time under a flood of votes went to this query. This process forgets everything
// it kept whenever it changes a person or a session (log-out, block, role, password, deletion);
// another instance sees such a change within sessionTTL.
func (db *DB) SessionUser(ctx context.Context, secret string) (*ouvert.User, error) {
	hash := HashToken(secret)
	if u := db.sessions.get(hash, db.Now()); u != nil {
		return u, nil
	}
	gen := db.sessions.generation()
	var expires time.Time
	u, err := scanUser(db.queryRow(ctx, `SELECT `+prefixColumns("u", userColumns)+`, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ?`, hash, db.Now()), &expires)
	if err != nil {
		return nil, err
	}
	db.sessions.put(hash, u, expires, gen)
	return u, nil
}

// sessionTTL is how long SessionUser keeps an answer.
const sessionTTL = time.Second

// maxSessions bounds how many answers SessionUser keeps; past it, it starts again from none.
const maxSessions = 10000

// sessionCache holds SessionUser's recent answers by token hash.
type sessionCache struct {
	mu  sync.Mutex
	gen uint64 // counts the changes to people and sessions made by this process
	m   map[string]cachedSession
}

type cachedSession struct {
	user    ouvert.User
	expires time.Time // the session's end, in the database's time (DB.Now)
	kept    time.Time // when it was read, on this machine's clock
}

// get returns a copy of the kept user of a session, if any, still live at now and read less
// than sessionTTL ago.
func (c *sessionCache) get(hash string, now time.Time) *ouvert.User {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[hash]
	if !ok || !now.Before(s.expires) || time.Since(s.kept) >= sessionTTL {
		return nil
	}
	u := s.user
	return &u
}

func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps an answer read at generation gen, unless a change was made since: the answer may
// predate it.
func (c *sessionCache) put(hash string, u *ouvert.User, expires time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) >= maxSessions {
		c.m = map[string]cachedSession{}
	}
	c.m[hash] = cachedSession{user: *u, expires: expires, kept: time.Now()}
}

// forget drops every kept answer. Writes to people or sessions call it once they are done.
func (c *sessionCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.m = nil
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, secret string) error {
	defer db.sessions.forget()
	_, err := db.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, HashToken(secret))
	return err
}

// DeleteExpired removes expired sessions and tokens.
func (db *DB) DeleteExpired(ctx context.Context) error {
	now := db.Now()
	return db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, now); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM tokens WHERE expires_at <= ?`, now)
		return err
	})
}

// Token purposes.
const (
	TokenConfirm = "confirm"
	TokenReset   = "reset"
)

// CreateToken makes a single-use link secret for a user, replacing earlier ones of that purpose.
func (db *DB) CreateToken(ctx context.Context, userID int64, purpose string, ttl time.Duration) (string, error) {
	secret, hash := NewToken()
	err := db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM tokens WHERE user_id = ? AND purpose = ?`, userID, purpose); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO tokens (token_hash, user_id, purpose, expires_at) VALUES (?, ?, ?, ?)`,
			hash, userID, purpose, db.Now().Add(ttl))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: create token: %w", err)
	}
	return secret, nil
}

// UseToken consumes a live token of that purpose and returns its user id; an unknown, used or
// expired token is ENOTFOUND.
func (db *DB) UseToken(ctx context.Context, secret, purpose string) (int64, error) {
	var userID int64
	err := db.WithTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `DELETE FROM tokens WHERE token_hash = ? AND purpose = ? AND expires_at > ? RETURNING user_id`,
			HashToken(secret), purpose, db.Now()).Scan(&userID)
		if err != nil {
			return ouvert.Errorf(ouvert.ENOTFOUND, "token.invalid")
		}
		return nil
	})
	return userID, err
}

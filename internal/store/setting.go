package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// Secret returns the instance-wide random secret named key, creating it on first use, so that
// every instance on one database signs and checks with the same key.
func (db *DB) Secret(ctx context.Context, key string) ([]byte, error) {
	b := make([]byte, 32)
	rand.Read(b)
	if _, err := db.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, hex.EncodeToString(b)); err != nil {
		return nil, fmt.Errorf("store: secret %s: %w", key, err)
	}
	var v string
	q, args := db.dialect.rebind(`SELECT value FROM settings WHERE key = ?`, []any{key})
	if err := db.write.QueryRowContext(ctx, q, args...).Scan(&v); err != nil {
		return nil, fmt.Errorf("store: secret %s: %w", key, err)
	}
	return hex.DecodeString(v)
}

// TokenValid reports whether a link token is live, without using it up, so that a form can say
// at once that its link has expired.
func (db *DB) TokenValid(ctx context.Context, secret, purpose string) bool {
	_, err := db.TokenUser(ctx, secret, purpose)
	return err == nil
}

// TokenUser returns the user of a live token without using it up.
func (db *DB) TokenUser(ctx context.Context, secret, purpose string) (int64, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT user_id FROM tokens WHERE token_hash = ? AND purpose = ? AND expires_at > ?`, HashToken(secret), purpose, db.Now()).Scan(&id)
	return id, err
}

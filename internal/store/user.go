package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"ouvert/internal/ouvert"
)

const userColumns = `id, email, password_hash, display_name, category, role, administration, lang,
	confirmed_at, failed_logins, locked_until, created_at, blocked_at, digest`

// scanUser reads userColumns, then into more, if given, the columns that follow.
func scanUser(s scanner, more ...any) (*ouvert.User, error) {
	var u ouvert.User
	var confirmed, locked, blocked sql.NullTime
	err := s.Scan(append([]any{&u.ID, &u.Email, &u.PasswordHash, &u.DisplayName, &u.Category, &u.Role, &u.Administration,
		&u.Lang, &confirmed, &u.FailedLogins, &locked, &u.CreatedAt, &blocked, &u.Digest}, more...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, err
	}
	u.ConfirmedAt, u.LockedUntil, u.BlockedAt = nullTime(confirmed), nullTime(locked), nullTime(blocked)
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

// CreateUser inserts u, setting its ID and creation time. An address already taken is ECONFLICT.
// u.Digest says whether the person gets the daily mail digest: people who sign up do, imported
// and example participants (whose addresses receive no mail) do not.
func (db *DB) CreateUser(ctx context.Context, u *ouvert.User) error {
	u.Email = ouvert.NormalizeEmail(u.Email)
	if u.Role == "" {
		u.Role = ouvert.RoleParticipant
	}
	if u.Category == "" {
		u.Category = ouvert.CategoryCitizen
	}
	if u.Lang == "" {
		u.Lang = "fr"
	}
	u.CreatedAt = db.Now()
	return db.WithTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO users (email, password_hash, display_name, category, role, administration,
			lang, confirmed_at, created_at, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Email, u.PasswordHash, u.DisplayName, u.Category, u.Role, u.Administration, u.Lang, timeArg(u.ConfirmedAt), u.CreatedAt, u.Digest)
		if db.dialect.isUniqueViolation(err) {
			return &ouvert.Error{Code: ouvert.ECONFLICT, Message: "signup.email_taken", Field: "email"}
		} else if err != nil {
			return fmt.Errorf("store: create user: %w", err)
		}
		u.ID = id
		return nil
	})
}

// UserByID returns the user with that id.
func (db *DB) UserByID(ctx context.Context, id int64) (*ouvert.User, error) {
	return scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// UserByEmail returns the user with that address, in any case.
func (db *DB) UserByEmail(ctx context.Context, email string) (*ouvert.User, error) {
	return scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, ouvert.NormalizeEmail(email)))
}

// UpdateProfile saves what a person sets on their profile page.
func (db *DB) UpdateProfile(ctx context.Context, id int64, displayName string, cat ouvert.Category) error {
	defer db.sessions.forget()
	_, err := db.exec(ctx, `UPDATE users SET display_name = ?, category = ? WHERE id = ?`, displayName, cat, id)
	if err != nil {
		return fmt.Errorf("store: update profile %d: %w", id, err)
	}
	return nil
}

// SetUserLang remembers the language a person chose.
func (db *DB) SetUserLang(ctx context.Context, id int64, lang string) error {
	defer db.sessions.forget()
	_, err := db.exec(ctx, `UPDATE users SET lang = ? WHERE id = ?`, lang, id)
	return err
}

// SetRole changes a person's role (and the administration they act for).
func (db *DB) SetRole(ctx context.Context, id int64, role ouvert.Role, administration string) error {
	defer db.sessions.forget()
	if !role.Valid() {
		return ouvert.FieldError("role", "form.choose")
	}
	if role != ouvert.RoleAdministration {
		administration = ""
	}
	res, err := db.exec(ctx, `UPDATE users SET role = ?, administration = ? WHERE id = ?`, role, administration, id)
	if err != nil {
		return fmt.Errorf("store: set role %d: %w", id, err)
	}
	return mustAffect(res)
}

// SetDigest turns the daily mail digest of notifications on or off.
func (db *DB) SetDigest(ctx context.Context, id int64, on bool) error {
	defer db.sessions.forget()
	_, err := db.exec(ctx, `UPDATE users SET digest = ? WHERE id = ?`, on, id)
	return err
}

// SetPassword replaces a password hash and ends every session of that person, so that a reset
// locks out whoever knew the old password.
func (db *DB) SetPassword(ctx context.Context, id int64, hash string) error {
	defer db.sessions.forget()
	return db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?`, hash, id); err != nil {
			return fmt.Errorf("store: set password %d: %w", id, err)
		}
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
		return err
	})
}

// ConfirmUser marks the address confirmed.
func (db *DB) ConfirmUser(ctx context.Context, id int64) error {
	defer db.sessions.forget()
	_, err := db.exec(ctx, `UPDATE users SET confirmed_at = COALESCE(confirmed_at, ?) WHERE id = ?`, db.Now(), id)
	return err
}

// RecordLoginFailure counts a failed log-in; from the fifth in a row the account is locked for a
// time that doubles with each further failure (one minute, two, four... at most an hour).
func (db *DB) RecordLoginFailure(ctx context.Context, id int64) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins`, id).Scan(&n); err != nil {
			return fmt.Errorf("store: record login failure: %w", err)
		}
		if n < 5 {
			return nil
		}
		d := time.Minute << min(n-5, 6)
		_, err := tx.exec(ctx, `UPDATE users SET locked_until = ? WHERE id = ?`, db.Now().Add(min(d, time.Hour)), id)
		return err
	})
}

// RecordLoginSuccess clears the failure count.
func (db *DB) RecordLoginSuccess(ctx context.Context, id int64) error {
	_, err := db.exec(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ? AND failed_logins > 0`, id)
	return err
}

// DeleteUser removes a person's account, their sessions, tokens and memberships. Organisations
// left with no member are removed too.
func (db *DB) DeleteUser(ctx context.Context, id int64) error {
	defer db.sessions.forget()
	return db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE organisations SET members = members - 1
			WHERE id IN (SELECT organisation_id FROM memberships WHERE user_id = ?)`, id); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `DELETE FROM users WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("store: delete user %d: %w", id, err)
		}
		if err := mustAffect(res); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `DELETE FROM organisations WHERE members <= 0`)
		return err
	})
}

// Users returns a page of accounts, newest first, after the cursor (0 for the first page).
func (db *DB) Users(ctx context.Context, beforeID int64, limit int) ([]*ouvert.User, error) {
	q := `SELECT ` + userColumns + ` FROM users`
	args := []any{}
	if beforeID > 0 {
		q += ` WHERE id < ?`
		args = append(args, beforeID)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	rows, err := db.query(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	defer rows.Close()
	var users []*ouvert.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// CountUsers returns how many accounts exist.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

func mustAffect(res sql.Result) error {
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	}
	return nil
}

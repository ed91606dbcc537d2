package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"ouvert/internal/ouvert"
)

// Slugify turns a name into a URL part: lowercase ASCII letters and digits joined by dashes.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) > 60 {
		out = strings.TrimRight(out[:60], "-")
	}
	if out == "" {
		out = "organisation"
	}
	return out
}

// CreateOrganisation creates an organisation with its creator as first member and administrator.
func (db *DB) CreateOrganisation(ctx context.Context, o *ouvert.Organisation, creatorID int64) error {
	o.CreatedAt = db.Now()
	base := Slugify(o.Name)
	return db.WithTx(ctx, func(tx *Tx) error {
		slug := base
		for i := 2; ; i++ {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE slug = ?`, slug).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				break
			}
			slug = fmt.Sprintf("%s-%d", base, i)
		}
		id, err := tx.insert(ctx, `INSERT INTO organisations (slug, name, category, members, created_at) VALUES (?, ?, ?, 1, ?)`,
			slug, o.Name, o.Category, o.CreatedAt)
		if err != nil {
			return fmt.Errorf("store: create organisation: %w", err)
		}
		o.ID, o.Slug, o.Members = id, slug, 1
		_, err = tx.exec(ctx, `INSERT INTO memberships (organisation_id, user_id, is_admin, created_at) VALUES (?, ?, ?, ?)`,
			id, creatorID, true, o.CreatedAt)
		return err
	})
}

// Membership is a person's place in an organisation.
type Membership struct {
	Organisation ouvert.Organisation
	IsAdmin      bool
}

// UserOrganisations lists the organisations a person acts for.
func (db *DB) UserOrganisations(ctx context.Context, userID int64) ([]Membership, error) {
	rows, err := db.query(ctx, `SELECT o.id, o.slug, o.name, o.category, o.members, o.created_at, m.is_admin
		FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = ? ORDER BY o.name`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: user organisations: %w", err)
	}
	defer rows.Close()
	var out []Membership
	for rows.Next() {
		var m Membership
		o := &m.Organisation
		if err := rows.Scan(&o.ID, &o.Slug, &o.Name, &o.Category, &o.Members, &o.CreatedAt, &m.IsAdmin); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddMember adds the person with that address to an organisation. Only an administrator of the
// organisation may do so; the caller passes who acts.
func (db *DB) AddMember(ctx context.Context, orgID, actorID int64, email string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := requireOrgAdmin(ctx, tx, orgID, actorID); err != nil {
			return err
		}
		var userID int64
		if err := tx.queryRow(ctx, `SELECT id FROM users WHERE email = ?`, ouvert.NormalizeEmail(email)).Scan(&userID); err != nil {
			return &ouvert.Error{Code: ouvert.ENOTFOUND, Message: "org.no_such_account", Field: "email"}
		}
		_, err := tx.exec(ctx, `INSERT INTO memberships (organisation_id, user_id, is_admin, created_at) VALUES (?, ?, ?, ?)`,
			orgID, userID, false, db.Now())
		if db.dialect.isUniqueViolation(err) {
			return &ouvert.Error{Code: ouvert.ECONFLICT, Message: "org.already_member", Field: "email"}
		} else if err != nil {
			return fmt.Errorf("store: add member: %w", err)
		}
		_, err = tx.exec(ctx, `UPDATE organisations SET members = members + 1 WHERE id = ?`, orgID)
		return err
	})
}

// LeaveOrganisation removes a person from an organisation; the last member's leaving removes it.
func (db *DB) LeaveOrganisation(ctx context.Context, orgID, userID int64) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM memberships WHERE organisation_id = ? AND user_id = ?`, orgID, userID)
		if err != nil {
			return err
		}
		if err := mustAffect(res); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE organisations SET members = members - 1 WHERE id = ?`, orgID); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `DELETE FROM organisations WHERE id = ? AND members <= 0`, orgID)
		return err
	})
}

func requireOrgAdmin(ctx context.Context, tx *Tx, orgID, userID int64) error {
	var isAdmin bool
	if err := tx.queryRow(ctx, `SELECT is_admin FROM memberships WHERE organisation_id = ? AND user_id = ?`, orgID, userID).Scan(&isAdmin); err != nil || !isAdmin {
		return ouvert.Errorf(ouvert.EFORBIDDEN, "error.forbidden")
	}
	return nil
}

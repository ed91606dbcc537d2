package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"ouvert/internal/ouvert"
)

// ReviewCommitment records, or replaces, a person's review of a commitment: ratings of its
// implementation and usefulness from 1 to 5 and a comment. The plan must be open for review.
func (db *DB) ReviewCommitment(ctx context.Context, r *ouvert.Review) error {
	r.Comment = strings.TrimSpace(r.Comment)
	errs := ouvert.FieldErrors{}
	if r.Implementation < 1 || r.Implementation > 5 {
		errs.Add("implementation", "review.rating_required")
	}
	if r.Usefulness < 1 || r.Usefulness > 5 {
		errs.Add("usefulness", "review.rating_required")
	}
	if utf8.RuneCountInString(r.Comment) > ouvert.MaxCommentLen {
		errs.Add("comment", "argument.too_long")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		var open bool
		err := tx.queryRow(ctx, `SELECT p.review_open FROM commitments c JOIN plans p ON p.id = c.plan_id WHERE c.id = ?`, r.CommitmentID).Scan(&open)
		if errors.Is(err, sql.ErrNoRows) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		} else if err != nil {
			return err
		}
		if !open {
			return ouvert.Errorf(ouvert.EFORBIDDEN, "review.closed")
		}
		var oldImpl, oldUse int
		err = tx.queryRow(ctx, `SELECT implementation, usefulness FROM commitment_reviews WHERE commitment_id = ? AND user_id = ?`,
			r.CommitmentID, r.UserID).Scan(&oldImpl, &oldUse)
		now := tx.db.Now()
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.exec(ctx, `INSERT INTO commitment_reviews (commitment_id, user_id, implementation, usefulness, comment, example, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.CommitmentID, r.UserID, r.Implementation, r.Usefulness, r.Comment, r.Example, now, now); err != nil {
				return err
			}
			_, err = tx.exec(ctx, `UPDATE commitments SET reviews = reviews + 1, implementation_sum = implementation_sum + ?, usefulness_sum = usefulness_sum + ?
				WHERE id = ?`, r.Implementation, r.Usefulness, r.CommitmentID)
			return err
		case err != nil:
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE commitment_reviews SET implementation = ?, usefulness = ?, comment = ?, updated_at = ? WHERE commitment_id = ? AND user_id = ?`,
			r.Implementation, r.Usefulness, r.Comment, now, r.CommitmentID, r.UserID); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE commitments SET implementation_sum = implementation_sum + ?, usefulness_sum = usefulness_sum + ? WHERE id = ?`,
			r.Implementation-oldImpl, r.Usefulness-oldUse, r.CommitmentID)
		return err
	})
}

// Reviews returns a page of a commitment's reviews with a comment, newest first.
func (db *DB) Reviews(ctx context.Context, commitmentID int64, page, perPage int) ([]*ouvert.Review, error) {
	var list []*ouvert.Review
	err := db.each(ctx, func(s scanner) error {
		var r ouvert.Review
		err := s.Scan(&r.CommitmentID, &r.UserID, &r.AuthorName, &r.Implementation, &r.Usefulness, &r.Comment, &r.Example, &r.UpdatedAt)
		r.UpdatedAt = r.UpdatedAt.UTC()
		list = append(list, &r)
		return err
	}, `SELECT r.commitment_id, r.user_id, COALESCE(u.display_name, ''), r.implementation, r.usefulness, r.comment, r.example, r.updated_at
		FROM commitment_reviews r LEFT JOIN users u ON u.id = r.user_id WHERE r.commitment_id = ? AND r.comment <> ''
		ORDER BY r.updated_at DESC LIMIT ? OFFSET ?`, commitmentID, perPage, (max(page, 1)-1)*perPage)
	return list, err
}

// MyReview returns a person's review of a commitment, nil if none.
func (db *DB) MyReview(ctx context.Context, commitmentID, userID int64) (*ouvert.Review, error) {
	r := &ouvert.Review{CommitmentID: commitmentID, UserID: userID}
	err := db.queryRow(ctx, `SELECT implementation, usefulness, comment FROM commitment_reviews WHERE commitment_id = ? AND user_id = ?`,
		commitmentID, userID).Scan(&r.Implementation, &r.Usefulness, &r.Comment)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// SaveEventReview records what an open-ministry event found about a commitment it reviewed.
func (db *DB) SaveEventReview(ctx context.Context, er *ouvert.EventReview) error {
	er.Findings = strings.TrimSpace(er.Findings)
	switch n := utf8.RuneCountInString(er.Findings); {
	case n == 0:
		return ouvert.FieldError("findings", "form.required")
	case n > ouvert.MaxBodyLen:
		return ouvert.FieldError("findings", "contribution.body_too_long")
	}
	var kind string
	err := db.queryRow(ctx, `SELECT kind FROM events WHERE id = ? AND status = 'published'`, er.EventID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && kind != string(ouvert.EventOpenMinistry)) {
		return ouvert.FieldError("event", "review.bad_event")
	} else if err != nil {
		return err
	}
	_, err = db.exec(ctx, `INSERT INTO event_reviews (event_id, commitment_id, findings, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (commitment_id, event_id) DO UPDATE SET findings = excluded.findings`, er.EventID, er.CommitmentID, er.Findings, db.Now())
	return err
}

// EventReviews returns what open-ministry events found about a commitment, by date.
func (db *DB) EventReviews(ctx context.Context, commitmentID int64) ([]*ouvert.EventReview, error) {
	var list []*ouvert.EventReview
	err := db.each(ctx, func(s scanner) error {
		var er ouvert.EventReview
		err := s.Scan(&er.EventID, &er.EventTitle, &er.EventStarts, &er.CommitmentID, &er.Findings)
		er.EventStarts = er.EventStarts.UTC()
		list = append(list, &er)
		return err
	}, `SELECT e.id, e.title, e.starts_at, r.commitment_id, r.findings FROM event_reviews r JOIN events e ON e.id = r.event_id
		WHERE r.commitment_id = ? ORDER BY e.starts_at, e.id`, commitmentID)
	return list, err
}

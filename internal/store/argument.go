package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"ouvert/internal/ouvert"
)

const argumentColumns = `a.id, a.contribution_id, COALESCE(a.parent_id, 0), COALESCE(a.author_id, 0), COALESCE(u.display_name, ''),
	a.stance, a.body, a.status, a.hidden_reason, a.useful, a.replies, a.example, a.created_at, a.edited_at`

const argumentFrom = ` FROM arguments a LEFT JOIN users u ON u.id = a.author_id`

func scanArgument(s scanner) (*ouvert.Argument, error) {
	var a ouvert.Argument
	var edited time.Time // zero for NULL
	// Times through textTime: the export reads them as text on SQLite (see timesAsText). Integers
	// through intCol: the export reads a million.
	err := s.Scan(intDest(&a.ID), intDest(&a.ContributionID), intDest(&a.ParentID), intDest(&a.AuthorID), &a.AuthorName,
		&a.Stance, &a.Body, &a.Status, &a.HiddenReason, intDest(&a.Useful), intDest(&a.Replies), &a.Example,
		(*textTime)(&a.CreatedAt), (*textTime)(&edited))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, err
	}
	a.CreatedAt = a.CreatedAt.UTC()
	if !edited.IsZero() {
		edited = edited.UTC()
		a.EditedAt = &edited
	}
	return &a, nil
}

// CreateArgument adds an argument to a published contribution, or a reply to a top-level
// argument (replies go one level deep), keeps the counters and notifies the followers.
func (db *DB) CreateArgument(ctx context.Context, a *ouvert.Argument) error {
	a.CreatedAt, a.Status = db.Now(), ouvert.StatusPublished
	return db.WithTx(ctx, func(tx *Tx) error {
		var status string
		if err := tx.queryRow(ctx, `SELECT status FROM contributions WHERE id = ?`, a.ContributionID).Scan(&status); errors.Is(err, sql.ErrNoRows) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		} else if err != nil {
			return err
		}
		if status != ouvert.StatusPublished {
			return ouvert.Errorf(ouvert.ECONFLICT, "contribution.not_published")
		}
		if a.ParentID != 0 {
			var contributionID int64
			var grand sql.NullInt64
			err := tx.queryRow(ctx, `SELECT contribution_id, parent_id FROM arguments WHERE id = ?`, a.ParentID).Scan(&contributionID, &grand)
			if errors.Is(err, sql.ErrNoRows) || contributionID != a.ContributionID {
				return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
			} else if err != nil {
				return err
			}
			if grand.Valid {
				return ouvert.Errorf(ouvert.EINVALID, "argument.reply_depth")
			}
			a.Stance = ""
		} else if !ouvert.ValidStance(a.Stance) {
			return ouvert.FieldError("stance", "form.choose")
		}
		id, err := tx.insert(ctx, `INSERT INTO arguments (contribution_id, parent_id, author_id, stance, body, status, example, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ContributionID, nullID(a.ParentID), nullID(a.AuthorID), a.Stance, a.Body, a.Status, a.Example, a.CreatedAt)
		if err != nil {
			return fmt.Errorf("store: create argument: %w", err)
		}
		a.ID = id
		if a.ParentID != 0 {
			_, err = tx.exec(ctx, `UPDATE arguments SET replies = replies + 1 WHERE id = ?`, a.ParentID)
		} else {
			_, err = tx.exec(ctx, `UPDATE contributions SET arguments = arguments + 1 WHERE id = ?`, a.ContributionID)
		}
		if err != nil {
			return err
		}
		if a.ParentID == 0 {
			return tx.notifyFollowers(ctx, a.ContributionID, id, a.AuthorID, "argument")
		}
		if err := tx.notifyFollowers(ctx, a.ContributionID, id, a.AuthorID, "reply"); err != nil {
			return err
		}
		// The author of the argument replied to hears of it too, if they do not follow already.
		_, err = tx.exec(ctx, `INSERT INTO notifications (user_id, kind, contribution_id, argument_id, created_at)
			SELECT p.author_id, 'reply', ?, ?, ? FROM arguments p WHERE p.id = ? AND p.author_id IS NOT NULL AND p.author_id <> ?
			AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.contribution_id = ? AND f.user_id = p.author_id)`,
			a.ContributionID, id, tx.db.Now(), a.ParentID, a.AuthorID, a.ContributionID)
		return err
	})
}

// Argument returns one argument.
func (db *DB) Argument(ctx context.Context, id int64) (*ouvert.Argument, error) {
	return scanArgument(db.queryRow(ctx, `SELECT `+argumentColumns+argumentFrom+` WHERE a.id = ?`, id))
}

// Arguments returns a page of a contribution's top-level arguments, most useful or newest first,
// each with its replies: two queries whatever the page holds.
func (db *DB) Arguments(ctx context.Context, contributionID int64, sort string, page, perPage int) ([]*ouvert.Argument, error) {
	order := "a.useful DESC, a.id DESC"
	if sort == SortNewest {
		order = "a.id DESC"
	}
	var list []*ouvert.Argument
	byID := map[int64]*ouvert.Argument{}
	err := db.each(ctx, func(s scanner) error {
		a, err := scanArgument(s)
		if err == nil {
			list = append(list, a)
			byID[a.ID] = a
		}
		return err
	}, `SELECT `+argumentColumns+argumentFrom+` WHERE a.contribution_id = ? AND a.parent_id IS NULL ORDER BY `+order+` LIMIT ? OFFSET ?`,
		contributionID, perPage, (max(page, 1)-1)*perPage)
	if err != nil || len(list) == 0 {
		return list, err
	}
	args := make([]any, 0, len(list))
	for _, a := range list {
		args = append(args, a.ID)
	}
	err = db.each(ctx, func(s scanner) error {
		r, err := scanArgument(s)
		if err == nil {
			p := byID[r.ParentID]
			p.Thread = append(p.Thread, r)
		}
		return err
	}, `SELECT `+argumentColumns+argumentFrom+` WHERE a.parent_id IN (`+placeholders(len(args))+`) ORDER BY a.parent_id, a.id`, args...)
	return list, err
}

// ToggleUseful marks an argument useful for a person, or takes the mark back. It returns whether
// the argument is now marked. Nobody marks their own argument.
func (db *DB) ToggleUseful(ctx context.Context, argumentID, userID int64) (bool, error) {
	marked := false
	err := db.WithTx(ctx, func(tx *Tx) error {
		var author sql.NullInt64
		if err := tx.queryRow(ctx, `SELECT author_id FROM arguments WHERE id = ?`, argumentID).Scan(&author); errors.Is(err, sql.ErrNoRows) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		} else if err != nil {
			return err
		}
		if author.Valid && author.Int64 == userID {
			return ouvert.Errorf(ouvert.EFORBIDDEN, "argument.own_useful")
		}
		res, err := tx.exec(ctx, `DELETE FROM argument_useful WHERE argument_id = ? AND user_id = ?`, argumentID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			_, err = tx.exec(ctx, `UPDATE arguments SET useful = useful - 1 WHERE id = ?`, argumentID)
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO argument_useful (argument_id, user_id) VALUES (?, ?)`, argumentID, userID); err != nil {
			return err
		}
		marked = true
		_, err = tx.exec(ctx, `UPDATE arguments SET useful = useful + 1 WHERE id = ?`, argumentID)
		return err
	})
	return marked, err
}

// UserUseful returns which of some arguments a person marked useful.
func (db *DB) UserUseful(ctx context.Context, userID int64, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if userID == 0 || len(ids) == 0 {
		return out, nil
	}
	args := []any{userID}
	for _, id := range ids {
		args = append(args, id)
	}
	err := db.each(ctx, func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		out[id] = true
		return err
	}, `SELECT argument_id FROM argument_useful WHERE user_id = ? AND argument_id IN (`+placeholders(len(ids))+`)`, args...)
	return out, err
}

// EditArgument changes an argument's text; only its author may, and the earlier text is kept.
func (db *DB) EditArgument(ctx context.Context, id, authorID int64, body string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		a, err := scanArgument(tx.queryRow(ctx, `SELECT `+argumentColumns+argumentFrom+` WHERE a.id = ?`, id))
		if err != nil {
			return err
		}
		if a.AuthorID == 0 || a.AuthorID != authorID {
			return ouvert.Errorf(ouvert.EFORBIDDEN, "error.forbidden")
		}
		if a.Status != ouvert.StatusPublished {
			return ouvert.Errorf(ouvert.ECONFLICT, "argument.not_published")
		}
		now := tx.db.Now()
		if _, err := tx.exec(ctx, `INSERT INTO revisions (target_type, target_id, body, replaced_at) VALUES ('argument', ?, ?, ?)`, id, a.Body, now); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE arguments SET body = ?, edited_at = ? WHERE id = ?`, body, now, id)
		return err
	})
}

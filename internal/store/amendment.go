package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"ouvert/internal/ouvert"
)

// CommentDraft publishes a comment on a section or paragraph of a draft, or on an amendment, and
// tells the draft's followers.
func (db *DB) CommentDraft(ctx context.Context, c *ouvert.DraftComment) error {
	c.Body = strings.TrimSpace(c.Body)
	errs := ouvert.FieldErrors{}
	switch n := utf8.RuneCountInString(c.Body); {
	case n == 0:
		errs.Add("body", "form.required")
	case n > ouvert.MaxCommentLen:
		errs.Add("body", "argument.too_long")
	}
	if !ouvert.ValidStance(c.Stance) {
		errs.Add("stance", "argument.choose_stance")
	}
	if c.AmendmentID == 0 && !ouvert.ValidSection(c.Section) {
		errs.Add("section", "form.invalid")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.draftWritable(ctx, c.DraftID); err != nil {
			return err
		}
		if c.AmendmentID != 0 {
			if err := tx.queryRow(ctx, `SELECT section FROM amendments WHERE id = ? AND draft_id = ?`, c.AmendmentID, c.DraftID).Scan(&c.Section); errors.Is(err, sql.ErrNoRows) {
				return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
			} else if err != nil {
				return err
			}
			c.Paragraph = 0
		}
		if err := tx.queryRow(ctx, `SELECT version FROM drafts WHERE id = ?`, c.DraftID).Scan(&c.Version); err != nil {
			return err
		}
		c.CreatedAt = tx.db.Now()
		id, err := tx.insert(ctx, `INSERT INTO draft_comments (draft_id, amendment_id, section, paragraph, stance, body, author_id, version, example, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.DraftID, nullID(c.AmendmentID), c.Section, max(c.Paragraph, 0), c.Stance, c.Body,
			nullID(c.AuthorID), c.Version, c.Example, c.CreatedAt)
		if err != nil {
			return fmt.Errorf("store: comment draft: %w", err)
		}
		c.ID = id
		if c.AmendmentID != 0 {
			if _, err := tx.exec(ctx, `UPDATE amendments SET comments = comments + 1 WHERE id = ?`, c.AmendmentID); err != nil {
				return err
			}
		} else if _, err := tx.exec(ctx, `UPDATE draft_section_counts SET comments = comments + 1 WHERE draft_id = ? AND section = ?`, c.DraftID, c.Section); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE drafts SET comments = comments + 1 WHERE id = ?`, c.DraftID); err != nil {
			return err
		}
		return tx.notifyDraftFollowers(ctx, c.DraftID, c.AmendmentID, c.AuthorID, "draft_comment", "")
	})
}

const draftCommentColumns = `dc.id, dc.draft_id, COALESCE(dc.amendment_id, 0), dc.section, dc.paragraph, dc.stance, dc.body,
	COALESCE(dc.author_id, 0), COALESCE(u.display_name, ''), dc.version, dc.example, dc.created_at`

// DraftComments returns a page of the comments on a section of a draft, newest first: on one
// paragraph (from 1), on the section as a whole (0), or all of them (-1); and how many there are.
func (db *DB) DraftComments(ctx context.Context, draftID int64, section string, paragraph, page, perPage int) ([]*ouvert.DraftComment, int, error) {
	where, args := `dc.draft_id = ? AND dc.section = ? AND dc.amendment_id IS NULL`, []any{draftID, section}
	if paragraph >= 0 {
		where += ` AND dc.paragraph = ?`
		args = append(args, paragraph)
	}
	return db.draftComments(ctx, where, args, page, perPage)
}

// AmendmentComments returns a page of the comments on an amendment, newest first.
func (db *DB) AmendmentComments(ctx context.Context, amendmentID int64, page, perPage int) ([]*ouvert.DraftComment, int, error) {
	return db.draftComments(ctx, `dc.amendment_id = ?`, []any{amendmentID}, page, perPage)
}

func (db *DB) draftComments(ctx context.Context, where string, args []any, page, perPage int) ([]*ouvert.DraftComment, int, error) {
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM draft_comments dc WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	var list []*ouvert.DraftComment
	err := db.each(ctx, func(s scanner) error {
		var c ouvert.DraftComment
		err := s.Scan(&c.ID, &c.DraftID, &c.AmendmentID, &c.Section, &c.Paragraph, &c.Stance, &c.Body, &c.AuthorID, &c.AuthorName,
			&c.Version, &c.Example, &c.CreatedAt)
		c.CreatedAt = c.CreatedAt.UTC()
		list = append(list, &c)
		return err
	}, `SELECT `+draftCommentColumns+` FROM draft_comments dc LEFT JOIN users u ON u.id = dc.author_id WHERE `+where+
		` ORDER BY dc.id DESC LIMIT ? OFFSET ?`, append(args, perPage, (max(page, 1)-1)*perPage)...)
	return list, total, err
}

// ProposeAmendment publishes new text for a section of a draft, against its current version, and
// tells the draft's followers.
func (db *DB) ProposeAmendment(ctx context.Context, a *ouvert.Amendment) error {
	a.Text, a.Reason = strings.TrimSpace(a.Text), strings.TrimSpace(a.Reason)
	errs := ouvert.FieldErrors{}
	if !ouvert.ValidSection(a.Section) {
		errs.Add("section", "form.choose")
	}
	switch n := utf8.RuneCountInString(a.Text); {
	case n == 0:
		errs.Add("text", "form.required")
	case n > ouvert.MaxSectionLen:
		errs.Add("text", "draft.section_too_long")
	}
	switch n := utf8.RuneCountInString(a.Reason); {
	case n == 0:
		errs.Add("reason", "amendment.reason_required")
	case n > ouvert.MaxReasonLen:
		errs.Add("reason", "response.reason_too_long")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.draftWritable(ctx, a.DraftID); err != nil {
			return err
		}
		v, err := scanDraftVersion(tx.queryRow(ctx, `SELECT `+draftVersionColumns+` FROM drafts d JOIN draft_versions v
			ON v.draft_id = d.id AND v.number = d.version`+draftVersionJoins+` WHERE d.id = ?`, a.DraftID))
		if err != nil {
			return err
		}
		if strings.TrimSpace(v.Sections[a.Section]) == a.Text {
			return ouvert.FieldError("text", "amendment.unchanged")
		}
		a.BaseVersion, a.Status, a.CreatedAt = v.Number, ouvert.AmendmentOpen, tx.db.Now()
		id, err := tx.insert(ctx, `INSERT INTO amendments (draft_id, section, base_version, text, reason, author_id, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.DraftID, a.Section, a.BaseVersion, a.Text, a.Reason, nullID(a.AuthorID), a.Status, a.CreatedAt)
		if err != nil {
			return fmt.Errorf("store: amendment: %w", err)
		}
		a.ID = id
		if _, err := tx.exec(ctx, `UPDATE draft_section_counts SET amendments = amendments + 1 WHERE draft_id = ? AND section = ?`, a.DraftID, a.Section); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE drafts SET amendments = amendments + 1 WHERE id = ?`, a.DraftID); err != nil {
			return err
		}
		return tx.notifyDraftFollowers(ctx, a.DraftID, id, a.AuthorID, "amendment", "")
	})
}

const amendmentColumns = `am.id, am.draft_id, am.section, am.base_version, am.text, am.reason, COALESCE(am.author_id, 0),
	COALESCE(au.display_name, ''), am.status, am.decision_reason, COALESCE(du.display_name, ''), am.decided_at, am.result_version,
	am.agree, am.mixed, am.disagree, am.comments, am.created_at`

const amendmentFrom = ` FROM amendments am LEFT JOIN users au ON au.id = am.author_id LEFT JOIN users du ON du.id = am.decided_by`

func scanAmendment(s scanner) (*ouvert.Amendment, error) {
	var a ouvert.Amendment
	var decided sql.NullTime
	err := s.Scan(&a.ID, &a.DraftID, &a.Section, &a.BaseVersion, &a.Text, &a.Reason, &a.AuthorID, &a.AuthorName, &a.Status,
		&a.DecisionReason, &a.DecidedBy, &decided, &a.ResultVersion, &a.Agree, &a.Mixed, &a.Disagree, &a.Comments, &a.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, err
	}
	if decided.Valid {
		a.DecidedAt = decided.Time.UTC()
	}
	a.CreatedAt = a.CreatedAt.UTC()
	return &a, nil
}

// Amendment returns one amendment.
func (db *DB) Amendment(ctx context.Context, id int64) (*ouvert.Amendment, error) {
	return scanAmendment(db.queryRow(ctx, `SELECT `+amendmentColumns+amendmentFrom+` WHERE am.id = ?`, id))
}

// Amendments returns a page of a draft's amendments (of a section unless "", of a status unless
// ""), newest first, without their text, and how many there are.
func (db *DB) Amendments(ctx context.Context, draftID int64, section, status string, page, perPage int) ([]*ouvert.Amendment, int, error) {
	where, args := `am.draft_id = ?`, []any{draftID}
	if section != "" {
		where += ` AND am.section = ?`
		args = append(args, section)
	}
	if status != "" {
		where += ` AND am.status = ?`
		args = append(args, status)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM amendments am WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	var list []*ouvert.Amendment
	err := db.each(ctx, func(s scanner) error {
		a, err := scanAmendment(s)
		list = append(list, a)
		return err
	}, `SELECT `+strings.Replace(amendmentColumns, "am.text", "''", 1)+amendmentFrom+` WHERE `+where+` ORDER BY am.id DESC LIMIT ? OFFSET ?`,
		append(args, perPage, (max(page, 1)-1)*perPage)...)
	return list, total, err
}

// VoteAmendment records a person's vote on an open amendment; a second vote replaces the first.
func (db *DB) VoteAmendment(ctx context.Context, amendmentID, userID int64, value int) error {
	if value < -1 || value > 1 {
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		var status string
		var draftID int64
		err := tx.queryRow(ctx, `SELECT status, draft_id FROM amendments WHERE id = ?`, amendmentID).Scan(&status, &draftID)
		if errors.Is(err, sql.ErrNoRows) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		} else if err != nil {
			return err
		}
		if status != ouvert.AmendmentOpen {
			return ouvert.Errorf(ouvert.ECONFLICT, "amendment.decided")
		}
		if err := tx.draftWritable(ctx, draftID); err != nil {
			return err
		}
		var old sql.NullInt64
		err = tx.queryRow(ctx, `SELECT value FROM amendment_votes WHERE amendment_id = ? AND user_id = ?`, amendmentID, userID).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if old.Valid && int(old.Int64) == value {
			return nil
		}
		if old.Valid {
			col := voteColumn(int(old.Int64))
			if _, err := tx.exec(ctx, `UPDATE amendment_votes SET value = ? WHERE amendment_id = ? AND user_id = ?`, value, amendmentID, userID); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE amendments SET `+col+` = `+col+` - 1 WHERE id = ?`, amendmentID); err != nil {
				return err
			}
		} else if _, err := tx.exec(ctx, `INSERT INTO amendment_votes (amendment_id, user_id, value, created_at) VALUES (?, ?, ?, ?)`,
			amendmentID, userID, value, tx.db.Now()); err != nil {
			return err
		}
		col := voteColumn(value)
		_, err = tx.exec(ctx, `UPDATE amendments SET `+col+` = `+col+` + 1 WHERE id = ?`, amendmentID)
		return err
	})
}

// AmendmentVote returns a person's vote on an amendment, and whether they voted.
func (db *DB) AmendmentVote(ctx context.Context, amendmentID, userID int64) (int, bool, error) {
	var v int
	err := db.queryRow(ctx, `SELECT value FROM amendment_votes WHERE amendment_id = ? AND user_id = ?`, amendmentID, userID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return v, err == nil, err
}

// Decision is what the lead administration or organisers decide on an amendment.
type Decision struct {
	Status string // accepted, accepted_modified or rejected
	Text   string // for accepted_modified: the section's text as changed
	Reason string
}

// DecideAmendment ends an open amendment. Accepting it makes a new version of the draft with the
// section replaced (by the amendment's text, or by the decider's changed text), credited to the
// amendment's author; rejecting it needs a reason. The amendment's author and the draft's
// followers are told.
func (db *DB) DecideAmendment(ctx context.Context, amendmentID, deciderID int64, d Decision) (*ouvert.Amendment, error) {
	d.Reason, d.Text = strings.TrimSpace(d.Reason), strings.TrimSpace(d.Text)
	errs := ouvert.FieldErrors{}
	switch d.Status {
	case ouvert.AmendmentAccepted:
	case ouvert.AmendmentAcceptedModified:
		if d.Text == "" {
			errs.Add("text", "form.required")
		}
		if d.Reason == "" {
			errs.Add("reason", "amendment.decision_reason_required")
		}
	case ouvert.AmendmentRejected:
		if d.Reason == "" {
			errs.Add("reason", "amendment.decision_reason_required")
		}
	default:
		errs.Add("decision", "form.choose")
	}
	if utf8.RuneCountInString(d.Reason) > ouvert.MaxReasonLen {
		errs.Add("reason", "response.reason_too_long")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var a *ouvert.Amendment
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		if a, err = scanAmendment(tx.queryRow(ctx, `SELECT `+amendmentColumns+amendmentFrom+` WHERE am.id = ?`, amendmentID)); err != nil {
			return err
		}
		if a.Status != ouvert.AmendmentOpen {
			return ouvert.Errorf(ouvert.ECONFLICT, "amendment.decided")
		}
		if err := tx.draftWritable(ctx, a.DraftID); err != nil {
			return err
		}
		result := 0
		if d.Status != ouvert.AmendmentRejected {
			v, err := scanDraftVersion(tx.queryRow(ctx, `SELECT `+draftVersionColumns+` FROM drafts d JOIN draft_versions v
				ON v.draft_id = d.id AND v.number = d.version`+draftVersionJoins+` WHERE d.id = ?`, a.DraftID))
			if err != nil {
				return err
			}
			text := a.Text
			if d.Status == ouvert.AmendmentAcceptedModified {
				text = d.Text
			}
			v.Sections[a.Section] = text
			v.AuthorID, v.AmendmentID, v.Summary = a.AuthorID, a.ID, d.Reason
			if err := tx.insertVersion(ctx, a.DraftID, v); err != nil {
				return err
			}
			result = v.Number
		}
		now := tx.db.Now()
		if _, err := tx.exec(ctx, `UPDATE amendments SET status = ?, decision_reason = ?, decided_by = ?, decided_at = ?, result_version = ? WHERE id = ?`,
			d.Status, d.Reason, nullID(deciderID), now, result, a.ID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE drafts SET amendments = amendments - 1 WHERE id = ?`, a.DraftID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE draft_section_counts SET amendments = amendments - 1 WHERE draft_id = ? AND section = ?`, a.DraftID, a.Section); err != nil {
			return err
		}
		a.Status, a.DecisionReason, a.DecidedAt, a.ResultVersion = d.Status, d.Reason, now, result
		// The author hears of it whether or not they follow the draft; followers too.
		if a.AuthorID != 0 && a.AuthorID != deciderID {
			if _, err := tx.exec(ctx, `INSERT INTO notifications (user_id, kind, draft_id, amendment_id, detail, created_at)
				SELECT ?, 'amendment_decided', ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM draft_follows WHERE draft_id = ? AND user_id = ?)`,
				a.AuthorID, a.DraftID, a.ID, d.Status, now, a.DraftID, a.AuthorID); err != nil {
				return err
			}
		}
		return tx.notifyDraftFollowers(ctx, a.DraftID, a.ID, deciderID, "amendment_decided", d.Status)
	})
	return a, err
}

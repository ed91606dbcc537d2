package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"ouvert/internal/ouvert"
)

const draftVersionColumns = `v.id, v.draft_id, v.number, v.title, v.other_actors, v.period_start, v.period_end, v.ogp_values,
	v.problem, v.status_quo, v.commitment, v.how, v.relevance, v.ambition, v.milestones,
	COALESCE(v.author_id, 0), COALESCE(vu.display_name, ''), COALESCE(v.amendment_id, 0), v.summary, v.created_at`

const draftVersionJoins = ` LEFT JOIN users vu ON vu.id = v.author_id`

// versionScan holds what a draft version's columns are read into before they become a version.
type versionScan struct {
	v          *ouvert.DraftVersion
	start, end sql.NullTime
	values     string
	sections   []string
}

// dest returns the destinations of draftVersionColumns, in order.
func (vs *versionScan) dest() []any {
	vs.sections = make([]string, len(ouvert.Sections))
	v, sec := vs.v, vs.sections
	return []any{&v.ID, &v.DraftID, &v.Number, &v.Title, &v.OtherActors, &vs.start, &vs.end, &vs.values,
		&sec[0], &sec[1], &sec[2], &sec[3], &sec[4], &sec[5], &sec[6], &v.AuthorID, &v.AuthorName, &v.AmendmentID, &v.Summary, &v.CreatedAt}
}

// finish fills the version from what was read.
func (vs *versionScan) finish() *ouvert.DraftVersion {
	v := vs.v
	v.Sections = map[string]string{}
	for i, k := range ouvert.Sections {
		v.Sections[k] = vs.sections[i]
	}
	v.PeriodStart, v.PeriodEnd = nullTimeValue(vs.start), nullTimeValue(vs.end)
	v.Values = strings.Fields(vs.values)
	v.CreatedAt = v.CreatedAt.UTC()
	return v
}

func scanDraftVersion(s scanner) (*ouvert.DraftVersion, error) {
	vs := versionScan{v: &ouvert.DraftVersion{}}
	err := s.Scan(vs.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, err
	}
	return vs.finish(), nil
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// insertVersion writes version v of a draft as the next version and makes it current.
func (tx *Tx) insertVersion(ctx context.Context, draftID int64, v *ouvert.DraftVersion) error {
	if err := tx.queryRow(ctx, `SELECT version + 1 FROM drafts WHERE id = ?`, draftID).Scan(&v.Number); err != nil {
		return err
	}
	v.DraftID, v.CreatedAt = draftID, tx.db.Now()
	id, err := tx.insert(ctx, `INSERT INTO draft_versions (draft_id, number, title, other_actors, period_start, period_end, ogp_values,
		problem, status_quo, commitment, how, relevance, ambition, milestones, author_id, amendment_id, summary, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		draftID, v.Number, strings.TrimSpace(v.Title), v.OtherActors, timeOrNil(v.PeriodStart), timeOrNil(v.PeriodEnd), strings.Join(v.Values, " "),
		v.Sections[ouvert.SectionProblem], v.Sections[ouvert.SectionStatusQuo], v.Sections[ouvert.SectionCommitment], v.Sections[ouvert.SectionHow],
		v.Sections[ouvert.SectionRelevance], v.Sections[ouvert.SectionAmbition], v.Sections[ouvert.SectionMilestones],
		nullID(v.AuthorID), nullID(v.AmendmentID), v.Summary, v.CreatedAt)
	if err != nil {
		return fmt.Errorf("store: draft version: %w", err)
	}
	v.ID = id
	_, err = tx.exec(ctx, `UPDATE drafts SET version = ? WHERE id = ?`, v.Number, draftID)
	return err
}

// CreateDraft writes a draft commitment and its first version, makes its author follow it, and
// links the contributions and syntheses it draws on: the contributions are answered "taken up in
// draft" and their followers told.
func (db *DB) CreateDraft(ctx context.Context, d *ouvert.Draft, v *ouvert.DraftVersion) error {
	errs := ouvert.FieldErrors{}
	ouvert.ValidateDraftVersion(v, errs)
	if strings.TrimSpace(d.LeadAdministration) == "" {
		errs.Add("lead_administration", "form.required")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM axes WHERE id = ? AND process_id = ?`, d.AxisID, d.ProcessID).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			return ouvert.FieldError("axis", "form.choose")
		}
		d.CreatedAt, d.Status = tx.db.Now(), ouvert.DraftOpen
		id, err := tx.insert(ctx, `INSERT INTO drafts (process_id, axis_id, lead_administration, status, example, created_by, created_at, followers)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, d.ProcessID, d.AxisID, strings.TrimSpace(d.LeadAdministration), d.Status, d.Example,
			nullID(v.AuthorID), d.CreatedAt, boolInt(v.AuthorID != 0))
		if err != nil {
			return fmt.Errorf("store: create draft: %w", err)
		}
		d.ID = id
		for _, sec := range append([]string{""}, ouvert.Sections...) {
			if _, err := tx.exec(ctx, `INSERT INTO draft_section_counts (draft_id, section) VALUES (?, ?)`, id, sec); err != nil {
				return err
			}
		}
		if v.AuthorID != 0 {
			if _, err := tx.exec(ctx, `INSERT INTO draft_follows (draft_id, user_id, created_at) VALUES (?, ?, ?)`, id, v.AuthorID, d.CreatedAt); err != nil {
				return err
			}
		}
		if err := tx.insertVersion(ctx, id, v); err != nil {
			return err
		}
		d.Version = v
		return tx.linkSources(ctx, d, v.AuthorID)
	})
}

// linkSources records what a draft draws on. Each contribution must be published in the draft's
// process; it is answered "taken up in draft".
func (tx *Tx) linkSources(ctx context.Context, d *ouvert.Draft, actorID int64) error {
	for _, c := range d.Contributions {
		var process, axis int64
		var status, response string
		err := tx.queryRow(ctx, `SELECT process_id, axis_id, status, response FROM contributions WHERE id = ?`, c).Scan(&process, &axis, &status, &response)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (process != d.ProcessID || status != ouvert.StatusPublished)) {
			return ouvert.FieldError("contributions", "draft.bad_contribution")
		} else if err != nil {
			return err
		}
		res, err := tx.exec(ctx, `INSERT INTO draft_sources (draft_id, contribution_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, d.ID, c)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		if _, err := tx.exec(ctx, `UPDATE contributions SET response = ?, response_reason = ?, response_target = ?, responded_at = ? WHERE id = ?`,
			ouvert.ResponseDraft, "", d.ID, tx.db.Now(), c); err != nil {
			return err
		}
		if response != string(ouvert.ResponseDraft) {
			if err := tx.countResponse(ctx, d.ProcessID, axis, response, -1); err != nil {
				return err
			}
			if err := tx.countResponse(ctx, d.ProcessID, axis, string(ouvert.ResponseDraft), 1); err != nil {
				return err
			}
		}
		if err := tx.notifyFollowers(ctx, c, 0, actorID, "answered"); err != nil {
			return err
		}
	}
	for _, s := range d.Syntheses {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM syntheses WHERE id = ? AND process_id = ? AND published_id IS NOT NULL`, s, d.ProcessID).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			return ouvert.FieldError("syntheses", "draft.bad_synthesis")
		}
		if _, err := tx.exec(ctx, `INSERT INTO draft_sources (draft_id, synthesis_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, d.ID, s); err != nil {
			return err
		}
	}
	return nil
}

const draftColumns = `d.id, d.process_id, d.axis_id, d.lead_administration, d.status, d.final_version, d.agree, d.mixed, d.disagree,
	d.comments, d.amendments, d.followers, d.example, d.created_at`

func scanDraft(s scanner, v *ouvert.DraftVersion) (*ouvert.Draft, error) {
	var d ouvert.Draft
	vs := versionScan{v: v}
	dest := append([]any{&d.ID, &d.ProcessID, &d.AxisID, &d.LeadAdministration, &d.Status, &d.FinalVersion, &d.Agree, &d.Mixed, &d.Disagree,
		&d.Comments, &d.Amendments, &d.Followers, &d.Example, &d.CreatedAt}, vs.dest()...)
	if err := s.Scan(dest...); errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, err
	}
	d.Version, d.CreatedAt = vs.finish(), d.CreatedAt.UTC()
	return &d, nil
}

const draftFrom = ` FROM drafts d JOIN draft_versions v ON v.draft_id = d.id AND v.number = d.version` + draftVersionJoins

// Draft returns a draft with its current version and what it draws on.
func (db *DB) Draft(ctx context.Context, id int64) (*ouvert.Draft, error) {
	d, err := scanDraft(db.queryRow(ctx, `SELECT `+draftColumns+`, `+draftVersionColumns+draftFrom+` WHERE d.id = ?`, id), &ouvert.DraftVersion{})
	if err != nil {
		return nil, err
	}
	err = db.each(ctx, func(s scanner) error {
		var c, syn sql.NullInt64
		if err := s.Scan(&c, &syn); err != nil {
			return err
		}
		if c.Valid {
			d.Contributions = append(d.Contributions, c.Int64)
		}
		if syn.Valid {
			d.Syntheses = append(d.Syntheses, syn.Int64)
		}
		return nil
	}, `SELECT contribution_id, synthesis_id FROM draft_sources WHERE draft_id = ? ORDER BY contribution_id, synthesis_id`, id)
	return d, err
}

// Drafts returns the drafts of a process with their current versions, by axis.
func (db *DB) Drafts(ctx context.Context, processID int64) ([]*ouvert.Draft, error) {
	var list []*ouvert.Draft
	err := db.each(ctx, func(s scanner) error {
		d, err := scanDraft(s, &ouvert.DraftVersion{})
		list = append(list, d)
		return err
	}, `SELECT `+draftColumns+`, `+draftVersionColumns+draftFrom+` LEFT JOIN axes a ON a.id = d.axis_id
		WHERE d.process_id = ? ORDER BY a.position, d.id`, processID)
	return list, err
}

// EditDraft makes a new version of a draft from what its editor typed.
func (db *DB) EditDraft(ctx context.Context, draftID int64, v *ouvert.DraftVersion) error {
	errs := ouvert.FieldErrors{}
	ouvert.ValidateDraftVersion(v, errs)
	if utf8.RuneCountInString(v.Summary) > ouvert.MaxReasonLen {
		errs.Add("summary", "response.reason_too_long")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.draftWritable(ctx, draftID); err != nil {
			return err
		}
		return tx.insertVersion(ctx, draftID, v)
	})
}

// draftWritable refuses changes to a draft marked final.
func (tx *Tx) draftWritable(ctx context.Context, draftID int64) error {
	var status string
	err := tx.queryRow(ctx, `SELECT status FROM drafts WHERE id = ?`, draftID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return err
	}
	if status != ouvert.DraftOpen {
		return ouvert.Errorf(ouvert.ECONFLICT, "draft.frozen")
	}
	return nil
}

// DraftVersion returns a version of a draft by number.
func (db *DB) DraftVersion(ctx context.Context, draftID int64, number int) (*ouvert.DraftVersion, error) {
	return scanDraftVersion(db.queryRow(ctx, `SELECT `+draftVersionColumns+` FROM draft_versions v`+draftVersionJoins+
		` WHERE v.draft_id = ? AND v.number = ?`, draftID, number))
}

// DraftVersions lists a draft's versions, newest first, without their text.
func (db *DB) DraftVersions(ctx context.Context, draftID int64) ([]*ouvert.DraftVersion, error) {
	var list []*ouvert.DraftVersion
	err := db.each(ctx, func(s scanner) error {
		var v ouvert.DraftVersion
		err := s.Scan(&v.ID, &v.Number, &v.Title, &v.AuthorName, &v.AmendmentID, &v.Summary, &v.CreatedAt)
		v.DraftID, v.CreatedAt = draftID, v.CreatedAt.UTC()
		list = append(list, &v)
		return err
	}, `SELECT v.id, v.number, v.title, COALESCE(vu.display_name, ''), COALESCE(v.amendment_id, 0), v.summary, v.created_at
		FROM draft_versions v`+draftVersionJoins+` WHERE v.draft_id = ? ORDER BY v.number DESC`, draftID)
	return list, err
}

// SectionCounts are the votes and comments on a section ("" for the whole draft).
type SectionCounts struct {
	Agree, Mixed, Disagree, Comments, Amendments int
}

// DraftCounts returns the counts of every section of a draft, and of the whole ("").
func (db *DB) DraftCounts(ctx context.Context, draftID int64) (map[string]SectionCounts, error) {
	m := map[string]SectionCounts{}
	err := db.each(ctx, func(s scanner) error {
		var k string
		var c SectionCounts
		err := s.Scan(&k, &c.Agree, &c.Mixed, &c.Disagree, &c.Comments, &c.Amendments)
		m[k] = c
		return err
	}, `SELECT section, agree, mixed, disagree, comments, amendments FROM draft_section_counts WHERE draft_id = ?`, draftID)
	return m, err
}

// ParagraphComments counts the comments on each paragraph of each section of a draft (paragraph
// 0: on the section as a whole).
func (db *DB) ParagraphComments(ctx context.Context, draftID int64) (map[string]map[int]int, error) {
	m := map[string]map[int]int{}
	err := db.each(ctx, func(s scanner) error {
		var k string
		var p, n int
		if err := s.Scan(&k, &p, &n); err != nil {
			return err
		}
		if m[k] == nil {
			m[k] = map[int]int{}
		}
		m[k][p] = n
		return nil
	}, `SELECT section, paragraph, COUNT(*) FROM draft_comments WHERE draft_id = ? AND amendment_id IS NULL GROUP BY section, paragraph`, draftID)
	return m, err
}

// VoteDraft records a person's vote on a draft (section "") or one of its sections; a second vote
// replaces the first.
func (db *DB) VoteDraft(ctx context.Context, draftID int64, section string, userID int64, value int) error {
	if section != "" && !ouvert.ValidSection(section) {
		return ouvert.FieldError("section", "form.invalid")
	}
	if value < -1 || value > 1 {
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.draftWritable(ctx, draftID); err != nil {
			return err
		}
		var old sql.NullInt64
		err := tx.queryRow(ctx, `SELECT value FROM draft_votes WHERE draft_id = ? AND section = ? AND user_id = ?`, draftID, section, userID).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if old.Valid && int(old.Int64) == value {
			return nil
		}
		if old.Valid {
			col := voteColumn(int(old.Int64))
			if _, err := tx.exec(ctx, `UPDATE draft_votes SET value = ? WHERE draft_id = ? AND section = ? AND user_id = ?`, value, draftID, section, userID); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE draft_section_counts SET `+col+` = `+col+` - 1 WHERE draft_id = ? AND section = ?`, draftID, section); err != nil {
				return err
			}
			if section == "" {
				if _, err := tx.exec(ctx, `UPDATE drafts SET `+col+` = `+col+` - 1 WHERE id = ?`, draftID); err != nil {
					return err
				}
			}
		} else if _, err := tx.exec(ctx, `INSERT INTO draft_votes (draft_id, section, user_id, value, created_at) VALUES (?, ?, ?, ?, ?)`,
			draftID, section, userID, value, tx.db.Now()); err != nil {
			return err
		}
		col := voteColumn(value)
		if _, err := tx.exec(ctx, `UPDATE draft_section_counts SET `+col+` = `+col+` + 1 WHERE draft_id = ? AND section = ?`, draftID, section); err != nil {
			return err
		}
		if section != "" {
			return nil
		}
		_, err = tx.exec(ctx, `UPDATE drafts SET `+col+` = `+col+` + 1 WHERE id = ?`, draftID)
		return err
	})
}

// DraftVotes returns a person's votes on a draft, by section ("" for the whole).
func (db *DB) DraftVotes(ctx context.Context, draftID, userID int64) (map[string]int, error) {
	m := map[string]int{}
	err := db.each(ctx, func(s scanner) error {
		var k string
		var v int
		err := s.Scan(&k, &v)
		m[k] = v
		return err
	}, `SELECT section, value FROM draft_votes WHERE draft_id = ? AND user_id = ?`, draftID, userID)
	return m, err
}

// notifyDraftFollowers tells a draft's followers but the actor that something happened on it.
func (tx *Tx) notifyDraftFollowers(ctx context.Context, draftID, amendmentID, actorID int64, kind, detail string) error {
	_, err := tx.exec(ctx, `INSERT INTO notifications (user_id, kind, draft_id, amendment_id, detail, created_at)
		SELECT user_id, ?, ?, ?, ?, ? FROM draft_follows WHERE draft_id = ? AND user_id <> ?`,
		kind, draftID, nullID(amendmentID), detail, tx.db.Now(), draftID, actorID)
	return err
}

// draftFollows are the follows of drafts.
var draftFollows = followed{"draft_follows", "draft_id", "drafts"}

// SetDraftFollow makes a person follow a draft or stop following it.
func (db *DB) SetDraftFollow(ctx context.Context, draftID, userID int64, follow bool) error {
	return db.setFollow(ctx, draftFollows, draftID, userID, follow)
}

// FollowsDraft reports whether a person follows a draft.
func (db *DB) FollowsDraft(ctx context.Context, draftID, userID int64) (bool, error) {
	return db.follows(ctx, draftFollows, draftID, userID)
}

// MarkFinal marks a draft's current version as its final one: the action plan publishes it as a
// commitment, and the draft takes no more changes.
func (db *DB) MarkFinal(ctx context.Context, draftID int64) error {
	res, err := db.exec(ctx, `UPDATE drafts SET status = ?, final_version = version WHERE id = ?`, ouvert.DraftFinal, draftID)
	if err != nil {
		return err
	} else if n, _ := res.RowsAffected(); n == 0 {
		return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	}
	return nil
}

// DraftVersionsFull returns every version of a draft with its text, newest first, in one query.
func (db *DB) DraftVersionsFull(ctx context.Context, draftID int64) ([]*ouvert.DraftVersion, error) {
	var list []*ouvert.DraftVersion
	err := db.each(ctx, func(s scanner) error {
		v, err := scanDraftVersion(s)
		list = append(list, v)
		return err
	}, `SELECT `+draftVersionColumns+` FROM draft_versions v`+draftVersionJoins+` WHERE v.draft_id = ? ORDER BY v.number DESC`, draftID)
	return list, err
}

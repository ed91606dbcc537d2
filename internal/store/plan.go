package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"ouvert/internal/ouvert"
)

// slugRE is the form of a plan's address: lower-case letters, digits and hyphens.
var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

const planColumns = `p.id, COALESCE(p.process_id, 0), p.slug, p.title, p.period_start, p.period_end, p.introduction, p.status, p.commitments, p.review_open, p.example, p.created_at`

func scanPlan(s scanner) (*ouvert.Plan, error) {
	var p ouvert.Plan
	err := s.Scan(&p.ID, &p.ProcessID, &p.Slug, &p.Title, &p.PeriodStart, &p.PeriodEnd, &p.Introduction, &p.Status, &p.Commitments, &p.ReviewOpen, &p.Example, &p.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, err
	}
	p.PeriodStart, p.PeriodEnd, p.CreatedAt = p.PeriodStart.UTC(), p.PeriodEnd.UTC(), p.CreatedAt.UTC()
	return &p, nil
}

// SavePlan creates a plan (ID 0) or changes its title, period, introduction and status.
func (db *DB) SavePlan(ctx context.Context, p *ouvert.Plan) error {
	errs := ouvert.FieldErrors{}
	ouvert.ValidatePlan(p, errs)
	p.Slug = strings.TrimSpace(p.Slug)
	if p.ID == 0 && !slugRE.MatchString(p.Slug) {
		errs.Add("slug", "plan.bad_slug")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if p.ID != 0 {
		res, err := db.exec(ctx, `UPDATE plans SET title = ?, period_start = ?, period_end = ?, introduction = ?, status = ?, review_open = ? WHERE id = ?`,
			strings.TrimSpace(p.Title), p.PeriodStart, p.PeriodEnd, p.Introduction, p.Status, p.ReviewOpen, p.ID)
		if err != nil {
			return err
		}
		return mustAffect(res)
	}
	p.CreatedAt = db.Now()
	return db.WithTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO plans (process_id, slug, title, period_start, period_end, introduction, status, review_open, example, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, nullID(p.ProcessID), p.Slug, strings.TrimSpace(p.Title), p.PeriodStart, p.PeriodEnd,
			p.Introduction, p.Status, p.ReviewOpen, p.Example, p.CreatedAt)
		if tx.db.dialect.isUniqueViolation(err) {
			return ouvert.FieldError("slug", "plan.slug_taken")
		} else if err != nil {
			return fmt.Errorf("store: create plan: %w", err)
		}
		p.ID = id
		return nil
	})
}

// Plans returns every plan, the newest period first.
func (db *DB) Plans(ctx context.Context) ([]*ouvert.Plan, error) {
	var list []*ouvert.Plan
	err := db.each(ctx, func(s scanner) error {
		p, err := scanPlan(s)
		list = append(list, p)
		return err
	}, `SELECT `+planColumns+` FROM plans p ORDER BY p.period_start DESC, p.id DESC`)
	return list, err
}

// PlanBySlug returns a plan.
func (db *DB) PlanBySlug(ctx context.Context, slug string) (*ouvert.Plan, error) {
	return scanPlan(db.queryRow(ctx, `SELECT `+planColumns+` FROM plans p WHERE p.slug = ?`, slug))
}

// PlanByID returns a plan.
func (db *DB) PlanByID(ctx context.Context, id int64) (*ouvert.Plan, error) {
	return scanPlan(db.queryRow(ctx, `SELECT `+planColumns+` FROM plans p WHERE p.id = ?`, id))
}

// NewMilestone is a milestone of a commitment being created.
type NewMilestone struct {
	Deliverable      string
	StartsAt, EndsAt time.Time
	Status           string
}

// CreateCommitment adds a commitment to a plan with the next number, and its milestones.
func (db *DB) CreateCommitment(ctx context.Context, c *ouvert.Commitment, milestones []NewMilestone) error {
	errs := ouvert.FieldErrors{}
	if n := utf8.RuneCountInString(strings.TrimSpace(c.Title)); n == 0 {
		errs.Add("title", "form.required")
	} else if n > ouvert.MaxTitleLen*2 {
		errs.Add("title", "contribution.title_too_long")
	}
	if strings.TrimSpace(c.LeadAdministration) == "" {
		errs.Add("lead_administration", "form.required")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error { return tx.createCommitment(ctx, c, milestones) })
}

func (tx *Tx) createCommitment(ctx context.Context, c *ouvert.Commitment, milestones []NewMilestone) error {
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM commitments WHERE plan_id = ?`, c.PlanID).Scan(&c.Number); err != nil {
		return err
	}
	if c.Completion == "" {
		c.Completion = ouvert.CompletionNotStarted
	}
	s := c.Sections
	id, err := tx.insert(ctx, `INSERT INTO commitments (plan_id, number, axis_id, axis_title, draft_id, draft_version, title, lead_administration,
		other_actors, problem, status_quo, commitment, how, relevance, ambition, ogp_values, completion, example)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.PlanID, c.Number, nullID(c.AxisID), c.AxisTitle, nullID(c.DraftID), c.DraftVersion, strings.TrimSpace(c.Title),
		strings.TrimSpace(c.LeadAdministration), c.OtherActors, s[ouvert.SectionProblem], s[ouvert.SectionStatusQuo], s[ouvert.SectionCommitment],
		s[ouvert.SectionHow], s[ouvert.SectionRelevance], s[ouvert.SectionAmbition], strings.Join(c.Values, " "), c.Completion, c.Example)
	if err != nil {
		return fmt.Errorf("store: create commitment: %w", err)
	}
	c.ID = id
	for i, m := range milestones {
		status := m.Status
		if status == "" {
			status = ouvert.MilestoneNotStarted
		}
		var done any
		if status == ouvert.MilestoneDone {
			done = m.EndsAt
		}
		if _, err := tx.exec(ctx, `INSERT INTO milestones (commitment_id, position, deliverable, starts_at, ends_at, status, done_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, i+1, m.Deliverable, timeOrNil(m.StartsAt), timeOrNil(m.EndsAt), status, done); err != nil {
			return err
		}
	}
	if _, err := tx.exec(ctx, `UPDATE plans SET commitments = commitments + 1 WHERE id = ?`, c.PlanID); err != nil {
		return err
	}
	return tx.recountCommitment(ctx, id)
}

// recountCommitment keeps a commitment's milestone counters, its next due date, and its progress
// (done milestones over all, unless set by hand).
func (tx *Tx) recountCommitment(ctx context.Context, id int64) error {
	_, err := tx.exec(ctx, `UPDATE commitments SET
		milestones = (SELECT COUNT(*) FROM milestones WHERE commitment_id = ?),
		milestones_done = (SELECT COUNT(*) FROM milestones WHERE commitment_id = ? AND status = 'done'),
		next_due = (SELECT MIN(ends_at) FROM milestones WHERE commitment_id = ? AND status <> 'done')
		WHERE id = ?`, id, id, id, id)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE commitments SET progress = CASE WHEN milestones = 0 THEN 0 ELSE (100 * milestones_done) / milestones END
		WHERE id = ? AND NOT progress_manual`, id)
	return err
}

// AddCommitmentsFromDrafts makes a commitment of the final version of each draft named (drafts of
// the plan's process whose final version is settled), with the milestones its milestones section
// lists. It returns how many it added; a draft already in the plan is skipped.
func (db *DB) AddCommitmentsFromDrafts(ctx context.Context, planID int64, draftIDs []int64, loc *time.Location) (int, error) {
	added := 0
	err := db.WithTx(ctx, func(tx *Tx) error {
		for _, id := range draftIDs {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM commitments WHERE plan_id = ? AND draft_id = ?`, planID, id).Scan(&n); err != nil {
				return err
			} else if n > 0 {
				continue
			}
			var lead, status, axisTitle string
			var final, process int64
			var axis sql.NullInt64
			err := tx.queryRow(ctx, `SELECT d.lead_administration, d.status, d.final_version, d.process_id, d.axis_id, COALESCE(a.title, '')
				FROM drafts d LEFT JOIN axes a ON a.id = d.axis_id WHERE d.id = ?`, id).Scan(&lead, &status, &final, &process, &axis, &axisTitle)
			if errors.Is(err, sql.ErrNoRows) {
				return ouvert.FieldError("drafts", "plan.bad_draft")
			} else if err != nil {
				return err
			}
			if status != ouvert.DraftFinal || final == 0 {
				return ouvert.FieldError("drafts", "plan.draft_not_final")
			}
			v, err := scanDraftVersion(tx.queryRow(ctx, `SELECT `+draftVersionColumns+` FROM draft_versions v`+draftVersionJoins+
				` WHERE v.draft_id = ? AND v.number = ?`, id, final))
			if err != nil {
				return err
			}
			c := &ouvert.Commitment{PlanID: planID, AxisID: axis.Int64, AxisTitle: axisTitle, DraftID: id, DraftVersion: int(final),
				Title: v.Title, LeadAdministration: lead, OtherActors: v.OtherActors, Sections: v.Sections, Values: v.Values}
			var ms []NewMilestone
			for _, m := range ouvert.Milestones(v.Sections[ouvert.SectionMilestones]) {
				start, _ := ouvert.ParseMilestoneDate(m.Start, loc, false)
				end, _ := ouvert.ParseMilestoneDate(m.End, loc, true)
				ms = append(ms, NewMilestone{Deliverable: m.Deliverable, StartsAt: start, EndsAt: end})
			}
			var example bool
			if err := tx.queryRow(ctx, `SELECT example FROM drafts WHERE id = ?`, id).Scan(&example); err != nil {
				return err
			}
			c.Example = example
			if err := tx.createCommitment(ctx, c, ms); err != nil {
				return err
			}
			added++
		}
		return nil
	})
	return added, err
}

const commitmentColumns = `c.id, c.plan_id, c.number, COALESCE(c.axis_id, 0), c.axis_title, COALESCE(c.draft_id, 0), c.draft_version, c.title,
	c.lead_administration, c.other_actors, c.problem, c.status_quo, c.commitment, c.how, c.relevance, c.ambition, c.ogp_values,
	c.completion, c.progress, c.progress_manual, c.progress_reason, c.milestones, c.milestones_done, c.next_due, c.updates,
	c.followers, c.example, c.reviews, c.implementation_sum, c.usefulness_sum`

func scanCommitment(s scanner) (*ouvert.Commitment, error) {
	var c ouvert.Commitment
	var values string
	var due sql.NullTime
	sec := make([]string, 6)
	err := s.Scan(&c.ID, &c.PlanID, &c.Number, &c.AxisID, &c.AxisTitle, &c.DraftID, &c.DraftVersion, &c.Title, &c.LeadAdministration,
		&c.OtherActors, &sec[0], &sec[1], &sec[2], &sec[3], &sec[4], &sec[5], &values, &c.Completion, &c.Progress, &c.ProgressManual,
		&c.ProgressReason, &c.Milestones, &c.MilestonesDone, &due, &c.Updates, &c.Followers, &c.Example,
		&c.Reviews, &c.ImplementationSum, &c.UsefulnessSum)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, err
	}
	c.Sections = map[string]string{}
	for i, k := range ouvert.Sections[:6] {
		c.Sections[k] = sec[i]
	}
	c.Values = strings.Fields(values)
	if due.Valid {
		c.NextDue = due.Time.UTC()
	}
	return &c, nil
}

// Commitment returns one commitment.
func (db *DB) Commitment(ctx context.Context, id int64) (*ouvert.Commitment, error) {
	return scanCommitment(db.queryRow(ctx, `SELECT `+commitmentColumns+` FROM commitments c WHERE c.id = ?`, id))
}

// CommitmentFilter selects a plan's commitments for the tracker.
type CommitmentFilter struct {
	PlanID     int64
	AxisID     int64
	Lead       string
	Completion string
	Late       bool
	Now        time.Time
}

// Commitments returns a plan's commitments matching f, by number.
func (db *DB) Commitments(ctx context.Context, f CommitmentFilter) ([]*ouvert.Commitment, error) {
	where, args := `c.plan_id = ?`, []any{f.PlanID}
	if f.AxisID != 0 {
		where += ` AND c.axis_id = ?`
		args = append(args, f.AxisID)
	}
	if f.Lead != "" {
		where += ` AND c.lead_administration = ?`
		args = append(args, f.Lead)
	}
	if f.Completion != "" {
		where += ` AND c.completion = ?`
		args = append(args, f.Completion)
	}
	if f.Late {
		where += ` AND c.next_due < ?`
		args = append(args, f.Now)
	}
	var list []*ouvert.Commitment
	err := db.each(ctx, func(s scanner) error {
		c, err := scanCommitment(s)
		list = append(list, c)
		return err
	}, `SELECT `+commitmentColumns+` FROM commitments c WHERE `+where+` ORDER BY c.number`, args...)
	return list, err
}

// PlanSummary counts a plan's commitments by completion level, its milestones late at now, and
// the administrations leading commitments.
type PlanSummary struct {
	ByCompletion   map[string]int
	LateMilestones int
	Milestones     int
	Leads          []string
}

// PlanSummary computes the tracker's summary from the commitments' counters: one short read.
func (db *DB) PlanSummary(ctx context.Context, planID int64, now time.Time) (PlanSummary, error) {
	s := PlanSummary{ByCompletion: map[string]int{}}
	err := db.each(ctx, func(sc scanner) error {
		var k string
		var n, ms int
		err := sc.Scan(&k, &n, &ms)
		s.ByCompletion[k], s.Milestones = n, s.Milestones+ms
		return err
	}, `SELECT completion, COUNT(*), COALESCE(SUM(milestones), 0) FROM commitments WHERE plan_id = ? GROUP BY completion`, planID)
	if err != nil {
		return s, err
	}
	err = db.queryRow(ctx, `SELECT COUNT(*) FROM milestones m JOIN commitments c ON c.id = m.commitment_id
		WHERE c.plan_id = ? AND m.status <> 'done' AND m.ends_at < ?`, planID, now).Scan(&s.LateMilestones)
	if err != nil {
		return s, err
	}
	err = db.each(ctx, func(sc scanner) error {
		var l string
		err := sc.Scan(&l)
		s.Leads = append(s.Leads, l)
		return err
	}, `SELECT DISTINCT lead_administration FROM commitments WHERE plan_id = ? ORDER BY lead_administration`, planID)
	return s, err
}

// PlanMilestones returns the milestones of a commitment, in order.
func (db *DB) PlanMilestones(ctx context.Context, commitmentID int64) ([]*ouvert.PlanMilestone, error) {
	return db.planMilestones(ctx, `m.commitment_id = ?`, commitmentID)
}

// AllPlanMilestones returns the milestones of every commitment of a plan, by commitment and
// position, for the print-ready page and the CSV: one query.
func (db *DB) AllPlanMilestones(ctx context.Context, planID int64) (map[int64][]*ouvert.PlanMilestone, error) {
	list, err := db.planMilestones(ctx, `m.commitment_id IN (SELECT id FROM commitments WHERE plan_id = ?)`, planID)
	m := map[int64][]*ouvert.PlanMilestone{}
	for _, x := range list {
		m[x.CommitmentID] = append(m[x.CommitmentID], x)
	}
	return m, err
}

func (db *DB) planMilestones(ctx context.Context, where string, args ...any) ([]*ouvert.PlanMilestone, error) {
	var list []*ouvert.PlanMilestone
	err := db.each(ctx, func(s scanner) error {
		var m ouvert.PlanMilestone
		var start, end, done sql.NullTime
		if err := s.Scan(&m.ID, &m.CommitmentID, &m.Position, &m.Deliverable, &start, &end, &m.Status, &done); err != nil {
			return err
		}
		m.StartsAt, m.EndsAt, m.DoneAt = nullTimeValue(start), nullTimeValue(end), nullTimeValue(done)
		list = append(list, &m)
		return nil
	}, `SELECT m.id, m.commitment_id, m.position, m.deliverable, m.starts_at, m.ends_at, m.status, m.done_at FROM milestones m
		WHERE `+where+` ORDER BY m.commitment_id, m.position`, args...)
	return list, err
}

func nullTimeValue(t sql.NullTime) time.Time {
	if t.Valid {
		return t.Time.UTC()
	}
	return time.Time{}
}

// logUpdate records an entry of a commitment's follow-up and tells its followers.
func (tx *Tx) logUpdate(ctx context.Context, c *ouvert.Commitment, kind, body, detail string, authorID int64, example bool) error {
	if _, err := tx.exec(ctx, `INSERT INTO commitment_updates (commitment_id, plan_id, kind, body, detail, author_id, example, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.PlanID, kind, body, detail, nullID(authorID), example, tx.db.Now()); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE commitments SET updates = updates + 1 WHERE id = ?`, c.ID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO notifications (user_id, kind, commitment_id, detail, created_at)
		SELECT user_id, 'commitment_update', ?, ?, ? FROM commitment_follows WHERE commitment_id = ? AND user_id <> ?`,
		c.ID, kind, tx.db.Now(), c.ID, authorID)
	return err
}

// PostUpdate publishes a dated progress update on a commitment.
func (db *DB) PostUpdate(ctx context.Context, commitmentID, authorID int64, body string, example bool) error {
	body = strings.TrimSpace(body)
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		return ouvert.FieldError("body", "form.required")
	case n > ouvert.MaxBodyLen:
		return ouvert.FieldError("body", "contribution.body_too_long")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		c, err := scanCommitment(tx.queryRow(ctx, `SELECT `+commitmentColumns+` FROM commitments c WHERE c.id = ?`, commitmentID))
		if err != nil {
			return err
		}
		return tx.logUpdate(ctx, c, "update", body, "", authorID, example)
	})
}

// SetMilestoneStatus changes a milestone's status and the commitment's counters and progress.
func (db *DB) SetMilestoneStatus(ctx context.Context, commitmentID, milestoneID int64, status string, authorID int64) error {
	valid := false
	for _, s := range ouvert.MilestoneStatuses {
		valid = valid || s == status
	}
	if !valid {
		return ouvert.FieldError("status", "form.choose")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		c, err := scanCommitment(tx.queryRow(ctx, `SELECT `+commitmentColumns+` FROM commitments c WHERE c.id = ?`, commitmentID))
		if err != nil {
			return err
		}
		var deliverable, old string
		err = tx.queryRow(ctx, `SELECT deliverable, status FROM milestones WHERE id = ? AND commitment_id = ?`, milestoneID, commitmentID).Scan(&deliverable, &old)
		if errors.Is(err, sql.ErrNoRows) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		} else if err != nil {
			return err
		}
		if old == status {
			return nil
		}
		var done any
		if status == ouvert.MilestoneDone {
			done = tx.db.Now()
		}
		if _, err := tx.exec(ctx, `UPDATE milestones SET status = ?, done_at = ? WHERE id = ?`, status, done, milestoneID); err != nil {
			return err
		}
		if err := tx.recountCommitment(ctx, commitmentID); err != nil {
			return err
		}
		return tx.logUpdate(ctx, c, "milestone", deliverable, status, authorID, false)
	})
}

// SetCompletion sets a commitment's completion level and, when progress is not nil, its progress
// by hand, which needs a reason; a nil progress goes back to the progress of the milestones.
func (db *DB) SetCompletion(ctx context.Context, commitmentID int64, completion string, progress *int, reason string, authorID int64) error {
	reason = strings.TrimSpace(reason)
	errs := ouvert.FieldErrors{}
	valid := false
	for _, s := range ouvert.Completions {
		valid = valid || s == completion
	}
	if !valid {
		errs.Add("completion", "form.choose")
	}
	if progress != nil {
		if *progress < 0 || *progress > 100 {
			errs.Add("progress", "plan.bad_progress")
		}
		if reason == "" {
			errs.Add("reason", "plan.progress_reason_required")
		}
	}
	if utf8.RuneCountInString(reason) > ouvert.MaxReasonLen {
		errs.Add("reason", "response.reason_too_long")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		c, err := scanCommitment(tx.queryRow(ctx, `SELECT `+commitmentColumns+` FROM commitments c WHERE c.id = ?`, commitmentID))
		if err != nil {
			return err
		}
		if progress != nil {
			_, err = tx.exec(ctx, `UPDATE commitments SET completion = ?, progress = ?, progress_manual = TRUE, progress_reason = ? WHERE id = ?`,
				completion, *progress, reason, commitmentID)
		} else {
			_, err = tx.exec(ctx, `UPDATE commitments SET completion = ?, progress_manual = FALSE, progress_reason = '' WHERE id = ?`, completion, commitmentID)
		}
		if err != nil {
			return err
		}
		if err := tx.recountCommitment(ctx, commitmentID); err != nil {
			return err
		}
		if completion == c.Completion && progress == nil {
			return nil
		}
		return tx.logUpdate(ctx, c, "completion", reason, completion, authorID, false)
	})
}

// CommitmentUpdates returns a page of a commitment's follow-up, newest first, and how many there are.
func (db *DB) CommitmentUpdates(ctx context.Context, commitmentID int64, page, perPage int) ([]*ouvert.CommitmentUpdate, int, error) {
	var total int
	if err := db.queryRow(ctx, `SELECT updates FROM commitments WHERE id = ?`, commitmentID).Scan(&total); err != nil {
		return nil, 0, err
	}
	list, err := db.updates(ctx, `u.commitment_id = ?`, []any{commitmentID}, perPage, (max(page, 1)-1)*perPage)
	return list, total, err
}

// PlanFeed returns the newest entries of the follow-up of every commitment of a plan.
func (db *DB) PlanFeed(ctx context.Context, planID int64, limit int) ([]*ouvert.CommitmentUpdate, error) {
	return db.updates(ctx, `u.plan_id = ?`, []any{planID}, limit, 0)
}

func (db *DB) updates(ctx context.Context, where string, args []any, limit, offset int) ([]*ouvert.CommitmentUpdate, error) {
	var list []*ouvert.CommitmentUpdate
	err := db.each(ctx, func(s scanner) error {
		var u ouvert.CommitmentUpdate
		err := s.Scan(&u.ID, &u.CommitmentID, &u.Number, &u.Title, &u.Kind, &u.Body, &u.Detail, &u.AuthorName, &u.Example, &u.CreatedAt)
		u.CreatedAt = u.CreatedAt.UTC()
		list = append(list, &u)
		return err
	}, `SELECT u.id, u.commitment_id, c.number, c.title, u.kind, u.body, u.detail, COALESCE(us.display_name, ''), u.example, u.created_at
		FROM commitment_updates u JOIN commitments c ON c.id = u.commitment_id LEFT JOIN users us ON us.id = u.author_id
		WHERE `+where+` ORDER BY u.id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	return list, err
}

// commitmentFollows are the follows of commitments.
var commitmentFollows = followed{"commitment_follows", "commitment_id", "commitments"}

// SetCommitmentFollow makes a person follow a commitment or stop following it.
func (db *DB) SetCommitmentFollow(ctx context.Context, commitmentID, userID int64, follow bool) error {
	return db.setFollow(ctx, commitmentFollows, commitmentID, userID, follow)
}

// FollowsCommitment reports whether a person follows a commitment.
func (db *DB) FollowsCommitment(ctx context.Context, commitmentID, userID int64) (bool, error) {
	return db.follows(ctx, commitmentFollows, commitmentID, userID)
}

// PlanVersion is the newest entry of the follow-up of a plan's commitments (0 without any): it
// changes with every update, milestone change and completion level.
func (db *DB) PlanVersion(ctx context.Context, planID int64) (int64, error) {
	var v int64
	err := db.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM commitment_updates WHERE plan_id = ?`, planID).Scan(&v)
	return v, err
}

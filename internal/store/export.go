package store

import (
	"context"
	"strings"
	"time"

	"ouvert/internal/ouvert"
)

// The Each* methods stream a table row by row in id order, for the open-data export: memory
// stays flat whatever the table's size.

// EachContribution calls fn for every contribution.
func (db *DB) EachContribution(ctx context.Context, fn func(*ouvert.Contribution) error) error {
	return db.each(ctx, func(s scanner) error {
		c, err := scanContribution(s)
		if err != nil {
			return err
		}
		return fn(c)
	}, `SELECT `+contributionColumns+contributionFrom+` ORDER BY c.id`)
}

// EachArgument calls fn for every argument and reply.
func (db *DB) EachArgument(ctx context.Context, fn func(*ouvert.Argument) error) error {
	return db.each(ctx, func(s scanner) error {
		a, err := scanArgument(s)
		if err != nil {
			return err
		}
		return fn(a)
	}, `SELECT `+argumentColumns+argumentFrom+` ORDER BY a.id`)
}

// EachVote calls fn for every vote.
func (db *DB) EachVote(ctx context.Context, fn func(contributionID, userID int64, value int, at time.Time) error) error {
	return db.each(ctx, func(s scanner) error {
		var c, u int64
		var v int
		var at time.Time
		if err := s.Scan(&c, &u, &v, &at); err != nil {
			return err
		}
		return fn(c, u, v, at)
	}, `SELECT contribution_id, user_id, value, updated_at FROM votes ORDER BY contribution_id, user_id`)
}

// EachEvent calls fn for every published or cancelled event.
func (db *DB) EachEvent(ctx context.Context, fn func(*ouvert.Event) error) error {
	return db.each(ctx, func(s scanner) error {
		e, err := scanEvent(s)
		if err != nil {
			return err
		}
		return fn(e)
	}, `SELECT `+eventColumns+` FROM events e WHERE e.status IN ('published', 'cancelled') ORDER BY e.id`)
}

// EachSynthesisVersion calls fn for every published version of every synthesis, with whether it
// is the synthesis' current version.
func (db *DB) EachSynthesisVersion(ctx context.Context, fn func(s *ouvert.Synthesis, v *ouvert.SynthesisVersion, current bool) error) error {
	return db.each(ctx, func(sc scanner) error {
		var s ouvert.Synthesis
		var v ouvert.SynthesisVersion
		if err := sc.Scan(&s.ID, &s.ProcessID, &s.AxisID, &s.Example, &s.PublishedID, &v.ID, &v.Number, &v.Title, &v.Expanded, &v.PublishedAt); err != nil {
			return err
		}
		v.SynthesisID, v.PublishedAt = s.ID, v.PublishedAt.UTC()
		return fn(&s, &v, v.ID == s.PublishedID)
	}, `SELECT s.id, s.process_id, s.axis_id, s.example, s.published_id, v.id, v.number, v.title, v.expanded, v.published_at
		FROM synthesis_versions v JOIN syntheses s ON s.id = v.synthesis_id WHERE s.published_id IS NOT NULL ORDER BY s.id, v.number`)
}

// EachCitation calls fn for every contribution that a published synthesis cites.
func (db *DB) EachCitation(ctx context.Context, fn func(synthesisID, contributionID int64) error) error {
	return db.each(ctx, func(s scanner) error {
		var syn, c int64
		if err := s.Scan(&syn, &c); err != nil {
			return err
		}
		return fn(syn, c)
	}, `SELECT sc.synthesis_id, sc.contribution_id FROM synthesis_citations sc JOIN syntheses s ON s.id = sc.synthesis_id
		WHERE s.published_id IS NOT NULL ORDER BY sc.synthesis_id, sc.contribution_id`)
}

// EachDraft calls fn for every draft commitment with its current version.
func (db *DB) EachDraft(ctx context.Context, fn func(*ouvert.Draft) error) error {
	return db.each(ctx, func(s scanner) error {
		d, err := scanDraft(s, &ouvert.DraftVersion{})
		if err != nil {
			return err
		}
		return fn(d)
	}, `SELECT `+draftColumns+`, `+draftVersionColumns+draftFrom+` ORDER BY d.id`)
}

// EachAmendment calls fn for every amendment, without its text.
func (db *DB) EachAmendment(ctx context.Context, fn func(*ouvert.Amendment) error) error {
	return db.each(ctx, func(s scanner) error {
		a, err := scanAmendment(s)
		if err != nil {
			return err
		}
		return fn(a)
	}, `SELECT `+strings.Replace(amendmentColumns, "am.text", "''", 1)+amendmentFrom+` ORDER BY am.id`)
}

// EachPublicPlan calls fn for every plan that is not in preparation.
func (db *DB) EachPublicPlan(ctx context.Context, fn func(*ouvert.Plan) error) error {
	return db.each(ctx, func(s scanner) error {
		p, err := scanPlan(s)
		if err != nil {
			return err
		}
		return fn(p)
	}, `SELECT `+planColumns+` FROM plans p WHERE p.status <> 'preparation' ORDER BY p.id`)
}

// EachPublicCommitment calls fn for every commitment of a plan that is not in preparation.
func (db *DB) EachPublicCommitment(ctx context.Context, fn func(*ouvert.Commitment) error) error {
	return db.each(ctx, func(s scanner) error {
		c, err := scanCommitment(s)
		if err != nil {
			return err
		}
		return fn(c)
	}, `SELECT `+commitmentColumns+` FROM commitments c JOIN plans p ON p.id = c.plan_id WHERE p.status <> 'preparation' ORDER BY c.plan_id, c.number`)
}

// EachPublicMilestone calls fn for every milestone of a commitment of a public plan.
func (db *DB) EachPublicMilestone(ctx context.Context, fn func(*ouvert.PlanMilestone) error) error {
	list, err := db.planMilestones(ctx, `m.commitment_id IN (SELECT c.id FROM commitments c JOIN plans p ON p.id = c.plan_id WHERE p.status <> 'preparation')`)
	if err != nil {
		return err
	}
	for _, m := range list {
		if err := fn(m); err != nil {
			return err
		}
	}
	return nil
}

// EachPublicUpdate calls fn for every follow-up entry of a commitment of a public plan.
func (db *DB) EachPublicUpdate(ctx context.Context, fn func(*ouvert.CommitmentUpdate) error) error {
	return db.each(ctx, func(s scanner) error {
		var u ouvert.CommitmentUpdate
		if err := s.Scan(&u.ID, &u.CommitmentID, &u.Kind, &u.Body, &u.Detail, &u.AuthorName, &u.CreatedAt); err != nil {
			return err
		}
		u.CreatedAt = u.CreatedAt.UTC()
		return fn(&u)
	}, `SELECT u.id, u.commitment_id, u.kind, u.body, u.detail, COALESCE(us.display_name, ''), u.created_at FROM commitment_updates u
		JOIN plans p ON p.id = u.plan_id LEFT JOIN users us ON us.id = u.author_id WHERE p.status <> 'preparation' ORDER BY u.id`)
}

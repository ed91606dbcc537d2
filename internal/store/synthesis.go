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

const synthesisColumns = `s.id, s.process_id, s.axis_id, s.title, s.draft, COALESCE(s.published_id, 0), s.published_at,
	s.example, s.updated_at, (SELECT COUNT(*) FROM synthesis_versions v WHERE v.synthesis_id = s.id)`

func scanSynthesis(sc scanner) (*ouvert.Synthesis, error) {
	var s ouvert.Synthesis
	var published sql.NullTime
	err := sc.Scan(&s.ID, &s.ProcessID, &s.AxisID, &s.Title, &s.Draft, &s.PublishedID, &published, &s.Example, &s.UpdatedAt, &s.Versions)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, err
	}
	if published.Valid {
		s.PublishedAt = published.Time.UTC()
	}
	s.UpdatedAt = s.UpdatedAt.UTC()
	return &s, nil
}

// Syntheses returns a process' syntheses, the overall one first then by axis position;
// publishedOnly leaves out those never published (what the public sees).
func (db *DB) Syntheses(ctx context.Context, processID int64, publishedOnly bool) ([]*ouvert.Synthesis, error) {
	q := `SELECT ` + synthesisColumns + ` FROM syntheses s LEFT JOIN axes a ON a.id = s.axis_id WHERE s.process_id = ?`
	if publishedOnly {
		q += ` AND s.published_id IS NOT NULL`
	}
	var list []*ouvert.Synthesis
	err := db.each(ctx, func(sc scanner) error {
		s, err := scanSynthesis(sc)
		list = append(list, s)
		return err
	}, q+` ORDER BY s.axis_id <> 0, COALESCE(a.position, 0), s.id`, processID)
	return list, err
}

// Synthesis returns one synthesis.
func (db *DB) Synthesis(ctx context.Context, id int64) (*ouvert.Synthesis, error) {
	return scanSynthesis(db.queryRow(ctx, `SELECT `+synthesisColumns+` FROM syntheses s WHERE s.id = ?`, id))
}

// SaveSynthesis creates or updates the draft of the synthesis of an axis (0: the overall one). The
// draft is private until published.
func (db *DB) SaveSynthesis(ctx context.Context, s *ouvert.Synthesis) error {
	s.Title = strings.TrimSpace(s.Title)
	errs := ouvert.FieldErrors{}
	switch n := utf8.RuneCountInString(s.Title); {
	case n == 0:
		errs.Add("title", "form.required")
	case n > ouvert.MaxTitleLen:
		errs.Add("title", "contribution.title_too_long")
	}
	if utf8.RuneCountInString(s.Draft) > ouvert.MaxSynthesisLen {
		errs.Add("draft", "synthesis.too_long")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		now := tx.db.Now()
		if s.AxisID != 0 {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM axes WHERE id = ? AND process_id = ?`, s.AxisID, s.ProcessID).Scan(&n); err != nil {
				return err
			} else if n == 0 {
				return ouvert.FieldError("axis", "form.invalid")
			}
		}
		if s.ID == 0 {
			id, err := tx.insert(ctx, `INSERT INTO syntheses (process_id, axis_id, title, draft, example, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, s.ProcessID, s.AxisID, s.Title, s.Draft, s.Example, now, now)
			if tx.db.dialect.isUniqueViolation(err) {
				return ouvert.FieldError("axis", "synthesis.exists")
			} else if err != nil {
				return fmt.Errorf("store: create synthesis: %w", err)
			}
			s.ID = id
		} else {
			res, err := tx.exec(ctx, `UPDATE syntheses SET title = ?, draft = ?, updated_at = ? WHERE id = ? AND process_id = ?`,
				s.Title, s.Draft, now, s.ID, s.ProcessID)
			if err != nil {
				return fmt.Errorf("store: save synthesis: %w", err)
			} else if n, _ := res.RowsAffected(); n == 0 {
				return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
			}
		}
		s.UpdatedAt = now
		return nil
	})
}

// PublishSynthesis makes a new public version of a synthesis from its draft: expanded is the
// draft with its references and figures written out at this moment, cited the contributions it
// references. Every cited contribution then links to the synthesis, and their followers hear of it.
func (db *DB) PublishSynthesis(ctx context.Context, id int64, expanded string, cited []int64, authorID int64, at time.Time) (*ouvert.SynthesisVersion, error) {
	v := &ouvert.SynthesisVersion{SynthesisID: id, Expanded: expanded, PublishedAt: at}
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT title, draft FROM syntheses WHERE id = ?`, id).Scan(&v.Title, &v.Source); errors.Is(err, sql.ErrNoRows) {
			return ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
		} else if err != nil {
			return err
		}
		if strings.TrimSpace(v.Source) == "" {
			return ouvert.FieldError("draft", "form.required")
		}
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM synthesis_versions WHERE synthesis_id = ?`, id).Scan(&v.Number); err != nil {
			return err
		}
		vid, err := tx.insert(ctx, `INSERT INTO synthesis_versions (synthesis_id, number, title, source, expanded, author_id, published_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, v.Number, v.Title, v.Source, v.Expanded, nullID(authorID), at)
		if err != nil {
			return fmt.Errorf("store: publish synthesis: %w", err)
		}
		v.ID = vid
		if _, err := tx.exec(ctx, `UPDATE syntheses SET published_id = ?, published_at = ?, updated_at = ? WHERE id = ?`, vid, at, tx.db.Now(), id); err != nil {
			return err
		}
		// Contributions newly cited hear of it; those cited before do not hear of it again.
		before := map[int64]bool{}
		err = tx.eachRow(ctx, func(s scanner) error {
			var c int64
			err := s.Scan(&c)
			before[c] = true
			return err
		}, `SELECT contribution_id FROM synthesis_citations WHERE synthesis_id = ?`, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM synthesis_citations WHERE synthesis_id = ?`, id); err != nil {
			return err
		}
		for _, c := range cited {
			if _, err := tx.exec(ctx, `INSERT INTO synthesis_citations (contribution_id, synthesis_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, c, id); err != nil {
				return fmt.Errorf("store: cite %d: %w", c, err)
			}
			if !before[c] {
				if err := tx.notifyFollowers(ctx, c, 0, authorID, "cited"); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

const versionColumns = `v.id, v.synthesis_id, v.number, v.title, v.source, v.expanded, COALESCE(u.display_name, ''), v.published_at`

func scanVersion(s scanner) (*ouvert.SynthesisVersion, error) {
	var v ouvert.SynthesisVersion
	err := s.Scan(&v.ID, &v.SynthesisID, &v.Number, &v.Title, &v.Source, &v.Expanded, &v.AuthorName, &v.PublishedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	}
	v.PublishedAt = v.PublishedAt.UTC()
	return &v, err
}

// SynthesisVersion returns a version of a synthesis by its number; 0 is the published one.
func (db *DB) SynthesisVersion(ctx context.Context, synthesisID int64, number int) (*ouvert.SynthesisVersion, error) {
	q := `SELECT ` + versionColumns + ` FROM synthesis_versions v LEFT JOIN users u ON u.id = v.author_id WHERE v.synthesis_id = ? AND `
	if number == 0 {
		return scanVersion(db.queryRow(ctx, q+`v.id = (SELECT published_id FROM syntheses WHERE id = ?)`, synthesisID, synthesisID))
	}
	return scanVersion(db.queryRow(ctx, q+`v.number = ?`, synthesisID, number))
}

// SynthesisVersions lists the versions of a synthesis, newest first, without their text.
func (db *DB) SynthesisVersions(ctx context.Context, synthesisID int64) ([]*ouvert.SynthesisVersion, error) {
	return db.synthesisVersions(ctx, synthesisID, `''`, `''`)
}

// SynthesisVersionsFull lists the versions of a synthesis with their text, newest first, in one
// query.
func (db *DB) SynthesisVersionsFull(ctx context.Context, synthesisID int64) ([]*ouvert.SynthesisVersion, error) {
	return db.synthesisVersions(ctx, synthesisID, `v.source`, `v.expanded`)
}

func (db *DB) synthesisVersions(ctx context.Context, synthesisID int64, source, expanded string) ([]*ouvert.SynthesisVersion, error) {
	var list []*ouvert.SynthesisVersion
	err := db.each(ctx, func(s scanner) error {
		v, err := scanVersion(s)
		list = append(list, v)
		return err
	}, `SELECT v.id, v.synthesis_id, v.number, v.title, `+source+`, `+expanded+`, COALESCE(u.display_name, ''), v.published_at
		FROM synthesis_versions v LEFT JOIN users u ON u.id = v.author_id WHERE v.synthesis_id = ? ORDER BY v.number DESC`, synthesisID)
	return list, err
}

// Citation is a published synthesis that cites a contribution.
type Citation struct {
	SynthesisID int64
	AxisID      int64
	Title       string
}

// Citations returns the published syntheses that cite a contribution.
func (db *DB) Citations(ctx context.Context, contributionID int64) ([]Citation, error) {
	var list []Citation
	err := db.each(ctx, func(s scanner) error {
		var c Citation
		err := s.Scan(&c.SynthesisID, &c.AxisID, &c.Title)
		list = append(list, c)
		return err
	}, `SELECT s.id, s.axis_id, s.title FROM synthesis_citations sc JOIN syntheses s ON s.id = sc.synthesis_id
		WHERE sc.contribution_id = ? AND s.published_id IS NOT NULL ORDER BY s.axis_id, s.id`, contributionID)
	return list, err
}

// Figures are the counts a synthesis quotes, taken when it is published.
type Figures struct {
	Contributions int
	Participants  int // distinct people who proposed, voted or argued
	Votes         int
	Arguments     int
	ByOrigin      map[string]int // online, open_ministry, relay_workshop, launch, facilitated
}

// SynthesisFigures counts the published contributions of a process (of one axis unless axisID is
// 0), their votes and arguments, the people behind them, and where the contributions came from.
// It reads every contribution of the scope: it runs at publication, not on page views.
func (db *DB) SynthesisFigures(ctx context.Context, processID, axisID int64) (Figures, error) {
	f := Figures{ByOrigin: map[string]int{}}
	scope, args := `c.process_id = ? AND c.status = 'published'`, []any{processID}
	if axisID != 0 {
		scope += ` AND c.axis_id = ?`
		args = append(args, axisID)
	}
	err := db.each(ctx, func(s scanner) error {
		var origin string
		var n, votes, arguments int
		if err := s.Scan(&origin, &n, &votes, &arguments); err != nil {
			return err
		}
		f.ByOrigin[origin] += n
		f.Contributions += n
		f.Votes += votes
		f.Arguments += arguments
		return nil
	}, `SELECT CASE WHEN c.origin = 'event' THEN COALESCE(e.kind, 'event') ELSE c.origin END, COUNT(*),
		COALESCE(SUM(c.agree + c.mixed + c.disagree), 0), COALESCE(SUM(c.arguments), 0)
		FROM contributions c LEFT JOIN events e ON e.id = c.origin_event_id WHERE `+scope+`
		GROUP BY CASE WHEN c.origin = 'event' THEN COALESCE(e.kind, 'event') ELSE c.origin END`, args...)
	if err != nil {
		return f, err
	}
	err = db.queryRow(ctx, `SELECT COUNT(*) FROM (
		SELECT c.author_id AS u FROM contributions c WHERE `+scope+` AND c.author_id IS NOT NULL
		UNION SELECT v.user_id FROM votes v JOIN contributions c ON c.id = v.contribution_id WHERE `+scope+`
		UNION SELECT a.author_id FROM arguments a JOIN contributions c ON c.id = a.contribution_id WHERE `+scope+` AND a.author_id IS NOT NULL) p`,
		append(append(append([]any{}, args...), args...), args...)...).Scan(&f.Participants)
	return f, err
}

// Cited returns the contributions the published version of a synthesis cites, in id order.
func (db *DB) Cited(ctx context.Context, synthesisID int64) ([]int64, error) {
	return db.int64s(ctx, `SELECT contribution_id FROM synthesis_citations WHERE synthesis_id = ? ORDER BY contribution_id`, synthesisID)
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"ouvert/internal/ouvert"
)

// Page returns an editable page in a language, ENOTFOUND if it was never written.
func (db *DB) Page(ctx context.Context, slug, lang string) (*ouvert.Page, error) {
	p := ouvert.Page{Slug: slug, Lang: lang}
	err := db.queryRow(ctx, `SELECT title, body, updated_at FROM pages WHERE slug = ? AND lang = ?`, slug, lang).
		Scan(&p.Title, &p.Body, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: page %s/%s: %w", slug, lang, err)
	}
	return &p, nil
}

// SavePage writes an editable page, recording who changed it.
func (db *DB) SavePage(ctx context.Context, p *ouvert.Page, by int64) error {
	p.UpdatedAt = db.Now()
	var author any
	if by > 0 {
		author = by
	}
	_, err := db.exec(ctx, `INSERT INTO pages (slug, lang, title, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (slug, lang) DO UPDATE SET title = excluded.title, body = excluded.body,
		updated_at = excluded.updated_at, updated_by = excluded.updated_by`, p.Slug, p.Lang, p.Title, p.Body, p.UpdatedAt, author)
	if err != nil {
		return fmt.Errorf("store: save page %s/%s: %w", p.Slug, p.Lang, err)
	}
	return nil
}

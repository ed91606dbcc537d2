package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"ouvert/internal/ouvert"
)

// KitFile is a file of the relay workshop kit.
type KitFile struct {
	ID          int64
	Title       string
	Description string
	Filename    string
	ContentType string
	Size        int
	Data        []byte // only from KitFile
	CreatedAt   time.Time
}

// AddKitFile stores a file of the kit.
func (db *DB) AddKitFile(ctx context.Context, processID, by int64, f *KitFile) error {
	f.CreatedAt = db.Now()
	f.Size = len(f.Data)
	return db.WithTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO kit_files (process_id, title, description, filename, content_type, size, data, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, processID, f.Title, f.Description, f.Filename, f.ContentType, f.Size, f.Data, f.CreatedAt, nullID(by))
		if err != nil {
			return fmt.Errorf("store: add kit file: %w", err)
		}
		f.ID = id
		return nil
	})
}

// KitFiles lists the kit's files, without their content.
func (db *DB) KitFiles(ctx context.Context, processID int64) ([]KitFile, error) {
	var out []KitFile
	err := db.each(ctx, func(s scanner) error {
		var f KitFile
		err := s.Scan(&f.ID, &f.Title, &f.Description, &f.Filename, &f.ContentType, &f.Size, &f.CreatedAt)
		out = append(out, f)
		return err
	}, `SELECT id, title, description, filename, content_type, size, created_at FROM kit_files WHERE process_id = ? ORDER BY position, id`, processID)
	return out, err
}

// KitFile returns one file of a process' kit with its content.
func (db *DB) KitFile(ctx context.Context, processID, id int64) (*KitFile, error) {
	var f KitFile
	err := db.queryRow(ctx, `SELECT id, title, description, filename, content_type, size, data, created_at FROM kit_files
		WHERE id = ? AND process_id = ?`, id, processID).Scan(&f.ID, &f.Title, &f.Description, &f.Filename, &f.ContentType, &f.Size, &f.Data, &f.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	}
	return &f, err
}

// DeleteKitFile removes a file of the kit.
func (db *DB) DeleteKitFile(ctx context.Context, processID, id int64) error {
	res, err := db.exec(ctx, `DELETE FROM kit_files WHERE id = ? AND process_id = ?`, id, processID)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

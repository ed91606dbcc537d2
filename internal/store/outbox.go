package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Message is a mail waiting in the outbox.
type Message struct {
	ID        int64
	To        string
	ReplyTo   string
	Subject   string
	Body      string
	CreatedAt time.Time
	Attempts  int
	// An optional attachment, such as an event's .ics file.
	AttachmentName string
	AttachmentType string
	Attachment     []byte
}

// Enqueue puts messages in the outbox in one transaction, all or none; the mail sender sends
// them whatever happens to the request that wrote them.
func (db *DB) Enqueue(ctx context.Context, ms ...*Message) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		for _, m := range ms {
			if err := tx.Enqueue(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
}

// Enqueue puts a message in the outbox within a transaction, so that it is sent only if the
// transaction commits.
func (tx *Tx) Enqueue(ctx context.Context, m *Message) error {
	now := tx.db.Now()
	m.CreatedAt = now
	id, err := tx.insert(ctx, `INSERT INTO outbox (recipient, reply_to, subject, body, created_at, next_attempt_at,
		attachment_name, attachment_type, attachment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.To, m.ReplyTo, m.Subject, m.Body, now, now, m.AttachmentName, m.AttachmentType, string(m.Attachment))
	if err != nil {
		return fmt.Errorf("store: enqueue mail: %w", err)
	}
	m.ID = id
	return nil
}

// ClaimMail claims up to limit due messages for lease, so that another sender (another
// instance) does not send them too. On PostgreSQL the rows are locked with SKIP LOCKED.
func (db *DB) ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]Message, error) {
	now := db.Now()
	lock := ""
	if db.dialect.name() == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []Message
	err := db.WithTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, recipient, reply_to, subject, body, created_at, attempts,
			attachment_name, attachment_type, attachment FROM outbox
			WHERE sent_at IS NULL AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
			ORDER BY next_attempt_at, id LIMIT ?`+lock, now, now, limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var m Message
			var attachment string
			if err := rows.Scan(&m.ID, &m.To, &m.ReplyTo, &m.Subject, &m.Body, &m.CreatedAt, &m.Attempts,
				&m.AttachmentName, &m.AttachmentType, &attachment); err != nil {
				rows.Close()
				return err
			}
			m.Attachment = []byte(attachment)
			out = append(out, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range out {
			if _, err := tx.exec(ctx, `UPDATE outbox SET claimed_until = ? WHERE id = ?`, now.Add(lease), m.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim mail: %w", err)
	}
	return out, nil
}

// MailSent marks a message sent.
func (db *DB) MailSent(ctx context.Context, id int64) error {
	_, err := db.exec(ctx, `UPDATE outbox SET sent_at = ?, claimed_until = NULL, attempts = attempts + 1, last_error = '' WHERE id = ?`, db.Now(), id)
	return err
}

// MailFailed records a failed attempt and when to try again.
func (db *DB) MailFailed(ctx context.Context, id int64, cause error, retryAt time.Time) error {
	_, err := db.exec(ctx, `UPDATE outbox SET attempts = attempts + 1, claimed_until = NULL, next_attempt_at = ?, last_error = ? WHERE id = ?`,
		retryAt.UTC(), cause.Error(), id)
	return err
}

// MailStatus returns a message's attempts and whether it was sent, for tests and the admin view.
func (db *DB) MailStatus(ctx context.Context, id int64) (attempts int, sent bool, lastError string, err error) {
	var sentAt sql.NullTime
	err = db.queryRow(ctx, `SELECT attempts, sent_at, last_error FROM outbox WHERE id = ?`, id).Scan(&attempts, &sentAt, &lastError)
	return attempts, sentAt.Valid, lastError, err
}

// PendingMail counts unsent messages.
func (db *DB) PendingMail(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL`).Scan(&n)
	return n, err
}

// MailTo returns the messages queued for an address, newest first.
func (db *DB) MailTo(ctx context.Context, to string) ([]Message, error) {
	var out []Message
	err := db.each(ctx, func(s scanner) error {
		var m Message
		var attachment string
		err := s.Scan(&m.ID, &m.To, &m.ReplyTo, &m.Subject, &m.Body, &m.CreatedAt, &m.Attempts, &m.AttachmentName, &m.AttachmentType, &attachment)
		m.Attachment = []byte(attachment)
		out = append(out, m)
		return err
	}, `SELECT id, recipient, reply_to, subject, body, created_at, attempts, attachment_name, attachment_type, attachment
		FROM outbox WHERE recipient = ? ORDER BY id DESC`, to)
	return out, err
}

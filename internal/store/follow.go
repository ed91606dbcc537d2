package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"ouvert/internal/ouvert"
)

// SetFollow makes a person follow a contribution or stop following it.
func (db *DB) SetFollow(ctx context.Context, contributionID, userID int64, follow bool) error {
	return db.setFollow(ctx, followed{"follows", "contribution_id", "contributions"}, contributionID, userID, follow)
}

// followed names what a person can follow: the table of follows, its column naming the item, and
// the item's table, whose followers column counts them.
type followed struct{ follows, column, items string }

// setFollow adds or removes a person's follow of an item and keeps the item's count of followers.
func (db *DB) setFollow(ctx context.Context, f followed, id, userID int64, follow bool) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		var res sql.Result
		var err error
		if follow {
			res, err = tx.exec(ctx, `INSERT INTO `+f.follows+` (`+f.column+`, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, id, userID, tx.db.Now())
		} else {
			res, err = tx.exec(ctx, `DELETE FROM `+f.follows+` WHERE `+f.column+` = ? AND user_id = ?`, id, userID)
		}
		if err != nil {
			return fmt.Errorf("store: follow: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			delta := 1
			if !follow {
				delta = -1
			}
			_, err = tx.exec(ctx, `UPDATE `+f.items+` SET followers = followers + ? WHERE id = ?`, delta, id)
		}
		return err
	})
}

// follows reports whether a person follows an item.
func (db *DB) follows(ctx context.Context, f followed, id, userID int64) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM `+f.follows+` WHERE `+f.column+` = ? AND user_id = ?`, id, userID).Scan(&n)
	return n > 0, err
}

// Follows reports whether a person follows a contribution.
func (db *DB) Follows(ctx context.Context, contributionID, userID int64) (bool, error) {
	return db.follows(ctx, followed{"follows", "contribution_id", "contributions"}, contributionID, userID)
}

// notifyFollowers tells every follower of a contribution but the actor that something happened
// on it, in one statement whatever their number.
func (tx *Tx) notifyFollowers(ctx context.Context, contributionID, argumentID, actorID int64, kind string) error {
	_, err := tx.exec(ctx, `INSERT INTO notifications (user_id, kind, contribution_id, argument_id, created_at)
		SELECT user_id, ?, ?, ?, ? FROM follows WHERE contribution_id = ? AND user_id <> ?`,
		kind, contributionID, nullID(argumentID), tx.db.Now(), contributionID, actorID)
	if err != nil {
		return fmt.Errorf("store: notify followers: %w", err)
	}
	return nil
}

// notify tells one person something about a contribution or argument.
func (tx *Tx) notify(ctx context.Context, userID int64, kind string, contributionID, argumentID int64, detail string) error {
	if userID == 0 {
		return nil
	}
	_, err := tx.exec(ctx, `INSERT INTO notifications (user_id, kind, contribution_id, argument_id, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		userID, kind, nullID(contributionID), nullID(argumentID), detail, tx.db.Now())
	return err
}

// Notification is something that happened that a person wants to know.
type Notification struct {
	ID                int64
	Kind              string
	ContributionID    int64
	ContributionTitle string
	ArgumentID        int64
	DraftID           int64 // a draft commitment's notification: ContributionTitle is then the draft's title
	AmendmentID       int64
	CommitmentID      int64 // a commitment's notification: ContributionTitle is then its title
	Detail            string
	CreatedAt         time.Time
	Read              bool
}

// Path is the page a notification leads to.
func (n Notification) Path() string {
	switch {
	case n.CommitmentID != 0:
		return "/engagements/" + strconv.FormatInt(n.CommitmentID, 10)
	case n.AmendmentID != 0:
		return "/amendements/" + strconv.FormatInt(n.AmendmentID, 10)
	case n.DraftID != 0:
		return "/projets/" + strconv.FormatInt(n.DraftID, 10)
	case n.ArgumentID != 0:
		return "/contributions/" + strconv.FormatInt(n.ContributionID, 10) + "#argument-" + strconv.FormatInt(n.ArgumentID, 10)
	}
	return "/contributions/" + strconv.FormatInt(n.ContributionID, 10)
}

// notificationColumns are read by scanNotification; n is notifications.
const notificationColumns = `n.id, n.kind, COALESCE(n.contribution_id, 0), COALESCE(c.title, dv.title, cm.title, ''), COALESCE(n.argument_id, 0),
	COALESCE(n.draft_id, 0), COALESCE(n.amendment_id, 0), COALESCE(n.commitment_id, 0), n.detail, n.created_at, n.read_at`

const notificationFrom = ` FROM notifications n LEFT JOIN contributions c ON c.id = n.contribution_id
	LEFT JOIN drafts d ON d.id = n.draft_id LEFT JOIN draft_versions dv ON dv.draft_id = d.id AND dv.number = d.version
	LEFT JOIN commitments cm ON cm.id = n.commitment_id `

func scanNotification(s scanner, before ...any) (Notification, error) {
	var n Notification
	var read sql.NullTime
	err := s.Scan(append(before, &n.ID, &n.Kind, &n.ContributionID, &n.ContributionTitle, &n.ArgumentID, &n.DraftID, &n.AmendmentID,
		&n.CommitmentID, &n.Detail, &n.CreatedAt, &read)...)
	n.Read = read.Valid
	return n, err
}

// Notifications returns a person's newest notifications.
func (db *DB) Notifications(ctx context.Context, userID int64, limit int) ([]Notification, error) {
	return db.notifications(ctx, `WHERE n.user_id = ? ORDER BY n.id DESC LIMIT ?`, userID, limit)
}

func (db *DB) notifications(ctx context.Context, where string, args ...any) ([]Notification, error) {
	var out []Notification
	err := db.each(ctx, func(s scanner) error {
		n, err := scanNotification(s)
		out = append(out, n)
		return err
	}, `SELECT `+notificationColumns+notificationFrom+where, args...)
	return out, err
}

// UnreadNotifications counts a person's unread notifications.
func (db *DB) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n)
	return n, err
}

// MarkNotificationsRead marks all of a person's notifications read.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID int64) error {
	_, err := db.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, db.Now(), userID)
	return err
}

// Digest is one person's unmailed notifications.
type Digest struct {
	User          *ouvert.User
	Notifications []Notification
}

// DueDigests returns, for each person who wants a digest, has unmailed notifications and got no
// digest in the last day, those notifications (at most limit people per call).
func (db *DB) DueDigests(ctx context.Context, limit int) ([]Digest, error) {
	cutoff := db.Now().Add(-24 * time.Hour)
	var users []*ouvert.User
	err := db.each(ctx, func(s scanner) error {
		u, err := scanUser(s)
		users = append(users, u)
		return err
	}, `SELECT `+userColumns+` FROM users WHERE digest = ? AND (digest_sent_at IS NULL OR digest_sent_at <= ?)
		AND id IN (SELECT user_id FROM notifications WHERE mailed_at IS NULL) ORDER BY id LIMIT ?`, true, cutoff, limit)
	if err != nil {
		return nil, fmt.Errorf("store: due digests: %w", err)
	}
	if len(users) == 0 {
		return nil, nil
	}
	// Every person's unmailed notifications in one query; at most 100 each in a digest.
	ids := make([]any, len(users))
	index := map[int64]int{}
	out := make([]Digest, len(users))
	for i, u := range users {
		ids[i], index[u.ID], out[i].User = u.ID, i, u
	}
	var userID int64
	err = db.each(ctx, func(s scanner) error {
		n, err := scanNotification(s, &userID)
		if err != nil {
			return err
		}
		if d := &out[index[userID]]; len(d.Notifications) < 100 {
			d.Notifications = append(d.Notifications, n)
		}
		return nil
	}, `SELECT n.user_id, `+notificationColumns+notificationFrom+`WHERE n.user_id IN (`+placeholders(len(ids))+`) AND n.mailed_at IS NULL ORDER BY n.user_id, n.id`, ids...)
	if err != nil {
		return nil, fmt.Errorf("store: due digests: %w", err)
	}
	return out, nil
}

// DigestQueued marks notifications mailed and the person's digest sent, with the mail itself in
// the outbox, in one transaction: a digest is never lost nor sent twice.
func (db *DB) DigestQueued(ctx context.Context, d Digest, m *Message) error {
	if len(d.Notifications) == 0 {
		return errors.New("store: empty digest")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		now := tx.db.Now()
		if err := tx.Enqueue(ctx, m); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE notifications SET mailed_at = ? WHERE user_id = ? AND mailed_at IS NULL AND id <= ?`,
			now, d.User.ID, d.Notifications[len(d.Notifications)-1].ID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE users SET digest_sent_at = ? WHERE id = ?`, now, d.User.ID)
		return err
	})
}

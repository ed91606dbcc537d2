package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"ouvert/internal/store"
)

// SendDigests queues the daily mail digest of each person who has unmailed notifications and
// got no digest in the last 24 hours. The serve command calls it every few minutes; it returns
// how many digests it queued.
func (s *Server) SendDigests(ctx context.Context) (int, error) {
	sent := 0
	loc := time.UTC
	if p, err := s.process(ctx); err == nil {
		loc = p.Location()
	}
	for {
		due, err := s.db.DueDigests(ctx, 100)
		if err != nil || len(due) == 0 {
			return sent, err
		}
		for _, d := range due {
			l := s.cat.Locale(d.User.Lang, loc)
			var b strings.Builder
			for _, n := range d.Notifications {
				fmt.Fprintf(&b, "- %s\n  %s%s", l.T("notification."+n.Kind, n.ContributionTitle), s.cfg.BaseURL, n.Path())
				if n.ArgumentID != 0 {
					fmt.Fprintf(&b, "#argument-%d", n.ArgumentID)
				}
				b.WriteString("\n")
			}
			m := &store.Message{To: d.User.Email, Subject: l.T("mail.digest.subject"),
				Body: l.T("mail.digest.body", d.User.DisplayName, b.String(), s.cfg.BaseURL+"/notifications")}
			if err := s.db.DigestQueued(ctx, d, m); err != nil {
				return sent, err
			}
			sent++
		}
		s.mailPoke()
	}
}

// Package mail delivers the messages of the outbox. Whatever sends mail writes a store.Message
// with db.Enqueue, in the transaction of the change it reports; the Sender claims due messages,
// delivers them through SMTP (or, without SMTP, writes them as .eml files for development) and
// records each outcome, so that a message is never lost: a failed one is retried with back-off
// and one claimed by a process that died is claimed again when its lease expires.
package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"os"
	"strings"
	"time"

	"ouvert/internal/store"
)

// Config says where the mail goes.
type Config struct {
	// SMTPURL is smtp://user:pass@host:port (STARTTLS used when the server offers it) or
	// smtps://user:pass@host:port (implicit TLS); user:pass is optional and means AUTH PLAIN.
	// The port defaults to 25 for smtp and 465 for smtps. Empty means "no SMTP": each message is
	// written as an .eml file under OutboxDir and logged, which is how a developer reads mail.
	SMTPURL string
	// From is the sender of every message, e.g. "Ouvert <no-reply@localhost>" (the default).
	From string
	// OutboxDir receives the .eml files when there is no SMTP (DATA/outbox).
	OutboxDir string
	// Interval is how often Run looks for due messages; 5s by default. Poke makes it look at once.
	Interval time.Duration
	// InsecureSkipVerify accepts any TLS certificate: for tests only.
	InsecureSkipVerify bool
}

// DefaultFrom is the sender used when Config.From is empty.
const DefaultFrom = "Ouvert <no-reply@localhost>"

const (
	// batchSize is how many messages one pass claims.
	batchSize = 50
	// lease is how long a claim keeps other senders off a message; a pass stops starting new
	// deliveries after half of it, so that a message is never delivered by two senders at once.
	lease = 2 * time.Minute
	// recordTimeout bounds the bookkeeping after a delivery, which runs even when ctx is done so
	// that a delivered message is not delivered again.
	recordTimeout = 10 * time.Second
	// firstRetry and maxRetry bound the back-off between attempts.
	firstRetry = time.Minute
	maxRetry   = 6 * time.Hour
)

// Sender delivers the outbox.
type Sender struct {
	db       *store.DB
	log      *slog.Logger
	from     string        // the From header, as configured
	fromAddr string        // the envelope sender (MAIL FROM)
	dir      string        // where .eml files go when smtp is nil
	smtp     *smtpServer   // nil without SMTP
	interval time.Duration // Run's polling interval
	poke     chan struct{} // wakes Run; buffered so that Poke never blocks
}

// New checks cfg and returns a Sender. Without SMTP it creates OutboxDir when needed; with SMTP
// it does not connect yet, so that a mail server that is down does not keep Ouvert from starting.
func New(cfg Config, db *store.DB, log *slog.Logger) (*Sender, error) {
	if log == nil {
		log = slog.Default()
	}
	if cfg.From == "" {
		cfg.From = DefaultFrom
	}
	if strings.ContainsAny(cfg.From, "\r\n") {
		return nil, errors.New("mail: From contains a line break")
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail: bad From %q: %w", cfg.From, err)
	}
	s := &Sender{
		db:       db,
		log:      log,
		from:     cfg.From,
		fromAddr: from.Address,
		dir:      cfg.OutboxDir,
		interval: cfg.Interval,
		poke:     make(chan struct{}, 1),
	}
	if s.interval <= 0 {
		s.interval = 5 * time.Second
	}
	if cfg.SMTPURL != "" {
		if s.smtp, err = parseSMTPURL(cfg.SMTPURL, cfg.InsecureSkipVerify); err != nil {
			return nil, err
		}
		return s, nil
	}
	if s.dir == "" {
		return nil, errors.New("mail: OutboxDir is required when SMTPURL is empty")
	}
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		return nil, fmt.Errorf("mail: create outbox directory: %w", err)
	}
	return s, nil
}

// Run delivers due messages until ctx is done: every Interval, at once after Poke, and again
// without waiting while full batches keep coming (a backlog after an outage).
func (s *Sender) Run(ctx context.Context) {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		claimed, _, err := s.pass(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			s.log.Warn("mail: pass failed", "err", err)
		} else if claimed == batchSize {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.poke:
		}
	}
}

// Poke wakes Run, so that a message just enqueued leaves now rather than at the next tick. It
// never blocks: a wake-up already pending covers this one.
func (s *Sender) Poke() {
	select {
	case s.poke <- struct{}{}:
	default:
	}
}

// SendDue makes one pass over the outbox: it claims up to 50 due messages, delivers each and
// records the outcome, a failure with the time of the next attempt. sent counts the messages
// delivered. err reports what kept the pass itself from working (claiming, recording an outcome);
// a message that could not be delivered is no error of the pass: it is logged at Warn and its
// cause stored in the outbox.
func (s *Sender) SendDue(ctx context.Context) (sent int, err error) {
	_, sent, err = s.pass(ctx)
	return sent, err
}

// pass is SendDue, also returning how many messages it claimed so that Run knows whether more
// are waiting.
func (s *Sender) pass(ctx context.Context) (claimed, sent int, err error) {
	msgs, err := s.db.ClaimMail(ctx, batchSize, lease)
	if err != nil {
		return 0, 0, err
	}
	if len(msgs) == 0 {
		return 0, 0, nil
	}
	start := time.Now()
	t := s.transport()
	defer t.close()
	var errs []error
	for _, m := range msgs {
		// A message left here stays claimed until its lease expires, then is claimed again:
		// stopping costs a delay, never the message.
		if ctx.Err() != nil || time.Since(start) > lease/2 {
			break
		}
		now := s.db.Now()
		derr := s.deliver(ctx, t, m, now)
		if derr != nil && ctx.Err() != nil {
			break // interrupted by shutdown: not the message's fault, so no attempt counted
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
		if derr == nil {
			sent++
			if err := s.db.MailSent(rctx, m.ID); err != nil {
				errs = append(errs, fmt.Errorf("mail: record %d sent: %w", m.ID, err))
			}
		} else {
			retry := now.Add(backoff(m.Attempts))
			s.log.Warn("mail: not sent", "id", m.ID, "to", m.To, "attempt", m.Attempts+1, "retry_at", retry, "err", derr)
			if err := s.db.MailFailed(rctx, m.ID, derr, retry); err != nil {
				errs = append(errs, fmt.Errorf("mail: record %d failed: %w", m.ID, err))
			}
		}
		cancel()
	}
	return len(msgs), sent, errors.Join(errs...)
}

// deliver checks, formats and delivers one message.
func (s *Sender) deliver(ctx context.Context, t transport, m store.Message, now time.Time) error {
	to, err := check(s.from, m)
	if err != nil {
		return fmt.Errorf("mail: send %d: %w", m.ID, err)
	}
	if err := t.send(ctx, m, to.Address, Format(s.from, m, now), now); err != nil {
		return fmt.Errorf("mail: send %d: %w", m.ID, err)
	}
	return nil
}

// transport is how one pass delivers: an SMTP connection kept for the pass, or the .eml directory.
type transport interface {
	send(ctx context.Context, m store.Message, rcpt string, data []byte, now time.Time) error
	close()
}

// transport returns a new transport for a pass.
func (s *Sender) transport() transport {
	if s.smtp != nil {
		return &smtpSession{srv: s.smtp, from: s.fromAddr}
	}
	return emlDir{dir: s.dir, log: s.log}
}

// check rejects what must not be formatted: a recipient (or Reply-To) that is not one address,
// and a line break in a header value, which would let its author add headers such as Bcc.
func check(from string, m store.Message) (*netmail.Address, error) {
	for _, h := range []struct{ name, value string }{
		{"From", from}, {"To", m.To}, {"Reply-To", m.ReplyTo}, {"Subject", m.Subject},
	} {
		if strings.ContainsAny(h.value, "\r\n") {
			return nil, fmt.Errorf("line break in %s %q", h.name, h.value)
		}
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("bad recipient %q: %w", m.To, err)
	}
	if m.ReplyTo != "" {
		if _, err := netmail.ParseAddress(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("bad Reply-To %q: %w", m.ReplyTo, err)
		}
	}
	return to, nil
}

// backoff is the wait before the next attempt after a failed one: 1 min * 2^attempts, attempts
// being the count before this failure, capped at 6 hours so that a message still leaves a few
// hours after a long outage ends.
func backoff(attempts int) time.Duration {
	d := firstRetry
	for i := 0; i < attempts && d < maxRetry; i++ {
		d *= 2
	}
	return min(d, maxRetry)
}

package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"net/url"
	"os"
	"time"

	"ouvert/internal/store"
)

const (
	// dialTimeout bounds the TCP connection (and, for smtps, the TLS handshake).
	dialTimeout = 10 * time.Second
	// commandTimeout bounds the set-up of a connection and then each message on it, since
	// net/smtp has no timeouts of its own and a server that stops answering must not hold a
	// pass past its lease.
	commandTimeout = 30 * time.Second
)

// smtpServer is the mail server of Config.SMTPURL.
type smtpServer struct {
	addr        string // host:port
	host        string // for certificate verification and AUTH PLAIN
	implicitTLS bool   // smtps: TLS from the first byte; smtp: STARTTLS when offered
	user, pass  string // AUTH PLAIN when user is set
	tls         *tls.Config
}

// parseSMTPURL reads an smtp:// or smtps:// URL. Its errors never quote the URL, which may hold
// a password.
func parseSMTPURL(raw string, insecureSkipVerify bool) (*smtpServer, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // url.Error quotes the URL
		}
		return nil, fmt.Errorf("mail: bad SMTP URL: %w", err)
	}
	srv := &smtpServer{}
	port := ""
	switch u.Scheme {
	case "smtp":
		port = "25"
	case "smtps":
		port, srv.implicitTLS = "465", true
	default:
		return nil, fmt.Errorf("mail: bad SMTP URL: scheme %q, want smtp or smtps", u.Scheme)
	}
	srv.host = u.Hostname()
	if srv.host == "" {
		return nil, errors.New("mail: bad SMTP URL: no host")
	}
	if u.Port() != "" {
		port = u.Port()
	}
	srv.addr = net.JoinHostPort(srv.host, port)
	if u.User != nil {
		srv.user = u.User.Username()
		srv.pass, _ = u.User.Password()
	}
	srv.tls = &tls.Config{ServerName: srv.host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: insecureSkipVerify}
	return srv, nil
}

// smtpSession is one pass's connection to the server, opened at the first message and reused
// for the next ones with RSET. When the server cannot be reached, the rest of the pass fails with
// the same cause instead of waiting for a timeout once per message.
type smtpSession struct {
	srv  *smtpServer
	from string // envelope sender
	conn net.Conn
	c    *smtp.Client
	stop func() bool // stops the context.AfterFunc that closes conn when ctx is done
	err  error       // why the server could not be reached, for the rest of the pass
}

func (s *smtpSession) send(ctx context.Context, _ store.Message, rcpt string, data []byte, _ time.Time) error {
	if s.err != nil {
		return s.err
	}
	if s.c != nil {
		s.conn.SetDeadline(time.Now().Add(commandTimeout))
		if err := s.c.Reset(); err != nil {
			s.close() // the server may have dropped an idle connection: open another
		}
	}
	if s.c == nil {
		if err := s.open(ctx); err != nil {
			s.err = err
			return err
		}
	}
	s.conn.SetDeadline(time.Now().Add(commandTimeout))
	err := s.transaction(rcpt, data)
	var reply *textproto.Error
	if err != nil && !errors.As(err, &reply) {
		// Not a reply of the server (a broken connection, a timeout): the conversation is out of
		// step, so do not reuse it.
		s.close()
	}
	return err
}

// transaction sends one message on an open connection.
func (s *smtpSession) transaction(rcpt string, data []byte) error {
	if err := s.c.Mail(s.from); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := s.c.Rcpt(rcpt); err != nil {
		return fmt.Errorf("RCPT TO: %w", err)
	}
	w, err := s.c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	return nil
}

// open connects, says EHLO, secures the connection (implicit TLS, or STARTTLS when offered) and
// authenticates when the URL has a user. net/smtp refuses to send a password over a connection
// that is not encrypted, except to localhost.
func (s *smtpSession) open(ctx context.Context) (err error) {
	d := &net.Dialer{Timeout: dialTimeout}
	var conn net.Conn
	if s.srv.implicitTLS {
		conn, err = (&tls.Dialer{NetDialer: d, Config: s.srv.tls}).DialContext(ctx, "tcp", s.srv.addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", s.srv.addr)
	}
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(commandTimeout))
	// Closing the connection is how a shutdown interrupts net/smtp, which takes no context.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer func() {
		if err != nil {
			stop()
			conn.Close()
		}
	}()
	c, err := smtp.NewClient(conn, s.srv.host)
	if err != nil {
		return err
	}
	if err := c.Hello(helloName()); err != nil {
		return err
	}
	if !s.srv.implicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.srv.tls); err != nil {
				return fmt.Errorf("STARTTLS: %w", err)
			}
		}
	}
	if s.srv.user != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("the server offers no AUTH, and the SMTP URL has a user")
		}
		if err := c.Auth(smtp.PlainAuth("", s.srv.user, s.srv.pass, s.srv.host)); err != nil {
			return fmt.Errorf("AUTH: %w", err)
		}
	}
	s.conn, s.c, s.stop = conn, c, stop
	return nil
}

// close says QUIT (briefly: the messages are already accepted) and closes the connection.
func (s *smtpSession) close() {
	if s.c == nil {
		return
	}
	s.conn.SetDeadline(time.Now().Add(5 * time.Second))
	if err := s.c.Quit(); err != nil {
		s.c.Close()
	}
	s.stop()
	s.conn, s.c, s.stop = nil, nil, nil
}

// helloName is the name given in EHLO: this machine's, which some relays check.
func helloName() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "localhost"
}

// Command ouvert runs Ouvert, the platform on which a government and its civil society co-create
// an open-government action plan and follow it through. main only reads flags and environment,
// builds the parts and runs a subcommand.
package main

import (
	"archive/zip"
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"ouvert/internal/auth"
	"ouvert/internal/contribimport"
	"ouvert/internal/demo"
	"ouvert/internal/mail"
	"ouvert/internal/opendata"
	"ouvert/internal/ouvert"
	"ouvert/internal/planimport"
	"ouvert/internal/polis"
	"ouvert/internal/store"
	"ouvert/internal/web"
)

const usage = `Ouvert: co-create an open-government action plan, and follow it through.

Usage:
  ouvert serve [flags]          serve the web site (with --demo, load the seed's process first)
  ouvert migrate [flags]        apply the database migrations and print the schema version
  ouvert user create [flags]    create an account from the shell; the password is read from standard input
  ouvert import polis DIR       import a Polis open-data export into a process (--process, --axis, --dry-run)
  ouvert import commitments CSV add a plan's commitments and milestones from CSV as its export writes it (--plan, --dry-run)
  ouvert import contributions CSV add a process' contributions, arguments and votes from open-data CSV
                                (--process, --axes, --arguments, --votes, --dry-run)
  ouvert export --out DIR       write the open-data archive (ZIP) and each of its files into DIR

Run 'ouvert COMMAND --help' for a command's flags. Every flag has an environment twin, named
OUVERT_ and the flag in capitals (--database: OUVERT_DATABASE); secrets can also be read from a
file named by OUVERT_DATABASE_FILE or OUVERT_SMTP_URL_FILE.
`

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "ouvert:", err)
			os.Exit(1)
		}
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], stdout, stderr)
	case "user":
		if len(args) < 2 || args[1] != "create" {
			fmt.Fprint(stderr, "usage: ouvert user create --email E --role R [--name N] [--administration A] < password\n")
			return errors.New("unknown user command")
		}
		return userCreate(ctx, args[2:], stdin, stdout, stderr)
	case "export":
		return export(ctx, args[1:], stdout, stderr)
	case "import":
		switch {
		case len(args) >= 2 && args[1] == "polis":
			return importPolis(ctx, args[2:], stdout, stderr)
		case len(args) >= 2 && args[1] == "commitments":
			return importCommitments(ctx, args[2:], stdout, stderr)
		case len(args) >= 2 && args[1] == "contributions":
			return importContributions(ctx, args[2:], stdout, stderr)
		}
		fmt.Fprint(stderr, "usage: ouvert import polis DIR --process SLUG --axis N [--dry-run]\n"+
			"       ouvert import commitments FILE.csv --plan SLUG [--dry-run]\n"+
			"       ouvert import contributions FILE.csv --process SLUG [--axes axes.csv] [--arguments arguments.csv] [--votes votes.csv] [--dry-run]\n")
		return errors.New("unknown import")
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// common holds the flags every command shares.
type common struct {
	data      string
	database  string
	logFormat string
	logLevel  string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.data, "data", env("OUVERT_DATA", "./data"), "data directory: SQLite database, mail outbox, uploads (OUVERT_DATA)")
	fs.StringVar(&c.database, "database", envSecret("OUVERT_DATABASE", ""), "database: a postgres:// URL, or an SQLite file path (default DATA/ouvert.db) (OUVERT_DATABASE, OUVERT_DATABASE_FILE)")
	fs.StringVar(&c.logFormat, "log-format", env("OUVERT_LOG_FORMAT", "text"), "log format: text or json (OUVERT_LOG_FORMAT)")
	fs.StringVar(&c.logLevel, "log-level", env("OUVERT_LOG_LEVEL", "info"), "log level: debug, info, warn or error (OUVERT_LOG_LEVEL)")
}

func (c *common) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", c.logFormat)
}

func (c *common) open(ctx context.Context) (*store.DB, error) {
	url := c.database
	if url == "" {
		url = filepath.Join(c.data, "ouvert.db")
	}
	return store.Open(ctx, url)
}

func newFlagSet(name, help string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), help)
		fs.PrintDefaults()
	}
	return fs
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("serve", "Usage: ouvert serve [flags]\n\nServes Ouvert over HTTP until SIGINT or SIGTERM; requests in flight finish first.\n"+
		"In the background it sends mail from the outbox, queues the daily digests, groups the contributions\n"+
		"(near duplicates, topics) at start and hourly, rebuilds the open-data archive at start and daily,\n"+
		"and hourly deletes expired sessions and old registrations.\n\nFlags:\n", stderr)
	c.register(fs)
	addr := fs.String("addr", env("OUVERT_ADDR", "localhost:8080"), "address to listen on; use :8080 to listen on every interface (OUVERT_ADDR)")
	baseURL := fs.String("base-url", env("OUVERT_BASE_URL", ""), "public address, for links in mail (default http:// and --addr) (OUVERT_BASE_URL)")
	smtpURL := fs.String("smtp-url", envSecret("OUVERT_SMTP_URL", ""), "SMTP server: smtp://user:pass@host:587 (STARTTLS) or smtps://...:465; empty writes each mail as an .eml file in DATA/outbox (OUVERT_SMTP_URL, OUVERT_SMTP_URL_FILE)")
	mailFrom := fs.String("mail-from", env("OUVERT_MAIL_FROM", "Ouvert <no-reply@localhost>"), "sender of the mail Ouvert sends (OUVERT_MAIL_FROM)")
	behindProxy := fs.Bool("behind-proxy", envBool("OUVERT_BEHIND_PROXY"), "trust X-Forwarded-For and X-Forwarded-Proto from a reverse proxy (OUVERT_BEHIND_PROXY)")
	loadDemo := fs.Bool("demo", envBool("OUVERT_DEMO"), "load the seed's process (the 2017-2019 French national action plan) into an empty database (OUVERT_DEMO)")
	licence := fs.String("licence", env("OUVERT_LICENCE", "Licence Ouverte 2.0"), "licence of the open data (OUVERT_LICENCE)")
	licenceURL := fs.String("licence-url", env("OUVERT_LICENCE_URL", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"), "address of the licence's text (OUVERT_LICENCE_URL)")
	retention := fs.Int("registration-retention", envInt("OUVERT_REGISTRATION_RETENTION", 90), "days after an event's end when its registrations are deleted (OUVERT_REGISTRATION_RETENTION)")
	demoStart := fs.String("demo-start", env("OUVERT_DEMO_START", ""), "with --demo, the launch day YYYY-MM-DD; 2017-02-28 keeps the seed's real dates; default: today falls in the ideation phase (OUVERT_DEMO_START)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	if *baseURL == "" {
		host := *addr
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host
		}
		*baseURL = "http://" + host
	}
	start := demo.DefaultStart(time.Now())
	if *demoStart != "" {
		if start, err = time.Parse("2006-01-02", *demoStart); err != nil {
			return fmt.Errorf("--demo-start %q: want a day as YYYY-MM-DD", *demoStart)
		}
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if *loadDemo {
		if n, err := db.CountProcesses(ctx); err != nil {
			return err
		} else if n == 0 {
			p, err := demo.Load(ctx, db, start)
			if err != nil {
				return err
			}
			log.Info("demo loaded", "process", p.Slug, "launch", start.Format("2006-01-02"))
		} else {
			log.Info("demo not loaded: the database already holds a process")
		}
	}
	sender, err := mail.New(mail.Config{SMTPURL: *smtpURL, From: *mailFrom, OutboxDir: filepath.Join(c.data, "outbox")}, db, log)
	if err != nil {
		return err
	}
	cfg := web.DefaultConfig(*baseURL)
	cfg.BehindProxy = *behindProxy
	cfg.DataDir = c.data
	cfg.Licence, cfg.LicenceURL = *licence, *licenceURL
	srv, err := web.New(ctx, cfg, db, log, sender.Poke)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	httpSrv := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	mailDone := make(chan struct{})
	go func() { sender.Run(ctx); close(mailDone) }()
	go housekeeping(ctx, db, log, time.Duration(*retention)*24*time.Hour)
	go digests(ctx, srv, log)
	go nightlyOpenData(ctx, srv, log)
	go hourlyGrouping(ctx, srv, log)
	go func() { // so that the first search does not wait for its process' index
		start := time.Now()
		if n, err := db.PrepareSearch(ctx); err != nil {
			log.Warn("search index", "err", err)
		} else {
			log.Info("search index ready", "contributions", n, "took", time.Since(start).Round(time.Millisecond))
		}
	}()

	log.Info("serving", "addr", ln.Addr().String(), "url", *baseURL, "database", db.Kind())
	fmt.Fprintf(stdout, "Ouvert is running at %s (database: %s). Press Ctrl+C to stop.\n", *baseURL, db.Kind())
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = httpSrv.Shutdown(shutdownCtx)
	<-mailDone
	log.Info("stopped")
	return err
}

// housekeeping deletes expired sessions and link tokens, and the registrations of events that
// ended more than retention ago, every hour.
func housekeeping(ctx context.Context, db *store.DB, log *slog.Logger, retention time.Duration) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := db.DeleteExpired(ctx); err != nil && ctx.Err() == nil {
			log.Warn("housekeeping", "err", err)
		}
		if err := db.Optimize(ctx); err != nil && ctx.Err() == nil {
			log.Warn("housekeeping: optimize", "err", err)
		}
		if n, err := db.PurgeRegistrations(ctx, time.Now().Add(-retention)); err != nil && ctx.Err() == nil {
			log.Warn("housekeeping: registrations", "err", err)
		} else if n > 0 {
			log.Info("registrations deleted after retention", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// hourlyGrouping groups the contributions (near duplicates, topics of each axis) at start and
// every hour; in between, the server places each new contribution in the groups found.
func hourlyGrouping(ctx context.Context, srv *web.Server, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := srv.Regroup(ctx); err != nil && ctx.Err() == nil {
			log.Warn("grouping", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// nightlyOpenData rebuilds the open-data archive at start and every 24 hours.
func nightlyOpenData(ctx context.Context, srv *web.Server, log *slog.Logger) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		start := time.Now()
		if err := srv.BuildOpenData(ctx); err != nil && ctx.Err() == nil {
			log.Warn("open data", "err", err)
		} else if err == nil {
			log.Info("open data archive built", "seconds", time.Since(start).Seconds())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// digests queues the daily notification digests every five minutes.
func digests(ctx context.Context, srv *web.Server, log *slog.Logger) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		if n, err := srv.SendDigests(ctx); err != nil && ctx.Err() == nil {
			log.Warn("digests", "err", err)
		} else if n > 0 {
			log.Info("digests queued", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("migrate", "Usage: ouvert migrate [flags]\n\nApplies pending migrations (serve does too, at start) and prints the schema version.\n\nFlags:\n", stderr)
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s at schema version %d\n", db.Kind(), v)
	return nil
}

func userCreate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("user create", "Usage: ouvert user create --email E --role R [flags] < password-file\n\n"+
		"Creates a confirmed account. The password is the first line of standard input (at least 12\n"+
		"characters, not a common one, not containing the address).\n\nFlags:\n", stderr)
	c.register(fs)
	email := fs.String("email", "", "the account's email address (required)")
	role := fs.String("role", "participant", "participant, moderator, administration or organiser")
	name := fs.String("name", "", "display name (default: the part of the address before @)")
	administration := fs.String("administration", "", "with --role administration, the administration represented")
	if err := fs.Parse(args); err != nil {
		return err
	}
	*email = ouvert.NormalizeEmail(*email)
	if !ouvert.ValidEmail(*email) {
		return fmt.Errorf("--email %q: want an address such as name@example.org", *email)
	}
	r := ouvert.Role(*role)
	if !r.Valid() {
		return fmt.Errorf("--role %q: want participant, moderator, administration or organiser", *role)
	}
	if r == ouvert.RoleAdministration && strings.TrimSpace(*administration) == "" {
		return errors.New("--role administration needs --administration")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	errs := ouvert.FieldErrors{}
	ouvert.ValidatePassword(password, *email, errs)
	if key := errs["password"]; key != "" {
		return fmt.Errorf("password refused: %s", passwordReasons[key])
	}
	if *name == "" {
		*name, _, _ = strings.Cut(*email, "@")
	}
	hash, err := auth.Hash(password, auth.DefaultParams)
	if err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	now := db.Now()
	u := &ouvert.User{Email: *email, PasswordHash: hash, DisplayName: *name, Role: r, Administration: strings.TrimSpace(*administration), ConfirmedAt: &now, Digest: true}
	if err := db.CreateUser(ctx, u); err != nil {
		if ouvert.ErrorCode(err) == ouvert.ECONFLICT {
			return fmt.Errorf("an account with the address %s already exists", *email)
		}
		return err
	}
	fmt.Fprintf(stdout, "created %s account %d for %s\n", r, u.ID, u.Email)
	return nil
}

// parseWithFile parses an import's flags and returns its file (or directory), which may come
// before or after the flags.
func parseWithFile(fs *flag.FlagSet, args []string) (string, error) {
	var path string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		path, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if path == "" && fs.NArg() > 0 {
		path = fs.Arg(0)
	}
	return path, nil
}

func importPolis(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("import polis", "Usage: ouvert import polis DIR --process SLUG --axis N [--dry-run]\n\n"+
		"Reads a Polis open-data export (comments.csv, votes.csv): statements become contributions from\n"+
		"pseudonymous participants, votes become votes (pass as mixed), statements moderated out are hidden.\n"+
		"A bad line refuses the whole import with its file, line, column and reason.\n\nFlags:\n", stderr)
	c.register(fs)
	processSlug := fs.String("process", "", "the process' slug (default: the current process)")
	axisN := fs.Int("axis", 1, "the axis' number in the process (1 for the first)")
	dryRun := fs.Bool("dry-run", false, "read and check everything, write nothing")
	dir, err := parseWithFile(fs, args)
	if err != nil {
		return err
	}
	if dir == "" {
		return errors.New("import polis: give the export's directory")
	}
	conv, err := polis.Read(dir)
	if err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var p *ouvert.Process
	if *processSlug != "" {
		p, err = db.ProcessBySlug(ctx, *processSlug)
	} else {
		p, err = db.CurrentProcess(ctx)
	}
	if err != nil {
		return fmt.Errorf("import polis: no such process %q", *processSlug)
	}
	if *axisN < 1 || *axisN > len(p.Axes) {
		return fmt.Errorf("import polis: --axis %d: the process has axes 1 to %d", *axisN, len(p.Axes))
	}
	hidden := 0
	for _, s := range conv.Statements {
		if s.Hidden() {
			hidden++
		}
	}
	if *dryRun {
		fmt.Fprintf(stdout, "dry run: %d statements (%d moderated out) and %d votes would be imported into %q, axis %d; nothing written\n",
			len(conv.Statements), hidden, len(conv.Votes), p.Slug, *axisN)
		return nil
	}
	loaded, err := polis.Load(ctx, db, conv, p.ID, p.Axes[*axisN-1].ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d contributions (%d hidden, %d empty skipped), %d votes from %d participants into %q, axis %d\n%s\n",
		loaded.Contributions, loaded.Hidden, loaded.Skipped, loaded.Votes, loaded.Participants, p.Slug, *axisN, polis.Attribution)
	return nil
}

func importCommitments(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("import commitments", "Usage: ouvert import commitments FILE.csv --plan SLUG [--dry-run]\n\n"+
		"Adds to a plan the commitments of a plan made elsewhere, with their milestones, from CSV in the layout\n"+
		"of the plan's export (/plans/SLUG/engagements.csv): one line per milestone, the commitment's cells\n"+
		"repeated. They are numbered after the plan's own. A bad line refuses the whole import with its line,\n"+
		"column and reason, and nothing is written.\n\nFlags:\n", stderr)
	c.register(fs)
	planSlug := fs.String("plan", "", "the plan's slug (required)")
	dryRun := fs.Bool("dry-run", false, "read and check everything, write nothing")
	path, err := parseWithFile(fs, args)
	if err != nil {
		return err
	}
	if path == "" || *planSlug == "" {
		return errors.New("import commitments: give the CSV file and --plan SLUG")
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import commitments: %w", err)
	}
	defer f.Close()
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	plan, err := db.PlanBySlug(ctx, *planSlug)
	if ouvert.ErrorCode(err) == ouvert.ENOTFOUND {
		return fmt.Errorf("import commitments: no such plan %q", *planSlug)
	} else if err != nil {
		return err
	}
	// Dates are days where the process runs, as the web reads them.
	loc := time.UTC
	if p, err := db.CurrentProcess(ctx); err == nil {
		loc = p.Location()
	}
	rows, err := planimport.Parse(f, loc)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	n, milestones := planimport.Count(rows)
	if *dryRun {
		fmt.Fprintf(stdout, "dry run: %d commitments and %d milestones would be imported into plan %q; nothing written\n", n, milestones, plan.Slug)
		return nil
	}
	if _, err := planimport.Import(ctx, db, plan.ID, rows); err != nil {
		return fmt.Errorf("import commitments: nothing written: %w", err)
	}
	fmt.Fprintf(stdout, "imported %d commitments and %d milestones into plan %q\n", n, milestones, plan.Slug)
	return nil
}

func importContributions(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("import contributions", "Usage: ouvert import contributions FILE.csv --process SLUG [--axes axes.csv] [--arguments arguments.csv] [--votes votes.csv] [--dry-run]\n\n"+
		"Adds to a process the contributions of another instance, with their arguments and votes, from the CSV files\n"+
		"of its open-data archive (contributions.csv, axes.csv, arguments.csv, votes.csv), or from files made in their\n"+
		"layout (contributions.csv needs only title, body and axis_id). Every row gets a new id; each participant\n"+
		"becomes an account nobody can log in to (PARTICIPANT@import.invalid). With --axes, each contribution goes to\n"+
		"the process' axis of the same number as its axis in axes.csv; without it, axis_id must be one of the process'\n"+
		"axes. The counts are not read from contributions.csv: agree, mixed and disagree come from --votes, arguments\n"+
		"from --arguments; without those files they are zero. Not imported: the events contributions came from\n"+
		"(their origin stays), the marks of useful arguments.\n"+
		"A bad line in any file refuses the whole import with its file, line, column and reason, and nothing is\n"+
		"written: everything goes in one transaction.\n\nFlags:\n", stderr)
	c.register(fs)
	processSlug := fs.String("process", "", "the process' slug (required)")
	axesPath := fs.String("axes", "", "the source's axes.csv, to place contributions on the axes of the same numbers")
	argumentsPath := fs.String("arguments", "", "the source's arguments.csv: arguments and replies")
	votesPath := fs.String("votes", "", "the source's votes.csv")
	dryRun := fs.Bool("dry-run", false, "read and check everything, write nothing")
	path, err := parseWithFile(fs, args)
	if err != nil {
		return err
	}
	if path == "" || *processSlug == "" {
		return errors.New("import contributions: give the contributions' CSV file and --process SLUG")
	}
	var files contribimport.Files
	for _, f := range []struct {
		path string
		dst  *contribimport.File
	}{{path, &files.Contributions}, {*axesPath, &files.Axes}, {*argumentsPath, &files.Arguments}, {*votesPath, &files.Votes}} {
		if f.path == "" {
			continue
		}
		r, err := os.Open(f.path)
		if err != nil {
			return fmt.Errorf("import contributions: %w", err)
		}
		defer r.Close()
		*f.dst = contribimport.File{Name: f.path, R: r}
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := db.ProcessBySlug(ctx, *processSlug)
	if ouvert.ErrorCode(err) == ouvert.ENOTFOUND {
		return fmt.Errorf("import contributions: no such process %q", *processSlug)
	} else if err != nil {
		return err
	}
	target, err := contribimport.TargetOf(ctx, db, p)
	if err != nil {
		return err
	}
	set, err := contribimport.Parse(files, target)
	if err != nil {
		return err
	}
	n, hidden, withdrawn, arguments, votes, participants := set.Summary()
	counts := fmt.Sprintf("%d contributions (%d hidden, %d withdrawn), %d arguments, %d votes from %d participants",
		n, hidden, withdrawn, arguments, votes, participants)
	if *dryRun {
		fmt.Fprintf(stdout, "dry run: %s would be imported into %q; nothing written\n", counts, p.Slug)
		return nil
	}
	if _, err := contribimport.Import(ctx, db, p.ID, set); err != nil {
		return fmt.Errorf("import contributions: nothing written: %w", err)
	}
	fmt.Fprintf(stdout, "imported %s into %q\n", counts, p.Slug)
	return nil
}

func export(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("export", "Usage: ouvert export --out DIR\n\nWrites the open-data archive DIR/ouvert-opendata.zip (CSV and NDJSON of every public table,\n"+
		"datapackage.json, README.md, LICENCE.txt) and the same files beside it, streamed from the database.\n\nFlags:\n", stderr)
	c.register(fs)
	out := fs.String("out", "", "directory to write into (required)")
	licence := fs.String("licence", env("OUVERT_LICENCE", "Licence Ouverte 2.0"), "licence of the open data")
	licenceURL := fs.String("licence-url", env("OUVERT_LICENCE_URL", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"), "address of the licence's text")
	baseURL := fs.String("base-url", env("OUVERT_BASE_URL", "http://localhost:8080"), "the site's public address, named in the archive")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("export: give --out DIR")
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	key, err := db.Secret(ctx, "pseudonym_key")
	if err != nil {
		return err
	}
	path := filepath.Join(*out, "ouvert-opendata.zip")
	start := time.Now()
	if err := opendata.WriteFile(ctx, db, path, opendata.Options{Licence: *licence, LicenceURL: *licenceURL, BaseURL: *baseURL, PseudonymKey: key}); err != nil {
		return err
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		dst, err := os.Create(filepath.Join(*out, filepath.Base(f.Name)))
		if err != nil {
			rc.Close()
			return err
		}
		_, err = io.Copy(dst, rc)
		rc.Close()
		if cerr := dst.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	fi, _ := os.Stat(path)
	fmt.Fprintf(stdout, "wrote %s (%d bytes) and its %d files in %.1fs\n", path, fi.Size(), len(zr.File), time.Since(start).Seconds())
	return nil
}

var passwordReasons = map[string]string{
	"password.too_short":      "it must be at least 12 characters long",
	"password.common":         "it is too common",
	"password.contains_email": "it contains the email address",
	"form.too_long":           "it is too long",
}

// env returns the environment variable's value, or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// envSecret is env, also reading NAME_FILE: the path of a file holding the value.
func envSecret(name, def string) string {
	if path := os.Getenv(name + "_FILE"); path != "" {
		if b, err := os.ReadFile(path); err == nil {
			return strings.TrimSpace(string(b))
		}
	}
	return env(name, def)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envBool(name string) bool {
	switch strings.ToLower(os.Getenv(name)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

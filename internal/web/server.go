// Package web serves Ouvert's pages: handlers (one file per entity and action), forms,
// middleware, and the templates and stylesheet embedded in the binary.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"ouvert/internal/auth"
	"ouvert/internal/i18n"
	"ouvert/internal/markdown"
	"ouvert/internal/ouvert"
	"ouvert/internal/ratelimit"
	"ouvert/internal/store"
)

// Config is what the web server needs to know beyond the database.
type Config struct {
	// BaseURL is the public address, used in links sent by mail. An https:// address also makes
	// cookies Secure on every request.
	BaseURL string
	// BehindProxy trusts X-Forwarded-For and X-Forwarded-Proto from a reverse proxy.
	BehindProxy bool
	// Password is argon2id's cost.
	Password auth.Params
	// SessionTTL is how long a log-in lasts.
	SessionTTL time.Duration
	// Limits are the per-client rate limits.
	Limits Limits
	// DataDir holds files the server writes: the open-data archive.
	DataDir string
	// Licence and LicenceURL are the open data's licence.
	Licence, LicenceURL string
	// NoPageCache turns off the one-second cache of anonymous pages (benchmarks that measure
	// rendering turn it off).
	NoPageCache bool
	// ContactMinDelay is the least time between showing the contact form and sending it; faster
	// senders are robots.
	ContactMinDelay time.Duration
}

// Limits sets how many of each action one client (IP address) may do: Burst at once, then one per Every.
type Limits struct {
	Signup, Login, Reset, Contact Limit
	// Per account: proposing, voting (and marking useful), arguing, reporting.
	Propose, Vote, Argue, Report Limit
	// API bounds anonymous callers of the public API, per address.
	API Limit
}

// Limit is one rate limit; a zero Burst means no limit.
type Limit struct {
	Burst int
	Every time.Duration
}

// DefaultConfig returns the settings of a production server at baseURL.
func DefaultConfig(baseURL string) Config {
	return Config{
		BaseURL:    strings.TrimRight(baseURL, "/"),
		Password:   auth.DefaultParams,
		SessionTTL: 30 * 24 * time.Hour,
		Limits: Limits{
			Signup:  Limit{Burst: 5, Every: 12 * time.Minute},
			Login:   Limit{Burst: 10, Every: time.Minute},
			Reset:   Limit{Burst: 5, Every: 12 * time.Minute},
			Contact: Limit{Burst: 3, Every: 20 * time.Minute},
			Propose: Limit{Burst: 10, Every: 6 * time.Minute},
			Vote:    Limit{Burst: 200, Every: time.Second},
			Argue:   Limit{Burst: 20, Every: time.Minute},
			Report:  Limit{Burst: 20, Every: 3 * time.Minute},
			API:     Limit{Burst: 300, Every: 100 * time.Millisecond},
			// Contact also bounds organisers writing to their registrants, per account.
		},
		ContactMinDelay: 3 * time.Second,
		DataDir:         "data",
		Licence:         "Licence Ouverte 2.0",
		LicenceURL:      "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
	}
}

// Server serves Ouvert over HTTP.
type Server struct {
	cfg      Config
	db       *store.DB
	log      *slog.Logger
	cat      *i18n.Catalog
	md       *markdown.Renderer
	tmpl     *templates
	metrics  *metrics
	limits   map[string]*ratelimit.Limiter
	formKey  []byte
	mailPoke func()
	handler  http.Handler
	cached   atomic.Pointer[cachedProcess]
	hidden   atomic.Pointer[cachedCounts]
	pages    *pageCache
	// dashboard keeps the dashboard's figures for some minutes.
	stats dashboardCache
	// grouping runs the grouping of contributions and places new ones.
	grouping grouping
	// fragments keeps parts of the events list that depend on little (events_geo.go).
	fragments fragments
	// bodies keeps the rendered bodies of the plans' public pages.
	bodies bodyCache
}

// cachedProcess is the current process as read at a moment. Every page shows the process, so it
// is read once a second at most rather than once a request; an organiser's change reaches every
// instance within that second.
type cachedProcess struct {
	p  *ouvert.Process
	at time.Time
}

const processTTL = time.Second

// process returns the current process, ENOTFOUND when there is none.
func (s *Server) process(ctx context.Context) (*ouvert.Process, error) {
	if c := s.cached.Load(); c != nil && time.Since(c.at) < processTTL {
		if c.p == nil {
			return nil, errNotFound
		}
		return c.p, nil
	}
	p, err := s.db.CurrentProcess(ctx)
	if err != nil && ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		return nil, err
	}
	s.cached.Store(&cachedProcess{p: p, at: time.Now()})
	if p == nil {
		return nil, errNotFound
	}
	return p, nil
}

// ForgetProcess drops what the server keeps of the current process, so that a change made in
// the database directly (by another instance, a command or a test) is seen at once.
func (s *Server) ForgetProcess() { s.forgetProcess() }

// forgetProcess drops the cached process, hidden counts and anonymous pages after a change that
// readers must see at once (a publication, a moderation decision). Votes and arguments are seen
// within the second.
func (s *Server) forgetProcess() {
	s.cached.Store(nil)
	s.hidden.Store(nil)
	s.pages.clear()
}

type cachedCounts struct {
	processID int64
	counts    map[string]int
	at        time.Time
}

// hiddenCounts returns how much moderation hid in a process, read once a second at most: every
// list page shows it.
func (s *Server) hiddenCounts(ctx context.Context, processID int64) (map[string]int, error) {
	if c := s.hidden.Load(); c != nil && c.processID == processID && time.Since(c.at) < processTTL {
		return c.counts, nil
	}
	counts, err := s.db.HiddenCounts(ctx, processID)
	if err != nil {
		return nil, err
	}
	s.hidden.Store(&cachedCounts{processID: processID, counts: counts, at: time.Now()})
	return counts, nil
}

// New builds a server. mailPoke, if not nil, is called after a request queues mail, so that the
// sender does not wait for its next round.
func New(ctx context.Context, cfg Config, db *store.DB, log *slog.Logger, mailPoke func()) (*Server, error) {
	if _, err := url.Parse(cfg.BaseURL); err != nil || cfg.BaseURL == "" {
		return nil, fmt.Errorf("web: base URL %q: want an absolute http(s) address", cfg.BaseURL)
	}
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	key, err := db.Secret(ctx, "form_key")
	if err != nil {
		return nil, err
	}
	if mailPoke == nil {
		mailPoke = func() {}
	}
	s := &Server{
		cfg: cfg, db: db, log: log, cat: cat, md: markdown.New(), tmpl: tmpl,
		metrics: newMetrics(), formKey: key, mailPoke: mailPoke, pages: newPageCache(),
		limits: map[string]*ratelimit.Limiter{
			"signup":  ratelimit.New(cfg.Limits.Signup.Burst, cfg.Limits.Signup.Every),
			"login":   ratelimit.New(cfg.Limits.Login.Burst, cfg.Limits.Login.Every),
			"reset":   ratelimit.New(cfg.Limits.Reset.Burst, cfg.Limits.Reset.Every),
			"contact": ratelimit.New(cfg.Limits.Contact.Burst, cfg.Limits.Contact.Every),
			"propose": ratelimit.New(cfg.Limits.Propose.Burst, cfg.Limits.Propose.Every),
			"vote":    ratelimit.New(cfg.Limits.Vote.Burst, cfg.Limits.Vote.Every),
			"argue":   ratelimit.New(cfg.Limits.Argue.Burst, cfg.Limits.Argue.Every),
			"report":  ratelimit.New(cfg.Limits.Report.Burst, cfg.Limits.Report.Every),
			"api":     ratelimit.New(cfg.Limits.API.Burst, cfg.Limits.API.Every),
		},
	}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	h := func(pattern string, fn handlerFunc) { mux.Handle(pattern, s.handle(fn)) }

	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /metrics", s.metrics.serve(s.db))
	mux.Handle("GET /static/", staticHandler())

	h("GET /{$}", s.home)
	h("GET /comment-participer", s.participate)
	h("POST /langue", s.setLang)

	h("GET /inscription", s.signupForm)
	h("POST /inscription", s.signup)
	h("GET /confirmer", s.confirm)
	h("GET /connexion", s.loginForm)
	h("POST /connexion", s.login)
	h("POST /deconnexion", s.logout)
	h("GET /mot-de-passe-oublie", s.forgotForm)
	h("POST /mot-de-passe-oublie", s.forgot)
	h("GET /reinitialiser", s.resetForm)
	h("POST /reinitialiser", s.reset)

	h("GET /profil", s.profile)
	h("POST /profil", s.profileSave)
	h("POST /profil/organisations", s.organisationCreate)
	h("POST /profil/organisations/{id}/membres", s.organisationAddMember)
	h("POST /profil/organisations/{id}/quitter", s.organisationLeave)
	h("GET /profil/donnees", s.personalData)
	h("GET /profil/supprimer", s.deleteAccountForm)
	h("POST /profil/supprimer", s.deleteAccount)

	h("GET /contact", s.contactForm)
	h("POST /contact", s.contact)
	h("GET /pages/{slug}", s.pageShow)
	h("GET /pages/{slug}/modifier", s.pageEditForm)
	h("POST /pages/{slug}/modifier", s.pageEdit)

	h("GET /consultation", s.consultation)
	h("GET /contributions/nouvelle", s.proposeForm)
	h("POST /contributions/nouvelle", s.propose)
	h("GET /contributions/{id}", s.contributionShow)
	h("POST /contributions/{id}/vote", s.contributionVote)
	h("POST /contributions/{id}/suivre", s.contributionFollow)
	h("POST /contributions/{id}/retirer", s.contributionWithdraw)
	h("GET /contributions/{id}/modifier", s.contributionEditForm)
	h("POST /contributions/{id}/modifier", s.contributionEdit)
	h("POST /contributions/{id}/arguments", s.argumentCreate)
	h("GET /contributions/{id}/historique", s.contributionHistory)
	h("POST /contributions/{id}/reponse", s.contributionAnswer)
	h("GET /reponses", s.responses)
	h("GET /synthese", s.workspace)
	h("POST /synthese/reponses", s.workspaceAnswer)
	h("GET /synthese/groupes", s.groups)
	h("POST /synthese/groupes/fusion", s.groupsMerge)
	h("GET /synthese/groupes/{id}", s.group)
	h("POST /synthese/groupes/{id}/{action}", s.groupAction)
	h("POST /synthese/regrouper", s.regroupNow)
	h("GET /synthese/methode", s.method)
	h("GET /synthese/redaction", s.synthesisEdit)
	h("POST /synthese/redaction", s.synthesisSave)
	h("GET /tableau-de-bord", s.dashboard)
	h("GET /tableau-de-bord/{name}", s.dashboardCSV)
	h("GET /projets", s.drafts)
	h("GET /projets/nouveau", s.draftNewForm)
	h("POST /projets/nouveau", s.draftCreate)
	h("GET /projets/{id}", s.draftShow)
	h("GET /projets/{id}/modifier", s.draftEditForm)
	h("POST /projets/{id}/modifier", s.draftEdit)
	h("POST /projets/{id}/vote", s.draftVote)
	h("POST /projets/{id}/commentaires", s.draftComment)
	h("POST /projets/{id}/suivre", s.draftFollow)
	h("POST /projets/{id}/final", s.draftFinal)
	h("GET /projets/{id}/amender", s.amendForm)
	h("POST /projets/{id}/amender", s.amendCreate)
	h("GET /projets/{id}/amendements", s.amendments)
	h("GET /projets/{id}/versions", s.draftVersions)
	h("GET /projets/{id}/versions/{n}", s.draftVersions)
	h("GET /amendements/{id}", s.amendmentShow)
	h("POST /amendements/{id}/vote", s.amendmentVote)
	h("POST /amendements/{id}/commentaires", s.amendmentComment)
	h("POST /amendements/{id}/decision", s.amendmentDecide)
	h("GET /plans", s.plans)
	h("GET /plans/nouveau", s.planNewForm)
	h("POST /plans/nouveau", s.planCreate)
	h("GET /plans/{slug}", s.plan)
	h("GET /plans/{slug}/modifier", s.planEditForm)
	h("POST /plans/{slug}/modifier", s.planSettings)
	h("POST /plans/{slug}/projets", s.planAddDrafts)
	h("GET /plans/{slug}/engagements/nouveau", s.commitmentNewForm)
	h("POST /plans/{slug}/engagements", s.commitmentCreate)
	h("GET /plans/{slug}/imprimer", s.planPrint)
	h("GET /plans/{slug}/engagements.csv", s.planCSV)
	h("GET /plans/{slug}/import", s.planImportForm)
	h("POST /plans/{slug}/import", s.planImport)
	h("GET /engagements/{id}", s.commitment)
	h("POST /engagements/{id}/suivre", s.commitmentFollow)
	h("POST /engagements/{id}/avis", s.commitmentReview)
	h("POST /engagements/{id}/constats", s.commitmentFindings)
	h("POST /engagements/{id}/{what}", s.commitmentReport)
	h("GET /syntheses", s.syntheses)
	h("GET /syntheses/{id}", s.synthesisShow)
	h("GET /syntheses/{id}/versions/{n}", s.synthesisShow)
	h("POST /arguments/{id}/utile", s.argumentUseful)
	h("GET /arguments/{id}/historique", s.argumentHistory)
	h("GET /arguments/{id}/modifier", s.argumentEditForm)
	h("POST /arguments/{id}/modifier", s.argumentEdit)
	h("POST /signaler", s.report)
	h("GET /notifications", s.notifications)
	h("POST /notifications/resume", s.digestSetting)
	h("GET /moderation", s.moderation)
	h("POST /moderation/decision", s.moderationDecide)
	h("POST /moderation/comptes/{id}", s.moderationBlock)
	h("GET /evenements", s.events)
	h("GET /evenements.ics", s.eventsFeed)
	h("GET /evenements/nouveau", s.eventNewForm)
	h("POST /evenements/nouveau", s.eventCreate)
	h("GET /evenements/{id}", s.eventShow)
	h("GET /evenements/{id}/ics", s.eventICS)
	h("POST /evenements/{id}/inscription", s.eventRegister)
	h("POST /evenements/{id}/annulation", s.eventCancel)
	h("GET /evenements/{id}/inscriptions", s.eventRegistrations)
	h("GET /evenements/{id}/inscriptions.csv", s.eventRegistrations)
	h("POST /evenements/{id}/presences", s.eventAttendance)
	h("POST /evenements/{id}/inscriptions/{rid}/accepter", s.eventAccept)
	h("POST /evenements/{id}/message", s.eventContact)
	h("GET /evenements/{id}/restitution", s.eventResultsForm)
	h("POST /evenements/{id}/restitution", s.eventResults)
	h("GET /evenements/{id}/restitution/modele.csv", s.eventResultsTemplate)
	h("GET /evenements/{id}/fiche", s.eventSheet)
	h("GET /e/{id}", s.shortLink)
	h("GET /kit", s.kit)
	h("POST /kit", s.kitUpload)
	h("GET /kit/{id}/{name}", s.kitDownload)
	h("POST /kit/{id}/supprimer", s.kitDelete)
	h("POST /moderation/evenements/{id}", s.eventModerate)
	h("GET /admin/phases", s.adminPhases)
	h("POST /admin/phases/{id}", s.adminPhaseSave)

	h("GET /admin/comptes", s.adminUsers)
	h("POST /admin/comptes/{id}/role", s.adminSetRole)

	h("GET /opendata/{$}", s.openData)
	h("GET /opendata/{name}", s.openDataFile)
	h("POST /opendata/reconstruire", s.openDataRebuild)
	h("GET /api/v1/openapi.json", s.apiOpenAPI)
	h("GET /api/v1/processes", s.api(s.apiProcesses))
	h("GET /api/v1/processes/{slug}", s.api(s.apiProcess))
	h("GET /api/v1/processes/{slug}/statistics", s.api(s.apiStatistics))
	h("GET /api/v1/contributions", s.api(s.apiContributions))
	h("GET /api/v1/contributions/{id}", s.api(s.apiContribution))
	h("GET /api/v1/contributions/{id}/arguments", s.api(s.apiArguments))
	h("GET /api/v1/plans", s.api(s.apiPlans))
	h("GET /api/v1/plans/{slug}", s.api(s.apiPlan))
	h("GET /api/v1/commitments/{id}", s.api(s.apiCommitment))
	h("GET /api/v1/drafts", s.api(s.apiDrafts))
	h("GET /api/v1/drafts/{id}", s.api(s.apiDraft))
	h("GET /api/v1/syntheses", s.api(s.apiSyntheses))
	h("GET /api/v1/syntheses/{id}", s.api(s.apiSynthesis))
	h("GET /api/v1/events", s.api(s.apiEvents))
	h("GET /api/v1/events/{id}", s.api(s.apiEvent))
	h("/api/", s.api(func(w http.ResponseWriter, r *http.Request) (any, error) { return nil, errNotFound }))

	h("/", func(w http.ResponseWriter, r *http.Request) error { return errNotFound })

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, errCrossOrigin)
	}))
	var handler http.Handler = recordRoute(mux)
	handler = cop.Handler(handler)
	if !s.cfg.NoPageCache {
		handler = s.pages.middleware(handler)
	}
	handler = s.withSession(handler)
	handler = s.securityHeaders(handler)
	handler = s.recoverer(handler)
	handler = s.metrics.instrument(s.log, handler)
	return handler
}

// healthz answers 200 with the database's state when the database answers, 503 otherwise.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	version, err := s.db.SchemaVersion(ctx)
	if err == nil {
		err = s.db.Ping(ctx)
	}
	if err != nil {
		s.log.Error("healthz", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, `{"status":"unavailable","database":%q}`+"\n", s.db.Kind())
		return
	}
	fmt.Fprintf(w, `{"status":"ok","database":%q,"schema_version":%d}`+"\n", s.db.Kind(), version)
}

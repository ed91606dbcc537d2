package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"ouvert/internal/auth"
	"ouvert/internal/demo"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
	"ouvert/internal/web"
)

var cheap = auth.Params{Memory: 1024, Time: 1, Threads: 1}

const goodPassword = "cheval batterie agrafe 2017"

type app struct {
	t   *testing.T
	db  *store.DB
	srv *httptest.Server
	web *web.Server
}

func (a *app) srvDigests() (int, error) { return a.web.SendDigests(context.Background()) }

// newApp serves the demo process on a fresh database with the given config changes.
func newApp(t *testing.T, tweak ...func(*web.Config)) *app {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t)
	if _, err := demo.Load(ctx, db, demo.DefaultStart(time.Now())); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	cfg := web.DefaultConfig("http://" + srv.Listener.Addr().String())
	cfg.Password = cheap
	cfg.DataDir = t.TempDir()
	cfg.ContactMinDelay = 0
	cfg.Limits.Signup.Burst, cfg.Limits.Login.Burst, cfg.Limits.Reset.Burst, cfg.Limits.Contact.Burst = 1000, 1000, 1000, 1000
	for _, f := range tweak {
		f(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := web.New(ctx, cfg, db, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = s
	srv.Start()
	t.Cleanup(srv.Close)
	return &app{t: t, db: db, srv: srv, web: s}
}

// client is a browser-like client: it keeps cookies and does not follow redirects, so that tests
// see them.
type client struct {
	a    *app
	http *http.Client
	lang string
}

func (a *app) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{a: a, lang: "fr", http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type response struct {
	Status   int
	Body     string
	Header   http.Header
	Location string
}

func (c *client) do(req *http.Request) response {
	c.a.t.Helper()
	if req.Header.Get("Accept-Language") == "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Body: string(b), Header: res.Header, Location: res.Header.Get("Location")}
}

func (c *client) get(path string) response {
	c.a.t.Helper()
	req, _ := http.NewRequest("GET", c.a.srv.URL+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	c.a.t.Helper()
	req, _ := http.NewRequest("POST", c.a.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.a.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// user creates a confirmed account with a role and returns a client signed in as it.
func (a *app) user(email string, role ouvert.Role) (*client, *ouvert.User) {
	a.t.Helper()
	hash, _ := auth.Hash(goodPassword, cheap)
	now := time.Now()
	u := &ouvert.User{Email: email, PasswordHash: hash, DisplayName: strings.Split(email, "@")[0], Role: role, ConfirmedAt: &now, Digest: true}
	if role == ouvert.RoleAdministration {
		u.Administration = "Ministère de la Culture"
	}
	if err := a.db.CreateUser(context.Background(), u); err != nil {
		a.t.Fatal(err)
	}
	c := a.client()
	res := c.post("/connexion", url.Values{"email": {email}, "password": {goodPassword}})
	if res.Status != http.StatusSeeOther {
		a.t.Fatalf("log in as %s: status %d\n%s", email, res.Status, res.Body)
	}
	return c, u
}

var linkRE = regexp.MustCompile(`https?://\S+`)

// mailLink returns the first link of the newest mail to an address.
func (a *app) mailLink(to string) string {
	a.t.Helper()
	msgs, err := a.db.MailTo(context.Background(), to)
	if err != nil || len(msgs) == 0 {
		a.t.Fatalf("no mail to %s (%v)", to, err)
	}
	link := linkRE.FindString(msgs[0].Body)
	if link == "" {
		a.t.Fatalf("no link in mail to %s:\n%s", to, msgs[0].Body)
	}
	return strings.TrimPrefix(link, a.srv.URL)
}

func contains(t *testing.T, res response, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(res.Body, w) {
			t.Errorf("page (status %d) lacks %q", res.Status, w)
		}
	}
}

func lacks(t *testing.T, res response, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(res.Body, w) {
			t.Errorf("page (status %d) contains %q", res.Status, w)
		}
	}
}

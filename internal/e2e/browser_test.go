package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// actionTimeout bounds each step of a test: a page that never shows what a test waits for
// fails the test rather than hanging it.
const actionTimeout = 15 * time.Second

// The tests share one Chromium process, started by the first test that needs it; each test
// works in a tab of its own browser context (its own cookies), so tests do not see each other.
var shared struct {
	once       sync.Once
	ctx        context.Context // a chromedp context whose browser runs
	cancel     func()          // stops the browser
	stopAlloc  func()          // waits for the process to end
	userData   string          // the profile directory, removed at the end
	skipReason string          // set when there is no browser to run
	err        error           // set when the browser would not start
}

// chromiumPath returns the browser to drive: OUVERT_CHROMIUM, or Debian's chromium.
func chromiumPath() string {
	if p := os.Getenv("OUVERT_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

func startBrowser() {
	path := chromiumPath()
	if _, err := exec.LookPath(path); err != nil {
		shared.skipReason = fmt.Sprintf("no Chromium at %s (set OUVERT_CHROMIUM): %v", path, err)
		return
	}
	dir, err := os.MkdirTemp("", "ouvert-e2e-chromium-")
	if err != nil {
		shared.err = err
		return
	}
	shared.userData = dir
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 1024),
	)
	allocCtx, stopAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	// The first Run starts the process; its context (no deadline) is the browser's lifetime.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		stopAlloc()
		shared.err = fmt.Errorf("start %s: %w", path, err)
		return
	}
	shared.ctx, shared.cancel, shared.stopAlloc = ctx, cancel, stopAlloc
}

// stopBrowser ends the shared browser, if one was started, and removes its profile.
func stopBrowser() {
	if shared.cancel != nil {
		shared.cancel()
		shared.stopAlloc()
	}
	if shared.userData != "" {
		os.RemoveAll(shared.userData)
	}
}

// browser returns the shared browser's context, starting it the first time. Without Chromium
// the test skips, or fails when OUVERT_BROWSER_REQUIRED=1.
func browser(t *testing.T) context.Context {
	t.Helper()
	shared.once.Do(startBrowser)
	required := os.Getenv("OUVERT_BROWSER_REQUIRED") == "1"
	switch {
	case shared.skipReason != "" && required:
		t.Fatalf("OUVERT_BROWSER_REQUIRED=1 but %s", shared.skipReason)
	case shared.skipReason != "":
		t.Skip(shared.skipReason)
	case shared.err != nil:
		t.Fatal(shared.err)
	}
	return shared.ctx
}

// tab is one browser tab looking at the app, in a browser context of its own: a person on
// their own computer. Its methods fail the test t on error.
type tab struct {
	t   testing.TB
	ctx context.Context
	app *app
}

// The Accept-Language headers of browsers set to French, the site's first language, and to
// English.
const (
	frenchBrowser  = "fr-FR,fr;q=0.9"
	englishBrowser = "en-GB,en;q=0.9"
)

// newTab opens a tab whose browser sends acceptLanguage as its Accept-Language. The tab
// bypasses the pages' Content-Security-Policy, so that the tests can run axe-core in them.
func newTab(t *testing.T, a *app, acceptLanguage string) *tab {
	t.Helper()
	return openTab(t, a, browser(t), acceptLanguage, chromedp.WithNewBrowserContext())
}

// besideTab opens another tab in the same browser context as b: the same person, with the same
// cookies, looking at two pages at once.
func (b *tab) besideTab(t *testing.T, acceptLanguage string) *tab {
	t.Helper()
	return openTab(t, b.app, b.ctx, acceptLanguage)
}

// openTab opens a tab from parent, a browser's or a tab's context, as newTab describes.
func openTab(t *testing.T, a *app, parent context.Context, acceptLanguage string, opts ...chromedp.ContextOption) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(parent, opts...)
	t.Cleanup(cancel)
	b := &tab{t: t, ctx: ctx, app: a}
	// The first Do opens the tab; like the browser's, its context has no deadline.
	if err := chromedp.Do(ctx,
		call(page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true}),
		call(network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"Accept-Language": acceptLanguage},
		}),
		// Tabs run side by side: each must behave as the focused window for Tab and focus.
		call(emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}),
	); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return b
}

// call makes an action of a protocol command whose result does not matter.
func call[P, R any](cmd cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cmd, params)
		return err
	})
}

// as returns the tab reporting to t, for a subtest.
func (b *tab) as(t testing.TB) *tab {
	c := *b
	c.t = t
	return &c
}

// run runs the action with a deadline and fails the test, saying what it was doing, on error.
func run[T any](b *tab, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s (on %s): %v", what, b.location(), err)
	}
	return v
}

// do runs steps that return nothing.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	run(b, what, chromedp.Steps(steps...))
}

// open loads the app's page at path and returns its HTTP status.
func (b *tab) open(path string) int64 {
	b.t.Helper()
	return b.openURL(b.app.URL + path)
}

// openURL loads the address, as if typed in the address bar or followed from a mail, and
// returns the HTTP status of the page it ends on.
func (b *tab) openURL(url string) int64 {
	b.t.Helper()
	resp := run(b, "open "+url, chromedp.NavigateResponse(url))
	if resp == nil {
		b.t.Fatalf("open %s: no response", url)
	}
	return resp.Status
}

// navigate does what a person does to leave the page (click a link or a button, press Enter
// in a form) and waits for the next page; it returns that page's HTTP status.
func (b *tab) navigate(what string, steps ...chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		b.t.Fatalf("%s (from %s): %v", what, b.location(), err)
	}
	if resp == nil {
		b.t.Fatalf("%s: no response", what)
	}
	return resp.Status
}

// click clicks the element and waits for the page it leads to.
func (b *tab) click(sel string) int64 {
	b.t.Helper()
	return b.navigate("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// typeInto types text into the field, key by key.
func (b *tab) typeInto(sel, text string) {
	b.t.Helper()
	b.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// text returns the text of the first element matching sel, as shown, once it is visible.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(run(b, "read "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible)))
}

// value returns the current value of a form field.
func (b *tab) value(sel string) string {
	b.t.Helper()
	return run(b, "read the value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// attr returns an attribute of the first element matching sel, and whether it has it.
func (b *tab) attr(sel, name string) (string, bool) {
	b.t.Helper()
	r := run(b, "read "+sel+"["+name+"]", chromedp.AttributeValue(chromedp.CSS(sel), name))
	return r.Value, r.Exists
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	return run(b, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// waitFor waits until the JavaScript condition holds in the page, and reports whether it
// came true within a few seconds.
func (b *tab) waitFor(cond string) bool {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(5*time.Second)))
	switch {
	case errors.Is(err, chromedp.ErrPollingTimeout):
		return false
	case err != nil:
		b.t.Fatalf("wait for %s (on %s): %v", cond, b.location(), err)
	}
	return true
}

// exists reports whether an element matches sel now, without waiting.
func (b *tab) exists(sel string) bool {
	b.t.Helper()
	return eval[bool](b, fmt.Sprintf("document.querySelector(%q) !== null", sel))
}

// checked reports whether a checkbox or radio button is ticked.
func (b *tab) checked(sel string) bool {
	b.t.Helper()
	return run(b, "read whether "+sel+" is checked", chromedp.JavascriptAttribute[bool](chromedp.CSS(sel), "checked"))
}

// path returns the path of the page shown.
func (b *tab) path() string {
	b.t.Helper()
	return eval[string](b, "location.pathname")
}

// lang returns the language the page declares on <html>.
func (b *tab) lang() string {
	b.t.Helper()
	return eval[string](b, "document.documentElement.lang")
}

// location returns the address shown, for error messages; it never fails the test.
func (b *tab) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Evaluate[string]("location.href"))
	if err != nil {
		return "?"
	}
	return strings.TrimPrefix(loc, b.app.URL)
}

// wantText fails the test unless the element's visible text contains want.
func (b *tab) wantText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.t.Errorf("on %s, %s says %q; want it to contain %q", b.location(), sel, got, want)
	}
}

// wantPath fails the test unless the tab shows the path.
func (b *tab) wantPath(want string) {
	b.t.Helper()
	if got := b.path(); got != want {
		b.t.Fatalf("the browser is on %s; want %s", got, want)
	}
}

// logIn logs in through the log-in form and waits for the page it leads to.
func (b *tab) logIn(acc account) {
	b.t.Helper()
	b.open("/connexion")
	b.typeInto("#email", acc.Email)
	b.typeInto("#password", acc.Password)
	b.click("main form button[type=submit]")
	if !b.exists(`header a[href="/profil"]`) {
		b.t.Fatalf("logged in as %s, but the header has no link to the profile (on %s)", acc.Email, b.location())
	}
}

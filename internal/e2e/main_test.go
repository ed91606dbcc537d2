// Package e2e holds Ouvert's browser tests: the real app, served in-process on a fresh database
// with the demo process loaded, driven through headless Chromium as a person would use it
// (typing, clicking, pressing Tab), and checked with axe-core for accessibility.
//
// The tests need Chromium: OUVERT_CHROMIUM names it (default /usr/bin/chromium). Without it they
// skip, unless OUVERT_BROWSER_REQUIRED=1, when they fail. They run on SQLite, or on PostgreSQL
// when OUVERT_TEST_DATABASE is set (see internal/store/storetest).
package e2e

import (
	"os"
	"testing"
)

// TestMain stops the browser that the tests share, once they are done.
func TestMain(m *testing.M) {
	code := m.Run()
	stopBrowser()
	os.Exit(code)
}

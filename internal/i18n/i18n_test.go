package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestCataloguesAgree(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	// Every key used in the code and templates exists.
	used := map[string]bool{}
	re := regexp.MustCompile(`"((?:nav|home|phase|event|empty|participate|category|role|form|password|signup|confirm|login|forgot|reset|profile|org|delete|contact|page|admin|flash|error|mail|date|demo|footer|token|process|consultation|propose|contribution|argument|arguments|vote|votes|follow|report|reason|moderation|notifications|notification|pager|sort|origin|stance|target|action|flash|history)\.[a-z0-9_.\-]+)"`)
	filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".html")) {
			return nil
		}
		b, _ := os.ReadFile(path)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return nil
	})
	if len(used) < 50 {
		t.Fatalf("found only %d keys in the code: the scan is broken", len(used))
	}
	for k := range used {
		if strings.HasSuffix(k, ".") || strings.HasSuffix(k, "_") || strings.HasSuffix(k, ".csv") || strings.HasPrefix(k, "error.title.") || strings.HasPrefix(k, "phase.status.") {
			continue // built from a prefix at run time
		}
		_, one := c.msgs["fr"][k+".one"]
		if !c.Has(k) && !one && !c.Has(k+".subject") {
			t.Errorf("key %q is used but missing from the catalogues", k)
		}
	}
	for _, k := range []string{"phase.status.past", "phase.status.current", "phase.status.future", "error.title.404", "error.title.500"} {
		if !c.Has(k) {
			t.Errorf("key %q is missing", k)
		}
	}
}

func TestMatch(t *testing.T) {
	for header, want := range map[string]string{
		"":                       "fr",
		"en-GB,en;q=0.9":         "en",
		"fr-CA":                  "fr",
		"de-DE,en;q=0.5":         "en",
		"de-DE":                  "fr",
		"en;q=0.2, fr;q=0.9":     "fr",
		"*":                      "fr",
		"garbage;;;q=x":          "fr",
		"en-US,en;q=0.9,fr;q=.8": "en",
	} {
		if got := Match(header); got != want {
			t.Errorf("Match(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestFormats(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	fr, en := c.Locale("fr", paris), c.Locale("en", paris)
	at := time.Date(2017, 3, 1, 16, 15, 0, 0, paris)
	if got := fr.Date(at); got != "1er mars 2017" {
		t.Errorf("fr date = %q", got)
	}
	if got := en.Date(at); got != "1 March 2017" {
		t.Errorf("en date = %q", got)
	}
	if got := fr.Time(at); got != "16h15" {
		t.Errorf("fr time = %q", got)
	}
	if got := en.Time(at); got != "4:15 pm" {
		t.Errorf("en time = %q", got)
	}
	if got := fr.Number(1930000); got != "1\u202f930\u202f000" {
		t.Errorf("fr number = %q", got)
	}
	if got := en.Number(1930000); got != "1,930,000" {
		t.Errorf("en number = %q", got)
	}
	if got := fr.N("org.members", 1); got != "1 membre" {
		t.Errorf("fr plural = %q", got)
	}
	if got := en.N("org.members", 2); got != "2 members" {
		t.Errorf("en plural = %q", got)
	}
	if got := fr.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key shows %q", got)
	}
}

package textsearch

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func hostileInputs() []string {
	return []string{
		``, ` `, `"`, `""`, `"unbalanced`, `*`, `inclu*`, `OR`, `or`, `AND`, `NOT`,
		`NEAR(a b)`, `NEAR("a" "b", 5)`, `a AND`, `a OR OR b`, `-`, `-citoyen`, `^`, `^citoyen`,
		`:`, `col:val`, `()`, `(((`, `{a b}`, `+`, `&`, `|`, `!`, `<->`, `a & b | !c`, `:*`,
		`\`, `'`, `''`, `😀`, `😀citoyen😀`, `'; DROP TABLE x; --`, `"; DELETE FROM t; --`,
		`\x00`, "\x00", "\xff\xfe", "ville\xffcitoyenne", "\u200b", "\u0301", "e\u0301",
		`<script>alert(1)</script>`, `&lt;`, "tab\there\nnewline",
		strings.Repeat("a", 10000), strings.Repeat("é ", 5000), strings.Repeat(`"OR" `, 2000),
		strings.Repeat("mot", 3334),
	}
}

var renderedPattern = regexp.MustCompile(`^(?:[a-z0-9"&| ]|OR)*$`)

// checkQuery asserts what callers rely on to build SQL from any input.
func checkQuery(t *testing.T, input string) {
	t.Helper()
	q := ParseQuery(input)
	name := input
	if len(name) > 40 {
		name = name[:40] + "…"
	}
	if len(q.Terms) > 12 {
		t.Errorf("ParseQuery(%q): %d terms, want at most 12", name, len(q.Terms))
	}
	for i, term := range q.Terms {
		if !termPattern.MatchString(term) {
			t.Errorf("ParseQuery(%q): term %q, want [a-z0-9]{2,40}", name, term)
		}
		if slices.Contains(q.Terms[:i], term) {
			t.Errorf("ParseQuery(%q): duplicate term %q", name, term)
		}
	}
	if q.Empty() != (len(q.Terms) == 0) {
		t.Errorf("ParseQuery(%q).Empty() = %v with %d terms", name, q.Empty(), len(q.Terms))
	}
	for _, r := range []struct{ method, s string }{
		{"FTS5", q.FTS5()}, {"TSQuery", q.TSQuery()},
	} {
		if !renderedPattern.MatchString(r.s) {
			t.Errorf("ParseQuery(%q).%s() = %q, want only quotes, spaces, [a-z0-9], &, | and OR", name, r.method, r.s)
		}
		if q.Empty() != (r.s == "") {
			t.Errorf("ParseQuery(%q).%s() = %q, empty query %v", name, r.method, r.s, q.Empty())
		}
	}
	if !utf8.ValidString(q.FTS5()) {
		t.Errorf("ParseQuery(%q).FTS5() is not valid UTF-8", name)
	}
}

func TestParseQueryHostile(t *testing.T) {
	for _, in := range hostileInputs() {
		checkQuery(t, in)
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{`"`, nil},
		{"OR AND NOT NEAR", nil},
		{`NEAR(a b)`, nil},
		{"citoyennes", []string{"citoyen"}},
		{`"participation citoyenne" OR inclusion`, []string{"particip", "citoyen", "inclus"}},
		{"inclu*", []string{"inclu"}},
		{"-citoyen ^budget col:vélos", []string{"citoyen", "budget", "col", "velos"}},
		{"citoyen citoyens citoyenne citoyennes", []string{"citoyen"}},
		{"l'accès aux données", []string{"acce", "don"}},
		{`'; DROP TABLE x; --`, []string{"drop", "tabl"}},
		{"😀citoyen😀", []string{"citoyen"}},
		{"ville\xffcitoyenne", []string{"vill", "citoyen"}},
		{strings.Repeat("a", 10000), []string{strings.Repeat("a", 40)}},
		{"un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze",
			[]string{"deux", "trois", "quatr", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douz", "treiz"}},
	}
	for _, tt := range tests {
		got := ParseQuery(tt.in).Terms
		if !slices.Equal(got, tt.want) {
			t.Errorf("ParseQuery(%.40q).Terms = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestQueryRender(t *testing.T) {
	tests := []struct {
		q             Query
		fts5, tsQuery string
		empty         bool
	}{
		{Query{}, "", "", true},
		{Query{Terms: []string{"inclus"}}, `"inclus"`, "inclus", false},
		{Query{Terms: []string{"inclus", "public"}}, `"inclus" "public"`, "inclus & public", false},
		// Terms is exported: anything not [a-z0-9] is skipped, not rendered.
		{Query{Terms: []string{`x" OR y`, "inclus", "", "a:*", "Public"}}, `"inclus"`, "inclus", false},
		{Query{Terms: []string{`"`, "&"}}, "", "", true},
	}
	for _, tt := range tests {
		if got := tt.q.FTS5(); got != tt.fts5 {
			t.Errorf("%q.FTS5() = %q, want %q", tt.q.Terms, got, tt.fts5)
		}
		if got := tt.q.TSQuery(); got != tt.tsQuery {
			t.Errorf("%q.TSQuery() = %q, want %q", tt.q.Terms, got, tt.tsQuery)
		}
		if got := tt.q.Empty(); got != tt.empty {
			t.Errorf("%q.Empty() = %v, want %v", tt.q.Terms, got, tt.empty)
		}
	}
}

// TestQueryFindsDocument checks the contract between ParseQuery and
// Document: every term of a query typed without accents, in another
// number, is in the indexed document.
func TestQueryFindsDocument(t *testing.T) {
	doc := strings.Fields(Document("Pour des données ouvertes",
		"L'accès aux données publiques et l'inclusion des citoyennes et citoyens dans l'Éducation."))
	for _, in := range []string{"donnee ouverte", "DONNÉES", "acces", "education citoyen", "citoyennes inclusion", "publique"} {
		for _, term := range ParseQuery(in).Terms {
			if !slices.Contains(doc, term) {
				t.Errorf("query %q: term %q not in document %q", in, term, doc)
			}
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, in := range hostileInputs() {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, input string) {
		checkQuery(t, input)
	})
}

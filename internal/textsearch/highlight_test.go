package textsearch

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"
)

const longText = "Nous proposons que la ville organise chaque année des assemblées de quartier ouvertes à tous " +
	"les habitants, avec un budget participatif dédié aux projets écologiques et des assemblées citoyennes " +
	"tirées au sort pour débattre des grandes orientations de la politique municipale, notamment en " +
	"matière de transport et de logement."

func TestHighlight(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		query    string
		maxRunes int
		want     string
	}{
		{"escapes and marks", `Des assemblées citoyennes <script>alert("x")</script> & co`, "citoyen", 0,
			`Des assemblées <mark>citoyennes</mark> &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co`},
		{"every match marked", "Citoyen, citoyens, citoyenne : citoyennes !", "citoyennes", 0,
			"<mark>Citoyen</mark>, <mark>citoyens</mark>, <mark>citoyenne</mark> : <mark>citoyennes</mark> !"},
		{"accents ignored", "L'Éducation populaire", "education", 0,
			"L&#39;<mark>Éducation</mark> populaire"},
		{"elision marks the word only", "l'inclusion", "inclusion", 0,
			"l&#39;<mark>inclusion</mark>"},
		{"several query terms", "Des pistes cyclables sécurisées", "piste securisee", 0,
			"Des <mark>pistes</mark> cyclables <mark>sécurisées</mark>"},
		{"stop words not marked", "la ville et la mairie", "la ville", 0,
			"la <mark>ville</mark> et la mairie"},
		{"short text unchanged", "Plus de vélos", "vélos", 20, "Plus de <mark>vélos</mark>"},
		{"no match: start, cut on a word", longText, "rien", 40,
			"Nous proposons que la ville organise…"},
		{"empty query: start", longText, "", 40,
			"Nous proposons que la ville organise…"},
		{"match in the middle", longText, "citoyen", 40,
			"…assemblées <mark>citoyennes</mark> tirées au sort…"},
		{"match at the end uses the budget before it", longText, "logements", 40,
			"…en matière de transport et de <mark>logement</mark>."},
		{"match at the start", longText, "proposons", 30,
			"Nous <mark>proposons</mark> que la ville…"},
		{"only the first match is anchored", longText, "assemblée", 40,
			"…année des <mark>assemblées</mark> de quartier…"},
		{"long match still shown", longText, "logement", 10, "…<mark>logement</mark>."},
		{"word longer than the budget is cut", longText, "citoyen", 8, "…<mark>citoye</mark>…"},
		{"tiny budget", longText, "citoyen", 2, "N…"},
		{"budget of one", longText, "citoyen", 1, "…"},
		{"escaping counts as one rune", "<<<<<<<<<< citoyen", "citoyen", 9, "…<mark>citoyen</mark>"},
		{"invalid utf-8 replaced", "citoyen\xff!", "citoyen", 0, "<mark>citoyen</mark>\uFFFD!"},
		{"empty text", "", "citoyen", 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Highlight(tt.text, ParseQuery(tt.query), tt.maxRunes))
			if got != tt.want {
				t.Errorf("Highlight(%.30q, %q, %d) =\n%q\nwant\n%q", tt.text, tt.query, tt.maxRunes, got, tt.want)
			}
			checkHighlight(t, tt.text, tt.maxRunes, got)
		})
	}
}

// checkHighlight asserts the safety and size properties of an extract.
func checkHighlight(t *testing.T, text string, maxRunes int, got string) {
	t.Helper()
	if !utf8.ValidString(got) {
		t.Fatalf("Highlight(%.30q) is not valid UTF-8: %q", text, got)
	}
	if strings.Count(got, "<mark>") != strings.Count(got, "</mark>") {
		t.Errorf("Highlight(%.30q) = %q: unbalanced marks", text, got)
	}
	plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got)
	if strings.ContainsAny(plain, `<>"'`) {
		t.Errorf("Highlight(%.30q) = %q: unescaped markup", text, got)
	}
	visible := html.UnescapeString(plain)
	if n := utf8.RuneCountInString(visible); maxRunes > 0 && n > maxRunes {
		t.Errorf("Highlight(%.30q, %d) = %q: %d runes", text, maxRunes, got, n)
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(visible, ellipsis), ellipsis)
	if !strings.Contains(strings.ToValidUTF8(text, "\uFFFD"), inner) {
		t.Errorf("Highlight(%.30q) = %q: %q is not an extract of the text", text, got, inner)
	}
}

func FuzzHighlight(f *testing.F) {
	f.Add(longText, "citoyen", 40)
	f.Add("<<<<<<<<<< citoyen", "citoyen", 9)
	f.Add("a\xffb citoyens", "citoyen", 3)
	f.Add("…citoyen…", "citoyen", 5)
	f.Fuzz(func(t *testing.T, text, query string, maxRunes int) {
		maxRunes %= 200
		checkHighlight(t, text, maxRunes, string(Highlight(text, ParseQuery(query), maxRunes)))
	})
}

func BenchmarkHighlight(b *testing.B) {
	text := strings.Repeat(benchParagraph+" ", 5) // 5,000 runes, no match
	q := ParseQuery("tramway gratuit")
	b.ReportAllocs()
	for b.Loop() {
		Highlight(text, q, 200)
	}
}

// TestStemKeepsPrefix checks that a term starts with the first two bytes
// of its token, on words where it holds (see mustBegin for the exception).
func TestStemKeepsPrefix(t *testing.T) {
	vocabulary := benchParagraph + longText + `
		baux eaux aux oeil yeux ayant aient ouïe aïeul haie yaourt iode ion ions
		usage usure user usine ution usion ence ences ance ances ement ements
		agrée agréées emmené eue eues ée ées être étés ouïes paire parent colle
		tapis abbaye euro euros oies oie aérien aérienne aériennes aéroport
		logique logiques logie logies amicalement évidemment couramment
		intérêts efficacité eux ennuyeux heureuse heureuses ils iront issent
		l'inclusion des citoyennes et citoyens, participations, données ouvertes,
		The workers should be paid a livable wage; businesses, employees, committees.
		` + strings.Join(snowballStopWords, " ")
	for _, word := range strings.FieldsFunc(vocabulary, func(r rune) bool { return !isWordRune(r) }) {
		for tok, rest := nextToken(fold(word)); tok != ""; tok, rest = nextToken(rest) {
			term, ok := term(tok)
			if ok && !strings.HasPrefix(term, tok[:2]) {
				t.Errorf("token %q gives term %q: the first two bytes changed", tok, term)
			}
		}
	}
}

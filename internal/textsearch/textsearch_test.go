package textsearch

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kljensen/snowball/french"
)

var termPattern = regexp.MustCompile(`^[a-z0-9]{2,40}$`)

func checkTerms(t *testing.T, input string, terms []string) {
	t.Helper()
	for _, term := range terms {
		if !termPattern.MatchString(term) {
			t.Errorf("Terms(%.40q) contains %q, want [a-z0-9]{2,40}", input, term)
		}
	}
}

func TestTerms(t *testing.T) {
	long := strings.Repeat("abcdefghij", 10)
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"only stop words", "Il y a de la place pour tous et pour toutes.", []string{"plac"}},
		{"elision", "l'accès aux données", []string{"acce", "don"}},
		{"typographic apostrophe", "l’accès aux données", []string{"acce", "don"}},
		{"qu and n elision", "qu'il n'y ait plus d'accès", []string{"acce"}},
		{"hyphen splits", "Saint-Étienne", []string{"saint", "etien"}},
		{"plural and feminine", "participations citoyennes", []string{"particip", "citoyen"}},
		{"order and duplicates kept", "vélo, vélo et transports", []string{"velo", "velo", "transport"}},
		{"digits kept, single runes dropped", "Budget 2024 : 3 projets, 10 000 euros", []string{"budget", "2024", "projet", "10", "000", "euros"}},
		{"mixed letters and digits", "covid19 et 1er mai", []string{"covid19", "1er", "mai"}},
		{"english stop words", "The workers should be paid a livable wage", []string{"worker", "paid", "livabl", "wag"}},
		{"english contraction", "Businesses shouldn't pay", []string{"business", "pay"}},
		{"operators are stop words", "NEAR(a b) OR c AND NOT d", nil},
		{"non-latin scripts and emoji give nothing", "Москва 東京 😀 ✊🏽", nil},
		{"ligatures and special letters", "cœur Æsop Straße Søren ﬁnance", []string{"coeur", "aesop", "strass", "soren", "financ"}},
		{"long token cut, not stemmed", long + "s", []string{long[:40]}},
		{"invalid utf-8 separates", "ville\xffcitoyenne\xfe", []string{"vill", "citoyen"}},
		{"markup is not text", "<b>démocratie</b>", []string{"democrat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Terms(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
			}
			checkTerms(t, tt.in, got)
		})
	}
}

// TestTermsEquivalent checks the point of stemming and folding: different
// spellings of the same words find each other.
func TestTermsEquivalent(t *testing.T) {
	tests := []struct{ a, b string }{
		// plurals and feminine forms
		{"participation citoyenne", "participations citoyennes"},
		{"données ouvertes", "donnée ouverte"},
		{"transports en commun gratuits", "transport commun gratuit"},
		{"habitant", "habitantes"},
		{"logement", "logements"},
		{"hôpital", "hôpitaux"},
		{"écologique", "écologie"},
		{"consultation", "consulter"},
		{"démocratie", "démocratique"},
		{"association", "associatif"},
		{"participation", "participatif"},
		{"inclusion", "inclusive"},
		// -ée words meet their verb (see feminineEe)
		{"mesure proposée", "mesures proposées"},
		{"proposée", "proposer"},
		{"pensée", "penser"},
		{"créée", "créer"},
		{"journée", "journées"},
		{"réalisée", "réalisé"},
		// accents and case
		{"Éducation", "education"},
		{"ÉDUCATION", "éducation"},
		{"données", "donnees"},
		{"sécurité", "securite"},
		{"accès", "acces"},
		{"créée", "creee"},
		{"intérêt général", "interet general"},
		{"pistes cyclables sécurisées", "PISTES CYCLABLES SECURISEES"},
		{"e\u0301cole", "école"}, // NFD input
		{"cœur", "coeur"},
		{"ﬁnance", "finance"},
		{"ｅｃｏｌｅ", "école"}, // fullwidth
	}
	for _, tt := range tests {
		a, b := Terms(tt.a), Terms(tt.b)
		if len(a) == 0 || !slices.Equal(a, b) {
			t.Errorf("Terms(%q) = %q, Terms(%q) = %q, want equal and non-empty", tt.a, a, tt.b, b)
		}
	}
}

// TestTermsDistinct records what the stemmer does not collapse, so nobody
// builds on it.
func TestTermsDistinct(t *testing.T) {
	tests := []struct{ a, b string }{
		{"inclusion", "inclure"},     // inclus vs inclur
		{"vélo", "vélos"},            // Snowball keeps s after a vowel o, u, i, a
		{"élu", "élus"},              // idem
		{"proposition", "proposer"},  // proposit vs propos
		{"proposons", "proposer"},    // proposon vs propos: -ons is not a suffix
		{"proposent", "proposer"},    // proposent: nor is -ent
		{"jeune", "jeunesse"},        // jeun vs jeuness
		{"public", "publique"},       // public vs publiqu
		{"community", "communities"}, // a French stemmer on English
	}
	for _, tt := range tests {
		a, b := Terms(tt.a), Terms(tt.b)
		if slices.Equal(a, b) {
			t.Errorf("Terms(%q) = Terms(%q) = %q; the stemmer now collapses them, update the docs", tt.a, tt.b, a)
		}
	}
}

func TestDocument(t *testing.T) {
	tests := []struct{ title, body, want string }{
		{"", "", ""},
		{"Participation citoyenne", "", "particip citoyen"},
		{"", "L'accès aux données", "acce don"},
		{"Participation citoyenne", "L'accès aux données", "particip citoyen acce don"},
		{"Le", "la", ""},
	}
	for _, tt := range tests {
		if got := Document(tt.title, tt.body); got != tt.want {
			t.Errorf("Document(%q, %q) = %q, want %q", tt.title, tt.body, got, tt.want)
		}
	}
}

func TestStopWords(t *testing.T) {
	for w := range stopWords {
		if !regexp.MustCompile(`^[a-z]+$`).MatchString(w) {
			t.Errorf("stop word %q does not fold to [a-z]+", w)
		}
	}
	for _, w := range []string{"le", "la", "les", "de", "des", "du", "un", "une", "et", "ou", "a", "au", "aux", "en", "dans", "pour", "par", "sur", "avec", "que", "qui", "ne", "pas", "plus", "ce", "cette", "ces", "est", "sont", "il", "elle", "nous", "vous", "ils", "se", "sa", "son", "ses", "leur", "leurs", "y", "d", "l", "j", "m", "n", "s", "t", "c", "qu", "the", "an", "of", "to", "and", "in", "is", "are", "for", "on", "that", "this", "it", "be", "or", "not", "near"} {
		if _, ok := stopWords[w]; !ok {
			t.Errorf("%q is not a stop word", w)
		}
	}
	// Content words that must stay searchable (see stopwords.txt).
	for _, w := range []string{"ete", "bien", "car", "but", "ours", "don"} {
		if _, ok := stopWords[w]; ok {
			t.Errorf("%q is a stop word", w)
		}
	}
}

// snowballStopWords is the stop list of github.com/kljensen/snowball/french
// v0.10.0 (french.IsStopWord), which exports no list.
var snowballStopWords = strings.Fields(`au aux avec ce ces dans de des du
	elle en et eux il je la le leur lui ma mais me même mes moi mon ne nos
	notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi
	ton tu un une vos votre vous c d j l à m n s t y été étée étées étés étant
	étante étants étantes suis es est sommes êtes sont serai seras sera
	serons serez seront serais serait serions seriez seraient étais était
	étions étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez
	soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes
	ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez
	auront aurais aurait aurions auriez auraient avais avait avions aviez
	avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse eusses
	eût eussions eussiez eussent`)

// TestSnowballStopWords checks that no token reaching the stemmer is one of
// its own stop words: french.Stem(w, false) returns those unstemmed, which
// would stop "sommes" from matching "somme".
func TestSnowballStopWords(t *testing.T) {
	for _, w := range snowballStopWords {
		if !french.IsStopWord(w) {
			t.Errorf("french.IsStopWord(%q) = false; update snowballStopWords", w)
		}
		f := fold(w)
		if _, ok := stopWords[f]; !ok && french.IsStopWord(f) {
			t.Errorf("%q folds to %q, a Snowball stop word missing from stopwords.txt", w, f)
		}
	}
}

// TestTermsInvariants runs Terms on awkward inputs.
func TestTermsInvariants(t *testing.T) {
	for _, in := range hostileInputs() {
		checkTerms(t, in, Terms(in))
	}
}

// TestFoldLatin checks that folding by table gives what normalising gives: for every pair of
// Latin runes (see latinFolds) and of a few ASCII ones, and for the words of real texts.
func TestFoldLatin(t *testing.T) {
	runes := []rune{'a', 'Z', '0'}
	for r := rune(latinFirst); r < latinEnd; r++ {
		runes = append(runes, r)
	}
	var words []string
	for _, a := range runes {
		for _, b := range runes {
			words = append(words, string([]rune{a, b}))
		}
	}
	for _, text := range append(realTexts(t), hostileInputs()...) {
		scanWords(text, func(start, end int) bool {
			words = append(words, text[start:end])
			return true
		})
	}
	for _, w := range words {
		if got, want := fold(w), foldUnicode(w); got != want {
			t.Errorf("fold(%q) = %q, want %q", w, got, want)
		}
	}
}

// benchParagraph is a 1,000-character French paragraph.
var benchParagraph = func() string {
	p := "Nous proposons que la ville organise chaque année des assemblées de quartier ouvertes à tous les habitants, " +
		"avec un budget participatif dédié aux projets écologiques : pistes cyclables sécurisées, végétalisation des cours " +
		"d'école, rénovation énergétique des logements sociaux. Les décisions devraient être prises après une consultation " +
		"en ligne et des réunions publiques, afin que chacun, y compris les personnes âgées et les jeunes, puisse donner son " +
		"avis. L'accès aux données ouvertes de la municipalité permettrait aussi aux citoyennes et aux citoyens de suivre " +
		"l'exécution des projets retenus, le coût réel des travaux et le calendrier. Enfin, il faudrait garantir l'inclusion " +
		"des quartiers prioritaires, où la participation est souvent plus faible, en allant à la rencontre des habitants sur " +
		"les marchés, dans les centres sociaux et devant les écoles, plutôt que d'attendre qu'ils viennent aux réunions. " +
		"Une évaluation indépendante, publiée chaque année, permettrait de mesurer les effets de ces dispositifs sur la " +
		"confiance envers les élus et sur la qualité de vie dans nos quartiers."
	return string([]rune(p)[:1000])
}()

func BenchmarkTerms(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchParagraph)))
	for b.Loop() {
		Terms(benchParagraph)
	}
}

// FuzzTerms checks the term invariants, folding by table (foldLatin) and
// the property of the stemmer that Highlighter relies on (mustBegin), on
// arbitrary words.
func FuzzTerms(f *testing.F) {
	for _, in := range hostileInputs() {
		f.Add(in)
	}
	f.Add(benchParagraph)
	f.Fuzz(func(t *testing.T, text string) {
		checkTerms(t, text, Terms(text))
		scanWords(text, func(start, end int) bool {
			if got, want := fold(text[start:end]), foldUnicode(text[start:end]); got != want {
				t.Errorf("fold(%q) = %q, want %q", text[start:end], got, want)
			}
			for tok, rest := nextToken(fold(text[start:end])); tok != ""; tok, rest = nextToken(rest) {
				if term, ok := term(tok); ok && !strings.HasPrefix(tok, mustBegin(term)) {
					t.Errorf("token %q gives term %q but does not begin with %q", tok, term, mustBegin(term))
				}
			}
			return true
		})
	})
}

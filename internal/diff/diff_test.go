package diff

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWordsKnownCases(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want []Chunk
	}{
		{"both empty", "", "", nil},
		{"identical", "Le conseil se réunit.", "Le conseil se réunit.", []Chunk{{Equal, "Le conseil se réunit."}}},
		{"empty to text", "", "Le conseil se réunit.", []Chunk{{Insert, "Le conseil se réunit."}}},
		{"text to empty", "Le conseil se réunit.", "", []Chunk{{Delete, "Le conseil se réunit."}}},
		{
			"one word changed",
			"Le conseil municipal se réunit chaque mois.",
			"Le conseil régional se réunit chaque mois.",
			[]Chunk{{Equal, "Le conseil "}, {Delete, "municipal"}, {Insert, "régional"}, {Equal, " se réunit chaque mois."}},
		},
		{
			"insertion at start",
			"conseil se réunit.",
			"Le conseil se réunit.",
			[]Chunk{{Insert, "Le "}, {Equal, "conseil se réunit."}},
		},
		{
			"insertion at end",
			"Le conseil se réunit",
			"Le conseil se réunit demain",
			[]Chunk{{Equal, "Le conseil se réunit"}, {Insert, " demain"}},
		},
		{
			"insertion inside, starting with its word",
			"Le conseil se réunit.",
			"Le conseil municipal se réunit.",
			[]Chunk{{Equal, "Le conseil "}, {Insert, "municipal "}, {Equal, "se réunit."}},
		},
		{
			"deletion of a paragraph",
			"Premier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième paragraphe.",
			"Premier paragraphe.\n\nTroisième paragraphe.",
			[]Chunk{{Equal, "Premier paragraphe.\n\n"}, {Delete, "Deuxième paragraphe.\n\n"}, {Equal, "Troisième paragraphe."}},
		},
		{
			"deletion of the last paragraph",
			"Premier.\n\nDeuxième.\n",
			"Premier.\n",
			[]Chunk{{Equal, "Premier.\n"}, {Delete, "\nDeuxième.\n"}},
		},
		{
			"elided article kept",
			"Vote de l’amendement n° 3",
			"Vote de l’avis n° 3",
			[]Chunk{{Equal, "Vote de l’"}, {Delete, "amendement"}, {Insert, "avis"}, {Equal, " n° 3"}},
		},
		{
			"accent added",
			"Le role du maire",
			"Le rôle du maire",
			[]Chunk{{Equal, "Le "}, {Delete, "role"}, {Insert, "rôle"}, {Equal, " du maire"}},
		},
		{
			"no-break space before a colon",
			"Objet : la voirie",
			"Objet\u00a0: la voirie",
			[]Chunk{{Equal, "Objet"}, {Delete, " "}, {Insert, "\u00a0"}, {Equal, ": la voirie"}},
		},
		{
			"short equal run folded into the change",
			"Le chat noir dort.",
			"Le chien blanc dort.",
			[]Chunk{{Equal, "Le "}, {Delete, "chat noir"}, {Insert, "chien blanc"}, {Equal, " dort."}},
		},
		{
			"long equal run kept between changes",
			"Le chat dort sur le canapé du salon, paisible.",
			"Le chien dort sur le canapé du salon, agité.",
			[]Chunk{{Equal, "Le "}, {Delete, "chat"}, {Insert, "chien"}, {Equal, " dort sur le canapé du salon, "}, {Delete, "paisible"}, {Insert, "agité"}, {Equal, "."}},
		},
		{
			"changes in two paragraphs stay two",
			"Un chat.\nDeux chats.",
			"Un chien.\nDeux chiens.",
			[]Chunk{{Equal, "Un "}, {Delete, "chat"}, {Insert, "chien"}, {Equal, ".\nDeux "}, {Delete, "chats"}, {Insert, "chiens"}, {Equal, "."}},
		},
		{
			"paragraph split in two",
			"Première phrase. Seconde phrase.",
			"Première phrase.\n\nSeconde phrase.",
			[]Chunk{{Equal, "Première phrase."}, {Delete, " "}, {Insert, "\n\n"}, {Equal, "Seconde phrase."}},
		},
		{
			"amendment to a commitment",
			"## Engagement 3 : ouvrir les données\n\nLa commune publie d’ici 2026 les données de ses marchés publics, au format ouvert.\n\nElle associe les habitants au choix des jeux de données.",
			"## Engagement 3 : ouvrir les données publiques\n\nLa métropole publie d’ici fin 2027 les données de tous ses marchés publics, dans un format ouvert et réutilisable.\n\nElle associe les habitants et les associations au choix des jeux de données à publier en priorité.",
			[]Chunk{
				{Equal, "## Engagement 3 : ouvrir les données"}, {Insert, " publiques"},
				{Equal, "\n\nLa "}, {Delete, "commune"}, {Insert, "métropole"},
				{Equal, " publie d’ici "}, {Delete, "2026"}, {Insert, "fin 2027"},
				{Equal, " les données de "}, {Insert, "tous "},
				{Equal, "ses marchés publics, "}, {Delete, "au"}, {Insert, "dans un"},
				{Equal, " format ouvert"}, {Insert, " et réutilisable"},
				{Equal, ".\n\nElle associe les habitants "}, {Insert, "et les associations "},
				{Equal, "au choix des jeux de données"}, {Insert, " à publier en priorité"},
				{Equal, "."},
			},
		},
		{
			"windows line breaks",
			"Un.\r\nDeux.\r\n",
			"Un.\r\nTrois.\r\n",
			[]Chunk{{Equal, "Un.\r\n"}, {Delete, "Deux"}, {Insert, "Trois"}, {Equal, ".\r\n"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Words(tt.a, tt.b)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Words(%q, %q)\n got %q\nwant %q", tt.a, tt.b, got, tt.want)
			}
			checkChunks(t, tt.a, tt.b, got)
		})
	}
}

// checkChunks checks that chunks rebuild a and b exactly and keep their documented shape.
func checkChunks(t *testing.T, a, b string, chunks []Chunk) {
	t.Helper()
	var ra, rb strings.Builder
	for i, c := range chunks {
		if c.Text == "" {
			t.Fatalf("chunk %d is empty in %q", i, chunks)
		}
		if i > 0 {
			p := chunks[i-1].Op
			if p == c.Op || p == Insert && c.Op == Delete {
				t.Fatalf("chunk %d (%v) follows %v in %q", i, c.Op, p, chunks)
			}
		}
		if c.Op != Insert {
			ra.WriteString(c.Text)
		}
		if c.Op != Delete {
			rb.WriteString(c.Text)
		}
	}
	if ra.String() != a {
		t.Fatalf("old text rebuilt as %q, want %q", ra.String(), a)
	}
	if rb.String() != b {
		t.Fatalf("new text rebuilt as %q, want %q", rb.String(), b)
	}
}

func TestWordsRebuildsRandomTexts(t *testing.T) {
	// Few distinct pieces, so that the texts share much and the comparison has choices to make.
	pieces := []string{"a", "b", "été", "l’", "'", "-", " ", " ", "\u00a0", "\u202f", "\n", "\n\n", "\r\n", ",", ".", "«", "»", "\xff", "e\u0301", "🙂"}
	r := rand.New(rand.NewPCG(1, 2))
	randText := func() string {
		var s strings.Builder
		for range r.IntN(60) {
			s.WriteString(pieces[r.IntN(len(pieces))])
		}
		return s.String()
	}
	for range 3000 {
		a := randText()
		b := a
		if r.IntN(4) > 0 {
			b = mutate(r, a, r.Float64(), frenchWords)
		} else {
			b = randText()
		}
		checkChunks(t, a, b, Words(a, b))
	}
}

func TestWordsRebuildsDrafts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 40 {
		a := draft(r, 50+r.IntN(800))
		var b string
		switch i % 4 {
		case 0:
			b = mutate(r, a, 0.05, frenchWords)
		case 1:
			b = mutate(r, a, 0.5, frenchWords)
		case 2:
			b = moveParagraph(a, 1, -1)
		case 3:
			b = draft(r, 50+r.IntN(800))
		}
		chunks := Words(a, b)
		checkChunks(t, a, b, chunks)
		checkChunks(t, b, a, Words(b, a))
	}
}

func TestWordsIsDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	a := draft(r, 2000)
	b := mutate(r, a, 0.3, frenchWords)
	first := Words(a, b)
	for range 3 {
		if got := Words(a, b); !slices.Equal(got, first) {
			t.Fatal("two runs on the same texts differ")
		}
	}
}

func TestWordsMovedParagraph(t *testing.T) {
	a := draft(rand.New(rand.NewPCG(7, 8)), 5000)
	b := moveParagraph(a, 3, -3)
	chunks := Words(a, b)
	checkChunks(t, a, b, chunks)
	moved := strings.Split(a, "\n\n")[3]
	var dels, inss []string
	for _, c := range chunks {
		switch c.Op {
		case Delete:
			dels = append(dels, c.Text)
		case Insert:
			inss = append(inss, c.Text)
		}
	}
	if len(dels) != 1 || len(inss) != 1 || !strings.Contains(dels[0], moved) || !strings.Contains(inss[0], moved) {
		t.Errorf("moved paragraph %q shown as deletions %q and insertions %q, want it deleted once and inserted once", moved, dels, inss)
	}
}

func TestWordsScatteredChangesStaySmall(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	a := draft(r, 5000)
	b := mutate(r, a, 0.05, frenchWords)
	ins, del := Stats(Words(a, b))
	changed := changedWords(a, b)
	// Folding short equal runs into changes counts some unchanged words too, but not many.
	if ins < changed || del < changed || ins > 2*changed || del > 2*changed {
		t.Errorf("%d words replaced, Stats says %d inserted and %d deleted", changed, ins, del)
	}
}

// changedWords counts the word tokens of a that differ in b, for texts from mutate.
func changedWords(a, b string) int {
	ta, tb := newText(a), newText(b)
	n := 0
	for i := range len(ta.off) - 1 {
		if ta.tok(i) != tb.tok(i) {
			n++
		}
	}
	return n
}

func TestWordsVeryDifferentTextsStayReadable(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	a, b := draft(r, 5000), draft(r, 5000)
	chunks := Words(a, b)
	checkChunks(t, a, b, chunks)
	// Unrelated paragraphs share spaces and short words; none of those should be shown alone.
	for i, c := range chunks {
		between := i > 0 && i < len(chunks)-1
		if between && c.Op == Equal && strings.TrimSpace(c.Text) != "" && utf8.RuneCountInString(c.Text) < 3 {
			t.Errorf("equal chunk %q left between changes", c.Text)
		}
	}
}

func TestStats(t *testing.T) {
	tests := []struct {
		a, b     string
		ins, del int
	}{
		{"", "", 0, 0},
		{"Le conseil se réunit.", "Le conseil se réunit.", 0, 0},
		{"Le conseil municipal se réunit.", "Le conseil régional se réunit.", 1, 1},
		{"Le conseil se réunit.", "Le conseil se réunit.\n\nIl vote le budget 2026 : 12 M€.", 7, 0},
		{"Un deux trois quatre cinq.", "", 0, 5},
		{"Un  deux", "Un\n\n\ndeux", 0, 0},
		{"Vote.", "Vote de l’amendement du porte-parole.", 4, 0},
		{"a, b", "a ; b", 0, 0},
	}
	for _, tt := range tests {
		ins, del := Stats(Words(tt.a, tt.b))
		if ins != tt.ins || del != tt.del {
			t.Errorf("Stats(Words(%q, %q)) = %d inserted, %d deleted; want %d, %d", tt.a, tt.b, ins, del, tt.ins, tt.del)
		}
	}
}

func FuzzWords(f *testing.F) {
	f.Add("", "")
	f.Add("Le conseil municipal se réunit.", "Le conseil régional se réunit.")
	f.Add("Premier.\n\nDeuxième.\n\nTroisième.", "Premier.\n\nTroisième.")
	f.Add("Vote de l’amendement n° 3", "Vote de l'avis n°\u00a03")
	f.Add("a\r\nb\rc\n", "a\nb\r\nc")
	f.Add("\xff\xfe é\u0301", "e\u0301 \xff")
	f.Add("<script>alert('x')</script> & \"q\"", "<b>&amp;</b>")
	f.Add("a a a a b a a a", "a a b a a a a")
	f.Fuzz(func(t *testing.T, a, b string) {
		chunks := Words(a, b)
		checkChunks(t, a, b, chunks)
		Inline(chunks, Labels{"+", "-"})
		SideBySide(chunks, Labels{})
		Stats(chunks)
	})
}

var frenchWords = strings.Fields(`
	le la les un une des du de au aux et ou mais donc car ni que qui dont où ce cette ces son sa
	ses leur leurs notre nos votre vos il elle ils elles nous vous on se ne pas plus très bien
	commune conseil municipal maire adjoint habitant habitants quartier quartiers projet projets
	budget participatif consultation concertation proposition propositions amendement avis vote
	votes séance délibération commission rapport article alinéa texte version engagement
	engagements gouvernement ouvert transparence données publiques accès information citoyen
	citoyenne citoyens association associations école écoles collège lycée bibliothèque piscine
	parc jardin rue place marché transport transports vélo piétons voirie éclairage sécurité
	propreté déchets tri recyclage énergie chauffage rénovation logement logements social santé
	culture sport jeunesse aînés handicap accessibilité numérique réseau service services public
	publique agent agents équipe calendrier étape étapes phase réunion atelier ateliers synthèse
	réponse réponses décision décisions suivi évaluation indicateur indicateurs objectif
	objectifs priorité priorités année mois semaine été hiver printemps automne premier première
	nouveau nouvelle grand grande petit petite local locale national nationale européen
	européenne durable solidaire ouvert ouverte clair claire simple rapide gratuit gratuite
	proposer présenter adopter modifier supprimer ajouter publier consulter participer voter
	répondre réunir financer réaliser améliorer renforcer développer garantir favoriser
	permettre faciliter accompagner informer associer élaborer mettre œuvre
	2026 2027 10 12 15 30 100 500 1 000
`)

var vowelStart = "aeiouyéèêàâîôûœh"

// draft writes a deterministic French-like draft of about n words: sentences of 6 to 20 words,
// with elisions, commas, no-break spaces before colons, paragraphs of 2 to 5 sentences and a
// heading every few paragraphs.
func draft(r *rand.Rand, n int) string {
	var s strings.Builder
	words, article := 0, 1
	for words < n {
		if r.IntN(5) == 0 {
			s.WriteString("## Article ")
			s.WriteString(frenchWords[r.IntN(len(frenchWords))])
			s.WriteString(" ")
			s.WriteString(string(rune('0' + article%10)))
			s.WriteString("\n\n")
			article++
			words += 3
		}
		for sentences := 2 + r.IntN(4); sentences > 0 && words < n; sentences-- {
			length := 6 + r.IntN(15)
			for i := range length {
				w := frenchWords[r.IntN(len(frenchWords))]
				if i == 0 {
					first, size := utf8.DecodeRuneInString(w)
					w = strings.ToUpper(string(first)) + w[size:]
				}
				s.WriteString(w)
				switch {
				case i == length-1:
				case r.IntN(12) == 0:
					s.WriteString(", ")
				case r.IntN(40) == 0:
					s.WriteString("\u00a0: ")
				case (w == "le" || w == "la" || w == "de" || w == "que") && r.IntN(2) == 0:
					s.WriteString("’")
					next := frenchWords[r.IntN(len(frenchWords))]
					for !strings.ContainsRune(vowelStart, []rune(next)[0]) {
						next = frenchWords[r.IntN(len(frenchWords))]
					}
					s.WriteString(next)
					s.WriteString(" ")
				default:
					s.WriteString(" ")
				}
			}
			words += length
			s.WriteString(".")
			if sentences > 1 {
				s.WriteString(" ")
			}
		}
		if words < n {
			s.WriteString("\n\n")
		}
	}
	return s.String()
}

// mutate replaces each word token of s, with probability p, by a word from words.
func mutate(r *rand.Rand, s string, p float64, words []string) string {
	t := newText(s)
	var b strings.Builder
	for i := range len(t.off) - 1 {
		tok := t.tok(i)
		if classOf(firstRune(tok)) == classWord && r.Float64() < p {
			w := words[r.IntN(len(words))]
			for w == tok {
				w = words[r.IntN(len(words))]
			}
			tok = w
		}
		b.WriteString(tok)
	}
	return b.String()
}

// moveParagraph moves paragraph from to position to (negative: from the end).
func moveParagraph(s string, from, to int) string {
	ps := strings.Split(s, "\n\n")
	if to < 0 {
		to += len(ps)
	}
	if len(ps) < 3 || from >= len(ps) || to < 0 {
		return s
	}
	p := ps[from]
	ps = slices.Delete(ps, from, from+1)
	ps = slices.Insert(ps, min(to, len(ps)), p)
	return strings.Join(ps, "\n\n")
}

func benchmarkWords(b *testing.B, a, c string) {
	b.SetBytes(int64(len(a) + len(c)))
	for b.Loop() {
		Words(a, c)
	}
}

func BenchmarkWords(b *testing.B) {
	r := rand.New(rand.NewPCG(13, 14))
	a := draft(r, 5000)
	other := draft(r, 5000)
	oneParagraph := strings.ReplaceAll(a, "\n\n", " ")
	b.Run("identical", func(b *testing.B) { benchmarkWords(b, a, a) })
	b.Run("one word", func(b *testing.B) { benchmarkWords(b, a, strings.Replace(a, " commune ", " ville ", 1)) })
	b.Run("5% scattered", func(b *testing.B) { benchmarkWords(b, a, mutate(r, a, 0.05, frenchWords)) })
	b.Run("50% scattered", func(b *testing.B) { benchmarkWords(b, a, mutate(r, a, 0.5, frenchWords)) })
	b.Run("different", func(b *testing.B) { benchmarkWords(b, a, other) })
	b.Run("paragraph moved", func(b *testing.B) { benchmarkWords(b, a, moveParagraph(a, 3, -3)) })
	// Without line breaks the line pass finds nothing and the word pass does all the work.
	b.Run("one paragraph 50% scattered", func(b *testing.B) {
		benchmarkWords(b, oneParagraph, mutate(r, oneParagraph, 0.5, frenchWords))
	})
	b.Run("one paragraph different", func(b *testing.B) {
		benchmarkWords(b, oneParagraph, strings.ReplaceAll(other, "\n\n", " "))
	})
}

func BenchmarkInline(b *testing.B) {
	r := rand.New(rand.NewPCG(15, 16))
	a := draft(r, 5000)
	chunks := Words(a, mutate(r, a, 0.05, frenchWords))
	l := Labels{"ajout : ", "suppression : "}
	for b.Loop() {
		Inline(chunks, l)
	}
}

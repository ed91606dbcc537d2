package cluster

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// themes are the subjects of a small synthetic consultation in French: a
// contribution of a theme uses six of its words.
var themes = [][]string{
	{"pistes", "cyclables", "vélos", "sécurisées", "stationnement", "cyclistes", "carrefours", "trottinettes", "voies", "circulation", "arceaux", "casques"},
	{"cantine", "scolaire", "repas", "bio", "enfants", "école", "menus", "végétariens", "producteurs", "locaux", "restauration", "goûters"},
	{"arbres", "parc", "jardins", "ombre", "plantations", "espaces", "verts", "bancs", "fontaines", "pelouses", "îlots", "fraîcheur"},
}

// themeDocs returns perTheme contributions of each theme, all in axis 1,
// ids 1.. in theme order: theme t has ids t*perTheme+1 to (t+1)*perTheme.
func themeDocs(perTheme int) []Doc {
	rng := rand.New(rand.NewPCG(1, 2))
	var docs []Doc
	for _, words := range themes {
		for range perTheme {
			picked := slices.Clone(words)
			rng.Shuffle(len(picked), func(i, j int) { picked[i], picked[j] = picked[j], picked[i] })
			docs = append(docs, Doc{ID: int64(len(docs) + 1), Axis: 1, Text: "Proposition\nNous voulons " + strings.Join(picked[:6], ", ")})
		}
	}
	return docs
}

func groupsOf(groups []Group, kind Kind) []Group {
	var out []Group
	for _, g := range groups {
		if g.Kind == kind {
			out = append(out, g)
		}
	}
	return out
}

// groupWith returns the group of kind holding id, failing if there are
// several.
func groupWith(t *testing.T, groups []Group, kind Kind, id int64) *Group {
	t.Helper()
	var found *Group
	for i, g := range groups {
		if g.Kind == kind && slices.Contains(g.Members, id) {
			if found != nil {
				t.Fatalf("contribution %d is in two %v groups: %v and %v", id, kind, found.Members, g.Members)
			}
			found = &groups[i]
		}
	}
	return found
}

func TestDuplicatesIgnoreAccentsCaseAndWordOrder(t *testing.T) {
	docs := []Doc{
		{ID: 1, Axis: 1, Text: "Pistes cyclables\nDes pistes cyclables sécurisées le long du canal jusqu'à la gare"},
		{ID: 2, Axis: 1, Text: "Budget participatif\nAugmenter le budget participatif des quartiers populaires"},
		{ID: 3, Axis: 2, Text: "PISTES CYCLABLES\nDES PISTES CYCLABLES SECURISEES LE LONG DU CANAL JUSQU'A LA GARE"},
		{ID: 4, Axis: 1, Text: "Pistes cyclables\nJusqu'à la gare, le long du canal : des pistes cyclables sécurisées !"},
		{ID: 5, Axis: 1, Text: "Horaires\nOuvrir la médiathèque le dimanche et plus tard le soir"},
		{ID: 6, Axis: 1, Text: "Pistes cyclables\nDes pistes cyclables sur les boulevards extérieurs"},
	}
	_, groups := Build(docs, nil, DefaultOptions())
	dups := groupsOf(groups, Duplicate)
	if len(dups) != 1 || !slices.Equal(dups[0].Members, []int64{1, 3, 4}) {
		t.Fatalf("duplicate groups %+v, want one with 1, 3, 4", dups)
	}
	if dups[0].Axis != 0 || dups[0].Pinned || dups[0].ID != 0 {
		t.Errorf("group spanning axes 1 and 2: %+v, want Axis 0, a proposal", dups[0])
	}
}

// TestGroupsDoNotChain checks that a contribution close to a member, but
// not to the contribution the group started from, is not pulled in.
func TestGroupsDoNotChain(t *testing.T) {
	var w []string
	for i := range 30 {
		w = append(w, fmt.Sprintf("w%02d", i))
	}
	text := func(from, to int) string { return strings.Join(w[from:to], " ") }
	docs := []Doc{{ID: 1, Text: text(0, 24)}, {ID: 2, Text: text(3, 27)}, {ID: 3, Text: text(6, 30)}}
	ix, groups := Build(docs, nil, DefaultOptions())
	th := DefaultOptions().DuplicateThreshold
	s12, s23, s13 := score(ix.vec, 0, 1), score(ix.vec, 1, 2), score(ix.vec, 0, 2)
	if s12 < th || s23 < th || s13 >= th {
		t.Fatalf("fixture: similarities %.2f %.2f %.2f, want the first two at least %.2f and the last below", s12, s23, s13, th)
	}
	dups := groupsOf(groups, Duplicate)
	if len(dups) != 1 || !slices.Equal(dups[0].Members, []int64{1, 2}) {
		t.Errorf("groups %+v, want 1 and 2 together and 3 alone", dups)
	}
}

func TestShortContributionsNeedTheSameTerms(t *testing.T) {
	docs := []Doc{
		{ID: 1, Text: "Vélo !"},
		{ID: 2, Text: "vélo"},
		{ID: 3, Text: "Vélo cargo"},
		{ID: 4, Text: "VÉLO-CARGO"},
		{ID: 5, Text: "Vélo cargo électrique"},
	}
	_, groups := Build(docs, nil, DefaultOptions())
	dups := groupsOf(groups, Duplicate)
	want := []Group{{Kind: Duplicate, Members: []int64{1, 2}}, {Kind: Duplicate, Members: []int64{3, 4}}}
	if !reflect.DeepEqual(dups, want) {
		t.Errorf("groups %+v, want %+v", dups, want)
	}
}

func TestPinnedGroupsKeepMembersAndLabels(t *testing.T) {
	docs := themeDocs(30)
	docs = append(docs,
		Doc{ID: 100, Axis: 1, Text: "Épicerie\nOuvrir une épicerie solidaire dans chaque quartier"},
		Doc{ID: 101, Axis: 1, Text: "Marché\nUn marché de producteurs le samedi"},
		Doc{ID: 102, Axis: 1, Text: "epicerie\nOUVRIR une epicerie solidaire dans chaque quartier !"},
	)
	pinned := []Group{
		// Organisers merged two contributions that the analysis would
		// not call duplicates, and named a topic.
		{ID: 7, Kind: Duplicate, Axis: 1, Members: []int64{101, 100}, Label: "Alimentation locale"},
		{ID: 8, Kind: Topic, Axis: 1, Members: []int64{31, 32, 33, 999}, Label: "Cantines", Words: []string{"cantine", "repas"}},
		{ID: 9, Kind: Topic, Axis: 1, Members: []int64{61, 62}},
	}
	ix, groups := Build(docs, pinned, DefaultOptions())
	if len(groups) < 3 {
		t.Fatalf("%d groups, want the 3 pinned first", len(groups))
	}
	dup, cantines, parks := groups[0], groups[1], groups[2]
	if dup.ID != 7 || !dup.Pinned || dup.Label != "Alimentation locale" || !slices.Equal(dup.Members, []int64{100, 101, 102}) {
		t.Errorf("pinned duplicate group %+v, want id 7, its label, its members and the near copy 102", dup)
	}
	if cantines.ID != 8 || cantines.Label != "Cantines" || !slices.Equal(cantines.Words, []string{"cantine", "repas"}) {
		t.Errorf("pinned topic %+v, want id 8 with its label and words", cantines)
	}
	for _, id := range []int64{31, 32, 33, 999} {
		if !slices.Contains(cantines.Members, id) {
			t.Errorf("pinned topic lost member %d: %v", id, cantines.Members)
		}
	}
	for _, id := range cantines.Members {
		if id != 999 && (id <= 30 || id > 60) {
			t.Errorf("pinned canteen topic took %d, from another theme", id)
		}
	}
	if len(cantines.Members) < 10 {
		t.Errorf("pinned canteen topic has %d members, want it to take in new canteen contributions", len(cantines.Members))
	}
	if parks.ID != 9 || len(parks.Words) == 0 {
		t.Errorf("pinned topic without words: %+v, want characteristic words", parks)
	}
	for _, id := range []int64{31, 32, 33} {
		if g := groupWith(t, groups, Topic, id); g == nil || g.ID != 8 {
			t.Errorf("contribution %d of a pinned topic is in topic %+v", id, g)
		}
	}

	// A member organisers listed before it reached the analysis goes to
	// its pinned topic, whatever it says.
	p := ix.Add(Doc{ID: 999, Axis: 1, Text: "Des arbres et des bancs à l'ombre dans le parc"})
	if p.Topic == nil || p.Topic.ID != 8 {
		t.Errorf("pinned member 999 added to topic %+v, want topic 8", p.Topic)
	}
	if g := groupWith(t, ix.Groups(), Topic, 999); g == nil || g.ID != 8 {
		t.Errorf("pinned member 999 is in %+v", g)
	}
}

func TestPinnedDuplicateMembersStayInTheirGroup(t *testing.T) {
	text := "Éclairage\nÉteindre l'éclairage public des rues résidentielles après minuit"
	docs := []Doc{
		{ID: 1, Axis: 1, Text: text},
		{ID: 2, Axis: 1, Text: strings.ToUpper(text)},
		{ID: 3, Axis: 1, Text: text + " !"},
		{ID: 4, Axis: 1, Text: "Fontaines\nDes fontaines à boire dans chaque parc"},
		{ID: 5, Axis: 1, Text: "Bancs\nDes bancs à l'ombre dans chaque square"},
	}
	pinned := []Group{
		{ID: 10, Kind: Duplicate, Members: []int64{1, 4}},
		{ID: 11, Kind: Duplicate, Members: []int64{2, 5}},
	}
	_, groups := Build(docs, pinned, DefaultOptions())
	for _, c := range []struct {
		id    int64
		group int64
	}{{1, 10}, {4, 10}, {2, 11}, {5, 11}} {
		if g := groupWith(t, groups, Duplicate, c.id); g == nil || g.ID != c.group {
			t.Errorf("contribution %d in duplicate group %+v, want only group %d", c.id, g, c.group)
		}
	}
	if g := groupWith(t, groups, Duplicate, 3); g == nil || g.ID != 10 {
		t.Errorf("near copy 3 in %+v, want it to join pinned group 10 (its closest representative, 1, comes first)", g)
	}
}

func TestRejectedGroupsAreNotProposedAgain(t *testing.T) {
	docs := []Doc{
		{ID: 1, Text: "Parking\nMoins de places de parking en centre-ville"},
		{ID: 2, Text: "Parking\nMoins de places de parking au centre-ville"},
		{ID: 3, Text: "parking\nmoins de places de parking en centre ville"},
	}
	rejected := []Group{{Kind: Duplicate, Members: []int64{1, 2}, Rejected: true}}
	ix, groups := Build(docs, rejected, DefaultOptions())
	for _, g := range groupsOf(groups, Duplicate) {
		if slices.Contains(g.Members, 1) && slices.Contains(g.Members, 2) {
			t.Errorf("group %+v puts together 1 and 2, which organisers kept apart", g)
		}
		if g.Rejected {
			t.Errorf("rejected group returned: %+v", g)
		}
	}
	if g := groupWith(t, groups, Duplicate, 3); g == nil || !slices.Equal(g.Members, []int64{1, 3}) {
		t.Errorf("3 in %+v, want with 1", g)
	}
	p := ix.Add(Doc{ID: 4, Text: "Parking\nMoins de places de parking au centre-ville !"})
	if p.Duplicate == nil || slices.Contains(p.Duplicate.Members, 1) && slices.Contains(p.Duplicate.Members, 2) {
		t.Errorf("Add: %+v", p.Duplicate)
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	docs := generateDocs(t, 3000)
	_, first := Build(docs, nil, DefaultOptions())
	if len(groupsOf(first, Duplicate)) == 0 || len(groupsOf(first, Topic)) == 0 {
		t.Fatalf("no groups found in generated docs")
	}
	reversed := slices.Clone(docs)
	slices.Reverse(reversed)
	for _, in := range [][]Doc{docs, reversed} {
		if _, again := Build(in, nil, DefaultOptions()); !reflect.DeepEqual(first, again) {
			t.Fatalf("two builds differ: %d and %d groups", len(first), len(again))
		}
	}
}

func TestTopicsAreThematicAndNamedInWords(t *testing.T) {
	docs := themeDocs(40)
	_, groups := Build(docs, nil, DefaultOptions())
	topics := groupsOf(groups, Topic)
	if len(topics) < len(themes) {
		t.Fatalf("%d topics, want at least one per theme", len(topics))
	}
	for _, g := range topics {
		theme := (g.Members[0] - 1) / 40
		for _, id := range g.Members {
			if (id-1)/40 != theme {
				t.Errorf("topic %v mixes themes", g.Members)
				break
			}
		}
		if len(g.Words) == 0 || len(g.Words) > DefaultWords {
			t.Errorf("topic %v has words %q", g.Members, g.Words)
		}
		for _, w := range g.Words {
			if !slices.Contains(themes[theme], w) {
				t.Errorf("topic of theme %d has word %q, want words of the theme as written", theme, w)
			}
		}
	}
}

func TestAddPlacesNearCopiesAndTopics(t *testing.T) {
	docs := append(themeDocs(30), Doc{ID: 200, Axis: 1, Text: "Horaires\nOuvrir la médiathèque le dimanche et plus tard le soir"})
	ix, groups := Build(docs, nil, DefaultOptions())

	// A near copy of a contribution already in a duplicate group joins it.
	dups := groupsOf(groups, Duplicate)
	if len(dups) == 0 {
		t.Fatal("fixture: no duplicate group")
	}
	original := dups[0]
	var text string
	for _, d := range docs {
		if d.ID == original.Members[0] {
			text = d.Text
		}
	}
	p := ix.Add(Doc{ID: 1000, Axis: 1, Text: strings.ToUpper(text)})
	if p.Duplicate == nil || !slices.Equal(p.Duplicate.Members, append(slices.Clone(original.Members), 1000)) {
		t.Errorf("near copy of %v placed in %+v", original.Members, p.Duplicate)
	}

	// A near copy of a contribution alone makes a new group of the two.
	p = ix.Add(Doc{ID: 1001, Axis: 2, Text: "Ouvrir la médiathèque le dimanche, et plus tard le soir."})
	if p.Duplicate == nil || !slices.Equal(p.Duplicate.Members, []int64{200, 1001}) || p.Duplicate.Axis != 0 {
		t.Errorf("near copy of 200 placed in %+v, want a new group of 200 and 1001 spanning axes", p.Duplicate)
	}
	if p.Topic != nil {
		t.Errorf("contribution in axis 2, which has no topic, placed in topic %+v", p.Topic)
	}

	// A new canteen contribution goes to a canteen topic.
	p = ix.Add(Doc{ID: 1002, Axis: 1, Text: "Manger mieux\nDes menus végétariens et des goûters bio pour les enfants à la cantine"})
	if p.Duplicate != nil {
		t.Errorf("new contribution placed in duplicate group %+v", p.Duplicate)
	}
	if p.Topic == nil {
		t.Fatal("new canteen contribution placed in no topic")
	}
	for _, id := range p.Topic.Members {
		if id != 1002 && (id <= 30 || id > 60) {
			t.Errorf("canteen contribution placed in topic %v %q, not of canteens", p.Topic.Members, p.Topic.Words)
			break
		}
	}
	if !slices.Contains(p.Topic.Members, 1002) {
		t.Errorf("placement %v lacks the new contribution", p.Topic.Members)
	}

	// Adding again changes nothing; the index's groups show the additions.
	if again := ix.Add(Doc{ID: 1002, Axis: 1, Text: "autre chose"}); !reflect.DeepEqual(again, p) {
		t.Errorf("second Add of 1002: %+v, want %+v", again, p)
	}
	if g := groupWith(t, ix.Groups(), Duplicate, 1001); g == nil || len(g.Members) != 2 {
		t.Errorf("Groups() after Add: %+v", g)
	}
}

func TestEmptyInput(t *testing.T) {
	ix, groups := Build(nil, nil, Options{})
	if len(groups) != 0 {
		t.Errorf("groups of nothing: %+v", groups)
	}
	if p := ix.Add(Doc{ID: 1, Text: "Des bancs dans le parc"}); p.Duplicate != nil || p.Topic != nil {
		t.Errorf("first Add: %+v", p)
	}
	p := ix.Add(Doc{ID: 2, Text: "Des bancs dans le parc !"})
	if p.Duplicate == nil || !slices.Equal(p.Duplicate.Members, []int64{1, 2}) {
		t.Errorf("second Add: %+v, want a group of 1 and 2", p.Duplicate)
	}
}

func TestContributionsWithoutTerms(t *testing.T) {
	docs := []Doc{
		{ID: 1, Axis: 1, Text: ""},
		{ID: 2, Axis: 1, Text: "le la les"},
		{ID: 3, Axis: 1, Text: "!!! 😀"},
		{ID: 4, Axis: 1, Text: "le la les"},
	}
	docs = append(docs, themeDocs(10)...)
	for i := 4; i < len(docs); i++ {
		docs[i].ID += 10
	}
	ix, groups := Build(docs, nil, DefaultOptions())
	for _, g := range groups {
		for _, id := range g.Members {
			if id <= 4 {
				t.Errorf("contribution %d without terms is in %v group %v", id, g.Kind, g.Members)
			}
		}
	}
	if p := ix.Add(Doc{ID: 5, Axis: 1, Text: "le la les"}); p.Duplicate != nil || p.Topic != nil {
		t.Errorf("Add without terms: %+v", p)
	}
}

// TestConcurrentAddAndGroups runs one writer and readers together; run
// with -race to check the locking.
func TestConcurrentAddAndGroups(t *testing.T) {
	ix, _ := Build(themeDocs(20), nil, DefaultOptions())
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 200 {
			ix.Add(Doc{ID: int64(1000 + i), Axis: 1, Text: fmt.Sprintf("Proposition %d\nNous voulons des repas bio à la cantine", i)})
		}
	})
	for range 2 {
		wg.Go(func() {
			for range 50 {
				ix.Groups()
			}
		})
	}
	wg.Wait()
	if g := groupWith(t, ix.Groups(), Duplicate, 1199); g == nil || len(g.Members) < 200 {
		t.Errorf("the 200 near copies are not grouped: %+v", g)
	}
}

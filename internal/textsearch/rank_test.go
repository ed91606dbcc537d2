package textsearch

import (
	"slices"
	"testing"
)

func TestRank(t *testing.T) {
	doc := func(title, body string) string { return Document(title, body) }
	q := ParseQuery("salaire minimum")
	long := "Un texte très long sur bien d'autres sujets : la santé, l'école, les transports, le logement, " +
		"la culture, le sport, la justice, la sécurité, l'environnement, l'agriculture, l'industrie, le commerce, " +
		"les collectivités, l'Europe, le numérique, la recherche, l'université, la police, les impôts et le salaire."
	got := Rank(q, []Candidate{
		{1, doc("Le salaire des enseignants", "Augmenter le salaire des enseignants.")},
		{2, doc("Salaire minimum", "Relever le salaire minimum à quinze euros de l'heure.")},
		{3, doc("Sujets divers", long)},
		{4, doc("Le minimum vieillesse", "Revaloriser le minimum vieillesse.")},
		{5, doc("Le salaire des soignants", "Augmenter le salaire des soignants.")},
	})
	// Both terms first; then the rarer term ("minimum": 2 of 5) before the commoner ("salaire":
	// 4 of 5); among equals the shorter text, then the newest.
	want := []int64{2, 4, 5, 1, 3}
	if !slices.Equal(got, want) {
		t.Errorf("Rank = %v, want %v", got, want)
	}
	if got := Rank(q, nil); len(got) != 0 {
		t.Errorf("Rank of nothing = %v", got)
	}
}

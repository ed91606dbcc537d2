package synthesis

import (
	"slices"
	"strings"
	"testing"
	"time"

	"ouvert/internal/i18n"
	"ouvert/internal/store"
)

func TestExpand(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := cat.Locale("fr", time.UTC)
	src := "Voir [[C-12]], [[C-7]], encore [[C-12]] et [[C-99]].\r\n\r\n  [[chiffres]]  \r\n\r\nFin [[C-x]]."
	if got := References(src); !slices.Equal(got, []int64{12, 7, 99}) {
		t.Fatalf("references = %v", got)
	}
	titles := map[int64]string{12: "Des données *utiles* [ici](javascript:alert(1))", 7: "<b>Sept</b> | pipes"}
	fig := store.Figures{Contributions: 1234, Participants: 56, Votes: 7890, ByOrigin: map[string]int{"online": 1000, "relay_workshop": 234}}
	out, cited, unknown := Expand(src, titles, fig, l, time.Date(2017, 5, 31, 0, 0, 0, 0, time.UTC))
	if !slices.Equal(cited, []int64{12, 7}) || !slices.Equal(unknown, []int64{99}) {
		t.Fatalf("cited %v, unknown %v", cited, unknown)
	}
	for _, want := range []string{
		`[Des données \*utiles\* \[ici\](javascript:alert(1)) (C-12)](/contributions/12)`,
		`[\<b\>Sept\</b\> \| pipes (C-7)](/contributions/7)`,
		"[[C-99]]", "[[C-x]]",
		"| Chiffres au 31 mai 2017 | |", "| Contributions | 1\u202f234 |", "| Issues des ateliers-relais | 234 |", "| Issues des ministères ouverts | 0 |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("expanded text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Issues de l'événement de lancement") {
		t.Error("an origin with nothing is listed")
	}
}

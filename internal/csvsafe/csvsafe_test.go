package csvsafe

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestFormulasAreText(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	w.Write(`=HYPERLINK("http://evil.example","clic")`, "+33 1 23", "-2", "@SUM(A1)", "Léa", "")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte("\ufeff"))))
	rec, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`'=HYPERLINK("http://evil.example","clic")`, "'+33 1 23", "'-2", "'@SUM(A1)", "Léa", ""}
	for i := range want {
		if rec[i] != want[i] {
			t.Errorf("cell %d = %q, want %q", i, rec[i], want[i])
		}
		if back, orig := Uncell(rec[i]), []string{`=HYPERLINK("http://evil.example","clic")`, "+33 1 23", "-2", "@SUM(A1)", "Léa", ""}[i]; back != orig {
			t.Errorf("Uncell(%q) = %q, want %q", rec[i], back, orig)
		}
	}
}

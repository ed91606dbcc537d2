package opendata_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ouvert/internal/demo"
	"ouvert/internal/opendata"
	"ouvert/internal/ouvert"
	"ouvert/internal/polis"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

func TestExport(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p, err := demo.Load(ctx, db, demo.DefaultStart(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if conv, err := polis.Read(filepath.Join("..", "..", "..", "shared", "data", "polis", "15-per-hour-seattle")); err == nil {
		if _, err := polis.Load(ctx, db, conv, p.ID, p.Axes[0].ID); err != nil {
			t.Fatal(err)
		}
	}
	// A participant with an address, a formula for a name, and a hidden text.
	u := &ouvert.User{Email: "secret@exemple.fr", PasswordHash: "x", DisplayName: `=HYPERLINK("http://evil.example","clic")`}
	db.CreateUser(ctx, u)
	c := &ouvert.Contribution{ProcessID: p.ID, AxisID: p.Axes[0].ID, AuthorID: u.ID, Title: "=1+1 titre", Body: "Texte visible de la contribution."}
	db.CreateContribution(ctx, c)
	h := &ouvert.Contribution{ProcessID: p.ID, AxisID: p.Axes[0].ID, AuthorID: u.ID, Title: "Titre caché", Body: "Texte caché par la modération."}
	db.CreateContribution(ctx, h)
	db.Moderate(ctx, 0, store.TargetContribution, h.ID, true, "personal_data")

	var buf bytes.Buffer
	if err := opendata.Export(ctx, db, &buf, opendata.Options{Licence: "Licence Ouverte 2.0", BaseURL: "https://ouvert.exemple.fr", PseudonymKey: []byte("k")}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	for _, name := range []string{"datapackage.json", "README.md", "LICENCE.txt"} {
		if len(files[name]) == 0 {
			t.Errorf("no %s", name)
		}
	}
	var pkg struct {
		Resources []struct {
			Name   string
			Path   string
			Schema struct{ Fields []struct{ Name string } }
		}
	}
	if err := json.Unmarshal(files["datapackage.json"], &pkg); err != nil || len(pkg.Resources) != len(opendata.Tables) {
		t.Fatalf("datapackage: %v, %d resources", err, len(pkg.Resources))
	}
	for _, r := range pkg.Resources {
		data := bytes.TrimPrefix(files[r.Path], []byte("\ufeff"))
		recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil || len(recs) == 0 {
			t.Fatalf("%s: %v", r.Path, err)
		}
		if len(recs[0]) != len(r.Schema.Fields) {
			t.Errorf("%s: %d columns, schema has %d", r.Path, len(recs[0]), len(r.Schema.Fields))
		}
		for i, f := range r.Schema.Fields {
			if recs[0][i] != f.Name {
				t.Errorf("%s: column %d is %q, schema says %q", r.Path, i, recs[0][i], f.Name)
			}
		}
		// The NDJSON holds as many rows, each an object with the schema's fields.
		sc := bufio.NewScanner(bytes.NewReader(files[r.Name+".ndjson"]))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		n := 0
		for sc.Scan() {
			var obj map[string]any
			if err := json.Unmarshal(sc.Bytes(), &obj); err != nil || len(obj) != len(r.Schema.Fields) {
				t.Fatalf("%s.ndjson line %d: %v %v", r.Name, n+1, err, obj)
			}
			n++
		}
		if n != len(recs)-1 {
			t.Errorf("%s: %d NDJSON rows, %d CSV rows", r.Name, n, len(recs)-1)
		}
		if !strings.Contains(string(files["README.md"]), "## "+r.Name) {
			t.Errorf("README lacks %s", r.Name)
		}
	}
	all := ""
	for _, b := range files {
		all += string(b)
	}
	for _, private := range []string{"secret@exemple.fr", "@ouvert.invalid", "@polis.invalid", "Texte caché", "Titre caché", "$argon2"} {
		if strings.Contains(all, private) {
			t.Errorf("the archive holds %q", private)
		}
	}
	contribs := string(files["contributions.csv"])
	if !strings.Contains(contribs, `'=1+1 titre`) || strings.Contains(contribs, ",=1+1") || !strings.Contains(contribs, `'=HYPERLINK`) {
		t.Errorf("formula cells not neutralised")
	}
	if !strings.Contains(contribs, "personal_data") {
		t.Errorf("the hidden contribution's reason is missing")
	}
	if n := strings.Count(string(files["votes.csv"]), "\n"); n < 1000 {
		t.Errorf("only %d votes", n)
	}
}

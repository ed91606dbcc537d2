package contribimport_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strings"
	"testing"
	"time"

	"ouvert/internal/contribimport"
	"ouvert/internal/opendata"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

// Texts that a round trip must give back as they were.
const (
	formulaTitle = `=HYPERLINK("http://x","y")`
	quotedTitle  = `« Des guillemets » et des "quotes", à l'œuvre`
	quotedBody   = "Première ligne ; avec des accents : é à ç ô ü.\n\nSeconde ligne, avec \"des guillemets\",\n- et une puce."
)

// source builds a consultation with every case the export writes: two axes, votes, arguments
// and replies, a hidden contribution and a hidden argument, a withdrawn contribution, a merged
// one, one for an organisation, one typed in for someone, one from a deleted account, texts that
// a spreadsheet would run as formulas, quotes, line breaks and accents.
func source(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t)
	clock := time.Date(2017, 10, 5, 14, 30, 0, 0, time.UTC)
	db.Now = func() time.Time { clock = clock.Add(17*time.Minute + 3*time.Second); return clock }
	p := &ouvert.Process{Slug: "source", Title: "Source", TimeZone: "Europe/Paris", Axes: []ouvert.Axis{{Title: "Transparence"}, {Title: "Participation"}}}
	if err := db.CreateProcess(ctx, p); err != nil {
		t.Fatal(err)
	}
	user := func(name string) int64 {
		u := &ouvert.User{Email: strings.ToLower(strings.Fields(name)[0]) + "@exemple.fr", PasswordHash: "x", DisplayName: name}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	alice, bob, carol, dave, modo := user("Alice Martin"), user("Bob"), user("Carole N."), user("Dave"), user("Modération")
	org := &ouvert.Organisation{Name: "Regards Citoyens", Category: ouvert.CategoryAssociation}
	if err := db.CreateOrganisation(ctx, org, alice); err != nil {
		t.Fatal(err)
	}
	a1, a2 := p.Axes[0].ID, p.Axes[1].ID
	contribution := func(c *ouvert.Contribution) int64 {
		c.ProcessID = p.ID
		if err := db.CreateContribution(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	c1 := contribution(&ouvert.Contribution{AxisID: a1, AuthorID: alice, Title: formulaTitle, Body: "+33 1 23 45 67 89 : un numéro, pas une formule."})
	c2 := contribution(&ouvert.Contribution{AxisID: a2, AuthorID: bob, Title: quotedTitle, Body: quotedBody})
	c3 := contribution(&ouvert.Contribution{AxisID: a1, AuthorID: carol, Title: "Bientôt masquée", Body: "Un texte que la modération masquera."})
	c4 := contribution(&ouvert.Contribution{AxisID: a2, AuthorID: bob, Title: "Bientôt retirée", Body: "Un texte que son auteur retirera."})
	c5 := contribution(&ouvert.Contribution{AxisID: a1, AuthorID: alice, Title: "La même idée", Body: "Une idée déjà proposée, en d'autres mots."})
	c6 := contribution(&ouvert.Contribution{AxisID: a2, AuthorID: dave, Title: "D'un compte supprimé", Body: "Son auteur a supprimé son compte depuis."})
	contribution(&ouvert.Contribution{AxisID: a1, AuthorID: carol, Title: "Saisie pour une participante", Body: "Recueillie lors d'un atelier.",
		Origin: ouvert.OriginFacilitated, OnBehalfOf: "Mme Dupont"})
	c8 := contribution(&ouvert.Contribution{AxisID: a2, AuthorID: alice, OrganisationID: org.ID, Title: "Au nom de l'association", Body: "@tous : une proposition collective."})

	for _, v := range []struct {
		c, u  int64
		value int
	}{
		// Dave does not vote: the votes of a deleted account stay in the source's counts (see
		// docs/api.md) but leave votes.csv, so an import cannot count them.
		{c1, bob, 1}, {c1, carol, 1}, {c1, modo, 0}, {c2, alice, 0}, {c2, carol, -1},
		{c3, alice, 1}, {c4, alice, -1}, {c5, bob, 1}, {c6, alice, 1}, {c6, bob, 0}, {c8, bob, 1}, {c8, carol, 1},
	} {
		if err := db.Vote(ctx, v.c, v.u, v.value); err != nil {
			t.Fatal(err)
		}
	}
	argument := func(a *ouvert.Argument) int64 {
		if err := db.CreateArgument(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	g1 := argument(&ouvert.Argument{ContributionID: c1, AuthorID: bob, Stance: ouvert.StanceFor, Body: "-1 pour l'inaction : il faut agir."})
	argument(&ouvert.Argument{ContributionID: c1, ParentID: g1, AuthorID: alice, Body: "Merci,\nje précise « ma » pensée."})
	g3 := argument(&ouvert.Argument{ContributionID: c1, AuthorID: carol, Stance: ouvert.StanceAgainst, Body: "Un argument que la modération masquera."})
	argument(&ouvert.Argument{ContributionID: c1, ParentID: g3, AuthorID: bob, Body: "Une réponse à un argument masqué."})
	g5 := argument(&ouvert.Argument{ContributionID: c2, AuthorID: dave, Stance: ouvert.StanceNeutral, Body: "D'un compte supprimé depuis."})
	argument(&ouvert.Argument{ContributionID: c3, AuthorID: bob, Stance: ouvert.StanceFor, Body: "Sur une contribution masquée depuis."})
	argument(&ouvert.Argument{ContributionID: c2, ParentID: g5, AuthorID: carol, Body: "=SOMME(A1:A3) n'est pas une formule ici."})
	if _, err := db.ToggleUseful(ctx, g1, carol); err != nil {
		t.Fatal(err)
	}

	if err := db.Moderate(ctx, modo, store.TargetContribution, c3, true, "offensive"); err != nil {
		t.Fatal(err)
	}
	if err := db.Moderate(ctx, modo, store.TargetArgument, g3, true, "spam"); err != nil {
		t.Fatal(err)
	}
	if err := db.WithdrawContribution(ctx, c4, bob); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Answer(ctx, p.ID, []int64{c5}, ouvert.Answer{Response: ouvert.ResponseMerged, Target: c1, Reason: "La même idée que C-1."}, modo); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Answer(ctx, p.ID, []int64{c2}, ouvert.Answer{Response: ouvert.ResponseNotRetained, Reason: "Hors du champ du plan ;\nvoir la synthèse."}, modo); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Answer(ctx, p.ID, []int64{c1}, ouvert.Answer{Response: ouvert.ResponseRetained}, modo); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteUser(ctx, dave); err != nil {
		t.Fatal(err)
	}
	return db
}

// archive exports a database and returns the archive's files by name.
func archive(t *testing.T, db *store.DB, key string) map[string][]byte {
	t.Helper()
	var b bytes.Buffer
	if err := opendata.Export(context.Background(), db, &b, opendata.Options{PseudonymKey: []byte(key), Now: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// rows reads a CSV table of the archive as it is written, guard included.
func rows(t *testing.T, data []byte) []map[string]string {
	t.Helper()
	all, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range all[1:] {
		m := map[string]string{}
		for i, h := range all[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

// bijection checks that source values map one-to-one onto target values, the empty value onto
// itself.
type bijection struct {
	name     string
	to, from map[string]string
}

func newBijection(name string) *bijection {
	return &bijection{name: name, to: map[string]string{}, from: map[string]string{}}
}

func (b *bijection) check(t *testing.T, src, dst string) {
	t.Helper()
	if (src == "") != (dst == "") {
		t.Errorf("%s: %q became %q", b.name, src, dst)
		return
	}
	if to, ok := b.to[src]; ok && to != dst {
		t.Errorf("%s: %q became both %q and %q", b.name, src, to, dst)
	}
	if from, ok := b.from[dst]; ok && from != src {
		t.Errorf("%s: %q and %q both became %q", b.name, from, src, dst)
	}
	b.to[src], b.from[dst] = dst, src
}

// TestRoundTrip exports a process, imports its contributions, arguments and votes into an empty
// instance with the same axes, exports that, and finds the same public content: texts, statuses,
// reasons, counts, responses, merges, replies and dates, under other ids and pseudonyms.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := archive(t, source(t), "source key")

	db := storetest.Open(t)
	// Another process first, so that the target's ids differ from the source's.
	if err := db.CreateProcess(ctx, &ouvert.Process{Slug: "autre", Title: "Autre", TimeZone: "UTC", Axes: []ouvert.Axis{{Title: "X"}, {Title: "Y"}, {Title: "Z"}}}); err != nil {
		t.Fatal(err)
	}
	p := targetIn(t, db)
	file := func(name string) contribimport.File {
		return contribimport.File{Name: name, R: bytes.NewReader(src[name])}
	}
	target, err := contribimport.TargetOf(ctx, db, p)
	if err != nil {
		t.Fatal(err)
	}
	set, err := contribimport.Parse(contribimport.Files{Contributions: file("contributions.csv"), Axes: file("axes.csv"),
		Arguments: file("arguments.csv"), Votes: file("votes.csv")}, target)
	if err != nil {
		t.Fatal(err)
	}
	// Dave deleted his account: his votes went with it, and his texts have no participant.
	if n, h, w, a, v, ps := set.Summary(); n != 8 || h != 1 || w != 1 || a != 7 || v != 12 || ps != 4 {
		t.Errorf("summary = %d contributions (%d hidden, %d withdrawn), %d arguments, %d votes, %d participants", n, h, w, a, v, ps)
	}
	res, err := contribimport.Import(ctx, db, p.ID, set)
	if err != nil {
		t.Fatal(err)
	}
	if res.NewParticipants != 4 || len(res.ContributionIDs) != 8 {
		t.Errorf("result = %+v", res)
	}
	dst := archive(t, db, "target key")

	// Axes match by number.
	axisNumber := func(files map[string][]byte, process string) map[string]string {
		out := map[string]string{}
		for _, a := range rows(t, files["axes.csv"]) {
			if a["process"] == process {
				out[a["id"]] = a["number"]
			}
		}
		return out
	}
	srcAxes, dstAxes := axisNumber(src, "source"), axisNumber(dst, "cible")
	people := newBijection("participant")
	ids := map[string]map[string]string{"contributions": {"0": "0"}, "arguments": {"0": "0"}}

	// Contributions come in the same order: the import gives ids in the order of the file.
	for _, guarded := range []string{`'=HYPERLINK(""http://x"",""y"")`, "'+33", "'@tous"} {
		if !bytes.Contains(src["contributions.csv"], []byte(guarded)) || !bytes.Contains(dst["contributions.csv"], []byte(guarded)) {
			t.Errorf("the exports lack the guarded cell %s", guarded)
		}
	}
	sc, dc := rows(t, src["contributions.csv"]), rows(t, dst["contributions.csv"])
	if len(sc) != len(dc) {
		t.Fatalf("%d contributions exported, %d after the round trip", len(sc), len(dc))
	}
	for i := range sc {
		ids["contributions"][sc[i]["id"]] = dc[i]["id"]
	}
	for i, s := range sc {
		d := dc[i]
		for _, col := range opendata.Tables[3].Columns {
			name := col.Name
			switch name {
			case "id", "process_id":
			case "axis_id":
				if srcAxes[s[name]] == "" || srcAxes[s[name]] != dstAxes[d[name]] {
					t.Errorf("contribution %s: axis %s (number %s) became %s (number %s)", s["id"], s[name], srcAxes[s[name]], d[name], dstAxes[d[name]])
				}
			case "participant":
				people.check(t, s[name], d[name])
			case "merged_into":
				if ids["contributions"][s[name]] != d[name] {
					t.Errorf("contribution %s: merged into %s, after the round trip into %s", s["id"], s[name], d[name])
				}
			default:
				if s[name] != d[name] {
					t.Errorf("contribution %s: %s = %q, after the round trip %q", s["id"], name, s[name], d[name])
				}
			}
		}
	}

	sa, da := rows(t, src["arguments.csv"]), rows(t, dst["arguments.csv"])
	if len(sa) != len(da) {
		t.Fatalf("%d arguments exported, %d after the round trip", len(sa), len(da))
	}
	for i := range sa {
		ids["arguments"][sa[i]["id"]] = da[i]["id"]
	}
	useful := 0
	for i, s := range sa {
		d := da[i]
		for _, col := range opendata.Tables[4].Columns {
			name := col.Name
			switch name {
			case "id":
			case "contribution_id":
				if ids["contributions"][s[name]] != d[name] {
					t.Errorf("argument %s: on %s, after the round trip on %s", s["id"], s[name], d[name])
				}
			case "parent_id":
				if ids["arguments"][s[name]] != d[name] {
					t.Errorf("argument %s: replies to %s, after the round trip to %s", s["id"], s[name], d[name])
				}
			case "participant":
				people.check(t, s[name], d[name])
			case "useful":
				// The archive does not say who marked an argument useful: the marks stay behind.
				if s[name] != "0" {
					useful++
				}
				if d[name] != "0" {
					t.Errorf("argument %s: useful %s after the round trip", s["id"], d[name])
				}
			default:
				if s[name] != d[name] {
					t.Errorf("argument %s: %s = %q, after the round trip %q", s["id"], name, s[name], d[name])
				}
			}
		}
	}
	if useful != 1 {
		t.Errorf("the source has %d arguments marked useful, want 1", useful)
	}

	// Votes come in the order of the voters' ids, which differ: each is found again by its
	// contribution and its date (no two votes of the source share both).
	votes := map[string]map[string]string{}
	for _, v := range rows(t, dst["votes.csv"]) {
		votes[v["contribution_id"]+" "+v["voted_at"]] = v
	}
	sv := rows(t, src["votes.csv"])
	if len(sv) != len(votes) {
		t.Errorf("votes: %d exported, %d after the round trip", len(sv), len(votes))
	}
	for _, s := range sv {
		d, ok := votes[ids["contributions"][s["contribution_id"]]+" "+s["voted_at"]]
		if !ok || d["value"] != s["value"] {
			t.Errorf("vote %v became %v", s, d)
			continue
		}
		// The voters map one-to-one too, and onto the same pseudonyms as the authors.
		people.check(t, s["participant"], d["participant"])
	}

	// The published counts of the process, its axes and their responses follow.
	count := func(files map[string][]byte, slug string) string {
		for _, r := range rows(t, files["processes.csv"]) {
			if r["slug"] == slug {
				return r["contributions"]
			}
		}
		return ""
	}
	if s, d := count(src, "source"), count(dst, "cible"); s != "6" || d != s {
		t.Errorf("published contributions: %s in the source, %s after the round trip", s, d)
	}
	got, err := db.ProcessBySlug(ctx, "cible")
	if err != nil {
		t.Fatal(err)
	}
	if got.Axes[0].Contributions != 3 || got.Axes[1].Contributions != 3 {
		t.Errorf("axes count %d and %d published contributions", got.Axes[0].Contributions, got.Axes[1].Contributions)
	}
	counts, err := db.ResponseCounts(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	a1, a2 := p.Axes[0].ID, p.Axes[1].ID
	if counts[a1][ouvert.ResponseRetained] != 1 || counts[a1][ouvert.ResponseMerged] != 1 || counts[a1][ouvert.ResponseReview] != 1 ||
		counts[a2][ouvert.ResponseNotRetained] != 1 || counts[a2][ouvert.ResponseReview] != 2 {
		t.Errorf("response counts = %v", counts)
	}

	// The text is stored as written, without the export's guard; the authors are accounts
	// nobody can log in to, named as they chose.
	c, err := db.Contribution(ctx, res.ContributionIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != formulaTitle || c.AuthorName != "Alice Martin" || c.ProcessID != p.ID || c.Agree != 2 || c.Disagree != 0 || c.Mixed != 1 || c.Arguments != 2 {
		t.Errorf("contribution 1 = %+v", c)
	}
	u, err := db.UserByEmail(ctx, sc[0]["participant"]+"@import.invalid")
	if err != nil {
		t.Fatal(err)
	}
	if u.PasswordHash != "!" || u.DisplayName != "Alice Martin" || u.Role != ouvert.RoleParticipant {
		t.Errorf("imported author = %+v", u)
	}
	if c, _ := db.Contribution(ctx, res.ContributionIDs[7]); c.OrgName != "Regards Citoyens" {
		t.Errorf("contribution 8's organisation = %q", c.OrgName)
	}
	if c, _ := db.Contribution(ctx, res.ContributionIDs[5]); c.AuthorID != 0 || c.Status != ouvert.StatusPublished {
		t.Errorf("the deleted account's contribution = %+v", c)
	}
	// The imported published contributions are listed like the others.
	if list, n, err := db.Contributions(ctx, store.ContributionFilter{ProcessID: p.ID, Sort: store.SortOldest}); err != nil || n != 6 || len(list) != 6 {
		t.Errorf("the process lists %d of %d contributions, %v", len(list), n, err)
	}
}

package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// organiser signs in an organiser of the benchmark's process.
func (e *benchEnv) organiser(b *testing.B) *http.Cookie {
	b.Helper()
	ctx := context.Background()
	cookie, id, err := e.signIn(ctx, "bench-organiser-"+strconv.Itoa(b.N)+"-"+b.Name()+"@example.org")
	if err != nil {
		b.Fatal(err)
	}
	if err := e.db.SetRole(ctx, id, ouvert.RoleOrganiser, ""); err != nil {
		b.Fatal(err)
	}
	return cookie
}

// BenchmarkRegroup: the whole grouping of the process' 100,000 contributions, as the hourly run
// does it: read their texts, group them (internal/cluster), write the proposals. first-run-s is
// the first run, which writes every group; ns/op the next ones, which find the same groups and
// keep them.
func BenchmarkRegroup(b *testing.B) {
	e := benchSetup(b)
	ctx := context.Background()
	start := time.Now()
	if err := e.srv.Regroup(ctx); err != nil {
		b.Fatal(err)
	}
	first := time.Since(start)
	for b.Loop() {
		if err := e.srv.Regroup(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(first.Seconds(), "first-run-s")
	for _, kind := range []ouvert.GroupKind{ouvert.GroupDuplicate, ouvert.GroupTopic} {
		_, n, err := e.db.Groups(ctx, store.GroupFilter{ProcessID: e.proc.ID, Kind: kind, PerPage: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), string(kind)+"-groups")
	}
}

// BenchmarkResponses: "Qu'est devenue ma contribution ?", read from the counters kept on write.
func BenchmarkResponses(b *testing.B) {
	e := benchSetup(b)
	serve(b, e, func(int) *http.Request { return get("/reponses") }, http.StatusOK)
}

// BenchmarkWorkspace: the synthesis workspace on an axis, contributions still under review,
// newest first, for an organiser.
func BenchmarkWorkspace(b *testing.B) {
	e := benchSetup(b)
	cookie := e.organiser(b)
	path := "/synthese?axe=" + strconv.FormatInt(e.axis, 10) + "&reponse=review"
	serve(b, e, func(int) *http.Request {
		r := get(path)
		r.AddCookie(cookie)
		return r
	}, http.StatusOK)
}

// BenchmarkDraft: the page of a draft with 500 amendments, 2,000 comments and 50 versions, for a
// signed-in participant, with a paragraph's comments open. The draft is written through the store
// into the benchmark's database, once.
func BenchmarkDraft(b *testing.B) {
	e := benchSetup(b)
	ctx := context.Background()
	cookie, userID, err := e.signIn(ctx, "bench-drafter-"+b.Name()+strconv.Itoa(b.N)+"@example.org")
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("Publier les données ouvertes des administrations, avec leur documentation. ", 12)
	d := &ouvert.Draft{ProcessID: e.proc.ID, AxisID: e.axis, LeadAdministration: "Ministère"}
	v := &ouvert.DraftVersion{Title: "Un projet très discuté", AuthorID: userID, Sections: map[string]string{}}
	for _, k := range ouvert.Sections {
		v.Sections[k] = text + "\n\n" + text + "\n\n" + text
	}
	if err := e.db.CreateDraft(ctx, d, v); err != nil {
		b.Fatal(err)
	}
	for i := range 49 {
		next := *v
		next.Sections = map[string]string{}
		for k, s := range v.Sections {
			next.Sections[k] = s
		}
		next.Sections[ouvert.SectionCommitment] = text + strconv.Itoa(i)
		if err := e.db.EditDraft(ctx, d.ID, &next); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 2000 {
		c := &ouvert.DraftComment{DraftID: d.ID, Section: ouvert.Sections[i%len(ouvert.Sections)], Paragraph: i % 4, Stance: ouvert.StanceFor,
			Body: "Un commentaire sur ce paragraphe.", AuthorID: userID}
		if err := e.db.CommentDraft(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 500 {
		a := &ouvert.Amendment{DraftID: d.ID, Section: ouvert.Sections[i%len(ouvert.Sections)], Text: "Nouveau texte " + strconv.Itoa(i), Reason: "Parce que.", AuthorID: userID}
		if err := e.db.ProposeAmendment(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	path := "/projets/" + strconv.FormatInt(d.ID, 10) + "?section=problem&paragraphe=1"
	serve(b, e, func(int) *http.Request {
		r := get(path)
		r.AddCookie(cookie)
		return r
	}, http.StatusOK)
}

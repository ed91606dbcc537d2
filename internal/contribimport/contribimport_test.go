package contribimport_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"ouvert/internal/contribimport"
	"ouvert/internal/i18n"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
	"ouvert/internal/store/storetest"
)

// The files of a small import, as a person might write them: the export's columns, some left out.
const (
	axesCSV = "id,process,number,title\n100,source,1,Transparence\n200,source,2,Participation\n"

	contributionsCSV = "\ufeffid,axis_id,status,hidden_reason,title,body,participant,author_name,organisation,created_at,response,response_reason,merged_into\n" +
		"10,100,published,,Ouvrir les données,Publier les données des subventions.,p-aaaa,Alice,Regards Citoyens,2017-10-05T14:30:00Z,,,0\n" +
		"11,200,hidden,spam,,,,,,2017-10-05T15:00:00Z,,,0\n" +
		"12,100,published,,'=1+1,\"Sur deux\nlignes.\",p-bbbb,,,2017-10-05T16:00:00Z,merged,La même idée.,10\n"

	argumentsCSV = "id,contribution_id,parent_id,status,hidden_reason,stance,body,participant,author_name,useful,created_at\n" +
		"1,10,0,published,,for,Un argument.,p-bbbb,Bob,3,2017-10-06T10:00:00Z\n" +
		"2,10,1,published,,,Une réponse.,p-aaaa,Alice,0,2017-10-06T11:00:00Z\n"

	votesCSV = "contribution_id,participant,value,voted_at\n" +
		"10,p-bbbb,1,2017-10-06T10:00:00Z\n" +
		"10,p-cccc,'-1,2017-10-06T10:05:00Z\n" +
		"12,p-aaaa,0,\n"
)

// target makes a process with two axes and an organisation, in a new database.
func target(t *testing.T) (*store.DB, *ouvert.Process) {
	t.Helper()
	db := storetest.Open(t)
	return db, targetIn(t, db)
}

// targetIn makes the process of target in db.
func targetIn(t *testing.T, db *store.DB) *ouvert.Process {
	t.Helper()
	ctx := context.Background()
	p := &ouvert.Process{Slug: "cible", Title: "Cible", TimeZone: "Europe/Paris", Axes: []ouvert.Axis{{Title: "Transparence"}, {Title: "Participation"}}}
	if err := db.CreateProcess(ctx, p); err != nil {
		t.Fatal(err)
	}
	owner := &ouvert.User{Email: "orga@exemple.fr", PasswordHash: "x", DisplayName: "Orga"}
	if err := db.CreateUser(ctx, owner); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateOrganisation(ctx, &ouvert.Organisation{Name: "Regards Citoyens", Category: ouvert.CategoryAssociation}, owner.ID); err != nil {
		t.Fatal(err)
	}
	return p
}

// files names the texts of an import; an empty text is a file not given.
type files struct{ contributions, axes, arguments, votes string }

func (f files) open() contribimport.Files {
	file := func(name, text string) contribimport.File {
		if text == "" {
			return contribimport.File{Name: name}
		}
		return contribimport.File{Name: name, R: strings.NewReader(text)}
	}
	return contribimport.Files{Contributions: file("contributions.csv", f.contributions), Axes: file("axes.csv", f.axes),
		Arguments: file("arguments.csv", f.arguments), Votes: file("votes.csv", f.votes)}
}

var good = files{contributionsCSV, axesCSV, argumentsCSV, votesCSV}

// rowCounts counts the rows an import writes: users, contributions, arguments, votes.
func rowCounts(t *testing.T, db *store.DB) [4]int {
	t.Helper()
	ctx := context.Background()
	var n [4]int
	users, err := db.Users(ctx, 0, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	n[0] = len(users)
	err = errors.Join(
		db.EachContribution(ctx, func(*ouvert.Contribution) error { n[1]++; return nil }),
		db.EachArgument(ctx, func(*ouvert.Argument) error { n[2]++; return nil }),
		db.EachVote(ctx, func(int64, int64, int, time.Time) error { n[3]++; return nil }),
	)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	db, p := target(t)
	tgt, err := contribimport.TargetOf(ctx, db, p)
	if err != nil {
		t.Fatal(err)
	}
	set, err := contribimport.Parse(good.open(), tgt)
	if err != nil {
		t.Fatal(err)
	}
	if n, h, w, a, v, ps := set.Summary(); n != 3 || h != 1 || w != 0 || a != 2 || v != 3 || ps != 3 {
		t.Errorf("summary = %d, %d, %d, %d, %d, %d", n, h, w, a, v, ps)
	}
	res, err := contribimport.Import(ctx, db, p.ID, set)
	if err != nil {
		t.Fatal(err)
	}
	if res.NewParticipants != 3 {
		t.Errorf("new participants = %d", res.NewParticipants)
	}
	c, err := db.Contribution(ctx, res.ContributionIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	// The counts come from the votes and arguments imported, not from the file.
	if c.AxisID != p.Axes[0].ID || c.AuthorName != "Alice" || c.OrgName != "Regards Citoyens" || c.Agree != 1 || c.Disagree != 1 ||
		c.Mixed != 0 || c.Arguments != 1 || !c.CreatedAt.Equal(time.Date(2017, 10, 5, 14, 30, 0, 0, time.UTC)) {
		t.Errorf("contribution 1 = %+v", c)
	}
	c, _ = db.Contribution(ctx, res.ContributionIDs[1])
	if c.Status != ouvert.StatusHidden || c.HiddenReason != "spam" || c.AxisID != p.Axes[1].ID || c.AuthorID != 0 {
		t.Errorf("contribution 2 = %+v", c)
	}
	c, _ = db.Contribution(ctx, res.ContributionIDs[2])
	// A participant takes the first author_name any file gives them (here the arguments').
	if c.Title != "=1+1" || c.Body != "Sur deux\nlignes." || c.AuthorName != "Bob" || c.Response != ouvert.ResponseMerged ||
		c.ResponseTarget != res.ContributionIDs[0] || c.Mixed != 1 {
		t.Errorf("contribution 3 = %+v", c)
	}
	// A participant who only votes is named by their identifier.
	if u, err := db.UserByEmail(ctx, "p-cccc@import.invalid"); err != nil || u.DisplayName != "p-cccc" || u.PasswordHash != "!" {
		t.Errorf("voter = %+v, %v", u, err)
	}
	args, err := db.Arguments(ctx, res.ContributionIDs[0], store.SortNewest, 1, 10)
	if err != nil || len(args) != 1 || args[0].AuthorName != "Bob" || args[0].Useful != 0 || args[0].Replies != 1 || len(args[0].Thread) != 1 ||
		args[0].Thread[0].Body != "Une réponse." || args[0].Thread[0].Stance != "" {
		t.Fatalf("arguments = %+v, %v", args, err)
	}
	// The vote without a date is dated at the import.
	var voted time.Time
	db.EachVote(ctx, func(cid, _ int64, v int, at time.Time) error {
		if cid == res.ContributionIDs[2] {
			voted = at
		}
		return nil
	})
	if voted.Before(time.Now().Add(-time.Hour)) {
		t.Errorf("the undated vote is dated %v", voted)
	}

	// A second import of the same files finds the participants the first made.
	before := rowCounts(t, db)
	set, _ = contribimport.Parse(good.open(), tgt)
	if res, err := contribimport.Import(ctx, db, p.ID, set); err != nil || res.NewParticipants != 0 {
		t.Fatalf("second import: %+v, %v", res, err)
	}
	if after := rowCounts(t, db); after != [4]int{before[0], before[1] + 3, before[2] + 2, before[3] + 3} {
		t.Errorf("rows %v after a second import, %v before", after, before)
	}
	if p, _ := db.ProcessBySlug(ctx, p.Slug); p.Contributions != 4 || p.Axes[0].Contributions != 4 || p.Axes[1].Contributions != 0 {
		t.Errorf("the process counts %d contributions, its axes %d and %d", p.Contributions, p.Axes[0].Contributions, p.Axes[1].Contributions)
	}
}

// TestImportMinimal reads what a person converting from another platform might write: three
// columns, semicolons, the process' own axis ids.
func TestImportMinimal(t *testing.T) {
	ctx := context.Background()
	db, p := target(t)
	tgt, _ := contribimport.TargetOf(ctx, db, p)
	file := "Title;body;AXIS_ID\n" +
		"Une idée;Un texte pour la décrire.;" + strconv.FormatInt(p.Axes[1].ID, 10) + "\n" +
		";;\n"
	set, err := contribimport.Parse(files{contributions: file}.open(), tgt)
	if err != nil {
		t.Fatal(err)
	}
	res, err := contribimport.Import(ctx, db, p.ID, set)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := db.Contribution(ctx, res.ContributionIDs[0])
	if c.Title != "Une idée" || c.AxisID != p.Axes[1].ID || c.AuthorID != 0 || c.Origin != ouvert.OriginOnline || c.Status != ouvert.StatusPublished ||
		c.Response != ouvert.ResponseReview || c.Votes() != 0 {
		t.Errorf("contribution = %+v", c)
	}
}

// TestRefusals checks that each fault is named with its file, line, column and reason, and that
// nothing is written.
func TestRefusals(t *testing.T) {
	ctx := context.Background()
	db, p := target(t)
	tgt, _ := contribimport.TargetOf(ctx, db, p)
	before := rowCounts(t, db)
	contributions := func(lines ...string) string {
		return "id,process_id,axis_id,status,hidden_reason,title,body,participant,author_name,organisation,created_at,response,response_reason,merged_into\n" +
			strings.Join(lines, "\n") + "\n"
	}
	ok := "10,1,100,published,,Titre,Un texte.,p-aaaa,Alice,,2017-10-05T14:30:00Z,,,"
	args := "id,contribution_id,parent_id,stance,body\n"
	for _, tt := range []struct {
		name   string
		files  files
		file   string
		line   int
		column string
		reason string
	}{
		{"unknown column", files{contributions: "id,axis_id,titre,body\n1,100,T,B\n", axes: axesCSV}, "contributions.csv", 1, "titre", "contribimport.unknown_column"},
		{"missing column", files{contributions: "id,title,body\n1,T,B\n"}, "contributions.csv", 1, "axis_id", "import.missing_column"},
		{"duplicate column", files{contributions: "title,body,axis_id,title\nT,B,100,T\n", axes: axesCSV}, "contributions.csv", 1, "title", "import.duplicate_column"},
		{"bad axes header", files{contributions: contributionsCSV, axes: "id,numero\n100,1\n"}, "axes.csv", 1, "numero", "contribimport.unknown_column"},
		{"empty file", files{contributions: ""}, "", 0, "", ""},
		{"header only", files{contributions: contributions(), axes: axesCSV}, "contributions.csv", 2, "", "contribimport.empty"},
		{"unknown axis", files{contributions: contributions(ok, "11,1,999,published,,T,B,,,,,,,")}, "contributions.csv", 2, "axis_id", "contribimport.unknown_axis"},
		{"axis not in the axes file", files{contributions: contributions(ok, "11,1,300,published,,T,B,,,,,,,"), axes: axesCSV}, "contributions.csv", 3, "axis_id", "contribimport.axis_not_in_file"},
		{"no axis of that number", files{contributions: contributions(ok, "11,1,300,published,,T,B,,,,,,,"), axes: axesCSV + "300,source,3,Redevabilité\n"}, "contributions.csv", 3, "axis_id", "contribimport.no_axis_number"},
		{"bad axis number", files{contributions: contributions(ok), axes: axesCSV + "300,source,trois,R\n"}, "axes.csv", 4, "number", "contribimport.bad_number"},
		{"bad status", files{contributions: contributions(ok, "11,1,100,publié,,T,B,,,,,,,"), axes: axesCSV}, "contributions.csv", 3, "status", "contribimport.bad_status"},
		{"hidden without reason", files{contributions: contributions(ok, "11,1,100,hidden,,,,,,,,,,"), axes: axesCSV}, "contributions.csv", 3, "hidden_reason", "contribimport.reason_required"},
		{"published with a reason", files{contributions: contributions(ok, "11,1,100,published,spam,T,B,,,,,,,"), axes: axesCSV}, "contributions.csv", 3, "hidden_reason", "contribimport.reason_not_hidden"},
		{"unknown reason", files{contributions: contributions(ok, "11,1,100,hidden,vulgaire,,,,,,,,,"), axes: axesCSV}, "contributions.csv", 3, "hidden_reason", "contribimport.bad_hidden_reason"},
		{"title too long", files{contributions: contributions(ok, "11,1,100,published,,"+strings.Repeat("é", ouvert.MaxTitleLen+1)+",B,,,,,,,"), axes: axesCSV}, "contributions.csv", 3, "title", "import.too_long"},
		{"body too long", files{contributions: contributions("11,1,100,withdrawn,,," + strings.Repeat("b", ouvert.MaxBodyLen+1) + ",,,,,,,"), axes: axesCSV}, "contributions.csv", 2, "body", "import.too_long"},
		{"published without body", files{contributions: contributions(ok, "11,1,100,published,,T,,,,,,,,"), axes: axesCSV}, "contributions.csv", 3, "body", "import.required"},
		{"bad date", files{contributions: contributions(ok, "11,1,100,published,,T,B,,,,05/10/2017,,,"), axes: axesCSV}, "contributions.csv", 3, "created_at", "contribimport.bad_date"},
		{"duplicate id", files{contributions: contributions(ok, "\"11\",1,100,published,,T,\"B\nsur deux lignes\",,,,,,,", ok), axes: axesCSV}, "contributions.csv", 5, "id", "contribimport.duplicate_id"},
		{"bad id", files{contributions: contributions("dix,1,100,published,,T,B,,,,,,,"), axes: axesCSV}, "contributions.csv", 2, "id", "contribimport.bad_id"},
		{"several processes", files{contributions: contributions(ok, "11,2,100,published,,T,B,,,,,,,"), axes: axesCSV}, "contributions.csv", 3, "process_id", "contribimport.several_processes"},
		{"merged into nothing", files{contributions: contributions(ok, "11,1,100,published,,T,B,,,,,merged,Même idée,99"), axes: axesCSV}, "contributions.csv", 3, "merged_into", "contribimport.unknown_merge_target"},
		{"merged into itself", files{contributions: contributions(ok, "11,1,100,published,,T,B,,,,,merged,Même idée,11"), axes: axesCSV}, "contributions.csv", 3, "merged_into", "contribimport.unknown_merge_target"},
		{"merged without target", files{contributions: contributions(ok, "11,1,100,published,,T,B,,,,,merged,Même idée,0"), axes: axesCSV}, "contributions.csv", 3, "merged_into", "contribimport.merge_target_required"},
		{"target without merge", files{contributions: contributions(ok, "11,1,100,published,,T,B,,,,,retained,,10"), axes: axesCSV}, "contributions.csv", 3, "merged_into", "contribimport.merge_not_merged"},
		{"bad response", files{contributions: contributions(ok, "11,1,100,published,,T,B,,,,,accepted,,"), axes: axesCSV}, "contributions.csv", 3, "response", "contribimport.bad_response"},
		{"answer without reason", files{contributions: contributions(ok, "11,1,100,published,,T,B,,,,,not_retained,,"), axes: axesCSV}, "contributions.csv", 3, "response_reason", "contribimport.response_reason_required"},
		{"bad participant", files{contributions: contributions(ok, "11,1,100,published,,T,B,Jean Dupont,,,,,,"), axes: axesCSV}, "contributions.csv", 3, "participant", "contribimport.bad_participant"},
		{"name without participant", files{contributions: contributions(ok, "11,1,100,published,,T,B,,Jean,,,,,"), axes: axesCSV}, "contributions.csv", 3, "author_name", "contribimport.name_without_participant"},
		{"two names", files{contributions: contributions(ok, "11,1,100,published,,T,B,p-aaaa,Alicia,,,,,"), axes: axesCSV}, "contributions.csv", 3, "author_name", "contribimport.name_disagrees"},
		{"unknown organisation", files{contributions: contributions(ok, "11,1,100,published,,T,B,p-aaaa,,Amis de la Terre,,,,"), axes: axesCSV}, "contributions.csv", 3, "organisation", "contribimport.unknown_organisation"},
		{"too few cells", files{contributions: contributions(ok, "11,1,100"), axes: axesCSV}, "contributions.csv", 3, "", "import.field_count"},
		{"bad quotes", files{contributions: contributions(ok, `11,1,100,published,,"T,B,,,,,,,`), axes: axesCSV}, "contributions.csv", 3, "", "import.bad_csv"},
		{"not UTF-8", files{contributions: contributions(ok, "11,1,100,published,,Donn\xe9es,B,,,,,,,"), axes: axesCSV}, "contributions.csv", 3, "", "import.bad_encoding"},
		{"value in an unnamed column", files{contributions: "title,body,axis_id,\nT,B,100,perdu\n", axes: axesCSV}, "contributions.csv", 2, "4", "import.unnamed_column"},
		{"argument on an unknown contribution", files{contributions: contributions(ok), axes: axesCSV, arguments: args + "1,12,0,for,Un argument.\n"}, "arguments.csv", 2, "contribution_id", "contribimport.unknown_contribution"},
		{"bad stance", files{contributions: contributions(ok), axes: axesCSV, arguments: args + "1,10,0,pour,Un argument.\n"}, "arguments.csv", 2, "stance", "contribimport.bad_stance"},
		{"reply with a stance", files{contributions: contributions(ok), axes: axesCSV, arguments: args + "1,10,0,for,A.\n2,10,1,against,R.\n"}, "arguments.csv", 3, "stance", "contribimport.reply_stance"},
		{"reply to nothing", files{contributions: contributions(ok), axes: axesCSV, arguments: args + "1,10,0,for,A.\n2,10,7,,R.\n"}, "arguments.csv", 3, "parent_id", "contribimport.unknown_parent"},
		{"reply to a reply", files{contributions: contributions(ok), axes: axesCSV, arguments: args + "3,10,2,,R2.\n1,10,0,for,A.\n2,10,1,,R.\n"}, "arguments.csv", 2, "parent_id", "contribimport.reply_to_reply"},
		{"reply on another contribution", files{contributions: contributions(ok, "11,1,100,published,,T,B,,,,,,,"), axes: axesCSV, arguments: args + "1,10,0,for,A.\n2,11,1,,R.\n"}, "arguments.csv", 3, "parent_id", "contribimport.reply_to_reply"},
		{"argument hidden as withdrawn", files{contributions: contributions(ok), axes: axesCSV, arguments: "contribution_id,status,stance,body\n10,withdrawn,for,\n"}, "arguments.csv", 2, "status", "contribimport.bad_argument_status"},
		{"argument too long", files{contributions: contributions(ok), axes: axesCSV, arguments: args + "1,10,0,for," + strings.Repeat("a", ouvert.MaxArgumentLen+1) + "\n"}, "arguments.csv", 2, "body", "import.too_long"},
		{"vote value 2", files{contributions: contributions(ok), axes: axesCSV, votes: "contribution_id,participant,value\n10,p-bbbb,2\n"}, "votes.csv", 2, "value", "contribimport.bad_vote"},
		{"vote on an unknown contribution", files{contributions: contributions(ok), axes: axesCSV, votes: "contribution_id,participant,value\n10,p-bbbb,1\n11,p-bbbb,1\n"}, "votes.csv", 3, "contribution_id", "contribimport.unknown_contribution"},
		{"vote twice", files{contributions: contributions(ok), axes: axesCSV, votes: "contribution_id,participant,value\n10,p-bbbb,1\n10,P-BBBB,-1\n"}, "votes.csv", 3, "participant", "contribimport.duplicate_vote"},
		{"vote without voter", files{contributions: contributions(ok), axes: axesCSV, votes: "contribution_id,participant,value\n10,,1\n"}, "votes.csv", 2, "participant", "import.required"},
		{"vote file without value", files{contributions: contributions(ok), axes: axesCSV, votes: "contribution_id,participant\n10,p-bbbb\n"}, "votes.csv", 1, "value", "import.missing_column"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fs := tt.files.open()
			if tt.files.contributions == "" {
				fs.Contributions.R = strings.NewReader("")
				tt.file, tt.line, tt.reason = "contributions.csv", 1, "import.no_header"
			}
			set, err := contribimport.Parse(fs, tgt)
			var e *contribimport.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse = %+v, %v; want an *Error", set, err)
			}
			if e.File != tt.file || e.Line != tt.line || e.Column != tt.column || e.Reason != tt.reason {
				t.Errorf("error = %s, line %d, column %q, %s; want %s, line %d, column %q, %s",
					e.File, e.Line, e.Column, e.Reason, tt.file, tt.line, tt.column, tt.reason)
			}
		})
	}
	if after := rowCounts(t, db); after != before {
		t.Errorf("refused imports wrote rows: %v before, %v after", before, after)
	}
}

// TestImportAllOrNothing makes the database refuse a row after others are written: the
// transaction leaves nothing behind.
func TestImportAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db, p := target(t)
	tgt, _ := contribimport.TargetOf(ctx, db, p)
	// An organisation the database does not have: the check passes, the foreign key does not,
	// after the participants are written.
	tgt.Organisations["Fantôme"] = 424242
	file := strings.Replace(contributionsCSV, "Regards Citoyens", "Fantôme", 1)
	set, err := contribimport.Parse(files{file, axesCSV, argumentsCSV, votesCSV}.open(), tgt)
	if err != nil {
		t.Fatal(err)
	}
	before := rowCounts(t, db)
	if _, err := contribimport.Import(ctx, db, p.ID, set); err == nil {
		t.Fatal("the import of a contribution for a missing organisation passed")
	}
	if after := rowCounts(t, db); after != before {
		t.Errorf("a failed import wrote rows: %v before, %v after", before, after)
	}
	if p, _ := db.ProcessBySlug(ctx, p.Slug); p.Contributions != 0 {
		t.Errorf("a failed import counts %d contributions", p.Contributions)
	}
}

func TestErrorSentence(t *testing.T) {
	e := &contribimport.Error{File: "votes.csv", Line: 4, Column: "value", Reason: "contribimport.bad_vote"}
	if got, want := e.Error(), "votes.csv: line 4, column value: the value must be 1 (agree), 0 (mixed) or -1 (disagree)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := (&contribimport.Error{Line: 3, Reason: "import.bad_csv"}).Error(); got != "line 3: the line is not valid CSV: check its quotes" {
		t.Errorf("Error() = %q", got)
	}
}

// TestReasonsTranslated checks that every reason reads in both languages.
func TestReasonsTranslated(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	fr, en := cat.Locale("fr", time.UTC), cat.Locale("en", time.UTC)
	for _, k := range contribimport.Reasons() {
		if !cat.Has(k) {
			t.Errorf("the catalogues lack %s", k)
			continue
		}
		if fr.T(k) == en.T(k) {
			t.Errorf("%s reads the same in French and English: %q", k, fr.T(k))
		}
	}
}

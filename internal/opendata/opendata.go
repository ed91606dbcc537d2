// Package opendata writes everything public as an open-data archive: one ZIP holding each table
// as CSV (UTF-8 with a header, safe in a spreadsheet) and as newline-delimited JSON, a Frictionless
// Data Package (datapackage.json) with a Table Schema for every table, a README describing every
// column, and the licence. Rows are streamed from the database to the archive, so memory stays
// flat whatever the size.
package opendata

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// Options says how to describe the archive.
type Options struct {
	Licence    string // name, e.g. "Licence Ouverte 2.0"
	LicenceURL string
	BaseURL    string
	// PseudonymKey makes participants' stable pseudonymous identifiers; keep it secret and
	// constant, so that identifiers stay the same from one export to the next.
	PseudonymKey []byte
	Now          time.Time
	// TempDir is where each table's NDJSON waits, compressed, while its CSV is written: up to the
	// compressed size of the largest table's NDJSON. Empty: the system's temporary directory.
	TempDir string
}

// Column describes one column of a table.
type Column struct {
	Name, Type, Description string
}

// Table is one table of the archive.
type Table struct {
	Name, Description string
	Columns           []Column
}

// Tables lists the archive's tables and their columns, for the Data Package and the README.
var Tables = []Table{
	{"processes", "Co-creation processes.", []Column{
		{"slug", "string", "the process' identifier in addresses"}, {"title", "string", "title"}, {"subtitle", "string", "subtitle"},
		{"time_zone", "string", "IANA time zone in which dates are shown"}, {"contact", "string", "public contact address of the organisers"},
		{"contributions", "integer", "published contributions"}}},
	{"phases", "Phases of each process; ends are exclusive.", []Column{
		{"process", "string", "process slug"}, {"kind", "string", "launch, ideation, synthesis, writing, publication or implementation"},
		{"title", "string", "title"}, {"starts_at", "datetime", "start, UTC"}, {"ends_at", "datetime", "end (exclusive), UTC"}}},
	{"axes", "Axes of each process.", []Column{
		{"id", "integer", "identifier"}, {"process", "string", "process slug"}, {"number", "integer", "number within the process"},
		{"title", "string", "title"}}},
	{"contributions", "Contributions of the consultation. Hidden and withdrawn ones keep their status and reason, not their text.", []Column{
		{"id", "integer", "identifier"}, {"process_id", "integer", "process identifier"}, {"axis_id", "integer", "axis identifier"},
		{"status", "string", "published, hidden or withdrawn"}, {"hidden_reason", "string", "why moderation hid it"},
		{"title", "string", "title"}, {"body", "string", "text (Markdown)"},
		{"participant", "string", "the author's stable pseudonymous identifier; empty for a deleted account"},
		{"author_name", "string", "the name or pseudonym the author chose to show"},
		{"organisation", "string", "the organisation it was published for"},
		{"origin", "string", "online, event or facilitated"}, {"event_id", "integer", "the event it came from (0: none)"},
		{"on_behalf_of", "string", "the person a facilitator typed it in for"},
		{"agree", "integer", "agree votes"}, {"mixed", "integer", "mixed votes"}, {"disagree", "integer", "disagree votes"},
		{"arguments", "integer", "top-level arguments"}, {"example", "boolean", "demo content"}, {"created_at", "datetime", "publication, UTC"},
		{"response", "string", "the organisers' answer: review (none yet), retained, merged, draft, not_retained or out_of_scope"},
		{"response_reason", "string", "the reason given with the answer"},
		{"merged_into", "integer", "for merged: the contribution it was merged into (0: none)"},
		{"responded_at", "string", "when it was answered, UTC (empty: not yet)"}}},
	{"arguments", "Arguments (with a stance) and replies (parent_id set) on contributions.", []Column{
		{"id", "integer", "identifier"}, {"contribution_id", "integer", "contribution"}, {"parent_id", "integer", "argument replied to (0: none)"},
		{"status", "string", "published or hidden"}, {"hidden_reason", "string", "why moderation hid it"},
		{"stance", "string", "for, against, neutral (empty for replies)"}, {"body", "string", "text (Markdown)"},
		{"participant", "string", "the author's pseudonymous identifier"}, {"author_name", "string", "the name the author chose to show"},
		{"useful", "integer", "people who marked it useful"}, {"created_at", "datetime", "publication, UTC"}}},
	{"votes", "Votes on contributions: 1 agree, 0 mixed, -1 disagree.", []Column{
		{"contribution_id", "integer", "contribution"}, {"participant", "string", "the voter's pseudonymous identifier"},
		{"value", "integer", "1 agree, 0 mixed, -1 disagree"}, {"voted_at", "datetime", "last change, UTC"}}},
	{"events", "Published events: the launch, open ministries, relay workshops.", []Column{
		{"id", "integer", "identifier"}, {"process_id", "integer", "process identifier"}, {"kind", "string", "launch, open_ministry or relay_workshop"},
		{"status", "string", "published or cancelled"}, {"title", "string", "title"}, {"starts_at", "datetime", "start, UTC"},
		{"ends_at", "datetime", "end, UTC"}, {"venue", "string", "venue"}, {"address", "string", "address"}, {"postcode", "string", "postcode"},
		{"commune", "string", "commune"}, {"departement", "string", "département code"}, {"region", "string", "région code"},
		{"online_url", "string", "link to follow online"}, {"organiser", "string", "who organises"},
		{"capacity", "integer", "places (0: unlimited)"}, {"registered", "integer", "people registered"}}},
	{"syntheses", "Every published version of the syntheses (one per axis, axis_id 0 for the overall one).", []Column{
		{"synthesis_id", "integer", "synthesis identifier"}, {"process_id", "integer", "process identifier"},
		{"axis_id", "integer", "axis identifier (0: the overall synthesis)"}, {"version", "integer", "version number"},
		{"current", "boolean", "the version now published"}, {"title", "string", "title"},
		{"published_at", "datetime", "publication of this version, UTC"},
		{"text", "string", "Markdown as published: references as links, figure blocks as tables"}, {"example", "boolean", "demo content"}}},
	{"synthesis_citations", "The contributions each synthesis' current version cites.", []Column{
		{"synthesis_id", "integer", "synthesis identifier"}, {"contribution_id", "integer", "contribution identifier"}}},
	{"drafts", "Draft commitments of the writing phase, with their current version.", []Column{
		{"id", "integer", "identifier"}, {"process_id", "integer", "process identifier"}, {"axis_id", "integer", "axis identifier"},
		{"lead_administration", "string", "the administration leading it"}, {"status", "string", "open or final"},
		{"version", "integer", "current version"}, {"final_version", "integer", "version settled as final (0: not yet)"},
		{"title", "string", "title"}, {"problem", "string", "the public problem (Markdown)"}, {"commitment", "string", "the commitment (Markdown)"},
		{"milestones", "string", "milestones, one a line: deliverable | start | end"},
		{"agree", "integer", "agree votes on the whole"}, {"mixed", "integer", "mixed votes"}, {"disagree", "integer", "disagree votes"},
		{"comments", "integer", "comments"}, {"example", "boolean", "demo content"}, {"created_at", "datetime", "creation, UTC"}}},
	{"amendments", "Amendments to draft commitments and their decisions.", []Column{
		{"id", "integer", "identifier"}, {"draft_id", "integer", "draft"}, {"section", "string", "the section amended"},
		{"base_version", "integer", "the version it was written on"}, {"author_name", "string", "the name its author chose to show"},
		{"reason", "string", "why it was proposed"}, {"status", "string", "open, accepted, accepted_modified or rejected"},
		{"decision_reason", "string", "the reason given with the decision"}, {"result_version", "integer", "the version an acceptance made (0: none)"},
		{"agree", "integer", "agree votes"}, {"mixed", "integer", "mixed votes"}, {"disagree", "integer", "disagree votes"},
		{"created_at", "datetime", "publication, UTC"}}},
	{"plans", "Action plans (those in preparation are left out).", []Column{
		{"id", "integer", "identifier"}, {"slug", "string", "the plan's identifier in addresses"}, {"title", "string", "title"},
		{"period_start", "datetime", "start of the period, UTC"}, {"period_end", "datetime", "end of the period, UTC"},
		{"status", "string", "consultation, published, implementation or closed"}, {"review_open", "boolean", "open for review"},
		{"example", "boolean", "demo content"}}},
	{"commitments", "Commitments of the action plans, with their completion on the OGP review mechanism's scale.", []Column{
		{"id", "integer", "identifier"}, {"plan_id", "integer", "plan"}, {"number", "integer", "number within the plan"},
		{"title", "string", "title"}, {"axis", "string", "axis"}, {"draft_id", "integer", "the draft it came from (0: none)"},
		{"lead_administration", "string", "lead administration"}, {"other_actors", "string", "other actors"},
		{"commitment", "string", "the commitment (Markdown)"}, {"completion", "string", "not_started, limited, substantial, complete or withdrawn"},
		{"progress", "integer", "progress, per cent"}, {"reviews", "integer", "reviews"},
		{"implementation", "number", "average rating of its implementation (1-5; 0: no review)"},
		{"usefulness", "number", "average rating of its usefulness (1-5; 0: no review)"}, {"example", "boolean", "demo content"}}},
	{"milestones", "Milestones of the commitments.", []Column{
		{"id", "integer", "identifier"}, {"commitment_id", "integer", "commitment"}, {"position", "integer", "order within the commitment"},
		{"deliverable", "string", "deliverable"}, {"starts_at", "string", "start, UTC (empty: none)"}, {"ends_at", "string", "end, UTC (empty: none)"},
		{"status", "string", "not_started, in_progress or done"}}},
	{"commitment_updates", "The follow-up of the commitments: updates, milestone changes, completion levels.", []Column{
		{"id", "integer", "identifier"}, {"commitment_id", "integer", "commitment"}, {"kind", "string", "update, milestone or completion"},
		{"body", "string", "update: Markdown; milestone: the deliverable; completion: the reason"},
		{"detail", "string", "milestone: its new status; completion: the new level"}, {"author_name", "string", "who posted it"},
		{"created_at", "datetime", "when, UTC"}}},
}

// readCacheMB is the SQLite page cache of the export's reads (see store.BulkReader): most of the
// users table of 250,000 participants (40 MB), which the joins read in random order. It costs
// about twice as much resident memory (modernc's allocator gives a 4 KB page an 8 KB slot): 16 MB
// took 25 MB more than the default 2 MB, 32 MB took 58 MB more, 48 MB 95 MB more.
const readCacheMB = 32

// Export writes the archive to w. It reads each table once, in one statement, and formats and
// compresses it on other goroutines (see rows.go); a table's NDJSON waits, compressed, in a file in
// o.TempDir while its CSV is written.
func Export(ctx context.Context, db *store.DB, w io.Writer, o Options) error {
	if o.Now.IsZero() {
		o.Now = time.Now().UTC()
	}
	// Reads go through a connection of their own with a larger page cache (SQLite).
	db, closeReader, err := db.BulkReader(ctx, readCacheMB)
	if err != nil {
		return err
	}
	defer closeReader()
	zw := zip.NewWriter(w)
	fastDeflate(zw)
	enc := newEncoder(o.PseudonymKey, o.TempDir)
	defer enc.close()
	// Each table is read once: its CSV goes into the archive while its NDJSON waits in the spool.
	each := func(t Table, rows func(r *rowWriter) error) error {
		r, err := enc.begin(zw, t, o.Now)
		if err != nil {
			return err
		}
		err = rows(r)
		if eerr := r.end(err != nil); err == nil {
			err = eerr
		}
		if err != nil {
			return fmt.Errorf("opendata: %s: %w", t.Name, err)
		}
		return nil
	}
	processes, err := db.Processes(ctx)
	if err != nil {
		return err
	}
	// optStamp is a time, or empty for none.
	optStamp := func(t time.Time) val {
		if t.IsZero() {
			return str("")
		}
		return stamp(t)
	}
	steps := []struct {
		t    Table
		rows func(r *rowWriter) error
	}{
		{Tables[0], func(r *rowWriter) error {
			for _, p := range processes {
				if err := r.row(str(p.Slug), str(p.Title), str(p.Subtitle), str(p.TimeZone), str(p.ContactEmail), num(p.Contributions)); err != nil {
					return err
				}
			}
			return nil
		}},
		{Tables[1], func(r *rowWriter) error {
			for _, p := range processes {
				for _, ph := range p.Phases {
					if err := r.row(str(p.Slug), str(ph.Kind), str(ph.Title), stamp(ph.StartsAt), stamp(ph.EndsAt)); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{Tables[2], func(r *rowWriter) error {
			for _, p := range processes {
				for _, a := range p.Axes {
					if err := r.row(num(a.ID), str(p.Slug), num(a.Position), str(a.Title)); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{Tables[3], func(r *rowWriter) error {
			return db.EachContribution(ctx, func(c *ouvert.Contribution) error {
				title, body, name, org, behalf, author := "", "", "", "", "", int64(0)
				if c.Visible() {
					title, body, author, name, org, behalf = c.Title, c.Body, c.AuthorID, c.AuthorName, c.OrgName, c.OnBehalfOf
				}
				merged := int64(0)
				if c.Response == ouvert.ResponseMerged {
					merged = c.ResponseTarget
				}
				return r.row(num(c.ID), num(c.ProcessID), num(c.AxisID), str(c.Status), str(c.HiddenReason), str(title), str(body),
					who(author), str(name), str(org), str(c.Origin), num(c.OriginEventID), str(behalf), num(c.Agree), num(c.Mixed),
					num(c.Disagree), num(c.Arguments), flag(c.Example), stamp(c.CreatedAt), str(c.Response), str(c.ResponseReason),
					num(merged), optStamp(c.RespondedAt))
			})
		}},
		{Tables[4], func(r *rowWriter) error {
			return db.EachArgument(ctx, func(a *ouvert.Argument) error {
				body, name, author := "", "", int64(0)
				if a.Status == ouvert.StatusPublished {
					body, author, name = a.Body, a.AuthorID, a.AuthorName
				}
				return r.row(num(a.ID), num(a.ContributionID), num(a.ParentID), str(a.Status), str(a.HiddenReason), str(a.Stance),
					str(body), who(author), str(name), num(a.Useful), stamp(a.CreatedAt))
			})
		}},
		{Tables[5], func(r *rowWriter) error {
			return db.EachVote(ctx, func(c, u int64, v int, at time.Time) error { return r.row(num(c), who(u), num(v), stamp(at)) })
		}},
		{Tables[6], func(r *rowWriter) error {
			return db.EachEvent(ctx, func(e *ouvert.Event) error {
				return r.row(num(e.ID), num(e.ProcessID), str(e.Kind), str(e.Status), str(e.Title), stamp(e.StartsAt), stamp(e.EndsAt),
					str(e.Venue), str(e.Address), str(e.Postcode), str(e.Commune), str(e.Departement), str(e.Region), str(e.OnlineURL),
					str(e.Organiser), num(e.Capacity), num(e.Registered))
			})
		}},
		{Tables[7], func(r *rowWriter) error {
			return db.EachSynthesisVersion(ctx, func(s *ouvert.Synthesis, v *ouvert.SynthesisVersion, current bool) error {
				return r.row(num(s.ID), num(s.ProcessID), num(s.AxisID), num(v.Number), flag(current), str(v.Title), stamp(v.PublishedAt),
					str(v.Expanded), flag(s.Example))
			})
		}},
		{Tables[8], func(r *rowWriter) error {
			return db.EachCitation(ctx, func(syn, c int64) error { return r.row(num(syn), num(c)) })
		}},
		{Tables[9], func(r *rowWriter) error {
			return db.EachDraft(ctx, func(d *ouvert.Draft) error {
				v := d.Version
				return r.row(num(d.ID), num(d.ProcessID), num(d.AxisID), str(d.LeadAdministration), str(d.Status), num(v.Number),
					num(d.FinalVersion), str(v.Title), str(v.Sections[ouvert.SectionProblem]), str(v.Sections[ouvert.SectionCommitment]),
					str(v.Sections[ouvert.SectionMilestones]), num(d.Agree), num(d.Mixed), num(d.Disagree), num(d.Comments),
					flag(d.Example), stamp(d.CreatedAt))
			})
		}},
		{Tables[10], func(r *rowWriter) error {
			return db.EachAmendment(ctx, func(a *ouvert.Amendment) error {
				return r.row(num(a.ID), num(a.DraftID), str(a.Section), num(a.BaseVersion), str(a.AuthorName), str(a.Reason), str(a.Status),
					str(a.DecisionReason), num(a.ResultVersion), num(a.Agree), num(a.Mixed), num(a.Disagree), stamp(a.CreatedAt))
			})
		}},
		{Tables[11], func(r *rowWriter) error {
			return db.EachPublicPlan(ctx, func(p *ouvert.Plan) error {
				return r.row(num(p.ID), str(p.Slug), str(p.Title), stamp(p.PeriodStart), stamp(p.PeriodEnd), str(p.Status),
					flag(p.ReviewOpen), flag(p.Example))
			})
		}},
		{Tables[12], func(r *rowWriter) error {
			return db.EachPublicCommitment(ctx, func(c *ouvert.Commitment) error {
				return r.row(num(c.ID), num(c.PlanID), num(c.Number), str(c.Title), str(c.AxisTitle), num(c.DraftID),
					str(c.LeadAdministration), str(c.OtherActors), str(c.Sections[ouvert.SectionCommitment]), str(c.Completion),
					num(c.Progress), num(c.Reviews), str(strconv.FormatFloat(c.Implementation(), 'f', 2, 64)),
					str(strconv.FormatFloat(c.Usefulness(), 'f', 2, 64)), flag(c.Example))
			})
		}},
		{Tables[13], func(r *rowWriter) error {
			return db.EachPublicMilestone(ctx, func(m *ouvert.PlanMilestone) error {
				return r.row(num(m.ID), num(m.CommitmentID), num(m.Position), str(m.Deliverable), optStamp(m.StartsAt),
					optStamp(m.EndsAt), str(m.Status))
			})
		}},
		{Tables[14], func(r *rowWriter) error {
			return db.EachPublicUpdate(ctx, func(u *ouvert.CommitmentUpdate) error {
				return r.row(num(u.ID), num(u.CommitmentID), str(u.Kind), str(u.Body), str(u.Detail), str(u.AuthorName), stamp(u.CreatedAt))
			})
		}},
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := each(s.t, s.rows); err != nil {
			return err
		}
	}
	if err := writeMeta(zw, o); err != nil {
		return err
	}
	return zw.Close()
}

func writeMeta(zw *zip.Writer, o Options) error {
	type field struct {
		Name        string `json:"name"`
		Type        string `json:"type"`
		Description string `json:"description"`
	}
	type resource struct {
		Name        string `json:"name"`
		Path        string `json:"path"`
		Format      string `json:"format"`
		MediaType   string `json:"mediatype"`
		Encoding    string `json:"encoding"`
		Description string `json:"description"`
		Schema      struct {
			Fields []field `json:"fields"`
		} `json:"schema"`
	}
	pkg := map[string]any{
		"profile":  "tabular-data-package",
		"name":     "ouvert-opendata",
		"title":    "Ouvert: données ouvertes",
		"created":  o.Now.UTC().Format(time.RFC3339),
		"homepage": o.BaseURL,
		"licenses": []map[string]string{{"name": o.Licence, "path": o.LicenceURL, "title": o.Licence}},
	}
	var resources []resource
	var readme strings.Builder
	fmt.Fprintf(&readme, "# Ouvert: données ouvertes / open data\n\nExported on %s from %s.\nLicence: %s (%s).\n\n", o.Now.UTC().Format(time.RFC3339), o.BaseURL, o.Licence, o.LicenceURL)
	readme.WriteString("Each table comes as CSV (UTF-8 with a byte-order mark and a header; a cell that a spreadsheet would run as a formula starts with an apostrophe) and as newline-delimited JSON. Dates are UTC (RFC 3339). Participants appear under stable pseudonymous identifiers (participant) and the name they chose to show (author_name). Hidden and withdrawn texts keep their status and the reason, not their content.\n")
	for _, t := range Tables {
		r := resource{Name: t.Name, Path: t.Name + ".csv", Format: "csv", MediaType: "text/csv", Encoding: "utf-8-sig", Description: t.Description}
		fmt.Fprintf(&readme, "\n## %s (%s.csv, %s.ndjson)\n\n%s\n\n| column | type | meaning |\n| --- | --- | --- |\n", t.Name, t.Name, t.Name, t.Description)
		for _, c := range t.Columns {
			r.Schema.Fields = append(r.Schema.Fields, field{c.Name, c.Type, c.Description})
			fmt.Fprintf(&readme, "| %s | %s | %s |\n", c.Name, c.Type, c.Description)
		}
		resources = append(resources, r)
	}
	pkg["resources"] = resources
	for name, write := range map[string]func(io.Writer) error{
		"datapackage.json": func(w io.Writer) error { e := json.NewEncoder(w); e.SetIndent("", "  "); return e.Encode(pkg) },
		"README.md":        func(w io.Writer) error { _, err := io.WriteString(w, readme.String()); return err },
		"LICENCE.txt": func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "%s\n%s\n\nThese data are published by the organisers of the process under the licence above.\n"+
				"Reuse them freely, citing the source (%s) and the date of the export.\n", o.Licence, o.LicenceURL, o.BaseURL)
			return err
		},
	} {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: o.Now})
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			return err
		}
	}
	return nil
}

// WriteFile builds the archive into path: written to a temporary file beside it, then renamed
// over it, so that a reader never gets a half-written archive.
func WriteFile(ctx context.Context, db *store.DB, path string, o Options) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".opendata-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if o.TempDir == "" {
		o.TempDir = filepath.Dir(path)
	}
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if err := Export(ctx, db, bw, o); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

package ouvert

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Sections of a draft commitment, in the order of the OGP's commitment template.
const (
	SectionProblem    = "problem"    // the public problem
	SectionStatusQuo  = "status_quo" // what is done today
	SectionCommitment = "commitment" // what the commitment is
	SectionHow        = "how"        // how it will help solve the problem
	SectionRelevance  = "relevance"  // relevance to the OGP values
	SectionAmbition   = "ambition"   // ambition
	SectionMilestones = "milestones" // milestones: one a line, "deliverable | start | end"
)

// Sections lists the sections of a draft in the template's order.
var Sections = []string{SectionProblem, SectionStatusQuo, SectionCommitment, SectionHow, SectionRelevance, SectionAmbition, SectionMilestones}

// ValidSection reports whether s names a section.
func ValidSection(s string) bool {
	for _, x := range Sections {
		if x == s {
			return true
		}
	}
	return false
}

// OGPValues are the values of the Open Government Partnership a commitment may be relevant to.
var OGPValues = []string{"transparency", "participation", "accountability", "technology"}

// Draft statuses: open, or final once organisers settled its final version. Outside the writing
// phase an open draft takes no reaction either (CanReactToDrafts), without changing status.
const (
	DraftOpen  = "open"
	DraftFinal = "final"
)

// Limits of drafts and amendments.
const (
	MaxSectionLen = 20_000
	MaxCommentLen = 2000
)

// Draft is a draft commitment of the writing phase, with its current version.
type Draft struct {
	ID                 int64
	ProcessID          int64
	AxisID             int64
	LeadAdministration string // who leads it: the administration's name, as representatives' accounts carry it
	Status             string
	Version            *DraftVersion // the current version
	FinalVersion       int           // the version organisers marked final, 0 before
	Agree              int
	Mixed              int
	Disagree           int
	Comments           int
	Amendments         int // open amendments
	Followers          int
	Example            bool
	CreatedAt          time.Time
	Contributions      []int64 // the contributions it draws on
	Syntheses          []int64 // the syntheses it draws on
}

// DraftVersion is one version of a draft: every field of the template. Versions are never changed.
type DraftVersion struct {
	ID          int64
	DraftID     int64
	Number      int
	Title       string
	OtherActors string // other actors: government, civil society, others
	PeriodStart time.Time
	PeriodEnd   time.Time
	Values      []string // OGP values it is relevant to
	Sections    map[string]string
	AuthorID    int64
	AuthorName  string // who made this version: the editor, or the author of the amendment accepted
	AmendmentID int64  // the accepted amendment that made it, if any
	Summary     string // what changed
	CreatedAt   time.Time
}

// Section returns a section's text.
func (v *DraftVersion) Section(key string) string { return v.Sections[key] }

// Paragraphs splits a section into its paragraphs (separated by blank lines), as comments name them
// from 1.
func Paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Milestone is a line of the milestones section.
type Milestone struct {
	Deliverable string
	Start, End  string
}

// Milestones reads the milestones section: one a line, "deliverable | start | end".
func Milestones(text string) []Milestone {
	var out []Milestone
	for _, line := range strings.Split(text, "\n") {
		parts := strings.Split(line, "|")
		if strings.TrimSpace(parts[0]) == "" {
			continue
		}
		m := Milestone{Deliverable: strings.TrimSpace(parts[0])}
		if len(parts) > 1 {
			m.Start = strings.TrimSpace(parts[1])
		}
		if len(parts) > 2 {
			m.End = strings.TrimSpace(parts[2])
		}
		out = append(out, m)
	}
	return out
}

// ValidateDraftVersion checks a version typed in by an editor.
func ValidateDraftVersion(v *DraftVersion, errs FieldErrors) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(v.Title)); {
	case n == 0:
		errs.Add("title", "form.required")
	case n > MaxTitleLen:
		errs.Add("title", "contribution.title_too_long")
	}
	if strings.TrimSpace(v.Sections[SectionCommitment]) == "" {
		errs.Add(SectionCommitment, "form.required")
	}
	for _, k := range Sections {
		if utf8.RuneCountInString(v.Sections[k]) > MaxSectionLen {
			errs.Add(k, "draft.section_too_long")
		}
	}
	if !v.PeriodStart.IsZero() && !v.PeriodEnd.IsZero() && v.PeriodEnd.Before(v.PeriodStart) {
		errs.Add("period_end", "draft.period_order")
	}
}

// Amendment statuses.
const (
	AmendmentOpen             = "open"
	AmendmentAccepted         = "accepted"
	AmendmentAcceptedModified = "accepted_modified"
	AmendmentRejected         = "rejected"
)

// Amendment is new text proposed for a section of a draft, with its reason; it ends with a
// reasoned decision.
type Amendment struct {
	ID             int64
	DraftID        int64
	Section        string
	BaseVersion    int // the version it was written against
	Text           string
	Reason         string
	AuthorID       int64
	AuthorName     string
	Status         string
	DecisionReason string
	DecidedBy      string
	DecidedAt      time.Time
	ResultVersion  int // the version an acceptance made
	Agree          int
	Mixed          int
	Disagree       int
	Comments       int
	CreatedAt      time.Time
}

// DraftComment is a comment with a stance on a draft's section (Paragraph 0) or one of its
// paragraphs, or on an amendment.
type DraftComment struct {
	ID          int64
	DraftID     int64
	AmendmentID int64
	Section     string
	Paragraph   int
	Stance      string
	Body        string
	AuthorID    int64
	AuthorName  string
	Version     int
	Example     bool
	CreatedAt   time.Time
}

// CanReactToDrafts says why a person may not vote, comment or amend drafts now ("" if they may):
// signed in, not blocked, and during the writing phase.
func CanReactToDrafts(u *User, p *Process, t time.Time) string {
	switch {
	case u == nil:
		return "consultation.login_required"
	case u.BlockedAt != nil:
		return "consultation.blocked"
	}
	if ph := p.CurrentPhase(t); ph == nil || ph.Kind != PhaseWriting {
		return "draft.closed"
	}
	return ""
}

// CanWriteDrafts reports whether a person may create drafts: organisers and administration
// representatives.
func CanWriteDrafts(u *User) bool {
	return u != nil && (u.Role == RoleOrganiser || u.Role == RoleAdministration)
}

// CanDecide reports whether a person may edit a draft and decide on its amendments: organisers,
// and the representatives of its lead administration.
func CanDecide(u *User, d *Draft) bool {
	if u == nil || d == nil {
		return false
	}
	return u.Role == RoleOrganiser || (u.Role == RoleAdministration && u.Administration != "" &&
		strings.EqualFold(strings.TrimSpace(u.Administration), strings.TrimSpace(d.LeadAdministration)))
}

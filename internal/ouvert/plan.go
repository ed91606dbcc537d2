package ouvert

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Plan statuses.
const (
	PlanPreparation    = "preparation"
	PlanConsultation   = "consultation"
	PlanPublished      = "published"
	PlanImplementation = "implementation"
	PlanClosed         = "closed"
)

// PlanStatuses lists the statuses of a plan in their order.
var PlanStatuses = []string{PlanPreparation, PlanConsultation, PlanPublished, PlanImplementation, PlanClosed}

// Completion levels of a commitment, on the OGP independent review mechanism's scale.
const (
	CompletionNotStarted  = "not_started"
	CompletionLimited     = "limited"
	CompletionSubstantial = "substantial"
	CompletionComplete    = "complete"
	CompletionWithdrawn   = "withdrawn"
)

// Completions lists the completion levels in their order.
var Completions = []string{CompletionNotStarted, CompletionLimited, CompletionSubstantial, CompletionComplete, CompletionWithdrawn}

// Milestone statuses.
const (
	MilestoneNotStarted = "not_started"
	MilestoneInProgress = "in_progress"
	MilestoneDone       = "done"
)

// MilestoneStatuses lists them in order.
var MilestoneStatuses = []string{MilestoneNotStarted, MilestoneInProgress, MilestoneDone}

// Plan is an action plan: its commitments and their follow-up.
type Plan struct {
	ID           int64
	ProcessID    int64
	Slug         string
	Title        string
	PeriodStart  time.Time
	PeriodEnd    time.Time
	Introduction string // Markdown
	Status       string
	Commitments  int
	ReviewOpen   bool // participants may review its commitments ("retours d'expérience")
	Example      bool
	CreatedAt    time.Time
}

// Public reports whether the plan's commitments are shown to everyone.
func (p *Plan) Public() bool { return p.Status != PlanPreparation }

// Commitment is a numbered commitment of a plan.
type Commitment struct {
	ID                 int64
	PlanID             int64
	Number             int
	AxisID             int64
	AxisTitle          string
	DraftID            int64 // the draft it came from, if any
	DraftVersion       int
	Title              string
	LeadAdministration string
	OtherActors        string
	Sections           map[string]string // the template's sections but milestones
	Values             []string
	Completion         string
	Progress           int // per cent
	ProgressManual     bool
	ProgressReason     string
	Milestones         int
	MilestonesDone     int
	NextDue            time.Time // the earliest end of a milestone not done
	Updates            int
	Followers          int
	Example            bool
	// Reviews of the commitment once its plan is open for review, with the sums of their
	// ratings (1 to 5) for the averages.
	Reviews           int
	ImplementationSum int
	UsefulnessSum     int
}

// Implementation is the average rating of the commitment's implementation, 0 without review.
func (c *Commitment) Implementation() float64 { return average(c.ImplementationSum, c.Reviews) }

// Usefulness is the average rating of the commitment's usefulness, 0 without review.
func (c *Commitment) Usefulness() float64 { return average(c.UsefulnessSum, c.Reviews) }

func average(sum, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

// Review is a participant's review of a commitment of a plan that has ended.
type Review struct {
	CommitmentID   int64
	UserID         int64
	AuthorName     string
	Implementation int // 1 to 5
	Usefulness     int // 1 to 5
	Comment        string
	Example        bool
	UpdatedAt      time.Time
}

// EventReview is what an open-ministry event found about a commitment it reviewed.
type EventReview struct {
	EventID      int64
	EventTitle   string
	EventStarts  time.Time
	CommitmentID int64
	Findings     string // Markdown
}

// Late reports whether a milestone of the commitment is past its end and not done.
func (c *Commitment) Late(now time.Time) bool { return !c.NextDue.IsZero() && c.NextDue.Before(now) }

// PlanMilestone is a milestone of a commitment.
type PlanMilestone struct {
	ID           int64
	CommitmentID int64
	Position     int
	Deliverable  string
	StartsAt     time.Time
	EndsAt       time.Time
	Status       string
	DoneAt       time.Time
}

// Late reports whether the milestone is past its end and not done.
func (m *PlanMilestone) Late(now time.Time) bool {
	return m.Status != MilestoneDone && !m.EndsAt.IsZero() && m.EndsAt.Before(now)
}

// CommitmentUpdate is a dated entry of a commitment's follow-up: a progress update, a milestone's
// new status, a new completion level.
type CommitmentUpdate struct {
	ID           int64
	CommitmentID int64
	Number       int    // the commitment's number, for the plan's feed
	Title        string // the commitment's title, for the plan's feed
	Kind         string // update, milestone, completion
	Body         string // Markdown, for updates
	Detail       string // for milestone and completion: what changed
	AuthorName   string
	Example      bool
	CreatedAt    time.Time
}

// ParseMilestoneDate reads a milestone date as the drafts write it: 2018-06, 2018-06-30 or 2018.
func ParseMilestoneDate(s string, loc *time.Location, end bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		t, err := time.ParseInLocation(layout, s, loc)
		if err != nil {
			continue
		}
		if end {
			switch layout {
			case "2006-01":
				t = t.AddDate(0, 1, 0).Add(-time.Second)
			case "2006":
				t = t.AddDate(1, 0, 0).Add(-time.Second)
			default:
				t = t.AddDate(0, 0, 1).Add(-time.Second)
			}
		}
		return t, true
	}
	return time.Time{}, false
}

// CanFollowUp reports whether a person may report on a commitment: organisers, and the
// representatives of its lead administration.
func CanFollowUp(u *User, c *Commitment) bool {
	if u == nil || c == nil {
		return false
	}
	return u.Role == RoleOrganiser || (u.Role == RoleAdministration && u.Administration != "" &&
		strings.EqualFold(strings.TrimSpace(u.Administration), strings.TrimSpace(c.LeadAdministration)))
}

// ValidatePlan checks a plan typed in by organisers.
func ValidatePlan(p *Plan, errs FieldErrors) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(p.Title)); {
	case n == 0:
		errs.Add("title", "form.required")
	case n > MaxTitleLen:
		errs.Add("title", "contribution.title_too_long")
	}
	if p.PeriodStart.IsZero() {
		errs.Add("period_start", "form.required")
	}
	if p.PeriodEnd.IsZero() {
		errs.Add("period_end", "form.required")
	} else if !p.PeriodEnd.After(p.PeriodStart) {
		errs.Add("period_end", "draft.period_order")
	}
	valid := false
	for _, s := range PlanStatuses {
		valid = valid || s == p.Status
	}
	if !valid {
		errs.Add("status", "form.choose")
	}
}

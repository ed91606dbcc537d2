package ouvert

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on contributions and arguments.
const (
	MaxTitleLen    = 150
	MaxBodyLen     = 5000
	MinBodyLen     = 10
	MaxArgumentLen = 2000
)

// Origin says how a contribution reached the consultation.
type Origin string

// Origins of a contribution.
const (
	OriginOnline      Origin = "online"      // written on the site by its author
	OriginEvent       Origin = "event"       // produced at an event (open ministry, relay workshop)
	OriginFacilitated Origin = "facilitated" // typed in by a facilitator for a named person who agreed
)

// Origins lists the origins, for filters.
var Origins = []Origin{OriginOnline, OriginEvent, OriginFacilitated}

// Status of a contribution or argument.
const (
	StatusPublished = "published"
	StatusWithdrawn = "withdrawn"
	StatusHidden    = "hidden"
)

// Theme is a subject a process offers to tag contributions with.
type Theme struct {
	ID       int64
	Position int
	Name     string
}

// Contribution is an idea proposed during the ideation phase.
type Contribution struct {
	ID             int64
	ProcessID      int64
	AxisID         int64
	AuthorID       int64 // 0 once the author deleted their account
	AuthorName     string
	OrganisationID int64
	OrgName        string
	Title          string
	Body           string // Markdown
	Origin         Origin
	OriginEventID  int64
	OriginEvent    string // the event's title
	OnBehalfOf     string
	Status         string
	HiddenReason   string
	Example        bool
	Agree          int
	Mixed          int
	Disagree       int
	Arguments      int
	Followers      int
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ThemeIDs       []int64
	// The organisers' answer: see Response.
	Response       Response
	ResponseReason string
	ResponseTarget int64
	RespondedAt    time.Time
}

// Votes is the number of votes of any value.
func (c *Contribution) Votes() int { return c.Agree + c.Mixed + c.Disagree }

// Editable reports whether the author may still change the text: until the first vote or argument.
func (c *Contribution) Editable() bool {
	return c.Status == StatusPublished && c.Votes() == 0 && c.Arguments == 0
}

// Visible reports whether the contribution's text is shown.
func (c *Contribution) Visible() bool { return c.Status == StatusPublished }

// ValidateContribution checks what a person typed when proposing or editing.
func ValidateContribution(title, body string, errs FieldErrors) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(title)); {
	case n == 0:
		errs.Add("title", "form.required")
	case n > MaxTitleLen:
		errs.Add("title", "contribution.title_too_long")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(body)); {
	case n == 0:
		errs.Add("body", "form.required")
	case n < MinBodyLen:
		errs.Add("body", "contribution.body_too_short")
	case n > MaxBodyLen:
		errs.Add("body", "contribution.body_too_long")
	}
}

// Vote values, in Cap Collectif's words; they map to Polis' agree, pass and disagree.
const (
	VoteAgree    = 1
	VoteMixed    = 0
	VoteDisagree = -1
)

// VoteName returns the form value of a vote: agree, mixed or disagree.
func VoteName(v int) string {
	switch v {
	case VoteAgree:
		return "agree"
	case VoteDisagree:
		return "disagree"
	}
	return "mixed"
}

// ParseVote reads a form value.
func ParseVote(s string) (int, bool) {
	switch s {
	case "agree":
		return VoteAgree, true
	case "mixed":
		return VoteMixed, true
	case "disagree":
		return VoteDisagree, true
	}
	return 0, false
}

// Stance of an argument.
const (
	StanceFor     = "for"
	StanceAgainst = "against"
	StanceNeutral = "neutral"
)

// ValidStance reports whether s is a stance.
func ValidStance(s string) bool { return s == StanceFor || s == StanceAgainst || s == StanceNeutral }

// Argument is a comment with a stance on a contribution; replies (one level deep) have a ParentID.
type Argument struct {
	ID             int64
	ContributionID int64
	ParentID       int64
	AuthorID       int64
	AuthorName     string
	Stance         string
	Body           string
	Status         string
	HiddenReason   string
	Useful         int
	Replies        int
	Example        bool
	CreatedAt      time.Time
	EditedAt       *time.Time
	Thread         []*Argument // replies, oldest first
}

// ValidateArgument checks an argument's or a reply's text.
func ValidateArgument(body string, errs FieldErrors) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(body)); {
	case n == 0:
		errs.Add("body", "form.required")
	case n > MaxArgumentLen:
		errs.Add("body", "argument.too_long")
	}
}

// Report reasons.
var ReportReasons = []string{"spam", "offensive", "off_topic", "personal_data", "other"}

// ValidReportReason reports whether r is a report reason.
func ValidReportReason(r string) bool {
	for _, x := range ReportReasons {
		if r == x {
			return true
		}
	}
	return false
}

// HiddenPending is the hidden reason of an item hidden by reports until a moderator reviews it.
const HiddenPending = "pending"

// CanParticipate says whether u may propose, vote or argue in p at t: signed in, confirmed, not
// blocked, and the ideation phase open. It returns the message key of the refusal, or "".
func CanParticipate(u *User, p *Process, t time.Time) string {
	switch {
	case u == nil:
		return "consultation.login_required"
	case u.BlockedAt != nil:
		return "consultation.blocked"
	}
	if ph := p.CurrentPhase(t); ph == nil || ph.Kind != PhaseIdeation {
		return "consultation.closed"
	}
	return ""
}

package ouvert

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Response is what became of a contribution: the reasoned answer that the OGP's co-creation
// standards ask the government to give to every contribution.
type Response string

// Responses to a contribution. ResponseReview, the default, means no answer yet.
const (
	ResponseReview      Response = "review"       // under review
	ResponseRetained    Response = "retained"     // retained in the synthesis
	ResponseMerged      Response = "merged"       // merged into another contribution (Target)
	ResponseDraft       Response = "draft"        // taken up in a draft commitment (Target)
	ResponseNotRetained Response = "not_retained" // not retained, for the reason given
	ResponseOutOfScope  Response = "out_of_scope" // outside what the plan can do
)

// Responses lists the responses in the order pages show them.
var Responses = []Response{ResponseReview, ResponseRetained, ResponseMerged, ResponseDraft, ResponseNotRetained, ResponseOutOfScope}

// MaxReasonLen bounds the reason given with a response.
const MaxReasonLen = 1000

// ParseResponse reads a form value.
func ParseResponse(s string) (Response, bool) {
	for _, r := range Responses {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// Answer is a response given to one or several contributions.
type Answer struct {
	Response Response
	Reason   string
	Target   int64     // the contribution merged into, or the draft commitment
	At       time.Time // when it was given; zero for now (imports and the demo give their own dates)
}

// Validate checks an answer: a reason is required for every final answer but "retained", and a
// merge names the contribution it merges into.
func (a *Answer) Validate(errs FieldErrors) {
	a.Reason = strings.TrimSpace(a.Reason)
	if _, ok := ParseResponse(string(a.Response)); !ok {
		errs.Add("response", "form.invalid")
		return
	}
	if utf8.RuneCountInString(a.Reason) > MaxReasonLen {
		errs.Add("reason", "response.reason_too_long")
	}
	switch a.Response {
	case ResponseNotRetained, ResponseOutOfScope, ResponseMerged:
		if a.Reason == "" {
			errs.Add("reason", "response.reason_required")
		}
	}
	if (a.Response == ResponseMerged || a.Response == ResponseDraft) && a.Target <= 0 {
		errs.Add("target", "response.target_required")
	}
	if a.Response != ResponseMerged && a.Response != ResponseDraft {
		a.Target = 0
	}
}

// GroupKind says how a group of contributions was formed.
type GroupKind string

// Kinds of group.
const (
	GroupDuplicate GroupKind = "duplicate" // near duplicates: the same idea written again
	GroupTopic     GroupKind = "topic"     // related contributions of an axis
)

// Group is a set of contributions proposed by the grouping or made by organisers.
type Group struct {
	ID        int64
	ProcessID int64
	AxisID    int64 // 0 for duplicates across axes
	Kind      GroupKind
	Label     string   // organisers' name for it
	Words     []string // characteristic words found by the grouping
	Confirmed bool     // organisers confirmed it: the grouping keeps its members and label
	Rejected  bool     // organisers said these are not duplicates: never proposed again
	Members   int
	UpdatedAt time.Time
}

// Name is the label organisers gave, or the characteristic words.
func (g *Group) Name() string {
	if g.Label != "" {
		return g.Label
	}
	return strings.Join(g.Words, ", ")
}

// Synthesis is the published summary of an axis (AxisID 0: of the whole consultation).
type Synthesis struct {
	ID          int64
	ProcessID   int64
	AxisID      int64
	Title       string
	Draft       string // the text being written, Markdown with [[C-123]] references and [[chiffres]] blocks
	PublishedID int64  // the published version, 0 before the first publication
	PublishedAt time.Time
	Example     bool
	UpdatedAt   time.Time
	Versions    int
}

// Published reports whether a version is public.
func (s *Synthesis) Published() bool { return s.PublishedID != 0 }

// SynthesisVersion is one publication of a synthesis, frozen: references and figures expanded.
type SynthesisVersion struct {
	ID          int64
	SynthesisID int64
	Number      int
	Title       string
	Source      string // as written
	Expanded    string // as published: Markdown with links and figure tables
	AuthorName  string
	PublishedAt time.Time
}

// MaxSynthesisLen bounds a synthesis' text.
const MaxSynthesisLen = 100_000

package ouvert

import (
	"sync"
	"time"
)

// PhaseKind names what happens during a phase of the process.
type PhaseKind string

// The phases of an OGP co-creation cycle, in the seed's order.
const (
	PhaseLaunch         PhaseKind = "launch"
	PhaseIdeation       PhaseKind = "ideation"
	PhaseSynthesis      PhaseKind = "synthesis"
	PhaseWriting        PhaseKind = "writing"
	PhasePublication    PhaseKind = "publication"
	PhaseImplementation PhaseKind = "implementation"
)

// Process is one co-creation cycle, such as the 2017-2019 national action plan.
type Process struct {
	ID           int64
	Slug         string
	Title        string
	Subtitle     string
	Intro        string // Markdown
	ContactEmail string
	TimeZone     string
	Example      bool // demo content, marked as such on every page
	CreatedAt    time.Time
	// ReportThreshold is the number of distinct reports that hide a contribution or argument
	// until a moderator reviews it.
	ReportThreshold int
	// Contributions counts the published contributions.
	Contributions int
	// PublishEventsAtOnce publishes relay workshops without waiting for a moderator.
	PublishEventsAtOnce bool

	Phases   []Phase
	Axes     []Axis
	Channels []Channel
	Links    []Link
	Themes   []Theme
}

// Axis returns the axis with that id, or nil.
func (p *Process) Axis(id int64) *Axis {
	for i := range p.Axes {
		if p.Axes[i].ID == id {
			return &p.Axes[i]
		}
	}
	return nil
}

// Theme returns the theme with that id, or nil.
func (p *Process) Theme(id int64) *Theme {
	for i := range p.Themes {
		if p.Themes[i].ID == id {
			return &p.Themes[i]
		}
	}
	return nil
}

// Phase returns the process' phase of that kind, or nil.
func (p *Process) Phase(kind PhaseKind) *Phase {
	for i := range p.Phases {
		if p.Phases[i].Kind == kind {
			return &p.Phases[i]
		}
	}
	return nil
}

// Location returns the process' time zone, UTC if it is unknown.
func (p *Process) Location() *time.Location {
	return location(p.TimeZone)
}

// locations keeps the time zones loaded so far by name: time.LoadLocation reads and parses the
// zone's file at every call, which pages and votes ask for at every request.
var locations sync.Map // string → *time.Location

func location(name string) *time.Location {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC // not kept, so that only real zones (a few hundred) are
	}
	locations.Store(name, loc)
	return loc
}

// CurrentPhase returns the phase open at t, or nil between or outside phases.
func (p *Process) CurrentPhase(t time.Time) *Phase {
	for i := range p.Phases {
		if p.Phases[i].OpenAt(t) {
			return &p.Phases[i]
		}
	}
	return nil
}

// NextPhase returns the first phase that starts after t, or nil.
func (p *Process) NextPhase(t time.Time) *Phase {
	for i := range p.Phases {
		if p.Phases[i].StartsAt.After(t) {
			return &p.Phases[i]
		}
	}
	return nil
}

// Phase is a period of the process with a start and an end (end excluded).
type Phase struct {
	ID          int64
	Kind        PhaseKind
	Title       string
	Description string
	StartsAt    time.Time
	EndsAt      time.Time
	Position    int
}

// OpenAt reports whether t falls inside the phase.
func (ph *Phase) OpenAt(t time.Time) bool { return !t.Before(ph.StartsAt) && t.Before(ph.EndsAt) }

// Status returns "past", "current" or "future" at t.
func (ph *Phase) Status(t time.Time) string {
	switch {
	case !t.Before(ph.EndsAt):
		return "past"
	case ph.OpenAt(t):
		return "current"
	}
	return "future"
}

// Axis is one of the plan's main directions, under which contributions and commitments are grouped.
type Axis struct {
	ID            int64
	Position      int
	Title         string
	Description   string
	Contributions int // published contributions on the axis
}

// ChannelKind names one of the seed's three ways to take part.
type ChannelKind string

// The seed's three participatory strands.
const (
	ChannelOnline       ChannelKind = "online"
	ChannelOpenMinistry ChannelKind = "open_ministry"
	ChannelRelay        ChannelKind = "relay_workshop"
)

// Channel is a way to take part in the process.
type Channel struct {
	ID          int64
	Kind        ChannelKind
	Title       string
	Description string
	Position    int
}

// Link is an external link the process points to.
type Link struct {
	ID       int64
	Label    string
	URL      string
	Position int
}

// EventKind names the kind of an event.
type EventKind string

// Kinds of events.
const (
	EventLaunch       EventKind = "launch"
	EventOpenMinistry EventKind = "open_ministry"
	EventRelay        EventKind = "relay_workshop"
)

// Event is a gathering in the process: the launch, an open ministry, a relay workshop.
type Event struct {
	ID                 int64
	ProcessID          int64
	Kind               EventKind
	Status             string // published, pending (awaiting a moderator), rejected, cancelled
	Title              string
	Description        string // Markdown
	StartsAt           time.Time
	EndsAt             time.Time
	Venue              string
	Address            string
	Postcode           string
	Commune            string
	Departement        string // code, such as "75" or "2A"
	Region             string // code
	OnlineURL          string
	Organiser          string // who organises, as shown
	OrganiserID        int64  // the account that created it, 0 for the demo's launch
	HostAdministration string // for open ministries
	Audience           string
	Accessibility      []string // keys of AccessibilityFeatures
	AccessibilityNote  string
	Capacity           int // 0: unlimited
	Registration       string
	ExternalURL        string
	Registered         int
	Waiting            int
	AxisIDs            []int64
	CreatedAt          time.Time
	Sessions           []EventSession
}

// InPerson reports whether the event has a place.
func (e *Event) InPerson() bool { return e.Address != "" || e.Postcode != "" }

// Online reports whether the event can be followed online.
func (e *Event) Online() bool { return e.OnlineURL != "" }

// Full reports whether every place is taken.
func (e *Event) Full() bool { return e.Capacity > 0 && e.Registered >= e.Capacity }

// ParallelSessions returns the sessions a person must choose among when registering: the
// sessions of the first parallel group that has a capacity or more than one session.
func (e *Event) ParallelSessions() []EventSession {
	groups := map[string][]EventSession{}
	var order []string
	for _, s := range e.Sessions {
		if s.ParallelGroup == "" {
			continue
		}
		if _, ok := groups[s.ParallelGroup]; !ok {
			order = append(order, s.ParallelGroup)
		}
		groups[s.ParallelGroup] = append(groups[s.ParallelGroup], s)
	}
	for _, g := range order {
		if len(groups[g]) > 1 {
			return groups[g]
		}
	}
	return nil
}

// EventSession is one item of an event's programme; sessions sharing a ParallelGroup run at once.
type EventSession struct {
	ID            int64
	Capacity      int // 0: unlimited
	Registered    int
	Waiting       int
	StartsAt      time.Time
	EndsAt        time.Time
	Title         string
	Room          string
	Description   string
	ParallelGroup string
	Position      int
	Speakers      []Speaker
}

// Speaker is a person speaking in a session.
type Speaker struct {
	Name string
	Role string
}

// Page is an editable page of the site, such as the legal notice, in one language.
type Page struct {
	Slug      string
	Lang      string
	Title     string
	Body      string // Markdown
	UpdatedAt time.Time
}

// PageSlugs lists the editable pages.
var PageSlugs = []string{"legal-notice", "personal-data", "accessibility"}

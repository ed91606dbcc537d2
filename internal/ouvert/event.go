package ouvert

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Event statuses.
const (
	EventPublished = "published"
	EventPending   = "pending"
	EventRejected  = "rejected"
	EventCancelled = "cancelled"
)

// Registration modes of an event.
const (
	RegistrationOpen     = "open"     // register on the site, within capacity, then a waiting list
	RegistrationApproval = "approval" // register on the site; the organiser accepts
	RegistrationExternal = "external" // registration happens elsewhere (ExternalURL)
	RegistrationNone     = "none"     // come as you are
)

// RegistrationModes lists the modes, for forms.
var RegistrationModes = []string{RegistrationOpen, RegistrationApproval, RegistrationExternal, RegistrationNone}

// Registration statuses.
const (
	RegConfirmed = "confirmed"
	RegWaiting   = "waiting"
	RegPending   = "pending"
	RegCancelled = "cancelled"
)

// AccessibilityFeatures lists what an event's place offers, for forms and filters.
var AccessibilityFeatures = []string{"step_free", "sign_language", "induction_loop", "captions", "easy_read", "quiet_room"}

var postcodeRE = regexp.MustCompile(`^[0-9]{5}$`)

// ValidPostcode reports whether s looks like a French postcode.
func ValidPostcode(s string) bool { return postcodeRE.MatchString(s) }

// ValidateEvent checks an event typed in by a person: a title, dates in order and in the future
// for new events, a place or a link, a capacity, a registration mode.
func ValidateEvent(e *Event, now time.Time, errs FieldErrors) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(e.Title)); {
	case n == 0:
		errs.Add("title", "form.required")
	case n > MaxTitleLen:
		errs.Add("title", "contribution.title_too_long")
	}
	if utf8.RuneCountInString(e.Description) > MaxBodyLen {
		errs.Add("description", "contribution.body_too_long")
	}
	switch {
	case e.StartsAt.IsZero():
		errs.Add("starts", "event.bad_date")
	case e.EndsAt.IsZero():
		errs.Add("ends", "event.bad_date")
	case !e.EndsAt.After(e.StartsAt):
		errs.Add("ends", "event.ends_before_start")
	case e.StartsAt.Before(now):
		errs.Add("starts", "event.in_the_past")
	case e.EndsAt.Sub(e.StartsAt) > 31*24*time.Hour:
		errs.Add("ends", "event.too_long")
	}
	if e.Address == "" && e.Postcode == "" && e.OnlineURL == "" {
		errs.Add("address", "event.place_or_link")
	}
	if e.Postcode != "" && !ValidPostcode(e.Postcode) {
		errs.Add("postcode", "event.bad_postcode")
	}
	if e.OnlineURL != "" && !ValidURL(e.OnlineURL) {
		errs.Add("online_url", "form.url")
	}
	if e.Capacity < 0 || e.Capacity > 100000 {
		errs.Add("capacity", "event.bad_capacity")
	}
	switch e.Registration {
	case RegistrationOpen, RegistrationApproval, RegistrationNone:
	case RegistrationExternal:
		if !ValidURL(e.ExternalURL) {
			errs.Add("external_url", "form.url")
		}
	default:
		errs.Add("registration", "form.choose")
	}
}

// ValidURL reports whether s is an absolute http(s) address.
func ValidURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(s) <= 500
}

// EventReport is what an event's organiser records afterwards: attendance, with a rough breakdown
// by public, and a report.
type EventReport struct {
	EventID    int64
	Attendance int
	ByCategory map[Category]int
	Report     string // Markdown
	UpdatedAt  time.Time
}

// TitleFrom makes a contribution title of a text: its first sentence, cut on a word before
// MaxTitleLen characters. Ideas typed or imported without a title get one this way.
func TitleFrom(text string) string {
	t := strings.Join(strings.Fields(text), " ")
	if i := strings.IndexAny(t, ".?!"); i > 20 {
		t = t[:i+1]
	}
	if utf8.RuneCountInString(t) <= MaxTitleLen {
		return t
	}
	r := []rune(t)[:MaxTitleLen-1]
	cut := string(r)
	if i := strings.LastIndex(cut, " "); i > 40 {
		cut = cut[:i]
	}
	return cut + "…"
}

package ouvert

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a person may do on the platform.
type Role string

// The roles, from least to most powerful. An administration representative acts for a named
// administration (User.Administration).
const (
	RoleParticipant    Role = "participant"
	RoleModerator      Role = "moderator"
	RoleAdministration Role = "administration"
	RoleOrganiser      Role = "organiser"
)

// Roles lists every role, for forms and validation.
var Roles = []Role{RoleParticipant, RoleModerator, RoleAdministration, RoleOrganiser}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Category is the public a person belongs to, in the seed's words.
type Category string

// The seed's publics.
const (
	CategoryCitizen        Category = "citizen"
	CategoryAdministration Category = "administration"
	CategoryAssociation    Category = "association"
	CategoryThinkTank      Category = "think_tank"
	CategoryPrivate        Category = "private"
	CategoryResearch       Category = "research"
)

// Categories lists every public category in the seed's order.
var Categories = []Category{CategoryCitizen, CategoryAdministration, CategoryAssociation, CategoryThinkTank, CategoryPrivate, CategoryResearch}

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	for _, x := range Categories {
		if c == x {
			return true
		}
	}
	return false
}

// User is a person with an account.
type User struct {
	ID             int64
	Email          string
	PasswordHash   string
	DisplayName    string // their name or a pseudonym: what others see
	Category       Category
	Role           Role
	Administration string // for RoleAdministration: the administration they act for
	Lang           string
	ConfirmedAt    *time.Time
	CreatedAt      time.Time
	FailedLogins   int
	LockedUntil    *time.Time
	BlockedAt      *time.Time // blocked by a moderator: may read, not write
	Digest         bool       // wants the daily mail digest of notifications
}

// Confirmed reports whether the person has confirmed their email address.
func (u *User) Confirmed() bool { return u != nil && u.ConfirmedAt != nil }

// Is reports whether u has role r or a more powerful one. Organisers can do what moderators do.
func (u *User) Is(r Role) bool {
	if u == nil {
		return false
	}
	switch r {
	case RoleParticipant:
		return true
	case RoleModerator:
		return u.Role == RoleModerator || u.Role == RoleOrganiser
	case RoleAdministration:
		return u.Role == RoleAdministration || u.Role == RoleOrganiser
	case RoleOrganiser:
		return u.Role == RoleOrganiser
	}
	return false
}

// Limits on what people type.
const (
	MinPasswordLen    = 12
	MaxPasswordLen    = 256
	MaxDisplayNameLen = 80
	MaxEmailLen       = 254
)

// NormalizeEmail lowercases and trims an address, so that one person has one account.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail reports whether s is a plain address (no display name).
func ValidEmail(s string) bool {
	if s == "" || len(s) > MaxEmailLen {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// ValidateProfile checks the fields a person sets on their profile.
func ValidateProfile(displayName string, cat Category, errs FieldErrors) {
	n := utf8.RuneCountInString(strings.TrimSpace(displayName))
	switch {
	case n == 0:
		errs.Add("display_name", "form.required")
	case n > MaxDisplayNameLen:
		errs.Add("display_name", "form.too_long")
	}
	if !cat.Valid() {
		errs.Add("category", "form.choose")
	}
}

// Organisation is an account people belong to, so that an NGO, a company or an administration
// can act as itself.
type Organisation struct {
	ID        int64
	Slug      string
	Name      string
	Category  Category
	CreatedAt time.Time
	Members   int
}

// ValidateOrganisation checks an organisation's fields.
func ValidateOrganisation(name string, cat Category, errs FieldErrors) {
	n := utf8.RuneCountInString(strings.TrimSpace(name))
	switch {
	case n == 0:
		errs.Add("name", "form.required")
	case n > 120:
		errs.Add("name", "form.too_long")
	}
	if !cat.Valid() || cat == CategoryCitizen {
		errs.Add("category", "form.choose")
	}
}

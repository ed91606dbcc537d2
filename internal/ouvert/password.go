package ouvert

import (
	"strings"
	"unicode/utf8"
)

// ValidatePassword checks a new password: long enough, not one of the most common ones, and not
// containing the email address or its local part.
func ValidatePassword(password, email string, errs FieldErrors) {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		errs.Add("password", "password.too_short")
		return
	case len(password) > MaxPasswordLen:
		errs.Add("password", "form.too_long")
		return
	}
	lower := strings.ToLower(password)
	if email = NormalizeEmail(email); email != "" {
		local, _, _ := strings.Cut(email, "@")
		if strings.Contains(lower, email) || (len(local) >= 4 && strings.Contains(lower, local)) {
			errs.Add("password", "password.contains_email")
			return
		}
	}
	if IsCommonPassword(lower) {
		errs.Add("password", "password.common")
	}
}

// Package ouvert holds Ouvert's vocabulary: the process and its phases, people and their roles,
// validation and permissions. It knows nothing of SQL or HTTP.
package ouvert

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the web package.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOMANY      = "too_many_requests"
	EINTERNAL     = "internal"
)

// Error is an error that is safe to show: Code says what kind, Message is a message key of the
// i18n catalogue (or plain text when no key fits), Field names the form field at fault, if any.
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("ouvert: %s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("ouvert: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and message key.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error attached to a form field.
func FieldError(field, messageKey string) *Error {
	return &Error{Code: EINVALID, Message: messageKey, Field: field}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other error,
// and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the safe message key of err, or "error.internal" for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "error.internal"
}

// FieldErrors collects the validation errors of one form, keyed by field.
type FieldErrors map[string]string

// Add records key as the message for field, keeping the first one.
func (f FieldErrors) Add(field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

// Err returns nil when there are no field errors, and an EINVALID *ValidationError otherwise.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &ValidationError{Fields: f}
}

// ValidationError carries every field error of a form at once, so a form can show them all.
type ValidationError struct {
	Fields FieldErrors
}

func (v *ValidationError) Error() string {
	return fmt.Sprintf("ouvert: invalid: %v", map[string]string(v.Fields))
}

// Unwrap lets errors.As find an *Error with code EINVALID.
func (v *ValidationError) Unwrap() error { return &Error{Code: EINVALID, Message: "error.invalid"} }

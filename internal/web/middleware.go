package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"ouvert/internal/i18n"
	"ouvert/internal/ouvert"
)

// handlerFunc is a handler that returns its error to one place, renderError, which picks the
// status and the page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

var (
	errNotFound    = ouvert.Errorf(ouvert.ENOTFOUND, "error.not_found")
	errForbidden   = ouvert.Errorf(ouvert.EFORBIDDEN, "error.forbidden")
	errCrossOrigin = ouvert.Errorf(ouvert.EFORBIDDEN, "error.cross_origin")
)

func (s *Server) handle(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.renderError(w, r, err)
		}
	})
}

// statusOf maps an error code to an HTTP status.
func statusOf(code string) int {
	switch code {
	case ouvert.EINVALID:
		return http.StatusUnprocessableEntity
	case ouvert.ENOTFOUND:
		return http.StatusNotFound
	case ouvert.ECONFLICT:
		return http.StatusConflict
	case ouvert.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case ouvert.EFORBIDDEN:
		return http.StatusForbidden
	case ouvert.ETOOMANY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// renderError shows an error page in the person's language. Internal errors are logged with
// their cause; the person sees only that something went wrong.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The client went away: nobody reads an answer, and nothing went wrong here.
		s.log.Debug("client gone", "method", r.Method, "path", r.URL.Path)
		return
	}
	code := ouvert.ErrorCode(err)
	status := statusOf(code)
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	p := s.page(r, "")
	key := ouvert.ErrorMessage(err)
	if !s.cat.Has(key) {
		key = "error.internal"
	}
	titleKey := fmt.Sprintf("error.title.%d", status)
	if !s.cat.Has(titleKey) {
		titleKey = "error.title"
	}
	p.Title = p.L.T(titleKey)
	p.Data = struct {
		Status  int
		Message string
	}{status, key}
	s.render(w, r, status, "error", p)
}

// recoverer turns a panic into a 500 page and a log line with the stack.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				s.renderError(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows nothing but our own stylesheet and images: no script at all.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
	"base-uri 'none'; frame-ancestors 'none'"

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// secure reports whether the request came over TLS, to us or to the proxy in front.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.cfg.BaseURL, "https://") ||
		(s.cfg.BehindProxy && r.Header.Get("X-Forwarded-Proto") == "https")
}

// clientIP returns the address rate limits count against.
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.BehindProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			parts := strings.Split(f, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// allow applies the named rate limit to the client.
func (s *Server) allow(r *http.Request, name string) error {
	if ok, _ := s.limits[name].Allow(s.clientIP(r), time.Now()); !ok {
		s.log.Warn("rate limited", "limit", name, "ip", s.clientIP(r))
		return ouvert.Errorf(ouvert.ETOOMANY, "error.too_many")
	}
	return nil
}

type ctxKey int

const (
	userKey ctxKey = iota
	langKey
	routeKey
)

const (
	sessionCookie = "ouvert_session"
	langCookie    = "ouvert_lang"
	flashCookie   = "ouvert_flash"
)

// withSession puts the signed-in user, if any, and the person's language in the context.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var user *ouvert.User
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			if u, err := s.db.SessionUser(ctx, c.Value); err == nil {
				user = u
				ctx = context.WithValue(ctx, userKey, u)
			} else if ouvert.ErrorCode(err) == ouvert.ENOTFOUND {
				s.clearCookie(w, r, sessionCookie)
			} else {
				s.log.Error("session", "err", err)
			}
		}
		lang := ""
		if c, err := r.Cookie(langCookie); err == nil {
			lang = i18n.Supported(c.Value)
		}
		if lang == "" && user != nil {
			lang = i18n.Supported(user.Lang)
		}
		if lang == "" {
			lang = i18n.Match(r.Header.Get("Accept-Language"))
		}
		ctx = context.WithValue(ctx, langKey, lang)
		w.Header().Add("Vary", "Cookie, Accept-Language")
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func currentUser(r *http.Request) *ouvert.User {
	u, _ := r.Context().Value(userKey).(*ouvert.User)
	return u
}

func currentLang(r *http.Request) string {
	if l, ok := r.Context().Value(langKey).(string); ok {
		return l
	}
	return i18n.Default
}

// requireUser returns the signed-in user, or redirects to the log-in page and returns nil.
func requireUser(w http.ResponseWriter, r *http.Request) *ouvert.User {
	u := currentUser(r)
	if u == nil {
		target := r.URL.Path
		if r.Method == http.MethodGet && r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, "/connexion?next="+url.QueryEscape(target), http.StatusSeeOther)
	}
	return u
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
}

// flash leaves a message key to show on the next page.
func (s *Server) flash(w http.ResponseWriter, r *http.Request, key string) {
	s.setCookie(w, r, flashCookie, key, time.Minute)
}

// safeNext returns next if it is a path on this site, and fallback otherwise, so that a link
// cannot send a person off-site after they log in.
func safeNext(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return fallback
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f {
			return fallback
		}
	}
	return next
}

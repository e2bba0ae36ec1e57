package oauth

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// Kinds of failure, each a sentence the UI may show as is: what happened,
// then what to do. Match them with errors.Is on any error of this package.
var (
	ErrInvalidArgument = errors.New("oauth: invalid argument")

	// ErrConsentDenied: the user pressed Deny on GitLab's consent page
	// (error=access_denied in the callback).
	ErrConsentDenied = errors.New("oauth: you did not authorize jobscope on GitLab; sign in again and choose Authorize to continue")
	// ErrStateMismatch: the callback does not belong to this attempt (a
	// stale tab, a second attempt, or a forged link; RFC 6749 §10.12).
	ErrStateMismatch = errors.New("oauth: the sign-in answer does not match this sign-in attempt (state mismatch); start signing in again from this window")
	// ErrCodeRejected: the token endpoint answered invalid_grant to a code
	// exchange: the code expired (codes live 10 minutes, oauth §2), was
	// already used, or the PKCE verifier or redirect URI did not match.
	ErrCodeRejected = errors.New("oauth: GitLab refused the sign-in code: it expired or was already used; sign in again")
	// ErrRefreshRevoked: the refresh token was revoked, already rotated
	// away by another refresh, or its application was removed
	// (invalid_grant to a refresh, oauth §2).
	ErrRefreshRevoked = errors.New("oauth: your GitLab session ended (it was signed out or revoked on GitLab); sign in again")
	// ErrScopeTooNarrow: the API answered 403 insufficient_scope: the token
	// has read_api and the action needs api (oauth §6).
	ErrScopeTooNarrow = errors.New("oauth: this sign-in only allows reading; to cancel, retry, erase or play jobs, authorize jobscope again with the api scope")
	// ErrScopeNotAllowed: GitLab refused the requested scope at the
	// authorize step (error=invalid_scope): the application is not
	// registered with it.
	ErrScopeNotAllowed = errors.New("oauth: GitLab refused the requested access; the application on GitLab must be registered with the read_api and api scopes")
	// ErrPKCEUnsupported: the token endpoint answered invalid_client to a
	// code exchange without a secret, although the same client id was just
	// accepted by /oauth/authorize. Inference (oauth §1): GitLab answers so
	// when the application is Confidential, and an instance older than
	// 13.7, without PKCE or public clients, can only answer so.
	ErrPKCEUnsupported = errors.New("oauth: GitLab requires a client secret for this application; untick Confidential in the application's settings on GitLab, or the instance is older than GitLab 13.7 (no PKCE) and only a personal access token works")
	// ErrTokenInvalid: /oauth/token/info answered 401: the access token
	// expired, was revoked or is unknown.
	ErrTokenInvalid = errors.New("oauth: the access token is no longer valid; refresh it or sign in again")
	// ErrRejected: any other OAuth error GitLab answered (invalid_request,
	// invalid_scope on refresh, unsupported_grant_type, ...). The Error's
	// Code and Description say which.
	ErrRejected = errors.New("oauth: GitLab refused the request")
	// ErrNotSignedIn: the Session holds no token (signed out).
	ErrNotSignedIn = errors.New("oauth: not signed in to GitLab; sign in first")
)

// Error is a failed OAuth step. It never holds a token, code or verifier:
// Description is GitLab's text with any credential of the request removed.
type Error struct {
	Op          string // "authorize", "exchange code", "refresh", "revoke", "token info"
	StatusCode  int    // HTTP status; 0 for the authorize callback or when no response came
	Code        string // OAuth error code: "invalid_grant", "access_denied", ...; "" if none
	Description string // GitLab's error_description, sanitised; may be ""

	kind error // one of the sentinels, a gitlab kind for network and server failures, or nil
	err  error // the transport's error, if no response came
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.kind != nil {
		b.WriteString(e.kind.Error())
	} else {
		b.WriteString("oauth: " + e.Op + " failed")
	}
	b.WriteString(" (" + e.Op)
	if e.StatusCode != 0 {
		b.WriteString(": HTTP " + strconv.Itoa(e.StatusCode))
	}
	if e.Code != "" {
		b.WriteString(": " + e.Code)
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	if e.err != nil {
		b.WriteString(": " + e.err.Error())
	}
	b.WriteString(")")
	return b.String()
}

// Is matches the error's kind.
func (e *Error) Is(target error) bool { return e.kind != nil && target == e.kind }

// Unwrap returns the transport's error, if any.
func (e *Error) Unwrap() error { return e.err }

// APIError turns an API error into one the user can act on: a 403
// insufficient_scope from the gitlab client becomes an error that is both
// ErrScopeTooNarrow and the original *gitlab.Error. Other errors are
// returned unchanged.
func APIError(err error) error {
	if errors.Is(err, gitlab.ErrInsufficientScope) {
		return &scopeError{err}
	}
	return err
}

type scopeError struct{ api error }

func (e *scopeError) Error() string        { return ErrScopeTooNarrow.Error() + " (" + e.api.Error() + ")" }
func (e *scopeError) Is(target error) bool { return target == ErrScopeTooNarrow }
func (e *scopeError) Unwrap() error        { return e.api }

// NeedsRefresh reports whether an API error means the access token is no
// longer accepted (401: expired after 2 h, revoked, or unknown;
// gitlab-api.md §2.2), so a refresh, or else a new sign-in, is due.
func NeedsRefresh(err error) bool { return errors.Is(err, gitlab.ErrUnauthorized) }

// maxDescription bounds GitLab's text: an error body is untrusted.
const maxDescription = 300

// clean makes untrusted text one safe line without any of secrets.
func clean(s string, secrets ...string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if b.Len() >= maxDescription {
			b.WriteString("…")
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

package words

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/oauth"
)

// Problem says in words what went wrong talking to the GitLab at host
// ("gitlab.com"), and what to do. It never includes the token
// (gitlab.Error never carries it).
func Problem(err error, host string) string {
	var ge *gitlab.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return host + " did not answer in time. Check the address and your connection, then try again."
	case errors.Is(err, context.Canceled):
		return "Stopped."
	case errors.Is(err, gitlab.ErrInvalidArgument):
		return "The GitLab address is not valid: use the instance's address, like https://gitlab.example.com."
	case errors.Is(err, gitlab.ErrInsufficientScope):
		return "This token lacks the scope for that (403 insufficient_scope). Create one with read_api to read jobs, or api to cancel, retry and erase them."
	case errors.Is(err, gitlab.ErrUnauthorized):
		return host + " refused the token (401 Unauthorized" + detail(err) + "). It may be mistyped, expired or revoked: create a new one under Preferences → Access tokens."
	case errors.Is(err, gitlab.ErrForbidden):
		return host + " does not allow this (403 Forbidden" + detail(err) + "). Your role in the project may not allow it."
	case errors.Is(err, gitlab.ErrNotFound):
		return "Not found on " + host + " (404" + detail(err) + "): it does not exist, or this token cannot see it."
	case errors.Is(err, gitlab.ErrRateLimited):
		return host + " is rate limiting requests (429). Wait a minute, then try again."
	case errors.Is(err, gitlab.ErrServer):
		return host + " had an error (" + status(err) + "). Try again in a moment."
	case errors.Is(err, gitlab.ErrUnexpected):
		return host + " sent a reply jobscope could not read (" + status(err) + "). Try again; if it keeps happening, something between you and GitLab may be changing its answers."
	case errors.As(err, new(*oauth.Error)), errors.Is(err, oauth.ErrRefreshRevoked), errors.Is(err, oauth.ErrNotSignedIn):
		return SignInProblem(err)
	case errors.As(err, &ge):
		return host + " answered " + strconv.Itoa(ge.StatusCode) + detail(err) + "."
	}
	// No HTTP answer at all: the browser hides why (fetch gives a TypeError
	// for a wrong address, no network, TLS failures and CORS refusals alike).
	return "Could not reach " + host + ". Check the address and your connection. If the address is right, the instance may not allow this site to call its API (CORS)."
}

// detail is GitLab's message without the status it repeats ("401
// Unauthorized", "403 Forbidden - reason": gitlab-api.md §4), or "".
func detail(err error) string {
	var ge *gitlab.Error
	if !errors.As(err, &ge) || ge.Message == "" {
		return ""
	}
	msg := ge.Message
	if strings.HasPrefix(msg, strconv.Itoa(ge.StatusCode)+" ") {
		_, reason, ok := strings.Cut(msg, " - ")
		if !ok {
			return ""
		}
		msg = reason
	}
	return ": " + msg
}

func status(err error) string {
	var ge *gitlab.Error
	if errors.As(err, &ge) {
		return strconv.Itoa(ge.StatusCode) + detail(err)
	}
	return "an error"
}

// SignInProblem says in words what went wrong signing in, and what to do;
// never a token or code (oauth's errors never carry them).
func SignInProblem(err error) string {
	for _, kind := range []error{oauth.ErrConsentDenied, oauth.ErrStateMismatch, oauth.ErrCodeRejected,
		oauth.ErrRefreshRevoked, oauth.ErrScopeTooNarrow, oauth.ErrScopeNotAllowed, oauth.ErrPKCEUnsupported,
		oauth.ErrNotSignedIn} {
		if errors.Is(err, kind) {
			return sentence(kind.Error())
		}
	}
	return sentence(err.Error())
}

// sentence turns "oauth: you did ..." into "You did ...".
func sentence(s string) string {
	s = strings.TrimPrefix(s, "oauth: ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

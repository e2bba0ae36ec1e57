package oauth

import (
	"crypto/subtle"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Scopes jobscope asks for (oauth §6): read_api to view, api to act.
const (
	ScopeReadAPI = "read_api"
	ScopeAPI     = "api"
)

// Config names one OAuth application on one GitLab instance. A client id
// works on its own instance only (oauth §1); there is no secret.
type Config struct {
	// BaseURL is the instance, "https://gitlab.com" or
	// "https://example.com/gitlab"; no query, fragment or credentials.
	BaseURL string
	// ClientID is the application's "Application ID".
	ClientID string
	// RedirectURI is this surface's callback, exactly as registered on
	// GitLab (the PWA's callback page, chromiumapp.org or the Firefox URL,
	// oauth §4).
	RedirectURI string
}

// base returns BaseURL without a trailing slash or "/api/v4", checked.
func (c Config) base() (string, error) {
	u, err := url.Parse(strings.TrimSpace(c.BaseURL))
	switch {
	case err != nil:
		return "", fmt.Errorf("%w: the GitLab URL does not parse", ErrInvalidArgument)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%w: the GitLab URL must start with https:// (or http://)", ErrInvalidArgument)
	case u.Host == "":
		return "", fmt.Errorf("%w: the GitLab URL has no host", ErrInvalidArgument)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("%w: the GitLab URL must not carry credentials, a query or a fragment", ErrInvalidArgument)
	}
	path := strings.TrimSuffix(strings.TrimRight(u.EscapedPath(), "/"), "/api/v4")
	return u.Scheme + "://" + u.Host + strings.TrimRight(path, "/"), nil
}

func (c Config) validate() (string, error) {
	base, err := c.base()
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(c.ClientID) == "" {
		return "", fmt.Errorf("%w: the application id is empty", ErrInvalidArgument)
	}
	r, err := url.Parse(c.RedirectURI)
	if err != nil || r.Scheme == "" || r.Host == "" || r.Fragment != "" {
		return "", fmt.Errorf("%w: the redirect URI must be absolute and without a fragment", ErrInvalidArgument)
	}
	return base, nil
}

// Attempt is one sign-in: a fresh PKCE verifier and state, the scopes
// asked for and where GitLab will send the answer. Keep it until the
// callback (the PWA stores it keyed by State, since the callback may open
// in another context, oauth "Recommended flows"); use it once. Its JSON
// form holds the verifier: store it only where the tokens may go.
type Attempt struct {
	State    string   `json:"state"`
	Verifier string   `json:"verifier"`
	Scopes   []string `json:"scopes"`
}

// NewAttempt starts a sign-in asking for scopes (oauth §6: read_api first,
// api when the user first acts). At least one scope is required, since
// GitLab defaults a missing scope to api (oauth §1).
func NewAttempt(scopes ...string) (Attempt, error) {
	var clean []string
	for _, s := range scopes {
		s = strings.TrimSpace(s)
		if s == "" || strings.ContainsAny(s, " \t\n") {
			return Attempt{}, fmt.Errorf("%w: scope %q", ErrInvalidArgument, s)
		}
		if !slices.Contains(clean, s) {
			clean = append(clean, s)
		}
	}
	if len(clean) == 0 {
		return Attempt{}, fmt.Errorf("%w: ask for at least one scope (GitLab would default to api)", ErrInvalidArgument)
	}
	return Attempt{State: randomToken(), Verifier: NewVerifier(), Scopes: clean}, nil
}

// String hides the verifier and state.
func (a Attempt) String() string { return "oauth.Attempt(" + strings.Join(a.Scopes, " ") + ")" }

// GoString is String.
func (a Attempt) GoString() string { return a.String() }

// AuthorizeURL is the consent page to open for attempt a (oauth §2): the
// PWA navigates to it top-level, an extension hands it to
// identity.launchWebAuthFlow. It carries the S256 challenge, never the
// verifier.
func (c Config) AuthorizeURL(a Attempt) (string, error) {
	base, err := c.validate()
	if err != nil {
		return "", err
	}
	if err := ValidVerifier(a.Verifier); err != nil {
		return "", err
	}
	if a.State == "" || len(a.Scopes) == 0 {
		return "", fmt.Errorf("%w: use an Attempt from NewAttempt", ErrInvalidArgument)
	}
	q := url.Values{
		"client_id":             {c.ClientID},
		"redirect_uri":          {c.RedirectURI},
		"response_type":         {"code"},
		"state":                 {a.State},
		"scope":                 {strings.Join(a.Scopes, " ")},
		"code_challenge":        {Challenge(a.Verifier)},
		"code_challenge_method": {"S256"},
	}
	return base + "/oauth/authorize?" + q.Encode(), nil
}

// Callback reads GitLab's answer, the URL the browser was sent to (or the
// one launchWebAuthFlow returned), and returns the authorization code. The
// state is checked first, in constant time: an answer for another attempt
// is ErrStateMismatch whatever it says. Then error=access_denied is
// ErrConsentDenied, error=invalid_scope ErrScopeNotAllowed, and any other
// error an *Error of kind ErrRejected.
func (a Attempt) Callback(callbackURL string) (code string, err error) {
	u, err := url.Parse(callbackURL)
	if err != nil {
		return "", &Error{Op: "authorize", Description: "the callback URL does not parse", kind: ErrRejected}
	}
	q := u.Query()
	got := q.Get("state")
	if a.State == "" || subtle.ConstantTimeCompare([]byte(got), []byte(a.State)) != 1 {
		return "", &Error{Op: "authorize", kind: ErrStateMismatch}
	}
	code = q.Get("code")
	if e := q.Get("error"); e != "" {
		kind := ErrRejected
		switch e {
		case "access_denied":
			kind = ErrConsentDenied
		case "invalid_scope":
			kind = ErrScopeNotAllowed
		}
		return "", &Error{Op: "authorize", Code: clean(e, code, a.State), Description: clean(q.Get("error_description"), code, a.State), kind: kind}
	}
	if code == "" {
		return "", &Error{Op: "authorize", Description: "the callback carries neither a code nor an error", kind: ErrRejected}
	}
	return code, nil
}

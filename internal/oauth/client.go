package oauth

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// Client calls one instance's OAuth endpoints for one application. It is
// safe for concurrent use; it keeps no token (Session does).
type Client struct {
	cfg       Config
	base      string
	transport gitlab.Transport
	now       func() time.Time
}

// Option configures a Client.
type Option func(*Client)

// WithTransport replaces the default transport (net/http natively, the
// browser's fetch in the wasm build).
func WithTransport(t gitlab.Transport) Option { return func(c *Client) { c.transport = t } }

// WithClock replaces time.Now, which dates a token's expiry on receipt.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// NewClient checks cfg and returns a Client for it.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	base, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, base: base, transport: defaultTransport(), now: time.Now}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Config returns the client's configuration.
func (c *Client) Config() Config { return c.cfg }

// Token is a pair from /oauth/token (oauth §2). Its String hides both
// tokens; its JSON form does not, so store it only where tokens may go
// (oauth §6).
type Token struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Scopes       []string  `json:"scopes"`
	CreatedAt    time.Time `json:"created_at"` // GitLab's clock
	ExpiresAt    time.Time `json:"expires_at"` // ours: receipt time + expires_in
}

// String names the scopes and expiry, never the tokens.
func (t Token) String() string {
	return "oauth.Token(" + strings.Join(t.Scopes, " ") + ", expires " + t.ExpiresAt.UTC().Format(time.RFC3339) + ")"
}

// GoString is String.
func (t Token) GoString() string { return t.String() }

// HasScope reports whether the token was granted scope.
func (t Token) HasScope(scope string) bool {
	for _, s := range t.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// Auth is the credential for the gitlab client: Authorization: Bearer,
// never a query parameter (oauth §6).
func (t Token) Auth() gitlab.Auth { return gitlab.OAuthToken(t.AccessToken) }

// Exchange trades the code from Attempt.Callback for a token pair
// (oauth §2): a form POST with the verifier, no secret. invalid_grant is
// ErrCodeRejected; invalid_client is ErrPKCEUnsupported (see there).
func (c *Client) Exchange(ctx context.Context, code string, a Attempt) (Token, error) {
	const op = "exchange code"
	if code == "" {
		return Token{}, &Error{Op: op, Description: "no code", kind: ErrInvalidArgument}
	}
	if err := ValidVerifier(a.Verifier); err != nil {
		return Token{}, err
	}
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {c.cfg.ClientID}, "code": {code},
		"redirect_uri": {c.cfg.RedirectURI}, "code_verifier": {a.Verifier}}
	return c.token(ctx, op, form, exchangeKinds, code, a.Verifier)
}

// Refresh trades a refresh token for a new pair; the old pair is dead
// afterwards (rotation, oauth §2). scopes, if given, narrow the grant
// (widening is refused: ErrRejected with Code invalid_scope). invalid_grant
// is ErrRefreshRevoked. Use Session for one refresh at a time.
func (c *Client) Refresh(ctx context.Context, refreshToken string, scopes ...string) (Token, error) {
	const op = "refresh"
	if refreshToken == "" {
		return Token{}, &Error{Op: op, Description: "no refresh token", kind: ErrNotSignedIn}
	}
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {c.cfg.ClientID}, "refresh_token": {refreshToken}}
	if len(scopes) > 0 {
		form.Set("scope", strings.Join(scopes, " "))
	}
	return c.token(ctx, op, form, refreshKinds, refreshToken)
}

// The sentinels of /oauth/token's OAuth error codes, per grant.
var (
	exchangeKinds = map[string]error{"invalid_grant": ErrCodeRejected, "invalid_client": ErrPKCEUnsupported}
	refreshKinds  = map[string]error{"invalid_grant": ErrRefreshRevoked}
)

// AnswerError is the error Exchange (grant "authorization_code") or Refresh
// (grant "refresh_token") returns for a failed /oauth/token answer that
// another context received: the extension's background exchanges and
// refreshes, since the popup may close mid-flow, and hands the popup the
// status and body to put in words. The body is untrusted and sanitised.
func AnswerError(grant string, status int, body []byte) error {
	op, kinds := "refresh", refreshKinds
	if grant == "authorization_code" {
		op, kinds = "exchange code", exchangeKinds
	}
	return failure(op, &gitlab.Response{StatusCode: status, Body: body}, kinds)
}

// Revoke revokes token, access or refresh: either kills the pair
// (oauth §2). GitLab answers 200 for an unknown or already revoked token,
// so revoking twice is not an error.
func (c *Client) Revoke(ctx context.Context, token string) error {
	const op = "revoke"
	if token == "" {
		return nil
	}
	form := url.Values{"client_id": {c.cfg.ClientID}, "token": {token}}
	resp, err := c.post(ctx, "/oauth/revoke", form)
	if err != nil {
		return &Error{Op: op, kind: gitlab.ErrNetwork, err: scrubbed(err, token)}
	}
	if resp.StatusCode == 200 {
		return nil
	}
	return failure(op, resp, nil, token)
}

// TokenInfo is /oauth/token/info's answer (oauth §2): the current scopes
// (oauth §6) and the remaining lifetime.
type TokenInfo struct {
	ResourceOwnerID int64
	Scopes          []string
	ExpiresIn       time.Duration
	ApplicationID   string // application.uid
	CreatedAt       time.Time
}

// Info asks GitLab about an access token. A 401 is ErrTokenInvalid.
func (c *Client) Info(ctx context.Context, accessToken string) (TokenInfo, error) {
	const op = "token info"
	req := &gitlab.Request{Method: "GET", URL: c.base + "/oauth/token/info", Header: gitlab.Header{}}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+accessToken) // allowed by the CORS rule (oauth §3)
	resp, err := c.transport.Do(ctx, req)
	if err != nil {
		return TokenInfo{}, &Error{Op: op, kind: gitlab.ErrNetwork, err: scrubbed(err, accessToken)}
	}
	if resp.StatusCode != 200 {
		return TokenInfo{}, failure(op, resp, map[string]error{"invalid_token": ErrTokenInvalid}, accessToken)
	}
	var body struct {
		ResourceOwnerID int64           `json:"resource_owner_id"`
		Scope           json.RawMessage `json:"scope"` // an array (doorkeeper's as_json); a string is read too
		ExpiresIn       int64           `json:"expires_in"`
		Application     struct {
			UID string `json:"uid"`
		} `json:"application"`
		CreatedAt int64 `json:"created_at"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		return TokenInfo{}, &Error{Op: op, StatusCode: resp.StatusCode, Description: "the answer is not JSON", kind: gitlab.ErrUnexpected}
	}
	var scopes []string
	if json.Unmarshal(body.Scope, &scopes) != nil {
		var s string
		_ = json.Unmarshal(body.Scope, &s)
		scopes = strings.Fields(s)
	}
	return TokenInfo{ResourceOwnerID: body.ResourceOwnerID, Scopes: scopes,
		ExpiresIn: time.Duration(body.ExpiresIn) * time.Second, ApplicationID: body.Application.UID,
		CreatedAt: time.Unix(body.CreatedAt, 0).UTC()}, nil
}

// token posts a grant to /oauth/token and reads the pair.
func (c *Client) token(ctx context.Context, op string, form url.Values, kinds map[string]error, secrets ...string) (Token, error) {
	resp, err := c.post(ctx, "/oauth/token", form)
	if err != nil {
		return Token{}, &Error{Op: op, kind: gitlab.ErrNetwork, err: scrubbed(err, secrets...)}
	}
	if resp.StatusCode != 200 {
		return Token{}, failure(op, resp, kinds, secrets...)
	}
	var body struct {
		AccessToken  string `json:"access_token"`
		TokenType    string `json:"token_type"`
		ExpiresIn    int64  `json:"expires_in"`
		RefreshToken string `json:"refresh_token"`
		Scope        string `json:"scope"`
		CreatedAt    int64  `json:"created_at"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil || body.AccessToken == "" || !strings.EqualFold(body.TokenType, "bearer") {
		return Token{}, &Error{Op: op, StatusCode: resp.StatusCode, Description: "the answer is not a bearer token response", kind: gitlab.ErrUnexpected}
	}
	life := time.Duration(body.ExpiresIn) * time.Second
	if life <= 0 {
		life = 2 * time.Hour // fixed on GitLab (oauth §2); assumed when absent
	}
	return Token{AccessToken: body.AccessToken, RefreshToken: body.RefreshToken, Scopes: strings.Fields(body.Scope),
		CreatedAt: time.Unix(body.CreatedAt, 0).UTC(), ExpiresAt: c.now().Add(life)}, nil
}

// post sends a form as a CORS simple request: only safelisted headers, so
// no preflight and nothing the rule of oauth §3 could refuse.
func (c *Client) post(ctx context.Context, path string, form url.Values) (*gitlab.Response, error) {
	req := &gitlab.Request{Method: "POST", URL: c.base + path, Header: gitlab.Header{}, Body: []byte(form.Encode())}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return c.transport.Do(ctx, req)
}

// failure reads doorkeeper's {"error","error_description"} (or anything
// else) into an *Error whose kind comes from kinds by OAuth code, else
// from the status.
func failure(op string, resp *gitlab.Response, kinds map[string]error, secrets ...string) error {
	var body struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Message     string `json:"message"`
	}
	_ = json.Unmarshal(resp.Body, &body)
	if body.Description == "" {
		body.Description = body.Message
	}
	e := &Error{Op: op, StatusCode: resp.StatusCode, Code: clean(body.Error, secrets...),
		Description: clean(body.Description, secrets...)}
	switch {
	case kinds[body.Error] != nil:
		e.kind = kinds[body.Error]
	case resp.StatusCode == 429:
		e.kind = gitlab.ErrRateLimited
	case resp.StatusCode >= 500:
		e.kind = gitlab.ErrServer
	case body.Error != "":
		e.kind = ErrRejected
	default:
		e.kind = gitlab.ErrUnexpected
	}
	return e
}

// scrubbed keeps a transport error's kind but removes any secret from its
// text (a transport may quote the request).
func scrubbed(err error, secrets ...string) error {
	msg := err.Error()
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			return &cleanErr{msg: clean(msg, secrets...), err: err}
		}
	}
	return err
}

type cleanErr struct {
	msg string
	err error
}

func (e *cleanErr) Error() string { return e.msg }

// Unwrap lets errors.Is see context.Canceled and the like; the wrapped
// error's own text is not used.
func (e *cleanErr) Unwrap() error { return e.err }

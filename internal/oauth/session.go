package oauth

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// RefreshMargin is how long before expiry Session refreshes (oauth
// "Recommended flows": at expires_in − 300 s).
const RefreshMargin = 5 * time.Minute

// refreshTimeout bounds a refresh that runs on after its caller left.
const refreshTimeout = time.Minute

// Session is the signed-in state of one instance: the current pair, kept
// fresh. Refreshes are single-flight: concurrent callers share one request,
// since with rotation a second refresh with the same token gets
// invalid_grant (oauth §6). Safe for concurrent use. Across tabs or
// contexts the UI serialises with a Web Lock (or the extension's service
// worker), passes the access token it saw rejected to Refresh, and Adopts a
// pair another context stored. In the browser, call its methods off the
// event-loop goroutine (go-app's ctx.Async), as for the gitlab client: they
// wait for fetch.
type Session struct {
	client   *Client
	onChange func(Token) // persist the pair; the zero Token means signed out

	mu     sync.Mutex
	tok    Token
	flight *flight
}

type flight struct {
	done chan struct{}
	tok  Token
	err  error
}

// NewSession starts a session with tok (from Exchange, or a refresh token
// kept from an earlier visit with an empty AccessToken, which refreshes on
// first use). onChange, if not nil, is called after every rotation,
// replacement and sign-out (with the zero Token), outside any lock and one
// call at a time, so the UI can store the new refresh token (oauth §6).
func NewSession(c *Client, tok Token, onChange func(Token)) *Session {
	if onChange == nil {
		onChange = func(Token) {}
	}
	return &Session{client: c, onChange: onChange, tok: tok}
}

// Token returns the current pair; ok is false after sign-out or a revoked
// refresh.
func (s *Session) Token() (tok Token, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok, s.signedIn()
}

func (s *Session) signedIn() bool { return s.tok.AccessToken != "" || s.tok.RefreshToken != "" }

// Auth returns the credential to send now, refreshing first when the
// access token expires within RefreshMargin. If that refresh fails for a
// reason other than ErrRefreshRevoked while the token is still valid, the
// current token is used.
func (s *Session) Auth(ctx context.Context) (gitlab.Auth, error) {
	tok, err := s.current(ctx)
	if err != nil {
		return gitlab.Auth{}, err
	}
	return tok.Auth(), nil
}

func (s *Session) current(ctx context.Context) (Token, error) {
	s.mu.Lock()
	tok, ok := s.tok, s.signedIn()
	s.mu.Unlock()
	if !ok {
		return Token{}, &Error{Op: "refresh", kind: ErrNotSignedIn}
	}
	now := s.client.now()
	if tok.AccessToken != "" && now.Add(RefreshMargin).Before(tok.ExpiresAt) {
		return tok, nil
	}
	fresh, err := s.Refresh(ctx, tok.AccessToken)
	if err != nil {
		if tok.AccessToken != "" && now.Before(tok.ExpiresAt) && !errors.Is(err, ErrRefreshRevoked) {
			return tok, nil
		}
		return Token{}, err
	}
	return fresh, nil
}

// Refresh rotates the pair. stale is the access token the caller saw
// rejected (or about to expire): if the session has already moved past it,
// the current pair is returned without a request. "" forces a refresh.
// Concurrent calls share one request. The request itself runs to the end
// even if ctx ends (GitLab rotates the pair on receipt; dropping the answer
// would lose the only valid refresh token); ctx only stops the wait.
// ErrRefreshRevoked signs the session out.
func (s *Session) Refresh(ctx context.Context, stale string) (Token, error) {
	s.mu.Lock()
	if !s.signedIn() {
		s.mu.Unlock()
		return Token{}, &Error{Op: "refresh", kind: ErrNotSignedIn}
	}
	if stale != "" && s.tok.AccessToken != stale && s.tok.AccessToken != "" {
		tok := s.tok
		s.mu.Unlock()
		return tok, nil
	}
	f := s.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		s.flight = f
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
		go func(refresh string) {
			defer cancel()
			s.land(rctx, f, refresh)
		}(s.tok.RefreshToken)
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return Token{}, ctx.Err()
	}
}

// land runs one refresh and publishes its result.
func (s *Session) land(ctx context.Context, f *flight, refresh string) {
	tok, err := s.client.Refresh(ctx, refresh)
	s.mu.Lock()
	changed := false
	var orphan string
	switch {
	case s.tok.RefreshToken != refresh:
		// Replaced, adopted or signed out meanwhile: keep that, and revoke
		// the pair GitLab just issued, which nobody will hold.
		if err == nil {
			orphan = tok.RefreshToken
		}
		tok, err = s.tok, nil
		if !s.signedIn() {
			err = &Error{Op: "refresh", kind: ErrNotSignedIn}
		}
	case err == nil:
		s.tok, changed = tok, true
	case errors.Is(err, ErrRefreshRevoked):
		s.tok, changed = Token{}, true
	}
	s.mu.Unlock()
	if changed {
		s.onChange(tok)
	}
	s.mu.Lock()
	f.tok, f.err = tok, err
	s.flight = nil
	s.mu.Unlock()
	close(f.done)
	if orphan != "" {
		_ = s.client.Revoke(ctx, orphan) // best effort: it would otherwise live on
	}
}

// Adopt takes a pair another tab or context obtained (it already rotated
// ours away); nothing is revoked and onChange is not called.
func (s *Session) Adopt(tok Token) {
	s.mu.Lock()
	s.tok = tok
	s.mu.Unlock()
}

// Replace installs a new pair from a new sign-in, such as the upgrade from
// read_api to api (oauth §6: new consent, new pair), and revokes the
// previous pair. The new pair is in place even if the revoke fails; the
// error says the old one may live until it expires.
func (s *Session) Replace(ctx context.Context, tok Token) error {
	s.mu.Lock()
	old := s.tok
	s.tok = tok
	s.mu.Unlock()
	s.onChange(tok)
	return s.client.Revoke(ctx, firstNonEmpty(old.RefreshToken, old.AccessToken))
}

// SignOut revokes the pair, then forgets it (oauth §6: revoke, then wipe);
// onChange gets the zero Token either way. An error means GitLab may still
// accept the access token until it expires (at most 2 h).
func (s *Session) SignOut(ctx context.Context) error {
	s.mu.Lock()
	old := s.tok
	s.tok = Token{}
	s.mu.Unlock()
	err := s.client.Revoke(ctx, firstNonEmpty(old.RefreshToken, old.AccessToken))
	s.onChange(Token{})
	return err
}

// Call runs fn with the current credential; if the API answers 401 (the
// token expired or was revoked, gitlab-api.md §2.2) it refreshes once and
// runs fn again. A 403 insufficient_scope comes back as ErrScopeTooNarrow
// (see APIError).
func (s *Session) Call(ctx context.Context, fn func(ctx context.Context, auth gitlab.Auth) error) error {
	tok, err := s.current(ctx)
	if err != nil {
		return err
	}
	err = fn(ctx, tok.Auth())
	if NeedsRefresh(err) {
		tok, rerr := s.Refresh(ctx, tok.AccessToken)
		if rerr != nil {
			return rerr
		}
		err = fn(ctx, tok.Auth())
	}
	return APIError(err)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

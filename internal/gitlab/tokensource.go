package gitlab

import (
	"context"
	"strings"
)

// TokenSource supplies a Client's credential request by request and renews
// it: an OAuth sign-in whose access token expires after two hours and
// rotates on refresh (gitlab-oauth.md §2, §6). A Client with a source asks
// it before every request, instead of sending one fixed Auth, and asks it
// once more after GitLab answers 401. The source alone decides the
// credential header: nothing below the client writes it again.
//
// Implementations are safe for concurrent use and make refreshes
// single-flight (with rotation a second refresh with the same refresh
// token fails); across tabs that takes a lock of the caller's (a Web Lock).
// Both methods may wait for the network: in the browser call the client off
// the event-loop goroutine, as always.
type TokenSource interface {
	// Auth returns the credential to send now, renewing it first when it
	// is missing or expires soon.
	Auth(ctx context.Context) (Auth, error)
	// Renew is called after GitLab refused rejected with 401 (expired
	// early by another clock, or revoked). It returns a fresh credential
	// to try the request once more with, or rejected itself when there is
	// nothing fresher, and then the 401 stands. An error ends the request
	// with that error (ErrRefreshRevoked, say: the sign-in is over).
	Renew(ctx context.Context, rejected Auth) (Auth, error)
}

// WithTokenSource makes the client take its credential from ts on every
// request instead of the Auth given to New (which then only names the
// mode). WithAuth drops the source: the copy sends the Auth it is given.
func WithTokenSource(ts TokenSource) Option { return func(c *Client) { c.source = ts } }

// credential is the Auth for the next request: the source's, or the fixed one.
func (c *Client) credential(ctx context.Context) (Auth, error) {
	if c.source == nil {
		return c.auth, nil
	}
	return c.source.Auth(ctx)
}

// remove takes a's header out of h, for a renewed credential of another mode.
func (a Auth) remove(h Header) {
	if a.header != "" {
		delete(h, strings.ToLower(a.header))
	}
}

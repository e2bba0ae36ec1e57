package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeGitLab is an in-memory token endpoint for the pure tests (they also
// run under wasm, where httptest cannot): it rotates pairs like oauth §2
// and can hold a refresh until released.
type fakeGitLab struct {
	mu       sync.Mutex
	n        int
	live     map[string]bool // refresh tokens
	refreshs atomic.Int32
	revoked  []string
	gate     chan struct{} // if set, refreshes wait for it
	down     bool          // answer with a transport error
}

func (f *fakeGitLab) Do(ctx context.Context, r *gitlab.Request) (*gitlab.Response, error) {
	form, _ := url.ParseQuery(string(r.Body))
	f.mu.Lock()
	down, gate := f.down, f.gate
	f.mu.Unlock()
	if down {
		return nil, fmt.Errorf("dial: connection refused while sending %s", r.Body) // a transport quoting its request
	}
	switch {
	case r.URL == "https://gitlab.example.com/oauth/token" && form.Get("grant_type") == "refresh_token":
		// GitLab rotates on receipt; the answer may come back later (gate).
		f.mu.Lock()
		var reply *gitlab.Response
		if f.live[form.Get("refresh_token")] {
			delete(f.live, form.Get("refresh_token"))
			reply = jsonReply(200, f.pairLocked())
		} else {
			reply = jsonReply(400, `{"error":"invalid_grant","error_description":"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}`)
		}
		f.mu.Unlock()
		f.refreshs.Add(1)
		if gate != nil {
			<-gate
		}
		return reply, nil
	case r.URL == "https://gitlab.example.com/oauth/revoke":
		f.mu.Lock()
		defer f.mu.Unlock()
		f.revoked = append(f.revoked, form.Get("token"))
		delete(f.live, form.Get("token"))
		return jsonReply(200, `{}`), nil
	}
	return jsonReply(404, `{"error":"404 Not Found"}`), nil
}

func (f *fakeGitLab) pairLocked() string {
	f.n++
	if f.live == nil {
		f.live = map[string]bool{}
	}
	rt := "refresh-" + strconv.Itoa(f.n)
	f.live[rt] = true
	return `{"access_token":"access-` + strconv.Itoa(f.n) + `","token_type":"Bearer","expires_in":7200,"refresh_token":"` + rt + `","scope":"read_api","created_at":1700000000}`
}

// pair issues a live pair, as a sign-in would.
func (f *fakeGitLab) pair(now time.Time) Token {
	f.mu.Lock()
	f.pairLocked()
	n := strconv.Itoa(f.n)
	f.mu.Unlock()
	return Token{AccessToken: "access-" + n, RefreshToken: "refresh-" + n, Scopes: []string{"read_api"}, ExpiresAt: now.Add(2 * time.Hour)}
}

func jsonReply(status int, body string) *gitlab.Response {
	return &gitlab.Response{StatusCode: status, Header: gitlab.Header{"content-type": "application/json"}, Body: []byte(body)}
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newFakeSession(t *testing.T) (*fakeGitLab, *testClock, *Session, *[]Token) {
	t.Helper()
	f := &fakeGitLab{}
	clock := &testClock{t: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)}
	c, err := NewClient(testConfig, WithTransport(f), WithClock(clock.now))
	require.NoError(t, err)
	var mu sync.Mutex
	var stored []Token
	s := NewSession(c, f.pair(clock.now()), func(tok Token) { mu.Lock(); stored = append(stored, tok); mu.Unlock() })
	return f, clock, s, &stored
}

func TestConcurrentCallersShareOneRefresh(t *testing.T) {
	f, _, s, stored := newFakeSession(t)
	f.gate = make(chan struct{})
	before, _ := s.Token()
	const callers = 8
	results := make(chan Token, callers)
	errs := make(chan error, callers)
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := s.Refresh(context.Background(), before.AccessToken)
			results <- tok
			errs <- err
		}()
	}
	// Every caller is waiting on the one request once it has started;
	// a second request would fail with invalid_grant (rotation, oauth §6).
	for f.refreshs.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(f.gate)
	wg.Wait()
	close(results)
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	for tok := range results {
		assert.Equal(t, "access-2", tok.AccessToken, "everyone gets the same new pair")
	}
	assert.Equal(t, int32(1), f.refreshs.Load(), "one refresh request")
	assert.Len(t, *stored, 1, "the rotated pair is stored once")

	tok, err := s.Refresh(context.Background(), before.AccessToken)
	require.NoError(t, err)
	assert.Equal(t, "access-2", tok.AccessToken, "a caller holding the old token adopts the new pair without a request")
	assert.Equal(t, int32(1), f.refreshs.Load())
}

func TestAuthRefreshesBeforeExpiry(t *testing.T) {
	f, clock, s, _ := newFakeSession(t)
	auth, err := s.Auth(context.Background())
	require.NoError(t, err)
	assert.Equal(t, gitlab.OAuthToken("access-1"), auth)
	clock.advance(2*time.Hour - RefreshMargin) // expires_in − 300 s (oauth, Recommended flows)
	auth, err = s.Auth(context.Background())
	require.NoError(t, err)
	assert.Equal(t, gitlab.OAuthToken("access-2"), auth)
	assert.Equal(t, int32(1), f.refreshs.Load())
}

func TestAuthKeepsAValidTokenWhenGitLabIsUnreachable(t *testing.T) {
	f, clock, s, _ := newFakeSession(t)
	clock.advance(2*time.Hour - time.Minute)
	f.down = true
	auth, err := s.Auth(context.Background())
	require.NoError(t, err, "still valid for a minute")
	assert.Equal(t, gitlab.OAuthToken("access-1"), auth)
	clock.advance(time.Minute)
	_, err = s.Auth(context.Background())
	assert.ErrorIs(t, err, gitlab.ErrNetwork)
	assert.NotContains(t, err.Error(), "refresh-1", "the transport quoted the body; the token is scrubbed")
	_, ok := s.Token()
	assert.True(t, ok, "a network failure does not sign out")
}

func TestARevokedRefreshTokenSignsOut(t *testing.T) {
	f, _, s, stored := newFakeSession(t)
	f.mu.Lock()
	f.live = map[string]bool{} // revoked on GitLab
	f.mu.Unlock()
	_, err := s.Refresh(context.Background(), "")
	assert.ErrorIs(t, err, ErrRefreshRevoked)
	assert.NotContains(t, err.Error(), "refresh-1")
	_, ok := s.Token()
	assert.False(t, ok)
	require.Len(t, *stored, 1)
	assert.Equal(t, Token{}, (*stored)[0], "storage is told to forget the pair")
	_, err = s.Auth(context.Background())
	assert.ErrorIs(t, err, ErrNotSignedIn)
}

func TestSignOutRevokesThenForgets(t *testing.T) {
	f, _, s, stored := newFakeSession(t)
	require.NoError(t, s.SignOut(context.Background()))
	assert.Equal(t, []string{"refresh-1"}, f.revoked, "the refresh token is revoked (oauth §6)")
	_, ok := s.Token()
	assert.False(t, ok)
	assert.Equal(t, []Token{{}}, *stored)
}

func TestReplaceRevokesThePreviousPair(t *testing.T) {
	f, clock, s, stored := newFakeSession(t)
	upgraded := f.pair(clock.now())
	upgraded.Scopes = []string{"api"}
	require.NoError(t, s.Replace(context.Background(), upgraded))
	assert.Equal(t, []string{"refresh-1"}, f.revoked, "oauth §6: new consent, new pair, revoke the old")
	tok, _ := s.Token()
	assert.Equal(t, "access-2", tok.AccessToken)
	assert.Equal(t, []Token{upgraded}, *stored)
}

func TestCallRetriesOnceAfterA401(t *testing.T) {
	_, _, s, _ := newFakeSession(t)
	var seen []gitlab.Auth
	err := s.Call(context.Background(), func(_ context.Context, auth gitlab.Auth) error {
		seen = append(seen, auth)
		if len(seen) == 1 {
			return &gitlab.Error{Method: "GET", Path: "/api/v4/user", StatusCode: 401, Code: "invalid_token"}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []gitlab.Auth{gitlab.OAuthToken("access-1"), gitlab.OAuthToken("access-2")}, seen)

	err = s.Call(context.Background(), func(context.Context, gitlab.Auth) error {
		return &gitlab.Error{Method: "POST", Path: "/api/v4/projects/7/jobs/1/cancel", StatusCode: 403, Code: "insufficient_scope"}
	})
	assert.ErrorIs(t, err, ErrScopeTooNarrow, "403 insufficient_scope (oauth §6)")
	assert.ErrorIs(t, err, gitlab.ErrInsufficientScope, "the API error is kept")
}

func TestAWaiterLeavingDoesNotCancelTheRefresh(t *testing.T) {
	f, _, s, _ := newFakeSession(t)
	f.gate = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := s.Refresh(ctx, ""); done <- err }()
	for f.refreshs.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
	close(f.gate)
	// The rotated pair lands although its caller left: the old refresh
	// token is dead on GitLab, so losing the answer would sign the user out.
	require.Eventually(t, func() bool { tok, _ := s.Token(); return tok.AccessToken == "access-2" }, 5*time.Second, time.Millisecond)
}

func TestTokenStringsHideTheTokens(t *testing.T) {
	tok := Token{AccessToken: "secret-access", RefreshToken: "secret-refresh", Scopes: []string{"api"}}
	for _, s := range []string{tok.String(), fmt.Sprintf("%v %+v %#v %s", tok, tok, tok, &tok)} {
		assert.NotContains(t, s, "secret")
	}
}

func TestAPIErrorLeavesOtherErrorsAlone(t *testing.T) {
	plain := errors.New("x")
	assert.Same(t, plain, APIError(plain))
	assert.NoError(t, APIError(nil))
	notFound := &gitlab.Error{StatusCode: 404}
	assert.Equal(t, error(notFound), APIError(notFound))
	assert.True(t, NeedsRefresh(&gitlab.Error{StatusCode: 401}))
	assert.False(t, NeedsRefresh(&gitlab.Error{StatusCode: 403}))
}

func TestARestoredRefreshTokenRefreshesOnFirstUse(t *testing.T) {
	f, clock, _, _ := newFakeSession(t)
	kept := f.pair(clock.now())
	c, err := NewClient(testConfig, WithTransport(f), WithClock(clock.now))
	require.NoError(t, err)
	// "Stay signed in": only the refresh token was stored (oauth §6).
	s := NewSession(c, Token{RefreshToken: kept.RefreshToken}, nil)
	auth, err := s.Auth(context.Background())
	require.NoError(t, err)
	assert.Equal(t, gitlab.OAuthToken("access-3"), auth)
	assert.Equal(t, int32(1), f.refreshs.Load())
}

func TestSigningOutDuringARefreshRevokesTheNewPair(t *testing.T) {
	f, _, s, _ := newFakeSession(t)
	f.gate = make(chan struct{})
	done := make(chan error)
	go func() { _, err := s.Refresh(context.Background(), ""); done <- err }()
	for f.refreshs.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	require.NoError(t, s.SignOut(context.Background()))
	close(f.gate)
	require.ErrorIs(t, <-done, ErrNotSignedIn, "the waiter learns it is signed out")
	require.Eventually(t, func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.revoked) == 2
	}, 5*time.Second, time.Millisecond)
	assert.Equal(t, []string{"refresh-1", "refresh-2"}, f.revoked, "the pair issued meanwhile is revoked too")
}

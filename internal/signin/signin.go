// Package signin is "Sign in with GitLab" for a page (gitlab-oauth.md,
// flow a): it begins a sign-in (the attempt waits in pending storage while
// the browser is on GitLab's consent page), finishes it from the callback,
// keeps one oauth.Session per signed-in instance, gives every API request
// the current access token (Source), refreshes it (one refresh at a time,
// across tabs with a lock), widens it to api, and signs out.
//
// It runs over an *account.Store (where the pair is kept, as
// gitlab-oauth.md §6 allows) and a function that asks GitLab whose token it
// is; leaving the page for GitLab's consent page and reading the path on
// screen are funcs too (SignIn.Leave, SignIn.Here), so all of it runs
// natively against the emulator. The browser's parts (sessionStorage, a Web
// Lock, the address bar) are signin_js.go. The extension signs in through
// its background script instead (extension/signin), over the same SignIn:
// it sets Remote and Elsewhere.
package signin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/oauth"
)

// GitLabComClientID is the Application ID of jobscope's public OAuth
// application on gitlab.com, set when building:
//
//	go build -ldflags "-X github.com/jobscope/jobscope/internal/signin.GitLabComClientID=<id>"
//
// It is not a secret (a public client has none, gitlab-oauth.md §1). Empty:
// gitlab.com users enter an application id like self-hosted ones.
var GitLabComClientID = ""

// pendingKey is where the attempt waits in sessionStorage during the
// redirect to GitLab: per tab, gone when the tab closes, never in a URL.
const pendingKey = "jobscope.oauth.pending"

// pendingSignIn is one sign-in on its way through GitLab's consent page.
type pendingSignIn struct {
	Attempt  oauth.Attempt `json:"attempt"`
	BaseURL  string        `json:"base_url"`
	ClientID string        `json:"client_id"`
	Remember bool          `json:"remember"`
	Return   string        `json:"return"` // app path to go back to
	Upgrade  bool          `json:"upgrade"`
}

// UserFunc asks in's GitLab whose token in carries (GET /user) and returns
// the username.
type UserFunc func(ctx context.Context, in account.Instance) (string, error)

// SignIn runs "Sign in with GitLab" for one page: see the package doc.
// Safe for concurrent use; call its methods that wait off the UI goroutine.
// Set its exported fields before the page uses it.
type SignIn struct {
	accounts *account.Store
	user     UserFunc
	pending  account.KV  // sessionStorage in the browser
	lock     refreshLock // a Web Lock in the browser
	redirect string      // this build's callback URL
	now      func() time.Time
	// Here returns the app path on screen, to come back to after GitLab;
	// Leave navigates to GitLab's consent page (top-level in a tab, handed
	// to the background in the extension). New makes Here say "" and Leave
	// do nothing; InPage makes them the browser's.
	Here  func() string
	Leave func(url string)
	// Options are given to every oauth.Client (tests pass a transport).
	Options []oauth.Option
	// Remote, when set, refreshes in's pair elsewhere and returns it: the
	// extension's background does every refresh (extension/signin).
	Remote func(ctx context.Context, in account.Instance, stale string) (oauth.Token, error)
	// Elsewhere is the last sign-in that ran where no page saw it end (the
	// extension's background), said once by TakeOutcome.
	Elsewhere Elsewhere

	mu       sync.Mutex
	sessions map[string]*oauth.Session // BaseURL -> session
	known    map[string]string         // BaseURL -> application id offered first
	ended    *account.Instance         // a sign-in that ended on GitLab, waiting for "Sign in again"
	onEnded  func()                    // told when ended is set
	said     bool                      // Elsewhere was said
}

// Elsewhere is a sign-in that ran where no page saw it end: the extension's
// background runs them (extension/signin says what its record means).
type Elsewhere struct {
	BaseURL  string
	ClientID string
	// Unfinished: it failed or is still under way, so Connect offers its
	// instance and application id again.
	Unfinished bool
	// Notice is what to say of it ("" nothing); Failed, whether that is a
	// failure.
	Notice string
	Failed bool
}

// refreshLock runs fn while holding the named lock, which other tabs of the
// origin share (navigator.locks); the in-memory twin is a mutex.
type refreshLock interface {
	Do(ctx context.Context, name string, fn func()) error
}

type mutexLock struct{ mu sync.Mutex }

func (l *mutexLock) Do(ctx context.Context, name string, fn func()) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	fn()
	return ctx.Err()
}

// New returns a sign-in keeping its pairs in accounts and asking user whose
// a new token is. pending holds the attempt during the redirect;
// redirectURI is this build's absolute callback URL. Refreshes take a
// mutex (InPage: a Web Lock).
func New(accounts *account.Store, user UserFunc, pending account.KV, redirectURI string) *SignIn {
	return &SignIn{accounts: accounts, user: user, pending: pending, lock: &mutexLock{}, redirect: redirectURI, now: time.Now,
		Here: func() string { return "" }, Leave: func(string) {},
		sessions: map[string]*oauth.Session{}, known: map[string]string{}}
}

// Open shows GitLab's consent page from Begin or Upgrade: top-level in a
// page, in the identity API's window in the extension.
func (s *SignIn) Open(consentURL string) { s.Leave(consentURL) }

// TakeOutcome returns, once, what to say of a sign-in that ended while
// no page was there to see it (the extension's): "" when nothing.
func (s *SignIn) TakeOutcome() (text string, failed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.said {
		return "", false
	}
	s.said = true
	return s.Elsewhere.Notice, s.Elsewhere.Failed
}

// Unfinished returns the instance and application id of a sign-in that
// failed or is still under way elsewhere, for Connect to offer again
// without retyping; "" when there is none.
func (s *SignIn) Unfinished() (base, clientID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Elsewhere.Unfinished {
		return s.Elsewhere.BaseURL, s.Elsewhere.ClientID
	}
	return "", ""
}

// RedirectURI is the callback URL to register on GitLab for this build.
func (s *SignIn) RedirectURI() string { return s.redirect }

// Know makes clientID the application id offered for base (the demo
// server names its emulator's).
func (s *SignIn) Know(base, clientID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known[base] = clientID
}

// DefaultClientID is the application id jobscope knows for base: one made
// known with Know, the build's for gitlab.com, else "".
func (s *SignIn) DefaultClientID(base string) string {
	s.mu.Lock()
	id, ok := s.known[base]
	s.mu.Unlock()
	switch {
	case ok:
		return id
	case base == account.DefaultBaseURL:
		return GitLabComClientID
	}
	return ""
}

// Begin starts a sign-in to base with application clientID asking for
// scopes (read_api to view; read_api and api to act, gitlab-oauth.md §6)
// and returns GitLab's consent page to navigate to top-level. The attempt
// (state and PKCE verifier) waits in pending storage; returnPath is the
// app path to come back to. upgrade replaces the current pair afterwards.
func (s *SignIn) Begin(base, clientID string, remember bool, returnPath string, upgrade bool, scopes ...string) (string, error) {
	base, err := account.NormalizeBaseURL(base)
	if err != nil {
		return "", err
	}
	clientID = strings.TrimSpace(clientID)
	if clientID == "" {
		return "", errors.New("enter the Application ID of the jobscope application registered on " + hostOf(base) + " (see below)")
	}
	a, err := oauth.NewAttempt(scopes...)
	if err != nil {
		return "", err
	}
	cfg := oauth.Config{BaseURL: base, ClientID: clientID, RedirectURI: s.redirect}
	u, err := cfg.AuthorizeURL(a)
	if err != nil {
		return "", err
	}
	raw, err := json.Marshal(pendingSignIn{Attempt: a, BaseURL: base, ClientID: clientID, Remember: remember,
		Return: returnPath, Upgrade: upgrade})
	if err != nil {
		return "", err
	}
	if err := s.pending.Set(pendingKey, string(raw)); err != nil {
		return "", fmt.Errorf("keep the sign-in attempt in this tab: %w", err)
	}
	return u, nil
}

// Upgrade starts a new sign-in to in asking for api as well, coming back to
// returnPath: refresh cannot widen a grant (gitlab-oauth.md §6).
func (s *SignIn) Upgrade(in account.Instance, returnPath string) (string, error) {
	return s.Begin(in.BaseURL, in.ClientID, in.Remember, returnPath, true, oauth.ScopeReadAPI, oauth.ScopeAPI)
}

// TakePending removes the attempt Begin left in pending storage and
// returns it as stored (JSON, "" when none) with the app path it came from:
// the extension hands it to its background instead of finishing it here.
func (s *SignIn) TakePending() (raw, returnPath string) {
	raw, _ = s.pending.Get(pendingKey)
	_ = s.pending.Set(pendingKey, "")
	var p pendingSignIn
	_ = json.Unmarshal([]byte(raw), &p)
	return raw, p.Return
}

// Finish completes the sign-in GitLab answered with callbackURL: it checks
// the state against the attempt kept by Begin (used once: it is removed
// first), exchanges the code and saves the instance as active. It returns
// the instance and the app path to go back to; on failure the path is the
// one the attempt came from too.
func (s *SignIn) Finish(ctx context.Context, callbackURL string) (account.Instance, string, error) {
	raw, _ := s.pending.Get(pendingKey)
	_ = s.pending.Set(pendingKey, "")
	var p pendingSignIn
	if raw == "" || json.Unmarshal([]byte(raw), &p) != nil {
		// No attempt in this tab: a link from elsewhere, a reused callback,
		// or one opened in another tab. Whatever it says, it is not ours.
		// oauth's own check says so: an empty attempt matches no state.
		_, err := oauth.Attempt{}.Callback(callbackURL)
		return account.Instance{}, "", err
	}
	code, err := p.Attempt.Callback(callbackURL)
	if err != nil {
		return account.Instance{}, p.Return, err
	}
	c, err := s.client(p.BaseURL, p.ClientID)
	if err != nil {
		return account.Instance{}, p.Return, err
	}
	tok, err := c.Exchange(ctx, code, p.Attempt)
	if err != nil {
		return account.Instance{}, p.Return, err
	}
	in := account.Instance{BaseURL: p.BaseURL, ClientID: p.ClientID, OAuth: true, Remember: p.Remember,
		Token: tok.AccessToken, RefreshToken: tok.RefreshToken}
	var sess *oauth.Session
	if old, ok := s.find(p.BaseURL); ok {
		in.Demo = old.Demo
		if p.Upgrade && old.SignedIn() && old.ClientID == p.ClientID {
			sess, _ = s.session(old) // the pair to replace, and revoke
		}
	}
	if sess != nil {
		_ = sess.Replace(ctx, tok) // the old pair may live until it expires if the revoke fails
	} else {
		s.mu.Lock()
		s.sessions[in.BaseURL] = oauth.NewSession(c, tok, s.onChange(in.BaseURL))
		s.mu.Unlock()
	}
	if u, err := s.user(ctx, in); err == nil {
		in.User = u
	}
	if err := s.accounts.Update(func(st *account.Settings) bool { st.Put(in); return true }); err != nil {
		return in, p.Return, err
	}
	return in, p.Return, nil
}

// SignOut revokes in's pair on GitLab, then forgets it (gitlab-oauth.md §6).
// The tokens are wiped even if the revoke fails; the error then says GitLab
// may accept the access token until it expires.
func (s *SignIn) SignOut(ctx context.Context, in account.Instance) error {
	sess, err := s.session(in)
	if err != nil {
		return err
	}
	err = sess.SignOut(ctx) // onChange wipes the stored pair
	s.mu.Lock()
	delete(s.sessions, in.BaseURL)
	s.mu.Unlock()
	return err
}

func (s *SignIn) client(base, clientID string) (*oauth.Client, error) {
	opts := append([]oauth.Option{oauth.WithClock(s.now)}, s.Options...)
	return oauth.NewClient(oauth.Config{BaseURL: base, ClientID: clientID, RedirectURI: s.redirect}, opts...)
}

func (s *SignIn) find(base string) (account.Instance, bool) {
	st, _ := s.accounts.Load()
	for _, in := range st.Instances {
		if in.BaseURL == base {
			return in, true
		}
	}
	return account.Instance{}, false
}

// session returns in's session, starting one from the stored pair.
func (s *SignIn) session(in account.Instance) (*oauth.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess, ok := s.sessions[in.BaseURL]; ok {
		return sess, nil
	}
	c, err := s.client(in.BaseURL, in.ClientID)
	if err != nil {
		return nil, err
	}
	// A token from storage has no known expiry: the zero ExpiresAt makes
	// the first request refresh it (only the refresh token survives a
	// reload anyway).
	sess := oauth.NewSession(c, oauth.Token{AccessToken: in.Token, RefreshToken: in.RefreshToken}, s.onChange(in.BaseURL))
	s.sessions[in.BaseURL] = sess
	return sess, nil
}

// onChange writes a rotated, replaced or wiped pair to the settings, where
// the store keeps the access token in memory and the refresh token on disk
// only with "stay signed in".
func (s *SignIn) onChange(base string) func(oauth.Token) {
	return func(tok oauth.Token) {
		_ = s.accounts.Update(func(st *account.Settings) bool {
			for i := range st.Instances {
				if st.Instances[i].BaseURL == base {
					st.Instances[i].Token, st.Instances[i].RefreshToken = tok.AccessToken, tok.RefreshToken
				}
			}
			return true
		})
	}
}

// Source is the credential of base's clients (the app's Env.Client): the current
// access token of its sign-in, refreshed before it expires and once more
// when GitLab answers 401. While base is not signed in (signed out since,
// or never), it sends fixed: what a client without a source would send.
func (s *SignIn) Source(base string, fixed gitlab.Auth) gitlab.TokenSource {
	return &bearer{s: s, base: base, fixed: fixed}
}

type bearer struct {
	s     *SignIn
	base  string
	fixed gitlab.Auth
}

func (b *bearer) Auth(ctx context.Context) (gitlab.Auth, error) {
	in, ok := b.s.signedIn(b.base)
	if !ok {
		return b.fixed, nil
	}
	sess, err := b.s.session(in)
	if err != nil {
		return gitlab.Auth{}, err
	}
	tok, _ := sess.Token()
	expiring := !tok.ExpiresAt.IsZero() && !b.s.now().Add(oauth.RefreshMargin).Before(tok.ExpiresAt)
	if tok.AccessToken == "" || expiring {
		if tok, err = b.s.refresh(ctx, in, sess, tok.AccessToken); err != nil {
			return gitlab.Auth{}, err
		}
	}
	return tok.Auth(), nil
}

// Renew refreshes after a 401 (expired early by another clock, or revoked),
// naming the refused token, unless the session has moved past it already.
func (b *bearer) Renew(ctx context.Context, rejected gitlab.Auth) (gitlab.Auth, error) {
	in, ok := b.s.signedIn(b.base)
	if !ok {
		return rejected, nil
	}
	sess, err := b.s.session(in)
	if err != nil {
		return gitlab.Auth{}, err
	}
	cur, _ := sess.Token()
	if cur.Auth() != rejected && cur.AccessToken != "" {
		return cur.Auth(), nil // another request refreshed meanwhile
	}
	tok, err := b.s.refresh(ctx, in, sess, cur.AccessToken)
	if err != nil {
		return gitlab.Auth{}, err
	}
	return tok.Auth(), nil
}

// fallBack notes that the session ended on GitLab (ErrRefreshRevoked) and
// tells the page, which offers "Sign in again" (Ended, Again). It does not
// leave for GitLab itself: any request can end here, even the hidden
// leader tab's watch poller, and leaving would lose what the user was
// typing. Only the first failed request of a burst tells; the others just
// fail.
func (s *SignIn) fallBack(in account.Instance) {
	s.mu.Lock()
	first := s.ended == nil
	if first {
		s.ended = &in
	}
	tell := s.onEnded
	s.mu.Unlock()
	if first && tell != nil {
		tell()
	}
}

// OnEnded makes f be called, from any goroutine, when a sign-in ends on
// GitLab; the page then asks Ended what to offer. One f at a time: the
// page's.
func (s *SignIn) OnEnded(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onEnded = f
}

// Ended returns the instance whose sign-in ended on GitLab, if one did
// since the last Again.
func (s *SignIn) Ended() (account.Instance, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended == nil {
		return account.Instance{}, false
	}
	return *s.ended, true
}

// Again signs in to the ended instance again, when the user chooses to:
// it begins a sign-in coming back to the screen on show (Here) and opens
// GitLab's consent page (Leave).
func (s *SignIn) Again() error {
	in, ok := s.Ended()
	if !ok {
		return nil
	}
	u, err := s.Begin(in.BaseURL, in.ClientID, in.Remember, s.Here(), false, oauth.ScopeReadAPI)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.ended = nil
	s.mu.Unlock()
	s.Leave(u)
	return nil
}

// signedIn returns base's instance if it is signed in.
func (s *SignIn) signedIn(base string) (account.Instance, bool) {
	in, ok := s.find(base)
	return in, ok && in.SignedIn()
}

// refresh rotates in's pair under a lock all tabs share: with rotation a
// second refresh with the same token fails (gitlab-oauth.md §6). A tab that
// waited adopts the pair the first one stored instead of refreshing again.
func (s *SignIn) refresh(ctx context.Context, in account.Instance, sess *oauth.Session, stale string) (oauth.Token, error) {
	if s.Remote != nil {
		return s.refreshRemote(ctx, in, sess, stale)
	}
	var tok oauth.Token
	var err error
	lerr := s.lock.Do(ctx, "jobscope-oauth-refresh "+in.BaseURL, func() {
		mine, _ := sess.Token()
		if stored, ok := s.find(in.BaseURL); ok && stored.Remember && stored.RefreshToken != "" && stored.RefreshToken != mine.RefreshToken {
			sess.Adopt(oauth.Token{RefreshToken: stored.RefreshToken}) // another tab rotated it
			stale = ""
		}
		tok, err = sess.Refresh(ctx, stale)
	})
	if err == nil && lerr != nil {
		err = lerr
	}
	if errors.Is(err, oauth.ErrRefreshRevoked) {
		s.fallBack(in)
	}
	return tok, err
}

// refreshRemote takes the pair the background refreshed (or already had
// past stale) and keeps it in this page's settings too, so that nothing
// here writes the rotated-away refresh token back.
func (s *SignIn) refreshRemote(ctx context.Context, in account.Instance, sess *oauth.Session, stale string) (oauth.Token, error) {
	tok, err := s.Remote(ctx, in, stale)
	switch {
	case err == nil:
		sess.Adopt(tok)
		s.onChange(in.BaseURL)(tok)
	case errors.Is(err, oauth.ErrRefreshRevoked):
		sess.Adopt(oauth.Token{})
		s.onChange(in.BaseURL)(oauth.Token{})
		s.fallBack(in)
	}
	return tok, err
}

func hostOf(base string) string { return account.Instance{BaseURL: base}.Host() }

// CanAct reports whether in may cancel, retry, erase or play jobs without
// asking GitLab again: true for access tokens (their scopes are the
// user's business) and for a sign-in whose scopes are unknown (GitLab's 403
// then says so, see WantsUpgrade); false for a sign-in known to hold
// read_api only (gitlab-oauth.md §6).
func (s *SignIn) CanAct(in account.Instance) bool {
	if in.ClientID == "" {
		return true
	}
	s.mu.Lock()
	sess := s.sessions[in.BaseURL]
	s.mu.Unlock()
	if sess == nil {
		return true
	}
	tok, _ := sess.Token()
	return len(tok.Scopes) == 0 || tok.HasScope(oauth.ScopeAPI)
}

// WantsUpgrade reports whether err, from an action on in, means the
// sign-in must be widened to api: a 403 insufficient_scope to a signed-in
// instance.
func (s *SignIn) WantsUpgrade(in account.Instance, err error) bool {
	return in.ClientID != "" && errors.Is(oauth.APIError(err), oauth.ErrScopeTooNarrow)
}

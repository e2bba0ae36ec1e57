package app

import (
	"context"
	"strings"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/offline"
	"github.com/jobscope/jobscope/internal/signin"
	"github.com/jobscope/jobscope/internal/watch"
	"github.com/jobscope/jobscope/internal/words"
)

// User is who a token belongs to, as GitLab's current-user endpoint says.
type User struct {
	Username string
	Name     string
}

// Env is what every screen shares: where settings live and how GitLab is
// reached. One Env per page load; safe for concurrent use.
type Env struct {
	Settings *account.Store
	// Options are added to every client (tests pass a transport).
	ClientOptions []gitlab.Option
	// Offline keeps copies of GitLab's replies and says when one is shown
	// (internal/offline); nil where there is no page (the site builder).
	Offline *offline.Cache
	// Watches are the watched jobs and pipelines (internal/watch); nil
	// where there is no page.
	Watches *watch.List
	// SignIn is "Sign in with GitLab" and the credential of every signed-in
	// instance's client (internal/signin). NewEnv makes the in-memory one;
	// each product's wiring (NewBrowserEnv, extension/wasm's newEnv) puts
	// the browser's in its place before anything uses it.
	SignIn *signin.SignIn
	// ConnectTo is the GitLab Connect offers to add when no sign-in says
	// otherwise: the extension sets it to the instance of the GitLab page
	// the popup opened on.
	ConnectTo string

	// seen are the jobs the lists showed last (seen.go).
	seen seenJobs
}

// NewEnv returns an Env over kv (BrowserKV in the browser, a MemoryKV in
// tests) with an in-memory sign-in: the pending attempt in memory, a mutex
// for the refresh lock, the loopback callback.
func NewEnv(kv account.KV) *Env {
	e := &Env{Settings: account.NewStore(kv)}
	e.SignIn = signin.New(e.Settings, e.Username, &account.MemoryKV{}, "http://127.0.0.1"+PathOAuthCallback)
	return e
}

// Client returns a client for in: its token in Authorization: Bearer,
// whether an access token or an OAuth one (gitlab-api.md §2.1). A
// signed-in instance's client takes its token from the sign-in, which
// refreshes it (SignIn.Source): the one place that writes the header.
func (e *Env) Client(in account.Instance) (*gitlab.Client, error) {
	auth := gitlab.PrivateToken(in.Token)
	if in.OAuth {
		auth = gitlab.OAuthToken(in.Token)
	}
	opts := e.ClientOptions
	if in.ClientID != "" {
		opts = append(opts[:len(opts):len(opts)], gitlab.WithTokenSource(e.SignIn.Source(in.BaseURL, auth)))
	}
	return gitlab.New(in.BaseURL, auth, opts...)
}

// OnDisk reports whether url belongs to an instance whose token is kept on
// this device: only those keep copies of GitLab's replies there too
// (Offline.OnDisk).
func (e *Env) OnDisk(url string) bool {
	st, _ := e.Settings.Load()
	in, ok := instanceOf(st, url)
	return ok && in.Remember && !in.Demo
}

// instanceOf is the instance url belongs to: the one with the longest base
// URL that is a prefix of it, since https://host and https://host/gitlab
// may both be saved, and the first match would be the wrong one.
func instanceOf(st account.Settings, url string) (account.Instance, bool) {
	var best account.Instance
	found := false
	for _, in := range st.Instances {
		if strings.HasPrefix(url, in.BaseURL+"/") && len(in.BaseURL) > len(best.BaseURL) {
			best, found = in, true
		}
	}
	return best, found
}

// SignOut revokes in's sign-in on GitLab and wipes its tokens
// (SignIn.SignOut) and its offline copies: signing out leaves nothing of
// that instance's pages on the device. The tokens and copies go even when
// the revocation fails; the error says so.
func (e *Env) SignOut(ctx context.Context, in account.Instance) error {
	err := e.SignIn.SignOut(ctx, in)
	if ferr := e.Offline.Forget(in.BaseURL); ferr != nil && err == nil {
		err = ferr
	}
	return err
}

// Forget removes a saved instance from this device: its sign-in is signed
// out first (revoked on GitLab), then its settings, tokens and offline
// copies go. A failed revocation is returned, but nothing is kept.
func (e *Env) Forget(ctx context.Context, in account.Instance) error {
	var err error
	if in.SignedIn() {
		err = e.SignIn.SignOut(ctx, in)
	}
	if ferr := e.Settings.Forget(in.BaseURL); ferr != nil {
		return ferr
	}
	if ferr := e.Offline.Forget(in.BaseURL); ferr != nil && err == nil {
		err = ferr
	}
	return err
}

// CheckUser asks in's GitLab who in's token belongs to (GET /user).
func (e *Env) CheckUser(ctx context.Context, in account.Instance) (User, error) {
	c, err := e.Client(in)
	if err != nil {
		return User{}, err
	}
	u, err := c.CurrentUser(ctx)
	if err != nil {
		return User{}, err
	}
	return User{Username: u.Username, Name: u.Name}, nil
}

// Username is CheckUser's username: the sign-in's signin.UserFunc.
func (e *Env) Username(ctx context.Context, in account.Instance) (string, error) {
	u, err := e.CheckUser(ctx, in)
	return u.Username, err
}

// projectRef turns a route's project into the client's reference.
func projectRef(p string) (gitlab.ProjectRef, error) {
	return gitlab.ParseProjectRef(p)
}

// projectClient is the client of instance in and the reference of project,
// or, when either cannot be had, the problem to show in words.
func (e *Env) projectClient(in account.Instance, project string) (*gitlab.Client, gitlab.ProjectRef, string) {
	client, err := e.Client(in)
	if err != nil {
		return nil, gitlab.ProjectRef{}, words.Problem(err, in.Host())
	}
	ref, err := projectRef(project)
	if err != nil {
		return nil, gitlab.ProjectRef{}, "“" + project + "” is not a project id or path."
	}
	return client, ref, ""
}

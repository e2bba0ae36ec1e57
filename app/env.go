package app

import (
	"context"
	"strings"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// User is who a token belongs to, as GitLab's current-user endpoint says.
type User struct {
	Username string
	Name     string
}

// Env is what every screen shares: where settings live and how GitLab is
// reached. One Env per page load; safe for concurrent use.
type Env struct {
	Settings *SettingsStore
	// Options are added to every client (tests pass a transport).
	ClientOptions []gitlab.Option
	// Offline keeps copies of GitLab's replies and says when one is shown
	// (offline.go); nil where there is no page (the site builder).
	Offline *Offline
	// Watches are the watched jobs and pipelines (watch.go); nil where
	// there is no page.
	Watches *WatchList
	// ConnectTo is the GitLab Connect offers to add when no sign-in says
	// otherwise: the extension sets it to the instance of the GitLab page
	// the popup opened on.
	ConnectTo string
}

// NewEnv returns an Env over kv (BrowserKV in the browser, a MemoryKV in
// tests).
func NewEnv(kv KV) *Env {
	return &Env{Settings: NewSettingsStore(kv)}
}

// Client returns a client for in: its token in PRIVATE-TOKEN, or in
// Authorization: Bearer for an OAuth token (gitlab-api.md §2.1).
func (e *Env) Client(in Instance) (*gitlab.Client, error) {
	auth := gitlab.PrivateToken(in.Token)
	if in.OAuth {
		auth = gitlab.OAuthToken(in.Token)
	}
	return gitlab.New(in.BaseURL, auth, e.ClientOptions...)
}

// OnDisk reports whether url belongs to an instance whose token is kept on
// this device: only those keep copies of GitLab's replies there too
// (Offline.OnDisk).
func (e *Env) OnDisk(url string) bool {
	st, _ := e.Settings.Load()
	for _, in := range st.Instances {
		if strings.HasPrefix(url, in.BaseURL+"/") {
			return in.Remember && !in.Demo
		}
	}
	return false
}

// CheckUser asks in's GitLab who in's token belongs to (GET /user).
func (e *Env) CheckUser(ctx context.Context, in Instance) (User, error) {
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

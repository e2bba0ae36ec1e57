//go:build !js

package signin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/oauth"
	"github.com/jobscope/jobscope/internal/words"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signInRig is a page's settings and SignIn against a frozen emulator
// whose clock is the sign-in's too.
type signInRig struct {
	emu      *gitlabfake.Server
	api      *httptest.Server
	kv       *account.MemoryKV
	accounts *account.Store
	s        *SignIn
	opts     []gitlab.Option // of every client, as the app's Env.ClientOptions
}

// pathProjects and jobPath are app paths, as the app's routes write them.
const pathProjects = "/projects"

func jobPath(project string, id int64) string {
	return "/projects/" + project + "/-/jobs/" + strconv.FormatInt(id, 10)
}

func newSignInRig(t *testing.T) *signInRig {
	t.Helper()
	emu := gitlabfake.New(gitlabfake.Options{Frozen: true})
	api := httptest.NewServer(emu)
	t.Cleanup(api.Close)
	kv := &account.MemoryKV{}
	r := &signInRig{emu: emu, api: api, kv: kv, accounts: account.NewStore(kv),
		opts: []gitlab.Option{gitlab.WithTransport(gitlab.HTTPTransport{}), gitlab.WithBackoff(gitlab.NoBackoff)}}
	r.s = New(r.accounts, r.user, &account.MemoryKV{}, "http://127.0.0.1:9/oauth/callback")
	r.s.now = emu.Now
	return r
}

// client is in's client as the app's Env.Client makes it: a signed-in
// instance's token comes from the sign-in.
func (r *signInRig) client(in account.Instance) (*gitlab.Client, error) {
	auth := gitlab.PrivateToken(in.Token)
	if in.OAuth {
		auth = gitlab.OAuthToken(in.Token)
	}
	opts := r.opts[:len(r.opts):len(r.opts)]
	if in.ClientID != "" {
		opts = append(opts, gitlab.WithTokenSource(r.s.Source(in.BaseURL, auth)))
	}
	return gitlab.New(in.BaseURL, auth, opts...)
}

// user is the UserFunc the app gives the sign-in: GET /user with in's
// client.
func (r *signInRig) user(ctx context.Context, in account.Instance) (string, error) {
	c, err := r.client(in)
	if err != nil {
		return "", err
	}
	u, err := c.CurrentUser(ctx)
	if err != nil {
		return "", err
	}
	return u.Username, nil
}

// consent presses Authorize (or Deny) on the emulator's consent page for
// authorizeURL and returns the callback URL GitLab redirects to.
func (r *signInRig) consent(t *testing.T, authorizeURL string, deny bool) string {
	t.Helper()
	u, err := url.Parse(authorizeURL)
	require.NoError(t, err)
	form := u.Query()
	if deny {
		form.Set("_method", "delete")
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(r.api.URL+"/oauth/authorize", form)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode, "the consent page redirects back")
	return resp.Header.Get("Location")
}

// begin starts a read_api sign-in with clientID and returns GitLab's
// authorize URL.
func (r *signInRig) begin(t *testing.T, clientID string) string {
	t.Helper()
	u, err := r.s.Begin(r.api.URL, clientID, false, "", false, oauth.ScopeReadAPI)
	require.NoError(t, err)
	return u
}

func (r *signInRig) signIn(t *testing.T, remember bool) account.Instance {
	t.Helper()
	u, err := r.s.Begin(r.api.URL, gitlabfake.DemoClientID, remember, pathProjects, false, oauth.ScopeReadAPI)
	require.NoError(t, err)
	in, ret, err := r.s.Finish(context.Background(), r.consent(t, u, false))
	require.NoError(t, err)
	assert.Equal(t, pathProjects, ret)
	return in
}

func (r *signInRig) active(t *testing.T) account.Instance {
	t.Helper()
	st, err := r.accounts.Load()
	require.NoError(t, err)
	in, ok := st.Usable()
	require.True(t, ok, "an instance is usable")
	return in
}

// status is what the emulator answers GET /user with token as Bearer.
func (r *signInRig) status(t *testing.T, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, r.api.URL+"/api/v4/user", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func failedJob(t *testing.T, c *gitlab.Client, project string) int64 {
	t.Helper()
	jobs, _, err := c.ListProjectJobs(context.Background(), gitlab.ProjectPath(project), gitlab.ListProjectJobsOptions{})
	require.NoError(t, err)
	for _, j := range jobs {
		if j.Status == gitlab.StatusFailed {
			return j.ID
		}
	}
	t.Fatal("no failed job on the first page")
	return 0
}

// The whole life of a sign-in (gitlab-oauth.md "Recommended flows (a)"):
// read with read_api, the first action upgrades to api by a new consent
// and revokes the old pair (§6), the 2-hour expiry is refreshed past
// (§2), and sign-out revokes, then wipes (§6).
func TestASignInReadsUpgradesOnFirstActionRefreshesAndSignsOut(t *testing.T) {
	r := newSignInRig(t)
	ctx := context.Background()
	first := r.signIn(t, false)
	assert.True(t, first.SignedIn())
	assert.Equal(t, "jobscope-demo", first.User, "the username comes from GET /user with the new token")

	c, err := r.client(r.active(t))
	require.NoError(t, err)
	project := r.emu.Info().Projects[0]
	job := failedJob(t, c, project)
	assert.False(t, r.s.CanAct(first), "a read_api sign-in asks before acting")
	_, err = c.RetryJob(ctx, gitlab.ProjectPath(project), job)
	require.ErrorIs(t, err, gitlab.ErrInsufficientScope, "read_api cannot retry (oauth §1)")
	assert.True(t, r.s.WantsUpgrade(first, err))
	assert.False(t, r.s.WantsUpgrade(account.Instance{BaseURL: first.BaseURL, Token: "glpat-x"}, err), "an access token's scope is not ours to widen")

	back := jobPath(project, job)
	u, err := r.s.Upgrade(r.active(t), back)
	require.NoError(t, err)
	assert.Contains(t, u, "scope=read_api+api", "the upgrade asks for api on top")
	_, ret, err := r.s.Finish(ctx, r.consent(t, u, false))
	require.NoError(t, err)
	assert.Equal(t, back, ret, "the user comes back to the job they were acting on")
	assert.Equal(t, http.StatusUnauthorized, r.status(t, first.Token), "the read_api pair was revoked")
	upgraded := r.active(t)
	c, err = r.client(upgraded)
	require.NoError(t, err)
	_, err = c.RetryJob(ctx, gitlab.ProjectPath(project), job)
	require.NoError(t, err, "api can retry")
	assert.True(t, r.s.CanAct(upgraded))

	r.emu.AdvanceClock(2*time.Hour + time.Minute)
	require.Equal(t, http.StatusUnauthorized, r.status(t, upgraded.Token), "two hours later GitLab refuses the access token")
	_, _, err = c.ListProjects(ctx, gitlab.ListProjectsOptions{})
	require.NoError(t, err, "the request refreshed and went on")
	refreshed := r.active(t)
	assert.NotEqual(t, upgraded.Token, refreshed.Token)
	assert.NotEqual(t, upgraded.RefreshToken, refreshed.RefreshToken, "the pair rotated")

	require.NoError(t, r.s.SignOut(ctx, refreshed))
	assert.Equal(t, http.StatusUnauthorized, r.status(t, refreshed.Token), "GitLab refuses the revoked token")
	st, err := r.accounts.Load()
	require.NoError(t, err)
	in, ok := st.ActiveInstance()
	require.True(t, ok)
	assert.False(t, in.SignedIn(), "the pair is wiped")
	_, ok = st.Usable()
	assert.False(t, ok)
}

// Tokens go to storage only as gitlab-oauth.md §6 says: the access token
// never, the refresh token with "stay signed in" only; a new page load with
// a kept refresh token refreshes on its first request.
func TestOnlyAStaySignedInRefreshTokenIsStored(t *testing.T) {
	for _, remember := range []bool{false, true} {
		name := map[bool]string{false: "memory only stores no token", true: "stay signed in stores the refresh token only"}[remember]
		t.Run(name, func(t *testing.T) {
			r := newSignInRig(t)
			in := r.signIn(t, remember)
			raw, _ := r.kv.Get(account.SettingsKey)
			assert.NotContains(t, raw, in.Token, "the access token is never stored")
			if !remember {
				assert.NotContains(t, raw, in.RefreshToken)
				return
			}
			assert.Contains(t, raw, in.RefreshToken)

			again := &signInRig{emu: r.emu, api: r.api, kv: r.kv, accounts: account.NewStore(r.kv), // a new page load
				opts: []gitlab.Option{gitlab.WithTransport(gitlab.HTTPTransport{})}}
			again.s = New(again.accounts, again.user, &account.MemoryKV{}, r.s.redirect)
			st, err := again.accounts.Load()
			require.NoError(t, err)
			kept, ok := st.Usable()
			require.True(t, ok, "a kept refresh token makes the instance usable")
			assert.Empty(t, kept.Token)
			c, err := again.client(kept)
			require.NoError(t, err)
			_, err = c.CurrentUser(context.Background())
			require.NoError(t, err, "the first request refreshed")
			assert.Equal(t, http.StatusUnauthorized, r.status(t, in.Token), "the old pair rotated away")
		})
	}
}

// Each failure of issue 7's list comes back as its oauth kind and a
// sentence saying what to do.
func TestSignInFailuresKeepTheirKindAndWords(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, r *signInRig) error
		kind error
		says string
	}{
		{
			name: "pressing Deny is consent denied",
			run: func(t *testing.T, r *signInRig) error {
				u := r.begin(t, gitlabfake.DemoClientID)
				_, _, err := r.s.Finish(context.Background(), r.consent(t, u, true))
				return err
			},
			kind: oauth.ErrConsentDenied,
			says: "You did not authorize jobscope",
		},
		{
			name: "a callback of another attempt is a state mismatch",
			run: func(t *testing.T, r *signInRig) error {
				u := r.begin(t, gitlabfake.DemoClientID)
				cb := r.consent(t, u, false)
				r.begin(t, gitlabfake.DemoClientID) // a second attempt
				_, _, err := r.s.Finish(context.Background(), cb)
				return err
			},
			kind: oauth.ErrStateMismatch,
			says: "does not match this sign-in attempt",
		},
		{
			name: "a callback used twice is a state mismatch: the attempt is gone",
			run: func(t *testing.T, r *signInRig) error {
				u := r.begin(t, gitlabfake.DemoClientID)
				cb := r.consent(t, u, false)
				_, _, err := r.s.Finish(context.Background(), cb)
				require.NoError(t, err)
				_, _, err = r.s.Finish(context.Background(), cb)
				return err
			},
			kind: oauth.ErrStateMismatch,
			says: "start signing in again",
		},
		{
			name: "a code older than 10 minutes is rejected (oauth §2)",
			run: func(t *testing.T, r *signInRig) error {
				u := r.begin(t, gitlabfake.DemoClientID)
				cb := r.consent(t, u, false)
				r.emu.AdvanceClock(11 * time.Minute)
				_, _, err := r.s.Finish(context.Background(), cb)
				return err
			},
			kind: oauth.ErrCodeRejected,
			says: "expired or was already used",
		},
		{
			name: "a confidential application (or GitLab before 13.7) cannot be used without a secret",
			run: func(t *testing.T, r *signInRig) error {
				u := r.begin(t, gitlabfake.DemoConfidentialClientID)
				_, _, err := r.s.Finish(context.Background(), r.consent(t, u, false))
				return err
			},
			kind: oauth.ErrPKCEUnsupported,
			says: "untick Confidential",
		},
		{
			name: "a refresh token revoked on GitLab ends the session",
			run: func(t *testing.T, r *signInRig) error {
				in := r.signIn(t, false)
				resp, err := http.PostForm(r.api.URL+"/oauth/revoke", url.Values{"client_id": {gitlabfake.DemoClientID}, "token": {in.RefreshToken}})
				require.NoError(t, err)
				resp.Body.Close()
				c, err := r.client(in)
				require.NoError(t, err)
				_, err = c.CurrentUser(context.Background())
				return err
			},
			kind: oauth.ErrRefreshRevoked,
			says: "sign in again",
		},
		{
			name: "a failed refresh offers signing in again, and leaves only when the user chooses, back to the screen on show",
			run: func(t *testing.T, r *signInRig) error {
				in := r.signIn(t, true)
				var left []string
				told := 0
				r.s.OnEnded(func() { told++ })
				r.s.Here = func() string { return "/projects/group/app/-/jobs" }
				r.s.Leave = func(u string) { left = append(left, u) }
				r.emu.AdvanceClock(2*time.Hour + time.Minute)
				resp, err := http.PostForm(r.api.URL+"/oauth/revoke", url.Values{"client_id": {gitlabfake.DemoClientID}, "token": {in.RefreshToken}})
				require.NoError(t, err)
				resp.Body.Close()
				c, err := r.client(in)
				require.NoError(t, err)
				_, err = c.CurrentUser(context.Background())
				_, again := c.CurrentUser(context.Background())
				assert.Empty(t, left, "no request leaves the page on its own")
				assert.Equal(t, 1, told, "the page is told once, not once per failed request")
				ended, ok := r.s.Ended()
				require.True(t, ok)
				assert.Equal(t, in.BaseURL, ended.BaseURL)
				require.NoError(t, r.s.Again()) // the user clicks "Sign in again"
				require.Len(t, left, 1, "one new sign-in")
				_, ok = r.s.Ended()
				assert.False(t, ok, "offered no more")
				assert.True(t, strings.HasPrefix(left[0], r.api.URL+"/oauth/authorize?"), "GitLab's consent page: %s", left[0])
				assert.ErrorIs(t, again, gitlab.ErrUnauthorized, "the wiped instance's old token goes out bare and GitLab refuses it")
				raw, _ := r.s.pending.Get(pendingKey)
				assert.Contains(t, raw, `"return":"/projects/group/app/-/jobs"`)
				assert.Contains(t, raw, `"remember":true`, "stay signed in is kept")
				return err
			},
			kind: oauth.ErrRefreshRevoked,
			says: "sign in again",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newSignInRig(t)
			err := tc.run(t, r)
			require.ErrorIs(t, err, tc.kind)
			words := words.SignInProblem(err)
			assert.Contains(t, words, tc.says)
			assert.False(t, strings.HasPrefix(words, "oauth:"), "a sentence, not a package prefix: %q", words)
		})
	}
}

func TestBeginNeedsAnApplicationID(t *testing.T) {
	r := newSignInRig(t)
	_, err := r.s.Begin(r.api.URL, "  ", false, "", false, oauth.ScopeReadAPI)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Application ID")
	_, ok := r.s.pending.Get(pendingKey)
	assert.False(t, ok, "no attempt is kept for a sign-in that did not start")
}

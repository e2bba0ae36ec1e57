//go:build !js

package signin

import (
	"context"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/oauth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// In the extension the background refreshes (extension/signin): the page
// asks it once per expiry, with the token GitLab refused, and keeps the
// pair it answers; a refusal of the refresh token wipes the sign-in and
// starts signing in again.
func TestARemoteRefreshIsAdoptedAndKept(t *testing.T) {
	r := newSignInRig(t)
	in := r.signIn(t, false)
	var asked []string
	r.s.Remote = func(ctx context.Context, in account.Instance, stale string) (oauth.Token, error) {
		asked = append(asked, stale)
		c, err := oauth.NewClient(oauth.Config{BaseURL: in.BaseURL, ClientID: in.ClientID, RedirectURI: r.s.redirect},
			oauth.WithTransport(gitlab.HTTPTransport{}))
		require.NoError(t, err)
		return c.Refresh(ctx, in.RefreshToken) // as background.js does
	}
	r.emu.AdvanceClock(2*time.Hour + time.Minute)
	c, err := r.client(r.active(t))
	require.NoError(t, err)
	_, err = c.CurrentUser(context.Background())
	require.NoError(t, err, "the refused token is refreshed in the background, and the request goes through")
	assert.Equal(t, []string{in.Token}, asked, "asked once, naming the refused token")
	now := r.active(t)
	assert.NotEqual(t, in.Token, now.Token, "the new access token is kept here")
	assert.NotEqual(t, in.RefreshToken, now.RefreshToken, "and the rotated refresh token, so none is written back")
	assert.Equal(t, 200, r.status(t, now.Token))
}

func TestARemoteRefreshRefusedSignsInAgain(t *testing.T) {
	r := newSignInRig(t)
	in := r.signIn(t, true)
	var left []string
	r.s.Leave = func(u string) { left = append(left, u) }
	r.s.Remote = func(context.Context, account.Instance, string) (oauth.Token, error) {
		return oauth.Token{}, oauth.AnswerError("refresh_token", 400, []byte(`{"error":"invalid_grant"}`))
	}
	r.emu.AdvanceClock(2*time.Hour + time.Minute)
	c, err := r.client(in)
	require.NoError(t, err)
	_, err = c.CurrentUser(context.Background())
	require.ErrorIs(t, err, oauth.ErrRefreshRevoked)
	st, err := r.accounts.Load()
	require.NoError(t, err)
	gone, _ := st.ActiveInstance()
	assert.False(t, gone.SignedIn(), "the dead pair is wiped")
	assert.Empty(t, left, "nothing leaves before the user chooses")
	require.NoError(t, r.s.Again())
	require.Len(t, left, 1, "one new sign-in")
	assert.Contains(t, left[0], "/oauth/authorize?")
	assert.Contains(t, left[0], gitlabfake.DemoClientID)
}

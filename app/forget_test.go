package app

import (
	"context"
	"testing"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/oauth"
	"github.com/jobscope/jobscope/internal/offline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// revokeOK answers every OAuth request with 200: GitLab's revoke endpoint
// answers 200 to any token (gitlab-oauth.md §6).
type revokeOK struct{ calls int }

func (r *revokeOK) Do(context.Context, *gitlab.Request) (*gitlab.Response, error) {
	r.calls++
	return &gitlab.Response{StatusCode: 200, Header: gitlab.Header{"content-type": "application/json"}, Body: []byte(`{}`)}, nil
}

func TestForgetAndSignOutLeaveNothingOfTheInstance(t *testing.T) {
	const gone, other = "https://host", "https://host/gitlab"
	token := account.Instance{BaseURL: gone, Token: "glpat-x", Remember: true}
	signedIn := account.Instance{BaseURL: gone, ClientID: "app", OAuth: true, RefreshToken: "r", Remember: true}
	cases := []struct {
		name    string
		in      account.Instance
		act     func(env *Env, in account.Instance) error
		kept    bool // the instance stays saved (signed out, not forgotten)
		revoked bool
	}{
		{"forgetting a token instance", token, func(env *Env, in account.Instance) error { return env.Forget(context.Background(), in) }, false, false},
		{"forgetting a signed-in instance revokes it first", signedIn, func(env *Env, in account.Instance) error { return env.Forget(context.Background(), in) }, false, true},
		{"signing out", signedIn, func(env *Env, in account.Instance) error { return env.SignOut(context.Background(), in) }, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := NewEnv(&account.MemoryKV{})
			net := &revokeOK{}
			env.SignIn.Options = []oauth.Option{oauth.WithTransport(net)}
			disk := offline.NewMemoryStore(1 << 20)
			env.Offline = offline.New(disk)
			var st account.Settings
			st.Put(account.Instance{BaseURL: other, Token: "glpat-other", Remember: true})
			st.Put(tc.in)
			require.NoError(t, env.Settings.Save(st))
			for _, base := range []string{gone, other} {
				require.NoError(t, disk.Put(base+"/api/v4/projects/1/jobs", offline.Copy{Body: []byte("[]")}))
			}

			require.NoError(t, tc.act(env, tc.in))

			_, ok := disk.Get(gone + "/api/v4/projects/1/jobs")
			assert.False(t, ok, "its offline copies are gone")
			_, ok = disk.Get(other + "/api/v4/projects/1/jobs")
			assert.True(t, ok, "another instance's copies stay, even under the same host")
			st, err := env.Settings.Load()
			require.NoError(t, err)
			var saved []string
			for _, in := range st.Instances {
				saved = append(saved, in.BaseURL)
				if in.BaseURL == gone {
					assert.Empty(t, in.Token+in.RefreshToken, "no token is left")
				}
			}
			assert.Equal(t, tc.kept, len(saved) == 2, "saved: %v", saved)
			assert.Contains(t, saved, other)
			assert.Equal(t, tc.revoked, net.calls > 0, "GitLab was asked to revoke")
		})
	}
}

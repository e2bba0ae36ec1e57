package watch

import (
	"context"
	"strings"
	"testing"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// statusNet answers GET .../jobs/<id> and .../pipelines/<id> with the
// status in its map, by path suffix.
type statusNet struct {
	status map[string]gitlab.Status // "jobs/7" -> running
	tokens []string
}

func (n *statusNet) Do(ctx context.Context, r *gitlab.Request) (*gitlab.Response, error) {
	n.tokens = append(n.tokens, strings.TrimPrefix(r.Header.Get("authorization"), "Bearer "))
	for suffix, st := range n.status {
		if strings.HasSuffix(r.URL, "/"+suffix) {
			return &gitlab.Response{StatusCode: 200, Header: gitlab.Header{"content-type": "application/json"},
				Body: []byte(`{"id":7,"name":"build","status":"` + string(st) + `"}`)}, nil
		}
	}
	return &gitlab.Response{StatusCode: 404, Header: gitlab.Header{}, Body: []byte(`{"message":"404 Not found"}`)}, nil
}

const (
	instanceA = "https://gitlab.example.com"
	instanceB = "https://gitlab.other.org"
)

// watchRig is a poller over two instances, each with its own token,
// reaching GitLab through net.
func watchRig(t *testing.T, net *statusNet) (*Poller, *MemoryNotifier) {
	t.Helper()
	accounts := account.NewStore(&account.MemoryKV{})
	var st account.Settings
	st.Put(account.Instance{BaseURL: instanceA, Token: "token-a", Remember: true})
	st.Put(account.Instance{BaseURL: instanceB, Token: "token-b", Remember: true})
	require.NoError(t, accounts.Save(st))
	client := func(in account.Instance) (*gitlab.Client, error) {
		return gitlab.New(in.BaseURL, gitlab.PrivateToken(in.Token), gitlab.WithTransport(net), gitlab.WithBackoff(gitlab.NoBackoff))
	}
	notes := &MemoryNotifier{}
	return &Poller{List: NewList(&account.MemoryKV{}), Accounts: accounts, Client: client, Notifier: notes}, notes
}

func TestTheWatchListTogglesAndKeepsInstancesApart(t *testing.T) {
	l := NewList(&account.MemoryKV{})
	woken := 0
	l.Changed = func() { woken++ }
	a := Watched{BaseURL: instanceA, Project: "g/p", Kind: Job, ID: 7, Status: gitlab.StatusRunning}
	b := a
	b.BaseURL = instanceB

	on, err := l.Toggle(a)
	require.NoError(t, err)
	assert.True(t, on)
	assert.True(t, l.Has(a))
	assert.False(t, l.Has(b), "the same job id on another instance is another job")
	on, err = l.Toggle(a)
	require.NoError(t, err)
	assert.False(t, on, "a second toggle stops watching")
	assert.Empty(t, l.All())
	assert.Equal(t, 2, woken, "every change wakes the poller")
}

func TestAPollRoundNotifiesWhatFinishedOnceWithItsStatus(t *testing.T) {
	net := &statusNet{status: map[string]gitlab.Status{"jobs/7": gitlab.StatusRunning, "pipelines/9": gitlab.StatusRunning}}
	p, notes := watchRig(t, net)
	list := p.List
	_, err := list.Toggle(Watched{BaseURL: instanceA, Project: "g/p", Kind: Job, ID: 7, Name: "build", Status: gitlab.StatusRunning})
	require.NoError(t, err)
	_, err = list.Toggle(Watched{BaseURL: instanceB, Project: "g/q", Kind: Pipeline, ID: 9, Status: gitlab.StatusRunning})
	require.NoError(t, err)

	finished, failed := p.round(context.Background())
	assert.False(t, finished)
	assert.False(t, failed)
	assert.Empty(t, notes.Notes(), "nothing is said while they run")
	assert.ElementsMatch(t, []string{"token-a", "token-b"}, net.tokens, "each item is asked with its own instance's token")

	net.status["jobs/7"] = gitlab.StatusFailed
	finished, _ = p.round(context.Background())
	assert.True(t, finished)
	require.Len(t, notes.Notes(), 1)
	assert.Equal(t, "Job #7 build: failed", notes.Notes()[0].Title())
	badge, _ := notes.Badged()
	assert.Equal(t, 1, badge, "the badge counts the failed watched item")

	net.tokens = nil
	p.round(context.Background())
	assert.Len(t, notes.Notes(), 1, "a finished item is said once and no longer polled")
	assert.Equal(t, []string{"token-b"}, net.tokens)
}

func TestAPollRoundThatCannotReachGitLabSaysSo(t *testing.T) {
	p, notes := watchRig(t, &statusNet{})
	_, err := p.List.Toggle(Watched{BaseURL: instanceA, Project: "g/p", Kind: Job, ID: 404, Status: gitlab.StatusRunning})
	require.NoError(t, err)
	_, failed := p.round(context.Background())
	assert.True(t, failed, "the poller backs off")
	assert.Empty(t, notes.Notes(), "no notification without an answer")
}

// refreshingSource is a signed-in instance's credential after a reload: no
// access token until the source refreshes one.
type refreshingSource struct{ refreshed int }

func (s *refreshingSource) Auth(context.Context) (gitlab.Auth, error) {
	s.refreshed++
	return gitlab.OAuthToken("fresh-access"), nil
}

func (s *refreshingSource) Renew(_ context.Context, rejected gitlab.Auth) (gitlab.Auth, error) {
	return rejected, nil
}

func TestAfterAReloadASignedInInstanceIsPolledThroughItsTokenSource(t *testing.T) {
	cases := []struct {
		name   string
		in     account.Instance
		asked  bool
		tokens []string
	}{
		{"a kept refresh token alone is enough: the source refreshes",
			account.Instance{BaseURL: instanceA, ClientID: "app", OAuth: true, RefreshToken: "refresh", Remember: true},
			true, []string{"fresh-access"}},
		{"an instance without any token is not asked about",
			account.Instance{BaseURL: instanceA, Remember: true},
			false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			net := &statusNet{status: map[string]gitlab.Status{"jobs/7": gitlab.StatusRunning}}
			accounts := account.NewStore(&account.MemoryKV{})
			var st account.Settings
			st.Put(tc.in)
			require.NoError(t, accounts.Save(st))
			src := &refreshingSource{}
			client := func(in account.Instance) (*gitlab.Client, error) {
				opts := []gitlab.Option{gitlab.WithTransport(net), gitlab.WithBackoff(gitlab.NoBackoff)}
				if in.ClientID != "" {
					opts = append(opts, gitlab.WithTokenSource(src))
				}
				return gitlab.New(in.BaseURL, gitlab.OAuthToken(in.Token), opts...)
			}
			p := &Poller{List: NewList(&account.MemoryKV{}), Accounts: accounts, Client: client, Notifier: &MemoryNotifier{}}
			_, err := p.List.Toggle(Watched{BaseURL: instanceA, Project: "g/p", Kind: Job, ID: 7, Status: gitlab.StatusRunning})
			require.NoError(t, err)

			_, failed := p.round(context.Background())
			assert.Equal(t, !tc.asked, failed)
			assert.Equal(t, tc.tokens, net.tokens)
			assert.Equal(t, tc.asked, src.refreshed > 0, "the credential comes from the source")
		})
	}
}

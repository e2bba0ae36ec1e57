package account

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemoryOnlyTokensNeverReachStorage(t *testing.T) {
	kv := &MemoryKV{}
	store := NewStore(kv)
	var st Settings
	st.Put(Instance{BaseURL: "https://gitlab.com", Token: "glpat-remembered", Remember: true})
	st.Put(Instance{BaseURL: "https://git.example.com", Token: "glpat-secret-memory", Remember: false})
	require.NoError(t, store.Save(st))

	raw, ok := kv.Get(SettingsKey)
	require.True(t, ok, "settings were written")
	assert.NotContains(t, raw, "glpat-secret-memory", "a memory-only token is never stored")
	assert.Contains(t, raw, "glpat-remembered", "a remembered token is stored")

	got, err := store.Load()
	require.NoError(t, err)
	in, ok := got.ActiveInstance()
	require.True(t, ok)
	assert.Equal(t, "glpat-secret-memory", in.Token, "the same page still has the memory-only token")

	reloaded, err := NewStore(kv).Load() // a new page load
	require.NoError(t, err)
	in, ok = reloaded.ActiveInstance()
	require.True(t, ok)
	assert.Empty(t, in.Token, "a new page load has forgotten the memory-only token")
	assert.Len(t, reloaded.Instances, 2, "the instance itself is remembered")
}

func TestSwitchingToRememberDropsTheMemoryCopy(t *testing.T) {
	kv := &MemoryKV{}
	store := NewStore(kv)
	var st Settings
	st.Put(Instance{BaseURL: "https://gitlab.com", Token: "t1", Remember: false})
	require.NoError(t, store.Save(st))
	st.Put(Instance{BaseURL: "https://gitlab.com", Token: "t2", Remember: true})
	require.NoError(t, store.Save(st))

	raw, _ := kv.Get(SettingsKey)
	assert.Contains(t, raw, "t2")
	assert.NotContains(t, raw, `"t1"`)
}

func TestDemoInstancesAreActiveButNeverStored(t *testing.T) {
	kv := &MemoryKV{}
	store := NewStore(kv)
	store.AddDemo(Instance{BaseURL: "http://127.0.0.1:9000", Token: "glpat-demo", User: "demo"})

	st, err := store.Load()
	require.NoError(t, err)
	in, ok := st.ActiveInstance()
	require.True(t, ok, "the demo instance is active when nothing else is")
	assert.Equal(t, "glpat-demo", in.Token)
	require.NoError(t, store.Save(st))
	raw, _ := kv.Get(SettingsKey)
	assert.NotContains(t, raw, "glpat-demo")
	assert.NotContains(t, raw, "127.0.0.1:9000")

	st.Put(Instance{BaseURL: "https://gitlab.com", Token: "x", Remember: true})
	require.NoError(t, store.Save(st))
	st, err = store.Load()
	require.NoError(t, err)
	assert.Equal(t, "https://gitlab.com", st.Active, "a chosen instance stays active over the demo")
}

func TestUnreadableSettingsAreReportedNotFatal(t *testing.T) {
	kv := &MemoryKV{}
	require.NoError(t, kv.Set(SettingsKey, "{not json"))
	st, err := NewStore(kv).Load()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unreadable")
	assert.Empty(t, st.Instances)
}

func TestNormalizeBaseURL(t *testing.T) {
	cases := []struct{ name, in, want, wantErr string }{
		{"gitlab.com stays as it is", "https://gitlab.com", "https://gitlab.com", ""},
		{"a trailing slash is dropped", "https://gitlab.com/", "https://gitlab.com", ""},
		{"a bare host means https", "gitlab.example.com", "https://gitlab.example.com", ""},
		{"a relative URL root is kept", "https://example.com/gitlab/", "https://example.com/gitlab", ""},
		{"a pasted API URL is trimmed", "https://gitlab.com/api/v4", "https://gitlab.com", ""},
		{"a port is kept", "http://127.0.0.1:8929", "http://127.0.0.1:8929", ""},
		{"empty is refused", " ", "", "empty"},
		{"another scheme is refused", "ftp://gitlab.com", "", "https://"},
		{"credentials are refused", "https://user:pw@gitlab.com", "", "just the instance"},
		{"a query is refused", "https://gitlab.com/?private_token=x", "", "just the instance"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeBaseURL(tc.in)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.False(t, strings.Contains(err.Error(), "pw@"), "credentials are not echoed")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

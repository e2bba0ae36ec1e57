package account

import (
	"fmt"
	"strings"
	"sync"
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

// Two writers, as two tabs or a page and its refresh: each changes one
// thing while the other's change lands in between. Update re-reads at
// write time, so neither is lost; the Save of an early snapshot loses it
// (the case Update exists for).
func TestTwoWritersRacingKeepBothChanges(t *testing.T) {
	const a, b = "https://a.example", "https://b.example"
	cases := []struct {
		name  string
		other func(t *testing.T, tab2 *Store) // lands between tab 1's read and write
		check func(t *testing.T, st Settings)
	}{
		{
			name: "an instance added in another tab survives choosing the active one",
			other: func(t *testing.T, tab2 *Store) {
				require.NoError(t, tab2.Update(func(st *Settings) bool {
					st.Put(Instance{BaseURL: b, Token: "tb", Remember: true})
					return true
				}))
			},
			check: func(t *testing.T, st Settings) {
				assert.Len(t, st.Instances, 2)
			},
		},
		{
			name: "a refresh token rotated in another tab survives choosing the active one",
			other: func(t *testing.T, tab2 *Store) {
				require.NoError(t, tab2.Update(func(st *Settings) bool {
					st.Instances[0].RefreshToken = "rotated"
					return true
				}))
			},
			check: func(t *testing.T, st Settings) {
				assert.Equal(t, "rotated", st.Instances[0].RefreshToken)
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kv := &MemoryKV{}
			tab1, tab2 := NewStore(kv), NewStore(kv)
			var st Settings
			st.Put(Instance{BaseURL: a, ClientID: "app", OAuth: true, RefreshToken: "first", Remember: true})
			require.NoError(t, tab1.Save(st))

			mounted, err := tab1.Load() // Connect's snapshot, taken at mount
			require.NoError(t, err)
			tc.other(t, tab2)
			require.NoError(t, tab1.Update(func(st *Settings) bool {
				st.Active = mounted.Instances[0].BaseURL
				return true
			}))

			got, err := NewStore(kv).Load()
			require.NoError(t, err)
			assert.Equal(t, a, got.Active)
			tc.check(t, got)
		})
	}
}

func TestManyWritersAtOnceLoseNoInstance(t *testing.T) {
	store := NewStore(&MemoryKV{})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			base := fmt.Sprintf("https://gitlab%d.example", i)
			assert.NoError(t, store.Update(func(st *Settings) bool {
				st.Put(Instance{BaseURL: base, Token: "t", Remember: true})
				return true
			}))
		}()
	}
	wg.Wait()
	st, err := store.Load()
	require.NoError(t, err)
	assert.Len(t, st.Instances, 20)
}

func TestForgetDropsTheInstanceAndEveryTokenOfIt(t *testing.T) {
	cases := []struct {
		name string
		in   Instance
	}{
		{"a remembered token", Instance{BaseURL: "https://a.example", Token: "glpat-kept", Remember: true}},
		{"a memory-only token", Instance{BaseURL: "https://a.example", Token: "glpat-memory"}},
		{"a sign-in kept in memory", Instance{BaseURL: "https://a.example", ClientID: "app", Token: "access", RefreshToken: "refresh"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kv := &MemoryKV{}
			store := NewStore(kv)
			var st Settings
			st.Put(Instance{BaseURL: "https://b.example", Token: "glpat-b", Remember: true})
			st.Put(tc.in)
			require.NoError(t, store.Save(st))

			require.NoError(t, store.Forget(tc.in.BaseURL))
			got, err := store.Load()
			require.NoError(t, err)
			require.Len(t, got.Instances, 1)
			assert.Equal(t, "https://b.example", got.Instances[0].BaseURL)
			assert.Empty(t, got.Active, "the forgotten instance is no longer active")

			// Saved again (typed anew), it does not get the old tokens back.
			require.NoError(t, store.Update(func(st *Settings) bool {
				st.Put(Instance{BaseURL: tc.in.BaseURL, ClientID: tc.in.ClientID, Remember: tc.in.Remember})
				return true
			}))
			got, _ = store.Load()
			in, _ := got.ActiveInstance()
			assert.Empty(t, in.Token+in.RefreshToken)
			raw, _ := kv.Get(SettingsKey)
			assert.NotContains(t, raw, "glpat-kept")
		})
	}
}

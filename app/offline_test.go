package app

import (
	"testing"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatBytes(t *testing.T) {
	for in, want := range map[int64]string{0: "0 B", 999: "999 B", 1500: "1.5 kB", 52428800: "52.4 MB"} {
		assert.Equal(t, want, formatBytes(in))
	}
}

// Only an instance kept on this device keeps its copies of GitLab's
// replies there (Offline.OnDisk): a memory-only instance's stay in memory,
// like its token (internal/offline tests that they do, and are still
// served offline while the page lives).
func TestOnlyARememberedInstanceKeepsCopiesOnDisk(t *testing.T) {
	const kept, forgotten = "https://kept.example", "https://forgotten.example"
	env := NewEnv(&account.MemoryKV{})
	require.NoError(t, env.Settings.Save(account.Settings{Instances: []account.Instance{
		{BaseURL: kept, Token: "a", Remember: true},
		{BaseURL: forgotten, Token: "b", Remember: false},
	}}))
	assert.True(t, env.OnDisk(kept+"/api/v4/user"), "the remembered instance's copies go to the device")
	assert.False(t, env.OnDisk(forgotten+"/api/v4/user"), "the memory-only instance's do not")
	assert.False(t, env.OnDisk("https://elsewhere.example/api/v4/user"), "an unknown instance keeps nothing on disk")
}

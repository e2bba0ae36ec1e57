package app

import (
	"context"
	"errors"
	"testing"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/offline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeNet answers from a map, or fails like a dropped network when down.
type fakeNet struct {
	down    bool
	replies map[string]*gitlab.Response
	calls   int
}

var errNoNetwork = errors.New("TypeError: Failed to fetch")

func (f *fakeNet) Do(ctx context.Context, r *gitlab.Request) (*gitlab.Response, error) {
	f.calls++
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if f.down {
		return nil, errNoNetwork
	}
	if resp, ok := f.replies[r.URL]; ok {
		return resp, nil
	}
	return &gitlab.Response{StatusCode: 404, Header: gitlab.Header{}, Body: []byte(`{"message":"404 Not found"}`)}, nil
}

func get(url string) *gitlab.Request {
	return &gitlab.Request{Method: "GET", URL: url, Header: gitlab.Header{"private-token": "secret-token"}}
}

const jobsURL = "https://gitlab.example.com/api/v4/projects/1/jobs?pagination=keyset"

func TestFormatBytes(t *testing.T) {
	for in, want := range map[int64]string{0: "0 B", 999: "999 B", 1500: "1.5 kB", 52428800: "52.4 MB"} {
		assert.Equal(t, want, formatBytes(in))
	}
}

// A memory-only instance's copies stay in memory, like its token: nothing
// of it reaches the device's store, yet it is still served offline while
// the page lives. A remembered instance's copies go to the store.
func TestAMemoryOnlyInstanceKeepsItsCopiesInMemory(t *testing.T) {
	const kept, forgotten = "https://kept.example", "https://forgotten.example"
	env := NewEnv(&account.MemoryKV{})
	require.NoError(t, env.Settings.Save(account.Settings{Instances: []account.Instance{
		{BaseURL: kept, Token: "a", Remember: true},
		{BaseURL: forgotten, Token: "b", Remember: false},
	}}))
	reply := &gitlab.Response{StatusCode: 200, Header: gitlab.Header{}, Body: []byte(`[{"id":7}]`)}
	net := &fakeNet{replies: map[string]*gitlab.Response{kept + "/api/v4/user": reply, forgotten + "/api/v4/user": reply}}
	disk := offline.NewMemoryStore(1 << 20)
	off := offline.New(disk)
	off.OnDisk = env.OnDisk
	tr := off.Transport(net)
	for _, base := range []string{kept, forgotten} {
		_, err := tr.Do(context.Background(), get(base+"/api/v4/user"))
		require.NoError(t, err)
	}
	_, onDisk := disk.Get(kept + "/api/v4/user")
	assert.True(t, onDisk, "the remembered instance's copy is on the device")
	_, onDisk = disk.Get(forgotten + "/api/v4/user")
	assert.False(t, onDisk, "the memory-only instance's copy is not")
	n, _ := disk.Usage()
	assert.Equal(t, 1, n)

	net.down = true
	resp, err := tr.Do(context.Background(), get(forgotten+"/api/v4/user"))
	require.NoError(t, err, "still served from memory while the page lives")
	assert.Equal(t, `[{"id":7}]`, string(resp.Body))
	assert.False(t, env.OnDisk("https://elsewhere.example/api/v4/user"), "an unknown instance keeps nothing on disk")
}

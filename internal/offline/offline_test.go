package offline

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
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

func TestTheOfflineTransportServesTheLastCopyWhenTheNetworkFails(t *testing.T) {
	net := &fakeNet{replies: map[string]*gitlab.Response{jobsURL: {
		StatusCode: 200,
		Header:     gitlab.Header{"link": `<https://gitlab.example.com/next>; rel="next"`, "set-cookie": "x"},
		Body:       []byte(`[{"id":7}]`),
	}}}
	off := New(NewMemoryStore(1 << 20))
	changed := 0
	off.Changed = func() { changed++ }
	tr := off.Transport(net)

	before := time.Now()
	fresh, err := tr.Do(context.Background(), get(jobsURL))
	require.NoError(t, err)
	assert.False(t, fresh.Header.Has(headerFetched), "a fresh reply is not marked")
	_, stale := off.Stale()
	assert.False(t, stale)

	net.down = true
	copy, err := tr.Do(context.Background(), get(jobsURL))
	require.NoError(t, err, "the copy stands in for the network")
	assert.Equal(t, 200, copy.StatusCode)
	assert.JSONEq(t, `[{"id":7}]`, string(copy.Body))
	assert.Equal(t, fresh.Header.Get("link"), copy.Header.Get("link"), "pagination survives (gitlab-api.md §7)")
	assert.False(t, copy.Header.Has("set-cookie"), "only the headers the client reads are kept")
	fetched, err := time.Parse(time.RFC3339, copy.Header.Get(headerFetched))
	require.NoError(t, err)
	assert.WithinDuration(t, before, fetched, 2*time.Second)
	at, stale := off.Stale()
	assert.True(t, stale, "the page learns a copy is on screen")
	assert.WithinDuration(t, before, at, 2*time.Second)
	assert.Equal(t, 1, changed)

	off.Reset()
	_, stale = off.Stale()
	assert.False(t, stale, "a new page starts fresh")
}

func TestTheOfflineTransportKeepsOnlyWhatItShould(t *testing.T) {
	other := "https://gitlab.other.org/api/v4/projects/1/jobs?pagination=keyset"
	tests := []struct {
		name string
		req  *gitlab.Request
		resp *gitlab.Response
	}{
		{"an error reply is not kept", get(jobsURL), &gitlab.Response{StatusCode: 500, Header: gitlab.Header{}, Body: []byte("boom")}},
		{"a write is not kept", &gitlab.Request{Method: "POST", URL: jobsURL, Header: gitlab.Header{}}, &gitlab.Response{StatusCode: 200, Header: gitlab.Header{}, Body: []byte("{}")}},
		{"another instance's copy is not served", get(other), &gitlab.Response{StatusCode: 200, Header: gitlab.Header{}, Body: []byte("[]")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net := &fakeNet{replies: map[string]*gitlab.Response{tt.req.URL: tt.resp}}
			tr := New(NewMemoryStore(1 << 20)).Transport(net)
			_, err := tr.Do(context.Background(), tt.req)
			require.NoError(t, err)
			net.down = true
			_, err = tr.Do(context.Background(), get(jobsURL))
			assert.ErrorIs(t, err, errNoNetwork, "nothing to stand in")
		})
	}
}

// The copies of a URL OnDisk refuses (a memory-only instance's) stay in
// memory, like its token: nothing of it reaches the device's store, yet it
// is still served offline while the page lives. Others go to the store.
// Which instance is which is the app's Env.OnDisk (app/offline_test.go).
func TestCopiesOnDiskRefusesStayInMemory(t *testing.T) {
	const kept, forgotten = "https://kept.example", "https://forgotten.example"
	reply := &gitlab.Response{StatusCode: 200, Header: gitlab.Header{}, Body: []byte(`[{"id":7}]`)}
	net := &fakeNet{replies: map[string]*gitlab.Response{kept + "/api/v4/projects/1/jobs": reply, forgotten + "/api/v4/projects/1/jobs": reply}}
	disk := NewMemoryStore(1 << 20)
	off := New(disk)
	off.OnDisk = func(url string) bool { return strings.HasPrefix(url, kept+"/") }
	tr := off.Transport(net)
	for _, base := range []string{kept, forgotten} {
		_, err := tr.Do(context.Background(), get(base+"/api/v4/projects/1/jobs"))
		require.NoError(t, err)
	}
	_, onDisk := disk.Get(kept + "/api/v4/projects/1/jobs")
	assert.True(t, onDisk, "the remembered instance's copy is on the device")
	_, onDisk = disk.Get(forgotten + "/api/v4/projects/1/jobs")
	assert.False(t, onDisk, "the memory-only instance's copy is not")
	n, _ := disk.Usage()
	assert.Equal(t, 1, n)

	net.down = true
	resp, err := tr.Do(context.Background(), get(forgotten+"/api/v4/projects/1/jobs"))
	require.NoError(t, err, "still served from memory while the page lives")
	assert.Equal(t, `[{"id":7}]`, string(resp.Body))
}

func TestACancelledRequestGetsNoCopy(t *testing.T) {
	net := &fakeNet{replies: map[string]*gitlab.Response{jobsURL: {StatusCode: 200, Header: gitlab.Header{}, Body: []byte("[]")}}}
	tr := New(NewMemoryStore(1 << 20)).Transport(net)
	_, err := tr.Do(context.Background(), get(jobsURL))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = tr.Do(ctx, get(jobsURL))
	assert.ErrorIs(t, err, context.Canceled, "the user moved on: no stale copy")
}

func TestTheTokenIsNeverKept(t *testing.T) {
	net := &fakeNet{replies: map[string]*gitlab.Response{jobsURL: {StatusCode: 200, Header: gitlab.Header{}, Body: []byte("[]")}}}
	store := NewMemoryStore(1 << 20)
	_, err := New(store).Transport(net).Do(context.Background(), get(jobsURL))
	require.NoError(t, err)
	for k, c := range store.copies {
		assert.NotContains(t, k, "secret-token")
		for h, v := range c.Header {
			assert.NotContains(t, h+v, "secret-token")
		}
	}
}

func TestTheCopiesStayWithinTheirBudgetLeastRecentlyUsedFirst(t *testing.T) {
	clock := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	store := NewMemoryStore(300)
	store.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	put := func(key string, size int) {
		require.NoError(t, store.Put(key, Copy{Body: []byte(strings.Repeat("x", size-len(key)))}))
	}
	put("a", 100)
	put("b", 100)
	put("c", 100)
	_, ok := store.Get("a") // a is now the most recently used
	require.True(t, ok)
	put("d", 100)

	_, hasB := store.Get("b")
	assert.False(t, hasB, "the least recently used copy went")
	for _, k := range []string{"a", "c", "d"} {
		_, ok := store.Get(k)
		assert.True(t, ok, "%s is kept", k)
	}
	n, bytes := store.Usage()
	assert.Equal(t, 3, n)
	assert.Equal(t, int64(300), bytes)

	put("huge", 1000)
	_, ok = store.Get("huge")
	assert.False(t, ok, "a copy bigger than the budget is not kept")
	n, _ = store.Usage()
	assert.Equal(t, 3, n, "and it evicts nothing to make room in vain")

	put("e", 50)
	require.NoError(t, store.Clear())
	n, bytes = store.Usage()
	assert.Zero(t, n)
	assert.Zero(t, bytes)
}

// streamNet answers every GET with a streamed 200 of body, cut after cut
// bytes when cut >= 0.
type streamNet struct {
	body []byte
	cut  int
	down bool
}

func (s *streamNet) Do(ctx context.Context, r *gitlab.Request) (*gitlab.Response, error) {
	if s.down {
		return nil, errNoNetwork
	}
	var body io.Reader = bytes.NewReader(s.body)
	if s.cut >= 0 {
		body = io.MultiReader(bytes.NewReader(s.body[:s.cut]), iotest.ErrReader(errNoNetwork))
	}
	return &gitlab.Response{StatusCode: 200, Header: gitlab.Header{}, Stream: io.NopCloser(body)}, nil
}

// TestAStreamedLogIsKeptOnlyWhole: a log read as it arrives is kept once its
// last byte is in; one cut half way is not kept, so offline shows the last
// whole copy rather than a piece (issue 12).
func TestAStreamedLogIsKeptOnlyWhole(t *testing.T) {
	const url = "https://gitlab.example.com/api/v4/projects/1/jobs/7/trace"
	tests := []struct {
		name     string
		cut      int
		wantKept bool
	}{
		{"read to its end", -1, true},
		{"cut half way", 5, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net := &streamNet{body: []byte("line 1\nline 2\n"), cut: tt.cut}
			off := New(NewMemoryStore(1 << 20))
			tr := off.Transport(net)
			req := get(url)
			req.Stream = true
			resp, err := tr.Do(context.Background(), req)
			require.NoError(t, err)
			_, _ = io.ReadAll(resp.Stream)
			net.down = true
			copied, err := tr.Do(context.Background(), get(url))
			if !tt.wantKept {
				assert.ErrorIs(t, err, errNoNetwork, "no copy of a cut log")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, net.body, copied.Body)
		})
	}
}

func TestOnlyWhatOfflineReadingShowsIsKept(t *testing.T) {
	const api = "https://gitlab.example.com/gitlab/api/v4"
	cases := []struct {
		name string
		url  string
		kept bool
	}{
		{"a job list", api + "/projects/g%2Fp/jobs?pagination=keyset&per_page=50", true},
		{"a job", api + "/projects/1/jobs/7", true},
		{"a log", api + "/projects/1/jobs/7/trace", true},
		{"a pipeline list", api + "/projects/1/pipelines?ref=main", true},
		{"a pipeline", api + "/projects/1/pipelines/9", true},
		{"a pipeline's jobs", api + "/projects/1/pipelines/9/jobs?include_retried=true", true},
		{"a pipeline's bridges", api + "/projects/1/pipelines/9/bridges", true},
		{"the project list", api + "/projects?membership=true", true},
		{"an artifact archive", api + "/projects/1/jobs/7/artifacts", false},
		{"an artifact file", api + "/projects/1/jobs/7/artifacts/coverage/index.html", false},
		{"the current user", api + "/user", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			net := &fakeNet{replies: map[string]*gitlab.Response{tc.url: {StatusCode: 200, Header: gitlab.Header{}, Body: []byte(`{}`)}}}
			store := NewMemoryStore(1 << 20)
			tr := New(store).Transport(net)
			_, err := tr.Do(context.Background(), get(tc.url))
			require.NoError(t, err)
			_, ok := store.Get(tc.url)
			assert.Equal(t, tc.kept, ok)
		})
	}
}

// stuckStore never answers, as IndexedDB does not while another page of
// the origin holds a transaction on its store; it counts what it was asked.
type stuckStore struct {
	MemoryStore
	puts, gets atomic.Int32
	release    chan struct{}
}

func (s *stuckStore) Put(string, Copy) error     { s.puts.Add(1); <-s.release; return nil }
func (s *stuckStore) Get(string) (Copy, bool)    { s.gets.Add(1); <-s.release; return Copy{}, false }
func (s *stuckStore) Forget(string) error        { <-s.release; return nil }
func (s *stuckStore) Clear() error               { <-s.release; return nil }
func (s *stuckStore) Usage() (n int, size int64) { return 0, 0 }

// TestAStoreThatNeverAnswersHoldsNoReply: replies come through whole while
// the store hangs, a failed request is said as the network's failure, and
// the writes left waiting are bounded.
func TestAStoreThatNeverAnswersHoldsNoReply(t *testing.T) {
	putWas, getWas := putWait, getWait
	putWait, getWait = time.Millisecond, time.Millisecond
	t.Cleanup(func() { putWait, getWait = putWas, getWas })
	store := &stuckStore{release: make(chan struct{})}
	defer close(store.release)
	logURL := "https://gitlab.example.com/api/v4/projects/1/jobs/7/trace"
	net := &fakeNet{replies: map[string]*gitlab.Response{
		jobsURL: {StatusCode: 200, Header: gitlab.Header{}, Body: []byte(`[{"id":7}]`)},
		logURL:  {StatusCode: 200, Header: gitlab.Header{}, Stream: io.NopCloser(strings.NewReader("line 1\nline 2\n"))},
	}}
	tr := New(store).Transport(net)

	within := func(what string, f func()) {
		t.Helper()
		done := make(chan struct{})
		go func() { defer close(done); f() }()
		select {
		case <-done:
		case <-time.After(time.Minute): // a deadline for a hang, not a budget
			t.Fatalf("%s waited on the store", what)
		}
	}
	within("a list", func() {
		resp, err := tr.Do(context.Background(), get(jobsURL))
		require.NoError(t, err)
		assert.JSONEq(t, `[{"id":7}]`, string(resp.Body))
	})
	within("a log read to its end", func() {
		resp, err := tr.Do(context.Background(), get(logURL))
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Stream)
		require.NoError(t, err)
		assert.Equal(t, "line 1\nline 2\n", string(body))
	})
	net.down = true
	within("a failed request", func() {
		_, err := tr.Do(context.Background(), get(jobsURL))
		assert.ErrorIs(t, err, errNoNetwork, "no copy came in time: the network's failure is said")
	})
	net.down = false
	for range 2 * maxWriting {
		within("another list", func() {
			_, err := tr.Do(context.Background(), get(jobsURL))
			require.NoError(t, err)
		})
	}
	assert.Equal(t, int32(maxWriting), store.puts.Load(), "writes left waiting are bounded; past that, copies are skipped")
	assert.Equal(t, int32(1), store.gets.Load())
}

// A streamed body is held for its copy only up to the limit: past it, no
// store would keep it, and holding it would double a huge log's memory
// while it downloads (59 MB for the 500,000-line log).
func TestAStreamedBodyPastTheLimitIsNotHeld(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		limit    int
		wantKept []byte // nil: keep is never called
	}{
		{"within the limit", "line 1\nline 2\n", 14, []byte("line 1\nline 2\n")},
		{"one byte past", "line 1\nline 2\n", 13, nil},
		{"empty", "", 0, []byte{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var kept []byte
			called := false
			k := &keepWhole{
				ReadCloser: io.NopCloser(iotest.OneByteReader(strings.NewReader(tt.body))),
				limit:      tt.limit,
				keep:       func(b []byte) { kept, called = b, true },
			}
			got, err := io.ReadAll(k)
			require.NoError(t, err)
			assert.Equal(t, tt.body, string(got), "every byte passes through")
			assert.LessOrEqual(t, len(k.buf), tt.limit, "never holds more than the limit")
			if tt.wantKept == nil {
				assert.False(t, called, "no copy past the limit")
				return
			}
			require.True(t, called)
			assert.Equal(t, string(tt.wantKept), string(kept))
		})
	}
}

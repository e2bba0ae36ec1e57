package gitlab

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// fakeTransport is an in-memory Transport: it records each request and
// answers with handle. It runs in both the native and the wasm test builds.
type fakeTransport struct {
	mu       sync.Mutex
	requests []*Request
	handle   func(n int, r *Request) (*Response, error) // n counts requests from 0
}

func (f *fakeTransport) Do(ctx context.Context, r *Request) (*Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	n := len(f.requests)
	cp := *r
	cp.Header = Header{}
	for k, v := range r.Header {
		cp.Header[k] = v
	}
	f.requests = append(f.requests, &cp)
	f.mu.Unlock()
	return f.handle(n, &cp)
}

func (f *fakeTransport) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fakeTransport) last(t *testing.T) *Request {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	require.NotEmpty(t, f.requests, "no request was sent")
	return f.requests[len(f.requests)-1]
}

// respond builds a response with a JSON (or, for []byte and string, raw) body.
func respond(status int, body any, headers ...string) *Response {
	h := Header{}
	for i := 0; i+1 < len(headers); i += 2 {
		h.Set(headers[i], headers[i+1])
	}
	var b []byte
	switch v := body.(type) {
	case nil:
	case []byte:
		b = v
	case string:
		b = []byte(v)
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "text/plain")
		}
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			panic(err)
		}
	}
	if h.Get("Content-Type") == "" && b != nil {
		h.Set("Content-Type", "application/json")
	}
	return &Response{StatusCode: status, Header: h, Body: b}
}

// sleepRecorder is a Backoff.Sleep that never waits and records the waits.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

const testToken = "glpat-SECRET-token-value"

// newFakeClient returns a client on a fake transport with instant backoff
// (4 tries, deterministic jitter 0.5).
func newFakeClient(t *testing.T, handle func(n int, r *Request) (*Response, error)) (*Client, *fakeTransport, *sleepRecorder) {
	t.Helper()
	ft := &fakeTransport{handle: handle}
	sr := &sleepRecorder{}
	b := DefaultBackoff
	b.Sleep = sr.sleep
	b.Jitter = func() float64 { return 0.5 }
	c, err := New("https://gitlab.example.com", PrivateToken(testToken), WithTransport(ft), WithBackoff(b))
	require.NoError(t, err)
	return c, ft, sr
}

// ok answers every request with status and body.
func ok(status int, body any, headers ...string) func(int, *Request) (*Response, error) {
	return func(int, *Request) (*Response, error) { return respond(status, body, headers...), nil }
}

func utf8Valid(s string) bool { return utf8.ValidString(s) }

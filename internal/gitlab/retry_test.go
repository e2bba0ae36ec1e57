package gitlab

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reads back off on 429 and 502/503/504 (issue 2, style.md §6).
func TestReadsRetryTemporaryFailuresThenSucceed(t *testing.T) {
	cases := []struct {
		name      string
		failure   *Response
		wantWaits []time.Duration // with jitter fixed at 0.5: 3/4 of the doubled base
	}{
		{"a JSON 429 without Retry-After waits the rate-limit fallback (§9)",
			respond(429, map[string]any{"message": map[string]any{"error": "This endpoint has been requested too many times. Try again later."}}),
			[]time.Duration{3750 * time.Millisecond, 7500 * time.Millisecond}},
		{"a text 429 with Retry-After waits what it says (§9 Rack::Attack)",
			respond(429, "Retry later", "Retry-After", "7"),
			[]time.Duration{7 * time.Second, 7 * time.Second}},
		{"a 502 waits the server fallback", respond(502, nil), []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond}},
		{"a 503 waits the server fallback", respond(503, nil), []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond}},
		{"a 504 waits the server fallback", respond(504, nil), []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ft, sr := newFakeClient(t, func(n int, _ *Request) (*Response, error) {
				if n < 2 {
					return tc.failure, nil
				}
				return respond(200, []any{map[string]any{"id": 1}}), nil
			})
			jobs, _, err := c.ListProjectJobs(context.Background(), ProjectID(1), ListProjectJobsOptions{})
			require.NoError(t, err)
			assert.Len(t, jobs, 1)
			assert.Equal(t, 3, ft.count())
			assert.Equal(t, tc.wantWaits, sr.waits)
		})
	}
}

func TestReadsGiveUpAfterMaxAttempts(t *testing.T) {
	c, ft, sr := newFakeClient(t, ok(503, map[string]any{"message": "503 Service Unavailable"}))
	_, err := c.GetJob(context.Background(), ProjectID(1), 2)
	require.ErrorIs(t, err, ErrServer)
	assert.Equal(t, DefaultBackoff.MaxAttempts, ft.count())
	assert.Len(t, sr.waits, DefaultBackoff.MaxAttempts-1)
}

func TestReadsRetryNetworkFailures(t *testing.T) {
	c, ft, _ := newFakeClient(t, func(n int, _ *Request) (*Response, error) {
		if n == 0 {
			return nil, errors.New("connection reset by peer")
		}
		return respond(200, map[string]any{"id": 5}), nil
	})
	u, err := c.CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(5), u.ID)
	assert.Equal(t, 2, ft.count())
}

func TestANetworkFailureIsErrNetworkWhenRetriesRunOut(t *testing.T) {
	cause := errors.New("connection refused")
	c, ft, _ := newFakeClient(t, func(int, *Request) (*Response, error) { return nil, cause })
	_, err := c.CurrentUser(context.Background())
	require.ErrorIs(t, err, ErrNetwork)
	assert.ErrorIs(t, err, cause)
	var ge *Error
	assert.False(t, errors.As(err, &ge), "no HTTP response, no *Error")
	assert.Equal(t, DefaultBackoff.MaxAttempts, ft.count())
	assert.Equal(t, "get current user: GET /api/v4/user: gitlab: no response: connection refused", err.Error())
}

func TestWhatIsNotRetried(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		resp *Response
		call func(c *Client) error
	}{
		{"a POST cancel on 503 (a repeated action could act twice)", respond(503, nil),
			func(c *Client) error { _, err := c.CancelJob(ctx, ProjectID(1), 2, CancelOptions{}); return err }},
		{"a POST retry on 429", respond(429, "Retry later", "Retry-After", "1"),
			func(c *Client) error { _, err := c.RetryJob(ctx, ProjectID(1), 2); return err }},
		{"a POST play on 502", respond(502, nil),
			func(c *Client) error { _, err := c.PlayJob(ctx, ProjectID(1), 2, PlayOptions{}); return err }},
		{"a POST erase on 504", respond(504, nil),
			func(c *Client) error { _, err := c.EraseJob(ctx, ProjectID(1), 2); return err }},
		{"a GET on 500 (a bug, not an overload)", respond(500, map[string]any{"message": "500 Internal Server Error"}),
			func(c *Client) error { _, err := c.GetJob(ctx, ProjectID(1), 2); return err }},
		{"a GET on 404", respond(404, map[string]any{"message": "404 Not found"}),
			func(c *Client) error { _, err := c.GetJob(ctx, ProjectID(1), 2); return err }},
		{"a GET on 401", respond(401, map[string]any{"message": "401 Unauthorized"}),
			func(c *Client) error { _, err := c.GetJob(ctx, ProjectID(1), 2); return err }},
		{"a GET whose Retry-After exceeds Max returns at once", respond(429, "Retry later", "Retry-After", "3600"),
			func(c *Client) error { _, err := c.GetJob(ctx, ProjectID(1), 2); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ft, sr := newFakeClient(t, func(int, *Request) (*Response, error) { return tc.resp, nil })
			require.Error(t, tc.call(c))
			assert.Equal(t, 1, ft.count())
			assert.Empty(t, sr.waits)
		})
	}
}

func TestTheRetryAfterTooLongToWaitIsReported(t *testing.T) {
	c, _, _ := newFakeClient(t, ok(429, "Retry later", "Retry-After", "3600"))
	_, err := c.GetJob(context.Background(), ProjectID(1), 2)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, time.Hour, e.RetryAfter)
	assert.ErrorIs(t, err, ErrRateLimited)
}

func TestACanceledContextStopsTheBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ft := &fakeTransport{handle: ok(503, nil)}
	b := DefaultBackoff
	b.Sleep = func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }
	c, err := New("https://gitlab.example.com", Auth{}, WithTransport(ft), WithBackoff(b))
	require.NoError(t, err)
	_, err = c.CurrentUser(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, ft.count())
}

func TestTheRealSleepHonoursTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, DefaultBackoff.sleep(ctx, time.Hour), context.Canceled)
	assert.NoError(t, DefaultBackoff.sleep(context.Background(), time.Nanosecond))
}

func TestNoBackoffNeverRetries(t *testing.T) {
	ft := &fakeTransport{handle: ok(503, nil)}
	c, err := New("https://gitlab.example.com", Auth{}, WithTransport(ft), WithBackoff(NoBackoff))
	require.NoError(t, err)
	_, err = c.CurrentUser(context.Background())
	require.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, ft.count())
}

func TestBackoffWaitsStayWithinBounds(t *testing.T) {
	b := DefaultBackoff
	for _, jitter := range []float64{0, 0.25, 0.999999} {
		b.Jitter = func() float64 { return jitter }
		for attempt := 1; attempt < 70; attempt++ {
			b.MaxAttempts = 100
			for _, err := range []error{&Error{StatusCode: 503}, &Error{StatusCode: 429}, errors.New("network")} {
				d, ok := b.next(attempt, err)
				require.True(t, ok)
				assert.Greater(t, d, time.Duration(0), "attempt %d", attempt)
				assert.LessOrEqual(t, d, b.Max, "attempt %d", attempt)
			}
		}
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		status  int
		headers []string
		want    time.Duration
	}{
		{"delay seconds", 429, []string{"Retry-After", "30"}, 30 * time.Second},
		{"an HTTP date", 503, []string{"Retry-After", "Wed, 25 Nov 2026 12:01:30 GMT"}, 90 * time.Second},
		{"a date in the past is no wait", 429, []string{"Retry-After", "Wed, 25 Nov 2026 11:00:00 GMT"}, 0},
		{"garbage is unreadable", 429, []string{"Retry-After", "soon"}, 0},
		{"a negative number is no wait", 429, []string{"Retry-After", "-5"}, 0},
		{"a huge number is capped at a day", 429, []string{"Retry-After", "99999999999999"}, 24 * time.Hour},
		{"RateLimit-Reset is the fallback on a 429 (§9)", 429, []string{"RateLimit-Reset", "1795608060"}, 60 * time.Second},
		{"Retry-After wins over RateLimit-Reset", 429, []string{"Retry-After", "5", "RateLimit-Reset", "1795608060"}, 5 * time.Second},
		{"RateLimit-Reset on a 503 is not a wait (sent on every response, §9)", 503, []string{"RateLimit-Reset", "1795608060"}, 0},
		{"nothing readable (a browser, §10)", 429, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := Header{}
			for i := 0; i+1 < len(tc.headers); i += 2 {
				h.Set(tc.headers[i], tc.headers[i+1])
			}
			assert.Equal(t, tc.want, retryAfter(h, tc.status, now))
		})
	}
}

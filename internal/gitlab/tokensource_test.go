package gitlab

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingSource hands out "tok1", then "tok2" after a renewal; it can
// refuse to renew, or have nothing fresher.
type countingSource struct {
	mu      sync.Mutex
	current string
	renews  int
	stuck   bool  // Renew returns the rejected credential
	fail    error // Renew fails
}

func (s *countingSource) Auth(context.Context) (Auth, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return OAuthToken(s.current), nil
}

func (s *countingSource) Renew(_ context.Context, rejected Auth) (Auth, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.renews++
	switch {
	case s.fail != nil:
		return Auth{}, s.fail
	case s.stuck:
		return rejected, nil
	}
	s.current = "tok2"
	return OAuthToken(s.current), nil
}

func TestATokenSourceIsAskedOnEveryRequestAndRenewsOnceAfter401(t *testing.T) {
	errRevoked := errors.New("the sign-in ended")
	cases := []struct {
		name    string
		src     *countingSource
		answers []int // status per request
		method  func(*Client) error
		sent    []string
		renews  int
		wantErr error
	}{
		{"a 200 sends the source's token once",
			&countingSource{current: "tok1"}, []int{200},
			func(c *Client) error { _, err := c.CurrentUser(context.Background()); return err },
			[]string{"Bearer tok1"}, 0, nil},
		{"a 401 renews and sends again with the fresh token",
			&countingSource{current: "tok1"}, []int{401, 200},
			func(c *Client) error { _, err := c.CurrentUser(context.Background()); return err },
			[]string{"Bearer tok1", "Bearer tok2"}, 1, nil},
		{"an action is sent again after a 401, which did nothing",
			&countingSource{current: "tok1"}, []int{401, 201},
			func(c *Client) error {
				_, err := c.RetryJob(context.Background(), ProjectID(7), 1)
				return err
			},
			[]string{"Bearer tok1", "Bearer tok2"}, 1, nil},
		{"a second 401 stands: one renewal per request",
			&countingSource{current: "tok1"}, []int{401, 401},
			func(c *Client) error { _, err := c.CurrentUser(context.Background()); return err },
			[]string{"Bearer tok1", "Bearer tok2"}, 1, ErrUnauthorized},
		{"nothing fresher leaves the 401 as it was",
			&countingSource{current: "tok1", stuck: true}, []int{401},
			func(c *Client) error { _, err := c.CurrentUser(context.Background()); return err },
			[]string{"Bearer tok1"}, 1, ErrUnauthorized},
		{"a failed renewal ends the request with its error",
			&countingSource{current: "tok1", fail: errRevoked}, []int{401},
			func(c *Client) error { _, err := c.CurrentUser(context.Background()); return err },
			[]string{"Bearer tok1"}, 1, errRevoked},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ft, _ := newFakeClient(t, func(n int, r *Request) (*Response, error) {
				return respond(tc.answers[n], map[string]any{"id": 1}), nil
			})
			c = c.WithAuth(Auth{})
			WithTokenSource(tc.src)(c)
			err := tc.method(c)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
			}
			require.Equal(t, len(tc.sent), ft.count())
			for i, want := range tc.sent {
				assert.Equal(t, want, ft.requests[i].Header.Get("Authorization"), "request %d", i)
				assert.False(t, ft.requests[i].Header.Has("PRIVATE-TOKEN"), "one credential header only")
			}
			assert.Equal(t, tc.renews, tc.src.renews)
		})
	}
}

func TestWithAuthDropsTheTokenSource(t *testing.T) {
	c, ft, _ := newFakeClient(t, ok(200, map[string]any{"id": 1}))
	WithTokenSource(&countingSource{current: "tok1"})(c)
	_, err := c.WithAuth(JobToken("job")).CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "job", ft.last(t).Header.Get("JOB-TOKEN"))
	assert.False(t, ft.last(t).Header.Has("Authorization"))
}

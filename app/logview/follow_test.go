package logview

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fastPolls makes Follow's waits short for a test.
func fastPolls(t *testing.T) {
	first, max := PollFirst, PollMax
	PollFirst, PollMax = time.Millisecond, 4*time.Millisecond
	t.Cleanup(func() { PollFirst, PollMax = first, max })
}

func TestFollow(t *testing.T) {
	fastPolls(t)
	t.Run("it polls while the job runs and stops after the finished trace", func(t *testing.T) {
		answers := []Poll{
			{Trace: []byte("a\n"), Status: gitlab.StatusPending},
			{Trace: []byte("a\nb\n"), Status: gitlab.StatusRunning},
			{Trace: []byte("a\nb\nc\n"), Status: gitlab.StatusSuccess},
		}
		n := 0
		fetch := func(context.Context) (Poll, error) { n++; return answers[n-1], nil }
		var got []string
		err := Follow(t.Context(), fetch, nil, func(p Poll, err error) {
			require.NoError(t, err)
			got = append(got, string(p.Trace))
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"a\n", "a\nb\n", "a\nb\nc\n"}, got)
	})
	t.Run("a manual job has no log to wait for", func(t *testing.T) {
		calls := 0
		err := Follow(t.Context(), func(context.Context) (Poll, error) {
			calls++
			return Poll{Status: gitlab.StatusManual}, nil
		}, nil, func(Poll, error) {})
		require.NoError(t, err)
		assert.Equal(t, 1, calls)
	})
	t.Run("server errors are reported and polled through", func(t *testing.T) {
		calls := 0
		var errs []error
		err := Follow(t.Context(), func(context.Context) (Poll, error) {
			calls++
			if calls < 3 {
				return Poll{}, &gitlab.Error{Method: "GET", Path: "/x", StatusCode: 502}
			}
			return Poll{Trace: []byte("done\n"), Status: gitlab.StatusFailed}, nil
		}, nil, func(_ Poll, err error) { errs = append(errs, err) })
		require.NoError(t, err)
		require.Len(t, errs, 3)
		assert.ErrorIs(t, errs[0], gitlab.ErrServer)
		assert.NoError(t, errs[2])
	})
	t.Run("a 404 stops following with its error", func(t *testing.T) {
		notFound := &gitlab.Error{Method: "GET", Path: "/x", StatusCode: 404}
		err := Follow(t.Context(), func(context.Context) (Poll, error) { return Poll{}, notFound }, nil, func(Poll, error) {})
		assert.ErrorIs(t, err, gitlab.ErrNotFound)
	})
	t.Run("cancelling the context stops a running follow", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		calls := 0
		err := Follow(ctx, func(context.Context) (Poll, error) {
			calls++
			if calls == 3 {
				cancel()
			}
			return Poll{Trace: []byte("x"), Status: gitlab.StatusRunning}, nil
		}, nil, func(Poll, error) {})
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 3, calls)
	})
	t.Run("it waits for the page to be visible before each poll", func(t *testing.T) {
		hidden := errors.New("hidden until the test ends")
		calls := 0
		err := Follow(t.Context(), func(context.Context) (Poll, error) { calls++; return Poll{}, nil },
			func(context.Context) error { return hidden }, func(Poll, error) {})
		assert.ErrorIs(t, err, hidden)
		assert.Zero(t, calls, "no request while hidden")
	})
}

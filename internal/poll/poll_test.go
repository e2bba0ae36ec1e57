package poll

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNextWait(t *testing.T) {
	b := Backoff{First: 2 * time.Second, Max: 30 * time.Second}
	cases := []struct {
		name string
		prev time.Duration
		o    Outcome
		err  error
		want time.Duration
	}{
		{"the first poll waits First", 0, Progress, nil, b.First},
		{"a growing log is polled at First", 20 * time.Second, Progress, nil, b.First},
		{"a quiet log slows down by half", 4 * time.Second, Quiet, nil, 6 * time.Second},
		{"slowing down stops at Max", 25 * time.Second, Quiet, nil, b.Max},
		{"an error doubles the wait", 4 * time.Second, Quiet, gitlab.ErrServer, 8 * time.Second},
		{"errors back off up to Max", 20 * time.Second, Quiet, gitlab.ErrServer, b.Max},
		{"a first quiet round waits First", 0, Quiet, nil, b.First},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, b.Next(tc.prev, tc.o, tc.err))
		})
	}
}

func TestPermanentErrorsAreTheOnesAskingAgainCannotFix(t *testing.T) {
	for _, status := range []int{401, 403, 404} {
		assert.True(t, Permanent(&gitlab.Error{Method: "GET", Path: "/x", StatusCode: status}), "%d", status)
	}
	assert.True(t, Permanent(context.Canceled))
	for _, status := range []int{429, 500, 502} {
		assert.False(t, Permanent(&gitlab.Error{Method: "GET", Path: "/x", StatusCode: status}), "%d", status)
	}
	assert.False(t, Permanent(gitlab.ErrNetwork))
}

var fast = Backoff{First: time.Millisecond, Max: 4 * time.Millisecond}

func TestLoop(t *testing.T) {
	t.Run("it runs rounds until one is done", func(t *testing.T) {
		n := 0
		err := Loop{Backoff: fast}.Run(t.Context(), func(context.Context) (Outcome, error) {
			n++
			if n == 3 {
				return Done, nil
			}
			return Quiet, nil
		})
		require.NoError(t, err)
		assert.Equal(t, 3, n)
	})
	t.Run("passing errors are polled through and a permanent one stops it", func(t *testing.T) {
		n := 0
		notFound := &gitlab.Error{Method: "GET", Path: "/x", StatusCode: 404}
		err := Loop{Backoff: fast}.Run(t.Context(), func(context.Context) (Outcome, error) {
			n++
			if n < 3 {
				return Quiet, &gitlab.Error{Method: "GET", Path: "/x", StatusCode: 502}
			}
			return Quiet, notFound
		})
		assert.ErrorIs(t, err, gitlab.ErrNotFound)
		assert.Equal(t, 3, n)
	})
	t.Run("a hidden page asks nothing", func(t *testing.T) {
		hidden := errors.New("hidden until the test ends")
		n := 0
		err := Loop{Backoff: fast, Visible: func(context.Context) error { return hidden }}.Run(t.Context(),
			func(context.Context) (Outcome, error) { n++; return Quiet, nil })
		assert.ErrorIs(t, err, hidden)
		assert.Zero(t, n)
	})
	t.Run("an idle loop sleeps until woken, then asks at once", func(t *testing.T) {
		wake := make(chan struct{})
		ctx, cancel := context.WithCancel(t.Context())
		var rounds []time.Time
		done := make(chan error)
		go func() {
			done <- Loop{Backoff: Backoff{First: time.Hour, Max: time.Hour}, Wake: wake}.Run(ctx,
				func(context.Context) (Outcome, error) {
					rounds = append(rounds, time.Now())
					if len(rounds) == 2 {
						cancel()
					}
					return Idle, nil
				})
		}()
		time.Sleep(20 * time.Millisecond)
		wake <- struct{}{}
		assert.ErrorIs(t, <-done, context.Canceled)
		require.Len(t, rounds, 2, "one round, then none until woken")
		assert.GreaterOrEqual(t, rounds[1].Sub(rounds[0]), 20*time.Millisecond)
	})
	t.Run("a wake cuts a long wait short", func(t *testing.T) {
		wake := make(chan struct{}, 1)
		ctx, cancel := context.WithCancel(t.Context())
		n := 0
		go func() { wake <- struct{}{} }()
		err := Loop{Backoff: Backoff{First: time.Hour, Max: time.Hour}, Start: time.Hour, Wake: wake}.Run(ctx,
			func(context.Context) (Outcome, error) { n++; cancel(); return Quiet, nil })
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 1, n)
	})
	t.Run("a wake pending when a round starts is answered by that round", func(t *testing.T) {
		wake := make(chan struct{}, 1)
		ctx, cancel := context.WithCancel(t.Context())
		t.Cleanup(cancel)
		rounds := make(chan int, 4)
		n := 0
		// The page comes back while the loop waits in Visible: Visible
		// returns and the page's wake is pending too.
		visible := func(context.Context) error {
			select {
			case wake <- struct{}{}:
			default:
			}
			return nil
		}
		go func() {
			_ = Loop{Backoff: Backoff{First: time.Hour, Max: time.Hour}, Visible: visible, Wake: wake}.Run(ctx,
				func(context.Context) (Outcome, error) { n++; rounds <- n; return Quiet, nil })
		}()
		require.Equal(t, 1, <-rounds)
		require.Eventually(t, func() bool { return len(wake) == 0 }, time.Second, time.Millisecond, "the round took the wake")
		cancel()
		assert.Empty(t, rounds, "no second round at once")
	})
	t.Run("a floor raises the wait and the schedule says when the next round is due", func(t *testing.T) {
		var due []time.Duration
		n := 0
		start := time.Now()
		err := Loop{
			Backoff:   Backoff{First: time.Millisecond, Max: time.Hour},
			Floor:     func() time.Duration { return 30 * time.Millisecond },
			Scheduled: func(next time.Time) { due = append(due, next.Sub(start)) },
		}.Run(t.Context(), func(context.Context) (Outcome, error) {
			n++
			if n == 3 {
				return Done, nil
			}
			return Progress, nil
		})
		require.NoError(t, err)
		require.Len(t, due, 2, "one schedule after each round but the last")
		assert.GreaterOrEqual(t, due[1]-due[0], 30*time.Millisecond, "progress alone would wait First")
		assert.GreaterOrEqual(t, time.Since(start), 60*time.Millisecond)
	})
}

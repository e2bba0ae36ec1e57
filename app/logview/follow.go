package logview

import (
	"context"
	"errors"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// Poll is one answer of the trace endpoint with the job's status.
type Poll struct {
	Trace  []byte
	Status gitlab.Status
}

// Fetcher fetches a job's whole trace and its current status (the endpoint
// has no Range: gitlab-api.md §9, so every poll re-downloads the log).
type Fetcher func(ctx context.Context) (Poll, error)

// Backoff of the follower. GitLab's own job page polls the trace every few
// seconds; the browser cannot read rate-limit headers (gitlab-api.md §9), so
// we slow down on our own while the log does not grow, and more on errors.
var (
	PollFirst = 2 * time.Second
	PollMax   = 30 * time.Second
)

// nextWait is the wait before the next poll: back to PollFirst when the log
// grew, ×1.5 when it did not, ×2 after an error, capped at PollMax.
func nextWait(prev time.Duration, grew bool, err error) time.Duration {
	switch {
	case err != nil:
		return min(max(prev*2, PollFirst), PollMax)
	case grew:
		return PollFirst
	default:
		return min(max(prev*3/2, PollFirst), PollMax)
	}
}

// permanent reports errors that polling again will not fix.
func permanent(err error) bool {
	return errors.Is(err, gitlab.ErrUnauthorized) || errors.Is(err, gitlab.ErrForbidden) ||
		errors.Is(err, gitlab.ErrNotFound) || errors.Is(err, gitlab.ErrInvalidArgument) ||
		errors.Is(err, context.Canceled)
}

// Follow fetches the log, hands each answer to got, and polls again with
// backoff while the job is not finished. Before each poll it calls
// waitVisible, which blocks while the page is hidden (issue 4: pause while
// hidden) and returns ctx's error if ctx ends. Follow returns nil when the
// job finished (got has seen the final trace), ctx's error when cancelled,
// or the error a poll met that polling again will not fix.
//
// got runs on Follow's goroutine: in the browser it must Dispatch to the UI.
func Follow(ctx context.Context, fetch Fetcher, waitVisible func(context.Context) error, got func(Poll, error)) error {
	var wait time.Duration
	last := -1
	for {
		if waitVisible != nil {
			if err := waitVisible(ctx); err != nil {
				return err
			}
		}
		p, err := fetch(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		got(p, err)
		if err != nil && permanent(err) {
			return err
		}
		if err == nil && (p.Status.Finished() || p.Status.Blocked()) {
			return nil
		}
		grew := err == nil && len(p.Trace) != last
		if err == nil {
			last = len(p.Trace)
		}
		wait = nextWait(wait, grew, err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

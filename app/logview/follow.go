package logview

import (
	"context"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/poll"
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

// Follow fetches the log, hands each answer to got, and polls again with
// backoff (package poll) while the job is not finished. Before each poll it
// calls waitVisible, which blocks while the page is hidden (issue 4: pause
// while hidden) and returns ctx's error if ctx ends. Follow returns nil when
// the job finished (got has seen the final trace), ctx's error when
// cancelled, or the error a poll met that polling again will not fix.
//
// got runs on Follow's goroutine: in the browser it must Dispatch to the UI.
func Follow(ctx context.Context, fetch Fetcher, waitVisible func(context.Context) error, got func(Poll, error)) error {
	last := -1
	loop := poll.Loop{Backoff: poll.Backoff{First: PollFirst, Max: PollMax}, Visible: waitVisible}
	return loop.Run(ctx, func(ctx context.Context) (poll.Outcome, error) {
		p, err := fetch(ctx)
		if ctx.Err() != nil {
			return poll.Quiet, ctx.Err()
		}
		got(p, err)
		switch {
		case err != nil:
			return poll.Quiet, err
		case p.Status.Finished() || p.Status.Blocked():
			return poll.Done, nil
		case len(p.Trace) != last:
			last = len(p.Trace)
			return poll.Progress, nil
		}
		return poll.Quiet, nil
	})
}

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
	Note   string // said once: an answer was not used as it came
	// TailStart is where the end shown first begins in Trace, or -1 when
	// no end was shown first.
	TailStart int64
}

// Fetcher fetches a job's log so far and its current status. Where GitLab
// honours ranges and ETags a poll downloads only what is new (logReader);
// GitLab's own endpoint sends the whole log every time (gitlab-api.md §5.7).
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
	return followWith(ctx, poll.Loop{Backoff: poll.Backoff{First: PollFirst, Max: PollMax}, Visible: waitVisible}, fetch, got)
}

// followWith is Follow with the loop given: the job view adds its wake
// ("update now"), its byte budget and its schedule.
func followWith(ctx context.Context, loop poll.Loop, fetch Fetcher, got func(Poll, error)) error {
	last := -1
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

// FollowBudget is what following a log that comes whole every time may
// download per second on average: the time between polls grows with the
// log's size (size / FollowBudget), from PollFirst for a log up to 256 KB
// to FollowBudgetMax from 1.6 MB, so following a log that grows to 10 MB
// costs under a quarter of glab's 3-second polls (make bench) and a new line
// still shows within 15 s: 13 s between polls' starts, plus one poll.
// Where the server sends only new bytes (206) or nothing (304, 416) the
// budget does not apply.
var (
	FollowBudget    int64 = 128 << 10
	FollowBudgetMax       = 13 * time.Second
)

// budgetWait is the least time from the start of a poll that downloaded a
// whole log of size bytes to the next poll's start.
func budgetWait(size int64) time.Duration {
	return min(time.Duration(size)*time.Second/time.Duration(FollowBudget), FollowBudgetMax)
}

package app

import (
	"context"
	"slices"
	"time"

	"github.com/jobscope/jobscope/app/visibility"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/poll"
)

// Live screens (issue 16): the job list and the pipeline page refresh
// through poll.Loop while visible and holding jobs that will change on
// their own (gitlab.Status.Unfinished). The per-tab budget is in the
// README ("Requests"): a round at First after a change, ×1.5 slower while
// quiet, up to Max.
var (
	// jobsPoll refreshes the list's first page, one request a round: at
	// most 6 a minute while jobs keep changing, 2 once quiet.
	jobsPoll = poll.Backoff{First: 10 * time.Second, Max: 30 * time.Second}
	// pipelinePoll refreshes a pipeline, its jobs and its bridges (while a
	// bridge may still change): up to 3 requests a round, so slower: at
	// most 6 a minute while jobs keep changing (make bench measured 9 with
	// a first wait of 20 s), 3 once quiet.
	pipelinePoll = poll.Backoff{First: 30 * time.Second, Max: 60 * time.Second}
)

// mergeFirstPage puts a refreshed first page into what the list holds
// without moving anything: a job already held (on top, fresh, or below,
// held) is replaced where it is; a job not held goes on top of fresh, in
// the page's order (newest first: a retry, a new pipeline, or, with a
// scope, an older job that entered it). A held job the page no longer has
// stays (it left the scope, or fell off the first page). The slices given
// are not modified.
func mergeFirstPage(fresh, held, page []gitlab.Job) (newFresh, newHeld []gitlab.Job) {
	byID := make(map[int64]gitlab.Job, len(page))
	for _, j := range page {
		byID[j.ID] = j
	}
	replace := func(list []gitlab.Job) []gitlab.Job {
		out := slices.Clone(list)
		for i, j := range out {
			if got, ok := byID[j.ID]; ok {
				out[i] = got
				delete(byID, j.ID)
			}
		}
		return out
	}
	newFresh, newHeld = replace(fresh), replace(held)
	var added []gitlab.Job
	for _, j := range page {
		if _, ok := byID[j.ID]; ok {
			added = append(added, j)
		}
	}
	return append(added, newFresh...), newHeld
}

// appendPage adds a further page (Load more) to held, leaving out jobs the
// list already shows on top (a refresh may have put an older job there).
func appendPage(fresh, held, page []gitlab.Job) []gitlab.Job {
	for _, j := range page {
		if !slices.ContainsFunc(fresh, func(f gitlab.Job) bool { return f.ID == j.ID }) {
			held = append(held, j)
		}
	}
	return held
}

// progressed reports whether a refreshed list differs from the one before
// in what a person watches: which jobs, in which status. A running job's
// duration grows every time, which is not progress: the loop slows down
// while jobs just run.
func progressed(before, after []gitlab.Job) bool {
	return !slices.EqualFunc(before, after, func(a, b gitlab.Job) bool {
		return a.ID == b.ID && a.Status == b.Status
	})
}

// anyUnfinished reports whether a job of jobs will change on its own.
func anyUnfinished(jobs []gitlab.Job) bool {
	return slices.ContainsFunc(jobs, func(j gitlab.Job) bool { return j.Status.Unfinished() })
}

// liveState is what a screen's refresh is doing, on the screen's data-live
// attribute (for tests and the curious): "on" polling, "idle" nothing will
// change so nothing is asked, "paused" the page is hidden, "stopped" a
// permanent error.
type liveState string

const (
	liveOn      liveState = "on"
	liveIdle    liveState = "idle"
	livePaused  liveState = "paused"
	liveStopped liveState = "stopped"
)

// waitVisible is visibility.Wait that first tells paused (on the UI
// goroutine, through dispatch) when the page is hidden.
func waitVisible(paused func()) func(context.Context) error {
	return func(ctx context.Context) error {
		if visibility.Hidden() {
			paused()
		}
		return visibility.Wait(ctx)
	}
}

// Package poll is jobscope's one polling loop: the log follower, the job
// page and the watched items all ask GitLab again and again with it.
//
// The browser cannot read GitLab's rate-limit headers (CORS hides them,
// gitlab-api.md §9), so the loop slows down on its own: back to First after
// a round that saw progress, 1.5 times longer after a quiet one, twice as
// long after an error, never beyond Max. It pauses while the page is hidden
// (Loop.Visible) and stops for good on an error that asking again cannot fix
// (Permanent). The client's own Backoff retries single reads within a round;
// this loop spaces the rounds.
package poll

import (
	"context"
	"errors"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// Outcome is what one round saw.
type Outcome int

const (
	// Quiet: asked, nothing new; the next round waits longer.
	Quiet Outcome = iota
	// Progress: something changed (the log grew, a watched job finished);
	// the next round comes after First again.
	Progress
	// Done: nothing will change any more (the job finished); Run returns nil.
	Done
	// Idle: nothing to ask about; sleep until Wake, then ask at once (a
	// settled pipeline page shown again refreshes once, issue 16).
	Idle
)

// Backoff spaces the rounds: First after progress, ×1.5 while quiet, ×2
// after an error, capped at Max.
type Backoff struct {
	First, Max time.Duration
}

// Next is the wait after a round that came prev after the one before it
// (0 for the first round) and saw o, or err.
func (b Backoff) Next(prev time.Duration, o Outcome, err error) time.Duration {
	switch {
	case err != nil:
		return min(max(prev*2, b.First), b.Max)
	case o == Progress:
		return b.First
	default:
		return min(max(prev*3/2, b.First), b.Max)
	}
}

// Permanent reports whether asking again cannot help: the token was
// refused (401) or may not see this (403), it does not exist (404), the
// request itself is wrong, or the caller left.
func Permanent(err error) bool {
	for _, kind := range []error{gitlab.ErrUnauthorized, gitlab.ErrForbidden, gitlab.ErrNotFound,
		gitlab.ErrInvalidArgument, context.Canceled} {
		if errors.Is(err, kind) {
			return true
		}
	}
	return false
}

// Loop runs rounds with Backoff between them. Its zero Visible never
// pauses and its nil Wake never wakes.
type Loop struct {
	Backoff
	// Start is the wait before the first round: 0 asks at once.
	Start time.Duration
	// Visible blocks while the page is hidden and returns ctx's error if ctx
	// ends (app/visibility.Wait); it is called before every round. Nil for
	// a poller that must run hidden too (watches notify a hidden tab).
	Visible func(context.Context) error
	// Wake ends a wait at once and starts again from First (a watch was
	// added in some tab, the user asked for an update now, the page was
	// shown again). A wake pending when a round starts is taken by it.
	Wake <-chan struct{}
	// Floor, when set, is asked after each round for the least time from
	// its start to the next round's start: a follower of a log that comes
	// whole every time spaces its rounds by the log's size, to keep within
	// a byte budget (from start to start, so a slow round does not add to
	// how long a new line waits).
	Floor func() time.Duration
	// Scheduled, when set, hears when the next round is due, so the page can
	// say when the next update comes.
	Scheduled func(next time.Time)
}

// Run calls round until it returns Done (Run returns nil), a Permanent error
// (Run returns it), or ctx ends (Run returns ctx's error). Other errors are
// the round's to show; the loop only waits longer. round runs on Run's
// goroutine: in the browser that is never the UI's (ctx.Async), and round
// Dispatches what it shows.
func (l Loop) Run(ctx context.Context, round func(context.Context) (Outcome, error)) error {
	wait := l.Start
	for {
		if wait > 0 {
			woken, err := l.sleep(ctx, wait)
			if err != nil {
				return err
			}
			if woken {
				wait = l.First
			}
		}
		if l.Visible != nil {
			if err := l.Visible(ctx); err != nil {
				return err
			}
		}
		// A wake that came while this round was due anyway (the page shown
		// again while the loop waited in Visible) is answered by it: no
		// second round right after.
		select {
		case <-l.Wake:
		default:
		}
		began := time.Now()
		o, err := round(ctx)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil && Permanent(err):
			return err
		case err == nil && o == Done:
			return nil
		case err == nil && o == Idle:
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-l.Wake:
				wait = 0
				continue
			}
		}
		wait = l.Next(wait, o, err)
		if l.Floor != nil {
			wait = max(wait, l.Floor()-time.Since(began))
		}
		if l.Scheduled != nil {
			l.Scheduled(time.Now().Add(wait))
		}
	}
}

// sleep waits d, or less if Wake fires (woken: the round comes at once and
// the waits start again from First), or returns ctx's error.
func (l Loop) sleep(ctx context.Context, d time.Duration) (woken bool, err error) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case <-l.Wake:
		return true, nil
	case <-t.C:
		return false, nil
	}
}

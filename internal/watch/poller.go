package watch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/poll"
)

// Poll intervals: the first poll waits 5 s; each round in which nothing
// finished waits 1.5 times longer, up to 2 min; an error doubles the wait,
// up to 2 min too.
var backoff = poll.Backoff{First: 5 * time.Second, Max: 2 * time.Minute}

// Poller polls the watched items of a List, each with its own instance's
// client.
type Poller struct {
	List *List
	// Accounts are the instances; an item whose instance has no token and
	// is not signed in is not asked about.
	Accounts *account.Store
	// Client builds the client of an instance (the app's Env.Client).
	Client func(account.Instance) (*gitlab.Client, error)
	// Notifier is told of each watched item seen to finish, and of the
	// number of watched items that failed.
	Notifier Notifier
	// Wake makes a sleeping poller look again (a watch added in any tab).
	Wake chan struct{}
}

// Run polls until ctx ends. It does not pause while the page is hidden:
// a hidden tab is where a notification matters.
func (p *Poller) Run(ctx context.Context) {
	p.Notifier.Badge(Failed(p.List.All()))
	loop := poll.Loop{Backoff: backoff, Start: backoff.First, Wake: p.Wake}
	_ = loop.Run(ctx, func(ctx context.Context) (poll.Outcome, error) {
		ws := p.List.All()
		p.Notifier.Badge(Failed(ws))
		if !slices.ContainsFunc(ws, func(w Watched) bool { return !w.Done() }) {
			return poll.Idle, nil // nothing to poll: sleep until a watch is added
		}
		finished, failed := p.round(ctx)
		switch {
		case failed:
			return poll.Quiet, errRoundFailed
		case finished:
			return poll.Progress, nil
		}
		return poll.Quiet, nil
	})
}

// errRoundFailed is a round in which some request failed: the loop waits
// longer, and carries on.
var errRoundFailed = errors.New("watch: a watched item could not be asked about")

// round asks GitLab once about every unfinished watched item. It reports
// whether one finished and whether a request failed.
func (p *Poller) round(ctx context.Context) (finished, failed bool) {
	st, _ := p.Accounts.Load()
	for _, w := range p.List.All() {
		if w.Done() {
			continue
		}
		status, err := p.status(ctx, st, w)
		if err != nil {
			failed = true
			continue
		}
		if status == w.Status {
			continue
		}
		w.Status = status
		p.List.update(w)
		if w.Done() {
			finished = true
			p.Notifier.Notify(w)
		}
	}
	if finished {
		p.Notifier.Badge(Failed(p.List.All()))
	}
	return finished, failed
}

func (p *Poller) status(ctx context.Context, st account.Settings, w Watched) (gitlab.Status, error) {
	var in account.Instance
	for _, x := range st.Instances {
		if x.BaseURL == w.BaseURL {
			in = x
		}
	}
	// After a reload a signed-in instance holds only its refresh token: its
	// client's TokenSource refreshes, as the pages' clients do.
	if in.Token == "" && !in.SignedIn() {
		return "", fmt.Errorf("no token for %s", w.BaseURL)
	}
	c, err := p.Client(in)
	if err != nil {
		return "", err
	}
	ref, err := gitlab.ParseProjectRef(w.Project)
	if err != nil {
		return "", err
	}
	if w.Kind == Pipeline {
		pl, err := c.GetPipeline(ctx, ref, w.ID)
		if err != nil {
			return "", err
		}
		return pl.Status, nil
	}
	j, err := c.GetJob(ctx, ref, w.ID)
	if err != nil {
		return "", err
	}
	return j.Status, nil
}

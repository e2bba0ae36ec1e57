package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/poll"
	"github.com/jobscope/jobscope/internal/words"
)

// Watching: the user marks a running job or pipeline; while the app is open
// in any tab, one tab (the leader, watch_js.go) polls the unfinished ones,
// backing off while nothing changes, and raises a notification with the
// status when one finishes; the app badge counts the watched ones that
// failed. Nothing is polled when nothing unfinished is watched.

// Watched is one watched job or pipeline.
type Watched struct {
	BaseURL string        `json:"base_url"` // its instance
	Project string        `json:"project"`
	Kind    string        `json:"kind"` // WatchJob or WatchPipeline
	ID      int64         `json:"id"`
	Name    string        `json:"name,omitempty"`
	Status  gitlab.Status `json:"status,omitempty"` // as last seen
}

// The kinds of watched items.
const (
	WatchJob      = "job"
	WatchPipeline = "pipeline"
)

func (w Watched) key() string {
	return w.BaseURL + "|" + w.Project + "|" + w.Kind + "|" + strconv.FormatInt(w.ID, 10)
}

// Done reports whether w finished, so there is nothing left to poll.
func (w Watched) Done() bool { return w.Status.Finished() }

// Title is the notification's title: "Job #12 build: failed".
func (w Watched) Title() string {
	what := "Job"
	if w.Kind == WatchPipeline {
		what = "Pipeline"
	}
	t := fmt.Sprintf("%s #%d", what, w.ID)
	if w.Name != "" {
		t += " " + w.Name
	}
	return t + ": " + words.Status(w.Status)
}

// Path is where the notification leads.
func (w Watched) Path() string {
	s := ScreenJob
	if w.Kind == WatchPipeline {
		s = ScreenPipeline
	}
	return Route{Screen: s, Project: w.Project, ID: w.ID}.Path()
}

const watchKey = "jobscope.watch.v1"

// WatchList is the watched items, kept in the KV so every tab sees them.
// Safe for concurrent use within a tab.
type WatchList struct {
	kv account.KV
	mu sync.Mutex
	// Changed is called after every change made here (the poller wakes).
	Changed func()
}

// NewWatchList returns the list kept in kv.
func NewWatchList(kv account.KV) *WatchList { return &WatchList{kv: kv} }

// All returns the watched items; unreadable storage reads as none.
func (l *WatchList) All() []Watched {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.load()
}

func (l *WatchList) load() []Watched {
	var ws []Watched
	if raw, ok := l.kv.Get(watchKey); ok {
		if json.Unmarshal([]byte(raw), &ws) != nil {
			return nil
		}
	}
	return ws
}

func (l *WatchList) save(ws []Watched) error {
	b, err := json.Marshal(ws)
	if err != nil {
		return err
	}
	return l.kv.Set(watchKey, string(b))
}

// Has reports whether w (by instance, project, kind and id) is watched.
func (l *WatchList) Has(w Watched) bool {
	for _, x := range l.All() {
		if x.key() == w.key() {
			return true
		}
	}
	return false
}

// Toggle watches w, or stops watching it; it reports whether w is watched
// now.
func (l *WatchList) Toggle(w Watched) (bool, error) {
	l.mu.Lock()
	ws := l.load()
	watching := true
	for i, x := range ws {
		if x.key() == w.key() {
			ws = append(ws[:i], ws[i+1:]...)
			watching = false
			break
		}
	}
	if watching {
		ws = append(ws, w)
	}
	err := l.save(ws)
	l.mu.Unlock()
	if l.Changed != nil {
		l.Changed()
	}
	return watching, err
}

// update stores a new status for w, if w is still watched.
func (l *WatchList) update(w Watched) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	ws := l.load()
	for i := range ws {
		if ws[i].key() == w.key() {
			ws[i].Status = w.Status
			return l.save(ws)
		}
	}
	return nil
}

// Failed counts the watched items that finished failed (the app badge).
func Failed(ws []Watched) int {
	n := 0
	for _, w := range ws {
		if w.Status == gitlab.StatusFailed {
			n++
		}
	}
	return n
}

// Poll intervals: the first poll waits 5 s; each round in which nothing
// finished waits 1.5 times longer, up to 2 min; an error doubles the wait,
// up to 2 min too.
var watchPoll = poll.Backoff{First: 5 * time.Second, Max: 2 * time.Minute}

// WatchPoller polls the watched items of a WatchList.
type WatchPoller struct {
	List *WatchList
	Env  *Env
	// Notify is called for each watched item seen to finish.
	Notify func(Watched)
	// Badge is called with the number of watched items that failed.
	Badge func(int)
	// Wake makes a sleeping poller look again (a watch added in any tab).
	Wake chan struct{}
}

// Run polls until ctx ends. It does not pause while the page is hidden:
// a hidden tab is where a notification matters.
func (p *WatchPoller) Run(ctx context.Context) {
	p.Badge(Failed(p.List.All()))
	loop := poll.Loop{Backoff: watchPoll, Start: watchPoll.First, Wake: p.Wake}
	_ = loop.Run(ctx, func(ctx context.Context) (poll.Outcome, error) {
		ws := p.List.All()
		p.Badge(Failed(ws))
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
var errRoundFailed = errors.New("a watched item could not be asked about")

// round asks GitLab once about every unfinished watched item. It reports
// whether one finished and whether a request failed.
func (p *WatchPoller) round(ctx context.Context) (finished, failed bool) {
	st, _ := p.Env.Settings.Load()
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
			p.Notify(w)
		}
	}
	if finished {
		p.Badge(Failed(p.List.All()))
	}
	return finished, failed
}

func (p *WatchPoller) status(ctx context.Context, st account.Settings, w Watched) (gitlab.Status, error) {
	var in account.Instance
	for _, x := range st.Instances {
		if x.BaseURL == w.BaseURL {
			in = x
		}
	}
	if in.Token == "" {
		return "", fmt.Errorf("no token for %s", w.BaseURL)
	}
	c, err := p.Env.Client(in)
	if err != nil {
		return "", err
	}
	ref, err := projectRef(w.Project)
	if err != nil {
		return "", err
	}
	if w.Kind == WatchPipeline {
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

// Package watch is the watched jobs and pipelines: the list every tab
// shares, the poller that asks GitLab about the unfinished ones, and the
// notifications it raises when one finishes.
//
// The user marks a running job or pipeline; while the app is open in any
// tab, one tab (the leader, watch_js.go) polls the unfinished ones with
// internal/poll's loop, backing off while nothing changes, and raises a
// notification with the status when one finishes; the app badge counts the
// watched ones that failed. Nothing is polled when nothing unfinished is
// watched.
//
// Plain Go over account.KV, tested natively: the browser's side is the
// storage event, a Web Lock and the Notification API (watch_js.go,
// notify_js.go); MemoryNotifier is the in-memory twin of BrowserNotifier.
package watch

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/words"
)

// Watched is one watched job or pipeline.
type Watched struct {
	BaseURL string        `json:"base_url"` // its instance
	Project string        `json:"project"`
	Kind    Kind          `json:"kind"`
	ID      int64         `json:"id"`
	Name    string        `json:"name,omitempty"`
	Status  gitlab.Status `json:"status,omitempty"` // as last seen
}

// Kind is what is watched, as stored ("job" or "pipeline").
type Kind string

// The kinds of watched items.
const (
	Job      Kind = "job"
	Pipeline Kind = "pipeline"
)

// Key names w by instance, project, kind and id: the same job id on
// another instance is another job.
func (w Watched) Key() string {
	return w.BaseURL + "|" + w.Project + "|" + string(w.Kind) + "|" + strconv.FormatInt(w.ID, 10)
}

// Done reports whether w finished, so there is nothing left to poll.
func (w Watched) Done() bool { return w.Status.Finished() }

// Title is the notification's title: "Job #12 build: failed".
func (w Watched) Title() string {
	what := "Job"
	if w.Kind == Pipeline {
		what = "Pipeline"
	}
	t := fmt.Sprintf("%s #%d", what, w.ID)
	if w.Name != "" {
		t += " " + w.Name
	}
	return t + ": " + words.Status(w.Status)
}

// StorageKey is where the list lives in the KV; the extension's scripts
// read the same key (extension.WatchKey).
const StorageKey = "jobscope.watch.v1"

// List is the watched items, kept in the KV so every tab sees them.
// Safe for concurrent use within a tab.
type List struct {
	kv account.KV
	mu sync.Mutex
	// Changed is called after every change made here (the poller wakes).
	Changed func()
}

// NewList returns the list kept in kv.
func NewList(kv account.KV) *List { return &List{kv: kv} }

// All returns the watched items; unreadable storage reads as none.
func (l *List) All() []Watched {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.load()
}

func (l *List) load() []Watched {
	var ws []Watched
	if raw, ok := l.kv.Get(StorageKey); ok {
		if json.Unmarshal([]byte(raw), &ws) != nil {
			return nil
		}
	}
	return ws
}

func (l *List) save(ws []Watched) error {
	b, err := json.Marshal(ws)
	if err != nil {
		return err
	}
	return l.kv.Set(StorageKey, string(b))
}

// Has reports whether w (by instance, project, kind and id) is watched.
func (l *List) Has(w Watched) bool {
	for _, x := range l.All() {
		if x.Key() == w.Key() {
			return true
		}
	}
	return false
}

// Toggle watches w, or stops watching it; it reports whether w is watched
// now.
func (l *List) Toggle(w Watched) (bool, error) {
	l.mu.Lock()
	ws := l.load()
	watching := true
	for i, x := range ws {
		if x.Key() == w.Key() {
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
func (l *List) update(w Watched) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	ws := l.load()
	for i := range ws {
		if ws[i].Key() == w.Key() {
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

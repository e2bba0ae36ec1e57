package watch

import "sync"

// Notifier tells the user what the poller saw: the browser's notifications
// and app badge (BrowserNotifier, notify_js.go), or a record of them
// (MemoryNotifier).
type Notifier interface {
	// Notify says that w finished, with its status (w.Title).
	Notify(w Watched)
	// Badge shows the number of watched items that failed; 0 clears it.
	Badge(failed int)
}

// MemoryNotifier records what it is told, in memory. Its zero value is
// ready to use and safe for concurrent use.
type MemoryNotifier struct {
	mu     sync.Mutex
	notes  []Watched
	badge  int
	badged bool
}

// Notify implements Notifier.
func (m *MemoryNotifier) Notify(w Watched) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.notes = append(m.notes, w)
}

// Badge implements Notifier.
func (m *MemoryNotifier) Badge(failed int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.badge, m.badged = failed, true
}

// Notes returns the items notified so far, oldest first (a copy).
func (m *MemoryNotifier) Notes() []Watched {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Watched(nil), m.notes...)
}

// Badged returns the last badge count, and whether one was shown at all.
func (m *MemoryNotifier) Badged() (failed int, shown bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.badge, m.badged
}

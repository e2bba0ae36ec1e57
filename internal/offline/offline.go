package offline

import (
	"context"
	"errors"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// Budget bounds the copies kept on a device; the least recently used
// go first.
const Budget = 50 << 20

// Copy is one kept reply.
type Copy struct {
	Body    []byte
	Header  gitlab.Header // the pagination headers the client reads
	Fetched time.Time
}

// Store keeps copies by key, evicting the least recently used beyond its
// budget. IndexedDB in the browser (offline_js.go), MemoryStore elsewhere.
type Store interface {
	Get(key string) (Copy, bool)
	Put(key string, c Copy) error
	// Usage is how many copies are kept and their size in bytes.
	Usage() (n int, bytes int64)
	Clear() error
	// Forget drops every copy whose key starts with prefix.
	Forget(prefix string) error
}

// lru is the bookkeeping both stores share: sizes and last use per key, and
// which keys to drop to fit a budget.
type lru struct {
	budget int64
	total  int64
	used   map[string]time.Time
	size   map[string]int64
}

func newLRU(budget int64) lru {
	return lru{budget: budget, used: map[string]time.Time{}, size: map[string]int64{}}
}

func (l *lru) touch(key string, at time.Time) { l.used[key] = at }

// add records key at size and returns the keys to evict. A copy larger than
// the whole budget is not kept, and evicts nothing else.
func (l *lru) add(key string, size int64, at time.Time) (evict []string) {
	_, had := l.used[key]
	l.remove(key)
	if size > l.budget { // never fits: keep the others, drop its old copy
		if had {
			evict = append(evict, key)
		}
		return evict
	}
	l.used[key], l.size[key] = at, size
	l.total += size
	if l.total <= l.budget {
		return nil
	}
	keys := make([]string, 0, len(l.used))
	for k := range l.used {
		if k != key {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b string) int { return l.used[a].Compare(l.used[b]) })
	for _, k := range keys {
		if l.total <= l.budget {
			break
		}
		evict = append(evict, k)
		l.remove(k)
	}
	return evict
}

// withPrefix is the keys that start with prefix.
func (l *lru) withPrefix(prefix string) []string {
	var keys []string
	for k := range l.used {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	return keys
}

func (l *lru) remove(key string) {
	l.total -= l.size[key]
	delete(l.used, key)
	delete(l.size, key)
}

func copySize(key string, c Copy) int64 {
	n := int64(len(key) + len(c.Body))
	for k, v := range c.Header {
		n += int64(len(k) + len(v))
	}
	return n
}

// MemoryStore is a Store in memory: the browser store's twin for tests,
// and the fallback when IndexedDB is unavailable. Safe for concurrent use.
type MemoryStore struct {
	mu     sync.Mutex
	lru    lru
	copies map[string]Copy
	now    func() time.Time
}

// NewMemoryStore returns an empty store holding up to budget bytes.
func NewMemoryStore(budget int64) *MemoryStore {
	return &MemoryStore{lru: newLRU(budget), copies: map[string]Copy{}, now: time.Now}
}

// Get implements Store; it counts as a use.
func (m *MemoryStore) Get(key string) (Copy, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.copies[key]
	if ok {
		m.lru.touch(key, m.now())
	}
	return c, ok
}

// Put implements Store.
func (m *MemoryStore) Put(key string, c Copy) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range m.lru.add(key, copySize(key, c), m.now()) {
		delete(m.copies, k)
	}
	if _, kept := m.lru.used[key]; kept {
		m.copies[key] = c
	}
	return nil
}

// Usage implements Store.
func (m *MemoryStore) Usage() (int, int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.copies), m.lru.total
}

// Forget implements Store.
func (m *MemoryStore) Forget(prefix string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range m.lru.withPrefix(prefix) {
		m.lru.remove(k)
		delete(m.copies, k)
	}
	return nil
}

// Clear implements Store.
func (m *MemoryStore) Clear() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lru, m.copies = newLRU(m.lru.budget), map[string]Copy{}
	return nil
}

// keptHeaders are the reply headers a copy keeps: what the client reads for
// pagination (gitlab-api.md §7).
var keptHeaders = []string{"content-type", "link", "x-next-page", "x-page", "x-per-page", "x-prev-page", "x-total", "x-total-pages"}

// Cache is the app's view of the network: the copies, whether the last
// request reached GitLab, and the oldest copy shown since the page last
// changed. Safe for concurrent use.
type Cache struct {
	Store Store
	// OnDisk, when set, says whether the copies of a URL may go to Store:
	// a memory-only instance's stay in memory, gone with the page, like its
	// token (issue 5).
	OnDisk func(url string) bool
	// Changed is called (from any goroutine) when a copy was served or the
	// network came back; the page re-renders.
	Changed func()

	mu      sync.Mutex
	stale   time.Time // oldest copy served since Reset; zero when none
	failed  bool      // the last request failed for want of a network
	memory  *MemoryStore
	writing atomic.Int32 // writes going on (put)
}

// New returns a Cache over store.
func New(store Store) *Cache {
	return &Cache{Store: store, memory: NewMemoryStore(Budget / 5)}
}

// storeFor is where the copies of url are kept.
func (o *Cache) storeFor(url string) Store {
	if o.OnDisk == nil || o.OnDisk(url) {
		return o.Store
	}
	return o.memory
}

// Forget drops the copies of the instance at base (scheme://host[/path]),
// on disk and in memory: its API lives under base + "/api/v4/", so
// https://host/gitlab's copies are not https://host's.
func (o *Cache) Forget(base string) error {
	if o == nil {
		return nil
	}
	prefix := base + "/api/v4/"
	o.memory.Forget(prefix)
	return o.Store.Forget(prefix)
}

// Stale returns when the oldest copy on screen was fetched, if a copy is on
// screen.
func (o *Cache) Stale() (time.Time, bool) {
	if o == nil {
		return time.Time{}, false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.stale, !o.stale.IsZero()
}

// Reset forgets what was on screen (a new page).
func (o *Cache) Reset() {
	if o == nil {
		return
	}
	o.mu.Lock()
	o.stale = time.Time{}
	o.mu.Unlock()
}

// Transport wraps next: GET replies with status 200 of what offline
// reading shows (worthKeeping) are kept; when next
// fails (no network), the kept copy is returned with its age noted.
func (o *Cache) Transport(next gitlab.Transport) gitlab.Transport {
	return offlineTransport{o: o, next: next}
}

type offlineTransport struct {
	o    *Cache
	next gitlab.Transport
}

// headerFetched marks a reply served from a copy, with when it was fetched.
const headerFetched = "x-jobscope-fetched"

func (t offlineTransport) Do(ctx context.Context, r *gitlab.Request) (*gitlab.Response, error) {
	resp, err := t.next.Do(ctx, r)
	if r.Method != "GET" {
		return resp, err
	}
	if !worthKeeping(r.URL) {
		return resp, err
	}
	if err == nil {
		if resp.StatusCode == 200 {
			c := Copy{Body: resp.Body, Header: gitlab.Header{}, Fetched: time.Now()}
			for _, h := range keptHeaders {
				if resp.Header.Has(h) {
					c.Header.Set(h, resp.Header.Get(h))
				}
			}
			store := t.o.storeFor(r.URL)
			if resp.Stream != nil {
				// Kept once the last byte is in: a download cut half way
				// is no copy of the log.
				resp.Stream = &keepWhole{ReadCloser: resp.Stream, limit: Budget, keep: func(b []byte) {
					c.Body = b
					t.o.put(store, r.URL, c)
				}}
				return resp, nil
			}
			t.o.put(store, r.URL, c) // a full store only costs the copy
		}
		return resp, nil
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return nil, err
	}
	c, ok := t.o.get(t.o.storeFor(r.URL), r.URL)
	if !ok {
		return nil, err
	}
	h := gitlab.Header{}
	for k, v := range c.Header {
		h.Set(k, v)
	}
	h.Set(headerFetched, c.Fetched.UTC().Format(time.RFC3339))
	t.o.mu.Lock()
	if t.o.stale.IsZero() || c.Fetched.Before(t.o.stale) {
		t.o.stale = c.Fetched
	}
	changed := t.o.Changed
	t.o.mu.Unlock()
	if changed != nil {
		changed()
	}
	return &gitlab.Response{StatusCode: 200, Header: h, Body: c.Body}, nil
}

// A store can keep a caller waiting without end: IndexedDB queues a write
// for as long as another page of the origin holds a transaction on the same
// store. Seen in the WebKit suite: once a failed job's page was left, every
// reply of the next pages waited on its copy and the screen stayed
// "Loading" for good (most likely the page left, kept with its transaction
// in WebKit's back/forward cache; a second tab holding the store gives the
// same screen in Chromium, TestABusyOfflineStoreHoldsNoReply). So a reply
// never waits on its copy longer than putWait (the write goes on without
// it), a copy is looked for at most getWait, and at most maxWriting writes
// are left going: past that, copies are skipped until the store answers.
var (
	putWait = time.Second
	getWait = 5 * time.Second
)

const maxWriting = 8

// put keeps c in store under key, waiting at most putWait.
func (o *Cache) put(store Store, key string, c Copy) {
	if o.writing.Add(1) > maxWriting {
		o.writing.Add(-1)
		return
	}
	within(putWait, func() error {
		defer o.writing.Add(-1)
		return store.Put(key, c)
	})
}

// get returns the copy under key in store, if it answers within getWait.
func (o *Cache) get(store Store, key string) (Copy, bool) {
	type found struct {
		c  Copy
		ok bool
	}
	f, _ := within(getWait, func() found {
		c, ok := store.Get(key)
		return found{c, ok}
	})
	return f.c, f.ok
}

// within runs f on a goroutine of its own and waits for it at most d. Past
// d, f goes on and its result is dropped; ok reports that it came in time.
func within[T any](d time.Duration, f func() T) (v T, ok bool) {
	done := make(chan T, 1)
	go func() { done <- f() }()
	wait := time.NewTimer(d)
	defer wait.Stop()
	select {
	case v = <-done:
		return v, true
	case <-wait.C:
		return v, false
	}
}

// worthKeeping reports whether a GET of url is something offline reading
// shows: lists of projects, jobs and pipelines, a job, a pipeline, a log.
// Anything else (artifact archives and files, the user) is passed through
// and not kept: a 30 MB zip would evict the logs.
func worthKeeping(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	_, rest, ok := strings.Cut(u.EscapedPath(), "/api/v4/")
	if !ok {
		return false
	}
	seg := strings.Split(rest, "/")
	if seg[0] != "projects" {
		return false
	}
	switch len(seg) {
	case 1, 2: // /projects, /projects/:id
		return true
	case 3: // /projects/:id/jobs, /projects/:id/pipelines
		return seg[2] == "jobs" || seg[2] == "pipelines"
	case 4: // a job, a pipeline
		return seg[2] == "jobs" || seg[2] == "pipelines"
	case 5: // a log; a pipeline's jobs and bridges
		return seg[2] == "jobs" && seg[4] == "trace" ||
			seg[2] == "pipelines" && (seg[4] == "jobs" || seg[4] == "bridges")
	}
	return false
}

// keepWhole passes a streamed body through and hands all of it to keep
// when it has been read to its end. A body past limit is no copy (no store
// keeps more than its budget): it is not held, and keep is never called.
// The store then keeps its last copy under that address, if any.
type keepWhole struct {
	io.ReadCloser
	limit int
	buf   []byte
	keep  func([]byte)
}

func (k *keepWhole) Read(p []byte) (int, error) {
	n, err := k.ReadCloser.Read(p)
	if k.keep != nil {
		k.buf = append(k.buf, p[:n]...)
		if len(k.buf) > k.limit {
			k.buf, k.keep = nil, nil
		}
	}
	if err == io.EOF && k.keep != nil {
		k.keep(k.buf)
		k.keep = nil
	}
	return n, err
}

package offline

import (
	"encoding/json"
	"errors"
	"sync"
	"syscall/js"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// idbCopies is the browser's Store: IndexedDB database "jobscope-offline"
// with the copies in "copies" and their sizes and last use in "meta", which
// is read whole when the store opens so eviction needs no scan. Every method
// blocks until IndexedDB answers, so none may run inside a js callback (the
// transport and ctx.Async run on goroutines of their own).
type idbCopies struct {
	once sync.Once
	db   js.Value
	err  error

	mu  sync.Mutex
	lru lru
	n   int
}

const (
	idbName   = "jobscope-offline"
	idbCopy   = "copies"
	idbMeta   = "meta"
	idbSchema = 1
)

// BrowserStore returns the IndexedDB store, opened on first use; when
// IndexedDB is unavailable (private mode in some browsers, a sandbox), a
// MemoryStore keeps copies for the page's lifetime instead.
func BrowserStore(budget int64) Store {
	if !js.Global().Get("indexedDB").Truthy() {
		return NewMemoryStore(budget)
	}
	return &fallbackCopies{idb: &idbCopies{lru: newLRU(budget)}, mem: NewMemoryStore(budget)}
}

// fallbackCopies uses the IndexedDB store unless it failed to open.
type fallbackCopies struct {
	idb *idbCopies
	mem *MemoryStore
}

func (f *fallbackCopies) store() Store {
	if f.idb.open() != nil {
		return f.mem
	}
	return f.idb
}

func (f *fallbackCopies) Get(key string) (Copy, bool)  { return f.store().Get(key) }
func (f *fallbackCopies) Put(key string, c Copy) error { return f.store().Put(key, c) }
func (f *fallbackCopies) Usage() (int, int64)          { return f.store().Usage() }
func (f *fallbackCopies) Clear() error                 { return f.store().Clear() }
func (f *fallbackCopies) Forget(prefix string) error   { return f.store().Forget(prefix) }

// wait blocks until the IDBRequest (or IDBOpenDBRequest) settles.
func wait(req js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	ok := js.FuncOf(func(js.Value, []js.Value) any {
		ch <- result{v: req.Get("result")}
		return nil
	})
	fail := js.FuncOf(func(js.Value, []js.Value) any {
		msg := "IndexedDB request failed"
		if e := req.Get("error"); e.Truthy() {
			msg = "IndexedDB: " + e.Get("message").String()
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	req.Set("onsuccess", ok)
	req.Set("onerror", fail)
	r := <-ch
	return r.v, r.err
}

func (s *idbCopies) open() error {
	s.once.Do(func() {
		defer func() {
			if r := recover(); r != nil { // a js exception
				s.err = errors.New("IndexedDB is not available")
			}
		}()
		req := js.Global().Get("indexedDB").Call("open", idbName, idbSchema)
		upgrade := js.FuncOf(func(js.Value, []js.Value) any {
			db := req.Get("result")
			db.Call("createObjectStore", idbCopy)
			db.Call("createObjectStore", idbMeta)
			return nil
		})
		defer upgrade.Release()
		req.Set("onupgradeneeded", upgrade)
		s.db, s.err = wait(req)
		if s.err != nil {
			return
		}
		meta := s.db.Call("transaction", idbMeta, "readonly").Call("objectStore", idbMeta)
		keys, err := wait(meta.Call("getAllKeys"))
		if err != nil {
			s.err = err
			return
		}
		vals, err := wait(meta.Call("getAll"))
		if err != nil {
			s.err = err
			return
		}
		for i := range keys.Length() {
			v := vals.Index(i)
			s.lru.add(keys.Index(i).String(), int64(v.Get("size").Float()),
				time.UnixMilli(int64(v.Get("used").Float())))
		}
		s.n = len(s.lru.used)
	})
	return s.err
}

func (s *idbCopies) Get(key string) (c Copy, ok bool) {
	defer func() {
		if recover() != nil {
			c, ok = Copy{}, false
		}
	}()
	if s.open() != nil {
		return Copy{}, false
	}
	v, err := wait(s.db.Call("transaction", idbCopy, "readonly").Call("objectStore", idbCopy).Call("get", key))
	if err != nil || !v.Truthy() {
		return Copy{}, false
	}
	body := make([]byte, v.Get("body").Get("length").Int())
	js.CopyBytesToGo(body, v.Get("body"))
	c = Copy{Body: body, Header: gitlab.Header{}, Fetched: time.UnixMilli(int64(v.Get("fetched").Float()))}
	json.Unmarshal([]byte(v.Get("header").String()), &c.Header)
	now := time.Now()
	s.mu.Lock()
	s.lru.touch(key, now)
	size := s.lru.size[key]
	s.mu.Unlock()
	// The new last use is written without waiting: losing it costs only
	// eviction order.
	s.db.Call("transaction", idbMeta, "readwrite").Call("objectStore", idbMeta).
		Call("put", map[string]any{"size": size, "used": now.UnixMilli()}, key)
	return c, true
}

func (s *idbCopies) Put(key string, c Copy) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("IndexedDB refused the copy")
		}
	}()
	if err := s.open(); err != nil {
		return err
	}
	now, size := time.Now(), copySize(key, c)
	s.mu.Lock()
	evict := s.lru.add(key, size, now)
	_, kept := s.lru.used[key]
	s.n = len(s.lru.used)
	s.mu.Unlock()
	tx := s.db.Call("transaction", []any{idbCopy, idbMeta}, "readwrite")
	copies, meta := tx.Call("objectStore", idbCopy), tx.Call("objectStore", idbMeta)
	for _, k := range evict {
		copies.Call("delete", k)
		meta.Call("delete", k)
	}
	if kept {
		body := js.Global().Get("Uint8Array").New(len(c.Body))
		js.CopyBytesToJS(body, c.Body)
		header, _ := json.Marshal(c.Header)
		copies.Call("put", map[string]any{"body": body, "header": string(header), "fetched": c.Fetched.UnixMilli()}, key)
		meta.Call("put", map[string]any{"size": size, "used": now.UnixMilli()}, key)
	}
	return waitTx(tx)
}

// waitTx blocks until the transaction commits.
func waitTx(tx js.Value) error {
	ch := make(chan error, 1)
	done := js.FuncOf(func(js.Value, []js.Value) any { ch <- nil; return nil })
	fail := js.FuncOf(func(js.Value, []js.Value) any { ch <- errors.New("IndexedDB transaction failed"); return nil })
	defer done.Release()
	defer fail.Release()
	tx.Set("oncomplete", done)
	tx.Set("onerror", fail)
	tx.Set("onabort", fail)
	return <-ch
}

func (s *idbCopies) Usage() (int, int64) {
	if s.open() != nil {
		return 0, 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n, s.lru.total
}

func (s *idbCopies) Forget(prefix string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("IndexedDB could not forget the copies")
		}
	}()
	if err := s.open(); err != nil {
		return err
	}
	s.mu.Lock()
	keys := s.lru.withPrefix(prefix)
	for _, k := range keys {
		s.lru.remove(k)
	}
	s.n = len(s.lru.used)
	s.mu.Unlock()
	tx := s.db.Call("transaction", []any{idbCopy, idbMeta}, "readwrite")
	copies, meta := tx.Call("objectStore", idbCopy), tx.Call("objectStore", idbMeta)
	for _, k := range keys {
		copies.Call("delete", k)
		meta.Call("delete", k)
	}
	return waitTx(tx)
}

func (s *idbCopies) Clear() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("IndexedDB could not be cleared")
		}
	}()
	if err := s.open(); err != nil {
		return err
	}
	tx := s.db.Call("transaction", []any{idbCopy, idbMeta}, "readwrite")
	tx.Call("objectStore", idbCopy).Call("clear")
	tx.Call("objectStore", idbMeta).Call("clear")
	if err := waitTx(tx); err != nil {
		return err
	}
	s.mu.Lock()
	s.lru, s.n = newLRU(s.lru.budget), 0
	s.mu.Unlock()
	return nil
}

package account

import "sync"

// KV is the small key-value storage settings live in: localStorage in the
// browser (BrowserKV, kv_js.go), MemoryKV elsewhere.
type KV interface {
	Get(key string) (string, bool)
	Set(key, value string) error
}

// MemoryKV is a KV kept in memory. Its zero value is ready to use; it never
// fails and is safe for concurrent use.
type MemoryKV struct {
	mu sync.Mutex
	m  map[string]string
}

// Get implements KV.
func (m *MemoryKV) Get(key string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[key]
	return v, ok
}

// Set implements KV.
func (m *MemoryKV) Set(key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]string{}
	}
	m.m[key] = value
	return nil
}

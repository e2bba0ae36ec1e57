// Package offline keeps copies of GitLab's replies: every reply the app
// reads successfully that offline reading shows (lists, jobs, pipelines,
// logs; no artifacts) is kept, keyed by
// its URL, so each instance's copies are apart; when the network fails, the
// last copy is served instead (Cache.Transport) and the page says how old it
// is (Cache.Stale). The token is a header, never part of the key or the copy
// (issue 4: never in storage for memory-only instances, Cache.OnDisk).
//
// The store is IndexedDB in the browser (BrowserStore, offline_js.go) and
// MemoryStore elsewhere, both bounded by a budget, least recently used
// first.
package offline

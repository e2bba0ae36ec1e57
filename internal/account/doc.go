// Package account is who jobscope talks to GitLab as: the instances the
// user connected (address, token or sign-in, "remember on this device"),
// which one is active, and where that is kept (Store over a KV:
// localStorage in the PWA, BrowserKV; memory in tests, MemoryKV). Memory-only
// tokens, and every OAuth access token, never reach the KV
// (gitlab-oauth.md §6).
//
// The extension popup's KV is its own storage areas, in extension/storage:
// that adapter is one half of a contract with the extension's background
// script (keys, areas, following the background's writes) and changes with
// it, so it lives beside it. This package keeps the rule of which tokens
// may leave memory (Store, SessionTokens, AdoptKept); that adapter only
// carries them.
package account

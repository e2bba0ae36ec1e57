// Package storage keeps the viewer's settings and tokens in the extension's
// storage areas instead of localStorage, because the background script
// (which polls watched jobs, signs in and refreshes) has no localStorage and
// must read the same instances and tokens:
//
//   - storage.local holds the settings under the same key and JSON as the
//     PWA (account.SettingsKey), remembered tokens included;
//   - storage.session holds the memory-only tokens, every signed-in access
//     token and the refresh tokens of sign-ins without "stay signed in"
//     (gitlab-oauth.md §6): the browser keeps it in memory only and empties
//     it when it quits, so "memory only" means what it means in the PWA
//     (never on disk) while surviving the popup, which the browser closes
//     on every click elsewhere.
//
// Both areas are asynchronous while account.KV is not: Open reads them once,
// before the app starts, and writes go through in the background.
//
// It lives here, not beside account's localStorage adapter, because it is
// the extension's half of a contract with background.js (the keys, the
// session area, following the background's writes): a change to one side
// is made with the other in view. account keeps the rule of which tokens
// may leave memory (Store, SessionTokens); this package only carries them.
//
// GOOS=js only (storage_js.go); the rest of the popup reaches it through
// account.KV.
package storage

// SessionKey is where memory-only tokens wait in storage.session; it is
// extension.SessionKey, the scripts' name (internal/extbuild's tests check
// that both agree).
const SessionKey = "jobscope.session.v1"

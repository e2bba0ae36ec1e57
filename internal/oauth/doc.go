// Package oauth signs a user in to GitLab with OAuth 2.0 as a public client:
// Authorization Code with PKCE (S256), no client secret anywhere
// (docs/gitlab-oauth.md, cited as "oauth §N").
//
// It is plain Go for every surface: the PWA and the extension call it from
// the wasm build, where requests go through the browser's fetch (the
// gitlab package's Transport), and tests run it natively against the
// emulator. The UI owns the screens and the storage; this package owns the
// protocol:
//
//   - NewAttempt makes a fresh verifier and state per sign-in; Config.AuthorizeURL
//     is the page to open; Attempt.Callback checks the state and reads the code.
//   - Client.Exchange, Refresh, Revoke and Info talk to /oauth/token,
//     /oauth/revoke and /oauth/token/info with form bodies (simple CORS
//     requests, oauth §3).
//   - Session holds the current token pair, refreshes it before it expires
//     with one refresh at a time (the pair rotates, oauth §6) and revokes it
//     on sign-out.
//
// Every failure a user can meet is a sentinel with a sentence saying what
// happened and what to do (ErrConsentDenied, ErrStateMismatch,
// ErrCodeRejected, ErrRefreshRevoked, ErrScopeTooNarrow, ErrPKCEUnsupported,
// ...), matched with errors.Is. No token, verifier or code ever appears in
// an error string, a URL (other than the code GitLab puts in the callback)
// or a String method.
package oauth

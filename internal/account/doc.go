// Package account is who jobscope talks to GitLab as: the instances the
// user connected (address, token or sign-in, "remember on this device"),
// which one is active, and where that is kept (Store over a KV:
// localStorage in the PWA, the extension's storage in the popup, memory in
// tests). Memory-only tokens, and every OAuth access token, never reach the
// KV (gitlab-oauth.md §6).
package account

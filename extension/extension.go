// Package extension holds jobscope's browser extension sources: the scripts
// and stylesheet that ship in the package beside the viewer's wasm, and the
// one version number of both stores' packages. internal/extbuild turns them,
// with the static site's shell, into the Chromium and Firefox packages.
//
//   - popup.js runs in the popup page before go-app's app.js: it reads the
//     active tab's address (activeTab) for the wasm, and adds the popup's
//     own bar (open in a tab, watch this job, allow a self-hosted GitLab).
//   - background.js is the background (service worker on Chromium, event
//     page on Firefox): it polls watched jobs with alarms, notifies when one
//     finishes and shows the failed count on the action badge; it runs
//     "Sign in with GitLab" (identity.launchWebAuthFlow, the code exchange)
//     and every refresh of a signed-in pair (extension/signin).
//   - popup.css sizes the viewer for a popup (at most 800x600).
//
// The Go side of the popup: its entry point and wiring is extension/wasm;
// where it keeps settings and tokens, extension/storage; signing in
// through the background, extension/signin; reading a tab address into a
// viewer route, extension/tabcontext.
//
// Build and try: `make dist`, then load dist/extension/chromium as an
// unpacked extension (chrome://extensions, developer mode), or
// dist/extension/firefox/manifest.json as a temporary add-on
// (about:debugging); `make lint-extension` runs Mozilla's linter.
//
// There is no content script: the popup needs only the tab's address, which
// activeTab gives when the user clicks the action, so no script runs in
// GitLab's pages and no host access to self-hosted instances is needed
// before the user adds one.
package extension

import "embed"

// Version is the extension's version in both stores, and nowhere else.
const Version = "0.1.0"

// Name and Description are the stores' listing text.
const (
	Name        = "jobscope: GitLab CI jobs and logs"
	Description = "The job, pipeline or merge request of the GitLab page you are on: its jobs and full logs, in a popup. Notifies when watched jobs finish."
)

// Assets are the files copied into both packages as they are.
//
//go:embed popup.js popup.css background.js
var Assets embed.FS

// Storage keys shared by the wasm (internal/watch, extension/storage) and the
// scripts. They must match the constants at the top of the scripts and the
// Go side's; the extbuild tests check that they do.
const (
	// WatchKey holds the watched jobs in storage.local (JSON array).
	WatchKey = "jobscope.watch.v1"
	// SessionKey holds memory-only tokens in storage.session, which the
	// browser keeps in memory only and forgets when it quits.
	SessionKey = "jobscope.session.v1"
)

// Package logview is the log view of the jobscope viewer: a job's log
// followed while the job runs (Job), or a raw log opened from disk (File),
// both shown by one Viewer over a joblog.Store.
//
// Architecture (design.md "Rendering big logs", log-viewport-probe.md):
// go-app renders the shell (toolbar, search, status line); the viewport owns
// a fixed pool of row elements written directly from Go. A row's slot is
// row % pool; the pool sits in a flex column translated to its first row, and
// each row element carries CSS order = its row, so a one-line scroll rewrites
// one element. Rows are updated synchronously in a passive scroll listener
// (app.FuncOf, released on dismount), each changed row with one innerHTML
// string from internal/logrow, the package that keeps log bytes text. Beyond
// maxSpacerPx of height (Chromium caps an element near 33.5M px, about 2M
// rows) the scroll position is scaled to rows.
//
// Only *_js.go files touch the browser; the rest (following, backoff,
// navigation state) builds and is tested natively.
package logview

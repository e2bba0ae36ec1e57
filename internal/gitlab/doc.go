// Package gitlab is jobscope's typed client for GitLab's REST API v4: the
// Jobs API and what a viewer needs around it, as described in
// docs/gitlab-api.md (cited as §n below and in the docs of each call).
//
//	c, err := gitlab.New("https://gitlab.com", gitlab.PrivateToken(tok))
//	jobs, page, err := c.ListProjectJobs(ctx, gitlab.ProjectPath("group/sub/app"),
//		gitlab.ListProjectJobsOptions{Scope: gitlab.ScopeRunning | gitlab.ScopePending})
//	for job, err := range c.AllProjectJobs(ctx, p, gitlab.ListProjectJobsOptions{Keyset: true}) { ... }
//
// Shape:
//   - Every call takes ctx first and returns typed entities (§6): ids int64,
//     times time.Time, nullable fields as pointers, statuses as Status.
//   - Projects are ProjectRef values, by id or by full path (%2F-escaped, §3).
//   - Job-list scopes are a ScopeSet: typos do not compile, and bits outside
//     the 13 statuses of §8.1 are rejected before any request.
//   - A List call returns one page and its PageInfo (offset headers, totals
//     only when GitLab counted, keyset cursor from Link rel="next", §7); the
//     All* methods return iter.Seq2 walks that stop on break or ctx.
//   - Credentials (§2.1): PrivateToken, OAuthToken, JobToken, always as a
//     header, never in a URL; Auth's String hides the token.
//   - Failures are *Error (method, path without query, status, GitLab's
//     message from any body shape of §4, request id, Retry-After), matched
//     with errors.Is against ErrNotFound, ErrRateLimited, ... or errors.As;
//     no response at all is ErrNetwork, bad input ErrInvalidArgument (sent
//     nothing).
//   - Reads retry on 429, 502, 503, 504 and network failures with capped
//     exponential backoff and jitter (Backoff); POST actions never retry.
//
// Transport: the client speaks through the small Transport interface.
// Natively HTTPTransport uses net/http; in the browser (GOOS=js)
// FetchTransport calls window.fetch through syscall/js, so the wasm does not
// link net/http (internal/deptest keeps it so).
//
// Why not build on GitLab's official client (gitlab.com/gitlab-org/api/client-go
// v1.46.0)? Measured 2026-11-25, Go 1.26.8, GOOS=js GOARCH=wasm,
// -trimpath -ldflags="-s -w", brotli -q 11, each a program listing a
// project's running jobs:
//
//	program                          raw bytes   brotli bytes
//	empty main                       1,799,477      416,930
//	net/http GET only               10,081,719    1,969,836
//	client-go ListProjectJobs       14,228,446    2,551,885
//	this package ListProjectJobs     3,912,897      806,508
//	go-app v10.1.11 hello            6,897,895    1,401,394
//	  + this package                 7,113,446    1,443,970   (+215 KB raw, +43 KB brotli)
//	  + client-go                   15,157,862    2,659,527   (+8.3 MB raw, +1.26 MB brotli)
//
// client-go would nearly double the app's download (it needs net/http,
// go-retryablehttp and oauth2), and it also types project ids as any, takes
// ctx only as an option and retries POSTs (style.md), so this package
// is written by hand, with client-go's good ideas: options structs per call
// and pagination read into a page info.
package gitlab

// Package gitlabfake is an emulator of GitLab's REST Jobs API (v4) and the few
// other endpoints a jobs viewer needs, faithful enough that a GitLab client
// library cannot tell it from GitLab. docs/gitlab-api.md is the
// reference; comments cite its sections (§N).
//
// One Server backs unit tests (httptest.NewServer(gitlabfake.New(...))),
// browser tests and the loopback demo. It serves:
//
//   - /api/v4/... : the endpoints of gitlab-api.md §5 and §11 with GitLab's
//     authentication (§2), 404s (§3), error shapes (§4), entities (§6),
//     offset and keyset pagination (§7), the job state machine (§8),
//     rate limits (§9) and CORS (§10);
//   - /api/v3/... : 410, as GitLab does (§1);
//   - /oauth/... : GitLab's OAuth provider, package oauthprovider, whose
//     access tokens the API accepts (oauth.go);
//   - /-/emulator/... : control endpoints outside the API (faults, clock,
//     info), see README.md.
//
// Time comes from an injectable Clock. With a ManualClock (or Frozen) nothing
// changes unless a request or the test moves time, so tests are
// deterministic; with the real clock running jobs' logs grow and jobs finish,
// so the demo looks alive. State is advanced lazily, on each request, to the
// clock's current time: there is no background goroutine.
//
// Seed data is generated from Options.Seed, fresh for every Server, and may
// be extended with a fixtures file (Options.SeedFile, format in README.md).
package gitlabfake

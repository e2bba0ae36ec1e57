package gitlabfake

import (
	"net/http"
	"strings"
)

// Tokens the emulator always knows, for tests of each auth path (§2). The
// personal access token of Options.Token (default DefaultToken) has scope
// `api` and belongs to the demo user, Maintainer of every seeded project.
const (
	// DefaultToken is accepted when Options.Token is empty.
	DefaultToken = "glpat-jobscope-demo-token"
	// ReadAPIToken belongs to the demo user with scope read_api only: GETs
	// work, POST actions get 403 insufficient_scope (§2.1).
	ReadAPIToken = "glpat-jobscope-read-api"
	// GuestToken belongs to a user who is only Guest of every seeded
	// project: it may see projects and pipelines, but reading jobs of the
	// private ones is 403 and pipeline job lists are [] (§5, §5.2).
	GuestToken = "glpat-jobscope-guest"
	// ExpiredToken and RevokedToken get the OAuth guard's 401 bodies (§2.2).
	ExpiredToken = "glpat-jobscope-expired"
	RevokedToken = "glpat-jobscope-revoked"
)

type tokenKind int

const (
	tokenNone tokenKind = iota
	tokenPersonal
	tokenJob
)

type tokenInfo struct {
	user    *user
	scopes  []string
	expired bool
	revoked bool
}

// credential is who is asking.
type credential struct {
	kind   tokenKind
	user   *user
	scopes []string
	job    *job // for job tokens
}

func (c credential) anonymous() bool { return c.kind == tokenNone }

func (c credential) hasScope(s string) bool {
	for _, v := range c.scopes {
		if v == s {
			return true
		}
	}
	return false
}

// authFailure is a 401/403 answered before the endpoint runs.
type authFailure struct {
	status int
	body   string
	oauth  string // WWW-Authenticate error code for OAuth guard failures
}

var (
	errUnauthorized = &authFailure{status: http.StatusUnauthorized, body: `{"message":"401 Unauthorized"}`}
	errExpired      = &authFailure{status: http.StatusUnauthorized, oauth: "invalid_token",
		body: `{"error":"invalid_token","error_description":"Token is expired. You can either do re-authorization or token refresh."}`}
	errRevoked = &authFailure{status: http.StatusUnauthorized, oauth: "invalid_token",
		body: `{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}`}
	// ⚠ the scope value in this body is unconfirmed for our endpoints (§2.2).
	errInsufficientScope = &authFailure{status: http.StatusForbidden, oauth: "insufficient_scope",
		body: `{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}`}
)

// routeAuth says which credentials a route accepts (§2.1, §5).
type routeAuth struct {
	jobTokenAllowed bool // job_token_allowed routes
	jobTokenOnly    bool // GET /job, /job/allowed_agents
	anonymousOK     bool // authenticate_non_get!: anonymous GETs of public data
}

var routeAuths = map[Route]routeAuth{
	RouteUser:                {},
	RouteProjects:            {anonymousOK: true},
	RouteProject:             {anonymousOK: true},
	RouteProjectJobs:         {jobTokenAllowed: true},
	RouteJob:                 {},
	RouteTrace:               {},
	RouteCancel:              {},
	RouteRetry:               {},
	RouteErase:               {},
	RoutePlay:                {},
	RouteArtifacts:           {jobTokenAllowed: true, anonymousOK: true},
	RouteArtifactFile:        {jobTokenAllowed: true, anonymousOK: true},
	RoutePipelines:           {jobTokenAllowed: true, anonymousOK: true}, // job token: 19.x (§2.1)
	RoutePipeline:            {jobTokenAllowed: true, anonymousOK: true},
	RoutePipelineJobs:        {jobTokenAllowed: true, anonymousOK: true},
	RoutePipelineBridges:     {jobTokenAllowed: true, anonymousOK: true},
	RoutePipelineTriggerJobs: {jobTokenAllowed: true, anonymousOK: true},
	RouteCurrentJob:          {jobTokenOnly: true},
	RouteCurrentJobAgents:    {jobTokenOnly: true},
}

// authenticate finds the credential of r the way GitLab's auth finders do
// (§2.1): PRIVATE-TOKEN header or private_token param, Bearer header or
// access_token param, and JOB-TOKEN header or job_token param only on
// job-token routes (elsewhere a job token is simply not looked at). It is
// called with s.mu held.
func (s *Server) authenticate(r *http.Request, ra routeAuth) (credential, *authFailure) {
	q := r.URL.Query()
	if ra.jobTokenAllowed || ra.jobTokenOnly {
		if t := firstNonEmpty(r.Header.Get("JOB-TOKEN"), q.Get("job_token")); t != "" {
			return s.jobCredential(t)
		}
		if t, ok := bearer(r); ok && strings.HasPrefix(t, jobTokenPrefix) {
			return s.jobCredential(t)
		}
	}
	t := firstNonEmpty(r.Header.Get("PRIVATE-TOKEN"), q.Get("private_token"))
	if t == "" {
		if b, ok := bearer(r); ok {
			t = b
		} else {
			t = q.Get("access_token")
		}
	}
	if t == "" {
		return credential{}, nil
	}
	info, ok := s.tokens[t]
	switch {
	case !ok:
		return s.oauthCredential(r, t) // oauth_api.go: OAuth access tokens, else 401
	case info.revoked:
		return credential{}, errRevoked
	case info.expired:
		return credential{}, errExpired
	}
	c := credential{kind: tokenPersonal, user: info.user, scopes: info.scopes}
	// read_api only for GET/HEAD (gitlab: lib/api/api.rb allow_access_with_scope).
	if !c.hasScope("api") && r.Method != http.MethodGet && r.Method != http.MethodHead {
		return credential{}, errInsufficientScope
	}
	return c, nil
}

// jobCredential accepts a job token only while its job runs (§2.1).
func (s *Server) jobCredential(t string) (credential, *authFailure) {
	j, ok := s.jobTokens[t]
	if !ok || j.Status != statusRunning {
		return credential{}, errUnauthorized
	}
	return credential{kind: tokenJob, user: j.user, job: j, scopes: []string{"api"}}, nil
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// access is the caller's role in p; job tokens act with their job's
// user but only inside their own project (⚠ the job token allowlist of
// other projects is not emulated).
func (c credential) access(p *project) accessLevel {
	if c.kind == tokenJob {
		if c.job.project() == p {
			return developer
		}
		return noAccess
	}
	if c.user == nil {
		return noAccess
	}
	return p.members[c.user.ID]
}

// canSee is the project's visibility to the caller (find_project!, §3).
func (c credential) canSee(p *project) bool {
	if c.kind == tokenJob {
		return c.job.project() == p
	}
	switch {
	case p.Visibility == "public":
		return true
	case p.Visibility == "internal" && c.user != nil:
		return true
	}
	return c.access(p) >= guest
}

// canReadBuilds is read_build: Reporter on private projects, anyone who
// sees a public or internal project (public_builds on).
func (c credential) canReadBuilds(p *project) bool {
	if p.Visibility != "private" && c.canSee(p) {
		return true
	}
	return c.access(p) >= reporter
}

// canReadPipelines is read_pipeline. ⚠ Inferred: a Guest of a private
// project may read pipelines but not their builds (which is why pipeline job
// lists answer [] rather than 403 to such callers, §5.2).
func (c credential) canReadPipelines(p *project) bool {
	return c.canSee(p)
}

func (c credential) canUpdateBuilds(p *project) bool { return c.access(p) >= developer }

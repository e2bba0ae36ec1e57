package gitlabfake

import (
	"net/url"
	"strings"
)

// Route names an API endpoint as "METHOD /path/:param" (paths relative to
// /api/v4). Faults are set per Route (faults.go).
type Route string

// The endpoints of gitlab-api.md §5, §11 and §14.
const (
	RouteUser                Route = "GET /user"
	RouteProjects            Route = "GET /projects"
	RouteProject             Route = "GET /projects/:id"
	RouteProjectJobs         Route = "GET /projects/:id/jobs"
	RouteJob                 Route = "GET /projects/:id/jobs/:job_id"
	RouteTrace               Route = "GET /projects/:id/jobs/:job_id/trace"
	RouteCancel              Route = "POST /projects/:id/jobs/:job_id/cancel"
	RouteRetry               Route = "POST /projects/:id/jobs/:job_id/retry"
	RouteErase               Route = "POST /projects/:id/jobs/:job_id/erase"
	RoutePlay                Route = "POST /projects/:id/jobs/:job_id/play"
	RouteArtifacts           Route = "GET /projects/:id/jobs/:job_id/artifacts"
	RouteArtifactFile        Route = "GET /projects/:id/jobs/:job_id/artifacts/*artifact_path"
	RoutePipelines           Route = "GET /projects/:id/pipelines"
	RoutePipeline            Route = "GET /projects/:id/pipelines/:pipeline_id"
	RoutePipelineJobs        Route = "GET /projects/:id/pipelines/:pipeline_id/jobs"
	RoutePipelineBridges     Route = "GET /projects/:id/pipelines/:pipeline_id/bridges"
	RoutePipelineTriggerJobs Route = "GET /projects/:id/pipelines/:pipeline_id/trigger_jobs"
	RouteTestReport          Route = "GET /projects/:id/pipelines/:pipeline_id/test_report"
	RouteTestReportSummary   Route = "GET /projects/:id/pipelines/:pipeline_id/test_report_summary"
	RouteCurrentJob          Route = "GET /job"
	RouteCurrentJobAgents    Route = "GET /job/allowed_agents"
	routeNone                Route = ""
	routeAny                 Route = "*" // fault pattern matching every API route
)

// Routes lists every emulated endpoint.
var Routes = []Route{
	RouteUser, RouteProjects, RouteProject, RouteProjectJobs, RouteJob, RouteTrace,
	RouteCancel, RouteRetry, RouteErase, RoutePlay, RouteArtifacts, RouteArtifactFile,
	RoutePipelines, RoutePipeline, RoutePipelineJobs, RoutePipelineBridges,
	RoutePipelineTriggerJobs, RouteCurrentJob, RouteCurrentJobAgents,
	RouteTestReport, RouteTestReportSummary,
}

func (rt Route) method() string  { m, _, _ := strings.Cut(string(rt), " "); return m }
func (rt Route) pattern() string { _, p, _ := strings.Cut(string(rt), " "); return p }

// match finds the route for method and the escaped path below /api/v4. Each
// segment is unescaped after splitting, so "demo%2Fapi" is one :id segment
// (§3: %2F is read from the raw path). allowed lists the methods of routes
// whose path matched when the method did not.
func match(method, escapedPath string) (rt Route, params map[string]string, allowed []string) {
	segs := strings.Split(strings.Trim(escapedPath, "/"), "/")
	if method == "HEAD" {
		method = "GET" // Grape answers HEAD on GET routes
	}
	for _, r := range Routes {
		p, ok := matchPattern(r.pattern(), segs)
		if !ok {
			continue
		}
		if r.method() != method {
			allowed = append(allowed, r.method())
			continue
		}
		return r, p, nil
	}
	return routeNone, nil, allowed
}

func matchPattern(pattern string, segs []string) (map[string]string, bool) {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	params := map[string]string{}
	for i, p := range ps {
		if strings.HasPrefix(p, "*") {
			if i >= len(segs) {
				return nil, false
			}
			rest, err := url.PathUnescape(strings.Join(segs[i:], "/"))
			if err != nil || rest == "" {
				return nil, false
			}
			params[p[1:]] = rest
			return params, true
		}
		if i >= len(segs) {
			return nil, false
		}
		seg, err := url.PathUnescape(segs[i])
		if err != nil || seg == "" {
			return nil, false
		}
		if strings.HasPrefix(p, ":") {
			params[p[1:]] = seg
			continue
		}
		if p != seg {
			return nil, false
		}
	}
	if len(ps) != len(segs) {
		return nil, false
	}
	return params, true
}

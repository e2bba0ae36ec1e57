package gitlabfake

import (
	"cmp"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
)

// scopes reads `scope` in its three forms (§5.1): scope=x, scope[]=x and
// the hash form scope[0]=x. Every value must be a job status, else 400
// (Grape `values:`; ⚠ exact text; an empty value is invalid too, inferred).
func (c *call) scopes() (map[status]bool, *response) {
	var vals []string
	for k, vs := range c.q {
		if k == "scope" || k == "scope[]" || (strings.HasPrefix(k, "scope[") && hashKey.MatchString(k)) {
			vals = append(vals, vs...)
		}
	}
	if len(vals) == 0 {
		return nil, nil
	}
	set := map[status]bool{}
	for _, v := range vals {
		if !validStatus(v) {
			return nil, errorJSON(http.StatusBadRequest, "scope does not have a valid value")
		}
		set[status(v)] = true
	}
	return set, nil
}

// jobsDesc returns the jobs of list that pass keep, id descending.
func jobsDesc(list []*job, keep func(*job) bool) []*job {
	var out []*job
	for _, j := range list {
		if keep(j) {
			out = append(out, j)
		}
	}
	slices.SortFunc(out, func(a, b *job) int { return cmp.Compare(b.ID, a.ID) })
	return out
}

// jobsJSON is a 200 with rows as job entities.
func (c *call) jobsJSON(rows []*job) *response {
	out := make([]any, len(rows))
	for i, j := range rows {
		out[i] = c.rend.job(j)
	}
	return jsonResponse(http.StatusOK, out)
}

// listProjectJobs is GET /projects/:id/jobs (§5.1): builds only, retried
// included, id descending, offset pagination without counts, or keyset.
func (c *call) listProjectJobs() *response {
	scope, resp := c.scopes()
	if resp != nil {
		return resp
	}
	p, resp := c.project()
	if resp != nil {
		return resp
	}
	if !c.cred.canReadBuilds(p) {
		return forbidden()
	}
	if resp := c.s.throttleJobsList(c); resp != nil {
		return resp
	}
	rows := jobsDesc(p.jobs, func(j *job) bool { return !j.bridge && (scope == nil || scope[j.Status]) })
	defaults := map[string]string{"page": "1", "per_page": strconv.Itoa(defaultPerPage)}
	if c.q.Get("pagination") == "keyset" {
		page, set, resp := c.keysetJobs(rows, defaults)
		if resp != nil {
			return resp
		}
		r := c.jobsJSON(page)
		set(r)
		return r
	}
	return offsetAnswer(c, rows, false, defaults, c.jobsJSON)
}

// projectPipeline is the prologue of single-pipeline endpoints, after the
// caller has coerced :pipeline_id (400) and its other params: project (404),
// may (403), pipeline id inside it (404 "Not found", §5.2).
func (c *call) projectPipeline(id int64, may func(credential, *project) bool) (*project, *pipeline, *response) {
	p, resp := c.project()
	if resp != nil {
		return nil, nil, resp
	}
	if !may(c.cred, p) {
		return nil, nil, forbidden()
	}
	pl := c.s.pipes[id]
	if pl == nil || pl.project != p {
		return nil, nil, recordNotFound()
	}
	return p, pl, nil
}

// listPipelineJobs is GET /projects/:id/pipelines/:pipeline_id/jobs (§5.2).
func (c *call) listPipelineJobs() *response {
	pid, resp := c.intParam("pipeline_id")
	if resp != nil {
		return resp
	}
	scope, resp := c.scopes()
	if resp != nil {
		return resp
	}
	retried, _, resp := c.boolParam("include_retried")
	if resp != nil {
		return resp
	}
	p, pl, resp := c.projectPipeline(pid, credential.canReadPipelines)
	if resp != nil {
		return resp
	}
	var rows []*job
	if c.cred.canReadBuilds(p) { // else [] (the finder rescues AccessDeniedError)
		rows = jobsDesc(pl.jobs, func(j *job) bool {
			return !j.bridge && (retried || j.latest()) && (scope == nil || scope[j.Status])
		})
	}
	defaults := map[string]string{"include_retried": strconv.FormatBool(retried)}
	return offsetAnswer(c, rows, true, defaults, c.jobsJSON)
}

// listBridges is GET .../pipelines/:pipeline_id/bridges and /trigger_jobs (§5.3).
func (c *call) listBridges() *response {
	pid, resp := c.intParam("pipeline_id")
	if resp != nil {
		return resp
	}
	scope, resp := c.scopes()
	if resp != nil {
		return resp
	}
	_, pl, resp := c.projectPipeline(pid, credential.canReadBuilds)
	if resp != nil {
		return resp
	}
	rows := jobsDesc(pl.jobs, func(j *job) bool { return j.bridge && j.latest() && (scope == nil || scope[j.Status]) })
	return offsetAnswer(c, rows, true, nil, c.jobsJSON)
}

// jobOf resolves :job_id in p. builds=true is find_build! (bridges are 404);
// false is find_job! (§3).
func (c *call) jobOf(p *project, builds bool) (*job, *response) {
	id, resp := c.intParam("job_id")
	if resp != nil {
		return nil, resp
	}
	j := c.s.jobs[id]
	if j == nil || j.project() != p || (builds && j.bridge) {
		return nil, recordNotFound()
	}
	return j, nil
}

// projectJob is the prologue of every single-job endpoint, in GitLab's
// order: job_id coerced (400), project (404), may (403), job (404; see jobOf
// for builds).
func (c *call) projectJob(may func(credential, *project) bool, builds bool) (*project, *job, *response) {
	if _, resp := c.intParam("job_id"); resp != nil {
		return nil, nil, resp
	}
	p, resp := c.project()
	if resp != nil {
		return nil, nil, resp
	}
	if !may(c.cred, p) {
		return nil, nil, forbidden()
	}
	j, resp := c.jobOf(p, builds)
	return p, j, resp
}

// readableJob is the prologue of single-job GETs: read_build, builds only.
func (c *call) readableJob() (*job, *response) {
	_, j, resp := c.projectJob(credential.canReadBuilds, true)
	return j, resp
}

// getJob is GET /projects/:id/jobs/:job_id (§5.6).
func (c *call) getJob() *response {
	j, resp := c.readableJob()
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, c.rend.job(j))
}

// trace is GET /projects/:id/jobs/:job_id/trace (§5.7): the whole raw log
// as text/plain, empty (200) when there is none, with the validators Rails
// adds to a string body (tracehttp.go), and ranges and gzip as
// Options.Trace says.
func (c *call) trace() *response {
	j, resp := c.readableJob()
	if resp != nil {
		return resp
	}
	var body []byte
	if j.log != nil && j.ErasedAt == nil {
		body = j.log.content(c.now)
	}
	r := c.s.opts.Trace.answer(c.r, body, j.logETag.of(body), j.Status.completed())
	r.header.Set("Content-Disposition", `infile; filename="`+strconv.FormatInt(j.ID, 10)+`.log"`)
	return r
}

// currentJob is GET /job (§5.4).
func (c *call) currentJob() *response {
	return jsonResponse(http.StatusOK, c.rend.job(c.cred.job))
}

// allowedAgents is GET /job/allowed_agents (§5.5). The emulator has no
// agents: the list is empty. ⚠ The Gitlab-Feature-Flag header's value is
// unknown and not sent.
func (c *call) allowedAgents() *response {
	j := c.cred.job
	p := j.project()
	u := j.user
	if u == nil {
		u = c.s.demo
	}
	type idOnly struct {
		ID int64 `json:"id"`
	}
	return jsonResponse(http.StatusOK, map[string]any{
		"allowed_agents": []any{},
		"job":            idOnly{j.ID},
		"pipeline":       idOnly{j.pipeline.ID},
		"project":        map[string]any{"id": p.ID, "groups": []idOnly{{ID: 100 + p.ID}}},
		"user":           map[string]any{"id": u.ID, "username": u.Username, "roles_in_project": []string{"developer"}},
	})
}

// artifacts serves GET .../artifacts (the archive) and
// .../artifacts/*artifact_path (one file of it) (§11).
func (c *call) artifacts() *response {
	j, resp := c.readableJob()
	if resp != nil {
		return resp
	}
	if j.artifacts == nil {
		return message(http.StatusNotFound, "404 Not Found")
	}
	name, body := "artifacts.zip", j.artifacts.zip
	if c.rt == RouteArtifactFile {
		ap := c.params["artifact_path"]
		if clean := path.Clean(ap); clean != ap || strings.HasPrefix(ap, "/") || strings.Contains(ap, "..") {
			return message(http.StatusBadRequest, "400 Bad request") // ⚠ exact text unconfirmed
		}
		b, ok := j.artifacts.file(ap)
		if !ok {
			return message(http.StatusNotFound, "404 Not Found")
		}
		name, body = path.Base(ap), b
	} else if st := c.s.opts.ObjectStorage; st != nil {
		// present_carrierwave_file! redirects to the stored file (direct
		// download); Grape's redirect of a GET is a 302 with this text body.
		// One file of the archive goes through Workhorse instead (inferred:
		// send_artifacts_entry), so only the archive is redirected.
		loc := strings.TrimSuffix(c.s.opts.ObjectStorageURL, "/") + st.put(name, body)
		r := newResponse(http.StatusFound, "text/plain", []byte("This resource has been moved temporarily to "+loc+"."))
		r.header.Set("Location", loc)
		return r
	}
	// ⚠ GitLab serves these through Workhorse (or a redirect to object
	// storage); the exact Content-Type is not confirmed.
	r := newResponse(http.StatusOK, "application/octet-stream", body)
	r.header.Set("Content-Disposition", `attachment; filename="`+name+`"; filename*=UTF-8''`+name)
	return r
}

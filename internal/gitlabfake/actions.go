package gitlabfake

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The POST actions of gitlab-api.md §5.8 with the checks of §8.3, in
// GitLab's order.

// cancel is POST .../cancel: 201 with the job's current state, changed or
// not. A running job goes to canceling (graceful cancel: the runner still
// runs after_script) and to canceled cancelDelay later on the clock; other
// cancelable jobs, and manual ones, are canceled at once (§8.2).
func (c *call) cancel() *response {
	// Grape validates params in declaration order: job_id before the body,
	// so a bad job_id wins; projectJob then checks it again, in vain.
	if _, resp := c.intParam("job_id"); resp != nil {
		return resp
	}
	force, _, resp := c.boolParam("force")
	if resp != nil {
		return resp
	}
	p, j, resp := c.projectJob(credential.canUpdateBuilds, true)
	if resp != nil {
		return resp
	}
	if force && c.cred.access(p) < maintainer {
		return forbidden()
	}
	switch {
	case force && j.Status == statusCanceling:
		c.s.finishCancel(j, c.now)
	case force:
		// force_cancel applies to canceling jobs only: 201, unchanged (§8.3).
	case j.Status == statusRunning:
		c.s.setStatus(j, statusCanceling, c.now)
		j.cancelAt = c.now
		j.log = withTail(j.log, c.now, "\x1b[0;33mWARNING: Job was canceled, running after_script\x1b[0;m\n")
	case j.Status.cancelable() || j.Status == statusManual:
		c.s.setStatus(j, statusCanceled, c.now)
		j.FinishedAt = &c.now
	}
	return jsonResponse(http.StatusCreated, c.rend.job(j))
}

// finishCancel moves a canceling job to canceled.
func (s *Server) finishCancel(j *job, at time.Time) {
	s.setStatus(j, statusCanceled, at)
	j.FinishedAt = &at
	j.log = withTail(j.log, at, "\x1b[31;1mERROR: Job failed: canceled\x1b[0;m\n")
}

// retry is POST .../retry: 201 with a new job (§8.3, retryable?).
func (c *call) retry() *response {
	_, j, resp := c.projectJob(credential.canUpdateBuilds, false)
	if resp != nil {
		return resp
	}
	if !j.retryable() {
		return message(http.StatusForbidden, "403 Forbidden - Job is not retryable")
	}
	n := c.s.retryJob(j, c.cred.user, c.now, nil)
	return jsonResponse(http.StatusCreated, c.rend.job(n))
}

func (j *job) retryable() bool {
	return !j.retried && !j.Archived && j.Status.retryableStatus()
}

func (j *job) playable() bool {
	return (j.When == "manual" || j.When == "delayed") && !j.Archived &&
		(j.Status == statusManual || j.Status == statusScheduled || j.retryable())
}

// erasable? = completed and has artifacts or a log (§8.3).
func (j *job) erasable(now time.Time) bool {
	return j.Status.completed() && j.ErasedAt == nil && (j.artifacts != nil || j.hasLog(now))
}

// erase is POST .../erase: 201 with erased_at set and no artifacts (§8.3).
func (c *call) erase() *response {
	p, j, resp := c.projectJob(credential.canUpdateBuilds, true)
	if resp != nil {
		return resp
	}
	// erase_build: Maintainer, or a Developer who owns the job. ⚠ Archived
	// jobs are refused by policy (plain 403) as we read it; unconfirmed.
	owner := c.cred.user != nil && j.user != nil && j.user.ID == c.cred.user.ID
	if (c.cred.access(p) < maintainer && !owner) || j.Archived {
		return forbidden()
	}
	if !j.erasable(c.now) {
		return message(http.StatusForbidden, "403 Forbidden - Job is not erasable!")
	}
	j.artifacts = nil
	j.ArtifactsExpireAt = nil
	j.log = nil
	j.ErasedAt = &c.now
	j.erasedBy = c.cred.user
	j.pipeline.UpdatedAt = c.now
	return jsonResponse(http.StatusCreated, c.rend.job(j))
}

// play is POST .../play: 200 (not 201) with the job (§5.8, §8.3).
func (c *call) play() *response {
	// Grape validates params in declaration order: job_id before the body,
	// so a bad job_id wins; projectJob then checks it again, in vain.
	if _, resp := c.intParam("job_id"); resp != nil {
		return resp
	}
	vars, resp := c.jobVariables()
	if resp != nil {
		return resp
	}
	p, j, resp := c.projectJob(credential.canReadBuilds, false)
	if resp != nil {
		return resp
	}
	if !c.cred.canUpdateBuilds(p) {
		return forbidden()
	}
	if !j.playable() {
		return message(http.StatusBadRequest, "400 Bad request - Unplayable Job")
	}
	if j.Status == statusManual || j.Status == statusScheduled {
		j.variables = vars
		j.user = c.cred.user
		j.auto = true
		c.s.setStatus(j, statusPending, c.now)
		j.QueuedAt = &c.now
		return jsonResponse(http.StatusOK, c.rend.job(j))
	}
	// A finished manual job is retried; GitLab presents the original job
	// (inferred, ⚠ §8.3).
	c.s.retryJob(j, c.cred.user, c.now, vars)
	return jsonResponse(http.StatusOK, c.rend.job(j))
}

// jobVariables validates job_variables_attributes like Grape: every item
// needs key and value; all errors joined (§5.8).
func (c *call) jobVariables() ([]variable, *response) {
	var items []map[string]any
	switch v := c.body["job_variables_attributes"].(type) {
	case nil:
		items = c.formVariables()
	case []any:
		for _, it := range v {
			m, _ := it.(map[string]any)
			items = append(items, m)
		}
	default:
		return nil, errorJSON(http.StatusBadRequest, "job_variables_attributes is invalid")
	}
	var errs []string
	vars := make([]variable, 0, len(items))
	for i, it := range items {
		var v variable
		for _, f := range []struct {
			name string
			dst  *string
		}{{"key", &v.Key}, {"value", &v.Value}} {
			raw, ok := it[f.name]
			if !ok || raw == nil {
				errs = append(errs, fmt.Sprintf("job_variables_attributes[%d][%s] is missing", i, f.name))
				continue
			}
			*f.dst = fmt.Sprint(raw) // Grape coerces to String
		}
		vars = append(vars, v)
	}
	if len(errs) > 0 {
		return nil, errorJSON(http.StatusBadRequest, strings.Join(errs, ", "))
	}
	return vars, nil
}

// formVariables reads job_variables_attributes[N][key]=... from the query
// or a form body.
func (c *call) formVariables() []map[string]any {
	var items []map[string]any
	for k, vs := range c.q {
		rest, ok := strings.CutPrefix(k, "job_variables_attributes[")
		if !ok {
			continue
		}
		var i int
		var field string
		if _, err := fmt.Sscanf(strings.NewReplacer("][", " ", "]", "").Replace(rest), "%d %s", &i, &field); err != nil || i < 0 || i > 1000 {
			continue
		}
		for len(items) <= i {
			items = append(items, map[string]any{})
		}
		items[i][field] = vs[0]
	}
	return items
}

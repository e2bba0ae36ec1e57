package gitlabfake

import (
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The web stand-in pages answer at GitLab's web URL shapes (gitlab-api.md
// §12) with a page naming what GitLab would show there.
func TestWebPages(t *testing.T) {
	h := newHarness(t, Options{})
	info := h.srv.Info()
	project := info.Projects[0] // nested: demo/platform/api
	pipeline := strconv.FormatInt(info.PipelineID, 10)
	h.srv.mu.Lock()
	var jobID int64
	for _, j := range h.srv.pipes[info.PipelineID].jobs {
		jobID = j.ID
		break
	}
	otherProject := h.srv.projects[1].fullPath()
	h.srv.mu.Unlock()
	job := strconv.FormatInt(jobID, 10)

	cases := []struct {
		name, path string
		status     int
		want       []string
	}{
		{"a nested project's home names the project", "/" + project, 200, []string{`data-kind="project"`, `data-project="` + project + `"`}},
		{"a trailing slash is the same page", "/" + project + "/", 200, []string{`data-kind="project"`}},
		{"the project jobs list", "/" + project + "/-/jobs", 200, []string{`data-kind="jobs"`}},
		{"a job page names the job and its status", "/" + project + "/-/jobs/" + job, 200, []string{`data-kind="job"`, `data-id="` + job + `"`, "in pipeline #" + pipeline}},
		{"a job's raw log path is still the job", "/" + project + "/-/jobs/" + job + "/raw", 200, []string{`data-kind="job"`}},
		{"a pipeline page names its ref", "/" + project + "/-/pipelines/" + pipeline, 200, []string{`data-kind="pipeline"`, "Pipeline #" + pipeline}},
		{"a pipeline subpage is the pipeline", "/" + project + "/-/pipelines/" + pipeline + "/builds", 200, []string{`data-kind="pipeline"`}},
		{"a merge request is named by its iid", "/" + project + "/-/merge_requests/7", 200, []string{`data-kind="merge_request"`, "Merge request !7"}},
		{"another project subpage", "/" + project + "/-/commits/main", 200, []string{`data-kind="page"`}},
		{"a job of another project is not found", "/" + otherProject + "/-/jobs/" + job, 404, nil},
		{"an unknown pipeline is not found", "/" + project + "/-/pipelines/1", 404, nil},
		{"an unknown project is not found", "/nobody/nothing", 404, nil},
		{"the API is still the API", "/api/v4/user", 401, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := http.Get(h.ts.URL + c.path)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, c.status, resp.StatusCode, "%s", body)
			for _, w := range c.want {
				assert.Contains(t, string(body), w)
			}
			if c.status == 200 {
				assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
			}
		})
	}
}

// Project names and refs are untrusted text: the page escapes them.
func TestWebPageEscapesNames(t *testing.T) {
	h := newHarness(t, Options{})
	h.srv.mu.Lock()
	p := h.srv.projects[0]
	p.Name = `<script>alert(1)</script>`
	path := p.fullPath()
	h.srv.mu.Unlock()
	resp, err := http.Get(h.ts.URL + "/" + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.NotContains(t, string(body), "<script>")
	assert.Contains(t, string(body), "&lt;script&gt;")
}

package gitlabfake

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestActionsInEveryStatus runs each action of §5.8 on a job in each status
// of §8.1 and checks GitLab's answer from §8.3.
func TestActionsInEveryStatus(t *testing.T) {
	const (
		notRetryable = `{"message":"403 Forbidden - Job is not retryable"}`
		notErasable  = `{"message":"403 Forbidden - Job is not erasable!"}`
		unplayable   = `{"message":"400 Bad request - Unplayable Job"}`
	)
	cases := []struct {
		from        status
		afterCancel status // cancel is always 201
		retry       int
		erase       int
		play        int
	}{
		{statusCreated, statusCanceled, 403, 403, 400},
		{statusWaitingForResource, statusCanceled, 403, 403, 400},
		{statusPreparing, statusCanceled, 403, 403, 400},
		{statusWaitingForCallback, statusCanceled, 403, 403, 400},
		{statusPending, statusCanceled, 403, 403, 400},
		{statusRunning, statusCanceling, 403, 403, 400},
		{statusSuccess, statusSuccess, 201, 201, 400},
		{statusFailed, statusFailed, 201, 201, 400},
		{statusCanceling, statusCanceling, 201, 403, 400},
		{statusCanceled, statusCanceled, 201, 201, 400},
		{statusSkipped, statusSkipped, 403, 403, 400},
		{statusManual, statusCanceled, 403, 403, 200},
		{statusScheduled, statusCanceled, 403, 403, 200},
	}
	for _, tc := range cases {
		pick := func(h *harness) *job {
			return h.jobIn(tc.from, func(j *job) bool { return !j.bridge && (j.When != "manual" || tc.from == statusManual) })
		}
		t.Run("cancel of a "+string(tc.from)+" job answers 201 with "+string(tc.afterCancel), func(t *testing.T) {
			h := newHarness(t, Options{})
			j := pick(h)
			r := h.post("/api/v4/projects/7/jobs/"+itoa(j.ID)+"/cancel", "")
			require.Equal(t, 201, r.status, "%s", r.body)
			var got jobJSON
			r.json(t, &got)
			assert.Equal(t, j.ID, got.ID)
			assert.Equal(t, string(tc.afterCancel), got.Status)
		})
		t.Run("retry of a "+string(tc.from)+" job answers "+itoa(tc.retry), func(t *testing.T) {
			h := newHarness(t, Options{})
			j := pick(h)
			r := h.post("/api/v4/projects/7/jobs/"+itoa(j.ID)+"/retry", "")
			require.Equal(t, tc.retry, r.status, "%s", r.body)
			if tc.retry != 201 {
				assert.Equal(t, notRetryable, string(r.body))
				return
			}
			var got jobJSON
			r.json(t, &got)
			assert.Greater(t, got.ID, j.ID, "retry makes a new job with a new id")
			assert.Equal(t, "pending", got.Status)
			assert.Equal(t, j.Name, got.Name)
			var old jobJSON
			h.get("/api/v4/projects/7/jobs/"+itoa(j.ID)).json(t, &old)
			assert.Equal(t, string(tc.from), old.Status, "the old job keeps its status")
			again := h.post("/api/v4/projects/7/jobs/"+itoa(j.ID)+"/retry", "")
			assert.Equal(t, 403, again.status, "a retried job is not retryable twice")
			var pjobs []jobJSON
			h.get("/api/v4/projects/7/pipelines/"+itoa(got.Pipeline.ID)+"/jobs?per_page=100").json(t, &pjobs)
			for _, pj := range pjobs {
				assert.NotEqual(t, j.ID, pj.ID, "the retried job is hidden from pipeline jobs")
			}
		})
		t.Run("erase of a "+string(tc.from)+" job answers "+itoa(tc.erase), func(t *testing.T) {
			h := newHarness(t, Options{})
			j := pick(h)
			r := h.post("/api/v4/projects/7/jobs/"+itoa(j.ID)+"/erase", "")
			require.Equal(t, tc.erase, r.status, "%s", r.body)
			if tc.erase != 201 {
				assert.Equal(t, notErasable, string(r.body))
				return
			}
			var got jobJSON
			r.json(t, &got)
			assert.NotNil(t, got.ErasedAt)
			assert.Empty(t, got.Artifacts)
			trace := h.get("/api/v4/projects/7/jobs/" + itoa(j.ID) + "/trace")
			assert.Equal(t, 200, trace.status)
			assert.Empty(t, trace.body, "erase clears the log")
			assert.Equal(t, 404, h.get("/api/v4/projects/7/jobs/"+itoa(j.ID)+"/artifacts").status)
			assert.Equal(t, 403, h.post("/api/v4/projects/7/jobs/"+itoa(j.ID)+"/erase", "").status, "nothing left to erase")
		})
		t.Run("play of a "+string(tc.from)+" job answers "+itoa(tc.play), func(t *testing.T) {
			h := newHarness(t, Options{})
			j := pick(h)
			r := h.post("/api/v4/projects/7/jobs/"+itoa(j.ID)+"/play", `{"job_variables_attributes":[{"key":"K","value":"V"}]}`)
			require.Equal(t, tc.play, r.status, "%s", r.body)
			if tc.play != 200 {
				assert.Equal(t, unplayable, string(r.body))
				return
			}
			var got jobJSON
			r.json(t, &got)
			assert.Equal(t, j.ID, got.ID)
			assert.Equal(t, "pending", got.Status)
			h.srv.mu.Lock()
			assert.Equal(t, []variable{{Key: "K", Value: "V"}}, j.variables)
			h.srv.mu.Unlock()
		})
	}
}

func TestActionDetails(t *testing.T) {
	t.Run("play validates every variable and runs nothing on error (§5.8)", func(t *testing.T) {
		h := newHarness(t, Options{})
		j := h.jobIn(statusManual, nil)
		r := h.post("/api/v4/projects/7/jobs/"+itoa(j.ID)+"/play", `{"job_variables_attributes":[{"key":"A","value":"1"},{"value":"2"}]}`)
		assert.Equal(t, 400, r.status)
		assert.Equal(t, `{"error":"job_variables_attributes[1][key] is missing"}`, string(r.body))
		assert.Equal(t, statusManual, h.jobIn(statusManual, func(o *job) bool { return o == j }).Status)
	})
	t.Run("play takes form-encoded variables too", func(t *testing.T) {
		h := newHarness(t, Options{})
		j := h.jobIn(statusManual, nil)
		r := h.do("POST", "/api/v4/projects/7/jobs/"+itoa(j.ID)+"/play?job_variables_attributes[0][key]=X&job_variables_attributes[0][value]=Y", "",
			"PRIVATE-TOKEN", DefaultToken)
		require.Equal(t, 200, r.status, "%s", r.body)
		h.srv.mu.Lock()
		assert.Equal(t, []variable{{Key: "X", Value: "Y"}}, j.variables)
		h.srv.mu.Unlock()
	})
	t.Run("play of a finished manual job retries it and presents the original (§8.3)", func(t *testing.T) {
		h := newHarness(t, Options{})
		j := h.jobIn(statusSuccess, func(j *job) bool { return j.When == "manual" })
		before := len(h.allJobs())
		r := h.post("/api/v4/projects/7/jobs/"+itoa(j.ID)+"/play", "")
		require.Equal(t, 200, r.status, "%s", r.body)
		var got jobJSON
		r.json(t, &got)
		assert.Equal(t, j.ID, got.ID)
		assert.Len(t, h.allJobs(), before+1)
	})
	t.Run("cancel with force needs a canceling job and turns it canceled (§8.3)", func(t *testing.T) {
		h := newHarness(t, Options{})
		j := h.jobIn(statusCanceling, nil)
		var got jobJSON
		h.post("/api/v4/projects/7/jobs/"+itoa(j.ID)+"/cancel?force=true", "").json(t, &got)
		assert.Equal(t, "canceled", got.Status)
		r := h.jobIn(statusRunning, nil)
		h.post("/api/v4/projects/7/jobs/"+itoa(r.ID)+"/cancel", `{"force":true}`).json(t, &got)
		assert.Equal(t, "running", got.Status, "force on a running job changes nothing")
	})
	t.Run("a canceling job becomes canceled after a while on the clock (§8.2)", func(t *testing.T) {
		h := newHarness(t, Options{})
		j := h.jobIn(statusRunning, nil)
		var got jobJSON
		h.post("/api/v4/projects/7/jobs/"+itoa(j.ID)+"/cancel", "").json(t, &got)
		require.Equal(t, "canceling", got.Status)
		h.clock.Advance(cancelDelay)
		h.get("/api/v4/projects/7/jobs/"+itoa(j.ID)).json(t, &got)
		assert.Equal(t, "canceled", got.Status)
		assert.NotNil(t, got.FinishedAt)
	})
	t.Run("retry resets skipped jobs of later stages", func(t *testing.T) {
		h := newHarness(t, Options{})
		f := h.jobIn(statusFailed, func(j *job) bool {
			for _, o := range j.pipeline.jobs {
				if o.Status == statusSkipped {
					return !j.AllowFailure
				}
			}
			return false
		})
		require.Equal(t, 201, h.post("/api/v4/projects/7/jobs/"+itoa(f.ID)+"/retry", "").status)
		var js []jobJSON
		h.get("/api/v4/projects/7/pipelines/"+itoa(f.pipeline.ID)+"/jobs?scope=skipped").json(t, &js)
		assert.Empty(t, js)
	})
}

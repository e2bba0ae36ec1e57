package gitlabfake

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// gitLabStatuses is Ci::HasStatus::AVAILABLE_STATUSES, copied from GitLab's
// app/models/concerns/ci/has_status.rb (gitlab-org/gitlab, since
// waiting_for_callback and canceling joined it), in its order: the 13 values
// a job's status takes and the jobs API's scope[] accepts (§8.1). Older
// GitLab has 11 (without those two); the client shows both as known.
var gitLabStatuses = []string{
	"created", "waiting_for_resource", "preparing", "waiting_for_callback",
	"pending", "running", "success", "failed", "canceling",
	"canceled", "skipped", "manual", "scheduled",
}

// The emulator and the client must agree on GitLab's statuses: a status one
// side adds or drops fails here, not in a browser test.
func TestStatusesAgreeWithTheClientAndGitLab(t *testing.T) {
	var emulator, client []string
	for _, s := range allStatuses {
		emulator = append(emulator, string(s))
	}
	for _, s := range gitlab.Statuses {
		client = append(client, string(s))
	}
	require.Len(t, gitLabStatuses, 13)
	assert.Equal(t, gitLabStatuses, emulator, "the emulator's statuses are GitLab's, in GitLab's order")
	assert.Equal(t, gitLabStatuses, client, "the client's statuses are GitLab's, in GitLab's order")

	for _, s := range allStatuses {
		c := gitlab.Status(s)
		assert.True(t, c.Known(), "%s: the client knows it", s)
		assert.Equal(t, s.active(), c.Active(), "%s: active (§8.1)", s)
		assert.Equal(t, s.completed(), c.Completed(), "%s: completed (§8.1)", s)
		assert.Equal(t, s.cancelable(), c.Cancelable(), "%s: cancelable (§8.1)", s)
		assert.Equal(t, s.retryableStatus(), c.Retryable(), "%s: retryable by status (§8.3)", s)
	}
}

// What the emulator serves, not only what it declares: the richest demo
// project has jobs in all 13 statuses (README.md), and the client knows each.
func TestTheDemoServesEveryStatusTheClientKnows(t *testing.T) {
	h := newHarness(t, Options{})
	seen := map[gitlab.Status]bool{}
	for _, j := range h.allJobs() {
		s := gitlab.Status(j.Status)
		assert.True(t, s.Known(), "job %d: status %q unknown to the client", j.ID, j.Status)
		seen[s] = true
	}
	for _, s := range gitlab.Statuses {
		assert.True(t, seen[s], "no demo job in status %s", s)
	}
}

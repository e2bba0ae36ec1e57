package app

import (
	"testing"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/stretchr/testify/assert"
)

func TestSeenJobs(t *testing.T) {
	var s seenJobs
	_, ok := s.lookup("https://a.example", 1)
	assert.False(t, ok, "nothing seen yet")

	s.remember("https://a.example", []gitlab.Job{seenJob(1, gitlab.StatusFailed), seenJob(2, gitlab.StatusRunning)})
	s.remember("https://b.example", []gitlab.Job{seenJob(1, gitlab.StatusSuccess)})
	got, ok := s.lookup("https://a.example", 1)
	assert.True(t, ok)
	assert.Equal(t, gitlab.StatusFailed, got.Status, "each instance keeps its own job 1")
	got, _ = s.lookup("https://b.example", 1)
	assert.Equal(t, gitlab.StatusSuccess, got.Status)

	s.remember("https://a.example", []gitlab.Job{seenJob(2, gitlab.StatusSuccess)})
	got, _ = s.lookup("https://a.example", 2)
	assert.Equal(t, gitlab.StatusSuccess, got.Status, "the newer list wins")

	many := make([]gitlab.Job, seenMax)
	for i := range many {
		many[i] = seenJob(int64(100+i), gitlab.StatusSuccess)
	}
	s.remember("https://a.example", many)
	_, ok = s.lookup("https://a.example", 1)
	assert.False(t, ok, "past seenMax the memo starts again")
	_, ok = s.lookup("https://a.example", 100)
	assert.True(t, ok, "with the list that filled it")
}

// TestSettled: only a status a job keeps for good lets its log skip asking
// GitLab for the job (gitlab-api.md §8.3).
func TestSettled(t *testing.T) {
	want := map[gitlab.Status]bool{
		gitlab.StatusSuccess: true, gitlab.StatusFailed: true,
		gitlab.StatusCreated: false, gitlab.StatusWaitingForResource: false, gitlab.StatusPreparing: false,
		gitlab.StatusWaitingForCallback: false, gitlab.StatusPending: false, gitlab.StatusRunning: false,
		gitlab.StatusCanceling: false, gitlab.StatusCanceled: false, gitlab.StatusSkipped: false,
		gitlab.StatusManual: false, gitlab.StatusScheduled: false, "some-new-status": false,
	}
	for _, status := range gitlab.Statuses {
		assert.Contains(t, want, status, "every status is in the table")
	}
	for status, w := range want {
		assert.Equal(t, w, settled(status), status)
	}
}

func seenJob(id int64, status gitlab.Status) gitlab.Job {
	var j gitlab.Job
	j.ID, j.Status = id, status
	return j
}

package app

import (
	"sync"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// seenJobs are the jobs the lists showed last, by instance and id: a job
// opened from a list shows its header at once, and the log of a job whose
// status is final asks for its trace without waiting for the job first
// (issue 12: the failed job's end, one round trip sooner).
type seenJobs struct {
	mu   sync.Mutex
	jobs map[seenKey]gitlab.Job
}

type seenKey struct {
	base string
	id   int64
}

// seenMax bounds the memo: past it, it starts again (a list of 100 jobs
// polled all day must not grow it without end).
const seenMax = 5000

// remember keeps jobs as a list of the instance at base showed them.
func (s *seenJobs) remember(base string, jobs []gitlab.Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.jobs == nil || len(s.jobs)+len(jobs) > seenMax {
		s.jobs = make(map[seenKey]gitlab.Job, len(jobs))
	}
	for _, j := range jobs {
		s.jobs[seenKey{base, j.ID}] = j
	}
}

// lookup returns the job with id as last seen on the instance at base.
func (s *seenJobs) lookup(base string, id int64) (gitlab.Job, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[seenKey{base, id}]
	return j, ok
}

// settled reports whether status is one a job keeps for good: a retry,
// and a play of a finished manual job, make a new job and leave the old
// one's status as it was (gitlab-api.md §8.3), so a failed or succeeded
// job stays so. Any other status is asked for (a retry, for one, resets
// the skipped jobs after it: §8.3).
func settled(status gitlab.Status) bool {
	return status == gitlab.StatusFailed || status == gitlab.StatusSuccess
}

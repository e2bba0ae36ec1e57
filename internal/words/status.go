package words

import (
	"strings"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// Status is how a status reads in a list: GitLab's words, spaced.
func Status(s gitlab.Status) string {
	if s == "" {
		return "unknown"
	}
	return strings.ReplaceAll(string(s), "_", " ")
}

// FailureReason says a failure reason (gitlab-api.md §6.1) as a person
// would; a reason this table does not know is shown as GitLab's words,
// spaced.
func FailureReason(r gitlab.FailureReason) string {
	switch r {
	case gitlab.FailureScript:
		return "the script failed (a command exited with an error)"
	case gitlab.FailureStuckOrTimeout:
		return "it was stuck or timed out waiting for a runner"
	case gitlab.FailureRunnerSystem:
		return "the runner had a system failure"
	case gitlab.FailureJobExecTimeout:
		return "it ran longer than its timeout"
	case gitlab.FailureAPI:
		return "GitLab's API failed"
	case gitlab.FailureUnknown:
		return "unknown failure"
	case "missing_dependency_failure":
		return "a job it needs has no artifacts (expired or erased)"
	case "runner_unsupported":
		return "the runner does not support what the job needs"
	case "archived_failure":
		return "the job is archived"
	case "unmet_prerequisites":
		return "its prerequisites were not met"
	case "scheduler_failure":
		return "the scheduler failed"
	case "data_integrity_failure":
		return "data integrity failure"
	}
	return strings.ReplaceAll(string(r), "_", " ")
}

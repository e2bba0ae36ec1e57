package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// statusWord is how a status reads in a list: GitLab's words, spaced.
func statusWord(s gitlab.Status) string {
	if s == "" {
		return "unknown"
	}
	return strings.ReplaceAll(string(s), "_", " ")
}

// statusClass is the CSS class of a status icon: one of a fixed set, so a
// status string from GitLab never becomes an arbitrary class name.
func statusClass(s gitlab.Status) string {
	switch s {
	case gitlab.StatusSuccess:
		return "st-success"
	case gitlab.StatusFailed:
		return "st-failed"
	case gitlab.StatusRunning, gitlab.StatusCanceling:
		return "st-running"
	case gitlab.StatusPending, gitlab.StatusCreated, gitlab.StatusWaitingForResource,
		gitlab.StatusPreparing, gitlab.StatusWaitingForCallback:
		return "st-pending"
	case gitlab.StatusCanceled, gitlab.StatusSkipped:
		return "st-neutral"
	case gitlab.StatusManual, gitlab.StatusScheduled:
		return "st-manual"
	}
	return "st-unknown"
}

// formatDuration writes seconds as "45s", "3m 05s" or "2h 03m".
func formatDuration(sec float64) string {
	d := time.Duration(sec * float64(time.Second)).Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
}

// ago writes how long before now t was: "just now", "5 min ago", "3 h ago",
// "2 days ago", or the date beyond a month.
func ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 45*time.Second:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Round(time.Minute).Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	case d < 48*time.Hour:
		return "yesterday"
	case d < 30*24*time.Hour:
		return fmt.Sprintf("%d days ago", int(d.Hours()/24))
	}
	return t.Format("2 Jan 2006")
}

// jobTiming is the duration cell of a job row: the duration of a job that
// ran, the elapsed time of a running one (GitLab's duration grows while it
// runs, §6.1), or the time waiting in the queue.
func jobTiming(j gitlab.Job, now time.Time) string {
	switch {
	case j.Status.Executing() && j.StartedAt != nil:
		return formatDuration(now.Sub(*j.StartedAt).Seconds()) + " so far"
	case j.Duration != nil:
		return formatDuration(*j.Duration)
	case j.Status.Active():
		return "waiting " + formatDuration(now.Sub(j.CreatedAt).Seconds())
	}
	return ""
}

// jobAction is the one action a job row offers for its state.
type jobAction int

const (
	actionNone jobAction = iota
	actionCancel
	actionRetry
	actionPlay
)

func (a jobAction) label() string {
	return [...]string{"", "Cancel", "Retry", "Run"}[a]
}

func actionFor(j gitlab.Job) jobAction {
	switch {
	case j.Status == gitlab.StatusManual:
		return actionPlay
	case j.Status.Cancelable():
		return actionCancel
	case j.Status.Retryable() && !j.Archived:
		return actionRetry
	}
	return actionNone
}

// matchesFilter reports whether the job's name or ref contains q, ignoring
// case; the filter applies to what is loaded (issue 4).
func matchesFilter(j gitlab.Job, q string) bool {
	if q == "" {
		return true
	}
	q = strings.ToLower(q)
	return strings.Contains(strings.ToLower(j.Name), q) || strings.Contains(strings.ToLower(j.Ref), q)
}

// projectRef turns a route's project into the client's reference.
func projectRef(p string) (gitlab.ProjectRef, error) {
	return gitlab.ParseProjectRef(p)
}

// projectClient is the client of instance in and the reference of project,
// or, when either cannot be had, the problem to show in words.
func (e *Env) projectClient(in Instance, project string) (*gitlab.Client, gitlab.ProjectRef, string) {
	client, err := e.Client(in)
	if err != nil {
		return nil, gitlab.ProjectRef{}, describe(err, in)
	}
	ref, err := projectRef(project)
	if err != nil {
		return nil, gitlab.ProjectRef{}, "“" + project + "” is not a project id or path."
	}
	return client, ref, ""
}

// showControls makes invisible bidi and direction controls in untrusted text
// visible ("invoice[U+202E]gnp.exe"), so a name cannot pose as another. The
// CSS also isolates such text, so nothing leaks into its neighbours.
func showControls(s string) string {
	if !strings.ContainsFunc(s, isDirectionControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isDirectionControl(r) {
			fmt.Fprintf(&b, "[U+%04X]", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isDirectionControl(r rune) bool {
	return r == '\u061C' || r == '\u200E' || r == '\u200F' ||
		(r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// failureWords says a failure reason (gitlab-api.md §6.1) as a person would;
// a reason this table does not know is shown as GitLab's words, spaced.
func failureWords(r gitlab.FailureReason) string {
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

// formatSize writes bytes as "512 B", "1.5 KiB", "20.0 MiB".
func formatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

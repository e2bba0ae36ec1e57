package gitlab

import (
	"fmt"
	"math/bits"
	"strings"
)

// Status is a job's (or pipeline's) status, gitlab-api.md §8.1. A status this
// package does not know decodes as is: Known reports false and the group
// predicates report false, so a newer GitLab's state shows instead of failing.
type Status string

// The 13 statuses of gitlab-api.md §8.1, in GitLab's order.
const (
	StatusCreated            Status = "created"
	StatusWaitingForResource Status = "waiting_for_resource"
	StatusPreparing          Status = "preparing"
	StatusWaitingForCallback Status = "waiting_for_callback" // recent; older GitLab rejects it as a scope
	StatusPending            Status = "pending"
	StatusRunning            Status = "running"
	StatusSuccess            Status = "success"
	StatusFailed             Status = "failed"
	StatusCanceling          Status = "canceling" // recent; cancel requested, after_script still running
	StatusCanceled           Status = "canceled"
	StatusSkipped            Status = "skipped"
	StatusManual             Status = "manual"
	StatusScheduled          Status = "scheduled"
)

// Statuses lists every known status in GitLab's order.
var Statuses = []Status{
	StatusCreated, StatusWaitingForResource, StatusPreparing, StatusWaitingForCallback,
	StatusPending, StatusRunning, StatusSuccess, StatusFailed, StatusCanceling,
	StatusCanceled, StatusSkipped, StatusManual, StatusScheduled,
}

// Known reports whether s is one of the 13 statuses of §8.1.
func (s Status) Known() bool { return s.bit() != 0 }

// Active: queued or running, not yet finished (§8.1 "active").
func (s Status) Active() bool { return ScopeActive.Has(s) }

// Completed: success, failed, canceled or skipped (§8.1 "completed").
// A completed job will not change unless retried.
func (s Status) Completed() bool { return ScopeCompleted.Has(s) }

// Finished is Completed: the job will not change on its own, so a viewer
// can stop polling its log.
func (s Status) Finished() bool { return s.Completed() }

// Unfinished: the job will change without anyone acting on it: created,
// active (§8.1), canceling, or scheduled (it starts at its time). A manual
// job waits for a person and an unknown status is not assumed to move, so
// neither is unfinished: a viewer polls a list while it holds one that is.
func (s Status) Unfinished() bool { return ScopeUnfinished.Has(s) }

// Blocked: waiting for a person or a time (manual, scheduled).
func (s Status) Blocked() bool { return ScopeBlocked.Has(s) }

// Executing: a runner is working on it (running, canceling).
func (s Status) Executing() bool { return ScopeExecuting.Has(s) }

// Cancelable: cancel moves it towards canceled (§8.1). Cancel on any other
// status still answers 201 with the job unchanged (§8.3).
func (s Status) Cancelable() bool { return ScopeCancelable.Has(s) }

// Retryable: the status allows retry (§8.3 retryable?). GitLab also refuses
// jobs already retried or archived, which the status alone does not show.
func (s Status) Retryable() bool { return ScopeRetryable.Has(s) }

// Erasable: the status allows erase (§8.3 erasable?: completed); GitLab also
// needs a log or artifacts and a non-archived job.
func (s Status) Erasable() bool { return s.Completed() }

func (s Status) bit() ScopeSet {
	for i, k := range Statuses {
		if s == k {
			return 1 << i
		}
	}
	return 0
}

// ScopeSet is a set of job statuses for the scope filter of job lists
// (gitlab-api.md §5.1-5.3). Combine the Scope* constants with |; build one
// from strings with ParseScopeSet. The zero set means no filter (all jobs).
// Bits beyond the 13 known statuses are invalid, and a list call rejects
// them before sending anything.
type ScopeSet uint16

// One scope per status, plus the groups of §8.1.
const (
	ScopeCreated ScopeSet = 1 << iota
	ScopeWaitingForResource
	ScopePreparing
	ScopeWaitingForCallback
	ScopePending
	ScopeRunning
	ScopeSuccess
	ScopeFailed
	ScopeCanceling
	ScopeCanceled
	ScopeSkipped
	ScopeManual
	ScopeScheduled

	scopeAll = 1<<iota - 1

	ScopeActive     = ScopeWaitingForResource | ScopePreparing | ScopeWaitingForCallback | ScopePending | ScopeRunning
	ScopeCompleted  = ScopeSuccess | ScopeFailed | ScopeCanceled | ScopeSkipped
	ScopeBlocked    = ScopeManual | ScopeScheduled
	ScopeExecuting  = ScopeRunning | ScopeCanceling
	ScopeCancelable = ScopeCreated | ScopeWaitingForResource | ScopePreparing | ScopeWaitingForCallback | ScopePending | ScopeRunning | ScopeScheduled
	ScopeRetryable  = ScopeSuccess | ScopeFailed | ScopeCanceled | ScopeCanceling
	ScopeUnfinished = ScopeCreated | ScopeActive | ScopeCanceling | ScopeScheduled
)

// ScopeSetOf returns the set of the given statuses, or an ErrInvalidArgument
// error naming the first unknown one.
func ScopeSetOf(statuses ...Status) (ScopeSet, error) {
	var set ScopeSet
	for _, s := range statuses {
		b := s.bit()
		if b == 0 {
			return 0, fmt.Errorf("%w: unknown job status %q for scope", ErrInvalidArgument, s)
		}
		set |= b
	}
	return set, nil
}

// ParseScopeSet reads status names, each possibly comma-separated
// ("running,pending"), as from a URL or a form. Empty names are skipped;
// unknown ones are an ErrInvalidArgument error.
func ParseScopeSet(names ...string) (ScopeSet, error) {
	var set ScopeSet
	for _, n := range names {
		for f := range strings.SplitSeq(n, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			s, err := ScopeSetOf(Status(f))
			if err != nil {
				return 0, err
			}
			set |= s
		}
	}
	return set, nil
}

// Has reports whether s is in the set.
func (set ScopeSet) Has(s Status) bool { b := s.bit(); return b != 0 && set&b != 0 }

// Len is the number of statuses in the set.
func (set ScopeSet) Len() int { return bits.OnesCount16(uint16(set & scopeAll)) }

// Statuses lists the set's statuses in GitLab's order.
func (set ScopeSet) Statuses() []Status {
	out := make([]Status, 0, set.Len())
	for i, s := range Statuses {
		if set&(1<<i) != 0 {
			out = append(out, s)
		}
	}
	return out
}

// String is the comma-separated status list, as ParseScopeSet reads it.
func (set ScopeSet) String() string {
	var b strings.Builder
	for i, s := range set.Statuses() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(s))
	}
	if extra := set &^ scopeAll; extra != 0 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "!invalid(%#x)", uint16(extra))
	}
	return b.String()
}

func (set ScopeSet) validate() error {
	if extra := set &^ scopeAll; extra != 0 {
		return fmt.Errorf("%w: scope set has unknown bits %#x", ErrInvalidArgument, uint16(extra))
	}
	return nil
}

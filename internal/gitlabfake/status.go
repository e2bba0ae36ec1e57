package gitlabfake

// status is a job or pipeline status (gitlab-api.md §8.1).
type status string

const (
	statusCreated            status = "created"
	statusWaitingForResource status = "waiting_for_resource"
	statusPreparing          status = "preparing"
	statusWaitingForCallback status = "waiting_for_callback"
	statusPending            status = "pending"
	statusRunning            status = "running"
	statusSuccess            status = "success"
	statusFailed             status = "failed"
	statusCanceling          status = "canceling"
	statusCanceled           status = "canceled"
	statusSkipped            status = "skipped"
	statusManual             status = "manual"
	statusScheduled          status = "scheduled"
)

// allStatuses is CommitStatus::AVAILABLE_STATUSES, the values `scope` accepts
// (gitlab-api.md §5.1, §8.1), in GitLab's order.
var allStatuses = []status{
	statusCreated, statusWaitingForResource, statusPreparing, statusWaitingForCallback,
	statusPending, statusRunning, statusSuccess, statusFailed, statusCanceling,
	statusCanceled, statusSkipped, statusManual, statusScheduled,
}

func validStatus(s string) bool {
	for _, v := range allStatuses {
		if string(v) == s {
			return true
		}
	}
	return false
}

// The groups of gitlab-api.md §8.1.
func (s status) active() bool {
	switch s {
	case statusWaitingForResource, statusPreparing, statusWaitingForCallback, statusPending, statusRunning:
		return true
	}
	return false
}

func (s status) completed() bool {
	switch s {
	case statusSuccess, statusFailed, statusCanceled, statusSkipped:
		return true
	}
	return false
}

func (s status) cancelable() bool {
	switch s {
	case statusCreated, statusWaitingForResource, statusPreparing, statusWaitingForCallback,
		statusPending, statusRunning, statusScheduled:
		return true
	}
	return false
}

// retryableStatus is the status part of retryable? (gitlab-api.md §8.3).
func (s status) retryableStatus() bool {
	switch s {
	case statusSuccess, statusFailed, statusCanceled, statusCanceling:
		return true
	}
	return false
}

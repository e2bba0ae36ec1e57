package gitlab

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The groups of gitlab-api.md §8.1 and the retryable statuses of §8.3.
func TestStatusGroups(t *testing.T) {
	type groups struct{ active, completed, blocked, executing, cancelable, retryable, unfinished bool }
	cases := []struct {
		status Status
		want   groups
	}{
		{StatusCreated, groups{cancelable: true, unfinished: true}},
		{StatusWaitingForResource, groups{active: true, cancelable: true, unfinished: true}},
		{StatusPreparing, groups{active: true, cancelable: true, unfinished: true}},
		{StatusWaitingForCallback, groups{active: true, cancelable: true, unfinished: true}},
		{StatusPending, groups{active: true, cancelable: true, unfinished: true}},
		{StatusRunning, groups{active: true, executing: true, cancelable: true, unfinished: true}},
		{StatusSuccess, groups{completed: true, retryable: true}},
		{StatusFailed, groups{completed: true, retryable: true}},
		{StatusCanceling, groups{executing: true, retryable: true, unfinished: true}},
		{StatusCanceled, groups{completed: true, retryable: true}},
		{StatusSkipped, groups{completed: true}},
		{StatusManual, groups{blocked: true}},
		{StatusScheduled, groups{blocked: true, cancelable: true, unfinished: true}},
		{"some_future_status", groups{}},
	}
	require.Len(t, Statuses, 13)
	for _, tc := range cases {
		t.Run(string(tc.status), func(t *testing.T) {
			s := tc.status
			got := groups{s.Active(), s.Completed(), s.Blocked(), s.Executing(), s.Cancelable(), s.Retryable(), s.Unfinished()}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, s.Completed(), s.Finished())
			assert.Equal(t, s.Completed(), s.Erasable())
			assert.Equal(t, s != "some_future_status", s.Known())
		})
	}
}

func TestAnUnknownStatusDecodes(t *testing.T) {
	var j Job
	require.NoError(t, json.Unmarshal([]byte(`{"id":1,"status":"waiting_for_approval"}`), &j))
	assert.Equal(t, Status("waiting_for_approval"), j.Status)
	assert.False(t, j.Status.Known())
}

func TestScopeSets(t *testing.T) {
	cases := []struct {
		name  string
		in    []string
		want  ScopeSet
		str   string
		isBad bool
	}{
		{"one status", []string{"running"}, ScopeRunning, "running", false},
		{"statuses in any order come out in GitLab's order", []string{"success", "created"}, ScopeCreated | ScopeSuccess, "created,success", false},
		{"comma-separated values and repeats", []string{"pending, running", "pending"}, ScopePending | ScopeRunning, "pending,running", false},
		{"empty parts are skipped", []string{"", " , "}, 0, "", false},
		{"every status", []string{"created,waiting_for_resource,preparing,waiting_for_callback,pending,running,success,failed,canceling,canceled,skipped,manual,scheduled"}, scopeAll,
			"created,waiting_for_resource,preparing,waiting_for_callback,pending,running,success,failed,canceling,canceled,skipped,manual,scheduled", false},
		{"an unknown status is refused", []string{"running", "runing"}, 0, "", true},
		{"case matters, as in GitLab", []string{"Running"}, 0, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseScopeSet(tc.in...)
			if tc.isBad {
				require.ErrorIs(t, err, ErrInvalidArgument)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.str, got.String())
			again, err := ParseScopeSet(got.String())
			require.NoError(t, err)
			assert.Equal(t, got, again, "String round-trips")
			assert.Equal(t, len(got.Statuses()), got.Len())
			for _, s := range got.Statuses() {
				assert.True(t, got.Has(s))
			}
		})
	}
}

func TestScopeSetOfRefusesUnknownStatuses(t *testing.T) {
	s, err := ScopeSetOf(StatusFailed, StatusManual)
	require.NoError(t, err)
	assert.Equal(t, ScopeFailed|ScopeManual, s)
	_, err = ScopeSetOf(StatusFailed, "bogus")
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.Contains(t, err.Error(), `"bogus"`)
}

func TestAnInvalidScopeBitShowsAndIsRefused(t *testing.T) {
	s := ScopeRunning | 1<<14
	assert.Equal(t, "running,!invalid(0x4000)", s.String())
	assert.ErrorIs(t, s.validate(), ErrInvalidArgument)
	assert.False(t, s.Has("bogus"))
}

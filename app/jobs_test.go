package app

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/stretchr/testify/assert"
)

func TestActionForFitsTheState(t *testing.T) {
	cases := []struct {
		status   gitlab.Status
		archived bool
		want     jobAction
	}{
		{gitlab.StatusManual, false, actionPlay},
		{gitlab.StatusRunning, false, actionCancel},
		{gitlab.StatusPending, false, actionCancel},
		{gitlab.StatusFailed, false, actionRetry},
		{gitlab.StatusSuccess, false, actionRetry},
		{gitlab.StatusFailed, true, actionNone},
		{gitlab.Status("some_new_state"), false, actionNone},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("a %s job (archived %v)", tc.status, tc.archived), func(t *testing.T) {
			j := gitlab.Job{JobBasic: gitlab.JobBasic{Status: tc.status}, Archived: tc.archived}
			assert.Equal(t, tc.want, actionFor(j))
		})
	}
}

func TestStatusClassIsFromAFixedSet(t *testing.T) {
	for _, s := range append(gitlab.Statuses, `x" onmouseover="alert(1)`, "") {
		assert.True(t, strings.HasPrefix(statusClass(s), "st-") && !strings.ContainsAny(statusClass(s), ` "'<>`), "class for %q", s)
	}
}

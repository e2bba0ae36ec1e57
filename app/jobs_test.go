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

func TestTheEndlessListStopsWhenAPageBringsNothingNew(t *testing.T) {
	cases := []struct {
		name       string
		prev, next string
		n          int
		wantNext   string
	}{
		{"a full page with a new cursor goes on", "a", "b", 50, "b"},
		{"the first page with a cursor goes on", "", "a", 50, "a"},
		{"an empty page that still carries a cursor stops", "a", "b", 0, ""},
		{"a page whose cursor did not move stops", "a", "a", 50, ""},
		{"the last page stops", "a", "", 10, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.wantNext, nextCursor(tc.prev, tc.n, tc.next))
		})
	}
}

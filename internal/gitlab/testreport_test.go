//go:build !js

package gitlab

import (
	"context"
	"errors"
	"testing"

	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The test report calls against the emulator (gitlab-api.md §14).

func (e *emu) testsJobs(t *testing.T) (ProjectRef, int64, map[string]Job) {
	t.Helper()
	path, pid := e.fake.TestsPipeline()
	ref := ProjectPath(path)
	jobs, _, err := e.c.ListPipelineJobs(context.Background(), ref, pid, ListPipelineJobsOptions{})
	require.NoError(t, err)
	byName := map[string]Job{}
	for _, j := range jobs {
		byName[j.Name] = j
	}
	return ref, pid, byName
}

// TestTestReportSummaryFindsEachJobsSuite: §14.1, §14.2: by build id, the
// parallel jobs' shared suite; a job being parsed has none yet, but lists
// its junit artifact; a suite error comes through.
func TestTestReportSummaryFindsEachJobsSuite(t *testing.T) {
	e := newEmu(t)
	ref, pid, jobs := e.testsJobs(t)
	s, err := e.c.TestReportSummary(context.Background(), ref, pid)
	require.NoError(t, err)

	one, ok := s.SuiteOf(jobs["unit-tests 1/2"].ID, "unit-tests 1/2")
	require.True(t, ok)
	two, ok := s.SuiteOf(jobs["unit-tests 2/2"].ID, "unit-tests 2/2")
	require.True(t, ok)
	assert.Equal(t, "unit-tests", one.Name)
	assert.Equal(t, one, two, "parallel jobs share their suite")
	assert.Positive(t, one.FailedCount)

	_, ok = s.SuiteOf(jobs["integration-tests"].ID, "integration-tests")
	assert.False(t, ok, "being parsed: not in the summary yet")
	assert.True(t, jobs["integration-tests"].HasArtifact("junit"))
	assert.False(t, jobs["eslint"].HasArtifact("junit"))

	broken, ok := s.SuiteOf(jobs["contract-tests"].ID, "contract-tests")
	require.True(t, ok)
	require.NotNil(t, broken.SuiteError)
	assert.Contains(t, *broken.SuiteError, "JUnit XML parsing failed")
}

// TestTestReportHasTheFailedCases: §14.3.
func TestTestReportHasTheFailedCases(t *testing.T) {
	e := newEmu(t)
	ref, pid, _ := e.testsJobs(t)
	r, err := e.c.TestReport(context.Background(), ref, pid)
	require.NoError(t, err)
	su, ok := r.Suite("unit-tests")
	require.True(t, ok)
	failing := 0
	for _, tc := range su.TestCases {
		if tc.Failing() {
			failing++
			assert.NotEmpty(t, tc.Name)
			assert.NotNil(t, tc.SystemOutput)
		}
	}
	assert.Equal(t, su.FailedCount+su.ErrorCount, failing)
	big, ok := r.Suite("big-suite")
	require.True(t, ok)
	assert.Len(t, big.TestCases, gitlabfake.BigSuiteCases)
}

// TestTestReportRefusalsAreTyped: §14.4.
func TestTestReportRefusalsAreTyped(t *testing.T) {
	e := newEmu(t)
	ctx := context.Background()
	guest, err := New(e.base, PrivateToken(gitlabfake.GuestToken))
	require.NoError(t, err)
	_, err = guest.TestReportSummary(ctx, e.project(), e.info.PipelineID)
	assert.True(t, errors.Is(err, ErrForbidden), "%v", err)
	_, err = e.c.TestReportSummary(ctx, e.project(), 999_999_999)
	assert.True(t, errors.Is(err, ErrNotFound), "%v", err)
	_, err = e.c.TestReport(ctx, e.project(), 0)
	assert.True(t, errors.Is(err, ErrInvalidArgument), "%v", err)
}

func TestJobGroupName(t *testing.T) {
	for name, want := range map[string]string{
		"rspec 1/3":              "rspec",
		"rspec: [ruby, 3.2]":     "rspec",
		"rspec: [ruby, 3.2] 2/4": "rspec",
		"unit-tests":             "unit-tests",
		"test 1/2 extra":         "test 1/2 extra",
	} {
		assert.Equal(t, want, JobGroupName(name), name)
	}
}

// TestSuiteOfWithoutBuildIDs: a summary without build_ids (older GitLab)
// is matched by the job's group name.
func TestSuiteOfWithoutBuildIDs(t *testing.T) {
	s := &TestReportSummary{TestSuites: []TestSuiteSummary{{Name: "rspec", FailedCount: 2}}}
	su, ok := s.SuiteOf(5, "rspec 2/3")
	require.True(t, ok)
	assert.Equal(t, 2, su.FailedCount)
	_, ok = s.SuiteOf(5, "lint")
	assert.False(t, ok)
}

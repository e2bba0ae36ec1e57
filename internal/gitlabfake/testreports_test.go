package gitlabfake

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The test report endpoints as docs/gitlab-api.md §14 describes them.

func (h *harness) testsJobs() map[string]*job {
	out := map[string]*job{}
	for _, j := range h.srv.testsPipeline.jobs {
		out[j.Name] = j
	}
	return out
}

func testsPath(h *harness, pid int64, what string) string {
	return "/api/v4/projects/" + itoa(h.srv.testsPipeline.project.ID) + "/pipelines/" + itoa(pid) + "/" + what
}

// TestTestReportSummaryShape: §14.2. Suites are named by group name, the
// parallel jobs share one with both build ids, a job whose result is not
// stored yet is absent, a suite error is carried with zero counts, and
// total sums the suites.
func TestTestReportSummaryShape(t *testing.T) {
	h := newHarness(t, Options{})
	jobs := h.testsJobs()
	r := h.get(testsPath(h, h.srv.testsPipeline.ID, "test_report_summary"))
	require.Equal(t, 200, r.status, "%s", r.body)

	var raw map[string]json.RawMessage
	r.json(t, &raw)
	assert.ElementsMatch(t, []string{"total", "test_suites"}, keys(raw))
	var total map[string]any
	require.NoError(t, json.Unmarshal(raw["total"], &total))
	assert.ElementsMatch(t, []string{"time", "count", "success", "failed", "skipped", "error", "suite_error"}, keys(total))

	var s testReportSummaryEntity
	r.json(t, &s)
	byName := map[string]testSuiteSummaryEntity{}
	for _, su := range s.TestSuites {
		byName[su.Name] = su
	}
	assert.ElementsMatch(t, []string{"unit-tests", "contract-tests", "big-suite", "e2e " + hostileHTML}, keys(byName),
		"integration-tests is still being parsed: not in the summary")
	unit := byName["unit-tests"]
	assert.Equal(t, []int64{jobs["unit-tests 1/2"].ID, jobs["unit-tests 2/2"].ID}, unit.BuildIDs)
	assert.Positive(t, unit.FailedCount, "unit-tests 1/2 failed with failing tests in its log")
	assert.Equal(t, unit.SuccessCount+unit.FailedCount+unit.SkippedCount+unit.ErrorCount, unit.TotalCount)

	broken := byName["contract-tests"]
	require.NotNil(t, broken.SuiteError)
	assert.Equal(t, testsSuiteError, *broken.SuiteError)
	assert.Zero(t, broken.TotalCount)
	require.NotNil(t, s.Total.SuiteError, "total carries the first suite error")

	assert.Equal(t, BigSuiteCases, byName["big-suite"].TotalCount)
	sum := 0
	for _, su := range s.TestSuites {
		sum += su.TotalCount
	}
	assert.Equal(t, sum, s.Total.Count)
}

// TestTestReportShape: §14.3. The report parses every latest job's artifact,
// the one still being parsed for the summary included; failing cases come
// first with their text as system_output; a suite error empties its suite.
func TestTestReportShape(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.get(testsPath(h, h.srv.testsPipeline.ID, "test_report"))
	require.Equal(t, 200, r.status, "%s", r.body)
	var raw map[string]json.RawMessage
	r.json(t, &raw)
	assert.ElementsMatch(t, []string{"total_time", "total_count", "success_count", "failed_count", "skipped_count", "error_count", "test_suites"}, keys(raw))

	var rep testReportEntity
	r.json(t, &rep)
	byName := map[string]testSuiteEntity{}
	for _, su := range rep.TestSuites {
		byName[su.Name] = su
	}
	assert.ElementsMatch(t, []string{"unit-tests", "integration-tests", "contract-tests", "big-suite", "e2e " + hostileHTML}, keys(byName))
	found := false
	for _, tc := range byName["e2e "+hostileHTML].TestCases {
		if tc.Name == HostileTestName {
			found = assert.Equal(t, "failed", tc.Status) && assert.Equal(t, hostileScript, tc.Classname)
		}
	}
	assert.True(t, found, "the hostile test fails")
	assert.Empty(t, byName["contract-tests"].TestCases)
	assert.Zero(t, byName["contract-tests"].TotalCount)

	unit := byName["unit-tests"]
	require.NotEmpty(t, unit.TestCases)
	assert.Equal(t, "failed", unit.TestCases[0].Status, "failing cases first")
	log := h.testsJobs()["unit-tests 1/2"].log.content(h.clock.Now())
	for _, tc := range unit.TestCases {
		if tc.Status != "failed" {
			break
		}
		assert.True(t, bytes.Contains(log, []byte("--- FAIL: "+tc.Name+" (")), "%s is in the failed job's log", tc.Name)
		require.NotNil(t, tc.SystemOutput)
		assert.Nil(t, tc.StackTrace, "GitLab's JUnit parser fills system_output, not stack_trace")
		assert.NotEmpty(t, tc.Classname)
	}
	assert.Equal(t, BigSuiteCases, len(byName["big-suite"].TestCases))

	var first map[string]any
	var suites []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw["test_suites"], &suites))
	var cases []json.RawMessage
	for _, su := range suites {
		if string(su["name"]) == `"unit-tests"` {
			require.NoError(t, json.Unmarshal(su["test_cases"], &cases))
			assert.Contains(t, keys(su), "suite_error")
		}
	}
	require.NotEmpty(t, cases)
	require.NoError(t, json.Unmarshal(cases[0], &first))
	assert.ElementsMatch(t, []string{"status", "name", "classname", "file", "execution_time", "system_output", "stack_trace", "recent_failures"}, keys(first))
}

// TestTestReportOfAPipelineWithout: §14.2, §14.3: no reports is a 200 with
// zero counts and no suites, not a 404.
func TestTestReportOfAPipelineWithout(t *testing.T) {
	h := newHarness(t, Options{})
	pl := itoa(h.srv.showcase.ID)
	r := h.get("/api/v4/projects/7/pipelines/" + pl + "/test_report_summary")
	require.Equal(t, 200, r.status)
	assert.JSONEq(t, `{"total":{"time":0,"count":0,"success":0,"failed":0,"skipped":0,"error":0,"suite_error":null},"test_suites":[]}`, string(r.body))
	r = h.get("/api/v4/projects/7/pipelines/" + pl + "/test_report")
	require.Equal(t, 200, r.status)
	assert.JSONEq(t, `{"total_time":0,"total_count":0,"success_count":0,"failed_count":0,"skipped_count":0,"error_count":0,"test_suites":[]}`, string(r.body))
}

// TestTestReportRefusals: §14.4: read_build on the pipeline (403), the
// pipeline in the project (404), the project (404).
func TestTestReportRefusals(t *testing.T) {
	h := newHarness(t, Options{})
	pl := itoa(h.srv.showcase.ID)
	for _, what := range []string{"test_report", "test_report_summary"} {
		t.Run(what, func(t *testing.T) {
			r := h.do("GET", "/api/v4/projects/7/pipelines/"+pl+"/"+what, "", "PRIVATE-TOKEN", GuestToken)
			assert.Equal(t, 403, r.status, "a Guest of a private project may not read its builds")
			assert.JSONEq(t, `{"message":"403 Forbidden"}`, string(r.body))
			r = h.get("/api/v4/projects/7/pipelines/999999999/" + what)
			assert.Equal(t, 404, r.status)
			assert.JSONEq(t, `{"message":"404 Not found"}`, string(r.body))
			r = h.get("/api/v4/projects/999999/pipelines/" + pl + "/" + what)
			assert.Equal(t, 404, r.status)
		})
	}
}

// TestTestReportBeingParsed: §14.2: a job's suite joins the summary once
// its result is stored; until then it is only in the report.
func TestTestReportBeingParsed(t *testing.T) {
	h := newHarness(t, Options{})
	j := h.testsJobs()["integration-tests"]
	summary := func() []testSuiteSummaryEntity {
		var s testReportSummaryEntity
		h.get(testsPath(h, h.srv.testsPipeline.ID, "test_report_summary")).json(t, &s)
		return s.TestSuites
	}
	for _, su := range summary() {
		assert.NotContains(t, su.BuildIDs, j.ID)
	}
	h.srv.mu.Lock()
	j.tests.parsedAt = h.clock.Now()
	h.srv.mu.Unlock()
	found := false
	for _, su := range summary() {
		if su.Name == "integration-tests" {
			found = assert.Equal(t, []int64{j.ID}, su.BuildIDs)
		}
	}
	assert.True(t, found, "parsed: in the summary")
}

func TestGroupName(t *testing.T) {
	for name, want := range map[string]string{
		"rspec 1/3":              "rspec",
		"rspec 1:3":              "rspec",
		"rspec: [ruby, 3.2]":     "rspec",
		"rspec: [ruby, 3.2] 2/4": "rspec",
		"unit-tests":             "unit-tests",
		"build 2024":             "build 2024",
		"test 1/2 extra":         "test 1/2 extra",
	} {
		assert.Equal(t, want, groupName(name), name)
	}
}

// TestJobListsItsJUnitArtifact: §14.1: the junit artifact is how a client
// knows a job has a report before the summary has it.
func TestJobListsItsJUnitArtifact(t *testing.T) {
	h := newHarness(t, Options{})
	for name, want := range map[string]bool{"integration-tests": true, "eslint": false} {
		r := h.get("/api/v4/projects/" + itoa(h.srv.testsPipeline.project.ID) + "/jobs/" + itoa(h.testsJobs()[name].ID))
		require.Equal(t, 200, r.status)
		assert.Equal(t, want, strings.Contains(string(r.body), `"file_type":"junit"`), name)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

package gitlab

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// A pipeline's unit test report (gitlab-api.md §14): the summary first,
// which is cheap and says which jobs fed which suite, then the whole report
// only when a job of interest has failures in it.

// Test case statuses (§14.3).
const (
	TestSuccess = "success"
	TestFailed  = "failed"
	TestSkipped = "skipped"
	TestError   = "error"
)

// TestReportSummary is GET …/pipelines/:id/test_report_summary (§14.2).
type TestReportSummary struct {
	Total      TestTotals         `json:"total"`
	TestSuites []TestSuiteSummary `json:"test_suites"`
}

// TestTotals are the summary's counts over every suite.
type TestTotals struct {
	Time       float64 `json:"time"`
	Count      int     `json:"count"`
	Success    int     `json:"success"`
	Failed     int     `json:"failed"`
	Skipped    int     `json:"skipped"`
	Error      int     `json:"error"`
	SuiteError *string `json:"suite_error"`
}

// TestSuiteSummary is one suite of the summary: the jobs that fed it are
// BuildIDs (the parallel jobs of one name share a suite, §14.1).
type TestSuiteSummary struct {
	Name         string  `json:"name"`
	TotalTime    float64 `json:"total_time"`
	TotalCount   int     `json:"total_count"`
	SuccessCount int     `json:"success_count"`
	FailedCount  int     `json:"failed_count"`
	SkippedCount int     `json:"skipped_count"`
	ErrorCount   int     `json:"error_count"`
	BuildIDs     []int64 `json:"build_ids"`
	SuiteError   *string `json:"suite_error"`
}

// TestReport is GET …/pipelines/:id/test_report (§14.3).
type TestReport struct {
	TotalTime    float64     `json:"total_time"`
	TotalCount   int         `json:"total_count"`
	SuccessCount int         `json:"success_count"`
	FailedCount  int         `json:"failed_count"`
	SkippedCount int         `json:"skipped_count"`
	ErrorCount   int         `json:"error_count"`
	TestSuites   []TestSuite `json:"test_suites"`
}

// TestSuite is one suite of the report, named after its jobs' group name.
type TestSuite struct {
	Name         string     `json:"name"`
	TotalTime    float64    `json:"total_time"`
	TotalCount   int        `json:"total_count"`
	SuccessCount int        `json:"success_count"`
	FailedCount  int        `json:"failed_count"`
	SkippedCount int        `json:"skipped_count"`
	ErrorCount   int        `json:"error_count"`
	SuiteError   *string    `json:"suite_error"`
	TestCases    []TestCase `json:"test_cases"`
}

// TestCase is one test of a suite. File, SystemOutput and StackTrace may be
// null; a test without a name is "(No name)" (§14.3).
type TestCase struct {
	Status        string  `json:"status"`
	Name          string  `json:"name"`
	Classname     string  `json:"classname"`
	File          *string `json:"file"`
	ExecutionTime float64 `json:"execution_time"`
	SystemOutput  *string `json:"system_output"`
	StackTrace    *string `json:"stack_trace"`
}

// Failing reports whether the test failed or errored.
func (t TestCase) Failing() bool { return t.Status == TestFailed || t.Status == TestError }

// TestReportSummary reads a pipeline's test report summary.
func (c *Client) TestReportSummary(ctx context.Context, project ProjectRef, pipelineID int64) (*TestReportSummary, error) {
	return getPipelineJSON[*TestReportSummary](ctx, c, "test report summary", project, pipelineID, "/test_report_summary")
}

// TestReport reads a pipeline's whole test report: every suite, every case.
func (c *Client) TestReport(ctx context.Context, project ProjectRef, pipelineID int64) (*TestReport, error) {
	return getPipelineJSON[*TestReport](ctx, c, "test report", project, pipelineID, "/test_report")
}

func getPipelineJSON[T any](ctx context.Context, c *Client, what string, project ProjectRef, pipelineID int64, suffix string) (T, error) {
	var zero T
	if err := project.validate(); err != nil {
		return zero, fmt.Errorf("get %s: %w", what, err)
	}
	if err := validateID("pipeline", pipelineID); err != nil {
		return zero, fmt.Errorf("get %s: %w", what, err)
	}
	v, _, err := getJSON[T](ctx, c, pipelinePath(project, pipelineID)+suffix, nil)
	if err != nil {
		return zero, fmt.Errorf("get %s: %w", what, err)
	}
	return v, nil
}

// groupSuffix is what CommitStatus#group_name strips from a job's name:
// trailing " 1/3", ": [ruby, 3.2]" and the like (§14.1). Ruby's class
// [\b\s:] holds a backspace, which RE2 cannot say there and no job name
// holds: left out.
var groupSuffix = regexp.MustCompile(`([\s:]+((\[.*\])|(\d+[\s:/\\]+\d+)))+\s*$`)

// JobGroupName is the name of the suite a job's test reports go to: the
// job's name without its parallel index or matrix values, as GitLab's
// CommitStatus#group_name computes it (§14.1).
func JobGroupName(name string) string {
	return strings.TrimSpace(groupSuffix.ReplaceAllString(name, ""))
}

// SuiteOf finds the summary's suite that job fed: by build id, else (a
// summary without build_ids) by the job's group name. ok is false when the
// summary has no suite of that job yet.
func (s *TestReportSummary) SuiteOf(jobID int64, jobName string) (TestSuiteSummary, bool) {
	for _, su := range s.TestSuites {
		if slices.Contains(su.BuildIDs, jobID) {
			return su, true
		}
	}
	group := JobGroupName(jobName)
	for _, su := range s.TestSuites {
		if len(su.BuildIDs) == 0 && su.Name == group {
			return su, true
		}
	}
	return TestSuiteSummary{}, false
}

// Suite returns the report's suite of that name.
func (r *TestReport) Suite(name string) (TestSuite, bool) {
	for _, su := range r.TestSuites {
		if su.Name == name {
			return su, true
		}
	}
	return TestSuite{}, false
}

// HasArtifact reports whether the job lists an artifact of that file type:
// "junit" means it uploaded a test report (§14.1).
func (j Job) HasArtifact(fileType string) bool {
	return slices.ContainsFunc(j.Artifacts, func(a Artifact) bool { return a.FileType == fileType })
}

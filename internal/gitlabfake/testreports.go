package gitlabfake

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// GET /projects/:id/pipelines/:pipeline_id/test_report and
// …/test_report_summary (gitlab-api.md §14).

// testReport is a job's JUnit report (artifacts:reports:junit). GitLab reads
// it twice: the report endpoint parses the artifact on each request (§14.3),
// the summary reads what Ci::BuildFinishedWorker stored once the job ended
// (§14.2), so until parsedAt the job is in the report but not the summary.
type testReport struct {
	cases      func() []testCase // from the job's log, built on first use
	built      []testCase
	suiteError string    // the parser's error: no cases, counts 0
	parsedAt   time.Time // when the summary's build report result exists
}

type testCase struct {
	Status    string
	Name      string
	Classname string
	File      string
	Time      float64
	Output    string // the <failure> or <error> text: system_output
}

func (t *testReport) all() []testCase {
	if t.cases != nil {
		t.built, t.cases = dedupe(t.cases()), nil
	}
	return t.built
}

// dedupe keeps one case per status, classname and name, where the first
// was, with the last one's values: TestSuite#add_test_case keys its cases
// so (§14.3).
func dedupe(cs []testCase) []testCase {
	at := map[[3]string]int{}
	out := cs[:0:0]
	for _, c := range cs {
		k := [3]string{c.Status, c.Classname, c.Name}
		if i, ok := at[k]; ok {
			out[i] = c
			continue
		}
		at[k] = len(out)
		out = append(out, c)
	}
	return out
}

// Entities (§14.2, §14.3: TestReportEntity, TestSuiteEntity, TestCaseEntity,
// TestReportSummaryEntity, TestSuiteSummaryEntity).
type testCaseEntity struct {
	Status        string  `json:"status"`
	Name          string  `json:"name"`
	Classname     string  `json:"classname"`
	File          *string `json:"file"`
	ExecutionTime float64 `json:"execution_time"`
	SystemOutput  *string `json:"system_output"`
	StackTrace    *string `json:"stack_trace"`
	// recent_failures is the failure history of Premium's
	// Ci::TestCaseFailure: null without it.
	RecentFailures *struct{} `json:"recent_failures"`
}

type testCounts struct {
	TotalTime    float64 `json:"total_time"`
	TotalCount   int     `json:"total_count"`
	SuccessCount int     `json:"success_count"`
	FailedCount  int     `json:"failed_count"`
	SkippedCount int     `json:"skipped_count"`
	ErrorCount   int     `json:"error_count"`
}

type testSuiteEntity struct {
	Name string `json:"name"`
	testCounts
	SuiteError *string          `json:"suite_error"`
	TestCases  []testCaseEntity `json:"test_cases"`
	cases      []testCase       // its jobs' cases, before dedupe
}

type testReportEntity struct {
	testCounts
	TestSuites []testSuiteEntity `json:"test_suites"`
}

type testSuiteSummaryEntity struct {
	Name string `json:"name"`
	testCounts
	BuildIDs   []int64 `json:"build_ids"`
	SuiteError *string `json:"suite_error"`
}

type testTotalEntity struct {
	Time       float64 `json:"time"`
	Count      int     `json:"count"`
	Success    int     `json:"success"`
	Failed     int     `json:"failed"`
	Skipped    int     `json:"skipped"`
	Error      int     `json:"error"`
	SuiteError *string `json:"suite_error"`
}

type testReportSummaryEntity struct {
	Total      testTotalEntity          `json:"total"`
	TestSuites []testSuiteSummaryEntity `json:"test_suites"`
}

// groupSuffix is CommitStatus#group_name's pattern (§14.1): a parallel
// index ("1/3") or matrix values ("[ruby, 3.2]") at the end of the name.
var groupSuffix = regexp.MustCompile(`([\s:]+((\[.*\])|(\d+[\s:/\\]+\d+)))+\s*$`)

func groupName(name string) string { return strings.TrimSpace(groupSuffix.ReplaceAllString(name, "")) }

// reportJobs are the pipeline's latest jobs with a test report, in id
// order: retried attempts are not read (§14.1).
func reportJobs(pl *pipeline) []*job {
	var out []*job
	for _, j := range pl.jobs {
		if j.tests != nil && j.latest() && j.ErasedAt == nil {
			out = append(out, j)
		}
	}
	return out
}

// counts adds a job's cases to c; a suite error counts nothing (§14.3).
func (t *testReport) addTo(c *testCounts) {
	if t.suiteError != "" {
		return
	}
	for _, tc := range t.all() {
		c.TotalTime += tc.Time
		switch tc.Status {
		case "success":
			c.SuccessCount++
		case "failed":
			c.FailedCount++
		case "skipped":
			c.SkippedCount++
		case "error":
			c.ErrorCount++
		}
	}
	c.TotalCount = c.SuccessCount + c.FailedCount + c.SkippedCount + c.ErrorCount
}

func (c *call) testReportSummary() *response {
	pl, resp := c.reportPipeline()
	if resp != nil {
		return resp
	}
	out := testReportSummaryEntity{TestSuites: []testSuiteSummaryEntity{}}
	index := map[string]int{}
	var all testCounts
	for _, j := range reportJobs(pl) {
		if c.now.Before(j.tests.parsedAt) {
			continue // Ci::BuildFinishedWorker has not stored its result yet
		}
		name := groupName(j.Name)
		i, ok := index[name]
		if !ok {
			i = len(out.TestSuites)
			index[name] = i
			out.TestSuites = append(out.TestSuites, testSuiteSummaryEntity{Name: name, BuildIDs: []int64{}})
		}
		su := &out.TestSuites[i]
		su.BuildIDs = append(su.BuildIDs, j.ID)
		j.tests.addTo(&su.testCounts)
		j.tests.addTo(&all)
		if j.tests.suiteError != "" && su.SuiteError == nil {
			e := j.tests.suiteError
			su.SuiteError = &e
		}
		if su.SuiteError != nil && out.Total.SuiteError == nil {
			out.Total.SuiteError = su.SuiteError
		}
	}
	out.Total.Time, out.Total.Count = round2(all.TotalTime), all.TotalCount
	out.Total.Success, out.Total.Failed = all.SuccessCount, all.FailedCount
	out.Total.Skipped, out.Total.Error = all.SkippedCount, all.ErrorCount
	for i := range out.TestSuites {
		out.TestSuites[i].TotalTime = round2(out.TestSuites[i].TotalTime)
	}
	return jsonResponse(http.StatusOK, out)
}

func (c *call) testReport() *response {
	pl, resp := c.reportPipeline()
	if resp != nil {
		return resp
	}
	out := testReportEntity{TestSuites: []testSuiteEntity{}}
	index := map[string]int{}
	for _, j := range reportJobs(pl) {
		name := groupName(j.Name)
		i, ok := index[name]
		if !ok {
			i = len(out.TestSuites)
			index[name] = i
			out.TestSuites = append(out.TestSuites, testSuiteEntity{Name: name, TestCases: []testCaseEntity{}})
		}
		su := &out.TestSuites[i]
		if j.tests.suiteError != "" {
			e := j.tests.suiteError
			su.SuiteError = &e
		}
		j.tests.addTo(&su.testCounts)
		su.cases = append(su.cases, j.tests.all()...)
	}
	for i := range out.TestSuites {
		su := &out.TestSuites[i]
		if su.SuiteError != nil {
			// TestSuite: a suite error zeroes the counts and hides the cases.
			su.testCounts, su.cases = testCounts{}, nil
		}
		for _, tc := range dedupe(su.cases) {
			su.TestCases = append(su.TestCases, tc.entity())
		}
		sortCases(su.TestCases)
		su.TotalTime = round2(su.TotalTime)
		out.TotalTime += su.TotalTime
		out.TotalCount += su.TotalCount
		out.SuccessCount += su.SuccessCount
		out.FailedCount += su.FailedCount
		out.SkippedCount += su.SkippedCount
		out.ErrorCount += su.ErrorCount
	}
	out.TotalTime = round2(out.TotalTime)
	return jsonResponse(http.StatusOK, out)
}

// reportPipeline is both endpoints' prologue: authorize! :read_build on the
// pipeline (403), the pipeline in the project (404).
func (c *call) reportPipeline() (*pipeline, *response) {
	pid, resp := c.intParam("pipeline_id")
	if resp != nil {
		return nil, resp
	}
	_, pl, resp := c.projectPipeline(pid, credential.canReadBuilds)
	return pl, resp
}

// sortCases orders a suite's cases as TestSuite#sorted does (§14.3):
// failing ones first. ⚠ The order within a status is the report's.
func sortCases(cs []testCaseEntity) {
	rank := map[string]int{"failed": 0, "error": 1, "success": 2, "skipped": 3}
	// A stable insertion sort keeps the report's order within a status.
	for i := 1; i < len(cs); i++ {
		for k := i; k > 0 && rank[cs[k].Status] < rank[cs[k-1].Status]; k-- {
			cs[k], cs[k-1] = cs[k-1], cs[k]
		}
	}
}

func (tc testCase) entity() testCaseEntity {
	e := testCaseEntity{Status: tc.Status, Name: firstNonEmpty(tc.Name, "(No name)"), Classname: tc.Classname,
		ExecutionTime: tc.Time}
	if tc.File != "" {
		f := tc.File
		e.File = &f
	}
	if tc.Output != "" {
		o := tc.Output
		e.SystemOutput = &o
	}
	return e
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// casesFromGoTest reads `go test -v` output the way go-junit-report turns it
// into JUnit: each "--- PASS/FAIL/SKIP: Name (1.23s)" is a case, the lines
// its test logged ("    file_test.go:12: …") are a failure's text, and the
// package of the next "ok"/"FAIL" line is the classname. The failing tests'
// names are thus really in the log, where jobscope's matcher finds them.
func casesFromGoTest(log []byte) []testCase {
	var out []testCase
	var logged []string // lines logged by the test under way
	pending := 0        // cases still waiting for their package line
	for raw := range bytes.Lines(log) {
		line := plainLine(raw)
		switch {
		case strings.HasPrefix(line, "=== RUN   "):
			logged = logged[:0]
		case strings.HasPrefix(line, "    ") && strings.Contains(line, "_test.go:"):
			logged = append(logged, strings.TrimSpace(line))
		case strings.HasPrefix(line, "--- "):
			status, rest, ok := strings.Cut(line[4:], ": ")
			if !ok {
				continue
			}
			name, dur, _ := strings.Cut(rest, " (")
			secs, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(dur), "s)"), 64)
			tc := testCase{Name: name, Time: secs}
			switch status {
			case "PASS":
				tc.Status = "success"
			case "SKIP":
				tc.Status = "skipped"
			case "FAIL":
				tc.Status = "failed"
				// go-junit-report's <failure> text: what the test logged,
				// then its verdict.
				tc.Output = strings.Join(append(logged, strings.TrimSpace(line)), "\n")
				if len(logged) > 0 {
					file, _, _ := strings.Cut(logged[0], ":")
					tc.File = file
				}
			default:
				continue
			}
			out = append(out, tc)
			pending++
		case strings.HasPrefix(line, "ok  \t") || strings.HasPrefix(line, "FAIL\t"):
			pkg, _, _ := strings.Cut(strings.SplitN(line, "\t", 2)[1], "\t")
			for i := len(out) - pending; i < len(out); i++ {
				out[i].Classname = pkg
				if out[i].File != "" {
					out[i].File = pkg + "/" + out[i].File
				}
			}
			pending = 0
		}
	}
	for i := len(out) - pending; i < len(out); i++ {
		out[i].Classname = "main"
	}
	return out
}

// plainLine is a raw log line without its runner timestamp prefix, ANSI
// escapes and line end: enough for the go test lines loggen writes.
func plainLine(raw []byte) string {
	s := strings.TrimRight(string(raw), "\r\n")
	if len(s) >= 32 && s[4] == '-' && s[10] == 'T' && s[26] == 'Z' && s[27] == ' ' { // FF_TIMESTAMPS: 27-byte stamp, space, stream, O/E, ' ' or '+'
		s = s[32:]
	}
	if strings.IndexByte(s, 0x1b) >= 0 {
		s = ansi.ReplaceAllString(s, "")
	}
	return s
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

// paddedCases adds passing cases up to n, for a big report: only failing
// tests must be in the log.
func paddedCases(cs []testCase, n int) []testCase {
	for i := len(cs); i < n; i++ {
		cs = append(cs, testCase{Status: "success", Name: fmt.Sprintf("TestGenerated%05d", i),
			Classname: "example.com/big/generated", Time: 0.01})
	}
	return cs
}

package app

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jobscope/jobscope/app/logview"
	"github.com/jobscope/jobscope/app/visibility"
	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/poll"
	"github.com/jobscope/jobscope/internal/testmatch"
	"github.com/jobscope/jobscope/internal/words"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// failedTests answers "which tests failed?" on a failed job's screen: one
// line in the job's header that says what the pipeline's test report holds
// for this job, and, when tests failed, a panel listing them, each linked
// to its log line, those lines marked in the log (gitlab-api.md §14). It
// asks the summary first and the whole report only when this job's suite
// has failures; a job that did not fail asks nothing and says nothing.
type failedTests struct {
	ui.Compo
	Env        *Env
	In         account.Instance
	Project    string
	JobID      int64
	JobName    string
	PipelineID int64
	HasJUnit   bool // the job uploaded a JUnit report (its junit artifact)
	Marks      *logview.Marks

	lifetime context.Context
	stop     context.CancelFunc
	logIn    chan struct{} // closed once the whole log is in

	state   testsState
	problem string // what went wrong, or the suite's error, in words
	short   string // the problem in the header's few words
	suite   string
	shared  bool // the suite is fed by parallel jobs too
	passed  int
	cases   []gitlab.TestCase // the failing ones
	lines   []int             // each case's log line, testmatch.None when not in it
	matched bool
	shown   int // cases rendered, grown by "Show more"
}

type testsState int

const (
	testsNone     testsState = iota // not asked (the job did not fail) or still asking
	testsNoReport                   // no suite for the job, no junit artifact
	testsParsing                    // a junit artifact, no suite yet (§14.2)
	testsUnread                     // the suite has an error
	testsPassed                     // the suite has no failing test
	testsFailed                     // failing tests
	testsProblem                    // GitLab refused or failed
)

// testsPage is how many failing tests the panel renders at a time: a big
// report's thousands stay out of the DOM until asked for.
const testsPage = 200

// parsingPoll asks again for a report still being parsed, slowing down.
var parsingPoll = poll.Backoff{First: 5 * time.Second, Max: time.Minute}

func (t *failedTests) OnMount(ctx ui.Context) {
	t.lifetime, t.stop = context.WithCancel(context.Background())
	t.shown = testsPage
	t.logIn = make(chan struct{})
	if t.Marks != nil {
		t.Marks.Loaded = func(ctx ui.Context) { t.logLoaded(); t.matched = false; t.match() }
		t.Marks.Clicked = t.showTest
		if t.Marks.Ready() {
			t.logLoaded()
		}
	}
	client, ref, problem := t.Env.projectClient(t.In, t.Project)
	if problem != "" {
		t.state, t.short, t.problem = testsProblem, "Tests: unavailable", problem
		return
	}
	t.load(ctx, client, ref)
}

func (t *failedTests) OnDismount() {
	if t.stop != nil {
		t.stop()
	}
}

// load reads the summary (again while the report is being parsed), then the
// report when this job's suite has failures.
func (t *failedTests) load(ctx ui.Context, client *gitlab.Client, ref gitlab.ProjectRef) {
	lifetime, jobID, name, pipeline, junit := t.lifetime, t.JobID, t.JobName, t.PipelineID, t.HasJUnit
	loop := poll.Loop{Backoff: parsingPoll, Visible: visibility.Wait}
	ctx.Async(func() {
		var suite gitlab.TestSuiteSummary
		err := loop.Run(lifetime, func(c context.Context) (poll.Outcome, error) {
			s, err := client.TestReportSummary(c, ref, pipeline)
			if err != nil {
				ctx.Dispatch(func(ui.Context) { t.fail(err) }) // a 5xx or the network: asked again, slower
				return poll.Quiet, err
			}
			found, ok := s.SuiteOf(jobID, name)
			if ok {
				suite = found
				return poll.Done, nil
			}
			ctx.Dispatch(func(ui.Context) {
				if junit {
					t.state = testsParsing
				} else {
					t.state = testsNoReport
				}
			})
			if !junit {
				return poll.Done, nil
			}
			return poll.Quiet, nil
		})
		switch {
		case err != nil: // said already, or the screen left
			return
		case suite.Name == "":
			return // no report
		}
		shared := len(suite.BuildIDs) > 1
		switch {
		case suite.SuiteError != nil:
			ctx.Dispatch(func(ui.Context) {
				t.state, t.suite, t.problem = testsUnread, suite.Name, *suite.SuiteError
			})
			return
		case suite.FailedCount+suite.ErrorCount == 0:
			ctx.Dispatch(func(ui.Context) { t.state, t.suite, t.passed = testsPassed, suite.Name, suite.SuccessCount })
			return
		}
		// The whole report can be megabytes of JSON to decode on the page's
		// one thread: it waits until the log is in, so the log comes first.
		select {
		case <-t.logIn:
		case <-time.After(logFirst):
		case <-lifetime.Done():
			return
		}
		report, err := client.TestReport(lifetime, ref, pipeline)
		if err != nil {
			ctx.Dispatch(func(ui.Context) { t.fail(err) })
			return
		}
		var failing []gitlab.TestCase
		passed := 0
		if su, ok := report.Suite(suite.Name); ok {
			for _, tc := range su.TestCases {
				if tc.Failing() {
					failing = append(failing, tc)
				}
			}
			passed = su.SuccessCount
		}
		ctx.Dispatch(func(ui.Context) {
			t.state, t.suite, t.shared, t.cases, t.passed = testsFailed, suite.Name, shared, failing, passed
			if len(failing) == 0 { // the summary and the report disagree: say what the report says
				t.state = testsPassed
			}
			t.match()
		})
	})
}

// logFirst is how long the report waits for the log before it is read
// anyway (a log that cannot load should not hide the failed tests).
const logFirst = 15 * time.Second

func (t *failedTests) logLoaded() {
	select {
	case <-t.logIn:
	default:
		close(t.logIn)
	}
}

func (t *failedTests) fail(err error) {
	t.state = testsProblem
	switch {
	case errors.Is(err, gitlab.ErrForbidden):
		t.short, t.problem = "Tests: not allowed (403)", "GitLab refused the pipeline's test report (403): the token may not read this pipeline's jobs."
	case errors.Is(err, gitlab.ErrNotFound):
		t.short, t.problem = "Tests: not found (404)", "GitLab has no test report for this pipeline, or the token cannot see it (404)."
	default:
		t.short, t.problem = "Tests: unavailable", "The pipeline's test report could not be read: "+words.Problem(err, t.In.Host())
	}
}

// match finds the failing tests' lines once both the report and the whole
// log are in, and marks them.
func (t *failedTests) match() {
	if t.matched || t.state != testsFailed || t.Marks == nil || !t.Marks.Ready() {
		return
	}
	names := make([]string, len(t.cases))
	for i, tc := range t.cases {
		names[i] = tc.Name
	}
	t.lines = t.Marks.Match(names)
	marks := map[int]int{}
	for i, l := range t.lines {
		if _, taken := marks[l]; l != testmatch.None && !taken {
			marks[l] = i
		}
	}
	t.Marks.Set(marks)
	t.matched = true
}

// showTest opens the panel on test k (a mark in the log was clicked).
func (t *failedTests) showTest(ctx ui.Context, k int) {
	if k < 0 || k >= len(t.cases) {
		return
	}
	if k >= t.shown {
		t.shown = k + 1
	}
	ctx.Defer(func(ui.Context) {
		if p := ui.Window().GetElementByID("tests-panel"); p.Truthy() && !p.Call("matches", ":popover-open").Bool() {
			p.Call("showPopover")
		}
		if el := ui.Window().GetElementByID("test-" + strconv.Itoa(k)); el.Truthy() {
			el.Call("scrollIntoView", map[string]any{"block": "nearest"})
			el.Call("focus")
		}
	})
}

// showLine brings test k's log line into view; a phone's sheet closes so
// the line is not under it.
func (t *failedTests) showLine(k int) {
	if t.Marks == nil || k >= len(t.lines) || t.lines[k] == testmatch.None {
		return
	}
	if ui.Window().Get("innerWidth").Int() < 1024 {
		if p := ui.Window().GetElementByID("tests-panel"); p.Truthy() {
			p.Call("hidePopover")
		}
	}
	t.Marks.Show(t.lines[k])
}

func (t *failedTests) Render() ui.UI {
	switch t.state {
	case testsNoReport:
		return t.line("No test report", "The job uploaded no JUnit report (artifacts:reports:junit), so GitLab cannot say which tests failed.")
	case testsParsing:
		return t.line("Tests: being parsed…", "GitLab has the job's JUnit report but has not read it into the pipeline's test report yet; asked again shortly.")
	case testsUnread:
		return t.line("Tests: unreadable", "GitLab could not read the job's JUnit report: "+words.ShowControls(t.problem))
	case testsPassed:
		return t.line("No failed tests", "The suite "+words.ShowControls(t.suite)+" of the pipeline's test report has no failed test ("+strconv.Itoa(t.passed)+" passed): the job failed for another reason.")
	case testsProblem:
		return t.line(t.short, t.problem)
	case testsFailed:
		n := len(t.cases)
		label := strconv.Itoa(n) + " failed test"
		if n != 1 {
			label += "s"
		}
		return ui.Span().Class("job-tests").Body(
			ui.Button().ID("job-tests").Type("button").Class("small tests-button").
				Attr("popovertarget", "tests-panel").Aria("controls", "tests-panel").Text(label),
			t.panel(),
		)
	}
	return ui.Span().Class("job-tests")
}

// line is the one line a state says itself in: short in the header, the
// whole sentence as its title and for a screen reader.
func (t *failedTests) line(short, long string) ui.UI {
	return ui.Span().Class("job-tests").Body(
		ui.Span().ID("job-tests").Class("tests-line").Attr("role", "status").Title(long).Aria("label", long).Text(short),
	)
}

func (t *failedTests) panel() ui.UI {
	shown := t.cases[:min(t.shown, len(t.cases))]
	intro := "In the suite " + words.ShowControls(t.suite) + " of the pipeline's test report"
	if t.passed > 0 {
		intro += ", beside " + strconv.Itoa(t.passed) + " passed"
	}
	intro += "."
	if t.shared {
		intro += " Parallel jobs share this suite: a test not found in this log may have run in another of them."
	}
	return ui.Aside().ID("tests-panel").Class("tests-panel").Attr("popover", "auto").Aria("labelledby", "tests-panel-title").Body(
		ui.Div().Class("job-details-head").Body(
			ui.H2().ID("tests-panel-title").Text("Failed tests"),
			ui.Button().Type("button").Class("small").Attr("popovertarget", "tests-panel").
				Attr("popovertargetaction", "hide").Text("Close"),
		),
		ui.P().Class("hint").Text(intro),
		ui.Ol().ID("tests-list").Class("tests-list").DataSet("matched", t.matched).Body(
			ui.Range(shown).Slice(func(k int) ui.UI { return t.testItem(k) }),
		),
		ui.If(len(shown) < len(t.cases), func() ui.UI {
			return ui.Button().ID("tests-more").Type("button").Class("small").
				Text("Show " + strconv.Itoa(min(testsPage, len(t.cases)-len(shown))) + " more of " + strconv.Itoa(len(t.cases)-len(shown))).
				OnClick(func(ctx ui.Context, e ui.Event) { t.shown += testsPage })
		}),
	)
}

func (t *failedTests) testItem(k int) ui.UI {
	tc := t.cases[k]
	line := testmatch.None
	if k < len(t.lines) {
		line = t.lines[k]
	}
	text := func(s *string) string {
		if s == nil {
			return ""
		}
		return words.ShowControls(*s)
	}
	where := ui.UI(ui.Span().Class("hint test-line").Text("not in this log"))
	switch {
	case !t.matched:
		where = ui.Span().Class("hint test-line").Text("finding its line…")
	case line != testmatch.None:
		where = ui.Button().Type("button").Class("small test-line").Title("Show it in the log").
			Text("Line " + strconv.Itoa(line+1)).OnClick(func(ctx ui.Context, e ui.Event) { t.showLine(k) })
	}
	status := "failed"
	if tc.Status == gitlab.TestError {
		status = "error"
	}
	return ui.Li().ID("test-"+strconv.Itoa(k)).Class("test").TabIndex(-1).Body(
		ui.Div().Class("test-head").Body(
			ui.Span().Class("tag test-status").Text(status),
			ui.Span().Class("test-name").Text(words.ShowControls(tc.Name)),
			where,
		),
		ui.Div().Class("hint test-meta").Body(
			ui.If(tc.Classname != "", func() ui.UI {
				return ui.Span().Class("test-class").Text(words.ShowControls(tc.Classname) + " · ")
			}),
			ui.If(text(tc.File) != "", func() ui.UI { return ui.Span().Class("test-file").Text(text(tc.File) + " · ") }),
			ui.Span().Class("test-time").Text(testTime(tc.ExecutionTime)),
		),
		ui.If(text(tc.SystemOutput) != "", func() ui.UI {
			return ui.Pre().Class("test-output").Text(text(tc.SystemOutput))
		}),
		ui.If(text(tc.StackTrace) != "", func() ui.UI {
			return ui.Pre().Class("test-output test-trace").Text(text(tc.StackTrace))
		}),
	)
}

// logMarks is the job screen's one Marks, made on first use: the log view
// and the failed tests share it from the first render.
func (v *jobView) logMarks() *logview.Marks {
	if v.marks == nil {
		v.marks = &logview.Marks{}
	}
	return v.marks
}

// failedTests is the header's failed-tests line: only for a failed job.
func (v *jobView) failedTests(j gitlab.Job) ui.UI {
	if j.Status != gitlab.StatusFailed {
		return nil
	}
	return &failedTests{Env: v.env, In: v.in, Project: v.Project, JobID: j.ID, JobName: j.Name,
		PipelineID: j.Pipeline.ID, HasJUnit: j.HasArtifact("junit"), Marks: v.logMarks()}
}

// testTime is a test's execution time: tests take milliseconds, so two
// decimals below a minute.
func testTime(sec float64) string {
	if sec >= 60 {
		return words.Duration(sec)
	}
	return strconv.FormatFloat(sec, 'f', 2, 64) + " s"
}

package logview

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/poll"
	"github.com/jobscope/jobscope/internal/words"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Job is the log of one GitLab job, followed while the job runs. Its props
// are small (style.md §8); the log lives in the component's store.
type Job struct {
	ui.Compo
	Client  *gitlab.Client
	Project gitlab.ProjectRef
	ID      int64
	// Settled, when set, is the job as last seen with a status it keeps
	// for good (failed, success): the first poll takes it instead of
	// asking GitLab, so the trace is asked for at once.
	Settled *gitlab.Job
	// RunPath is the address of another job of the project, for the link
	// to the passing run a failed log is compared with (changes_job.go).
	RunPath func(id int64) string
	// Marks, when set, marks the failed tests' lines (marks.go).
	Marks *Marks

	v         *viewer
	store     joblog.Store
	raw       []byte
	received  int64         // bytes of a running download, for its progress bar
	total     int64         // the download's size, -1 when the server did not say
	updated   time.Time     // when the log was last fetched
	next      time.Time     // when the next poll is due, while following
	wake      chan struct{} // "Update now": the follower polls at once
	hashed    bool          // the URL names a line: open there, not at the end
	tailShown bool          // a failed job's end is shown while the whole loads
	cut       bool          // the last download ended early: "Load the rest" is offered
	status    gitlab.Status
	problem   string
	loaded    bool
	stop      context.CancelFunc
	lifetime  context.Context
	last      *gitlab.Job // the job as last fetched
	compared  bool        // compared with its last passing run (changes_job.go)
}

func (j *Job) OnMount(ctx ui.Context) {
	j.v = newViewer(&j.store)
	j.v.marks = j.Marks
	j.v.raw = func() []byte { return j.raw }
	j.v.name = "job-" + strconv.FormatInt(j.ID, 10) + ".log"
	_, j.hashed = hashLine()
	j.v.mount(ctx)
	j.lifetime, j.stop = context.WithCancel(context.Background())
	j.wake = make(chan struct{}, 1)
	if j.Client == nil {
		j.problem = "Connect to a GitLab instance first."
		return
	}
	j.follow(ctx)
}

func (j *Job) OnDismount() {
	if j.stop != nil {
		j.stop()
	}
	if j.v != nil {
		j.v.dismount()
	}
}

// follow runs Follow on its own goroutine; each poll is applied on the UI
// goroutine and the next waits until it is in. The log streams: a download
// shows its lines as they arrive (logReader), and later polls ask only for
// the bytes the view lacks.
func (j *Job) follow(ctx ui.Context) {
	client, project, id, lifetime := j.Client, j.Project, j.ID, j.lifetime
	reader := &logReader{
		fetch: func(c context.Context, r gitlab.LogRequest) (*gitlab.LogStream, error) {
			return client.JobLogStream(c, project, id, r)
		},
		progress: func(raw []byte, received, total int64) {
			ctx.Dispatch(func(ctx ui.Context) {
				j.received, j.total = received, total
				if j.tailShown || len(raw) <= len(j.raw) {
					// The end stays on screen until the whole is in, and a
					// whole log polled again shows once it passes what is shown.
					return
				}
				j.raw = raw
				j.v.ingest(ctx, raw, false, func(ui.Context) {})
			})
		},
		gotTail: func(end []byte) {
			ctx.Dispatch(func(ctx ui.Context) {
				j.tailShown, j.v.partial = true, true
				j.v.note = "Showing the end of the log while the rest loads."
				j.v.ingest(ctx, end, false, func(ui.Context) { j.v.port.scrollToEnd() })
			})
		},
	}
	first, settled := true, j.Settled
	fetch := func(c context.Context) (Poll, error) {
		job, err := settled, error(nil)
		if !first || job == nil {
			job, err = client.GetJob(c, project, id)
		}
		if err != nil {
			return Poll{}, err
		}
		ctx.Dispatch(func(ui.Context) {
			j.last = job
			if job.StartedAt != nil {
				j.v.start = *job.StartedAt
			}
		})
		if first && job.Status == gitlab.StatusFailed && !j.hashed {
			// A failed job opens where the failure is: its end, asked for
			// first where GitLab serves the range.
			ctx.Dispatch(func(ui.Context) { j.v.openAtEnd() })
			reader.tail = tailFirst
		}
		first = false
		reader.fresh = job.Status.Finished()
		trace, note, err := reader.read(c)
		return Poll{Trace: trace, Status: job.Status, Note: note, TailStart: reader.tailStart}, err
	}
	ctx.Async(func() {
		loop := poll.Loop{
			Backoff: poll.Backoff{First: PollFirst, Max: PollMax},
			Visible: waitVisible,
			Wake:    j.wake,
			Floor:   reader.floor,
			Scheduled: func(next time.Time) {
				ctx.Dispatch(func(ui.Context) { j.next = next })
			},
		}
		err := followWith(lifetime, loop, fetch, func(p Poll, err error) {
			applied := make(chan struct{})
			ctx.Dispatch(func(ctx ui.Context) {
				j.received, j.total = 0, -1
				j.cut = errors.Is(err, errCut)
				if err != nil {
					j.problem = describe(err)
					if len(p.Trace) <= len(j.raw) || j.tailShown {
						close(applied)
						return
					}
					// What a cut download brought stays on screen.
					j.raw = p.Trace
					j.v.ingest(ctx, p.Trace, false, func(ui.Context) { j.loaded = true; close(applied) })
					return
				}
				j.problem, j.status, j.raw, j.updated = "", p.Status, p.Trace, time.Now()
				j.v.live = !p.Status.Finished()
				loaded := func(ctx ui.Context) {
					j.loaded = true
					if p.Status.Finished() {
						j.Marks.loaded(ctx, j.v)
					}
					if p.Status == gitlab.StatusFailed {
						j.compareWithLastGreen(ctx)
					}
					close(applied)
				}
				if j.tailShown {
					j.tailShown = false
					j.v.note = p.Note
					tailStart := max(p.TailStart, 0)
					j.v.swapIn(ctx, p.Trace, tailStart, p.Status.Finished(), loaded)
					return
				}
				j.v.ingest(ctx, p.Trace, p.Status.Finished(), loaded)
				if p.Note != "" { // after ingest: it says more than "replaced"
					j.v.note = p.Note
				}
			})
			select {
			case <-applied:
			case <-lifetime.Done():
			}
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			ctx.Dispatch(func(ui.Context) { j.problem = describe(err) })
		}
	})
	// The first request leaves now, not once go-app has mounted the rest
	// of the page: a goroutine runs only when the UI goroutine lets it,
	// and this one runs until it waits on the network.
	runtime.Gosched()
}

func (j *Job) Render() ui.UI {
	if j.v == nil {
		return ui.Div().Class("log")
	}
	return j.v.render(j.statusLine(), j.problem)
}

// statusLine says how the log is doing: its lines, its job's status,
// following and when it was updated.
func (j *Job) statusLine() ui.UI {
	text := "Loading the log…"
	if j.loaded || j.received > 0 {
		text = words.Lines(j.v.store.Len())
		if j.status != "" {
			text = string(j.status) + " · " + text
		}
		if j.v.live {
			text += " · following"
		}
	}
	var follow ui.UI
	switch {
	case j.cut && j.received == 0:
		// It is asked for again with backoff; this asks now.
		follow = ui.Span().Class("log-follow").Body(
			ui.Text(" · "),
			ui.Button().ID("log-load-rest").Type("button").Class("link").Text("Load the rest").OnClick(j.pollNow),
		)
	case j.v.live && !j.updated.IsZero():
		when := "updated " + j.updated.Format("15:04:05")
		if j.next.After(j.updated) {
			when += ", next at " + j.next.Format("15:04:05")
		}
		follow = ui.Span().Class("log-follow").Body(
			ui.Text(" · "+when+" "),
			ui.Button().ID("log-update-now").Type("button").Class("link").Text("Update now").OnClick(j.pollNow),
		)
	}
	return statusLine(text, follow, j.received, j.total)
}

// pollNow wakes the follower: the next poll goes at once.
func (j *Job) pollNow(ui.Context, ui.Event) {
	select {
	case j.wake <- struct{}{}:
	default: // one wake is pending already
	}
}

// statusLine is a log's polite live region (text, then extra), with a thin
// progress bar while a download or a file read runs: received of total
// bytes, or "loading…" when the total is not known (-1).
func statusLine(text string, extra ui.UI, received, total int64) ui.UI {
	var bar ui.UI
	switch {
	case received > 0 && total > 0 && received <= total:
		text += " · " + words.Size(received) + " of " + words.Size(total)
		bar = ui.Progress().ID("log-progress").Class("log-progress").
			Attr("max", total).Attr("value", received).Aria("label", "log download")
	case received > 0:
		text += " · loading…"
		bar = ui.Progress().ID("log-progress").Class("log-progress").Aria("label", "log download")
	}
	return ui.Div().Body(
		ui.P().Class("log-status").Body(
			ui.Span().ID("log-live").Attr("role", "status").Aria("live", "polite").Text(text),
			ui.If(extra != nil, func() ui.UI { return extra }),
		),
		ui.If(bar != nil, func() ui.UI { return bar }),
	)
}

// describe says what went wrong and what to do, in words.
func describe(err error) string {
	var e *gitlab.Error
	switch {
	case errors.Is(err, errUnasked):
		return "GitLab answered part of the log when the whole was asked for, twice: retrying with backoff."
	case errors.Is(err, errCut):
		return "The connection closed before the whole log arrived: what arrived is shown, and the rest will be asked for again."
	case errors.Is(err, gitlab.ErrUnauthorized):
		return "GitLab refused the token (401): check it on the Connect screen."
	case errors.Is(err, gitlab.ErrForbidden):
		return "The token may not read this job's log (403): it needs the read_api scope and access to the project."
	case errors.Is(err, gitlab.ErrNotFound):
		return "GitLab has no such job, or the token cannot see it (404)."
	case errors.Is(err, gitlab.ErrRateLimited):
		return "GitLab asks us to slow down (429): the log will be fetched again shortly."
	case errors.Is(err, gitlab.ErrServer):
		return "GitLab answered with a server error: retrying with backoff."
	case errors.Is(err, gitlab.ErrNetwork):
		return "GitLab could not be reached (offline, or CORS refused): retrying with backoff."
	case errors.As(err, &e):
		return "GitLab answered " + strconv.Itoa(e.StatusCode) + ": retrying with backoff."
	}
	return "The log could not be loaded: retrying with backoff."
}

package app

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jobscope/jobscope/app/visibility"
	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/poll"
	"github.com/jobscope/jobscope/internal/words"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// jobsPerPage is the keyset page size: GitLab's maximum is 100 (§7.2); 50
// fills a desktop screen twice and keeps the first answer quick.
const jobsPerPage = 50

// jobsView is a project's jobs, newest first: scope chips, a filter on what
// is loaded, and an endless list over keyset pages (gitlab-api.md §5.1, §7.2).
type jobsView struct {
	ui.Compo
	env     *Env
	Project string
	Offline bool // actions wait for the network (page.offline)

	// lifetime ends when the component leaves the page, cancelling its
	// requests; go-app's own Context is never cancelled.
	lifetime context.Context
	stop     context.CancelFunc
	unwatch  func()
	// self is the component's own context, from OnMount. Work started by an
	// event dispatches through it: go-app drops a Dispatch whose source
	// element (a button that a re-render removed) has left the page.
	self ui.Context

	in        account.Instance
	connected bool
	scope     gitlab.ScopeSet
	filter    string
	// fresh are the jobs a refresh or a retry put on top since the list
	// loaded, newest first; jobs are the pages loaded. Two lists, because
	// go-app diffs children by index: a job added in front of jobs would
	// patch every row below it (docs/design.md, "Rendering big logs").
	fresh   []gitlab.Job
	jobs    []gitlab.Job
	cursor  string // keyset cursor of the next page; "" when none
	loaded  bool   // the first page arrived
	loading bool
	gen     int // bumped when the scope changes; older answers are dropped
	nearEnd bool
	now     time.Time
	problem string // an action's failure, said above the list
	// loadProblem is a page's failure: said above the list while it is
	// empty, else at its end, beside the Load more that tries again.
	loadProblem string
	acting      map[int64]bool

	// The live refresh (live.go): one poll.Loop per scope, stopped by
	// stopLive. wake asks it at once (shown again, an action, the toggle);
	// the round reads unfinished and watchNew, set on the UI goroutine.
	stopLive       context.CancelFunc
	wake           chan struct{}
	unfinished     atomic.Bool // a job the refresh can update will change
	watchNew       atomic.Bool // "Watch for new jobs": refresh even then
	refreshProblem string      // the last refresh failed; the list stays
	live           liveState   // data-live
}

func (v *jobsView) OnMount(ctx ui.Context) {
	v.self = ctx
	v.lifetime, v.stop = context.WithCancel(context.Background())
	v.acting = map[int64]bool{}
	v.wake = make(chan struct{}, 1)
	v.watchNew.Store(true)
	visibility.Shown(v.lifetime, v.wake)
	st, _ := v.env.Settings.Load()
	v.in, v.connected = st.Usable()
	// The list's end is in the document only once this render is on the
	// page (at OnMount, getElementById finds nothing and nothing would be
	// observed: scrolling to the end loaded nothing, in any engine).
	v.unwatch = func() {}
	ctx.Defer(func(ctx ui.Context) {
		if v.lifetime.Err() != nil {
			return
		}
		v.unwatch = onVisible("jobs-end", func(visible bool) {
			ctx.Dispatch(func(ctx ui.Context) {
				v.nearEnd = visible
				if visible && v.filter == "" {
					v.loadMore(ctx)
				}
			})
		})
	})
	if v.connected {
		v.loadMore(ctx)
	}
}

func (v *jobsView) OnDismount() {
	v.stop()
	v.unwatch()
}

// loadMore fetches the next page, unless one is on its way or none is left.
func (v *jobsView) loadMore(ctx ui.Context) {
	ctx = v.self
	if !v.connected || v.loading || (v.loaded && v.cursor == "") {
		return
	}
	client, ref, problem := v.env.projectClient(v.in, v.Project)
	if problem != "" {
		v.loadProblem = problem
		return
	}
	v.loading = true
	gen, opts := v.gen, gitlab.ListProjectJobsOptions{
		Scope: v.scope, Keyset: true, Cursor: v.cursor,
		ListOptions: gitlab.ListOptions{PerPage: jobsPerPage},
	}
	lifetime := v.lifetime
	ctx.Async(func() {
		jobs, page, err := client.ListProjectJobs(lifetime, ref, opts)
		ctx.Dispatch(func(ctx ui.Context) {
			if gen != v.gen || lifetime.Err() != nil {
				return
			}
			v.loading, v.now = false, time.Now()
			if err != nil {
				v.loadProblem = words.Problem(err, v.in.Host())
				return
			}
			v.loadProblem = ""
			v.env.seen.remember(v.in.BaseURL, jobs)
			v.jobs = appendPage(v.fresh, v.jobs, jobs)
			v.cursor, v.loaded = nextCursor(opts.Cursor, len(jobs), page.NextCursor), true
			v.listChanged()
			if opts.Cursor == "" {
				v.startLive(ctx, jobs, page.ETag)
			}
			// Keep filling while the end is still in view, measured once the
			// new rows are on the page: nearEnd may date from the empty list.
			// Not while a filter hides rows: one that matches little would
			// keep the end in view and fetch the project's whole history
			// (and meet GitLab's rate limit); Load more asks for more then.
			ctx.Defer(func(ctx ui.Context) {
				ctx.Dispatch(func(ctx ui.Context) {
					if v.nearEnd = nearViewport("jobs-end"); v.nearEnd && v.filter == "" {
						v.loadMore(ctx)
					}
				})
			})
		})
	})
}

// startLive refreshes the first page of the list loaded with first (and
// its etag) until the scope changes or the list leaves the page: while the
// page is visible, and while a job on top will change or the user watches
// for new jobs (then slowly, as the loop slows while nothing changes). A
// permanent error stops it, said above the list.
func (v *jobsView) startLive(ctx ui.Context, first []gitlab.Job, etag string) {
	if v.stopLive != nil {
		v.stopLive()
	}
	client, ref, problem := v.env.projectClient(v.in, v.Project)
	if problem != "" {
		return
	}
	live, stop := context.WithCancel(v.lifetime)
	v.stopLive = stop
	opts := gitlab.ListProjectJobsOptions{Scope: v.scope, Keyset: true, ListOptions: gitlab.ListOptions{PerPage: jobsPerPage}}
	setLive := func(s liveState) {
		ctx.Dispatch(func(ui.Context) {
			if live.Err() == nil {
				v.live = s
			}
		})
	}
	loop := poll.Loop{Backoff: jobsPoll, Start: jobsPoll.First, Visible: waitVisible(func() { setLive(livePaused) }), Wake: v.wake}
	v.live = liveOn
	prev := first
	ctx.Async(func() {
		err := loop.Run(live, func(c context.Context) (poll.Outcome, error) {
			if !v.unfinished.Load() && !v.watchNew.Load() {
				setLive(liveIdle)
				return poll.Idle, nil // nothing will change: ask nothing until woken
			}
			opts.IfNoneMatch = etag
			jobs, page, err := client.ListProjectJobs(c, ref, opts)
			if err == nil && page.NotModified {
				jobs = prev // unchanged: a 304, no body (gitlab-api.md §4)
			}
			ctx.Dispatch(func(ctx ui.Context) {
				if live.Err() != nil {
					return
				}
				if err != nil {
					v.refreshProblem = "Not updated: " + words.Problem(err, v.in.Host())
					return
				}
				v.refreshProblem, v.now, v.live = "", time.Now(), liveOn
				if !page.NotModified {
					v.env.seen.remember(v.in.BaseURL, jobs)
					v.fresh, v.jobs = mergeFirstPage(v.fresh, v.jobs, jobs)
					v.listChanged()
				}
			})
			if err != nil {
				return poll.Quiet, err
			}
			etag = page.ETag
			moved := progressed(prev, jobs)
			prev = jobs
			if moved {
				return poll.Progress, nil
			}
			return poll.Quiet, nil
		})
		if err != nil && live.Err() == nil {
			ctx.Dispatch(func(ctx ui.Context) {
				v.refreshProblem, v.live = "Updates stopped: "+words.Problem(err, v.in.Host()), liveStopped
			})
		}
	})
}

// listChanged notes, for the refresh, whether a job it can update (those
// on top, and the first page) will change on its own.
func (v *jobsView) listChanged() {
	v.unfinished.Store(anyUnfinished(v.fresh) || anyUnfinished(v.jobs[:min(len(v.jobs), jobsPerPage)]))
}

// refreshSoon wakes the refresh: an action changed a job, or the user
// turned watching for new jobs on.
func (v *jobsView) refreshSoon() {
	v.listChanged()
	select {
	case v.wake <- struct{}{}:
	default: // one wake is pending already
	}
}

// nextCursor is the cursor to fetch after a page of n jobs asked with prev:
// none after an empty page or a cursor that did not move, which would
// otherwise make the endless list ask again forever.
func nextCursor(prev string, n int, next string) string {
	if n == 0 || next == prev {
		return ""
	}
	return next
}

func (v *jobsView) toggleScope(s gitlab.Status) ui.EventHandler {
	return func(ctx ui.Context, e ui.Event) {
		bit, _ := gitlab.ScopeSetOf(s)
		v.scope ^= bit
		if v.stopLive != nil {
			v.stopLive() // its rounds ask for the old scope; the new first page starts another
		}
		v.gen++
		v.fresh, v.jobs, v.cursor, v.loaded, v.loading = nil, nil, "", false, false
		v.listChanged()
		v.loadMore(ctx)
	}
}

// act runs a row's action. Actions are never retried (style.md §6); GitLab's
// refusal is shown in its words.
func (v *jobsView) act(j gitlab.Job, a jobAction) ui.EventHandler {
	return func(ctx ui.Context, e ui.Event) {
		ctx = v.self
		client, ref, problem := v.env.projectClient(v.in, v.Project)
		if problem != "" {
			v.problem = problem
			return
		}
		v.acting[j.ID] = true
		lifetime := v.lifetime
		ctx.Async(func() {
			var got *gitlab.Job
			var err error
			switch a {
			case actionCancel:
				got, err = client.CancelJob(lifetime, ref, j.ID, gitlab.CancelOptions{})
			case actionRetry:
				got, err = client.RetryJob(lifetime, ref, j.ID)
			case actionPlay:
				got, err = client.PlayJob(lifetime, ref, j.ID, gitlab.PlayOptions{})
			}
			ctx.Dispatch(func(ctx ui.Context) {
				delete(v.acting, j.ID)
				if err != nil {
					v.problem = a.label() + " job #" + strconv.FormatInt(j.ID, 10) + ": " + words.Problem(err, v.in.Host())
					return
				}
				v.problem = ""
				v.apply(j.ID, a, *got)
			})
		})
	}
}

// apply puts an action's answer into the list: retry made a new job (it goes
// on top, newest first); cancel and play changed the job itself. Cancel
// answers 201 even when nothing was cancelled (§8.3), so the status is read.
func (v *jobsView) apply(id int64, a jobAction, got gitlab.Job) {
	defer v.refreshSoon()
	if a == actionRetry && got.ID != id {
		v.fresh = append([]gitlab.Job{got}, v.fresh...)
		return
	}
	v.fresh, v.jobs = mergeFirstPage(v.fresh, v.jobs, []gitlab.Job{got})
	if a == actionCancel && got.Status != gitlab.StatusCanceled && got.Status != gitlab.StatusCanceling {
		v.problem = "GitLab did not cancel job #" + strconv.FormatInt(id, 10) + ": it is " + words.Status(got.Status) + "."
	}
}

func (v *jobsView) Render() ui.UI {
	if !v.connected {
		return ui.Section().Class("card").Body(
			ui.H1().Body(ui.Text("Jobs "), ui.Span().Class("project").Text(words.ShowControls(v.Project))),
			connectFirst(v.in),
		)
	}
	return ui.Section().Class("jobs").DataSet("live", v.live).Body(
		ui.Div().Class("screen-head").Body(
			ui.H1().Body(ui.Text("Jobs "), ui.Span().Class("project").Text(words.ShowControls(v.Project))),
			ui.Div().Class("filters").Body(
				ui.Div().Class("chips").Aria("label", "Status").Attr("role", "group").Body(
					ui.Range(gitlab.Statuses).Slice(func(i int) ui.UI {
						s := gitlab.Statuses[i]
						return ui.Button().Type("button").Class("chip").
							Aria("pressed", strconv.FormatBool(v.scope.Has(s))).
							Text(words.Status(s)).OnClick(v.toggleScope(s))
					}),
				),
				ui.Label().For("job-filter").Class("visually-hidden").Text("Filter loaded jobs by name or ref"),
				ui.Input().ID("job-filter").Type("search").Placeholder("Filter by name or ref").
					Value(v.filter).OnInput(v.ValueTo(&v.filter)),
				ui.Label().Class("check").Title("While no job here is running or waiting, ask GitLab now and then for new ones").Body(
					ui.Input().ID("jobs-watch-new").Type("checkbox").Checked(v.watchNew.Load()).
						OnChange(func(ctx ui.Context, e ui.Event) {
							v.watchNew.Store(ctx.JSSrc().Get("checked").Bool())
							v.refreshSoon()
						}),
					ui.Text(" Watch for new jobs"),
				),
			),
			ui.P().ID("jobs-refresh-problem").Class("hint").Attr("role", "status").Text(v.refreshProblem),
		),
		ui.If(v.problem != "", func() ui.UI {
			return ui.P().ID("jobs-action-problem").Class("notice notice-error").Attr("role", "alert").Text(v.problem)
		}),
		ui.If(v.loadProblem != "" && len(v.jobs) == 0, v.loadProblemNotice),
		// New jobs in a list of their own, always there (empty, it is
		// hidden), so the rows below keep their index.
		ui.Ul().ID("jobs-new").Class("job-list jobs-new").Aria("label", "New jobs").Body(
			ui.Range(v.fresh).Slice(func(i int) ui.UI {
				if !matchesFilter(v.fresh[i], v.filter) {
					return nil
				}
				return v.row(v.fresh[i], true)
			}),
		),
		ui.Ul().ID("job-list").Class("job-list").Body(
			ui.Range(v.jobs).Slice(func(i int) ui.UI {
				if !matchesFilter(v.jobs[i], v.filter) {
					return nil
				}
				return v.row(v.jobs[i], false)
			}),
			ui.If(v.loading, func() ui.UI {
				return ui.Range(make([]struct{}, 6)).Slice(func(int) ui.UI {
					return ui.Li().Class("job skeleton").Aria("hidden", "true").Body(ui.Span().Class("bar"))
				})
			}),
		),
		ui.Div().ID("jobs-end").Class("list-end").Body(
			ui.If(v.loadProblem != "" && len(v.jobs) > 0, v.loadProblemNotice),
			ui.If(v.loaded && v.cursor == "", func() ui.UI {
				return ui.P().Class("hint").Text(map[bool]string{true: "No jobs.", false: "That is all."}[len(v.jobs) == 0])
			}).ElseIf(v.cursor != "" && !v.loading, func() ui.UI {
				return ui.Button().ID("load-more").Type("button").Class("small").Text("Load more").
					OnClick(func(ctx ui.Context, e ui.Event) { v.loadMore(ctx) })
			}),
		),
	)
}

func (v *jobsView) loadProblemNotice() ui.UI {
	return ui.P().ID("jobs-problem").Class("notice notice-error").Attr("role", "alert").Text(v.loadProblem)
}

func (v *jobsView) row(j gitlab.Job, isNew bool) ui.UI {
	jobRoute := Route{Screen: ScreenJob, Project: v.Project, ID: j.ID}
	action := actionFor(j)
	cls := "job"
	if isNew {
		cls = "job new" // the quiet mark (web/app.css)
	}
	return ui.Li().Class(cls).DataSet("id", j.ID).Body(
		ui.Span().Class("status "+statusClass(j.Status)).Body(
			ui.Span().Class("dot").Aria("hidden", "true"),
			ui.Text(words.Status(j.Status)),
		),
		ui.Div().Class("job-main").Body(
			ui.A().Class("job-name").Href(href(jobRoute)).Text(words.ShowControls(j.Name)),
			ui.Span().Class("job-id").Text(" #"+strconv.FormatInt(j.ID, 10)),
			ui.If(j.AllowFailure, func() ui.UI { return ui.Span().Class("tag").Text("allowed to fail") }),
			ui.If(isNew, func() ui.UI { return ui.Span().Class("tag tag-new").Text("new") }),
			ui.Div().Class("job-meta").Body(
				ui.Span().Class("stage").Text(words.ShowControls(j.Stage)),
				ui.Span().Class("ref").Body(
					ui.If(j.Tag, func() ui.UI { return ui.Span().Class("ref-kind").Text("tag ") }),
					ui.Text(words.ShowControls(j.Ref)),
				),
				ui.If(j.Commit != nil, func() ui.UI { return ui.Code().Class("sha").Text(j.Commit.ShortID) }),
				ui.A().Class("pipeline").Href(href(Route{Screen: ScreenPipeline, Project: v.Project, ID: j.Pipeline.ID})).
					Text("pipeline #"+strconv.FormatInt(j.Pipeline.ID, 10)),
				ui.Range(j.TagList).Slice(func(i int) ui.UI { return ui.Span().Class("tag").Text(words.ShowControls(j.TagList[i])) }),
			),
		),
		ui.Div().Class("job-times").Body(
			ui.If(words.JobTiming(j, v.now) != "", func() ui.UI { return ui.Span().Class("timing").Text(words.JobTiming(j, v.now)) }),
			ui.If(j.QueuedDuration != nil, func() ui.UI {
				return ui.Span().Class("queued").Text("queued " + words.Duration(*j.QueuedDuration))
			}),
			ui.If(j.FinishedAt != nil, func() ui.UI {
				return ui.Span().Class("finished").Title(j.FinishedAt.Format(time.RFC3339)).Text("finished " + words.Ago(*j.FinishedAt, v.now))
			}),
		),
		ui.If(action != actionNone, func() ui.UI {
			return ui.Button().Type("button").Class("small action").Disabled(v.acting[j.ID] || actionsOff(v.Offline)).Title(actionsReason(v.Offline)).
				Aria("label", action.label()+" "+words.ShowControls(j.Name)).
				Text(action.label()).OnClick(v.act(j, action))
		}),
	)
}

// statusClass is the CSS class of a status icon: one of a fixed set, so a
// status string from GitLab never becomes an arbitrary class name.
func statusClass(s gitlab.Status) string {
	switch s {
	case gitlab.StatusSuccess:
		return "st-success"
	case gitlab.StatusFailed:
		return "st-failed"
	case gitlab.StatusRunning, gitlab.StatusCanceling:
		return "st-running"
	case gitlab.StatusPending, gitlab.StatusCreated, gitlab.StatusWaitingForResource,
		gitlab.StatusPreparing, gitlab.StatusWaitingForCallback:
		return "st-pending"
	case gitlab.StatusCanceled, gitlab.StatusSkipped:
		return "st-neutral"
	case gitlab.StatusManual, gitlab.StatusScheduled:
		return "st-manual"
	}
	return "st-unknown"
}

// jobAction is the one action a job row offers for its state.
type jobAction int

const (
	actionNone jobAction = iota
	actionCancel
	actionRetry
	actionPlay
)

func (a jobAction) label() string {
	return [...]string{"", "Cancel", "Retry", "Run"}[a]
}

func actionFor(j gitlab.Job) jobAction {
	switch {
	case j.Status == gitlab.StatusManual:
		return actionPlay
	case j.Status.Cancelable():
		return actionCancel
	case j.Status.Retryable() && !j.Archived:
		return actionRetry
	}
	return actionNone
}

// matchesFilter reports whether the job's name or ref contains q, ignoring
// case; the filter applies to what is loaded (issue 4).
func matchesFilter(j gitlab.Job, q string) bool {
	if q == "" {
		return true
	}
	q = strings.ToLower(q)
	return strings.Contains(strings.ToLower(j.Name), q) || strings.Contains(strings.ToLower(j.Ref), q)
}

// offlineReason is the title of an action button that waits for the network.
func offlineReason(offline bool) string {
	if offline {
		return "Offline: GitLab cannot be asked until the network is back"
	}
	return ""
}

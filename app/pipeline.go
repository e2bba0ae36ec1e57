package app

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/jobscope/jobscope/app/visibility"
	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/poll"
	"github.com/jobscope/jobscope/internal/watch"
	"github.com/jobscope/jobscope/internal/words"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// pipelineView is one pipeline: its jobs grouped by stage in stage order,
// trigger jobs with their downstream pipeline, retried jobs on a toggle.
type pipelineView struct {
	ui.Compo
	env     *Env
	Project string
	ID      int64

	lifetime context.Context // see jobsView
	stop     context.CancelFunc
	self     ui.Context // see jobsView

	in          account.Instance
	connected   bool
	pipeline    *gitlab.Pipeline
	stages      []stage
	showRetried bool
	loading     bool
	now         time.Time
	problem     string
	live        liveState // data-live (live.go)
}

func (v *pipelineView) OnMount(ctx ui.Context) {
	v.self = ctx
	v.lifetime, v.stop = context.WithCancel(context.Background())
	st, _ := v.env.Settings.Load()
	v.in, v.connected = st.Usable()
	if v.connected {
		v.load(ctx)
	}
}

func (v *pipelineView) OnDismount() { v.stop() }

// load reads the pipeline, then refreshes it (live.go) while the page is
// visible and something in it will change on its own; once nothing will,
// it asks again only when the page is shown again. The first failure is
// said in place of the pipeline, later ones above what stays on screen.
func (v *pipelineView) load(ctx ui.Context) {
	ctx = v.self
	client, ref, problem := v.env.projectClient(v.in, v.Project)
	if problem != "" {
		v.problem = problem
		return
	}
	v.loading = true
	lifetime, id := v.lifetime, v.ID
	wake := make(chan struct{}, 1)
	visibility.Shown(lifetime, wake)
	setLive := func(s liveState) {
		ctx.Dispatch(func(ui.Context) {
			if lifetime.Err() == nil {
				v.live = s
			}
		})
	}
	loop := poll.Loop{Backoff: pipelinePoll, Visible: waitVisible(func() { setLive(livePaused) }), Wake: wake}
	var held pipelineState
	ctx.Async(func() {
		err := loop.Run(lifetime, func(c context.Context) (poll.Outcome, error) {
			got, err := fetchPipeline(c, client, ref, id, held)
			ctx.Dispatch(func(ctx ui.Context) {
				if lifetime.Err() != nil {
					return
				}
				v.loading, v.now = false, time.Now()
				if err != nil {
					v.problem = words.Problem(err, v.in.Host()) // what was loaded stays
					return
				}
				// Regrouped every time: rows keep their index, and go-app
				// writes only what changed.
				v.env.seen.remember(v.in.BaseURL, got.jobs)
				v.problem, v.pipeline, v.stages = "", got.pipeline, groupStages(got.jobs, got.bridges)
			})
			if err != nil {
				return poll.Quiet, err // a 401, 403 or 404 stops it
			}
			moved := held.pipeline == nil || held.pipeline.Status != got.pipeline.Status ||
				progressed(held.jobs, got.jobs) || progressed(bridgeJobs(held.bridges), bridgeJobs(got.bridges))
			held = got
			switch {
			case !got.unfinished():
				setLive(liveIdle)
				return poll.Idle, nil // until the page is shown again
			case moved:
				setLive(liveOn)
				return poll.Progress, nil
			}
			setLive(liveOn)
			return poll.Quiet, nil
		})
		if err != nil && lifetime.Err() == nil {
			setLive(liveStopped)
		}
	})
}

// pipelineState is what a refresh of the pipeline page read: the pipeline,
// its jobs with retried attempts and its trigger jobs, with the lists'
// ETags (gitlab-api.md §4) so that an unchanged list costs a 304.
type pipelineState struct {
	pipeline              *gitlab.Pipeline
	jobs                  []gitlab.Job
	bridges               []gitlab.Bridge
	jobsETag, bridgesETag string
}

// unfinished reports whether the pipeline or a job in it will change on
// its own (an earlier attempt never does).
func (s pipelineState) unfinished() bool {
	return s.pipeline.Status.Unfinished() || anyUnfinished(s.jobs) || anyUnfinished(bridgeJobs(s.bridges))
}

// bridgesMayChange: a trigger job still running, or without its downstream
// pipeline yet. GitLab makes a pipeline's trigger jobs with the pipeline and
// a retry only from one that exists (inferred, §5.3), so a pipeline that had
// none, or whose are all settled, is not asked for them again.
func (s pipelineState) bridgesMayChange() bool {
	return s.pipeline == nil || slices.ContainsFunc(s.bridges, func(b gitlab.Bridge) bool {
		return b.Status.Unfinished() || b.DownstreamPipeline == nil
	})
}

func bridgeJobs(bs []gitlab.Bridge) []gitlab.Job {
	out := make([]gitlab.Job, len(bs))
	for i, b := range bs {
		out[i] = gitlab.Job{JobBasic: b.JobBasic}
	}
	return out
}

// fetchPipeline reads a pipeline, all its jobs with retried attempts, and
// its trigger jobs (gitlab-api.md §5.2, §5.3, §11), given what was read
// before (zero the first time): the lists' first pages are asked with
// If-None-Match, and a 304 keeps what was held.
func fetchPipeline(ctx context.Context, c *gitlab.Client, ref gitlab.ProjectRef, id int64, held pipelineState) (pipelineState, error) {
	p, err := c.GetPipeline(ctx, ref, id)
	if err != nil {
		return held, err
	}
	got := held
	got.pipeline = p
	jo := gitlab.ListPipelineJobsOptions{IncludeRetried: true, ListOptions: gitlab.ListOptions{PerPage: 100}}
	got.jobs, got.jobsETag, err = listAll(held.jobs, held.jobsETag, func(page int, etag string) ([]gitlab.Job, gitlab.PageInfo, error) {
		o := jo
		o.Page, o.IfNoneMatch = page, etag
		return c.ListPipelineJobs(ctx, ref, id, o)
	})
	if err != nil || !held.bridgesMayChange() {
		return got, err
	}
	bo := gitlab.ListPipelineBridgesOptions{ListOptions: gitlab.ListOptions{PerPage: 100}}
	got.bridges, got.bridgesETag, err = listAll(held.bridges, held.bridgesETag, func(page int, etag string) ([]gitlab.Bridge, gitlab.PageInfo, error) {
		o := bo
		o.Page, o.IfNoneMatch = page, etag
		return c.ListPipelineBridges(ctx, ref, id, o)
	})
	return got, err
}

// listAll reads every page of an offset list, the first with If-None-Match
// etag: a 304 there keeps held (the first page's ETag speaks for the first
// page only, so a list longer than a page is read whole every time).
func listAll[T any](held []T, etag string, list func(page int, etag string) ([]T, gitlab.PageInfo, error)) ([]T, string, error) {
	items, info, err := list(1, etag)
	if err != nil {
		return held, etag, err
	}
	if info.NotModified && !info.HasNext() {
		return held, etag, nil
	}
	if info.NotModified {
		items, info, err = list(1, "")
		if err != nil {
			return held, etag, err
		}
	}
	first := info.ETag
	for page := info.NextPage; page > 1; {
		var more []T
		more, info, err = list(page, "")
		if err != nil {
			return held, etag, err
		}
		items = append(items, more...)
		if len(more) == 0 || info.NextPage <= page {
			break // the last page, or a server that does not advance
		}
		page = info.NextPage
	}
	return items, first, nil
}

func (v *pipelineView) Render() ui.UI {
	title := "Pipeline #" + strconv.FormatInt(v.ID, 10)
	if !v.connected {
		return ui.Section().Class("card").Body(
			ui.H1().Text(title),
			ui.P().Class("project").Text(words.ShowControls(v.Project)),
			connectFirst(v.in),
		)
	}
	retried := 0
	for _, s := range v.stages {
		retried += s.Retried
	}
	p := v.pipeline
	return ui.Section().Class("pipeline").DataSet("live", v.live).Body(
		ui.Div().Class("screen-head").Body(
			ui.H1().Text(title),
			ui.P().Class("project").Text(words.ShowControls(v.Project)),
			ui.If(p != nil, func() ui.UI {
				return ui.Div().Class("job-meta").Body(
					ui.Span().ID("pipeline-status").Class("status "+statusClass(p.Status)).Body(
						ui.Span().Class("dot").Aria("hidden", "true"), ui.Text(words.Status(p.Status))),
					ui.Span().Class("ref").Text(words.ShowControls(p.Ref)),
					ui.Code().Class("sha").Text(shortSHA(p.SHA)),
					ui.Span().Text(words.ShowControls(p.Source)),
					ui.If(p.Duration != nil, func() ui.UI { return ui.Span().Text(words.Duration(*p.Duration)) }),
					ui.If(p.User != nil, func() ui.UI { return ui.Span().Class("ref").Text("by " + words.ShowControls(p.User.Name)) }),
					ui.A().Href(href(Route{Screen: ScreenJobs, Project: v.Project})).Text("all jobs of the project"),
					watchButton(v.env, "pipeline-watch", watch.Watched{BaseURL: v.in.BaseURL, Project: v.Project, Kind: watch.Pipeline, ID: p.ID, Status: p.Status}),
				)
			}),
			ui.If(retried > 0, func() ui.UI {
				return ui.Label().Class("check").Body(
					ui.Input().ID("show-retried").Type("checkbox").Checked(v.showRetried).
						OnChange(func(ctx ui.Context, e ui.Event) { v.showRetried = ctx.JSSrc().Get("checked").Bool() }),
					ui.Text(" Show "+strconv.Itoa(retried)+" retried "+plural(retried, "job", "jobs")),
				)
			}),
		),
		ui.If(v.problem != "", func() ui.UI {
			return ui.P().Class("notice notice-error").Attr("role", "alert").Text(v.problem)
		}),
		ui.If(v.loading && p == nil, func() ui.UI {
			return ui.Div().Class("card skeleton").Aria("hidden", "true").Body(ui.Span().Class("bar"))
		}),
		ui.Div().ID("stages").Class("stages").Body(
			ui.Range(v.stages).Slice(func(i int) ui.UI { return v.stage(v.stages[i]) }),
		),
	)
}

func (v *pipelineView) stage(s stage) ui.UI {
	return ui.Section().Class("stage card").DataSet("stage", s.Name).Body(
		ui.H2().Body(
			ui.Span().Class("status "+statusClass(s.Status)).Body(ui.Span().Class("dot").Title(words.Status(s.Status))),
			ui.Text(" "),
			ui.Span().Class("stage-name").Text(words.ShowControls(s.Name)),
		),
		ui.Ul().Class("stage-jobs").Body(
			ui.Range(s.Jobs).Slice(func(i int) ui.UI {
				j := s.Jobs[i]
				if j.Retried && !v.showRetried {
					return nil
				}
				cls := "stage-job"
				if j.Retried {
					cls += " retried"
				}
				return ui.Li().Class(cls).DataSet("id", j.ID).Body(
					ui.Span().Class("status "+statusClass(j.Status)).Body(
						ui.Span().Class("dot").Aria("hidden", "true"), ui.Span().Class("visually-hidden").Text(words.Status(j.Status)+": ")),
					ui.If(j.Bridge, func() ui.UI { return v.bridge(j) }).Else(func() ui.UI {
						return ui.A().Class("job-name").Href(href(Route{Screen: ScreenJob, Project: v.Project, ID: j.ID})).Text(words.ShowControls(j.Name))
					}),
					ui.If(j.Retried, func() ui.UI { return ui.Span().Class("tag").Text("retried") }),
					ui.If(j.AllowFailure && j.Status == gitlab.StatusFailed, func() ui.UI { return ui.Span().Class("tag").Text("allowed to fail") }),
				)
			}),
		),
	)
}

// bridge is a trigger job: it has no job page (a bridge id is a 404 on the
// jobs endpoints, gitlab-api.md §3), so it links to its downstream pipeline.
func (v *pipelineView) bridge(j pipelineJob) ui.UI {
	if j.Downstream == nil {
		return ui.Span().Class("job-name bridge").Text(words.ShowControls(j.Name) + " (no downstream pipeline yet)")
	}
	d := j.Downstream
	return ui.A().Class("job-name bridge").
		Href(href(Route{Screen: ScreenPipeline, Project: strconv.FormatInt(d.ProjectID, 10), ID: d.ID})).
		Text(words.ShowControls(j.Name) + " → pipeline #" + strconv.FormatInt(d.ID, 10))
}

func shortSHA(sha string) string {
	if len(sha) > 8 {
		return sha[:8]
	}
	return sha
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

package app

import (
	"context"
	"strconv"
	"time"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
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

func (v *pipelineView) load(ctx ui.Context) {
	ctx = v.self
	client, ref, problem := v.env.projectClient(v.in, v.Project)
	if problem != "" {
		v.problem = problem
		return
	}
	v.loading = true
	lifetime, id := v.lifetime, v.ID
	ctx.Async(func() {
		p, jobs, bridges, err := fetchPipeline(lifetime, client, ref, id)
		ctx.Dispatch(func(ctx ui.Context) {
			if lifetime.Err() != nil {
				return
			}
			v.loading, v.now = false, time.Now()
			if err != nil {
				v.problem = words.Problem(err, v.in.Host())
				return
			}
			v.problem, v.pipeline, v.stages = "", p, groupStages(jobs, bridges)
		})
	})
}

// fetchPipeline reads a pipeline, all its jobs with retried attempts, and
// its trigger jobs (gitlab-api.md §5.2, §5.3, §11).
func fetchPipeline(ctx context.Context, c *gitlab.Client, ref gitlab.ProjectRef, id int64) (*gitlab.Pipeline, []gitlab.Job, []gitlab.Bridge, error) {
	p, err := c.GetPipeline(ctx, ref, id)
	if err != nil {
		return nil, nil, nil, err
	}
	var jobs []gitlab.Job
	for j, err := range c.AllPipelineJobs(ctx, ref, id, gitlab.ListPipelineJobsOptions{IncludeRetried: true, ListOptions: gitlab.ListOptions{PerPage: 100}}) {
		if err != nil {
			return nil, nil, nil, err
		}
		jobs = append(jobs, j)
	}
	var bridges []gitlab.Bridge
	for b, err := range c.AllPipelineBridges(ctx, ref, id, gitlab.ListPipelineBridgesOptions{ListOptions: gitlab.ListOptions{PerPage: 100}}) {
		if err != nil {
			return nil, nil, nil, err
		}
		bridges = append(bridges, b)
	}
	return p, jobs, bridges, nil
}

func (v *pipelineView) Render() ui.UI {
	title := "Pipeline #" + strconv.FormatInt(v.ID, 10)
	if !v.connected {
		return ui.Section().Class("card").Body(
			ui.H1().Text(title),
			ui.P().Class("project").Text(v.Project),
			connectFirst(v.in),
		)
	}
	retried := 0
	for _, s := range v.stages {
		retried += s.Retried
	}
	p := v.pipeline
	return ui.Section().Class("pipeline").Body(
		ui.Div().Class("screen-head").Body(
			ui.H1().Text(title),
			ui.P().Class("project").Text(v.Project),
			ui.If(p != nil, func() ui.UI {
				return ui.Div().Class("job-meta").Body(
					ui.Span().ID("pipeline-status").Class("status "+statusClass(p.Status)).Body(
						ui.Span().Class("dot").Aria("hidden", "true"), ui.Text(words.Status(p.Status))),
					ui.Span().Class("ref").Text(words.ShowControls(p.Ref)),
					ui.Code().Class("sha").Text(shortSHA(p.SHA)),
					ui.Span().Text(p.Source),
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

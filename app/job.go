package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jobscope/jobscope/app/logview"
	"github.com/jobscope/jobscope/app/savefile"
	"github.com/jobscope/jobscope/app/visibility"
	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/poll"
	"github.com/jobscope/jobscope/internal/watch"
	"github.com/jobscope/jobscope/internal/words"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Polling a job whose status may still change: start quick, slow down, and
// never faster than GitLab's own job page (gitlab-api.md §9: the browser
// cannot see rate-limit headers, so we back off on our own).
var jobPoll = poll.Backoff{First: 3 * time.Second, Max: 30 * time.Second}

// jobView is one job's screen, log first as on GitLab: a compact header
// (status, name, the action its state allows, duration, pipeline), the log
// filling the space under it, and every other field in a details panel:
// beside the log on a wide screen, a sheet one tap away on a narrow one and
// in the extension's popup. /-/jobs/N and /-/jobs/N/log both open it.
type jobView struct {
	ui.Compo
	env     *Env
	Project string
	ID      int64
	Offline bool // actions wait for the network (page.offline)

	lifetime    context.Context // see jobsView
	stop        context.CancelFunc
	stopPolling context.CancelFunc // the polling under way, if any
	self        ui.Context         // see jobsView

	in        account.Instance
	connected bool
	job       *gitlab.Job
	now       time.Time
	problem   string
	notice    string
	busy      bool
	confirm   bool // erase asked, waiting for confirmation
	playing   bool // the variables form is open
	vars      []gitlab.JobVariable
	upgrade   string // an action waiting for the api scope of a sign-in

	// The log's client and project, made once: a new client each render
	// would be a changed prop to go-app, and the log would follow anew.
	logClient *gitlab.Client
	logRef    gitlab.ProjectRef
	// settled is the job as a list showed it when its status was final
	// (seen.go): its log need not ask for the job before the trace.
	settled *gitlab.Job
	marks   *logview.Marks // the failed tests' lines (testreport.go)
}

func (v *jobView) OnMount(ctx ui.Context) {
	v.self = ctx
	v.lifetime, v.stop = context.WithCancel(context.Background())
	st, _ := v.env.Settings.Load()
	v.in, v.connected = st.Usable()
	if v.connected {
		if j, ok := v.env.seen.lookup(v.in.BaseURL, v.ID); ok {
			v.job = &j // shown at once; the fetch below brings GitLab's word
			if settled(j.Status) {
				v.settled = &j
			}
		}
		v.logClient, v.logRef, _ = v.env.projectClient(v.in, v.Project)
		v.fetch(ctx, 0)
	}
}

func (v *jobView) OnDismount() { v.stop() }

// fetch loads the job after wait, and keeps polling while it may change;
// it replaces the polling already under way (an action restarts it).
func (v *jobView) fetch(ctx ui.Context, wait time.Duration) {
	ctx = v.self
	client, ref, problem := v.env.projectClient(v.in, v.Project)
	if problem != "" {
		v.problem = problem
		return
	}
	if v.stopPolling != nil {
		v.stopPolling()
	}
	polling, stop := context.WithCancel(v.lifetime)
	v.stopPolling = stop
	id := v.ID
	// A hidden tab stops polling until it is looked at again.
	loop := poll.Loop{Backoff: jobPoll, Start: wait, Visible: visibility.Wait}
	ctx.Async(func() {
		_ = loop.Run(polling, func(c context.Context) (poll.Outcome, error) {
			job, err := client.GetJob(c, ref, id)
			ctx.Dispatch(func(ctx ui.Context) {
				if polling.Err() != nil {
					return
				}
				v.now = time.Now()
				if err != nil {
					v.problem = words.Problem(err, v.in.Host()) // what was loaded stays on screen
				} else {
					v.problem, v.job = "", job
				}
			})
			switch {
			case err != nil:
				return poll.Quiet, err // a 401, 403 or 404 stops polling
			case !job.Status.Active() && !job.Status.Executing():
				return poll.Done, nil
			}
			return poll.Quiet, nil
		})
	})
}

// run performs an action (never retried, style.md §6) and applies its answer.
func (v *jobView) run(ctx ui.Context, what string, do func(context.Context, *gitlab.Client, gitlab.ProjectRef) (*gitlab.Job, error), then func(ctx ui.Context, j *gitlab.Job)) {
	ctx = v.self
	if framed() { // the buttons are off; a click that gets here anyway is not the user's
		v.problem = actionsReason(v.Offline)
		return
	}
	client, ref, problem := v.env.projectClient(v.in, v.Project)
	if problem != "" {
		v.problem = problem
		return
	}
	if !v.env.SignIn.CanAct(v.in) {
		v.upgrade = what // a read_api sign-in: ask for api first, saying why
		return
	}
	v.busy, v.notice = true, ""
	lifetime := v.lifetime
	ctx.Async(func() {
		j, err := do(lifetime, client, ref)
		ctx.Dispatch(func(ctx ui.Context) {
			v.busy, v.confirm = false, false
			if err != nil {
				if v.env.SignIn.WantsUpgrade(v.in, err) {
					v.upgrade = what
					return
				}
				v.problem = what + ": " + words.Problem(err, v.in.Host())
				return
			}
			v.problem = ""
			then(ctx, j)
		})
	})
}

func (v *jobView) cancel(ctx ui.Context, e ui.Event) {
	v.run(ctx, "Cancel", func(c context.Context, cl *gitlab.Client, p gitlab.ProjectRef) (*gitlab.Job, error) {
		return cl.CancelJob(c, p, v.ID, gitlab.CancelOptions{})
	}, func(ctx ui.Context, j *gitlab.Job) {
		v.job = j
		// Cancel answers 201 whatever happened (§8.3): read the status.
		if j.Status != gitlab.StatusCanceled && j.Status != gitlab.StatusCanceling {
			v.notice = "GitLab did not cancel the job: it is " + words.Status(j.Status) + "."
		}
		v.fetch(ctx, jobPoll.First)
	})
}

func (v *jobView) retry(ctx ui.Context, e ui.Event) {
	v.run(ctx, "Retry", func(c context.Context, cl *gitlab.Client, p gitlab.ProjectRef) (*gitlab.Job, error) {
		return cl.RetryJob(c, p, v.ID)
	}, func(ctx ui.Context, j *gitlab.Job) {
		ctx.Navigate(href(Route{Screen: ScreenJob, Project: v.Project, ID: j.ID}))
	})
}

// erase keeps the confirmation on screen, its button disabled, until GitLab
// answers.
func (v *jobView) erase(ctx ui.Context, e ui.Event) {
	v.run(ctx, "Erase", func(c context.Context, cl *gitlab.Client, p gitlab.ProjectRef) (*gitlab.Job, error) {
		return cl.EraseJob(c, p, v.ID)
	}, func(ctx ui.Context, j *gitlab.Job) {
		v.job, v.notice = j, "The job's log and artifacts were erased."
	})
}

func (v *jobView) play(ctx ui.Context, e ui.Event) {
	e.PreventDefault()
	var vars []gitlab.JobVariable
	for _, kv := range v.vars {
		if strings.TrimSpace(kv.Key) != "" {
			vars = append(vars, kv)
		}
	}
	v.run(ctx, "Run", func(c context.Context, cl *gitlab.Client, p gitlab.ProjectRef) (*gitlab.Job, error) {
		return cl.PlayJob(c, p, v.ID, gitlab.PlayOptions{Variables: vars})
	}, func(ctx ui.Context, j *gitlab.Job) {
		v.playing, v.vars = false, nil
		if j.ID != v.ID { // play on a finished manual job makes a new one (§8.3 ⚠)
			ctx.Navigate(href(Route{Screen: ScreenJob, Project: v.Project, ID: j.ID}))
			return
		}
		v.job = j
		v.fetch(ctx, jobPoll.First)
	})
}

func (v *jobView) Render() ui.UI {
	title := "Job #" + strconv.FormatInt(v.ID, 10)
	if !v.connected {
		return ui.Section().Class("card").Body(
			ui.H1().Text(title),
			connectFirst(v.in),
		)
	}
	// Every child keeps its place whatever is shown: go-app diffs children
	// by index, and the log view moved among its siblings would be mounted
	// afresh (and load the log again).
	return ui.Section().Class("job-screen").Body(
		v.head(),
		ui.Div().Class("job-notices").Body(
			ui.If(v.problem != "", func() ui.UI {
				return ui.P().ID("job-problem").Class("notice notice-error").Attr("role", "alert").Text(v.problem)
			}),
			ui.If(v.upgrade != "", func() ui.UI {
				return &ScopeUpgrade{Env: v.env, In: v.in, Action: strings.ToLower(v.upgrade)}
			}),
			ui.If(v.notice != "", func() ui.UI {
				return ui.P().ID("job-notice").Class("notice notice-ok").Attr("role", "status").Text(v.notice)
			}),
			ui.If(v.playing, func() ui.UI { return v.playForm() }),
		),
		ui.Div().Class("job-body").Body(
			ui.Div().Class("job-log").Body(&logview.Job{Client: v.logClient, Project: v.logRef, ID: v.ID, Settled: v.settled, Marks: v.logMarks(),
				RunPath: func(id int64) string { return href(Route{Screen: ScreenJob, Project: v.Project, ID: id}) }}),
			v.panel(),
		),
	)
}

// head is the job's compact header: status, name, duration, pipeline, the
// one action the state allows, and the button to the details on narrow
// screens.
func (v *jobView) head() ui.UI {
	j := v.job
	id := "#" + strconv.FormatInt(v.ID, 10)
	if j == nil {
		return ui.Header().Class("job-head").Body(
			ui.Div().Class("job-title").Body(ui.H1().Body(ui.Span().Class("job-id").Text(id))),
			ui.Div().Class("job-facts skeleton").Aria("hidden", "true").Body(ui.Span().Class("bar")),
		)
	}
	return ui.Header().Class("job-head").Body(
		ui.Div().Class("job-title").Body(
			ui.Span().ID("job-status").Class("status "+statusClass(j.Status)).Body(
				ui.Span().Class("dot").Aria("hidden", "true"), ui.Text(words.Status(j.Status))),
			ui.H1().Title(words.ShowControls(j.Name)).Body(
				ui.Span().Class("job-name").Text(words.ShowControls(j.Name)+" "),
				ui.Span().Class("job-id").Text(id),
			),
			v.failedTests(*j),
		),
		ui.Div().Class("job-facts").Body(
			ui.If(words.JobTiming(*j, v.now) != "", func() ui.UI {
				return ui.Span().ID("job-duration").Class("job-duration").Text(words.JobTiming(*j, v.now))
			}),
			ui.A().ID("job-pipeline").Href(href(Route{Screen: ScreenPipeline, Project: v.Project, ID: j.Pipeline.ID})).
				Title("Pipeline "+words.Status(j.Pipeline.Status)).Text("Pipeline #"+strconv.FormatInt(j.Pipeline.ID, 10)),
			ui.Div().Class("job-actions").Body(
				v.primaryAction(*j),
				ui.Button().ID("job-details-button").Type("button").Class("small").
					Attr("popovertarget", "job-details").Aria("controls", "job-details").Text("Details"),
			),
		),
	)
}

// primaryAction is the action that fits the job's state: cancel what runs,
// retry what ended, run a manual job. Erase, a loss, waits in the details.
func (v *jobView) primaryAction(j gitlab.Job) ui.UI {
	button := func(id, label string, click ui.EventHandler) ui.UI {
		return ui.Button().ID(id).Type("button").Class("small").Disabled(v.busy || actionsOff(v.Offline)).
			Title(actionsReason(v.Offline)).Text(label).OnClick(click)
	}
	switch {
	case j.Status.Cancelable():
		return button("job-cancel", "Cancel", v.cancel)
	case j.Status == gitlab.StatusManual:
		return button("job-play", "Run…", func(ctx ui.Context, e ui.Event) { v.playing = !v.playing })
	case j.Status.Retryable() && !j.Archived:
		return button("job-retry", "Retry", v.retry)
	}
	return nil
}

// panel holds every field of the job and the actions that are not the
// header's: a side panel on a wide screen, a sheet (a popover, closed by
// Escape or a tap outside) on a narrow one (web/app.css).
func (v *jobView) panel() ui.UI {
	return ui.Aside().ID("job-details").Class("job-details").Attr("popover", "auto").Aria("labelledby", "job-details-title").Body(
		ui.Div().Class("job-details-head").Body(
			ui.H2().ID("job-details-title").Text("Details"),
			ui.Button().Type("button").Class("small sheet-close").Attr("popovertarget", "job-details").
				Attr("popovertargetaction", "hide").Text("Close"),
		),
		ui.If(v.job == nil, func() ui.UI {
			return ui.Div().Class("skeleton").Aria("hidden", "true").Body(ui.Span().Class("bar"))
		}).Else(func() ui.UI { return v.details(*v.job) }),
	)
}

func (v *jobView) details(j gitlab.Job) ui.UI {
	field := func(label string, value ui.UI) ui.UI {
		return ui.Div().Class("field").Body(ui.Dt().Text(label), ui.Dd().Body(value))
	}
	text := func(s string) ui.UI { return ui.Text(s) }
	when := func(t *time.Time) ui.UI {
		if t == nil {
			return ui.Text("—")
		}
		return ui.Time().DateTime(t.Format(time.RFC3339)).Title(t.Format(time.RFC1123)).Text(words.Ago(*t, v.now))
	}
	dur := func(d *float64) ui.UI {
		if d == nil {
			return ui.Text("—")
		}
		return ui.Text(words.Duration(*d))
	}
	return ui.Div().Body(
		ui.Div().Class("job-status").Body(
			ui.P().Class("project").Text(words.ShowControls(v.Project)),
			ui.If(j.FailureReason != "", func() ui.UI {
				return ui.Span().Class("failure").Text(words.Status(j.Status) + " because " + words.FailureReason(j.FailureReason))
			}),
			ui.If(j.AllowFailure, func() ui.UI { return ui.Span().Class("tag").Text("allowed to fail") }),
			ui.If(j.ErasedAt != nil, func() ui.UI {
				return ui.Span().Class("tag").Text("erased " + words.Ago(*j.ErasedAt, v.now))
			}),
			ui.Div().Class("actions").Body(
				watchButton(v.env, "job-watch", v.watched(j)),
				ui.If(j.Status.Erasable() && j.ErasedAt == nil && !j.Archived, func() ui.UI {
					return ui.Button().ID("job-erase").Type("button").Class("danger").Disabled(v.busy || actionsOff(v.Offline)).Title(actionsReason(v.Offline)).Text("Erase…").
						OnClick(func(ctx ui.Context, e ui.Event) { v.confirm = true })
				}),
			),
			ui.If(v.confirm, func() ui.UI { return v.eraseConfirm(j) }),
		),
		ui.Dl().Class("fields").Body(
			field("Stage", text(words.ShowControls(j.Stage))),
			field(map[bool]string{true: "Tag", false: "Branch"}[j.Tag], ui.Span().Class("ref").Text(words.ShowControls(j.Ref))),
			ui.If(j.Commit != nil, func() ui.UI {
				c := j.Commit
				return field("Commit", ui.Span().Body(
					ui.Code().Class("sha").Text(c.ShortID+" "),
					ui.Span().Class("commit-title").Text(words.ShowControls(c.Title)),
					ui.Span().Class("hint").Text(" by "+words.ShowControls(c.AuthorName)),
				))
			}),
			field("Pipeline", ui.A().Href(href(Route{Screen: ScreenPipeline, Project: v.Project, ID: j.Pipeline.ID})).
				Text("#"+strconv.FormatInt(j.Pipeline.ID, 10)+" ("+words.Status(j.Pipeline.Status)+")")),
			ui.If(j.User != nil, func() ui.UI {
				return field("Started by", ui.Span().Class("ref").Text(words.ShowControls(j.User.Name+" @"+j.User.Username)))
			}),
			field("Created", when(&j.CreatedAt)),
			field("Queued for", dur(j.QueuedDuration)),
			field("Started", when(j.StartedAt)),
			field("Finished", when(j.FinishedAt)),
			field("Duration", ui.Text(words.JobTiming(j, v.now))),
			ui.If(j.Runner != nil, func() ui.UI {
				r := j.Runner
				return field("Runner", ui.Span().Class("ref").Text(words.ShowControls(r.Description+" (#"+strconv.FormatInt(r.ID, 10)+", "+r.RunnerType+")")))
			}),
			ui.If(len(j.TagList) > 0, func() ui.UI {
				return field("Runner tags", ui.Span().Body(ui.Range(j.TagList).Slice(func(i int) ui.UI {
					return ui.Span().Class("tag").Text(words.ShowControls(j.TagList[i]))
				})))
			}),
			ui.If(j.Coverage != nil, func() ui.UI {
				return field("Coverage", text(strconv.FormatFloat(*j.Coverage, 'f', -1, 64)+" %"))
			}),
			field("Artifacts", v.artifacts(j)),
		),
	)
}

func (v *jobView) artifacts(j gitlab.Job) ui.UI {
	var files []gitlab.Artifact
	for _, a := range j.Artifacts {
		if a.FileType != "trace" { // the log has its own page
			files = append(files, a)
		}
	}
	if len(files) == 0 {
		return ui.Text("none")
	}
	return ui.Ul().Class("artifacts").Body(
		ui.Range(files).Slice(func(i int) ui.UI {
			a := files[i]
			return ui.Li().Body(
				ui.Span().Class("tag").Text(words.ShowControls(a.FileType)),
				ui.Span().Class("ref").Text(" "+words.ShowControls(a.Filename)+" "),
				ui.Span().Class("hint").Text(words.Size(a.Size)),
				ui.If(a.FileType == "archive" && j.ArtifactsFile != nil, func() ui.UI {
					return ui.Button().ID("artifacts-download").Type("button").Class("small").
						Disabled(v.busy || v.Offline).Title(offlineReason(v.Offline)).
						Text("Download").OnClick(v.downloadArtifacts)
				}),
			)
		}),
		ui.If(j.ArtifactsExpireAt != nil, func() ui.UI {
			return ui.Li().Class("hint").Text("expire " + j.ArtifactsExpireAt.Format("2 Jan 2006 15:04 MST"))
		}),
	)
}

// eraseConfirm names what erasing loses before it happens.
func (v *jobView) eraseConfirm(j gitlab.Job) ui.UI {
	lost := "its log"
	if n := len(j.Artifacts); n > 1 || (n == 1 && j.Artifacts[0].FileType != "trace") {
		lost = "its log and all its artifacts"
	}
	return ui.Div().ID("erase-confirm").Class("notice notice-error").Attr("role", "alertdialog").
		Aria("label", "Confirm erase").Body(
		ui.P().Text("Erasing job #"+strconv.FormatInt(j.ID, 10)+" deletes "+lost+" for good. The job stays in the list."),
		ui.Div().Class("actions").Body(
			ui.Button().ID("erase-yes").Type("button").Class("danger").Disabled(v.busy || actionsOff(v.Offline)).Text("Erase "+strings.TrimPrefix(lost, "its ")).OnClick(v.erase),
			ui.Button().ID("erase-no").Type("button").Class("small").Text("Keep them").
				OnClick(func(ctx ui.Context, e ui.Event) { v.confirm = false }),
		),
	)
}

// playForm asks for the variables of a manual job run (§5.10).
func (v *jobView) playForm() ui.UI {
	return ui.Form().ID("play-form").Class("play").OnSubmit(v.play).Body(
		ui.P().Class("hint").Text("Variables for this run (optional):"),
		ui.Range(v.vars).Slice(func(i int) ui.UI {
			return ui.Div().Class("row").Body(
				ui.Input().Type("text").Placeholder("KEY").Aria("label", "Variable name").Value(v.vars[i].Key).
					OnChange(func(ctx ui.Context, e ui.Event) { v.vars[i].Key = ctx.JSSrc().Get("value").String() }),
				ui.Input().Type("text").Placeholder("value").Aria("label", "Variable value").Value(v.vars[i].Value).
					OnChange(func(ctx ui.Context, e ui.Event) { v.vars[i].Value = ctx.JSSrc().Get("value").String() }),
			)
		}),
		ui.Div().Class("actions").Body(
			ui.Button().Type("button").Class("small").Text("Add a variable").
				OnClick(func(ctx ui.Context, e ui.Event) { v.vars = append(v.vars, gitlab.JobVariable{}) }),
			ui.Button().ID("play-run").Type("submit").Disabled(v.busy || actionsOff(v.Offline)).Title(actionsReason(v.Offline)).Text("Run job"),
		),
	)
}

// watched is this job as a watched item.
func (v *jobView) watched(j gitlab.Job) watch.Watched {
	return watch.Watched{BaseURL: v.in.BaseURL, Project: v.Project, Kind: watch.Job, ID: j.ID, Name: j.Name, Status: j.Status}
}

// downloadArtifacts fetches the archive with the token in a header (a link
// would need it in the URL, gitlab-api.md §11) and saves it as a file.
func (v *jobView) downloadArtifacts(ctx ui.Context, e ui.Event) {
	ctx = v.self
	client, ref, problem := v.env.projectClient(v.in, v.Project)
	if problem != "" || v.job == nil || v.job.ArtifactsFile == nil {
		v.problem = problem
		return
	}
	name, lifetime := v.job.ArtifactsFile.Filename, v.lifetime
	v.busy, v.notice = true, ""
	ctx.Async(func() {
		zip, err := client.JobArtifacts(lifetime, ref, v.ID)
		ctx.Dispatch(func(ctx ui.Context) {
			v.busy = false
			if err != nil {
				v.problem = "Download artifacts: " + words.Problem(err, v.in.Host())
				return
			}
			savefile.Save(name, "application/zip", zip)
			v.notice = "Downloaded " + name + " (" + words.Size(int64(len(zip))) + ")."
		})
	})
}

package logview

import (
	"errors"
	"strconv"

	"github.com/jobscope/jobscope/internal/gitlab"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// compareWithLastGreen compares a failed job's whole log with its last
// passing run's (gitlab.LastGreenRun), once per view, and says in words
// when there is nothing to compare with.
func (j *Job) compareWithLastGreen(ctx ui.Context) {
	if j.compared || j.last == nil || j.Client == nil {
		return
	}
	j.compared = true
	client, project, failed, lifetime := j.Client, j.Project, *j.last, j.lifetime
	j.v.changes = lookingFor("Looking for the last passing run of " + failed.Name + " on " + failed.Ref + "…")
	ctx.Async(func() {
		green, _, err := client.LastGreenRun(lifetime, project, &failed)
		var raw []byte
		if err == nil && green.ErasedAt == nil {
			raw, err = client.JobLog(lifetime, project, green.ID)
		}
		ctx.Dispatch(func(ctx ui.Context) {
			if lifetime.Err() != nil {
				return
			}
			against, link := "", ""
			if green != nil {
				against = "job #" + strconv.FormatInt(green.ID, 10)
				if j.RunPath != nil {
					link = j.RunPath(green.ID)
				}
			}
			switch {
			case errors.Is(err, gitlab.ErrNoGreenRun):
				j.v.nothingToCompare("No passing run of "+failed.Name+" on "+failed.Ref+" before this one, among the last "+
					strconv.Itoa(gitlab.GreenRunSearch)+" successful pipelines: nothing to compare with.", "", "")
			case err != nil && green == nil:
				j.v.nothingToCompare("The last passing run could not be looked for: "+compareProblem(err), "", "")
			case green.ErasedAt != nil, errors.Is(err, gitlab.ErrNotFound), err == nil && len(raw) == 0:
				j.v.nothingToCompare("The last passing run, "+against+", has no log (erased): nothing to compare with.", against, link)
			case err != nil:
				j.v.nothingToCompare("The log of the last passing run, "+against+", could not be read: "+compareProblem(err), against, link)
			default:
				j.v.compareWith(ctx, against, link, raw)
			}
		})
	})
}

// compareProblem says what stopped the comparison; it is not retried (a
// reload asks again), unlike the log itself (describe).
func compareProblem(err error) string {
	var e *gitlab.Error
	switch {
	case errors.Is(err, gitlab.ErrUnauthorized):
		return "GitLab refused the token (401). Check it on the Connect screen."
	case errors.Is(err, gitlab.ErrForbidden):
		return "the token may not read this project's pipelines (403)."
	case errors.Is(err, gitlab.ErrNetwork):
		return "GitLab could not be reached. Reload the page to try again."
	case errors.As(err, &e):
		return "GitLab answered " + strconv.Itoa(e.StatusCode) + ". Reload the page to try again."
	}
	return "it failed. Reload the page to try again."
}

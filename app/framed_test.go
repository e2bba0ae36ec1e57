package app

import (
	"regexp"
	"strings"
	"testing"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Framed by another page (window.top !== window.self), every action button
// is off, so the page cannot trick a click on cancel, retry, erase or run.
func TestActionsAreOffWhenTheAppIsFramed(t *testing.T) {
	env := NewEnv(&account.MemoryKV{})
	job := func(s gitlab.Status) gitlab.Job {
		return gitlab.Job{JobBasic: gitlab.JobBasic{ID: 7, Name: "deploy", Status: s}}
	}
	jobPage := func(j gitlab.Job, playing, confirm bool) ui.UI {
		v := &jobView{env: env, Project: "g/p", ID: j.ID, job: &j, playing: playing, confirm: confirm}
		return ui.Div().Body(v.primaryAction(j), v.details(j), ui.If(playing, v.playForm))
	}
	cases := []struct {
		name   string
		ui     func() ui.UI
		button string // the action button's id, or its text
	}{
		{"cancel in the jobs list", func() ui.UI { return (&jobsView{env: env, Project: "g/p"}).row(job(gitlab.StatusRunning), false) }, ">Cancel<"},
		{"retry in the jobs list", func() ui.UI { return (&jobsView{env: env, Project: "g/p"}).row(job(gitlab.StatusFailed), false) }, ">Retry<"},
		{"run in the jobs list", func() ui.UI { return (&jobsView{env: env, Project: "g/p"}).row(job(gitlab.StatusManual), false) }, ">Run<"},
		{"cancel on the job page", func() ui.UI { return jobPage(job(gitlab.StatusRunning), false, false) }, `id="job-cancel"`},
		{"retry on the job page", func() ui.UI { return jobPage(job(gitlab.StatusFailed), false, false) }, `id="job-retry"`},
		{"erase on the job page", func() ui.UI { return jobPage(job(gitlab.StatusFailed), false, false) }, `id="job-erase"`},
		{"erase, confirmed", func() ui.UI { return jobPage(job(gitlab.StatusFailed), false, true) }, `id="erase-yes"`},
		{"run with variables", func() ui.UI { return jobPage(job(gitlab.StatusManual), true, false) }, `id="play-run"`},
	}
	for _, framedNow := range []bool{false, true} {
		framed = func() bool { return framedNow }
		for _, tc := range cases {
			t.Run(tc.name+map[bool]string{true: ", framed", false: ""}[framedNow], func(t *testing.T) {
				html := ui.HTMLString(tc.ui())
				var tag string
				for _, b := range regexp.MustCompile(`<button[^>]*>[^<]*`).FindAllString(html, -1) {
					if strings.Contains(b, tc.button) || strings.Contains(b, tc.button[:len(tc.button)-1]) && strings.HasSuffix(b, tc.button[1:len(tc.button)-1]) {
						tag = b
					}
				}
				require.NotEmpty(t, tag, "the button is there: %s", html)
				assert.Equal(t, framedNow, regexp.MustCompile(`\sdisabled[\s>]`).MatchString(tag), "framed %v: %s", framedNow, tag)
			})
		}
	}
	framed = isFramed
}

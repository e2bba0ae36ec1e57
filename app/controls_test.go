package app

import (
	"testing"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/stretchr/testify/assert"

	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Every string GitLab hands over shows its direction controls as names
// (words.ShowControls): a stage or tag of "\u202Eexe.txt\u202C" must not
// read "txt.exe" on any screen.
func TestDirectionControlsShowAsNamesInEveryJobField(t *testing.T) {
	const hostile = "\u202Eexe.txt\u202C"
	j := gitlab.Job{
		JobBasic: gitlab.JobBasic{ID: 7, Name: "build" + hostile, Stage: "stage" + hostile, Ref: "main", Status: gitlab.StatusFailed,
			User: &gitlab.User{Name: "n", Username: "u" + hostile}},
		TagList: []string{"tag" + hostile},
	}
	env := NewEnv(&account.MemoryKV{})
	cases := []struct {
		name string
		ui   func() ui.UI
	}{
		{"a row of the jobs list", func() ui.UI { return (&jobsView{env: env, Project: "g/p"}).row(j, false) }},
		{"a job's details", func() ui.UI { return (&jobView{env: env, Project: "g/p"}).details(j) }},
		{"a pipeline's stage", func() ui.UI {
			return (&pipelineView{env: env, Project: "g/p"}).stage(groupStages([]gitlab.Job{j}, nil)[0])
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			html := ui.HTMLString(tc.ui())
			assert.NotContains(t, html, "\u202E")
			assert.NotContains(t, html, "\u202C")
			assert.Contains(t, html, "[U+202E]exe.txt[U+202C]")
		})
	}
}

package app

import (
	"testing"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/stretchr/testify/assert"
)

func jb(id int64, st gitlab.Status) gitlab.Job {
	return gitlab.Job{JobBasic: gitlab.JobBasic{ID: id, Status: st}}
}

func ids(jobs []gitlab.Job) []int64 {
	out := []int64{}
	for _, j := range jobs {
		out = append(out, j.ID)
	}
	return out
}

func statuses(jobs []gitlab.Job) []gitlab.Status {
	out := []gitlab.Status{}
	for _, j := range jobs {
		out = append(out, j.Status)
	}
	return out
}

const (
	run  = gitlab.StatusRunning
	pend = gitlab.StatusPending
	ok   = gitlab.StatusSuccess
	fail = gitlab.StatusFailed
)

// Pages are newest first, as GitLab lists jobs (gitlab-api.md §5.1).
func TestMergeFirstPage(t *testing.T) {
	cases := []struct {
		name              string
		fresh, held, page []gitlab.Job
		wantFresh         []int64
		wantHeld          []int64
		wantHeldStatus    []gitlab.Status
	}{
		{
			name:           "statuses change in place",
			held:           []gitlab.Job{jb(5, run), jb(4, pend), jb(3, ok)},
			page:           []gitlab.Job{jb(5, ok), jb(4, run), jb(3, ok)},
			wantFresh:      []int64{},
			wantHeld:       []int64{5, 4, 3},
			wantHeldStatus: []gitlab.Status{ok, run, ok},
		},
		{
			name:           "a retry and a new pipeline go on top, newest first, and what is held stays",
			held:           []gitlab.Job{jb(5, fail), jb(4, ok), jb(3, ok)},
			page:           []gitlab.Job{jb(8, pend), jb(7, pend), jb(6, pend), jb(5, fail)},
			wantFresh:      []int64{8, 7, 6},
			wantHeld:       []int64{5, 4, 3},
			wantHeldStatus: []gitlab.Status{fail, ok, ok},
		},
		{
			name:           "newer jobs go above the ones already new, which change in place",
			fresh:          []gitlab.Job{jb(6, pend)},
			held:           []gitlab.Job{jb(5, ok)},
			page:           []gitlab.Job{jb(7, pend), jb(6, run), jb(5, ok)},
			wantFresh:      []int64{7, 6},
			wantHeld:       []int64{5},
			wantHeldStatus: []gitlab.Status{ok},
		},
		{
			name:           "a job that left the page or the scope stays where it is",
			held:           []gitlab.Job{jb(5, run), jb(4, run)},
			page:           []gitlab.Job{jb(4, run)},
			wantFresh:      []int64{},
			wantHeld:       []int64{5, 4},
			wantHeldStatus: []gitlab.Status{run, run},
		},
		{
			name:           "an older job entering the scope shows on top",
			held:           []gitlab.Job{jb(9, run)},
			page:           []gitlab.Job{jb(9, run), jb(2, run)},
			wantFresh:      []int64{2},
			wantHeld:       []int64{9},
			wantHeldStatus: []gitlab.Status{run},
		},
		{
			name:           "an empty page changes nothing",
			held:           []gitlab.Job{jb(1, ok)},
			wantFresh:      []int64{},
			wantHeld:       []int64{1},
			wantHeldStatus: []gitlab.Status{ok},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			heldBefore := append([]gitlab.Job(nil), tc.held...)
			fresh, held := mergeFirstPage(tc.fresh, tc.held, tc.page)
			assert.Equal(t, tc.wantFresh, ids(fresh))
			assert.Equal(t, tc.wantHeld, ids(held))
			assert.Equal(t, tc.wantHeldStatus, statuses(held))
			assert.Equal(t, heldBefore, tc.held, "the held slice is not modified")
		})
	}
}

func TestAppendPageLeavesOutWhatIsOnTop(t *testing.T) {
	held := appendPage([]gitlab.Job{jb(2, run)}, []gitlab.Job{jb(9, ok)}, []gitlab.Job{jb(3, ok), jb(2, run), jb(1, ok)})
	assert.Equal(t, []int64{9, 3, 1}, ids(held))
}

func TestProgressed(t *testing.T) {
	dur := func(j gitlab.Job, d float64) gitlab.Job { j.Duration = &d; return j }
	cases := []struct {
		name          string
		before, after []gitlab.Job
		want          bool
	}{
		{"the same jobs in the same statuses", []gitlab.Job{jb(2, run), jb(1, ok)}, []gitlab.Job{jb(2, run), jb(1, ok)}, false},
		{"a running job's duration grew", []gitlab.Job{dur(jb(2, run), 10)}, []gitlab.Job{dur(jb(2, run), 25)}, false},
		{"a job finished", []gitlab.Job{jb(2, run)}, []gitlab.Job{jb(2, ok)}, true},
		{"a job was added", []gitlab.Job{jb(2, ok)}, []gitlab.Job{jb(3, pend), jb(2, ok)}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, progressed(tc.before, tc.after))
		})
	}
}

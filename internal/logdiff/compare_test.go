package logdiff

import (
	"fmt"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/loggen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompareMarksTheLinesThePassingRunLacks(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new texts
		want     []int
	}{
		{"same", texts{"a", "b"}, texts{"a", "b"}, nil},
		{"only noise", texts{"took 1.2s", "commit a6f3e01b"}, texts{"took 3.04s", "commit 19c0d2ee"}, nil},
		{"a new line", texts{"a", "b"}, texts{"a", "FAIL", "b"}, []int{1}},
		{"moved lines are not new", texts{"a", "b", "c"}, texts{"c", "a", "b"}, nil},
		{"one more of a repeated line", texts{"FAIL", "x"}, texts{"FAIL", "x", "FAIL"}, []int{2}},
		{"empty passing log", texts{}, texts{"a", "b"}, []int{0, 1}},
		{"empty failed log", texts{"a"}, texts{}, nil},
		{"a changed number", texts{"exit code 0"}, texts{"exit code 1"}, []int{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New(tc.old, tc.new).Run()
			assert.Equal(t, tc.want, c.Changed())
			assert.Equal(t, Done, c.Phase())
			assert.InDelta(t, 1.0, c.Progress(), 1e-9)
		})
	}
}

func TestCompareInStepsGivesWhatOneRunGives(t *testing.T) {
	p := loggen.GreenRed(loggen.Options{Seed: 11, Size: 512 << 10, Timestamps: true}, time.Time{})
	green, red := parse(p.Green), parse(p.Red)
	whole := New(StoreLines{green}, StoreLines{red}).Run().Changed()
	c := New(StoreLines{green}, StoreLines{red})
	steps, last := 0, -1.0
	for !c.Step(4 << 10) {
		steps++
		require.GreaterOrEqual(t, c.Progress(), last, "progress only grows")
		last = c.Progress()
	}
	assert.Greater(t, steps, 100, "a 512 KiB pair takes many 4 KiB steps")
	assert.Equal(t, whole, c.Changed())
}

// The quality targets of issue 14 on generated pairs whose failure lines are
// known: every failure line marked, at most 5 % of the lines.
func TestCompareFindsEveryFailureLineAndLittleElse(t *testing.T) {
	for seed := int64(1); seed <= 12; seed++ {
		for _, ts := range []bool{false, true} {
			t.Run(fmt.Sprintf("seed %d timestamps %v", seed, ts), func(t *testing.T) {
				p := loggen.GreenRed(loggen.Options{Seed: seed, Size: 300 << 10, Timestamps: ts}, time.Time{})
				green, red := parse(p.Green), parse(p.Red)
				c := New(StoreLines{green}, StoreLines{red}).Run()
				truth := failureLines(red, p)
				recall, marked := quality(c.Changed(), truth, red.Committed())
				var extra []string
				for _, i := range c.Changed() {
					if !contains(truth, i) {
						extra = append(extra, string(red.Line(i).Text))
					}
				}
				assert.Equal(t, 1.0, recall)
				assert.LessOrEqual(t, marked, 0.05, "marked besides the failure: %q", extra)
			})
		}
	}
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestNextAndPreviousChange(t *testing.T) {
	c := New(texts{"a", "a"}, texts{"x", "a", "y", "a", "z"}).Run()
	require.Equal(t, []int{0, 2, 4}, c.Changed())
	for _, tc := range []struct {
		at         int
		next, prev int
		hasN, hasP bool
	}{
		{-1, 0, 0, true, false},
		{0, 2, 0, true, false},
		{1, 2, 0, true, true},
		{2, 4, 0, true, true},
		{4, 0, 2, false, true},
	} {
		n, ok := c.NextChange(tc.at)
		assert.Equal(t, tc.hasN, ok, "next after %d", tc.at)
		if ok {
			assert.Equal(t, tc.next, n)
		}
		p, ok := c.PrevChange(tc.at)
		assert.Equal(t, tc.hasP, ok, "prev before %d", tc.at)
		if ok {
			assert.Equal(t, tc.prev, p)
		}
	}
	assert.True(t, c.IsNew(2))
	assert.False(t, c.IsNew(3))
}

func TestContextJoinsNearbyChanges(t *testing.T) {
	assert.Equal(t, [][2]int{{0, 5}, {17, 23}, {96, 99}}, Context([]int{2, 20, 99}, 3, 100))
	assert.Equal(t, [][2]int{{0, 9}}, Context([]int{2, 6}, 3, 100))
	assert.Nil(t, Context(nil, 3, 100))
}

package joblog

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAppendClasses(t *testing.T) {
	// joblog.md §2: GitLab's class names and order.
	cases := []struct {
		name string
		sgr  string
		want string
	}{
		{"the default style has no class", "0", ""},
		{"bold red is the bright class plus bold", "31;1", "term-fg-l-red term-bold"},
		{"a bright background", "101", "term-bg-l-red"},
		{"256 colours", "38;5;208;48;5;17", "xterm-fg-208 xterm-bg-17"},
		{"24-bit colours have no class", "38;2;1;2;3", ""},
		{"all attributes in GitLab's order", "9;8;4;3;1;32;44", "term-fg-l-green term-bg-blue term-bold term-italic term-underline term-conceal term-cross"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, string(applySGR(0, []byte(tc.sgr)).AppendClasses(nil)))
		})
	}
}

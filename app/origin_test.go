package app

import (
	"testing"

	"github.com/jobscope/jobscope/internal/account"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/stretchr/testify/assert"
)

// Tokens and offline copies are kept per origin: under a path of a host
// many sites share, the others can read them (issue 15).
func TestASitePathOnASharedHostIsWarnedAbout(t *testing.T) {
	cases := []struct {
		name, host, prefix string
		warn               bool
	}{
		{"a namespace's GitLab Pages, under the project's path", "you.gitlab.io", "/jobscope", true},
		{"the same with a trailing slash and capitals", "You.GitLab.IO", "/jobscope/", true},
		{"GitHub's project pages", "you.github.io", "/jobscope", true},
		{"a fully qualified name", "you.gitlab.io.", "/jobscope", true},
		{"the root of a Pages host: a unique domain, or not, cannot be told", "jobscope-you-1a2b3c.gitlab.io", "", false},
		{"a root prefix", "you.gitlab.io", "/", false},
		{"a host of one's own under a path", "tools.example.com", "/tools/jobscope/", false},
		{"a name that only ends like it", "notgitlab.io", "/jobscope", false},
		{"the shared domain inside another name", "gitlab.io.example.com", "/jobscope", false},
		{"loopback", "127.0.0.1", "/tools/jobscope", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := sharedOriginWarning(tc.host, tc.prefix)
			if !tc.warn {
				assert.Empty(t, got)
				return
			}
			assert.Contains(t, got, "origin of its own")
			assert.Contains(t, got, "memory only")
		})
	}
}

// Connect says plainly that jobscope needs an origin of its own, always,
// and warns when this one is shared.
func TestConnectSaysJobscopeNeedsAnOriginOfItsOwn(t *testing.T) {
	cases := []struct {
		name   string
		shared string
	}{
		{"on an origin of its own", ""},
		{"under a path of a shared host", sharedOriginWarning("you.gitlab.io", "/jobscope")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page := ui.HTMLString(&connectView{env: NewEnv(&account.MemoryKV{}), remember: true, shared: tc.shared})
			assert.Contains(t, page, `id="own-origin"`)
			assert.Contains(t, page, "jobscope needs an origin of its own")
			if tc.shared == "" {
				assert.NotContains(t, page, `id="shared-origin"`)
			} else {
				assert.Contains(t, page, `id="shared-origin"`)
				assert.Contains(t, page, "you.gitlab.io")
			}
		})
	}
}

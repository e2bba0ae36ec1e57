package app

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Screen names one screen of the viewer.
type Screen int

// The screens, one per route shape.
const (
	ScreenNotFound Screen = iota
	ScreenConnect
	ScreenProjects
	ScreenJobs     // a project's jobs
	ScreenPipeline // one pipeline of a project
	ScreenJob      // one job of a project
	ScreenLog      // the log of one job
	ScreenOpenFile // a log file from disk
)

// Route is a parsed deep link. Project is a numeric id ("42") or a full path
// ("group/sub/project"), exactly what GitLab accepts as :id once encoded
// (gitlab-api.md §3).
type Route struct {
	Screen  Screen
	Project string
	ID      int64 // pipeline or job id; 0 when the screen has none
}

// The fixed routes. Each is also an HTML entry page of the static site, so a
// static host can answer a reload on it (issue 4, "Known ground").
const (
	PathConnect  = "/"
	PathProjects = "/projects"
	PathOpenFile = "/open"
)

// projectSep separates a project from the resource, as in GitLab's own URLs
// (gitlab-api.md §12): a project path never contains "/-/", so the split is
// unambiguous whatever the nesting of groups.
const projectSep = "/-/"

// Path returns the app path of r, without the site's path prefix.
// Project paths are made of [A-Za-z0-9_.-] segments, so they need no escaping;
// anything else is escaped segment by segment.
func (r Route) Path() string {
	switch r.Screen {
	case ScreenConnect:
		return PathConnect
	case ScreenProjects:
		return PathProjects
	case ScreenOpenFile:
		return PathOpenFile
	}
	base := "/projects/" + escapeProject(r.Project) + projectSep
	switch r.Screen {
	case ScreenJobs:
		return base + "jobs"
	case ScreenPipeline:
		return base + "pipelines/" + strconv.FormatInt(r.ID, 10)
	case ScreenJob:
		return base + "jobs/" + strconv.FormatInt(r.ID, 10)
	case ScreenLog:
		return base + "jobs/" + strconv.FormatInt(r.ID, 10) + "/log"
	}
	return "/not-found"
}

func escapeProject(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// Regular expressions of the project routes, for app.RouteWithRegexp. They
// only pick the component; ParsePath does the real parsing.
const (
	patternJobs     = `^/projects/.+/-/jobs$`
	patternPipeline = `^/projects/.+/-/pipelines/[0-9]+$`
	patternJob      = `^/projects/.+/-/jobs/[0-9]+$`
	patternLog      = `^/projects/.+/-/jobs/[0-9]+/log$`
)

// ParsePath parses an app path (prefix already removed, as go-app does with
// GOAPP_ROOT_PREFIX). Unknown shapes give ScreenNotFound.
func ParsePath(p string) Route {
	switch strings.TrimSuffix(p, "/") {
	case "", PathConnect:
		return Route{Screen: ScreenConnect}
	case PathProjects:
		return Route{Screen: ScreenProjects}
	case PathOpenFile:
		return Route{Screen: ScreenOpenFile}
	}
	rest, ok := strings.CutPrefix(p, "/projects/")
	if !ok {
		return Route{}
	}
	project, resource, ok := strings.Cut(rest, projectSep)
	if !ok || !validProject(project) {
		return Route{}
	}
	if decoded, err := url.PathUnescape(project); err == nil {
		project = decoded
	}
	r, ok := parseResource(project, resource)
	if !ok {
		return Route{}
	}
	return r
}

// parseResource reads what follows "/-/" in an app path.
func parseResource(project, resource string) (Route, bool) {
	parts := strings.Split(strings.TrimSuffix(resource, "/"), "/")
	switch {
	case len(parts) == 1 && parts[0] == "jobs":
		return Route{Screen: ScreenJobs, Project: project}, true
	case len(parts) == 2 && parts[0] == "jobs":
		id, ok := parseID(parts[1])
		return Route{Screen: ScreenJob, Project: project, ID: id}, ok
	case len(parts) == 3 && parts[0] == "jobs" && parts[2] == "log":
		id, ok := parseID(parts[1])
		return Route{Screen: ScreenLog, Project: project, ID: id}, ok
	case len(parts) == 2 && parts[0] == "pipelines":
		id, ok := parseID(parts[1])
		return Route{Screen: ScreenPipeline, Project: project, ID: id}, ok
	}
	return Route{}, false
}

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0 && s[0] != '+'
}

// validProject accepts a numeric id or a path of non-empty segments.
func validProject(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") {
		return false
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// ErrNotGitLabURL is returned by ParseGitLabURL for a URL that names no
// project, pipeline or job.
var ErrNotGitLabURL = errors.New("app: not a GitLab project, pipeline or job URL")

// ParseGitLabURL turns a URL copied from GitLab's web UI into a route and the
// instance's base URL (scheme and host). Shapes and the split at the first
// "/-/" follow gitlab-api.md §12. A URL without "/-/" is taken as a project
// home, which §12 notes may be a group page: the jobs screen then shows
// GitLab's 404. An instance under a relative URL root (host/gitlab/...) cannot
// be told from a group named "gitlab"; the root becomes part of the project.
func ParseGitLabURL(raw string) (base string, r Route, err error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", Route{}, fmt.Errorf("%w: %v", ErrNotGitLabURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", Route{}, fmt.Errorf("%w: want an http(s) address", ErrNotGitLabURL)
	}
	base = u.Scheme + "://" + u.Host
	project, resource, _ := strings.Cut(strings.TrimSuffix(u.Path, "/-"), projectSep)
	project = strings.Trim(project, "/")
	if !validProject(project) || !strings.Contains(project, "/") {
		return "", Route{}, ErrNotGitLabURL
	}
	parts := strings.Split(strings.Trim(resource, "/"), "/")
	if len(parts) >= 2 {
		id, ok := parseID(parts[1])
		switch {
		case ok && parts[0] == "jobs" && len(parts) > 2 && parts[2] == "raw":
			return base, Route{Screen: ScreenLog, Project: project, ID: id}, nil
		case ok && parts[0] == "jobs":
			return base, Route{Screen: ScreenJob, Project: project, ID: id}, nil
		case ok && parts[0] == "pipelines":
			return base, Route{Screen: ScreenPipeline, Project: project, ID: id}, nil
		}
	}
	// The project home, its jobs or pipelines list, or a page we do not show
	// (merge requests, artifacts): the project's jobs are the closest.
	return base, Route{Screen: ScreenJobs, Project: project}, nil
}

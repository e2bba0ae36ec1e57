package gitlabfake

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
)

// The emulator's stand-in for GitLab's web UI: a plain HTML page at each web
// URL shape of gitlab-api.md §12 that names what GitLab would show there, so
// a browser tab can be "on a job page" of the emulator (the extension's
// popup reads the tab's address, never the page). Nothing here is GitLab's
// real markup; only the URL shapes are.
//
//	/<group>/<sub>/<project>                     project home (and any subpage)
//	/<project path>/-/jobs                       the project's jobs
//	/<project path>/-/jobs/<id>                  a job (also /raw, /artifacts...)
//	/<project path>/-/pipelines/<id>             a pipeline (also /builds...)
//	/<project path>/-/merge_requests/<iid>       a merge request (not emulated: named only)
//
// Unknown projects, jobs and pipelines answer 404, like GitLab for a
// project the visitor cannot see.

// webPage is what a page says.
type webPage struct {
	Title   string // page title and heading
	Project string // full path
	Kind    string // project, jobs, job, pipeline, merge_request, page
	ID      int64  // job id, pipeline id or merge request iid; 0 for none
	Detail  string // job name and status, pipeline ref and status...
}

var webTemplate = template.Must(template.New("web").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} · GitLab emulator</title></head>
<body data-kind="{{.Kind}}" data-project="{{.Project}}"{{if .ID}} data-id="{{.ID}}"{{end}}>
<p>GitLab emulator: web page stand-in (the API is under /api/v4)</p>
<h1>{{.Title}}</h1>
<p>Project <a href="/{{.Project}}">{{.Project}}</a>{{if .Detail}} · {{.Detail}}{{end}}</p>
</body></html>
`))

// serveWeb answers a GET for a web URL shape and reports whether it did.
func (s *Server) serveWeb(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	page, ok := s.webPage(r.URL.Path)
	if !ok {
		return false
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	if err := webTemplate.Execute(w, page); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
	return true
}

// webPage finds what path names, split at the first "/-/" (§12).
func (s *Server) webPage(path string) (webPage, bool) {
	projectPath, resource, _ := strings.Cut(strings.TrimSuffix(path, "/-"), "/-/")
	projectPath = strings.Trim(projectPath, "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.projectByPath(projectPath)
	if p == nil {
		return webPage{}, false
	}
	page := webPage{Title: p.Name, Project: p.fullPath(), Kind: "project"}
	parts := strings.Split(strings.Trim(resource, "/"), "/")
	var id int64
	if len(parts) >= 2 {
		id, _ = strconv.ParseInt(parts[1], 10, 64)
	}
	s.advance(s.now())
	switch {
	case resource == "":
	case parts[0] == "jobs" && len(parts) == 1:
		page.Kind, page.Title = "jobs", "Jobs · "+p.Name
	case parts[0] == "jobs" && id > 0:
		j := s.jobs[id]
		if j == nil || j.project() != p {
			return webPage{}, false
		}
		page.Kind, page.ID = "job", id
		page.Title = j.Name + " (#" + strconv.FormatInt(id, 10) + ")"
		page.Detail = "job " + string(j.Status) + " in pipeline #" + strconv.FormatInt(j.pipeline.ID, 10)
	case parts[0] == "pipelines" && id > 0:
		pl := s.pipes[id]
		if pl == nil || pl.project != p {
			return webPage{}, false
		}
		page.Kind, page.ID = "pipeline", id
		page.Title = "Pipeline #" + strconv.FormatInt(id, 10)
		page.Detail = "pipeline " + string(pl.status()) + " on " + pl.Ref
	case parts[0] == "merge_requests" && id > 0:
		page.Kind, page.ID = "merge_request", id
		page.Title = "Merge request !" + strconv.FormatInt(id, 10)
	default:
		page.Kind, page.Title = "page", parts[0]+" · "+p.Name
	}
	return page, true
}

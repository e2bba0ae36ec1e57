package gitlabfake

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// GET /user, GET /projects and GET /projects/:id (gitlab-api.md §11).

func (s *Server) projectByID(id int64) *project {
	for _, p := range s.projects {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// projectByPath finds a project by full path, case-insensitively (GitLab's
// routes are). ⚠ Renamed-project redirects (§3) are not emulated.
func (s *Server) projectByPath(path string) *project {
	for _, p := range s.projects {
		if strings.EqualFold(p.fullPath(), path) {
			return p
		}
	}
	return nil
}

// currentUser is GET /user: the UserPublic entity.
func (c *call) currentUser() *response {
	u := c.cred.user
	e := c.rend.user(u)
	t := apiTime(c.s.start.Add(-2 * time.Hour))
	return jsonResponse(http.StatusOK, struct {
		*userEntity
		LastSignInAt     apiTime  `json:"last_sign_in_at"`
		ConfirmedAt      apiTime  `json:"confirmed_at"`
		LastActivityOn   string   `json:"last_activity_on"`
		Email            string   `json:"email"`
		ThemeID          int      `json:"theme_id"`
		ColorSchemeID    int      `json:"color_scheme_id"`
		ProjectsLimit    int      `json:"projects_limit"`
		CurrentSignInAt  apiTime  `json:"current_sign_in_at"`
		Identities       []string `json:"identities"`
		CanCreateGroup   bool     `json:"can_create_group"`
		CanCreateProject bool     `json:"can_create_project"`
		TwoFactor        bool     `json:"two_factor_enabled"`
		External         bool     `json:"external"`
		PrivateProfile   bool     `json:"private_profile"`
		CommitEmail      string   `json:"commit_email"`
	}{
		userEntity: e, LastSignInAt: t, ConfirmedAt: apiTime(u.CreatedAt), LastActivityOn: c.now.UTC().Format("2006-01-02"),
		Email: u.Username + "@example.com", ThemeID: 1, ColorSchemeID: 1, ProjectsLimit: 100000, CurrentSignInAt: t,
		Identities: []string{}, CanCreateGroup: true, CanCreateProject: true, CommitEmail: u.Username + "@example.com",
	})
}

type namespaceEntity struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Path      string  `json:"path"`
	Kind      string  `json:"kind"`
	FullPath  string  `json:"full_path"`
	ParentID  *int64  `json:"parent_id"`
	AvatarURL *string `json:"avatar_url"`
	WebURL    string  `json:"web_url"`
}

type projectSimpleEntity struct {
	ID                int64           `json:"id"`
	Description       string          `json:"description"`
	Name              string          `json:"name"`
	NameWithNamespace string          `json:"name_with_namespace"`
	Path              string          `json:"path"`
	PathWithNamespace string          `json:"path_with_namespace"`
	CreatedAt         apiTime         `json:"created_at"`
	DefaultBranch     string          `json:"default_branch"`
	TagList           []string        `json:"tag_list"`
	Topics            []string        `json:"topics"`
	SSHURLToRepo      string          `json:"ssh_url_to_repo"`
	HTTPURLToRepo     string          `json:"http_url_to_repo"`
	WebURL            string          `json:"web_url"`
	ReadmeURL         *string         `json:"readme_url"`
	ForksCount        int             `json:"forks_count"`
	AvatarURL         *string         `json:"avatar_url"`
	StarCount         int             `json:"star_count"`
	LastActivityAt    apiTime         `json:"last_activity_at"`
	Visibility        string          `json:"visibility"`
	Namespace         namespaceEntity `json:"namespace"`
}

type accessEntity struct {
	AccessLevel       int `json:"access_level"`
	NotificationLevel int `json:"notification_level"`
}

type projectEntity struct {
	projectSimpleEntity
	Links struct {
		Self     string `json:"self"`
		Pipeline string `json:"pipelines"`
	} `json:"_links"`
	EmptyRepo         bool   `json:"empty_repo"`
	Archived          bool   `json:"archived"`
	JobsEnabled       bool   `json:"jobs_enabled"`
	BuildsAccessLevel string `json:"builds_access_level"`
	PublicJobs        bool   `json:"public_jobs"`
	CIConfigPath      string `json:"ci_config_path"`
	CIJobTokenScope   bool   `json:"ci_job_token_scope_enabled"`
	OpenIssuesCount   int    `json:"open_issues_count"`
	Permissions       *struct {
		ProjectAccess *accessEntity `json:"project_access"`
		GroupAccess   *accessEntity `json:"group_access"`
	} `json:"permissions,omitempty"`
}

func (c *call) projectSimple(p *project) projectSimpleEntity {
	web := c.base + "/" + p.fullPath()
	host := strings.TrimPrefix(strings.TrimPrefix(c.base, "https://"), "http://")
	ns := p.Namespace
	parts := strings.Split(ns, "/")
	var parent *int64
	if len(parts) > 1 {
		id := int64(100 + len(parts) - 1)
		parent = &id
	}
	return projectSimpleEntity{
		ID: p.ID, Description: p.Description, Name: p.Name,
		NameWithNamespace: strings.Join(append(parts, p.Name), " / "),
		Path:              p.Path, PathWithNamespace: p.fullPath(), CreatedAt: apiTime(p.CreatedAt),
		DefaultBranch: p.DefaultBranch, TagList: []string{}, Topics: []string{},
		SSHURLToRepo: "git@" + host + ":" + p.fullPath() + ".git", HTTPURLToRepo: web + ".git", WebURL: web,
		LastActivityAt: apiTime(p.LastActivityAt), Visibility: p.Visibility,
		Namespace: namespaceEntity{ID: int64(100 + len(parts)), Name: parts[len(parts)-1], Path: parts[len(parts)-1],
			Kind: "group", FullPath: ns, ParentID: parent, WebURL: c.base + "/groups/" + ns},
	}
}

func (c *call) projectFull(p *project) projectEntity {
	e := projectEntity{projectSimpleEntity: c.projectSimple(p), Archived: p.Archived, JobsEnabled: true,
		BuildsAccessLevel: "enabled", PublicJobs: true, CIConfigPath: ""}
	e.Links.Self = c.base + "/api/v4/projects/" + strconv.FormatInt(p.ID, 10)
	e.Links.Pipeline = e.Links.Self + "/pipelines"
	if c.cred.user != nil {
		e.Permissions = &struct {
			ProjectAccess *accessEntity `json:"project_access"`
			GroupAccess   *accessEntity `json:"group_access"`
		}{}
		if lvl := c.cred.access(p); lvl > noAccess {
			e.Permissions.ProjectAccess = &accessEntity{AccessLevel: int(lvl), NotificationLevel: 3}
		}
	}
	return e
}

// getProject is GET /projects/:id.
func (c *call) getProject() *response {
	p, resp := c.project()
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, c.projectFull(p))
}

var projectOrders = map[string]func(a, b *project) bool{
	"id":               func(a, b *project) bool { return a.ID < b.ID },
	"name":             func(a, b *project) bool { return a.Name < b.Name },
	"path":             func(a, b *project) bool { return a.Path < b.Path },
	"created_at":       func(a, b *project) bool { return a.CreatedAt.Before(b.CreatedAt) },
	"updated_at":       func(a, b *project) bool { return a.LastActivityAt.Before(b.LastActivityAt) },
	"last_activity_at": func(a, b *project) bool { return a.LastActivityAt.Before(b.LastActivityAt) },
	"star_count":       func(a, b *project) bool { return a.ID < b.ID },
	"similarity":       func(a, b *project) bool { return a.ID < b.ID },
}

// listProjects is GET /projects: visible projects, filtered, ordered,
// offset or keyset (order_by=id) paginated.
func (c *call) listProjects() *response {
	orderBy := firstNonEmpty(c.q.Get("order_by"), "created_at")
	less, ok := projectOrders[orderBy]
	if !ok {
		return errorJSON(http.StatusBadRequest, "order_by does not have a valid value")
	}
	sortDir := firstNonEmpty(c.q.Get("sort"), "desc")
	if sortDir != "asc" && sortDir != "desc" {
		return errorJSON(http.StatusBadRequest, "sort does not have a valid value")
	}
	membership, _, resp := c.boolParam("membership")
	if resp != nil {
		return resp
	}
	simple, _, resp := c.boolParam("simple")
	if resp != nil {
		return resp
	}
	archived, archivedSet, resp := c.boolParam("archived")
	if resp != nil {
		return resp
	}
	minAccess := 0
	if v := c.q.Get("min_access_level"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return errorJSON(http.StatusBadRequest, "min_access_level is invalid")
		}
		minAccess = n
	}
	terms := strings.Fields(strings.ToLower(c.q.Get("search")))
	var rows []*project
	for _, p := range c.s.projects {
		lvl := c.cred.access(p)
		switch {
		case c.cred.kind == tokenJob || !c.cred.canSee(p):
			continue
		case membership && lvl < guest, minAccess > 0 && int(lvl) < minAccess:
			continue
		case archivedSet && p.Archived != archived:
			continue
		case !matchesAll(strings.ToLower(p.fullPath()+" "+p.Name+" "+p.Description), terms):
			continue
		}
		rows = append(rows, p)
	}
	sortByDir(rows, less, sortDir)
	render := func(ps []*project) *response {
		out := make([]any, len(ps))
		for i, p := range ps {
			if simple {
				out[i] = c.projectSimple(p)
			} else {
				out[i] = c.projectFull(p)
			}
		}
		return jsonResponse(http.StatusOK, out)
	}
	// ⚠ GitLab declares more defaults than these; they show up in Link.
	defaults := map[string]string{"order_by": "created_at", "sort": "desc", "membership": "false",
		"simple": "false", "owned": "false", "starred": "false", "statistics": "false"}
	if c.q.Get("pagination") == "keyset" {
		return c.keysetProjects(rows, orderBy, sortDir, defaults, render)
	}
	return offsetAnswer(c, rows, true, defaults, render)
}

// keysetProjects is the older keyset pager of /projects (§7.3): order_by=id
// only, pages chained with id_after (asc) or id_before (desc).
func (c *call) keysetProjects(rows []*project, orderBy, sortDir string, defaults map[string]string, render func([]*project) *response) *response {
	if orderBy != "id" {
		return errorJSON(http.StatusMethodNotAllowed, "Keyset pagination is not yet available for this type of request")
	}
	_, perPage, resp := c.pageParams()
	if resp != nil {
		return resp
	}
	for _, k := range []string{"id_after", "id_before"} {
		if v := c.q.Get(k); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return errorJSON(http.StatusBadRequest, k+" is invalid")
			}
			var kept []*project
			for _, p := range rows {
				if (k == "id_after" && p.ID > n) || (k == "id_before" && p.ID < n) {
					kept = append(kept, p)
				}
			}
			rows = kept
		}
	}
	more := len(rows) > perPage
	rows = rows[:min(len(rows), perPage)]
	r := render(rows)
	if more {
		params := c.linkParams(defaults)
		key := "id_before"
		if sortDir == "asc" {
			key = "id_after"
		}
		delete(params.single, "id_after")
		delete(params.single, "id_before")
		params.single[key] = strconv.FormatInt(rows[len(rows)-1].ID, 10)
		r.header.Set("Link", fmt.Sprintf(`<%s>; rel="next"`, c.pageURL(params)))
	}
	return r
}

func matchesAll(s string, terms []string) bool {
	for _, t := range terms {
		if !strings.Contains(s, t) {
			return false
		}
	}
	return true
}

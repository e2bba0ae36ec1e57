package gitlab

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ProjectRef names a project the way the API's :id accepts it: a numeric id
// or a full path such as "group/sub/project" (gitlab-api.md §3). Make one
// with ProjectID, ProjectPath or ParseProjectRef; the zero value is invalid.
type ProjectRef struct {
	id   int64
	path string
}

// ProjectID refers to a project by its numeric id.
func ProjectID(id int64) ProjectRef { return ProjectRef{id: id} }

// ProjectPath refers to a project by its full path, "namespace/project" with
// any number of nested groups. Surrounding slashes are ignored.
func ProjectPath(path string) ProjectRef { return ProjectRef{path: strings.Trim(path, "/")} }

// ParseProjectRef reads what a person or a URL gives: digits are an id,
// anything else a path.
func ParseProjectRef(s string) (ProjectRef, error) {
	s = strings.TrimSpace(s)
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		p := ProjectID(id)
		return p, p.validate()
	}
	p := ProjectPath(s)
	return p, p.validate()
}

// ID returns the numeric id and whether p is one.
func (p ProjectRef) ID() (int64, bool) { return p.id, p.path == "" && p.id > 0 }

// Path returns the full path and whether p is one.
func (p ProjectRef) Path() (string, bool) { return p.path, p.path != "" }

// String returns the id or path, unescaped.
func (p ProjectRef) String() string {
	if p.path != "" {
		return p.path
	}
	return strconv.FormatInt(p.id, 10)
}

// validate rejects what GitLab could only answer with a 404: a zero id, an
// empty path, a path without namespace (§3: a bare name is not found) or
// with empty segments.
func (p ProjectRef) validate() error {
	if p.path == "" {
		if p.id <= 0 {
			return fmt.Errorf("%w: project id must be positive, got %d", ErrInvalidArgument, p.id)
		}
		return nil
	}
	if !strings.Contains(p.path, "/") || strings.Contains(p.path, "//") {
		return fmt.Errorf("%w: project path %q is not namespace/project", ErrInvalidArgument, p.path)
	}
	return nil
}

// segment is the :id path segment: the path with every "/" as %2F, since
// GitLab's route forbids a literal slash there (§3).
func (p ProjectRef) segment() string {
	if p.path != "" {
		return url.PathEscape(p.path)
	}
	return strconv.FormatInt(p.id, 10)
}

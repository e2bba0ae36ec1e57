package gitlabfake

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// call is one API request being answered, with s.mu held.
type call struct {
	s      *Server
	r      *http.Request
	rt     Route
	params map[string]string // route params, unescaped
	q      url.Values        // query string, plus form body params for POSTs
	body   map[string]any    // JSON body, if any
	now    time.Time
	base   string
	rend   renderer
	cred   credential
}

// respond answers an API request on route rt. It takes the lock, moves the
// world to the current time, authenticates, then runs the endpoint.
func (s *Server) respond(r *http.Request, rt Route, params map[string]string) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.advance(now)
	c := &call{s: s, r: r, rt: rt, params: params, q: r.URL.Query(), now: now, base: s.baseURL(r)}
	c.rend = renderer{base: c.base, now: now}
	ra := routeAuths[rt]
	cred, fail := s.authenticate(r, ra)
	if fail != nil {
		resp := rawJSON(fail.status, fail.body)
		if fail.oauth != "" {
			// rack-oauth2 style challenge (⚠ exact text unconfirmed, §2.2).
			resp.header.Set("WWW-Authenticate", `Bearer realm="", error="`+fail.oauth+`"`)
		}
		return resp
	}
	c.cred = cred
	switch {
	case ra.jobTokenOnly && cred.kind == tokenPersonal:
		return message(http.StatusNotFound, "404 Job Not Found") // §5.4
	case cred.anonymous() && !ra.anonymousOK:
		return rawJSON(http.StatusUnauthorized, `{"message":"401 Unauthorized"}`)
	}
	if r.Method == http.MethodPost {
		if resp := c.parseBody(); resp != nil {
			return resp
		}
	}
	return c.dispatch()
}

func (c *call) dispatch() *response {
	switch c.rt {
	case RouteUser:
		return c.currentUser()
	case RouteProjects:
		return c.listProjects()
	case RouteProject:
		return c.getProject()
	case RouteProjectJobs:
		return c.listProjectJobs()
	case RouteJob:
		return c.getJob()
	case RouteTrace:
		return c.trace()
	case RouteCancel:
		return c.cancel()
	case RouteRetry:
		return c.retry()
	case RouteErase:
		return c.erase()
	case RoutePlay:
		return c.play()
	case RouteArtifacts, RouteArtifactFile:
		return c.artifacts()
	case RoutePipelines:
		return c.listPipelines()
	case RoutePipeline:
		return c.getPipeline()
	case RoutePipelineJobs:
		return c.listPipelineJobs()
	case RoutePipelineBridges, RoutePipelineTriggerJobs:
		return c.listBridges()
	case RouteCurrentJob:
		return c.currentJob()
	case RouteCurrentJobAgents:
		return c.allowedAgents()
	case RouteTestReport:
		return c.testReport()
	case RouteTestReportSummary:
		return c.testReportSummary()
	}
	return rawJSON(http.StatusNotFound, `{"error":"404 Not Found"}`)
}

// parseBody reads form or JSON parameters of a POST (§1: params may come
// in the query, a form body or a JSON body).
func (c *call) parseBody() *response {
	ct, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		raw, err := io.ReadAll(io.LimitReader(c.r.Body, 1<<20))
		if err != nil {
			return errorJSON(http.StatusBadRequest, "400 Bad request")
		}
		if len(raw) == 0 {
			return nil
		}
		if err := json.Unmarshal(raw, &c.body); err != nil {
			// ⚠ GitLab's text for a JSON body that does not parse is unconfirmed.
			return message(http.StatusBadRequest, "400 Bad request - Invalid JSON body")
		}
		for k, v := range c.body {
			switch v := v.(type) {
			case string:
				c.q.Set(k, v)
			case bool:
				c.q.Set(k, strconv.FormatBool(v))
			case float64:
				c.q.Set(k, strconv.FormatFloat(v, 'f', -1, 64))
			}
		}
	case "application/x-www-form-urlencoded", "multipart/form-data":
		if err := c.r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
			return errorJSON(http.StatusBadRequest, "400 Bad request")
		}
		for k, vs := range c.r.PostForm {
			c.q[k] = vs
		}
	}
	return nil
}

// project resolves :id (§3): digits are an id, anything with a "/" a full
// path (case-insensitive, as GitLab's routes are); a bare name is not found.
func (c *call) project() (*project, *response) {
	id := c.params["id"]
	var p *project
	if isInt(id) {
		n, _ := strconv.ParseInt(id, 10, 64)
		p = c.s.projectByID(n)
	} else {
		p = c.s.projectByPath(id)
	}
	if p == nil || !c.cred.canSee(p) {
		return nil, projectNotFound()
	}
	return p, nil
}

func isInt(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for _, b := range []byte(s) {
		if b < '0' || b > '9' {
			return false
		}
	}
	return true
}

// intParam coerces a route param like Grape's Integer type: 400
// "<name> is invalid" otherwise (§3, ⚠ exact text).
func (c *call) intParam(name string) (int64, *response) {
	v := c.params[name]
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, errorJSON(http.StatusBadRequest, name+" is invalid")
	}
	return n, nil
}

// boolParam coerces like Grape's Boolean (dry-types Params::Bool).
func (c *call) boolParam(name string) (val, set bool, resp *response) {
	v, ok := c.q[name]
	if !ok || len(v) == 0 {
		return false, false, nil
	}
	switch v[0] {
	case "1", "on", "t", "true", "y", "yes", "TRUE", "True":
		return true, true, nil
	case "0", "off", "f", "false", "n", "no", "FALSE", "False":
		return false, true, nil
	}
	return false, true, errorJSON(http.StatusBadRequest, name+" is invalid")
}

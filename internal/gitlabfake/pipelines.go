package gitlabfake

import (
	"net/http"
	"time"
)

// GET /projects/:id/pipelines and /pipelines/:pipeline_id (§11).

var pipelineScopes = map[string]bool{"running": true, "pending": true, "finished": true, "branches": true, "tags": true}

var pipelineOrders = map[string]func(a, b *pipeline) bool{
	"id":         func(a, b *pipeline) bool { return a.ID < b.ID },
	"status":     func(a, b *pipeline) bool { return a.status() < b.status() || (a.status() == b.status() && a.ID < b.ID) },
	"ref":        func(a, b *pipeline) bool { return a.Ref < b.Ref || (a.Ref == b.Ref && a.ID < b.ID) },
	"updated_at": func(a, b *pipeline) bool { return a.UpdatedAt.Before(b.UpdatedAt) },
	"user_id":    func(a, b *pipeline) bool { return userID(a) < userID(b) || (userID(a) == userID(b) && a.ID < b.ID) },
}

func userID(p *pipeline) int64 {
	if p.user == nil {
		return 0
	}
	return p.user.ID
}

func (c *call) listPipelines() *response {
	scope := c.q.Get("scope")
	if scope != "" && !pipelineScopes[scope] {
		return errorJSON(http.StatusBadRequest, "scope does not have a valid value")
	}
	st := c.q.Get("status")
	if st != "" && !validStatus(st) {
		return errorJSON(http.StatusBadRequest, "status does not have a valid value")
	}
	orderBy := firstNonEmpty(c.q.Get("order_by"), "id")
	less, ok := pipelineOrders[orderBy]
	if !ok {
		return errorJSON(http.StatusBadRequest, "order_by does not have a valid value")
	}
	sortDir := firstNonEmpty(c.q.Get("sort"), "desc")
	if sortDir != "asc" && sortDir != "desc" {
		return errorJSON(http.StatusBadRequest, "sort does not have a valid value")
	}
	var bounds [4]*time.Time
	for i, k := range []string{"updated_after", "updated_before", "created_after", "created_before"} {
		if v := c.q.Get(k); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return errorJSON(http.StatusBadRequest, k+" is invalid")
			}
			bounds[i] = &t
		}
	}
	p, resp := c.project()
	if resp != nil {
		return resp
	}
	if !c.cred.canReadPipelines(p) {
		return forbidden()
	}
	source := c.q.Get("source")
	latestRef := map[string]int64{} // for scope=branches/tags: the newest per ref
	for _, pl := range p.pipelines {
		if pl.ID > latestRef[pl.Ref] {
			latestRef[pl.Ref] = pl.ID
		}
	}
	var rows []*pipeline
	for _, pl := range p.pipelines {
		s := pl.status()
		switch {
		case source == "" && pl.Source == "parent_pipeline": // child pipelines excluded
			continue
		case source != "" && pl.Source != source:
			continue
		case scope == "running" && s != statusRunning, scope == "pending" && s != statusPending,
			scope == "finished" && !s.completed(),
			scope == "branches" && (pl.Tag || latestRef[pl.Ref] != pl.ID),
			scope == "tags" && (!pl.Tag || latestRef[pl.Ref] != pl.ID):
			continue
		case st != "" && string(s) != st:
			continue
		case c.q.Get("ref") != "" && pl.Ref != c.q.Get("ref"), c.q.Get("sha") != "" && pl.SHA != c.q.Get("sha"):
			continue
		case c.q.Get("username") != "" && (pl.user == nil || pl.user.Username != c.q.Get("username")):
			continue
		case c.q.Get("name") != "" && pl.Name != c.q.Get("name"):
			continue
		case bounds[0] != nil && !pl.UpdatedAt.After(*bounds[0]), bounds[1] != nil && !pl.UpdatedAt.Before(*bounds[1]),
			bounds[2] != nil && !pl.CreatedAt.After(*bounds[2]), bounds[3] != nil && !pl.CreatedAt.Before(*bounds[3]):
			continue
		}
		rows = append(rows, pl)
	}
	sortByDir(rows, less, sortDir)
	return offsetAnswer(c, rows, true, map[string]string{"order_by": "id", "sort": "desc"}, func(page []*pipeline) *response {
		out := make([]pipelineListEntity, 0, len(page))
		for _, pl := range page {
			out = append(out, c.rend.pipelineListItem(pl))
		}
		return jsonResponse(http.StatusOK, out)
	})
}

func (c *call) getPipeline() *response {
	pid, resp := c.intParam("pipeline_id")
	if resp != nil {
		return resp
	}
	_, pl, resp := c.projectPipeline(pid, credential.canReadPipelines)
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, c.rend.pipeline(pl))
}

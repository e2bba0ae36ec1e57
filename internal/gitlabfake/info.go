package gitlabfake

// Info is what the command prints as its first line, for scripts (issue 2):
// the richest project first; PipelineID has a retried job and a bridge;
// JobToken belongs to a running job. APIURL is filled by whoever knows the
// listen address.
type Info struct {
	APIURL     string   `json:"api_url"`
	Token      string   `json:"token"`
	Projects   []string `json:"projects"`
	PipelineID int64    `json:"pipeline_id"`
	JobToken   string   `json:"job_token"`
}

// Info describes the seeded data as of now.
func (s *Server) Info() Info {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance(s.now())
	info := Info{Token: s.token(), PipelineID: s.showcase.ID}
	for _, p := range s.projects {
		info.Projects = append(info.Projects, p.fullPath())
	}
	if s.liveJob.Status == statusRunning {
		info.JobToken = s.liveJob.token
	} else {
		// The showcase job finished (live clock): any running job will do,
		// preferably in the richest project.
		for i := len(s.projects) - 1; i >= 0; i-- {
			for _, j := range s.projects[i].jobs {
				if j.Status == statusRunning && j.token != "" {
					info.JobToken = j.token
				}
			}
		}
	}
	return info
}

func (s *Server) token() string {
	if s.opts.Token != "" {
		return s.opts.Token
	}
	return DefaultToken
}

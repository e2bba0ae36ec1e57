package gitlabfake

import "net/http"

// controlOAuthApplications is /-/emulator/oauth/applications: GET lists the
// registered applications, POST registers one (or replaces the one with
// the same client_id), body as OAuthApplication's JSON.
func (s *Server) controlOAuthApplications(r *http.Request) *response {
	switch r.Method {
	case http.MethodGet:
		return jsonResponse(http.StatusOK, s.OAuthApplications())
	case http.MethodPost:
		var app OAuthApplication
		if err := decodeControl(r, &app); err != nil {
			return errorJSON(http.StatusBadRequest, err.Error())
		}
		if err := s.RegisterOAuthApplication(app); err != nil {
			return errorJSON(http.StatusBadRequest, err.Error())
		}
		return jsonResponse(http.StatusCreated, app)
	}
	return errorJSON(http.StatusMethodNotAllowed, "use GET or POST")
}

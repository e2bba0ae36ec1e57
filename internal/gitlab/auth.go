package gitlab

// Auth is a credential and the way GitLab expects it sent (gitlab-api.md
// §2.1). It is always sent as a header, never in a URL: GitLab also reads
// private_token, access_token and job_token from the query string, but URLs
// end up in logs, history and Referer headers. The zero Auth sends nothing
// (anonymous access to public projects, §11).
type Auth struct {
	header string // header name, or "" for none
	prefix string // value prefix ("Bearer ")
	token  string
}

// Header names that carry credentials; transports drop them on redirects to
// another host.
var credentialHeaders = []string{"PRIVATE-TOKEN", "JOB-TOKEN", "Authorization"}

// PrivateToken authenticates with a personal, project or group access token
// in the PRIVATE-TOKEN header.
func PrivateToken(token string) Auth { return Auth{header: "PRIVATE-TOKEN", token: token} }

// OAuthToken authenticates with an OAuth 2.0 access token (or any access
// token, OAuth style) in "Authorization: Bearer".
func OAuthToken(token string) Auth {
	return Auth{header: "Authorization", prefix: "Bearer ", token: token}
}

// JobToken authenticates with a CI job token in the JOB-TOKEN header. GitLab
// accepts it only on some routes (gitlab-api.md §2.1) and only while its job
// runs; GET /job and /job/allowed_agents accept nothing else (§5.4, §5.5).
func JobToken(token string) Auth { return Auth{header: "JOB-TOKEN", token: token} }

// IsZero reports whether a carries no credential.
func (a Auth) IsZero() bool { return a.header == "" || a.token == "" }

// String names the mode and never the token, so an Auth printed by mistake
// leaks nothing.
func (a Auth) String() string {
	switch {
	case a.IsZero():
		return "gitlab.Auth(none)"
	case a.header == "JOB-TOKEN":
		return "gitlab.Auth(job token)"
	case a.prefix != "":
		return "gitlab.Auth(oauth bearer)"
	default:
		return "gitlab.Auth(private token)"
	}
}

// GoString is String, so %#v does not print the token either.
func (a Auth) GoString() string { return a.String() }

func (a Auth) apply(h Header) {
	if !a.IsZero() {
		h.Set(a.header, a.prefix+a.token)
	}
}

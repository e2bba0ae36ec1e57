package gitlab

// Auth is a credential and the way GitLab expects it sent (gitlab-api.md
// §2.1). It is always sent as a header, never in a URL: GitLab also reads
// private_token, access_token and job_token from the query string, but URLs
// end up in logs, history and Referer headers. The zero Auth sends nothing
// (anonymous access to public projects, §11).
type Auth struct {
	kind   authKind
	header string // header name, or "" for none
	prefix string // value prefix ("Bearer ")
	token  string
}

type authKind uint8

const (
	kindNone authKind = iota
	kindPersonal
	kindOAuth
	kindJob
)

// Header names that carry credentials; transports drop them on redirects to
// another origin.
var credentialHeaders = []string{"PRIVATE-TOKEN", "JOB-TOKEN", "Authorization"}

// PrivateToken authenticates with a personal, project or group access token.
// It goes in "Authorization: Bearer", which GitLab accepts for these tokens
// as for OAuth ones (§2.1), rather than in PRIVATE-TOKEN: a browser's fetch
// drops Authorization when a redirect leaves the origin, but forwards a
// custom header to wherever the redirect leads, such as the object storage
// an artifact download is sent to (§11).
func PrivateToken(token string) Auth {
	return Auth{kind: kindPersonal, header: "Authorization", prefix: "Bearer ", token: token}
}

// OAuthToken authenticates with an OAuth 2.0 access token in
// "Authorization: Bearer".
func OAuthToken(token string) Auth {
	return Auth{kind: kindOAuth, header: "Authorization", prefix: "Bearer ", token: token}
}

// JobToken authenticates with a CI job token in the JOB-TOKEN header. GitLab
// accepts it only on some routes (gitlab-api.md §2.1) and only while its job
// runs; GET /job and /job/allowed_agents accept nothing else (§5.4, §5.5).
// FetchTransport follows no redirect with it, since fetch would forward it.
func JobToken(token string) Auth { return Auth{kind: kindJob, header: "JOB-TOKEN", token: token} }

// IsZero reports whether a carries no credential.
func (a Auth) IsZero() bool { return a.header == "" || a.token == "" }

// String names the mode and never the token, so an Auth printed by mistake
// leaks nothing.
func (a Auth) String() string {
	switch {
	case a.IsZero():
		return "gitlab.Auth(none)"
	case a.kind == kindJob:
		return "gitlab.Auth(job token)"
	case a.kind == kindOAuth:
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

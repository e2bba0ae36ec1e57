package app

import "strings"

// sharedHosts are the hosting domains that serve many people's sites at
// paths of one host name: all GitLab Pages projects of a namespace live at
// <namespace>.gitlab.io/<project> (unless the project asks for a unique
// domain), and GitHub's project sites at <user>.github.io/<repo>.
var sharedHosts = []string{"gitlab.io", "github.io"}

// sharedOriginWarning says what is wrong when the site is served under a
// path prefix on a shared host, or "" otherwise. Remembered tokens
// (localStorage) and offline copies (IndexedDB) belong to the origin, not
// the path, so every other site on that origin can read them. A site at the
// root of such a host may be alone there (a unique domain) or not (a
// namespace's own site): that cannot be told from the address, so only the
// prefix is warned about; the README and the hint on Connect say the rest.
func sharedOriginWarning(host, prefix string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if strings.Trim(prefix, "/") == "" {
		return ""
	}
	for _, d := range sharedHosts {
		if strings.HasSuffix(host, "."+d) {
			return "This jobscope is served under a path of " + host + ", a host other sites share: every site at another path of it can read the tokens and offline copies jobscope keeps in this browser. Keep tokens in memory only here, or serve jobscope from an origin of its own (on GitLab Pages, the project's “Use unique domain” setting or a custom domain)."
		}
	}
	return ""
}

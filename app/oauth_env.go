package app

import "sync"

// signIns holds each Env's SignIn. It lives here rather than as a field of
// Env only because env.go was being edited by someone else when sign-in
// landed; an Env field set by NewBrowserEnv would be the simpler home.
var signIns sync.Map // *Env -> *SignIn

// SignIn returns env's "Sign in with GitLab", made on first use: in the
// browser over sessionStorage, Web Locks and this page's callback URL, and
// installed in front of env's transport; elsewhere over memory.
func (e *Env) SignIn() *SignIn {
	if s, ok := signIns.Load(e); ok {
		return s.(*SignIn)
	}
	s, _ := signIns.LoadOrStore(e, newPageSignIn(e))
	return s.(*SignIn)
}

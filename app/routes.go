package app

import (
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Routes registers every screen with go-app. The wasm main and the static
// site builder call it once, before anything else touches go-app; the
// builder needs the fixed paths to write one HTML entry page per route.
func Routes(env *Env) {
	screen := func(s Screen) func() ui.Composer {
		return func() ui.Composer { return &page{env: env, screen: s} }
	}
	ui.Route(PathConnect, screen(ScreenConnect))
	ui.Route(PathProjects, screen(ScreenProjects))
	ui.Route(PathOpenFile, screen(ScreenOpenFile))
	ui.RouteWithRegexp(patternJobs, screen(ScreenJobs))
	ui.RouteWithRegexp(patternPipeline, screen(ScreenPipeline))
	ui.RouteWithRegexp(patternJob, screen(ScreenJob))
	ui.RouteWithRegexp(patternLog, screen(ScreenLog))
	ui.Route(PathOAuthCallback, func() ui.Composer { return &oauthCallback{env: env} })
}

// EntryPages are the paths the static site writes as HTML files, beside the
// index. Deep links with a project (/projects/<p>/-/jobs) have no file of
// their own: the site's 404.html is the same shell, which static hosts such
// as GitLab Pages serve for any unknown path, and go-app routes from there.
var EntryPages = []string{PathProjects, PathOpenFile, PathOAuthCallback}

// href is the browser path of r under the site's path prefix. In the browser
// the prefix is added here; when go-app pre-renders pages on the server, its
// resource resolver prefixes every href itself, so adding it would double it.
func href(r Route) string {
	if !ui.IsClient {
		return r.Path()
	}
	return ui.Getenv("GOAPP_ROOT_PREFIX") + r.Path()
}

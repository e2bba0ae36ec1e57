package app

import (
	"context"
	"time"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/signin"
	"github.com/jobscope/jobscope/internal/words"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// PathOAuthCallback is where GitLab sends the browser back after consent;
// the redirect URI registered on GitLab is this page of the site.
const PathOAuthCallback = "/oauth/callback"

// oauthCallback is the page GitLab sends the browser back to: it takes the
// code off the address bar at once, finishes the sign-in and returns to the
// screen the sign-in started from, or says in words what went wrong.
type oauthCallback struct {
	ui.Compo
	env *Env

	problem string
	back    string // app path the sign-in started from
}

func (v *oauthCallback) OnMount(ctx ui.Context) {
	if !ui.IsClient {
		return
	}
	href := signin.TakeCallbackURL()
	ctx.Async(func() {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		_, ret, err := v.env.SignIn.Finish(cctx, href)
		ctx.Dispatch(func(ctx ui.Context) {
			if err != nil {
				v.problem, v.back = words.SignInProblem(err), ret
				return
			}
			if ret == "" || ParsePath(ret).Screen == ScreenNotFound {
				ret = PathProjects
			}
			ctx.NewAction(actionSettingsChanged)
			ctx.Navigate(ui.Getenv("GOAPP_ROOT_PREFIX") + ret)
		})
	})
}

func (v *oauthCallback) Render() ui.UI {
	shell := ui.Div().Class("shell")
	if ui.IsClient {
		shell = shell.DataSet("app", "live")
	}
	return shell.Body(ui.Main().Body(ui.Section().Class("card connect").ID("oauth-callback").Body(
		ui.H1().Text("Sign in with GitLab"),
		ui.If(v.problem == "", func() ui.UI {
			return ui.P().ID("oauth-progress").Aria("live", "polite").Text("Signing you in…")
		}).Else(func() ui.UI {
			return ui.Div().Body(
				ui.P().ID("oauth-problem").Class("notice notice-error").Attr("role", "alert").Text(v.problem),
				ui.P().Body(ui.A().ID("oauth-retry").Href(href(Route{Screen: ScreenConnect})).Text("Back to Connect to sign in again")),
			)
		}),
	)))
}

// ScopeUpgrade asks the user to let jobscope act, saying why, when a
// signed-in instance holds read_api only: a screen shows it instead of
// running an action when SignIn.CanAct is false, or after the action's
// 403 when SignIn.WantsUpgrade is true. Its button leaves for GitLab's
// consent page asking for api, and comes back to this screen.
type ScopeUpgrade struct {
	ui.Compo
	Env    *Env
	In     account.Instance
	Action string // "cancel", "retry", "erase", "play"

	problem string
}

func (v *ScopeUpgrade) allow(ctx ui.Context, e ui.Event) {
	u, err := v.Env.SignIn.Upgrade(v.In, v.Env.SignIn.Here())
	if err != nil {
		v.problem = err.Error()
		return
	}
	v.Env.SignIn.Open(u)
}

func (v *ScopeUpgrade) Render() ui.UI {
	return ui.Div().ID("scope-upgrade").Class("notice").Attr("role", "alert").Body(
		ui.P().Text("To "+v.Action+" jobs, jobscope needs GitLab's api scope. You signed in to "+v.In.Host()+
			" with read_api, which lets jobscope read only. GitLab will ask you to approve once more, then you come back here."),
		ui.Button().ID("allow-actions").Type("button").Class("primary").Text("Allow actions on GitLab").OnClick(v.allow),
		ui.If(v.problem != "", func() ui.UI { return ui.P().Class("notice notice-error").Text(v.problem) }),
	)
}

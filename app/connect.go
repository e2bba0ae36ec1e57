package app

import (
	"context"
	"time"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/oauth"
	"github.com/jobscope/jobscope/internal/words"

	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// connectView is the Connect screen: "Sign in with GitLab" first
// (internal/signin), then the alternative: GitLab address, token, remember or
// memory-only, and a check that says who you are or what is wrong.
type connectView struct {
	ui.Compo
	env  *Env
	self ui.Context // see jobsView

	baseURL  string
	token    string
	remember bool
	oauth    bool
	checking bool
	result   string // who you are, after a good check
	problem  string // what is wrong, after a bad one
	saved    account.Settings
	clientID string // OAuth application id for "Sign in with GitLab"
	stay     bool   // "stay signed in": keep the refresh token
	shared   string // why this site's origin is not its own, or ""
}

func (c *connectView) OnMount(ctx ui.Context) {
	c.self = ctx
	c.shared = sharedOriginWarning(ctx.Page().URL().Hostname(), ui.Getenv("GOAPP_ROOT_PREFIX"))
	c.saved, _ = c.env.Settings.Load()
	c.baseURL, c.remember = account.DefaultBaseURL, true
	if in, ok := c.saved.ActiveInstance(); ok {
		c.baseURL, c.token, c.remember, c.oauth = in.BaseURL, in.Token, in.Remember, in.OAuth
		c.clientID, c.stay = in.ClientID, in.ClientID != "" && in.Remember
		if in.ClientID != "" { // a signed-in access token is not for this form
			c.token, c.oauth = "", false
		}
	}
	if base, id := c.env.SignIn.Unfinished(); base != "" {
		c.baseURL, c.token, c.clientID = base, "", id // what was typed for the sign-in that did not finish
	} else if c.env.ConnectTo != "" && c.env.ConnectTo != c.baseURL {
		c.baseURL, c.token, c.clientID = c.env.ConnectTo, "", ""
	}
	if c.clientID == "" {
		c.clientID = c.env.SignIn.DefaultClientID(c.baseURL)
	}
}

// signIn leaves for GitLab's consent page, asking for read_api only: api
// is asked for when the user first acts (gitlab-oauth.md §6).
func (c *connectView) signIn(ctx ui.Context, e ui.Event) {
	e.PreventDefault()
	c.result, c.problem = "", ""
	u, err := c.env.SignIn.Begin(c.baseURL, c.clientID, c.stay, PathProjects, false, oauth.ScopeReadAPI)
	if err != nil {
		c.problem = err.Error()
		return
	}
	c.env.SignIn.Open(u)
}

// signOut revokes the active sign-in on GitLab, then wipes it.
func (c *connectView) signOut(in account.Instance) ui.EventHandler {
	return c.drop(in, c.env.SignOut, func(ctx ui.Context, err error) {
		c.token = ""
		if err != nil {
			c.problem = "Signed out here, but " + in.Host() + " did not confirm the revocation: the access token may work until it expires (2 hours). " + words.SignInProblem(err)
		} else {
			c.result = "Signed out of " + in.Host() + ": GitLab revoked jobscope's access, and its offline copies are gone."
		}
	})
}

// forget removes a saved instance: its token (revoked on GitLab if it
// signed in) and its offline copies.
func (c *connectView) forget(in account.Instance) ui.EventHandler {
	return c.drop(in, c.env.Forget, func(ctx ui.Context, err error) {
		if c.baseURL == in.BaseURL {
			c.token = ""
		}
		if err != nil {
			c.problem = "Forgot " + in.Host() + " here, but: " + words.SignInProblem(err)
		} else {
			c.result = "Forgot " + in.Host() + ": its token and offline copies are gone from this device."
		}
	})
}

// drop runs what takes in's access away (it may ask GitLab to revoke a
// token, so it runs off the UI goroutine, for at most 30 s), then reloads
// the saved instances and lets said tell the outcome.
func (c *connectView) drop(in account.Instance, do func(context.Context, account.Instance) error, said func(ui.Context, error)) ui.EventHandler {
	return func(ctx ui.Context, e ui.Event) {
		c.result, c.problem = "", ""
		ctx = c.self
		ctx.Async(func() {
			cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			err := do(cctx, in)
			ctx.Dispatch(func(ctx ui.Context) {
				c.saved, _ = c.env.Settings.Load()
				said(ctx, err)
				ctx.NewAction(actionSettingsChanged)
			})
		})
	}
}

func (c *connectView) check(ctx ui.Context, e ui.Event) {
	e.PreventDefault()
	c.result, c.problem = "", ""
	base, err := account.NormalizeBaseURL(c.baseURL)
	if err != nil {
		c.problem = err.Error()
		return
	}
	if c.token == "" {
		c.problem = "Paste an access token: GitLab → Preferences → Access tokens, scope read_api (or api to cancel and retry jobs)."
		return
	}
	in := account.Instance{BaseURL: base, Token: c.token, Remember: c.remember, OAuth: c.oauth}
	c.checking = true
	ctx = c.self
	ctx.Async(func() {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		user, err := c.env.CheckUser(cctx, in)
		ctx.Dispatch(func(ctx ui.Context) {
			c.checking = false
			if err != nil {
				c.problem = words.Problem(err, in.Host())
				return
			}
			in.User = user.Username
			if err := c.env.Settings.Update(func(st *account.Settings) bool { st.Put(in); return true }); err != nil {
				c.problem = err.Error()
			}
			if in.Remember {
				keepStorage() // where the browser may evict it (engine.Evictable)
			}
			c.saved, _ = c.env.Settings.Load()
			c.result = "Connected to " + in.Host() + " as " + user.Name + " (@" + user.Username + ")."
			ctx.NewAction(actionSettingsChanged)
		})
	})
}

func (c *connectView) use(in account.Instance) ui.EventHandler {
	return func(ctx ui.Context, e ui.Event) {
		// Only the active instance changes, on the settings as stored now:
		// c.saved dates from the mount, and another tab may have added an
		// instance or rotated a refresh token since.
		err := c.env.Settings.Update(func(st *account.Settings) bool {
			st.Active = in.BaseURL
			return true
		})
		c.saved, _ = c.env.Settings.Load()
		if err != nil {
			c.problem = err.Error()
			return
		}
		c.baseURL, c.token, c.remember, c.oauth = in.BaseURL, in.Token, in.Remember, in.OAuth
		if in.ClientID != "" {
			c.token, c.oauth = "", false
		}
		c.result, c.problem = "Now using "+in.Host()+".", ""
		ctx.NewAction(actionSettingsChanged)
	}
}

func (c *connectView) Render() ui.UI {
	return ui.Section().Class("card connect").Body(
		ui.H1().Text("Connect to GitLab"),
		ui.If(c.shared != "", func() ui.UI {
			return ui.P().ID("shared-origin").Class("notice notice-error").Attr("role", "alert").Text(c.shared)
		}),
		c.renderSignIn(),
		ui.H2().Text("Or use an access token"),
		ui.Form().ID("connect-form").OnSubmit(c.check).Body(
			ui.Label().For("base-url").Text("GitLab address"),
			ui.Input().ID("base-url").Type("url").Name("base-url").
				Placeholder(account.DefaultBaseURL).Value(c.baseURL).AutoComplete(false).
				OnChange(c.ValueTo(&c.baseURL)),
			ui.Label().For("token").Text("Access token"),
			ui.Input().ID("token").Type("password").Name("token").
				Value(c.token).Attr("autocomplete", "off").Attr("spellcheck", "false").
				OnChange(c.ValueTo(&c.token)),
			ui.P().Class("hint").Text("A personal, project or group access token with the read_api scope (api to cancel, retry and erase jobs). It goes only to this GitLab address, in a header."),
			ui.Label().Class("check").Body(
				ui.Input().ID("oauth").Type("checkbox").Checked(c.oauth).
					OnChange(func(ctx ui.Context, e ui.Event) { c.oauth = ctx.JSSrc().Get("checked").Bool() }),
				ui.Text(" OAuth token (sent as Authorization: Bearer)"),
			),
			ui.FieldSet().Body(
				ui.Legend().Text("On this device"),
				ui.Label().Class("check").Body(
					ui.Input().ID("remember").Type("radio").Name("keep").Checked(c.remember).
						OnChange(func(ctx ui.Context, e ui.Event) { c.remember = true }),
					ui.Text(" Remember the token"),
				),
				ui.Label().Class("check").Body(
					ui.Input().ID("memory-only").Type("radio").Name("keep").Checked(!c.remember).
						OnChange(func(ctx ui.Context, e ui.Event) { c.remember = false }),
					ui.Text(" Memory only: forget it when this tab closes"),
				),
				ui.P().ID("own-origin").Class("hint").Text("A remembered token and the offline copies belong to this web address's origin (scheme, host and port), not to its path: any page served from the same origin can read them. jobscope needs an origin of its own."),
				ui.If(theEngine().Evictable, func() ui.UI {
					return ui.P().ID("storage-evictable").Class("hint").Text(storageEvictable)
				}),
			),
			ui.Button().ID("check").Type("submit").Disabled(c.checking).
				Text(map[bool]string{true: "Checking…", false: "Check and connect"}[c.checking]),
		),
		ui.Div().ID("connect-status").Aria("live", "polite").Body(
			ui.If(c.result != "", func() ui.UI {
				return ui.P().Class("notice notice-ok").Body(
					ui.Text(c.result+" "),
					ui.A().Href(href(Route{Screen: ScreenProjects})).Text("See your projects"),
				)
			}),
			ui.If(c.problem != "", func() ui.UI {
				return ui.P().Class("notice notice-error").Attr("role", "alert").Text(c.problem)
			}),
		),
		ui.If(len(c.saved.Instances) > 0, func() ui.UI {
			return ui.Div().Class("instances").Body(
				ui.H2().Text("Saved instances"),
				ui.Ul().Body(ui.Range(c.saved.Instances).Slice(func(i int) ui.UI {
					in := c.saved.Instances[i]
					active := in.BaseURL == c.saved.Active
					return ui.Li().Body(
						ui.Span().Class("instance-host").Text(in.Host()),
						ui.If(in.ClientID != "", func() ui.UI { return ui.Span().Class("tag").Text("signed in with GitLab") }),
						ui.If(in.User != "", func() ui.UI { return ui.Span().Text(" @" + in.User) }),
						ui.If(!in.Remember, func() ui.UI { return ui.Span().Class("tag").Text("memory only") }),
						ui.If(active, func() ui.UI { return ui.Span().Class("tag tag-active").Text("active") }).
							Else(func() ui.UI { return ui.Button().Class("small").Text("Use").OnClick(c.use(in)) }),
						ui.Button().Class("small forget").Type("button").Aria("label", "Forget "+in.Host()).
							Title("Remove its token and its offline copies from this device").Text("Forget").OnClick(c.forget(in)),
					)
				})),
			)
		}),
	)
}

// renderSignIn is the first choice: "Sign in with GitLab", with what to
// register on a self-hosted GitLab, or the sign-out of the active sign-in.
func (c *connectView) renderSignIn() ui.UI {
	if in, ok := c.saved.ActiveInstance(); ok && in.SignedIn() {
		return ui.Div().ID("signed-in").Body(
			ui.P().Text("Signed in to "+in.Host()+" with GitLab"+map[bool]string{true: " as @" + in.User, false: ""}[in.User != ""]+"."),
			ui.Button().ID("sign-out").Type("button").Text("Sign out").OnClick(c.signOut(in)),
		)
	}
	redirect := c.env.SignIn.RedirectURI()
	return ui.Form().ID("signin-form").OnSubmit(c.signIn).Body(
		ui.Label().For("signin-base-url").Text("GitLab address"),
		ui.Input().ID("signin-base-url").Type("url").Name("signin-base-url").
			Placeholder(account.DefaultBaseURL).Value(c.baseURL).AutoComplete(false).
			OnChange(func(ctx ui.Context, e ui.Event) {
				c.baseURL = ctx.JSSrc().Get("value").String()
				if base, err := account.NormalizeBaseURL(c.baseURL); err == nil {
					if id := c.env.SignIn.DefaultClientID(base); id != "" {
						c.clientID = id
					}
				}
			}),
		ui.Label().For("client-id").Text("Application ID"),
		ui.Input().ID("client-id").Type("text").Name("client-id").
			Value(c.clientID).Attr("autocomplete", "off").Attr("spellcheck", "false").
			OnChange(c.ValueTo(&c.clientID)),
		ui.Label().Class("check").Body(
			ui.Input().ID("stay-signed-in").Type("checkbox").Checked(c.stay).
				OnChange(func(ctx ui.Context, e ui.Event) { c.stay = ctx.JSSrc().Get("checked").Bool() }),
			ui.Text(" Stay signed in on this device (otherwise jobscope forgets the sign-in when you close it)"),
		),
		ui.Button().ID("sign-in").Type("submit").Class("primary").Text("Sign in with GitLab"),
		ui.Details().Body(
			ui.Summary().Text("First time on this GitLab? Register jobscope once"),
			ui.P().Class("hint").Text("On GitLab: Preferences → Applications (or a group's or the Admin area's Applications) → Add new application. Name: jobscope. Untick Confidential. Scopes: read_api and api. Redirect URI:"),
			ui.Pre().Body(ui.Code().ID("redirect-uri").Text(redirect)),
			ui.P().Class("hint").Text("Then paste its Application ID above. No secret is needed. jobscope asks for read_api to show jobs, and for api only when you first cancel, retry, erase or play a job."),
		),
	)
}

// storageEvictable says what WebKit does to a tab's storage (engine.Evictable).
const storageEvictable = "This browser may delete what a website keeps, a remembered token and the offline copies included, after 7 days without a visit. Installed (on iPhone: Share, then \u201cAdd to Home Screen\u201d), jobscope keeps them."

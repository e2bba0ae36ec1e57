package app

import (
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// appNotices tells the user about the app itself: a new release the service
// worker has fetched ("new version: reload") and, once, the browser's offer
// to install the app, or on iOS, where no browser offers it, how to.
type appNotices struct {
	ui.Compo
	env *Env

	updateReady bool
	installable bool
	howTo       string // engine.InstallHowTo, until dismissed
}

func (n *appNotices) OnMount(ctx ui.Context) {
	// Either event may have fired before the wasm started.
	n.updateReady = ctx.AppUpdateAvailable()
	n.OnAppInstallChange(ctx)
	// Shown until dismissed, then never again on this device: a page may
	// reload before anyone read it (a new service worker, a sign-in).
	if !n.env.Settings.InstallOffered() {
		n.howTo = theEngine().InstallHowTo
	}
}

// OnAppUpdate is called by go-app when a new service worker took over: the
// new release is cached and a reload shows it.
func (n *appNotices) OnAppUpdate(ctx ui.Context) {
	n.updateReady = true
}

// OnAppInstallChange is called by go-app when the browser offers to install
// the app (beforeinstallprompt) or the app got installed.
func (n *appNotices) OnAppInstallChange(ctx ui.Context) {
	// go-app calls every Apple browser installable, but Safari fires no
	// beforeinstallprompt, so its Install button would throw: the how-to
	// (engine.InstallHowTo) is the offer there.
	if !ctx.IsAppInstallable() || ctx.IsAppleBrowser() || theEngine().InstallHowTo != "" { // or installed meanwhile
		n.installable = false
		return
	}
	if n.installable || n.env.Settings.InstallOffered() {
		return
	}
	n.installable = true
	// Shown now, so never again on this device, whatever the user does.
	n.env.Settings.MarkInstallOffered()
}

func (n *appNotices) Render() ui.UI {
	return ui.Div().Class("app-notices").Body(
		ui.If(n.updateReady, func() ui.UI {
			return ui.Div().ID("update-ready").Class("notice notice-ok app-notice").Attr("role", "status").Body(
				ui.Span().Text("A new version of jobscope is ready. "),
				ui.Button().ID("reload").Text("Reload").OnClick(func(ctx ui.Context, e ui.Event) {
					ctx.Reload()
				}),
			)
		}),
		ui.If(n.installable, func() ui.UI {
			return ui.Div().ID("install-offer").Class("notice app-notice").Body(
				ui.Span().Text("Install jobscope to open it like an app, offline too. "),
				ui.Button().ID("install").Text("Install").OnClick(func(ctx ui.Context, e ui.Event) {
					n.installable = false
					ctx.ShowAppInstallPrompt()
				}),
				ui.Button().ID("install-dismiss").Class("small").Text("Not now").OnClick(func(ctx ui.Context, e ui.Event) {
					n.installable = false
				}),
			)
		}),
		ui.If(n.howTo != "", func() ui.UI {
			return ui.Div().ID("install-howto").Class("notice app-notice").Body(
				ui.Span().Text(n.howTo+" "),
				ui.Button().ID("install-howto-dismiss").Class("small").Text("Got it").OnClick(func(ctx ui.Context, e ui.Event) {
					n.howTo = ""
					n.env.Settings.MarkInstallOffered()
				}),
			)
		}),
	)
}

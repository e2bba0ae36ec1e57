package app

import "strings"

// engine is what this browser does unlike Chromium that the screens must
// work around, mostly iPhones' WebKit (README, "Engines"). The zero value
// is Chromium's behaviour, which is also what the site builder renders.
type engine struct {
	// InstallHowTo: how a person installs the app where no browser offers
	// it (Safari has no beforeinstallprompt, and go-app's IsAppInstallable
	// says true there though no prompt exists to show): on iOS and iPadOS,
	// Share → Add to Home Screen; in Safari on a Mac, File → Add to Dock.
	// "" elsewhere, and once installed.
	InstallHowTo string
	// NotificationsNeedInstall: iOS or iPadOS, in a browser tab, where the
	// Notification API exists only for a web app on the Home Screen (iOS
	// 16.4 and later).
	NotificationsNeedInstall bool
	// Evictable: WebKit, in a browser tab. Safari deletes what a site keeps
	// (localStorage, IndexedDB, the service worker's cache) after 7 days of
	// use without a visit to it; a Home Screen web app keeps its own.
	Evictable bool
}

// engineProbe is what the page can ask the browser, read in engine_js.go.
type engineProbe struct {
	UserAgent      string
	MaxTouchPoints int
	// Standalone: display-mode standalone, or Safari's navigator.standalone.
	Standalone bool
	// HTTP: a page of the site (http: or https:), not an extension's.
	HTTP bool
}

// engineOf decides from what the page sees. iPadOS Safari says it is a Mac,
// so a "Macintosh" with a touch screen counts as iOS (no Mac has one); every
// browser on iOS is WebKit, whatever its name (CriOS, FxiOS, EdgiOS).
func engineOf(p engineProbe) engine {
	if !p.HTTP || p.Standalone {
		return engine{}
	}
	ua := p.UserAgent
	ios := strings.Contains(ua, "iPhone") || strings.Contains(ua, "iPad") || strings.Contains(ua, "iPod") ||
		(strings.Contains(ua, "Macintosh") && p.MaxTouchPoints > 1)
	webkit := ios || (strings.Contains(ua, "AppleWebKit") && !strings.Contains(ua, "Chrome") && !strings.Contains(ua, "Chromium"))
	e := engine{NotificationsNeedInstall: ios, Evictable: webkit}
	switch {
	case ios:
		e.InstallHowTo = HowToHomeScreen
	case webkit && strings.Contains(ua, "Macintosh"):
		e.InstallHowTo = HowToDock
	}
	return e
}

// The install offers where the browser makes none (engine.InstallHowTo).
const (
	HowToHomeScreen = "To install jobscope, tap Share, then \u201cAdd to Home Screen\u201d: it opens like an app, offline too, keeps what it saved, and can notify you when a watched job finishes."
	HowToDock       = "To install jobscope, choose File, then \u201cAdd to Dock\u201d: it opens like an app, offline too."
)

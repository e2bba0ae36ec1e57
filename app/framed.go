package app

// framed reports whether the app runs inside another page's frame
// (framed_js.go). The site's CSP is a meta tag, which cannot carry
// frame-ancestors (README, "Headers a host should send"), so a page could frame jobscope
// and trick a click on an action: framed, the four actions are off.
var framed = isFramed

// actionsOff reports whether the four actions (cancel, retry, erase, play)
// are off: offline they wait for the network, framed they are refused.
func actionsOff(offline bool) bool { return offline || framed() }

// actionsReason is the title of an action button, saying why it is off.
func actionsReason(offline bool) string {
	if framed() {
		return "jobscope is shown inside another page: open it in a tab of its own to cancel, retry, erase or run jobs"
	}
	return offlineReason(offline)
}

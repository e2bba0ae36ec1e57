package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// User agents as the browsers send them (README, "Engines").
const (
	uaIPhoneSafari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1"
	uaIPhoneChrome = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/138.0.7204.156 Mobile/15E148 Safari/604.1"
	uaIPadSafari   = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15"
	uaMacSafari    = uaIPadSafari // the same string: only the touch points differ
	uaWebKitGTK    = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15"
	uaChromium     = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
	uaAndroid      = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36"
	uaFirefox      = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
)

func TestEngineOf(t *testing.T) {
	ios := engine{InstallHowTo: HowToHomeScreen, NotificationsNeedInstall: true, Evictable: true}
	cases := []struct {
		name string
		p    engineProbe
		want engine
	}{
		{"Safari on an iPhone, in a tab", engineProbe{UserAgent: uaIPhoneSafari, MaxTouchPoints: 5, HTTP: true}, ios},
		{"Chrome on an iPhone is WebKit too", engineProbe{UserAgent: uaIPhoneChrome, MaxTouchPoints: 5, HTTP: true}, ios},
		{"Safari on an iPad says Macintosh, with touch", engineProbe{UserAgent: uaIPadSafari, MaxTouchPoints: 5, HTTP: true}, ios},
		{"on the Home Screen, nothing to work around", engineProbe{UserAgent: uaIPhoneSafari, MaxTouchPoints: 5, Standalone: true, HTTP: true}, engine{}},
		{"Safari on a Mac: evictable, Add to Dock", engineProbe{UserAgent: uaMacSafari, HTTP: true}, engine{InstallHowTo: HowToDock, Evictable: true}},
		{"WebKitGTK's MiniBrowser", engineProbe{UserAgent: uaWebKitGTK, HTTP: true}, engine{Evictable: true}},
		{"Chromium", engineProbe{UserAgent: uaChromium, HTTP: true}, engine{}},
		{"Chrome on Android", engineProbe{UserAgent: uaAndroid, MaxTouchPoints: 5, HTTP: true}, engine{}},
		{"Firefox", engineProbe{UserAgent: uaFirefox, HTTP: true}, engine{}},
		{"an extension's popup is no website", engineProbe{UserAgent: uaIPhoneSafari, MaxTouchPoints: 5}, engine{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, engineOf(c.p))
		})
	}
}

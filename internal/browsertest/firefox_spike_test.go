package browsertest

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFirefoxSpike(t *testing.T) {
	requireFirefox(t)
	fe := startFirefoxExtension(t, nil)
	p := ffTab(t, fe.Browser)
	require.NoError(t, p.Goto(ffCtx(t), fe.url("popup.html")))
	ffWaitApp(t, p)
	t.Log(ffEval[string](t, p, "location.href"))
	t.Log(ffEval[any](t, p, "browser.storage.local.get(null)"))
	t.Log(ffEval[any](t, p, "browser.tabs.query({})"))
	ffShot(t, p, "spike")
}

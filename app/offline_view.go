package app

import (
	"fmt"

	"github.com/jobscope/jobscope/internal/offline"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// offlineDataView is the settings card of the offline copies: how many are
// kept and their size, and "clear".
type offlineDataView struct {
	ui.Compo
	env *Env

	n       int
	bytes   int64
	cleared bool
	problem string
}

func (v *offlineDataView) OnMount(ctx ui.Context) { v.refresh(ctx) }

// refresh reads the usage off the UI goroutine: IndexedDB answers later.
func (v *offlineDataView) refresh(ctx ui.Context) {
	ctx.Async(func() {
		n, b := v.env.Offline.Store.Usage()
		ctx.Dispatch(func(ui.Context) { v.n, v.bytes = n, b })
	})
}

func (v *offlineDataView) clear(ctx ui.Context, e ui.Event) {
	ctx.Async(func() {
		err := v.env.Offline.Store.Clear()
		ctx.Dispatch(func(ctx ui.Context) {
			v.cleared, v.problem = err == nil, ""
			if err != nil {
				v.problem = "The copies could not be cleared: " + err.Error()
			}
			v.refresh(ctx)
		})
	})
}

func (v *offlineDataView) Render() ui.UI {
	return ui.Section().Class("card offline-data").Aria("labelledby", "offline-data-title").Body(
		ui.H2().ID("offline-data-title").Text("Offline copies"),
		ui.P().ID("offline-usage").Text(fmt.Sprintf(
			"The last job lists, pipelines, jobs and logs you opened are kept on this device to read offline: %s in %d %s (up to %s; the least recently used go first). An instance whose token is kept in memory only keeps its copies in memory only.",
			formatBytes(v.bytes), v.n, plural(v.n, "copy", "copies"), formatBytes(offline.Budget))),
		ui.Button().ID("offline-clear").Type("button").Class("small").Disabled(v.n == 0).Text("Clear offline copies").OnClick(v.clear),
		ui.If(v.cleared, func() ui.UI { return ui.P().Class("notice notice-ok").Attr("role", "status").Text("Cleared.") }),
		ui.If(v.problem != "", func() ui.UI { return ui.P().Class("notice notice-error").Attr("role", "alert").Text(v.problem) }),
	)
}

// formatBytes writes a size for people: "0 B", "12.3 kB", "4.5 MB".
func formatBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

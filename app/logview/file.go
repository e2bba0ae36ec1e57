package logview

import (
	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/words"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// File opens a raw log from disk (file picker or drag and drop) into the
// log view: read with File.arrayBuffer, parsed in the page, nothing sent.
type File struct {
	ui.Compo

	v        *viewer
	store    joblog.Store
	raw      []byte
	name     string
	problem  string
	over     bool
	loading  bool
	unlisten func()
}

func (f *File) OnMount(ctx ui.Context) {
	f.v = newViewer(&f.store)
	f.v.raw = func() []byte { return f.raw }
	f.v.name = "log.txt"
	f.v.mount(ctx)
	f.unlisten = f.listenDrop(ctx)
}

func (f *File) OnDismount() {
	if f.v != nil {
		f.v.dismount()
	}
	if f.unlisten != nil {
		f.unlisten()
	}
}

// open loads a file's bytes into a fresh store (UI goroutine).
func (f *File) open(ctx ui.Context, name string, b []byte, problem string) {
	f.loading = false
	if problem != "" {
		f.problem = problem
		return
	}
	f.problem, f.name, f.raw = "", name, b
	f.v.name = name
	f.store.Reset()
	f.v.ingest(ctx, b, true, func(ui.Context) {})
}

func (f *File) Render() ui.UI {
	zone := "log-drop"
	if f.over {
		zone += " over"
	}
	status := "No file opened yet."
	switch {
	case f.loading:
		status = "Reading the file…"
	case f.name != "":
		status = f.name + " · " + words.Lines(f.store.Len())
	}
	var body ui.UI = ui.Div().Class("log")
	if f.v != nil {
		body = f.v.render(ui.P().ID("log-live").Class("log-status").Attr("role", "status").Aria("live", "polite").Text(status), f.problem)
	}
	return ui.Div().Class("log-file").
		OnDragEnter(func(ctx ui.Context, e ui.Event) { f.over = true }).
		OnDragLeave(func(ctx ui.Context, e ui.Event) { f.over = false }).
		OnDrop(func(ctx ui.Context, e ui.Event) { f.over = false }).Body(
		ui.Div().ID("log-drop").Class(zone).Body(
			ui.Label().For("log-file").Text("Open a log file, or drop one here"),
			ui.Input().ID("log-file").Type("file").Accept(".log,.txt,text/plain").OnChange(f.pick),
		),
		body,
	)
}

package logview

import (
	"context"
	"io"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/words"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// File opens a raw log from disk (file picker or drag and drop) into the
// log view: streamed from File.stream() and parsed as it is read, as a
// download is (issue 12), in the page; nothing is sent.
type File struct {
	ui.Compo

	v        *viewer
	store    joblog.Store
	raw      []byte
	name     string
	problem  string
	over     bool
	received int64 // bytes read of a file being opened, for its progress bar
	total    int64
	stop     context.CancelFunc // ends the read of the file being opened
	unlisten func()
	loaded   bool   // the file is read to its end
	base     []byte // a passing run's log to compare with (changes_file.go)
	baseName string
}

func (f *File) OnMount(ctx ui.Context) {
	f.v = newViewer(&f.store)
	f.v.raw = func() []byte { return f.raw }
	f.v.name = "log.txt"
	f.v.mount(ctx)
	f.unlisten = f.listenDrop(ctx)
}

func (f *File) OnDismount() {
	if f.stop != nil {
		f.stop()
	}
	if f.v != nil {
		f.v.dismount()
	}
	if f.unlisten != nil {
		f.unlisten()
	}
}

// stream reads a file's body into a fresh store, showing its lines as they
// are read (UI goroutine). A file opened meanwhile ends this one's read.
func (f *File) stream(ctx ui.Context, name string, size int64, open func(context.Context) io.ReadCloser) {
	if f.stop != nil {
		f.stop()
	}
	lifetime, stop := context.WithCancel(context.Background())
	f.stop = stop
	f.problem, f.name, f.raw, f.received, f.total, f.loaded = "", name, nil, 0, size, false
	f.v.changes = nil
	f.v.name = name
	f.store.Reset()
	f.v.ingesting++ // a previous file's parse stops
	body := open(lifetime)
	reader := &logReader{progress: func(raw []byte, received, total int64) {
		ctx.Dispatch(func(ctx ui.Context) {
			if lifetime.Err() != nil {
				return
			}
			f.raw, f.received = raw, received
			f.v.ingest(ctx, raw, false, func(ui.Context) {})
		})
	}}
	ctx.Async(func() {
		defer body.Close()
		raw, err := reader.download(lifetime, nil, &gitlab.LogStream{Status: 200, Length: size, Body: body})
		ctx.Dispatch(func(ctx ui.Context) {
			if lifetime.Err() != nil {
				return // another file, or the page, took over
			}
			f.raw, f.received = raw, 0
			if err != nil {
				f.problem = "The file could not be read to its end: the first " + words.Size(int64(len(raw))) + " are shown."
			}
			f.v.ingest(ctx, raw, err == nil, func(ctx ui.Context) {
				f.loaded = err == nil
				f.compareFiles(ctx)
			})
		})
	})
}

func (f *File) Render() ui.UI {
	zone := "log-drop"
	if f.over {
		zone += " over"
	}
	status := "No file opened yet."
	if f.name != "" {
		status = f.name + " · " + words.Lines(f.store.Len())
	}
	var body ui.UI = ui.Div().Class("log")
	if f.v != nil {
		body = f.v.render(statusLine(status, nil, f.received, f.total), f.problem)
	}
	return ui.Div().Class("log-file").
		OnDragEnter(func(ctx ui.Context, e ui.Event) { f.over = true }).
		OnDragLeave(func(ctx ui.Context, e ui.Event) { f.over = false }).
		OnDrop(func(ctx ui.Context, e ui.Event) { f.over = false }).Body(
		ui.Div().ID("log-drop").Class(zone).Body(
			ui.Label().For("log-file").Text("Open a log file, or drop one here"),
			ui.Input().ID("log-file").Type("file").Accept(".log,.txt,text/plain").OnChange(f.pick),
			ui.Label().For("log-file-base").Text("Compare with a passing run's log"),
			ui.Input().ID("log-file-base").Type("file").Accept(".log,.txt,text/plain").OnChange(f.pickBase),
		),
		body,
	)
}

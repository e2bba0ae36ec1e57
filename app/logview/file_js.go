package logview

import (
	"context"
	"io"
	"syscall/js"

	"github.com/jobscope/jobscope/internal/jsstream"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

func firstFile(list js.Value) (js.Value, bool) {
	if !list.Truthy() || list.Get("length").Int() == 0 {
		return js.Value{}, false
	}
	return list.Index(0), true
}

func (f *File) pick(ctx ui.Context, e ui.Event) {
	in := js.Global().Get("document").Call("getElementById", "log-file")
	if file, ok := firstFile(in.Get("files")); ok {
		f.read(ctx, file)
	}
}

// listenDrop handles drops on the page in JS directly: a DataTransfer's
// files can only be read while its event runs, and go-app queues handlers.
func (f *File) listenDrop(ctx ui.Context) (stop func()) {
	doc := js.Global().Get("document")
	over := js.FuncOf(func(_ js.Value, args []js.Value) any {
		args[0].Call("preventDefault")
		return nil
	})
	drop := js.FuncOf(func(_ js.Value, args []js.Value) any {
		e := args[0]
		e.Call("preventDefault")
		if file, ok := firstFile(e.Get("dataTransfer").Get("files")); ok {
			ctx.Dispatch(func(ctx ui.Context) { f.read(ctx, file) })
		}
		return nil
	})
	doc.Call("addEventListener", "dragover", over)
	doc.Call("addEventListener", "drop", drop)
	return func() {
		doc.Call("removeEventListener", "dragover", over)
		doc.Call("removeEventListener", "drop", drop)
		over.Release()
		drop.Release()
	}
}

func (f *File) read(ctx ui.Context, file js.Value) {
	f.stream(ctx, file.Get("name").String(), int64(file.Get("size").Float()), func(lifetime context.Context) io.ReadCloser {
		return jsstream.NewReader(lifetime, file.Call("stream"))
	})
}

// pickBase reads the passing run's log to compare the opened file with,
// whole, then compares.
func (f *File) pickBase(ctx ui.Context, e ui.Event) {
	in := js.Global().Get("document").Call("getElementById", "log-file-base")
	file, ok := firstFile(in.Get("files"))
	if !ok {
		return
	}
	name := file.Get("name").String()
	f.v.changes = lookingFor("Reading " + name + "…")
	ctx.Async(func() {
		body := jsstream.NewReader(context.Background(), file.Call("stream"))
		raw, err := io.ReadAll(body)
		body.Close()
		ctx.Dispatch(func(ctx ui.Context) {
			if err != nil {
				f.v.nothingToCompare(name+" could not be read to its end: nothing to compare with.", "", "")
				return
			}
			f.base, f.baseName = raw, name
			if !f.loaded {
				f.v.changes = lookingFor("Open the failed log to compare with " + name + ".")
			}
			f.compareFiles(ctx)
		})
	})
}

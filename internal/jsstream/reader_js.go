package jsstream

import (
	"context"
	"errors"
	"io"
	"syscall/js"
)

// Reader reads a ReadableStream. Close, or the end of ctx, cancels the
// stream, which stops the download or the file read behind it.
type Reader struct {
	ctx    context.Context
	reader js.Value // ReadableStreamDefaultReader
	rest   []byte   // of the last chunk, not yet read
	done   bool
}

// NewReader locks stream to a new Reader.
func NewReader(ctx context.Context, stream js.Value) *Reader {
	return &Reader{ctx: ctx, reader: stream.Call("getReader")}
}

func (r *Reader) Read(p []byte) (int, error) {
	for len(r.rest) == 0 {
		if r.done {
			return 0, io.EOF
		}
		res, err := r.await(r.reader.Call("read"))
		if err != nil {
			r.done = true
			return 0, err
		}
		if res.Get("done").Bool() {
			r.done = true
			continue
		}
		v := res.Get("value")
		r.rest = make([]byte, v.Get("byteLength").Int())
		js.CopyBytesToGo(r.rest, v)
	}
	n := copy(p, r.rest)
	r.rest = r.rest[n:]
	return n, nil
}

// Close cancels the stream when it was not read to its end.
func (r *Reader) Close() error {
	if !r.done {
		r.done = true
		r.reader.Call("cancel")
	}
	return nil
}

// await blocks until a read settles. When ctx ends first it cancels the
// stream, which settles the pending read at once, and still waits for it, so
// the callbacks are never released while the promise can call them.
func (r *Reader) await(promise js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	done := make(chan result, 1)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{v: args[0]}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{err: errors.New(js.Global().Get("String").Invoke(args[0]).String())}
		return nil
	})
	defer onOK.Release()
	defer onErr.Release()
	promise.Call("then", onOK, onErr)
	select {
	case res := <-done:
		return res.v, res.err
	case <-r.ctx.Done():
		r.reader.Call("cancel")
		<-done
		return js.Value{}, r.ctx.Err()
	}
}

package jsstream

import (
	"context"
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

func (r *Reader) await(promise js.Value) (js.Value, error) {
	return Await(r.ctx, promise, func() { r.reader.Call("cancel") })
}

// Await blocks until promise settles and returns its value, or its reason
// as an error (Rejection). When ctx ends first it calls cancel, which must
// make the promise settle promptly (abort a fetch, cancel a stream), and
// still waits for it, so the callbacks are never released while the promise
// can call them.
func Await(ctx context.Context, promise js.Value, cancel func()) (js.Value, error) {
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
		done <- result{err: Rejection{args[0]}}
		return nil
	})
	defer onOK.Release()
	defer onErr.Release()
	promise.Call("then", onOK, onErr)
	select {
	case res := <-done:
		return res.v, res.err
	case <-ctx.Done():
		cancel()
		<-done
		return js.Value{}, ctx.Err()
	}
}

// Rejection is a promise's reason, usually a TypeError for network or CORS
// failures. Its text is the browser's name and message.
type Rejection struct{ Reason js.Value }

func (r Rejection) Error() string {
	if r.Reason.Type() == js.TypeObject {
		if name, msg := r.Reason.Get("name"), r.Reason.Get("message"); msg.Type() == js.TypeString {
			return name.String() + ": " + msg.String()
		}
	}
	return js.Global().Get("String").Invoke(r.Reason).String()
}

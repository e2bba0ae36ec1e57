package jsstream

import (
	"context"
	"io"
	"strings"
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// streamOf is a ReadableStream that delivers chunks one read at a time, then
// fails with failure when it is not "".
func streamOf(chunks []string, failure string) js.Value {
	parts := make([]any, len(chunks))
	for i, c := range chunks {
		parts[i] = c
	}
	src := js.Global().Get("Object").New()
	i := 0
	var pull js.Func
	pull = js.FuncOf(func(_ js.Value, args []js.Value) any {
		ctrl := args[0]
		switch {
		case i < len(chunks):
			ctrl.Call("enqueue", js.Global().Get("TextEncoder").New().Call("encode", chunks[i]))
			i++
		case failure != "":
			ctrl.Call("error", js.Global().Get("Error").New(failure))
		default:
			ctrl.Call("close")
		}
		return nil
	})
	src.Set("pull", pull)
	return js.Global().Get("ReadableStream").New(src)
}

func TestAStreamIsReadChunkByChunk(t *testing.T) {
	tests := []struct {
		name    string
		chunks  []string
		failure string
		buf     int // the reader's buffer: smaller than a chunk splits it
		want    string
		wantErr string
	}{
		{"chunks in order", []string{"line 1\n", "line 2\n", "line 3\n"}, "", 64, "line 1\nline 2\nline 3\n", ""},
		{"a chunk larger than the buffer", []string{strings.Repeat("x", 100), "end\n"}, "", 7, strings.Repeat("x", 100) + "end\n", ""},
		{"an empty stream", nil, "", 64, "", ""},
		{"a stream that fails keeps what came", []string{"line 1\n"}, "disk gone", 64, "line 1\n", "disk gone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(context.Background(), streamOf(tt.chunks, tt.failure))
			defer r.Close()
			var got strings.Builder
			buf := make([]byte, tt.buf)
			var err error
			for {
				var n int
				n, err = r.Read(buf)
				got.Write(buf[:n])
				if err != nil {
					break
				}
			}
			assert.Equal(t, tt.want, got.String())
			if tt.wantErr == "" {
				assert.ErrorIs(t, err, io.EOF)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
		})
	}
}

// TestClosingCancelsTheStream: a reader closed half way cancels the stream
// (a file read or download stops), and a cancelled context ends a Read.
func TestClosingCancelsTheStream(t *testing.T) {
	cancelled := false
	src := js.Global().Get("Object").New()
	src.Set("pull", js.FuncOf(func(_ js.Value, args []js.Value) any {
		args[0].Call("enqueue", js.Global().Get("TextEncoder").New().Call("encode", "more\n"))
		return nil
	}))
	src.Set("cancel", js.FuncOf(func(js.Value, []js.Value) any { cancelled = true; return nil }))
	r := NewReader(context.Background(), js.Global().Get("ReadableStream").New(src))
	buf := make([]byte, 16)
	_, err := r.Read(buf)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	assert.True(t, cancelled, "the stream is cancelled")
	n, err := r.Read(buf)
	assert.Zero(t, n)
	assert.ErrorIs(t, err, io.EOF, "a closed reader reads nothing more")

	ctx, cancel := context.WithCancel(context.Background())
	never := js.Global().Get("Object").New()
	never.Set("pull", js.FuncOf(func(js.Value, []js.Value) any {
		cancel() // the read is pending: nothing is ever enqueued
		return js.Global().Get("Promise").New(js.FuncOf(func(js.Value, []js.Value) any { return nil }))
	}))
	r = NewReader(ctx, js.Global().Get("ReadableStream").New(never))
	_, err = r.Read(buf)
	assert.ErrorIs(t, err, context.Canceled)
}

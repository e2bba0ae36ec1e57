// Package jsstream reads a browser ReadableStream (a fetch body, a File's
// stream()) as an io.ReadCloser, chunk by chunk as the browser delivers it,
// so a large body is parsed while the rest arrives instead of after it.
package jsstream

// Package pwabench measures the built PWA the way `make bench` reports it:
// Lighthouse's accessibility and best-practices scores with every failed
// audit, the shell's cold and warm (service worker) load times against a
// minimal go-app app served the same way in the same run, and the bytes a
// first visit transfers (brotli). internal/cmd/pwabench is its command line.
package pwabench

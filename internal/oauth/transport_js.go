//go:build js

package oauth

import "github.com/jobscope/jobscope/internal/gitlab"

// The browser's fetch: net/http would add 0.86 MB brotli to the wasm.
func defaultTransport() gitlab.Transport { return gitlab.FetchTransport{} }

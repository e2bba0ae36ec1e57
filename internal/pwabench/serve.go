package pwabench

import (
	"net/http"

	"github.com/jobscope/jobscope/internal/site"
)

// ListenAndServe serves the built site in dir on addr as a static host does.
func ListenAndServe(addr, dir string) error {
	return http.ListenAndServe(addr, site.FileServer(dir, site.ServeOptions{}))
}

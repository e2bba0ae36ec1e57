package site

import (
	"bytes"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ServeOptions adjusts FileServer for the demo and the browser tests.
type ServeOptions struct {
	// Head is markup added at the end of every HTML page's <head> (the demo's
	// marker meta). It must be trusted, constant markup.
	Head string
	// Header is added to every response (e.g. a narrower CSP).
	Header http.Header
	// DeepLinksOK sends 404.html with status 200, as nginx's
	// `try_files $uri $uri.html /404.html` does (README), so opening a
	// job's address logs no "Failed to load resource: 404" in the console.
	DeepLinksOK bool
}

// FileServer serves a built site the way a plain static host does, so tests
// and the demo see what users will: "/x" is answered by x.html when it
// exists, an unknown path by 404.html with status 404 (GitLab Pages'
// behaviour, which is how deep links reach the app), and a file's .br or .gz
// sibling is sent when the browser accepts that encoding.
func FileServer(dir string, o ServeOptions) http.Handler {
	return &fileServer{dir: dir, o: o}
}

type fileServer struct {
	dir string
	o   ServeOptions
}

func (s *fileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	for k, v := range s.o.Header {
		w.Header()[k] = slices.Clone(v) // a page's CSP is added to below
	}
	name, status := s.resolve(path.Clean("/" + r.URL.Path))
	if name == "" {
		http.NotFound(w, r)
		return
	}
	ctype := mime.TypeByExtension(filepath.Ext(name))
	switch filepath.Ext(name) {
	case ".wasm":
		ctype = "application/wasm"
	case ".webmanifest":
		ctype = "application/manifest+json"
	case ".html":
		ctype = "text/html; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Add("Vary", "Accept-Encoding")
	if strings.HasSuffix(name, ".html") {
		w.Header().Set("Cache-Control", "no-cache")
		// What the README asks of every host: the meta CSP cannot say it.
		w.Header().Add("Content-Security-Policy", "frame-ancestors 'none'")
	}

	if strings.HasSuffix(name, ".html") && s.o.Head != "" {
		b, err := os.ReadFile(name)
		if err != nil {
			http.Error(w, "read failed", http.StatusInternalServerError)
			return
		}
		b = bytes.Replace(b, []byte("</head>"), []byte(s.o.Head+"</head>"), 1)
		w.WriteHeader(status)
		w.Write(b)
		return
	}
	accept := r.Header.Get("Accept-Encoding")
	for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if !acceptsEncoding(accept, enc.token) {
			continue
		}
		if _, err := os.Stat(name + enc.ext); err == nil {
			w.Header().Set("Content-Encoding", enc.token)
			name += enc.ext
			break
		}
	}
	f, err := os.Open(name)
	if err != nil {
		http.Error(w, "read failed", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	if status != http.StatusOK {
		w.WriteHeader(status)
		if r.Method == http.MethodGet {
			f.WriteTo(w)
		}
		return
	}
	fi, err := f.Stat()
	if err != nil {
		http.Error(w, "read failed", http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, "", fi.ModTime(), f)
}

// resolve maps a clean URL path to a file and the status to send it with.
func (s *fileServer) resolve(p string) (string, int) {
	file := func(rel string) string {
		name := filepath.Join(s.dir, filepath.FromSlash(rel))
		if fi, err := os.Stat(name); err == nil && fi.Mode().IsRegular() {
			return name
		}
		return ""
	}
	if strings.HasSuffix(p, "/") {
		if f := file(p + "index.html"); f != "" {
			return f, http.StatusOK
		}
	} else if f := file(p); f != "" {
		return f, http.StatusOK
	} else if f := file(p + ".html"); f != "" {
		return f, http.StatusOK
	}
	if f := file("/404.html"); f != "" {
		if s.o.DeepLinksOK {
			return f, http.StatusOK
		}
		return f, http.StatusNotFound
	}
	return "", http.StatusNotFound
}

// acceptsEncoding reports whether an Accept-Encoding header allows token
// (RFC 9110 §12.5.3: a q of 0 means "not acceptable").
func acceptsEncoding(header, token string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), token) {
			continue
		}
		for p := range strings.SplitSeq(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if q, err := strconv.ParseFloat(v, 64); strings.EqualFold(k, "q") && err == nil && q == 0 {
				return false
			}
		}
		return true
	}
	return false
}

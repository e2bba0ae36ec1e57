package extbuild

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"flag"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/jobscope/jobscope/extension"
	"github.com/jobscope/jobscope/extension/signin"
	"github.com/jobscope/jobscope/extension/storage"
	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/watch"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// The manifests are reviewed as goldens: a permission or CSP change shows in
// the diff.
func TestManifestGoldens(t *testing.T) {
	for _, b := range Browsers {
		t.Run(string(b), func(t *testing.T) {
			got, err := NewManifest(b).JSON()
			require.NoError(t, err)
			golden := filepath.Join("testdata", "manifest-"+string(b)+".golden.json")
			if *update {
				require.NoError(t, os.WriteFile(golden, got, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to write the golden")
			assert.Equal(t, string(want), string(got))
		})
	}
}

// Issue 6's rules for both manifests, checked on the JSON as the browser
// reads it.
func TestManifestRules(t *testing.T) {
	for _, b := range Browsers {
		t.Run(string(b), func(t *testing.T) {
			raw, err := NewManifest(b).JSON()
			require.NoError(t, err)
			var m map[string]any
			require.NoError(t, json.Unmarshal(raw, &m))
			assert.EqualValues(t, 3, m["manifest_version"])
			assert.Equal(t, extension.Version, m["version"], "one version, extension.Version")
			assert.ElementsMatch(t, []any{"storage", "activeTab", "alarms", "notifications", "identity"}, m["permissions"], "exactly these permissions: no tabs, no <all_urls>; identity for Sign in with GitLab")
			assert.Equal(t, []any{"https://gitlab.com/*"}, m["host_permissions"])
			assert.ElementsMatch(t, []any{"https://*/*", "http://127.0.0.1/*", "http://localhost/*"}, m["optional_host_permissions"])
			assert.NotContains(t, string(raw), "<all_urls>")
			assert.NotContains(t, string(raw), "content_scripts")
			csp := m["content_security_policy"].(map[string]any)["extension_pages"]
			assert.Equal(t, "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'self'; "+
				"connect-src 'self' https: http://127.0.0.1:* http://localhost:*; img-src 'self' data:", csp)
			assert.Equal(t, PopupPage, m["action"].(map[string]any)["default_popup"])
			for _, size := range []string{"16", "32", "48", "128"} {
				assert.Contains(t, m["icons"], size, "icon %s px", size)
			}
			bg := m["background"].(map[string]any)
			bss, hasBSS := m["browser_specific_settings"].(map[string]any)
			switch b {
			case Chromium:
				assert.Equal(t, map[string]any{"service_worker": "background.js"}, bg)
				assert.False(t, hasBSS)
			case Firefox:
				assert.Equal(t, map[string]any{"scripts": []any{"background.js"}}, bg, "an event page: web-ext 10.7 warns when service_worker is beside it")
				gecko := bss["gecko"].(map[string]any)
				assert.Equal(t, GeckoID, gecko["id"])
				assert.Equal(t, "140.0", gecko["strict_min_version"], "data_collection_permissions needs 140 on desktop; Debian 12's firefox-esr 140 installs it")
				assert.Equal(t, map[string]any{"strict_min_version": "142.0"}, bss["gecko_android"], "and 142 on Android")
				assert.Equal(t, map[string]any{"required": []any{"none"}}, gecko["data_collection_permissions"])
			}
		})
	}
}

// A token must never travel in clear text (issue 15): plain http only to
// loopback, in host permissions and in what the pages may connect to, as
// the site's CSP allows; and nothing at all by default.
func TestTokensStayOffClearTextHosts(t *testing.T) {
	for _, b := range Browsers {
		t.Run(string(b), func(t *testing.T) {
			m := NewManifest(b)
			for _, p := range append(append([]string{}, m.HostPermissions...), m.OptionalHostPermissions...) {
				if strings.HasPrefix(p, "http://") {
					assert.Contains(t, []string{"http://127.0.0.1/*", "http://localhost/*"}, p, "http on loopback only")
				} else {
					assert.True(t, strings.HasPrefix(p, "https://"), "%s: https or loopback http", p)
				}
			}
			directives := map[string][]string{}
			for _, d := range strings.Split(m.CSP.ExtensionPages, ";") {
				f := strings.Fields(d)
				require.NotEmpty(t, f)
				directives[f[0]] = f[1:]
			}
			assert.Equal(t, []string{"'self'"}, directives["default-src"], "nothing else by default")
			require.Contains(t, directives, "connect-src")
			for _, src := range directives["connect-src"] {
				if strings.HasPrefix(src, "http:") || strings.HasPrefix(src, "http://") {
					assert.Contains(t, []string{"http://127.0.0.1:*", "http://localhost:*"}, src, "http on loopback only")
				}
			}
		})
	}
}

func TestWithoutServiceWorker(t *testing.T) {
	cases := []struct {
		name, in, want string
		err            error
	}{
		{"the minified call goes, the function stays", `goappInitServiceWorker(),goappWatchForUpdate();async function goappInitServiceWorker(){}`,
			`goappWatchForUpdate();async function goappInitServiceWorker(){}`, nil},
		{"the unminified call goes", "goappInitServiceWorker();\ngoappInitWebAssembly();", "\ngoappInitWebAssembly();", nil},
		{"an app.js without the call is an error", `goappInitWebAssembly();`, "", ErrAppJSChanged},
		{"two calls are an error", `goappInitServiceWorker();goappInitServiceWorker();`, "", ErrAppJSChanged},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := withoutServiceWorker([]byte(c.in))
			if c.err != nil {
				assert.ErrorIs(t, err, c.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, string(got))
		})
	}
}

// buildOnce builds both packages from a stand-in wasm (the builder copies it
// and never runs it) into a temporary dist.
func buildOnce(t *testing.T) string {
	t.Helper()
	dist := t.TempDir()
	wasm := filepath.Join(dist, "app.wasm")
	require.NoError(t, os.WriteFile(wasm, []byte("\x00asm\x01\x00\x00\x00"), 0o644))
	require.NoError(t, Build(Options{Wasm: wasm, WebDir: filepath.Join("..", "..", "web"), Dist: dist}))
	return dist
}

func TestBuild(t *testing.T) {
	dist := buildOnce(t)
	for _, b := range Browsers {
		t.Run(string(b), func(t *testing.T) {
			files := zipFiles(t, Zip(dist, b))
			names := make([]string, 0, len(files))
			for n := range files {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, want := range []string{"manifest.json", "popup.html", "popup.js", "popup.css", "background.js",
				"app.js", "wasm_exec.js", "web/app.wasm", "icons/icon-16.png", "icons/icon-128.png"} {
				assert.Contains(t, names, want)
			}
			for _, gone := range []string{"app-worker.js", "manifest.webmanifest", "index.html", "404.html"} {
				assert.NotContains(t, names, gone, "no PWA leftovers")
			}
			for _, n := range names {
				assert.False(t, strings.HasSuffix(n, ".br") || strings.HasSuffix(n, ".gz"), n)
			}

			assert.NotRegexp(t, regexp.MustCompile(`goappInitServiceWorker\(\)[,;]`), string(files["app.js"]), "the popup registers no service worker")

			// Every file the manifest names is in the package, at its size.
			var m Manifest
			require.NoError(t, json.Unmarshal(files["manifest.json"], &m))
			for size, p := range m.Icons {
				img, err := png.Decode(bytes.NewReader(files[p]))
				require.NoError(t, err, p)
				assert.Equal(t, size, itoa(img.Bounds().Dx()), p)
			}
			assert.Contains(t, files, m.Action.Popup)
			for _, s := range append(m.Background.Scripts, m.Background.ServiceWorker) {
				if s != "" {
					assert.Contains(t, files, s)
				}
			}

			// The popup: its scripts are package files, popup.js first; no
			// address outside the package.
			scripts, refs := pageRefs(t, files["popup.html"])
			assert.Equal(t, []string{"/popup.js", "/wasm_exec.js", "/app.js"}, scripts)
			for _, r := range refs {
				assert.True(t, strings.HasPrefix(r, "/"), "package path: %s", r)
				assert.Contains(t, files, strings.TrimPrefix(r, "/"), "the page's %s is in the package", r)
			}
		})
	}
}

// The same sources give the same zips (stores and reviewers compare them).
func TestBuildIsReproducible(t *testing.T) {
	dist := buildOnce(t)
	first := map[Browser][]byte{}
	for _, b := range Browsers {
		z, err := os.ReadFile(Zip(dist, b))
		require.NoError(t, err)
		first[b] = z
	}
	require.NoError(t, Build(Options{Wasm: filepath.Join(dist, "app.wasm"), WebDir: filepath.Join("..", "..", "web"), Dist: dist}))
	for _, b := range Browsers {
		z, err := os.ReadFile(Zip(dist, b))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(first[b], z), "%s zip differs between builds", b)
	}
}

// The storage keys in the scripts are the ones the Go side uses.
func TestScriptsShareTheStorageKeys(t *testing.T) {
	for _, name := range []string{"popup.js", "background.js"} {
		src, err := extension.Assets.ReadFile(name)
		require.NoError(t, err)
		assert.Contains(t, string(src), `"`+account.SettingsKey+`"`, "%s: the settings key", name)
		assert.Contains(t, string(src), `"`+extension.WatchKey+`"`, name)
		assert.NotContains(t, string(src), "innerHTML", "%s writes text only", name)
	}
	bg, err := extension.Assets.ReadFile("background.js")
	require.NoError(t, err)
	assert.Contains(t, string(bg), `"`+extension.SessionKey+`"`)
	assert.Contains(t, string(bg), `"`+signin.OutcomeKey+`"`, "the sign-in outcome the popup reads")
	assert.Equal(t, extension.WatchKey, watch.StorageKey, "the watch list the PWA keeps")
	assert.Equal(t, extension.SessionKey, storage.SessionKey, "the memory-only tokens the popup keeps")
	assert.NotRegexp(t, regexp.MustCompile(`private_token=|access_token=`), string(bg), "the token goes in a header, never the address")
}

func zipFiles(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		out[f.Name] = b
	}
	return out
}

// pageRefs returns the page's script sources in order and every src/href.
func pageRefs(t *testing.T, page []byte) (scripts, refs []string) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	require.NoError(t, err)
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			if (a.Key == "src" || a.Key == "href") && n.Data != "a" {
				refs = append(refs, a.Val)
				if n.Data == "script" {
					scripts = append(scripts, a.Val)
				}
			}
		}
		if n.Data == "script" && n.FirstChild != nil {
			t.Errorf("inline script: %q", n.FirstChild.Data)
		}
	}
	return scripts, refs
}

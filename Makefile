# jobscope: the README's commands. Every target here does what it says.
GO        ?= go
GOROOT    := $(shell $(GO) env GOROOT)
WASMEXEC  := $(GOROOT)/lib/wasm/go_js_wasm_exec
# gotestsum, built natively once (as `go tool` it would be built for GOOS=js in test-wasm).
GOTESTSUM_BIN := bin/gotestsum
GOTESTSUM := $(GOTESTSUM_BIN) --format pkgname-and-test-fails
# No reruns: a test that fails once fails the run (a flake is a bug to fix).
# The browser package takes about 7 minutes on 2 cores: go test's default
# 10-minute limit would turn one slow wait into a panic of the whole package.
TESTTIMEOUT := 25m
# Packages that must also pass their tests inside a browser-like wasm (Node's runner).
WASM_TEST_PKGS := ./internal/gitlab/... ./internal/joblog/... ./internal/logdiff/... ./internal/oauth/... ./internal/loggen/... ./internal/jsstream/...
FUZZTIME  ?= 10s
LISTEN    ?= 127.0.0.1:8929
TOKEN     ?=
SITE      ?= dist/site
PREFIX    ?= /
# The Application ID of a public OAuth application on gitlab.com (README: Sign in with GitLab).
GITLAB_COM_CLIENT_ID ?=

.PHONY: versions test test-native test-wasm fuzz bench emulator run wasm build e2e chromium firefox webkit dist lint-extension webext

## test: every test: short fuzz runs, wasm (Node), then native and browser tests
## (their summary is the last line printed).
test: versions fuzz test-wasm test-native

## versions: what the tests are about to run with, printed first by `make test`
## (Debian's chromium moves with the day's package index: issue 10).
versions: chromium firefox webkit webext
	@echo "== testing with:"
	@echo "   $$(chromium --version 2>/dev/null | head -1)"
	@echo "   $$(firefox-esr --version 2>/dev/null | head -1), puppeteer-core $(PUPPETEER) (npm, pinned)"
	@echo "   WebKitGTK $$(dpkg-query -W -f='$${Version}' webkit2gtk-driver 2>/dev/null) (MiniBrowser, WebKitWebDriver, Xvfb)"
	@echo "   node $$(node --version), npm $$(npm --version)"
	@echo "   $$($(GO) version)"
	@echo "   web-ext $$($(WEBEXT) --version) (npm, pinned), Lighthouse $(LIGHTHOUSE) (npm, pinned; make bench)"

# Browser tests run with the rest when JOBSCOPE_BROWSER is set: first every package
# but internal/browsertest (WebKit's among them), then that one alone, so that its
# Chromium and Firefox tabs, the heaviest part of the run, compete with nothing.
test-native: export JOBSCOPE_BROWSER := 1
test-native: chromium firefox webkit webext $(GOTESTSUM_BIN)
	$(GO) vet ./...
	$(GOTESTSUM) --packages="$$($(GO) list ./... | grep -v '/internal/browsertest$$')" -- -count=1 -timeout=$(TESTTIMEOUT)
	$(GOTESTSUM) --packages=./internal/browsertest -- -count=1 -timeout=$(TESTTIMEOUT)

test-wasm: $(GOTESTSUM_BIN)
	GOOS=js GOARCH=wasm $(GOTESTSUM) -- -count=1 -exec=$(WASMEXEC) $(WASM_TEST_PKGS)

$(GOTESTSUM_BIN): go.mod go.sum
	$(GO) build -o $@ gotest.tools/gotestsum

# Short runs of every fuzz target: one `go test -fuzz` per target, as Go requires.
fuzz:
	@$(GO) run ./internal/cmd/fuzzall -fuzztime=$(FUZZTIME) ./internal/...

## bench: benchmarks, each printed as a ratio against a reference measured in the same run.
bench: chromium
	$(GO) test -run='^$$' -bench=. -benchmem ./internal/...
	# The log parse benchmark again under wasm (Node), with its own bytes.Count floor.
	GOOS=js GOARCH=wasm $(GO) test -exec=$(WASMEXEC) -run='^$$' -bench='^BenchmarkLog$$/^parse$$' ./internal/joblog
	# Comparing two 60 MB logs (issue 14) again under wasm (Node), with its own bytes.Count floor.
	GOOS=js GOARCH=wasm $(GO) test -exec=$(WASMEXEC) -run='^$$' -bench='^BenchmarkCompare$$/^compare-60MB$$' -benchtime=1x ./internal/logdiff
	# The wasm's raw, gzip and brotli sizes against a minimal go-app app built in the same run.
	$(GO) run ./internal/cmd/wasmsize
	# The log view in chromium against a page with every line in the DOM, as GitLab's.
	JOBSCOPE_BROWSER=1 $(GO) test -run='^$$' -bench=LogView -benchtime=1x ./internal/browsertest
	# Two 60 MB logs compared in chromium (issue 14): time to the counts and the longest task the page was held.
	JOBSCOPE_BROWSER=1 $(GO) test -run='^$$' -bench=CompareInTheBrowser -benchtime=1x -timeout=30m ./internal/browsertest
	# The log over a throttled network (100 Mbit/s 30 ms, 20 Mbit/s 80 ms) against a GitLab-like page of the
	# last 500 KB, and following a log growing to 10 MB over 5 minutes against glab's whole-log polls.
	JOBSCOPE_BROWSER=1 $(GO) test -run='^$$' -bench='LogOverNetwork|LogFollow' -benchtime=1x -timeout=60m ./internal/browsertest
	# Live lists (issue 16): ten tabs on the job list and a pipeline page, five minutes visible then five hidden,
	# requests per minute per tab against the budget of the README, and the 429s seen.
	JOBSCOPE_BROWSER=1 $(GO) test -run='^$$' -bench='LiveLists' -benchtime=1x -timeout=30m ./internal/browsertest
	# The PWA (dist/site): shell cold and warm loads and first-visit bytes against a minimal go-app app; Lighthouse 12.8 (npm)
	# scores with every failed audit of the pages that need no GitLab and of the demo's job screens (running, succeeded, failed).
	$(MAKE) build
	$(GO) run ./internal/cmd/pwabench -site $(SITE)

## emulator: the GitLab Jobs API emulator alone (LISTEN, TOKEN, FROZEN=1, SEED_FILE=...).
emulator:
	@$(GO) run ./internal/cmd/gitlabfake -listen=$(LISTEN) $(if $(TOKEN),-token=$(TOKEN))

## run: the demo: the site and the emulator on two loopback ports, already connected.
run: build
	$(GO) run ./internal/cmd/demo -site=$(SITE)

## wasm: the browser app, into the site folder.
wasm:
	mkdir -p $(SITE)/web
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w -X github.com/jobscope/jobscope/internal/signin.GitLabComClientID=$(GITLAB_COM_CLIENT_ID)' -o $(SITE)/web/app.wasm ./wasm

## build: the static site in dist/site (PREFIX=/path/ to serve it under a path).
build: wasm
	$(GO) run ./internal/cmd/buildsite -dir=$(SITE) -prefix=$(PREFIX)

## e2e: the browser tests alone (chromium, the built site, the emulator).
e2e: chromium firefox webkit $(GOTESTSUM_BIN)
	JOBSCOPE_BROWSER=1 $(GOTESTSUM) -- -count=1 ./internal/browsertest/... ./internal/webkittest/...

# Debian's chromium for the browser tests, installed when missing (needs root).
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

# WebKit for internal/webkittest: WebKitGTK's MiniBrowser and WebKitWebDriver on
# an Xvfb display, installed when missing (needs root).
webkit:
	@command -v WebKitWebDriver >/dev/null 2>&1 && command -v Xvfb >/dev/null 2>&1 || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends webkit2gtk-driver xvfb; }

# The Firefox suites (issue 17): Debian's firefox-esr, installed when missing (needs
# root), driven over WebDriver BiDi by puppeteer-core from npm, pinned to the newest
# line that runs on Node 20 (25 wants Node 22); internal/browsertest/firefox checks
# the pin (PuppeteerVersion).
PUPPETEER := 24.43.1
PUPPETEER_DIR := dist/_tools/puppeteer
firefox:
	@command -v firefox-esr >/dev/null 2>&1 || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y firefox-esr; }
	@grep -qs '"version": "$(PUPPETEER)"' $(PUPPETEER_DIR)/node_modules/puppeteer-core/package.json || npm install --prefix $(PUPPETEER_DIR) --no-audit --no-fund --save-exact puppeteer-core@$(PUPPETEER)

## dist: the browser extension: dist/extension/{chromium,firefox}/ unpacked and
## dist/jobscope-chromium.zip, dist/jobscope-firefox.zip for the stores, and
## dist/jobscope-source.zip, the source Mozilla's review rebuilds them from
## (byte-identical: -trimpath, no VCS stamp, fixed zip times).
dist: export GOFLAGS := -buildvcs=false
dist:
	mkdir -p dist/extension
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o dist/extension/app.wasm ./extension/wasm
	$(GO) run ./internal/cmd/extbuild -wasm dist/extension/app.wasm -web web -dist dist -source .

# Mozilla's linter, from npm, pinned; installed into dist/_tools when missing
# (internal/extbuild's tests run it on the Firefox package when it is there).
# The _ keeps npm's trees out of `go test ./...`: node_modules ships .go files, and
# the go tool skips folders whose names start with _ or . (pwabench's Lighthouse too).
WEBEXT := dist/_tools/web-ext/node_modules/.bin/web-ext
# Exact releases known to run on Debian's Node 20 (web-ext 10 wants Node >= 20;
# Lighthouse 13 wants Node 22, so 12.8.2: internal/pwabench).
WEBEXT_VERSION := 10.7.0
LIGHTHOUSE := 12.8.2
webext:
	@test -x $(WEBEXT) || npm install --prefix dist/_tools/web-ext --no-audit --no-fund --save-exact web-ext@$(WEBEXT_VERSION)

## lint-extension: web-ext lint on the Firefox package, warnings count as errors.
lint-extension: dist webext
	$(WEBEXT) lint --source-dir dist/extension/firefox --warnings-as-errors

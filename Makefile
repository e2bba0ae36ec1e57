# jobscope: the README's commands. Every target here does what it says.
GO        ?= go
GOROOT    := $(shell $(GO) env GOROOT)
WASMEXEC  := $(GOROOT)/lib/wasm/go_js_wasm_exec
GOTESTSUM := $(GO) tool gotestsum --format pkgname-and-test-fails
# Packages that must also pass their tests inside a browser-like wasm (Node's runner).
WASM_TEST_PKGS := ./internal/gitlab/... ./internal/joblog/...
FUZZTIME  ?= 10s
LISTEN    ?= 127.0.0.1:8929
TOKEN     ?=

.PHONY: test test-native test-wasm fuzz bench emulator run

## test: every test: short fuzz runs, wasm (Node), then native and browser tests
## (their summary is the last line printed).
test: fuzz test-wasm test-native

test-native:
	$(GO) vet ./...
	$(GOTESTSUM) -- -count=1 ./...

test-wasm:
	GOOS=js GOARCH=wasm $(GOTESTSUM) -- -count=1 -exec=$(WASMEXEC) $(WASM_TEST_PKGS)

# Short runs of every fuzz target: one `go test -fuzz` per target, as Go requires.
fuzz:
	@$(GO) run ./internal/tools/fuzzall -fuzztime=$(FUZZTIME) ./internal/...

## bench: benchmarks, each printed as a ratio against a reference measured in the same run.
bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./internal/...

## emulator: the GitLab Jobs API emulator alone (LISTEN, TOKEN, FROZEN=1, SEED_FILE=...).
emulator:
	$(GO) run ./internal/gitlabfake/cmd/gitlabfake -listen=$(LISTEN) $(if $(TOKEN),-token=$(TOKEN))

## run: the demo (until the viewer exists, the emulator alone).
run: emulator

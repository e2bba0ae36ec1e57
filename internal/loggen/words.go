package loggen

// Vocabulary of the generated logs. Made-up project names; tool output
// shapes follow go test, gotestsum, cargo/rustc, vite, turbo, zap, BuildKit
// and npm as they print in CI (no TTY, colours forced).

var (
	groups      = []string{"acme", "platform-team", "infra", "jobscope", "data-eng", "mobile"}
	projects    = []string{"widget-api", "billing", "log-shipper", "frontend", "scheduler", "gateway"}
	images      = []string{"golang:1.23", "golang:1.24-bookworm", "rust:1.82", "node:22-alpine", "docker:27.3"}
	refs        = []string{"main", "develop", "release/2.4", "feature/log-viewer", "v2.4.1"}
	runnerHosts = []string{"blue-4.saas-linux-small-amd64.runners-manager.gitlab.com/default", "green-2.saas-linux-medium-amd64.runners-manager.gitlab.com/default", "ci-runner-docker"}

	pkgNames  = []string{"api", "auth", "cache", "config", "db", "gitlab", "joblog", "metrics", "queue", "render", "server", "storage", "worker", "scheduler", "trace"}
	pkgSubs   = []string{"", "", "", "/internal", "/v2", "/client", "/store", "/parser", "/http"}
	testVerbs = []string{"Parse", "Render", "Append", "Search", "List", "Get", "Retry", "Cancel", "Scan", "Encode", "Decode", "Flush", "Open", "Close", "Merge"}
	testNouns = []string{"Lines", "Jobs", "Sections", "Tokens", "Pages", "Chunks", "Spans", "Headers", "Traces", "Runners", "Artifacts", "Pipelines"}
	subCases  = []string{"empty_input", "one_line", "split_at_CR", "unicode", "huge_line", "nested_sections", "timeout", "not_found", "rate_limited", "retry_after", "bad_gateway", "happy_path"}

	modules = []string{
		"github.com/stretchr/testify v1.10.0", "golang.org/x/net v0.33.0", "golang.org/x/sync v0.10.0",
		"github.com/prometheus/client_golang v1.20.5", "go.uber.org/zap v1.27.0", "google.golang.org/grpc v1.69.2",
		"github.com/jackc/pgx/v5 v5.7.2", "github.com/redis/go-redis/v9 v9.7.0", "gopkg.in/yaml.v3 v3.0.1",
		"github.com/google/go-cmp v0.6.0", "golang.org/x/text v0.21.0", "github.com/spf13/cobra v1.8.1",
	}
	crates = []string{
		"serde v1.0.215", "serde_json v1.0.133", "tokio v1.42.0", "regex v1.11.1", "memchr v2.7.4",
		"anyhow v1.0.94", "clap v4.5.23", "hyper v1.5.1", "tracing v0.1.41", "bytes v1.9.0",
	}
	rustWarnings = []string{"unused variable: `chunk`", "unused import: `std::io::Read`", "field `offset` is never read", "variable does not need to be mutable", "unused `Result` that must be used"}
	goFiles      = []string{"parser_test.go", "store_test.go", "client_test.go", "search_test.go", "handler_test.go"}
	rustFiles    = []string{"src/parser.rs", "src/store.rs", "src/lib.rs", "src/main.rs", "src/search.rs"}
	npmPackages  = []string{"@acme/web", "@acme/ui", "@acme/api-client", "@acme/docs"}
	assets       = []string{"index", "vendor", "JobList", "LogView", "Pipeline", "settings"}
	assetExts    = []string{".js", ".css", ".js", ".woff2"}

	commands = []string{
		"go version", "go mod download", "go vet ./...", "go test -race -count=1 ./...",
		"go build -trimpath -o bin/server ./cmd/server", "make lint", "golangci-lint run --timeout 5m",
		"cargo build --release --locked", "cargo test --workspace", "cargo clippy -- -D warnings",
		"npm ci --no-audit", "npx turbo run build test", "npm run build", "npx vitest run --coverage",
		"docker build --progress=plain -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA .",
		`echo "Building for $CI_COMMIT_REF_NAME"`, "./scripts/integration-tests.sh --shard 3/8",
	}
	logMessages = []string{
		"request served", "connection established", "cache miss", "retrying request", "job picked up",
		"trace chunk appended", "artifact uploaded", "migration applied", "listener started", "shutting down",
	}
	logCallers = []string{"server/handler.go:88", "worker/pool.go:142", "db/migrate.go:57", "cache/lru.go:31", "gitlab/client.go:219"}
	httpPaths  = []string{"/api/v4/projects/42/jobs", "/api/v4/jobs/1234/trace", "/healthz", "/api/v4/runners", "/metrics"}
	warnings   = []string{
		"deprecated flag --legacy-peer-deps will be removed in the next major version",
		"no test files in package",
		"the cache key is too long and was truncated",
		"falling back to polling: inotify watch limit reached",
		"retrying after 429 Too Many Requests (attempt 2/5)",
	}
	errorsText = []string{
		"connection refused: dial tcp 10.0.3.7:5432",
		"context deadline exceeded while waiting for runner",
		"permission denied: /builds/cache/.lock",
		"unexpected EOF reading trace chunk",
		"invalid memory address or nil pointer dereference",
	}
	words = []string{
		"the", "job", "log", "trace", "runner", "section", "build", "cache", "artifact", "pipeline",
		"stage", "script", "docker", "image", "layer", "module", "package", "test", "coverage", "chunk",
	}
	dockerSteps = []string{
		"FROM docker.io/library/golang:1.23@sha256:", "COPY go.mod go.sum ./", "RUN go mod download",
		"COPY . .", "RUN go build -trimpath -o /out/server ./cmd/server", "RUN apk add --no-cache ca-certificates",
	}
	sectionNames   = []string{"install_deps", "build_assets", "unit_tests", "lint", "integration", "docker_push", "db_migrate", "Build.Assets-2", "codegen"}
	sectionHeaders = []string{"Installing dependencies", "Building assets", "Running unit tests", "Linting", "Integration tests", "Pushing image", "Migrating database", "Generating code"}
)

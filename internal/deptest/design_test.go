package deptest

// docs/design.md has a table of packages, one row per Go package directory
// of the module with the one job it has. These tests keep it true to the
// tree both ways: a new package needs a row, a removed one loses its row.

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const designDoc = "docs/design.md"

// packageRowRe is a row of the package table: | `internal/gitlab` | its job |
var packageRowRe = regexp.MustCompile("^\\|\\s*`([^`]+)`\\s*\\|\\s*(.*?)\\s*\\|\\s*$")

// packageTable reads the rows of the table under the heading that names
// "Packages", as package directory -> job. Rows are returned in order, so
// duplicates show.
func packageTable(src string) (dirs, jobs []string) {
	in := false
	for _, l := range strings.Split(src, "\n") {
		if h := headingRe.FindStringSubmatch(l); h != nil {
			in = strings.Contains(h[1], "Packages")
			continue
		}
		if !in {
			continue
		}
		if m := packageRowRe.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			dirs = append(dirs, strings.TrimSuffix(m[1], "/"))
			jobs = append(jobs, m[2])
		}
	}
	return dirs, jobs
}

// packageDirs walks the module for directories holding .go files (test-only
// packages count: go list ./... lists them), as slash paths from the root,
// skipping what the go tool skips (testdata, folders starting with _ or .)
// and build output. The walk, not go list, is the truth here because the
// GOOS=js entry points (wasm/, extension/wasm/) are packages go list leaves
// out natively.
func packageDirs(t *testing.T) []string {
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (skipDirs[name] || name == "testdata" || strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") {
			rel, err := filepath.Rel(root, filepath.Dir(p))
			require.NoError(t, err)
			seen[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	require.NoError(t, err)
	dirs := make([]string, 0, len(seen))
	for d := range seen {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs
}

// tableDiff compares the table's rows with the tree's packages.
func tableDiff(tree, rows []string) (missing, bogus, twice []string) {
	count := map[string]int{}
	for _, r := range rows {
		count[r]++
		if count[r] == 2 {
			twice = append(twice, r)
		}
	}
	for _, d := range tree {
		if count[d] == 0 {
			missing = append(missing, d)
		}
	}
	for _, r := range rows {
		if !slices.Contains(tree, r) && !slices.Contains(bogus, r) {
			bogus = append(bogus, r)
		}
	}
	return missing, bogus, twice
}

func TestDesignPackageTable(t *testing.T) {
	dirs, jobs := packageTable(read(t, designDoc))
	require.NotEmpty(t, dirs, "%s has no package table (a heading naming Packages, rows | `dir` | job |)", designDoc)
	tree := packageDirs(t)

	missing, bogus, twice := tableDiff(tree, dirs)
	assert.Empty(t, missing, "packages with no row in %s's package table", designDoc)
	assert.Empty(t, bogus, "rows of %s's package table that name no package directory", designDoc)
	assert.Empty(t, twice, "packages with two rows in %s", designDoc)
	for i, j := range jobs {
		assert.NotEmpty(t, j, "%s: the row of %s says no job", designDoc, dirs[i])
	}

	// The walk agrees with the go tool: every package go list sees natively
	// is a directory the walk found.
	cmd := exec.Command("go", "list", "-f", "{{.Dir}}", "./...")
	cmd.Dir = root
	cmd.Env = os.Environ()
	out, err := cmd.Output()
	require.NoError(t, err, "go list ./...")
	abs, err := filepath.Abs(root)
	require.NoError(t, err)
	for _, d := range strings.Fields(string(out)) {
		rel, err := filepath.Rel(abs, d)
		require.NoError(t, err)
		assert.Contains(t, tree, filepath.ToSlash(rel), "go list ./... has a package the walk missed")
	}
}

func TestDesignPackageTableParsing(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []string
	}{
		{"rows under the Packages heading", "## 3. Packages\n\n| package | its one job |\n| --- | --- |\n| `app` | screens |\n| `internal/gitlab/` | client |\n",
			[]string{"app", "internal/gitlab"}},
		{"other tables are not read", "## 2. Layout\n| `app/` | screens |\n## 3. Packages\n| `wasm` | entry |\n## 4. Next\n| `web/` | assets |\n",
			[]string{"wasm"}},
		{"no table", "# design\n", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dirs, _ := packageTable(tc.src)
			assert.Equal(t, tc.want, dirs)
		})
	}
}

func TestDesignPackageTableDiff(t *testing.T) {
	tree := []string{"app", "internal/gitlab", "wasm"}
	cases := []struct {
		name                  string
		rows                  []string
		missing, bogus, twice []string
	}{
		{"equal", []string{"app", "internal/gitlab", "wasm"}, nil, nil, nil},
		{"a row removed", []string{"app", "wasm"}, []string{"internal/gitlab"}, nil, nil},
		{"a bogus row", []string{"app", "internal/gitlab", "internal/nothing", "wasm"}, nil, []string{"internal/nothing"}, nil},
		{"a row twice", []string{"app", "app", "internal/gitlab", "wasm"}, nil, nil, []string{"app"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			missing, bogus, twice := tableDiff(tree, tc.rows)
			assert.Equal(t, tc.missing, missing, "missing")
			assert.Equal(t, tc.bogus, bogus, "bogus")
			assert.Equal(t, tc.twice, twice, "twice")
		})
	}
}

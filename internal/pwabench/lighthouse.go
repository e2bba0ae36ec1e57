package pwabench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

// LighthouseVersion is the npm release run: 12.8 is the last line that runs
// on Node 20 (13.x wants Node 22).
const LighthouseVersion = "12.8.2"

// Category is one Lighthouse category's score and the audits that failed.
type Category struct {
	ID     string
	Title  string
	Score  float64 // 0..1
	Failed []Audit
}

// Audit is one failed audit.
type Audit struct {
	ID, Title string
	Score     float64
}

// InstallLighthouse installs Lighthouse into dir with npm (once) and returns
// its command line script.
func InstallLighthouse(ctx context.Context, dir string) (string, error) {
	cli := filepath.Join(dir, "node_modules", "lighthouse", "cli", "index.js")
	if _, err := os.Stat(cli); err == nil {
		return cli, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "npm", "install", "--no-audit", "--no-fund", "--prefix", dir, "-E", "lighthouse@"+LighthouseVersion)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm install lighthouse@%s: %w\n%s", LighthouseVersion, err, out)
	}
	return cli, nil
}

// RunLighthouse audits url with Debian's chromium (headless) and returns the
// accessibility and best-practices categories.
func RunLighthouse(ctx context.Context, cli, chromium, url string) ([]Category, error) {
	out, err := os.CreateTemp("", "lighthouse-*.json")
	if err != nil {
		return nil, err
	}
	out.Close()
	defer os.Remove(out.Name())
	cmd := exec.CommandContext(ctx, "node", cli, url,
		"--quiet", "--output=json", "--output-path="+out.Name(),
		"--only-categories=accessibility,best-practices",
		"--form-factor=mobile", "--screenEmulation.mobile", "--screenEmulation.width=360", "--screenEmulation.height=740", "--screenEmulation.deviceScaleFactor=2",
		"--chrome-path="+chromium,
		"--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
	)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("lighthouse: %w\n%s", err, b)
	}
	raw, err := os.ReadFile(out.Name())
	if err != nil {
		return nil, err
	}
	return parseReport(raw)
}

// parseReport reads a Lighthouse JSON report (LHR).
func parseReport(raw []byte) ([]Category, error) {
	var lhr struct {
		Categories map[string]struct {
			Title     string   `json:"title"`
			Score     *float64 `json:"score"`
			AuditRefs []struct {
				ID     string  `json:"id"`
				Weight float64 `json:"weight"`
			} `json:"auditRefs"`
		} `json:"categories"`
		Audits map[string]struct {
			Title            string   `json:"title"`
			Score            *float64 `json:"score"`
			ScoreDisplayMode string   `json:"scoreDisplayMode"`
		} `json:"audits"`
	}
	if err := json.Unmarshal(raw, &lhr); err != nil {
		return nil, fmt.Errorf("lighthouse report: %w", err)
	}
	var cats []Category
	for id, c := range lhr.Categories {
		cat := Category{ID: id, Title: c.Title}
		if c.Score != nil {
			cat.Score = *c.Score
		}
		for _, ref := range c.AuditRefs {
			a := lhr.Audits[ref.ID]
			if a.Score == nil || *a.Score >= 1 || a.ScoreDisplayMode == "informative" || a.ScoreDisplayMode == "notApplicable" {
				continue
			}
			cat.Failed = append(cat.Failed, Audit{ID: ref.ID, Title: a.Title, Score: *a.Score})
		}
		cats = append(cats, cat)
	}
	sort.Slice(cats, func(i, j int) bool { return cats[i].ID < cats[j].ID })
	return cats, nil
}

package pwabench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
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
	// Items say where it failed and why, one per element or console
	// message, the same ones once: "a.ln: Target has insufficient size…".
	Items []string
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

// Screen is the window Lighthouse emulates.
type Screen struct {
	Name          string
	Width, Height int
	Mobile        bool // a phone: touch, mobile user agent, device scale 2
}

// Screens are the phone the app must work on (360 px, issue 5) and a desk
// (1280 x 800), where the job screen shows its details beside the log.
var (
	Phone = Screen{Name: "phone", Width: 360, Height: 740, Mobile: true}
	Desk  = Screen{Name: "desk", Width: 1280, Height: 800}
)

// chromeFlags run Debian's chromium headless as root, quiet on the network
// (no QUIC, no background fetches, updates or sync) so nothing but the page
// is measured; Lighthouse's launcher gives each run a fresh profile.
const chromeFlags = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"

// RunLighthouse audits url with Debian's chromium (headless) on screen and
// returns the accessibility and best-practices categories.
func RunLighthouse(ctx context.Context, cli, chromium, url string, screen Screen) ([]Category, error) {
	out, err := os.CreateTemp("", "lighthouse-*.json")
	if err != nil {
		return nil, err
	}
	out.Close()
	defer os.Remove(out.Name())
	formFactor, scale := "desktop", "1"
	if screen.Mobile {
		formFactor, scale = "mobile", "2"
	}
	cmd := exec.CommandContext(ctx, "node", cli, url,
		"--quiet", "--output=json", "--output-path="+out.Name(),
		"--only-categories=accessibility,best-practices",
		"--form-factor="+formFactor, fmt.Sprintf("--screenEmulation.mobile=%t", screen.Mobile),
		fmt.Sprintf("--screenEmulation.width=%d", screen.Width), fmt.Sprintf("--screenEmulation.height=%d", screen.Height),
		"--screenEmulation.deviceScaleFactor="+scale,
		"--chrome-path="+chromium,
		"--chrome-flags="+chromeFlags,
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
			Details          struct {
				Items []reportItem `json:"items"`
			} `json:"details"`
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
			failed := Audit{ID: ref.ID, Title: a.Title, Score: *a.Score}
			seen := map[string]bool{}
			for _, it := range a.Details.Items {
				if s := it.String(); s != "" && !seen[s] {
					seen[s] = true
					failed.Items = append(failed.Items, s)
				}
			}
			cat.Failed = append(cat.Failed, failed)
		}
		cats = append(cats, cat)
	}
	sort.Slice(cats, func(i, j int) bool { return cats[i].ID < cats[j].ID })
	return cats, nil
}

// reportItem is one row of an audit's details: an element (accessibility)
// or a console message (errors-in-console).
type reportItem struct {
	Node *struct {
		Selector    string `json:"selector"`
		Explanation string `json:"explanation"`
	} `json:"node"`
	Description string `json:"description"`
}

// String is the item in one line: the element's selector and the first
// reason axe gives (after its "Fix any of the following:"), or the message.
func (it reportItem) String() string {
	if it.Node == nil {
		return it.Description
	}
	why := ""
	for line := range strings.SplitSeq(it.Node.Explanation, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "Fix ") {
			why = line
			break
		}
	}
	// The selector's last step is what to look for; the path before it
	// repeats on every row.
	sel := it.Node.Selector
	if i := strings.LastIndex(sel, " > "); i >= 0 {
		sel = sel[i+3:]
	}
	return sel + ": " + why
}

package pwabench

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/browsertest"
	"github.com/jobscope/jobscope/internal/pwabench/minimalapp"
	"github.com/jobscope/jobscope/internal/site"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// BuildMinimal writes the reference app's static site into dir: its wasm
// (built from root), go-app's generated shell with a local icon, minified
// and precompressed exactly as the PWA is.
func BuildMinimal(ctx context.Context, root, dir string) error {
	wasm := filepath.Join(dir, "web", "app.wasm")
	if err := os.MkdirAll(filepath.Dir(wasm), 0o755); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, "./internal/pwabench/minimalapp/wasm")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build the minimal app: %w\n%s", err, out)
	}
	fi, err := os.Stat(wasm)
	if err != nil {
		return err
	}
	icon := image.NewNRGBA(image.Rect(0, 0, 192, 192))
	for i := range icon.Pix {
		icon.Pix[i] = 0xff
	}
	icon.SetNRGBA(0, 0, color.NRGBA{A: 0xff})
	var b bytes.Buffer
	if err := png.Encode(&b, icon); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "web", "icon.png"), b.Bytes(), 0o644); err != nil {
		return err
	}
	minimalapp.Register()
	h := &ui.Handler{
		Name:              "minimal",
		Icon:              ui.Icon{Default: "/web/icon.png"}, // go-app's default is remote
		Resources:         ui.PrefixedLocation("/"),
		WasmContentLength: strconv.FormatInt(fi.Size(), 10),
	}
	if err := ui.GenerateStaticWebsite(dir, h); err != nil {
		return err
	}
	return site.Precompress(dir)
}

// Counter counts the bytes a handler sends (bodies, as on the wire: the
// precompressed files are sent as they are).
type Counter struct {
	next http.Handler
	n    atomic.Int64
}

// NewCounter wraps h.
func NewCounter(h http.Handler) *Counter { return &Counter{next: h} }

func (c *Counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.next.ServeHTTP(countingWriter{w, &c.n}, r)
}

// Take returns the bytes counted since the last Take.
func (c *Counter) Take() int64 { return c.n.Swap(0) }

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n.Add(int64(n))
	return n, err
}

// Load is what a visit costs.
type Load struct {
	Cold, Warm time.Duration // navigation start to the app live, median
	FirstVisit int64         // bytes sent until the service worker is ready
}

// untilLive resolves with the milliseconds from navigation start to the
// app marking itself live.
const untilLive = `new Promise(res => {
  const check = () => document.querySelector('.shell[data-app="live"]') ? res(performance.now()) : requestAnimationFrame(check);
  check();
})`

// MeasureLoad loads url runs times in a fresh browser (cold: nothing cached)
// and runs times again once its service worker is ready (warm).
func MeasureLoad(ctx context.Context, url string, counter *Counter, runs int) (Load, error) {
	var cold, warm []float64
	var l Load
	for i := range runs {
		b, cancel, err := browsertest.NewBrowser(ctx)
		if err != nil {
			return l, err
		}
		tab, cancelTab := chromedp.NewContext(b)
		err = func() error {
			tctx, cancelT := context.WithTimeout(tab, 2*time.Minute)
			defer cancelT()
			counter.Take()
			if err := chromedp.Do(tctx, chromedp.Navigate(url)); err != nil {
				return err
			}
			ms, err := chromedp.Run(tctx, chromedp.Evaluate[float64](untilLive, chromedp.EvalAwaitPromise))
			if err != nil {
				return err
			}
			cold = append(cold, ms)
			if _, err := chromedp.Run(tctx, chromedp.Evaluate[string](`navigator.serviceWorker.ready.then(r => r.active.state)`, chromedp.EvalAwaitPromise)); err != nil {
				return err
			}
			time.Sleep(300 * time.Millisecond) // the worker's last responses
			if n := counter.Take(); i == 0 {
				l.FirstVisit = n
			}
			for range runs {
				if err := chromedp.Do(tctx, chromedp.Navigate(url)); err != nil {
					return err
				}
				ms, err := chromedp.Run(tctx, chromedp.Evaluate[float64](untilLive, chromedp.EvalAwaitPromise))
				if err != nil {
					return err
				}
				warm = append(warm, ms)
			}
			return nil
		}()
		cancelTab()
		cancel()
		if err != nil {
			return l, fmt.Errorf("load %s: %w", url, err)
		}
	}
	l.Cold, l.Warm = median(cold), median(warm)
	return l, nil
}

func median(ms []float64) time.Duration {
	sort.Float64s(ms)
	return time.Duration(ms[len(ms)/2] * float64(time.Millisecond))
}

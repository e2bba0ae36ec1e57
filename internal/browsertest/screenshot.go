package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Viewport is a screen the screenshots are taken on.
type Viewport struct {
	Name          string
	Width, Height int64
	Mobile        bool
}

// Viewports are a phone (issue 5: usable at 360 px), the extension's popup
// (its page is 780 x 580, extension/popup.css) and a desktop.
var Viewports = []Viewport{
	{"phone", 360, 740, true},
	{"popup", 780, 580, false},
	{"desktop", 1280, 800, false},
}

// desktop is the view Screenshots leaves the tab in.
var desktop = Viewports[len(Viewports)-1]

// Schemes are the colour schemes emulated with prefers-color-scheme.
var Schemes = []string{"light", "dark"}

// ScreenshotDir is where screenshots go (gitignored with dist/).
func ScreenshotDir() string { return filepath.Join(RepoRoot(), "dist", "screenshots") }

// SetViewport resizes the tab and sets its colour scheme.
func SetViewport(vp Viewport, scheme string) chromedp.Action[chromedp.Void] {
	opts := []chromedp.EmulateViewportOption{}
	if vp.Mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.Width, vp.Height, opts...)); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

// Screenshots saves the visible part of the current page as name-<viewport>-<scheme>.png for
// every viewport and scheme, then restores the desktop light view. ready
// runs after each change (e.g. a WaitVisible) so the layout has settled.
func Screenshots(ctx context.Context, name string, ready chromedp.Action[chromedp.Void]) error {
	if err := os.MkdirAll(ScreenshotDir(), 0o755); err != nil {
		return err
	}
	for _, vp := range Viewports {
		for _, scheme := range Schemes {
			if err := chromedp.Do(ctx, SetViewport(vp, scheme), ready); err != nil {
				return fmt.Errorf("screenshot %s %s %s: %w", name, vp.Name, scheme, err)
			}
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				return fmt.Errorf("screenshot %s %s %s: %w", name, vp.Name, scheme, err)
			}
			file := filepath.Join(ScreenshotDir(), fmt.Sprintf("%s-%s-%s.png", name, vp.Name, scheme))
			if err := os.WriteFile(file, png, 0o644); err != nil {
				return err
			}
		}
	}
	return chromedp.Do(ctx, SetViewport(desktop, "light"), ready)
}

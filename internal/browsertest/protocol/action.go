package protocol

import (
	"context"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/extensions"
	"github.com/chromedp/cdproto/runtime"
)

// ActionArg is what ClickAction works on: an extension, the tab whose
// toolbar button is clicked, and sessions on the browser and the extension's
// service worker.
type ActionArg struct {
	Browser     cdp.Session
	Worker      func(ctx context.Context) (cdp.Session, error)
	ExtensionID string
	TabID       string
}

// Form names of ClickAction.
const (
	FormTriggerAction = "Extensions.triggerAction"
	FormOpenPopup     = "chrome.action.openPopup() in the extension's service worker"
)

// ClickAction opens the extension's popup on a tab as a user's click on its
// toolbar button does. Extensions.triggerAction (needs
// --enable-unsafe-extension-debugging) also grants activeTab, as a click
// does; action.openPopup, the fallback for a browser without it, opens the
// same popup without that grant.
var ClickAction = &Choice[ActionArg]{
	What: "clicking an extension's toolbar button",
	Forms: []Form[ActionArg]{
		{Name: FormTriggerAction, Do: func(ctx context.Context, a ActionArg) error {
			_, err := cdp.Call(ctx, a.Browser, extensions.TriggerAction, extensions.TriggerActionParams{ID: a.ExtensionID, TargetID: a.TabID})
			return err
		}},
		{Name: FormOpenPopup, Do: func(ctx context.Context, a ActionArg) error {
			w, err := a.Worker(ctx)
			if err != nil {
				return err
			}
			yes := true
			res, err := cdp.Call(ctx, w, runtime.Evaluate, runtime.EvaluateParams{
				Expression: "chrome.action.openPopup()", AwaitPromise: &yes,
			})
			if err != nil {
				return err
			}
			if res.ExceptionDetails != nil {
				return &scriptError{res.ExceptionDetails}
			}
			return nil
		}},
	},
}

type scriptError struct{ d *runtime.ExceptionDetails }

func (e *scriptError) Error() string {
	if e.d.Exception != nil && e.d.Exception.Description != "" {
		return e.d.Exception.Description
	}
	return e.d.Text
}

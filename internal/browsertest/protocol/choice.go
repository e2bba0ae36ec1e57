// Package protocol holds the DevTools protocol calls of jobscope's browser
// tests whose form changed between the Chromium versions Debian serves (148
// onwards), and picks, per browser, the form that browser takes.
//
// Each such call is a Choice: forms in order of preference, each a function
// over protocol sessions. A form is passed over when the browser refuses it
// (-32601, no such method; -32602, a parameter it does not know or a missing
// one it requires) or when it is accepted but its effect is not there (the
// form checks). The first form that works is kept for the rest of the run and
// named, so a test's output says which form it used. Everything here speaks
// only cdp.Session, so a fake session drives each branch natively.
package protocol

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/chromedp/cdproto"
)

// The JSON-RPC codes a browser answers a call it does not take with.
const (
	codeMethodNotFound = -32601
	codeInvalidParams  = -32602
)

// Refused reports whether err is the browser's word that it does not have
// this method, or not in this form: an unknown method, invalid parameters, or
// a form whose effect did not take (ErrNoEffect).
func Refused(err error) bool {
	var e *cdproto.Error
	if errors.As(err, &e) {
		return e.Code == codeMethodNotFound || e.Code == codeInvalidParams
	}
	return errors.Is(err, ErrNoEffect)
}

// ErrNoEffect is what a form returns when the browser took the call but did
// not do what the form is for.
var ErrNoEffect = errors.New("accepted, but without effect")

// Form is one way of doing a Choice's thing.
type Form[A any] struct {
	Name string // the protocol calls it makes, as said in test output
	Do   func(ctx context.Context, arg A) error
}

// Choice is one thing the tests need done, with the forms that do it.
type Choice[A any] struct {
	What  string // what it does, for messages
	Forms []Form[A]

	mu     sync.Mutex
	chosen *Form[A]
}

// Do does the thing with the kept form, or finds one: forms are tried in
// order until one is not refused. It returns the form used. When every form
// is refused the error names each refusal.
func (c *Choice[A]) Do(ctx context.Context, arg A) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.chosen != nil {
		return c.chosen.Name, c.chosen.Do(ctx, arg)
	}
	var refusals []string
	for i := range c.Forms {
		f := &c.Forms[i]
		err := f.Do(ctx, arg)
		if err == nil {
			c.chosen = f
			return f.Name, nil
		}
		if !Refused(err) {
			return f.Name, fmt.Errorf("%s with %s: %w", c.What, f.Name, err)
		}
		refusals = append(refusals, f.Name+": "+err.Error())
	}
	return "", &UnsupportedError{What: c.What, Refusals: refusals}
}

// Reset forgets the kept form (a test of the choice itself starts afresh).
func (c *Choice[A]) Reset() {
	c.mu.Lock()
	c.chosen = nil
	c.mu.Unlock()
}

// UnsupportedError says that this browser took none of a Choice's forms.
type UnsupportedError struct {
	What     string
	Refusals []string
}

func (e *UnsupportedError) Error() string {
	return "this browser does not support " + e.What + ": " + strings.Join(e.Refusals, "; ")
}

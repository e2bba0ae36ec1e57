// Package minimalapp is the reference the PWA's load times are measured
// against: the smallest go-app app, one route and one component, marking
// itself live the way jobscope's shell does (.shell[data-app="live"]).
package minimalapp

import ui "github.com/maxence-charriere/go-app/v10/pkg/app"

// Hello is the app's only component.
type Hello struct{ ui.Compo }

// Render implements ui.Composer.
func (h *Hello) Render() ui.UI {
	d := ui.Div().Class("shell")
	if ui.IsClient {
		d = d.DataSet("app", "live")
	}
	return d.Body(ui.H1().Text("Hello"))
}

// Register registers the app's route.
func Register() { ui.Route("/", func() ui.Composer { return &Hello{} }) }

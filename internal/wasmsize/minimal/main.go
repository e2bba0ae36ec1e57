// Command minimal is the smallest go-app app: one component, one route. It
// is the reference that `make bench` weighs jobscope's wasm against, built
// the same way in the same run (go-app's own cost is not ours to cut).
package main

import ui "github.com/maxence-charriere/go-app/v10/pkg/app"

type hello struct{ ui.Compo }

func (h *hello) Render() ui.UI { return ui.H1().Text("Hello") }

func main() {
	ui.Route("/", func() ui.Composer { return &hello{} })
	ui.RunWhenOnBrowser()
}

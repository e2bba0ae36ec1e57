package logview

import (
	"strconv"

	"github.com/jobscope/jobscope/internal/logrow"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// render is the shell around the viewport: toolbar, status, viewport. note
// is a message for the user ("" for none); status sits above the lines.
func (v *viewer) render(status ui.UI, note string) ui.UI {
	portClass := "log-port"
	if v.wrap {
		portClass += " log-wrap"
	}
	return ui.Div().Class("log").Body(
		ui.Div().Class("log-bar").Attr("role", "toolbar").Aria("label", "Log tools").Body(
			ui.Input().Type("search").ID("log-search").Placeholder("Search the log").
				Aria("label", "Search the log").Value(v.query).
				OnInput(func(ctx ui.Context, e ui.Event) { v.setQuery(ctx, ctx.JSSrc().Get("value").String(), v.regex) }).
				OnKeyDown(func(ctx ui.Context, e ui.Event) {
					if e.Get("key").String() == "Enter" {
						dir := 1
						if e.Get("shiftKey").Bool() {
							dir = -1
						}
						v.nextHit(dir)
					}
				}),
			ui.Label().Class("check").Body(
				ui.Input().Type("checkbox").ID("log-regex").Checked(v.regex).
					OnChange(func(ctx ui.Context, e ui.Event) { v.setQuery(ctx, v.query, ctx.JSSrc().Get("checked").Bool()) }),
				ui.Text(" Regex"),
			),
			ui.Span().ID("log-count").Class("count").Attr("role", "status").Text(v.hitLabel()),
			ui.Button().ID("log-prev").Type("button").Aria("label", "Previous match").Text("↑").
				OnClick(func(ctx ui.Context, e ui.Event) { v.nextHit(-1) }),
			ui.Button().ID("log-next").Type("button").Aria("label", "Next match").Text("↓").
				OnClick(func(ctx ui.Context, e ui.Event) { v.nextHit(1) }),
			ui.Button().ID("log-error").Type("button").Text("Next error").
				OnClick(func(ctx ui.Context, e ui.Event) { v.nextError(ctx, func(n string) { v.note = n }) }),
			ui.Button().ID("log-top").Type("button").Text("Top").
				OnClick(func(ctx ui.Context, e ui.Event) { v.port.scrollToRow(0) }),
			ui.Button().ID("log-bottom").Type("button").Text("Bottom").
				OnClick(func(ctx ui.Context, e ui.Event) { v.port.scrollToEnd() }),
			ui.Button().ID("log-wrap").Type("button").Aria("pressed", strconv.FormatBool(v.wrap)).Text("Wrap").
				OnClick(func(ctx ui.Context, e ui.Event) {
					v.wrap = !v.wrap
					ctx.Defer(func(ui.Context) { v.port.redraw(true) })
				}),
			ui.Select().ID("log-times").Aria("label", "Timestamps").
				OnChange(func(ctx ui.Context, e ui.Event) {
					m, _ := strconv.Atoi(ctx.JSSrc().Get("value").String())
					v.times = logrow.TimeMode(m)
					v.port.redraw(true)
				}).Body(
				v.timeOption(logrow.TimeOff, "No timestamps"),
				v.timeOption(logrow.TimeUTC, "UTC"),
				v.timeOption(logrow.TimeLocal, "Local time"),
				v.timeOption(logrow.TimeRelative, "Since start"),
			),
			ui.Button().ID("log-copy").Type("button").Disabled(v.selA < 0).Text(v.copyLabel()).
				OnClick(func(ctx ui.Context, e ui.Event) {
					if t := v.selectedText(); t != "" {
						copyText(t)
						v.note = "Copied " + v.copyLabel()[5:] + "."
					}
				}),
			ui.Button().ID("log-download").Type("button").Text("Download raw").
				OnClick(func(ctx ui.Context, e ui.Event) {
					if v.raw != nil {
						download(v.name, v.raw())
					}
				}),
		),
		// One box for the status and the note: a note that comes and goes
		// must not move the port among its siblings, or go-app's diff
		// replaces it and the rows written into it are lost.
		ui.Div().Class("log-head").Body(
			status,
			ui.If(note != "" || v.note != "", func() ui.UI {
				return ui.P().ID("log-note").Class("log-status").Attr("role", "status").Text(first(note, v.note))
			}),
		),
		ui.Div().ID("log-port").Class(portClass).TabIndex(0).Attr("role", "region").
			Aria("label", "Log lines: arrows scroll, n and N go to matches, e to the next error, / searches").
			OnKeyDown(v.key).Body(
			ui.Div().ID("log-space").Class("log-space"),
			ui.Div().ID("log-rows").Class("log-rows"),
		),
	)
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (v *viewer) timeOption(m logrow.TimeMode, label string) ui.UI {
	return ui.Option().Value(strconv.Itoa(int(m))).Selected(v.times == m).Text(label)
}

func (v *viewer) copyLabel() string {
	if v.selA < 0 {
		return "Copy line"
	}
	a, b := min(v.selA, v.selB)+1, max(v.selA, v.selB)+1
	if a == b {
		return "Copy line " + strconv.Itoa(a)
	}
	return "Copy lines " + strconv.Itoa(a) + "–" + strconv.Itoa(b)
}

// key handles the viewport's keyboard shortcuts; scrolling keys (arrows,
// Page Up/Down, Home/End) are the browser's own on the focused viewport.
func (v *viewer) key(ctx ui.Context, e ui.Event) {
	if e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() || e.Get("altKey").Bool() {
		return
	}
	switch e.Get("key").String() {
	case "n":
		v.nextHit(1)
	case "N":
		v.nextHit(-1)
	case "e":
		v.nextError(ctx, func(n string) { v.note = n })
	case "/":
		e.PreventDefault()
		focus("log-search")
	default:
		ctx.PreventUpdate()
	}
}

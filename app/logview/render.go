package logview

import (
	"strconv"

	"github.com/jobscope/jobscope/internal/logrow"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// render is the shell around the viewport: one row of tools (search, its
// count with previous and next, a menu holding the rest), status, viewport.
// note is a message for the user ("" for none); status sits above the lines.
func (v *viewer) render(status ui.UI, note string) ui.UI {
	portClass := "log-port"
	if v.wrap {
		portClass += " log-wrap"
	}
	if v.partial {
		portClass += " log-partial"
	}
	return ui.Div().Class("log").Body(
		ui.Div().Class("log-bar").Attr("role", "toolbar").Aria("label", "Log tools").Body(
			ui.Input().Type("search").ID("log-search").Placeholder("Search the log").
				Aria("label", "Search the log").Aria("keyshortcuts", "/").Value(v.query).
				OnInput(func(ctx ui.Context, e ui.Event) { v.setQuery(ctx, ctx.JSSrc().Get("value").String(), v.regex) }).
				OnKeyDown(func(ctx ui.Context, e ui.Event) {
					switch e.Get("key").String() {
					case "Enter":
						dir := 1
						if e.Get("shiftKey").Bool() {
							dir = -1
						}
						v.nextHit(dir)
					case "Escape":
						// Back to the lines, where the keys work.
						focus("log-port")
					}
				}),
			ui.Span().ID("log-count").Class("count").Attr("role", "status").Text(v.hitLabel()),
			ui.Button().ID("log-prev").Type("button").Class("icon").Aria("label", "Previous match").Title("Previous match (N)").Text("↑").
				OnClick(func(ctx ui.Context, e ui.Event) { v.nextHit(-1) }),
			ui.Button().ID("log-next").Type("button").Class("icon").Aria("label", "Next match").Title("Next match (n)").Text("↓").
				OnClick(func(ctx ui.Context, e ui.Event) { v.nextHit(1) }),
			ui.Button().ID("log-menu-button").Type("button").Class("icon").
				Attr("popovertarget", "log-menu").Aria("controls", "log-menu").Aria("label", "More log tools").Title("More log tools").Text("⋯"),
			v.menu(),
		),
		// One box for the status and the note: a note that comes and goes
		// must not move the port among its siblings, or go-app's diff
		// replaces it and the rows written into it are lost.
		ui.Div().Class("log-head").Body(
			status,
			ui.If(note != "" || v.note != "", func() ui.UI {
				return ui.P().ID("log-note").Class("log-status").Attr("role", "status").Text(first(note, v.note))
			}),
			ui.If(v.changes != nil, v.renderChanges),
		),
		ui.Div().ID("log-port").Class(portClass).TabIndex(0).Attr("role", "region").
			Aria("label", "Log lines: arrows scroll, ? lists the keys").Body(
			ui.Div().ID("log-space").Class("log-space"),
			ui.Div().ID("log-rows").Class("log-rows"),
		),
		v.help(),
	)
}

// menu is the tools menu: a popover (keyboard-accessible, closed by Escape
// or a click outside it) of the tools that do not fit the bar's one row.
// Each item says its key.
func (v *viewer) menu() ui.UI {
	item := func(id, label, key string, c command) ui.UI {
		return ui.Button().ID(id).Type("button").Class("menu-item").
			OnClick(func(ctx ui.Context, e ui.Event) { v.do(ctx, c); popover("log-menu", false, false) }).Body(
			ui.Span().Text(label), ui.If(key != "", func() ui.UI { return ui.Kbd().Text(key) }))
	}
	return ui.Div().ID("log-menu").Class("log-menu").Attr("popover", "auto").Aria("label", "Log tools").Body(
		ui.Label().Class("check menu-item").Body(
			ui.Input().Type("checkbox").ID("log-regex").Checked(v.regex).
				OnChange(func(ctx ui.Context, e ui.Event) { v.setQuery(ctx, v.query, ctx.JSSrc().Get("checked").Bool()) }),
			ui.Span().Text("Regular expression"),
		),
		ui.Button().ID("log-wrap").Type("button").Class("menu-item").Aria("pressed", strconv.FormatBool(v.wrap)).
			OnClick(func(ctx ui.Context, e ui.Event) { v.do(ctx, cmdWrap); popover("log-menu", false, false) }).Body(
			ui.Span().Text("Wrap lines"), ui.Kbd().Text("w")),
		ui.Label().Class("menu-item").Body(
			ui.Span().Text("Timestamps"),
			ui.Select().ID("log-times").Aria("keyshortcuts", "t").
				OnChange(func(ctx ui.Context, e ui.Event) {
					m, _ := strconv.Atoi(ctx.JSSrc().Get("value").String())
					v.times = logrow.TimeMode(m)
					v.port.redraw(true)
				}).Body(
				v.timeOption(logrow.TimeOff, "Off"),
				v.timeOption(logrow.TimeUTC, "UTC"),
				v.timeOption(logrow.TimeLocal, "Local time"),
				v.timeOption(logrow.TimeRelative, "Since start"),
			),
		),
		ui.Hr(),
		item("log-error", "Next error", "e", cmdNextError),
		item("log-prev-error", "Previous error", "E", cmdPrevError),
		item("log-top", "Top", "g", cmdTop),
		item("log-bottom", "Bottom", "G", cmdBottom),
		item("log-collapse", "Collapse all sections", "[", cmdCollapseAll),
		item("log-expand", "Expand all sections", "]", cmdExpandAll),
		ui.Hr(),
		ui.Button().ID("log-copy").Type("button").Class("menu-item").Disabled(v.selA < 0).
			Title("Click a line number to select it, shift-click another for a range").Text(v.copyLabel()).
			OnClick(func(ctx ui.Context, e ui.Event) {
				if t := v.selectedText(); t != "" {
					copyText(t)
					v.note = "Copied " + v.copyLabel()[5:] + "."
				}
				popover("log-menu", false, false)
			}),
		ui.Button().ID("log-download").Type("button").Class("menu-item").Text("Download raw log").
			OnClick(func(ctx ui.Context, e ui.Event) {
				if v.raw != nil {
					download(v.name, v.raw())
				}
				popover("log-menu", false, false)
			}),
		ui.If(v.canFull, func() ui.UI {
			return ui.Button().ID("log-fullscreen").Type("button").Class("menu-item").Text("Full screen").
				OnClick(func(ctx ui.Context, e ui.Event) { popover("log-menu", false, false); fullScreen() })
		}),
		ui.Button().ID("log-keys").Type("button").Class("menu-item").
			OnClick(func(ctx ui.Context, e ui.Event) { popover("log-menu", false, false); v.do(ctx, cmdHelp) }).Body(
			ui.Span().Text("Keyboard shortcuts"), ui.Kbd().Text("?")),
	)
}

// help is the overlay listing the keys (shortcuts), opened by ? or the
// menu, closed by ?, Escape, its button or a click outside it.
func (v *viewer) help() ui.UI {
	return ui.Div().ID("log-help").Class("log-help").Attr("popover", "auto").Attr("role", "dialog").
		Aria("labelledby", "log-help-title").Body(
		ui.H2().ID("log-help-title").Text("Keyboard shortcuts"),
		ui.P().Class("hint").Text("When the focus is not in a text field:"),
		ui.Dl().Body(ui.Range(shortcuts).Slice(func(i int) ui.UI {
			return ui.Div().Body(ui.Dt().Body(ui.Kbd().Text(shortcuts[i].key)), ui.Dd().Text(shortcuts[i].what))
		})),
		ui.P().Class("hint").Text("Click a line number to select it, shift-click another to select a range: the address links to it."),
		ui.Button().Type("button").Class("small").Attr("popovertarget", "log-help").Attr("popovertargetaction", "hide").Text("Close"),
	)
}

// do runs a command of the keyboard or the menu (UI goroutine).
func (v *viewer) do(ctx ui.Context, c command) {
	note := func(n string) { v.note = n }
	switch c {
	case cmdSearch:
		focus("log-search")
	case cmdNextHit:
		v.nextHit(1)
	case cmdPrevHit:
		v.nextHit(-1)
	case cmdNextError:
		v.nextError(ctx, note)
	case cmdPrevError:
		v.prevError(ctx, note)
	case cmdTop:
		v.atEnd = false
		v.port.scrollToRow(0)
	case cmdBottom:
		v.port.scrollToEnd()
	case cmdTimes:
		v.cycleTimes()
	case cmdWrap:
		v.wrap = !v.wrap
		ctx.Defer(func(ui.Context) { v.port.redraw(true) })
	case cmdCollapseAll:
		v.setAllSections(false)
	case cmdExpandAll:
		v.setAllSections(true)
	case cmdNextSection:
		v.stepSection(1, note)
	case cmdPrevSection:
		v.stepSection(-1, note)
	case cmdToggleSection:
		v.toggleSelected(ctx, note)
	case cmdHelp:
		popover("log-help", false, true)
	case cmdOnlyChanges:
		if v.changes != nil && v.changes.done {
			v.setOnlyChanges(!v.changes.only)
		} else {
			note("No comparison with a passing run yet.")
		}
	case cmdNextChange:
		v.stepChange(1, note)
	case cmdPrevChange:
		v.stepChange(-1, note)
	}
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

package app

import (
	"fmt"
	"syscall/js"
)

// ShowCrash replaces the page with an error page after a panic escaped
// go-app's loop, so the tab says what happened instead of going dead. It
// builds the page with textContent only: the panic value may hold any text.
// Settings are untouched (they live in storage, not in the page).
func ShowCrash(r any) {
	doc := js.Global().Get("document")
	el := func(tag, text string) js.Value {
		e := doc.Call("createElement", tag)
		e.Set("textContent", text)
		return e
	}
	main := doc.Call("createElement", "main")
	main.Set("className", "screen")
	card := doc.Call("createElement", "section")
	card.Set("className", "card")
	card.Set("role", "alert")
	card.Call("append",
		el("h1", "jobscope stopped"),
		el("p", "Something went wrong in the app itself, not in GitLab. Your settings are kept. Reload the page to carry on."),
		el("pre", fmt.Sprint(r)),
	)
	reload := el("a", "Reload")
	reload.Set("href", js.Global().Get("location").Get("href"))
	reload.Set("className", "button")
	card.Call("append", reload)
	main.Call("append", card)
	doc.Get("body").Call("replaceChildren", main)
}

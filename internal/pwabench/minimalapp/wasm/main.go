//go:build js && wasm

// Command wasm is the reference app's browser side.
package main

import (
	"github.com/jobscope/jobscope/internal/pwabench/minimalapp"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

func main() {
	minimalapp.Register()
	ui.RunWhenOnBrowser()
}

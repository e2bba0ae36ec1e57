package extbuild

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// swCall is go-app's call that registers its service worker at the top of
// app.js (gen/app.js in go-app v10: "goappInitServiceWorker();", a comma
// after minification). The function stays, uncalled.
var swCall = regexp.MustCompile(`\bgoappInitServiceWorker\(\)[;,]`)

// ErrAppJSChanged means go-app's app.js no longer looks as extbuild expects:
// review withoutServiceWorker against the new go-app.
var ErrAppJSChanged = fmt.Errorf("extbuild: go-app's app.js changed: its service worker call was not found exactly once")

// withoutServiceWorker removes the service worker registration from app.js.
func withoutServiceWorker(appJS []byte) ([]byte, error) {
	if n := len(swCall.FindAllIndex(appJS, -1)); n != 1 {
		return nil, fmt.Errorf("%w (found %d)", ErrAppJSChanged, n)
	}
	return swCall.ReplaceAll(appJS, nil), nil
}

// popupHTML turns the site's entry page into the popup page: popup.js first
// among the scripts (a classic script, so it runs before go-app's deferred
// ones), popup.css after the viewer's stylesheet, and without the PWA's
// web manifest, install icon and social-card tags.
func popupHTML(index []byte) ([]byte, error) {
	doc, err := html.Parse(bytes.NewReader(index))
	if err != nil {
		return nil, fmt.Errorf("extbuild: read the entry page: %w", err)
	}
	var head *html.Node
	var drop []*html.Node
	var firstScript, lastStyle *html.Node
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		// go-app writes attributes in map order; sorted, the same sources
		// give the same page, and so the same zip.
		slices.SortStableFunc(n.Attr, func(a, b html.Attribute) int { return strings.Compare(a.Key, b.Key) })
		switch n.DataAtom {
		case atom.Head:
			head = n
		case atom.Link:
			switch attr(n, "rel") {
			case "manifest", "apple-touch-icon":
				drop = append(drop, n)
			case "stylesheet":
				lastStyle = n
			}
		case atom.Meta:
			if strings.HasPrefix(attr(n, "property"), "og:") || attr(n, "name") == "mobile-web-app-capable" {
				drop = append(drop, n)
			}
		case atom.Script:
			if firstScript == nil {
				firstScript = n
			}
		}
	}
	if head == nil || firstScript == nil || lastStyle == nil {
		return nil, fmt.Errorf("extbuild: the entry page has no head, script or stylesheet")
	}
	for _, n := range drop {
		n.Parent.RemoveChild(n)
	}
	css := element(atom.Link, "rel", "stylesheet", "href", "/popup.css")
	lastStyle.Parent.InsertBefore(css, lastStyle.NextSibling)
	firstScript.Parent.InsertBefore(element(atom.Script, "src", "/popup.js"), firstScript)
	var out bytes.Buffer
	if err := html.Render(&out, doc); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func element(a atom.Atom, kv ...string) *html.Node {
	n := &html.Node{Type: html.ElementNode, DataAtom: a, Data: a.String()}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Attr = append(n.Attr, html.Attribute{Key: kv[i], Val: kv[i+1]})
	}
	return n
}

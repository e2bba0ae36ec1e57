package extbuild

import (
	"encoding/json"
	"strings"

	"github.com/jobscope/jobscope/extension"
	"github.com/jobscope/jobscope/internal/site"
)

// Browser is a store the extension is packaged for.
type Browser string

// The two packages.
const (
	Chromium Browser = "chromium"
	Firefox  Browser = "firefox"
)

// Browsers lists every package Build writes.
var Browsers = []Browser{Chromium, Firefox}

// GeckoID is the Firefox add-on id. It must never change once published:
// Firefox ties updates and the user's storage to it.
const GeckoID = "jobscope@jobscope"

// FirefoxMinVersion and FirefoxAndroidMinVersion are the oldest Firefox
// the package declares, on desktop and on Android. What the code needs:
// MV3 and 'wasm-unsafe-eval' 109, storage.session 115,
// optional_host_permissions 128, and the newest, the
// data_collection_permissions key AMO requires: 140 on desktop (the ESR of
// Debian 12, issue 17), 142 on Android. Below those, web-ext lint warns
// that the key is unsupported; a desktop minimum of 142 (issue 6) kept
// firefox-esr 140 from installing the package.
const (
	FirefoxMinVersion        = "140.0"
	FirefoxAndroidMinVersion = "142.0"
)

// Permissions are exactly what the extension uses: settings and the watch
// list (storage), the clicked tab's address (activeTab), the watch poller
// (alarms), finished-job notices (notifications) and Sign in with GitLab
// (identity: launchWebAuthFlow and its redirect URL; it adds no install
// warning). No "tabs": activeTab gives the one address the popup needs.
var Permissions = []string{"storage", "activeTab", "alarms", "notifications", "identity"}

// HostPermissions are granted at install: gitlab.com's API.
var HostPermissions = []string{"https://gitlab.com/*"}

// OptionalHostPermissions cover self-hosted instances. Nothing is granted
// at install; the popup asks for the one origin the user adds
// (permissions.request from a click), never for all of them. Plain http
// only on loopback, as the site's CSP (site.DefaultConnectSrc): anywhere
// else it would carry the token in clear text. A pattern without a port
// matches every port.
var OptionalHostPermissions = []string{"https://*/*", "http://127.0.0.1/*", "http://localhost/*"}

// CSP is the extension pages' policy (the popup and the background): nothing
// but the package itself by default; scripts only from the package, plus
// WebAssembly compilation, which the wasm needs to start; requests to the
// origins the site may call (site.DefaultConnectSrc: any https origin,
// loopback over http). GitLab's API answers any origin (gitlab-api.md §10),
// so host permissions alone would not keep a token off a clear-text host:
// connect-src does.
var CSP = strings.Join([]string{
	"default-src 'self'",
	"script-src 'self' 'wasm-unsafe-eval'",
	"object-src 'self'",
	"connect-src 'self' " + strings.Join(site.DefaultConnectSrc, " "),
	"img-src 'self' data:",
}, "; ")

// Manifest is manifest.json (Manifest V3), one struct for both browsers.
type Manifest struct {
	ManifestVersion         int               `json:"manifest_version"`
	Name                    string            `json:"name"`
	ShortName               string            `json:"short_name"`
	Description             string            `json:"description"`
	Version                 string            `json:"version"`
	Key                     string            `json:"key,omitempty"`
	Icons                   map[string]string `json:"icons"`
	Action                  Action            `json:"action"`
	Background              Background        `json:"background"`
	Permissions             []string          `json:"permissions"`
	HostPermissions         []string          `json:"host_permissions"`
	OptionalHostPermissions []string          `json:"optional_host_permissions"`
	CSP                     CSPs              `json:"content_security_policy"`
	Gecko                   *Specific         `json:"browser_specific_settings,omitempty"`
}

// Action is the toolbar button and its popup.
type Action struct {
	Title string            `json:"default_title"`
	Popup string            `json:"default_popup"`
	Icons map[string]string `json:"default_icon"`
}

// Background is the background script: a service worker on Chromium; on
// Firefox, which runs MV3 backgrounds as event pages, the scripts list.
// Measured with web-ext lint 10.7.0: a Firefox manifest with service_worker
// alone fails, and with both keys it warns BACKGROUND_SERVICE_WORKER_IGNORED,
// so the Firefox manifest has scripts only (the packages are generated
// apart, so each browser gets exactly its key).
type Background struct {
	ServiceWorker string   `json:"service_worker,omitempty"`
	Scripts       []string `json:"scripts,omitempty"`
}

// CSPs is MV3's content_security_policy object.
type CSPs struct {
	ExtensionPages string `json:"extension_pages"`
}

// Specific is browser_specific_settings: desktop Firefox (gecko) and
// Firefox for Android (gecko_android), whose minimum differs.
type Specific struct {
	Gecko        Gecko        `json:"gecko"`
	GeckoAndroid GeckoAndroid `json:"gecko_android"`
}

// GeckoAndroid is Firefox for Android's part of the manifest.
type GeckoAndroid struct {
	StrictMinVersion string `json:"strict_min_version"`
}

// Gecko is Firefox's part of the manifest.
type Gecko struct {
	ID               string             `json:"id"`
	StrictMinVersion string             `json:"strict_min_version"`
	DataCollection   DataCollectionPerm `json:"data_collection_permissions"`
}

// DataCollectionPerm declares what the add-on sends to its developer or
// third parties. jobscope sends nothing anywhere but to the GitLab instance
// the user configured, which is the service the user asked for: "none".
type DataCollectionPerm struct {
	Required []string `json:"required"`
}

// iconSizes are the PNG sizes the stores and toolbars ask for.
var iconSizes = []int{16, 32, 48, 128}

// NewManifest returns the manifest for b.
func NewManifest(b Browser) Manifest {
	icons := map[string]string{}
	for _, s := range iconSizes {
		icons[itoa(s)] = iconPath(s)
	}
	m := Manifest{
		ManifestVersion:         3,
		Name:                    extension.Name,
		ShortName:               "jobscope",
		Description:             extension.Description,
		Version:                 extension.Version,
		Icons:                   icons,
		Action:                  Action{Title: "jobscope", Popup: PopupPage, Icons: icons},
		Background:              Background{ServiceWorker: "background.js"},
		Permissions:             Permissions,
		HostPermissions:         HostPermissions,
		OptionalHostPermissions: OptionalHostPermissions,
		CSP:                     CSPs{ExtensionPages: CSP},
	}
	if b == Firefox {
		m.Background = Background{Scripts: []string{"background.js"}}
		m.Gecko = &Specific{Gecko: Gecko{
			ID:               GeckoID,
			StrictMinVersion: FirefoxMinVersion,
			DataCollection:   DataCollectionPerm{Required: []string{"none"}},
		}, GeckoAndroid: GeckoAndroid{StrictMinVersion: FirefoxAndroidMinVersion}}
	}
	return m
}

// JSON is the manifest as written to manifest.json.
func (m Manifest) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

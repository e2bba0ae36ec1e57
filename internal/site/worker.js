// jobscope's service worker, written by internal/site in place of go-app's:
// go-app's caches the prefix without its trailing slash and misses every deep
// link, so the site did not load offline under a path prefix (issue 5).
//
// Everything the site is made of is cached at install, in a cache named after
// the release, and served cache first: the shell and the wasm load with no
// network. A new release changes this file (its version and file list), so
// the browser installs the new worker on the next visit; it takes over the
// open pages at once (skipWaiting), drops the old release's cache, and go-app
// tells the page, which offers "new version: reload". It does not claim pages
// it did not load: go-app would take that first install for an update.
const VERSION = "{{VERSION}}";
const PREFIX = "{{PREFIX}}"; // with both slashes: "/" or "/tools/jobscope/"
const FILES = {{FILES}};     // every file of the site, relative to PREFIX
// The shell's cache belongs to one site (one prefix on this origin); the
// app's data cache has a name of its own and is never touched here.
const CACHE_PREFIX = "jobscope-shell:" + PREFIX + ":";
const CACHE = CACHE_PREFIX + VERSION;
const SHELL = PREFIX + "index.html";

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // "no-cache" revalidates with the host: what this visit just downloaded
    // costs a 304, and a new release is never taken from a stale HTTP cache.
    await cache.addAll(FILES.map((f) => new Request(PREFIX + f, { cache: "no-cache" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name !== CACHE) {
        await caches.delete(name);
      }
    }
  })());
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") {
    return;
  }
  const url = new URL(req.url);
  // GitLab's API and anything outside the site go to the network untouched.
  if (url.origin !== self.location.origin || !(url.pathname + "/").startsWith(PREFIX)) {
    return;
  }
  event.respondWith(respond(req, url));
});

// respond answers from the release's cache, then the network. A page address
// with no file of its own (a deep link) gets the shell, which routes from the
// URL: the same page the host's 404.html is, without a round trip.
async function respond(req, url) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(req, { ignoreSearch: true });
  if (hit) {
    return hit;
  }
  if (req.mode !== "navigate") {
    return fetch(req);
  }
  const path = url.pathname;
  for (const candidate of [path + ".html", path.replace(/\/?$/, "/") + "index.html", SHELL]) {
    const page = await cache.match(candidate);
    if (page) {
      return page;
    }
  }
  return fetch(req);
}

// go-app's page asks the worker to show its notifications when one is active
// (ctx.Notifications().New), so the worker shows them.
self.addEventListener("message", (event) => {
  const msg = event.data;
  if (!msg || msg.type !== "goapp:notify" || !msg.options) {
    return;
  }
  const { title, path, ...options } = msg.options;
  event.waitUntil(self.registration.showNotification(title || "jobscope", {
    ...options,
    data: { path: path || PREFIX },
  }));
});

// A click on a notification focuses a jobscope tab on its page, or opens one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const path = (event.notification.data && event.notification.data.path) || PREFIX;
  event.waitUntil((async () => {
    const tabs = await self.clients.matchAll({ type: "window" });
    for (const tab of tabs) {
      if ("focus" in tab) {
        await tab.focus();
        tab.postMessage({ goapp: { type: "notification", path } });
        return;
      }
    }
    await self.clients.openWindow(path);
  })());
});

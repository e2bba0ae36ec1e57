// jobscope popup glue. A classic script in the head of popup.html, so it runs
// before go-app's deferred app.js and the wasm: it hands the wasm the tab the
// popup was opened on, then adds the popup's own bar below the viewer.
// Everything it writes to the page is text (textContent), never markup.
"use strict";

(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  // Keys shared with the wasm and background.js (package extension).
  const SETTINGS_KEY = "jobscope.settings.v1";
  const WATCH_KEY = "jobscope.watch.v1";
  // gitlab-api.md §8.1 "completed", as in background.js.
  const FINISHED = new Set(["success", "failed", "canceled", "skipped"]);
  // Reachable without asking: the manifest's host_permissions.
  const DEFAULT_ORIGINS = ["https://gitlab.com"];

  const params = new URLSearchParams(location.search); // before the wasm replaces it
  const mode = params.get("mode") === "tab" ? "tab" : "popup";
  document.documentElement.dataset.extension = mode;

  // The address of the tab the popup belongs to. activeTab grants it once
  // the user clicked the action, without the "tabs" permission. tab=<id>
  // names another tab (tests cannot click the toolbar); reading its address
  // then needs host access to it.
  async function tabURL() {
    if (mode === "tab") {
      return "";
    }
    try {
      const id = Number.parseInt(params.get("tab") ?? "", 10);
      const tab = Number.isInteger(id)
        ? await api.tabs.get(id)
        : (await api.tabs.query({ active: true, currentWindow: true }))[0];
      return tab?.url ?? "";
    } catch (err) {
      console.warn("jobscope: the tab's address is not readable:", err);
      return "";
    }
  }

  const tab = tabURL();
  // Read by the wasm (extension/wasm): mode, the route a full tab opens, and
  // a promise of the tab's address.
  globalThis.jobscopeExtension = Object.freeze({
    mode,
    route: params.get("route") ?? "",
    tab,
  });

  const originOf = (raw) => {
    try {
      const u = new URL(raw.includes("://") ? raw : "https://" + raw);
      return u.protocol === "https:" || u.protocol === "http:" ? u.origin : "";
    } catch {
      return "";
    }
  };

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      e.setAttribute(k, v);
    }
    if (text) {
      e.textContent = text;
    }
    return e;
  }

  function say(text) {
    document.getElementById("ext-status").textContent = text;
  }

  // hostPattern is the match pattern of an origin's host, without its port:
  // Firefox's patterns take none (measured on firefox-esr 153: a request
  // for http://127.0.0.1:8929/* is refused as "not declared in the
  // manifest", and contains() answers false for it even with the host
  // granted), and on both browsers a pattern without a port matches every
  // port, as the manifest's optional_host_permissions do.
  const hostPattern = (origin) => {
    const u = new URL(origin);
    return `${u.protocol}//${u.hostname}/*`;
  };

  // requestAccess asks for host access to one origin. It must run inside the
  // click that asked for it (browsers allow permission prompts only from a
  // user gesture), so nothing is awaited before the request.
  function requestAccess(origin) {
    return api.permissions.request({ origins: [hostPattern(origin)] }).then(
      (granted) => {
        say(granted
          ? `Access to ${origin} allowed.`
          : `No access to ${origin}: jobscope still reads its API, without raw log and artifact downloads.`);
        return granted;
      },
      (err) => {
        say(`The browser did not ask for access to ${origin}: ${err.message}`);
        return false;
      },
    );
  }

  // offerAccess appears when the tab is a GitLab page ("/-/" is GitLab's
  // project resource separator) of an instance not added yet; the viewer then
  // shows Connect. It explains and offers host access to that one origin.
  // GitLab's API answers any origin (CORS, gitlab-api.md §10), so "Not now"
  // is a working answer: connecting still works, without the extras.
  //
  // The browser's permission prompt takes the focus, and a popup that loses
  // it closes (always on Firefox), losing the answer: so the popup's "Allow"
  // opens the same offer in a full tab (access=<origin>), whose button asks.
  async function offerAccess(url) {
    const origin = originOf(url);
    if (!origin || !new URL(url).pathname.includes("/-/") || DEFAULT_ORIGINS.includes(origin)) {
      return;
    }
    const saved = await api.storage.local.get(SETTINGS_KEY);
    let instances = [];
    try {
      instances = JSON.parse(saved[SETTINGS_KEY] ?? "{}").instances ?? [];
    } catch {
      // unreadable settings: the viewer says so
    }
    if (instances.some((i) => originOf(i.base_url) === origin)
      || await api.permissions.contains({ origins: [hostPattern(origin)] })) {
      return;
    }
    showOffer(origin);
  }

  function showOffer(origin) {
    const host = new URL(origin).host;
    const box = el("section", { id: "ext-access", role: "dialog", "aria-labelledby": "ext-access-title" });
    box.append(
      el("h2", { id: "ext-access-title" }, `Add the GitLab at ${host}?`),
      el("p", {}, `This tab looks like a self-hosted GitLab. jobscope reads it through its API once you sign in or give a token below. Allowing access to ${origin} (that site only) also lets jobscope fetch raw logs and artifacts there, as it does on gitlab.com. It reads no page and sends nothing elsewhere; you can take the access back in the browser's extension settings.`),
    );
    const allow = el("button", { id: "ext-access-allow", type: "button" }, `Allow access to ${host}`);
    const no = el("button", { id: "ext-access-no", type: "button" }, "Not now");
    allow.addEventListener("click", () => {
      if (mode === "popup") {
        const url = api.runtime.getURL("popup.html") + "?mode=tab&route=%2F&access=" + encodeURIComponent(origin);
        api.tabs.create({ url }).then(() => window.close());
        return;
      }
      requestAccess(origin).then(() => box.remove());
    });
    no.addEventListener("click", () => {
      box.remove();
      say(`Not asked. You can still connect to ${host}; ask again from any of its pages.`);
    });
    box.append(allow, no);
    document.getElementById("ext-bar").before(box);
  }

  // In a full tab, the viewer's own Connect button asks for access to the
  // self-hosted instance being added, in the same click (capture phase,
  // before the viewer's handler). The popup does not: the prompt would close
  // it mid-check.
  document.addEventListener("click", (e) => {
    if (mode !== "tab" || !(e.target instanceof Element) || !e.target.closest("#check")) {
      return;
    }
    const origin = originOf(document.getElementById("base-url")?.value || "https://gitlab.com");
    if (origin && !DEFAULT_ORIGINS.includes(origin)) {
      requestAccess(origin);
    }
  }, true);

  // jobRoute reads a job (or job log) route of the viewer's address.
  function jobRoute() {
    const m = /^\/projects\/(.+)\/-\/jobs\/([0-9]+)(?:\/log)?$/.exec(location.pathname);
    return m ? { project: decodeURIComponent(m[1]), id: Number(m[2]) } : null;
  }

  async function watchJob() {
    const job = jobRoute();
    if (!job) {
      return;
    }
    const got = await api.storage.local.get([SETTINGS_KEY, WATCH_KEY]);
    let base = "";
    try {
      base = JSON.parse(got[SETTINGS_KEY] ?? "{}").active ?? "";
    } catch {
      // unreadable settings: the viewer says so
    }
    if (!base) {
      say("Connect to GitLab first.");
      return;
    }
    const watched = Array.isArray(got[WATCH_KEY]) ? got[WATCH_KEY] : [];
    if (!watched.some((w) => w.base === base && w.id === job.id)) {
      watched.push({ base, project: job.project, id: job.id, status: "", added: Date.now() });
      await api.storage.local.set({ [WATCH_KEY]: watched });
    }
    say(`Watching job #${job.id}: a notification comes when it finishes, even with this popup closed.`);
    api.runtime.sendMessage({ type: "jobscope.poll" }).catch(() => {});
  }

  // acknowledge: opening the popup is seeing what finished. The finished
  // watched jobs are said once here and leave the list, which clears the
  // badge (background.js counts the failed ones still listed).
  async function acknowledge() {
    const got = await api.storage.local.get(WATCH_KEY);
    const watched = Array.isArray(got[WATCH_KEY]) ? got[WATCH_KEY] : [];
    const done = watched.filter((w) => FINISHED.has(w.status));
    if (done.length === 0) {
      return;
    }
    say("Finished: " + done.map((w) => `${w.name ?? "job"} #${w.id} ${w.status}`).join(", ") + ".");
    await api.storage.local.set({ [WATCH_KEY]: watched.filter((w) => !FINISHED.has(w.status)) });
  }

  function openInTab() {
    const url = api.runtime.getURL("popup.html") + "?mode=tab&route=" + encodeURIComponent(location.pathname);
    api.tabs.create({ url }).then(() => window.close());
  }

  function bar() {
    const nav = el("nav", { id: "ext-bar", "aria-label": "Extension" });
    if (mode === "popup") {
      const open = el("button", { id: "ext-open-tab", type: "button" }, "Open in a tab");
      open.addEventListener("click", openInTab);
      nav.append(open);
    }
    const watch = el("button", { id: "ext-watch", type: "button" }, "Watch this job");
    watch.addEventListener("click", watchJob);
    nav.append(watch, el("span", { id: "ext-status", role: "status" }));
    document.body.append(nav);
    // go-app moves between screens with history.pushState, which fires no
    // event: look at the address now and then.
    const follow = () => {
      watch.hidden = jobRoute() === null;
    };
    follow();
    setInterval(follow, 500);
  }

  document.addEventListener("DOMContentLoaded", () => {
    bar();
    if (mode === "popup") {
      acknowledge();
    }
    const asked = originOf(params.get("access") ?? "");
    if (mode === "tab" && asked && !DEFAULT_ORIGINS.includes(asked)) {
      showOffer(asked);
    }
    tab.then(offerAccess);
  });
})();

// jobscope background: watch and notify without keeping anything open. The
// service worker on Chromium, an event page on Firefox: the browser wakes it
// for an alarm or a message and may stop it between, so every state lives in
// storage, and listeners are registered at the top level, synchronously.
// It also runs "Sign in with GitLab" (the consent window outlives the
// popup) and every refresh of a signed-in pair (extension/signin).
"use strict";

const api = globalThis.browser ?? globalThis.chrome;

// Keys shared with the wasm and popup.js (package extension).
const SETTINGS_KEY = "jobscope.settings.v1"; // storage.local: instances, remembered tokens
const SESSION_KEY = "jobscope.session.v1"; // storage.session: {base: {token, refresh_token}}, see load
const WATCH_KEY = "jobscope.watch.v1"; // storage.local: [{base, project, id, status, name}]
const OUTCOME_KEY = "jobscope.oauth.v1"; // storage.session: the last sign-in's outcome (extension/signin: Outcome)
const ALARM = "jobscope.watch";
// Chromium's shortest alarm period (30 s); polls are slow on purpose, the
// job API is read once per watched job per period.
const PERIOD_MINUTES = 0.5;
// gitlab-api.md §8.1 "completed": the job will not change on its own.
const FINISHED = new Set(["success", "failed", "canceled", "skipped"]);

api.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARM) {
    poll();
  }
});
// Messages from the popup. Answers go through sendResponse (and `return
// true` keeps the channel open), which Chromium and Firefox both honour.
api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (sender.id !== api.runtime.id) {
    return false;
  }
  const handlers = {
    "jobscope.poll": () => poll().then(() => true),
    "jobscope.signin": () => signIn(msg),
    "jobscope.refresh": () => refreshed(msg.base, msg.stale),
  };
  const handle = handlers[msg?.type];
  if (!handle) {
    return false;
  }
  handle().then(sendResponse, (err) => sendResponse({ error: String(err?.message ?? err) }));
  return true;
});
api.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && WATCH_KEY in changes) {
    schedule(changes[WATCH_KEY].newValue ?? []);
  }
});
const resume = () => load().then(({ watched }) => schedule(watched));
api.runtime.onStartup.addListener(resume);
api.runtime.onInstalled.addListener(resume);
api.notifications.onClicked.addListener((id) => {
  const [, project, job] = /^jobscope:(.+):([0-9]+)$/.exec(id) ?? [];
  if (job) {
    const route = `/projects/${project}/-/jobs/${job}`;
    api.tabs.create({ url: api.runtime.getURL("popup.html") + "?mode=tab&route=" + encodeURIComponent(route) });
  }
  api.notifications.clear(id);
});

// load reads the settings (storage.local, the viewer's JSON: account.Settings)
// and the tokens kept in memory (storage.session: {base: {token,
// refresh_token}}): memory-only access tokens, every signed-in access
// token, and the refresh tokens of sign-ins without "stay signed in".
async function load() {
  const local = await api.storage.local.get([SETTINGS_KEY, WATCH_KEY]);
  const session = api.storage.session ? await api.storage.session.get(SESSION_KEY) : {};
  let settings = { instances: [] };
  let memory = {};
  try {
    settings = JSON.parse(local[SETTINGS_KEY] ?? '{"instances":[]}');
    memory = JSON.parse(session[SESSION_KEY] ?? "{}");
  } catch {
    // unreadable settings: the popup says so; nothing to poll with
  }
  settings.instances ??= [];
  const watched = Array.isArray(local[WATCH_KEY]) ? local[WATCH_KEY] : [];
  return { settings, memory, watched };
}

// tokensOf is an instance's current pair, wherever each half is kept.
function tokensOf(instance, memory) {
  const kept = memory[instance.base_url] ?? {};
  const signedIn = Boolean(instance.client_id);
  return {
    token: (instance.remember && !signedIn ? instance.token : kept.token) ?? "",
    refresh_token: (instance.remember ? instance.refresh_token : kept.refresh_token) ?? "",
  };
}

// storePair writes a signed-in instance's new pair as the viewer's
// SettingsStore would: the access token in storage.session only, the
// refresh token in storage.local with "stay signed in", else in
// storage.session (gitlab-oauth.md §6). fields are the instance's other
// changes; activate makes it the active one. It re-reads both blobs first
// and changes only this instance: its caller waited on GitLab, and the
// popup may have added an instance or rotated a pair meanwhile
// (account.Store.Update is the viewer's side of the same rule).
async function storePair(base, fields, tok, activate = false) {
  const { settings, memory } = await load();
  let instance = settings.instances.find((i) => i.base_url === base);
  if (!instance) {
    instance = { base_url: base };
    settings.instances.push(instance);
  }
  Object.assign(instance, fields);
  if (activate) {
    settings.active = base;
  }
  instance.token = "";
  instance.refresh_token = instance.remember ? tok.refresh_token ?? "" : "";
  memory[base] = { token: tok.access_token ?? "", refresh_token: instance.remember ? "" : tok.refresh_token ?? "" };
  await api.storage.local.set({ [SETTINGS_KEY]: JSON.stringify(settings) });
  if (api.storage.session) {
    await api.storage.session.set({ [SESSION_KEY]: JSON.stringify(memory) });
  }
}

// postForm sends a form to GitLab's OAuth endpoints as a CORS simple
// request (gitlab-oauth.md §3), and answers {status, body}.
async function postForm(base, path, form) {
  const resp = await fetch(base + path, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { Accept: "application/json" },
    credentials: "omit",
    cache: "no-store",
  });
  return { status: resp.status, body: await resp.text() };
}

// signIn runs one "Sign in with GitLab" the popup started (extension/signin):
// msg.url is GitLab's consent page, msg.pending the attempt (state, PKCE
// verifier, scopes) and what to do with the pair. The popup is usually
// closed by the time GitLab answers, so the outcome is stored for the next
// one to say, and the pair stored where the viewer reads it.
async function signIn(msg) {
  const p = JSON.parse(msg.pending);
  const base = p.base_url;
  const said = { base_url: base, client_id: p.client_id, return: p.return ?? "" };
  const finish = async (outcome) => {
    if (api.storage.session) {
      await api.storage.session.set({ [OUTCOME_KEY]: JSON.stringify({ ...said, ...outcome }) });
    }
    return { ...said, ...outcome };
  };
  await finish({ state: "pending" });
  // Chromium stops an idle service worker after 30 s, and a pending
  // launchWebAuthFlow does not count as work: an extension call now and
  // then keeps it alive while the user is on GitLab's page.
  const alive = setInterval(() => api.runtime.getPlatformInfo(), 20e3);
  let answer;
  try {
    answer = new URL(await api.identity.launchWebAuthFlow({ url: msg.url, interactive: true }));
  } catch (err) {
    return finish({ state: "failed", flow_error: String(err?.message ?? err) });
  } finally {
    clearInterval(alive);
  }
  const code = answer.searchParams.get("code");
  if (!code || answer.searchParams.get("state") !== p.attempt.state || answer.searchParams.has("error")) {
    answer.searchParams.delete("code"); // the popup needs the words, not the code
    return finish({ state: "failed", callback: answer.href, attempt_state: p.attempt.state });
  }
  let got;
  try {
    got = await postForm(base, "/oauth/token", {
      grant_type: "authorization_code", client_id: p.client_id, code,
      redirect_uri: msg.redirect_uri, code_verifier: p.attempt.verifier,
    });
  } catch {
    return finish({ state: "failed", error: `GitLab at ${base} could not be reached to finish signing in (offline, or the address is wrong)` });
  }
  let tok = null;
  try {
    tok = got.status === 200 ? JSON.parse(got.body) : null;
  } catch {
    // not a token answer: said below
  }
  if (!tok?.access_token) {
    return finish({ state: "failed", status: got.status === 200 ? 502 : got.status, body: got.body.slice(0, 2000) });
  }
  const { settings, memory } = await load();
  const instance = settings.instances.find((i) => i.base_url === base);
  const old = instance && instance.client_id === p.client_id ? tokensOf(instance, memory) : null;
  const fields = { client_id: p.client_id, oauth: true, remember: Boolean(p.remember) };
  const user = await username(base, tok.access_token);
  if (user !== undefined) {
    fields.user = user;
  }
  await storePair(base, fields, tok, true);
  if (p.upgrade && old) {
    // The new consent gave a new pair; the old one is revoked (gitlab-oauth.md §6).
    const token = old.refresh_token || old.token;
    await postForm(base, "/oauth/revoke", { client_id: p.client_id, token }).catch(() => {});
  }
  return finish({ state: "done" });
}

// username asks GitLab who signed in (gitlab-api.md, current user), for the
// viewer's header; undefined when it cannot tell.
async function username(base, token) {
  try {
    const resp = await fetch(base + "/api/v4/user", { headers: { Authorization: "Bearer " + token }, credentials: "omit", cache: "no-store" });
    return resp.ok ? (await resp.json()).username : undefined;
  } catch {
    return undefined;
  }
}

// refreshed answers a signed-in instance's current pair: the stored one if
// it is not stale (the access token the caller saw rejected; "" if it had
// none), else a new one from GitLab. The background is the one context
// that refreshes, and one refresh per instance runs at a time: with
// rotation a second refresh with the same token fails (gitlab-oauth.md §6).
// Answers {access_token, refresh_token, scope}, or GitLab's refusal as
// {status, body}, or {error}.
const refreshes = new Map();
function refreshed(base, stale) {
  const running = refreshes.get(base);
  if (running) {
    return running;
  }
  const run = refreshOnce(base, stale).finally(() => refreshes.delete(base));
  refreshes.set(base, run);
  return run;
}

async function refreshOnce(base, stale) {
  const { settings, memory } = await load();
  const instance = settings.instances.find((i) => i.base_url === base && i.client_id);
  if (!instance) {
    return { error: "not signed in to " + base };
  }
  const now = tokensOf(instance, memory);
  if (now.token && now.token !== stale) {
    return { access_token: now.token, refresh_token: now.refresh_token };
  }
  if (!now.refresh_token) {
    return { status: 400, body: '{"error":"invalid_grant","error_description":"no refresh token kept"}' };
  }
  let got;
  try {
    got = await postForm(base, "/oauth/token", { grant_type: "refresh_token", client_id: instance.client_id, refresh_token: now.refresh_token });
  } catch {
    return { error: `GitLab at ${base} could not be reached to renew the sign-in` };
  }
  let tok = null;
  try {
    tok = got.status === 200 ? JSON.parse(got.body) : null;
  } catch {
    // said below
  }
  if (!tok?.access_token) {
    if (got.status === 400 && got.body.includes("invalid_grant")) {
      await storePair(base, {}, {}); // the session ended on GitLab: forget the pair
    }
    return { status: got.status === 200 ? 502 : got.status, body: got.body.slice(0, 2000) };
  }
  await storePair(base, {}, tok);
  return { access_token: tok.access_token, refresh_token: tok.refresh_token ?? "", scope: tok.scope ?? "" };
}

// schedule keeps the alarm only while some watched job is unfinished.
function schedule(watched) {
  if (watched.some((w) => !FINISHED.has(w.status))) {
    api.alarms.get(ALARM).then((a) => a || api.alarms.create(ALARM, { periodInMinutes: PERIOD_MINUTES }));
  } else {
    api.alarms.clear(ALARM);
  }
  showFailed(watched);
}

function showFailed(watched) {
  const failed = watched.filter((w) => w.status === "failed").length;
  api.action.setBadgeBackgroundColor({ color: "#dd2b0e" });
  api.action.setBadgeText({ text: failed ? String(failed) : "" });
  api.action.setTitle({ title: failed ? `jobscope: ${failed} watched job(s) failed` : "jobscope" });
}

// fetchJob reads one job (gitlab-api.md §5.2) with the instance's token in a
// header, never in the address: Authorization: Bearer for access and OAuth
// tokens alike (§2.1), the one header fetch drops when a redirect leaves the
// origin. A signed-in instance's token that GitLab no longer accepts (401:
// it lives 2 h) is refreshed once.
async function fetchJob(instance, token, w) {
  const url = `${instance.base_url}/api/v4/projects/${encodeURIComponent(w.project)}/jobs/${w.id}`;
  const get = (t) => fetch(url, {
    headers: { Authorization: "Bearer " + t },
    credentials: "omit",
    cache: "no-store",
  });
  let resp = await get(token);
  if (resp.status === 401 && instance.client_id) {
    const fresh = await refreshed(instance.base_url, token);
    if (fresh.access_token) {
      resp = await get(fresh.access_token);
    }
  }
  if (!resp.ok) {
    throw new Error(`GitLab answered ${resp.status} for job #${w.id}`);
  }
  return resp.json();
}

let polls = Promise.resolve();

// poll reads every unfinished watched job once. Polls run one after the
// other, and each asked for runs after the ones before it: a request that
// comes during a poll (a new watch) is not lost in it.
function poll() {
  polls = polls.then(pollOnce).catch((err) => console.warn("jobscope: poll failed:", err));
  return polls;
}

async function pollOnce() {
  const { settings, memory, watched } = await load();
  let changed = false;
  for (const w of watched) {
    if (FINISHED.has(w.status)) {
      continue;
    }
    const instance = settings.instances.find((i) => i.base_url === w.base);
    const pair = instance ? tokensOf(instance, memory) : {};
    let token = pair.token;
    if (!token && pair.refresh_token) {
      token = (await refreshed(w.base, "")).access_token; // a kept sign-in whose access token went with the browser session
    }
    if (!token) {
      continue; // memory-only token gone with the browser session: nothing to ask with
    }
    try {
      const job = await fetchJob(instance, token, w);
      if (job.status === w.status) {
        continue;
      }
      w.status = job.status;
      w.name = job.name;
      changed = true;
      if (FINISHED.has(job.status)) {
        api.notifications.create(`jobscope:${w.project}:${w.id}`, {
          type: "basic",
          iconUrl: api.runtime.getURL("icons/icon-128.png"),
          title: `Job ${job.name} ${job.status}`,
          message: `${w.project} · job #${w.id} · ${job.status}`,
        });
      }
    } catch (err) {
      console.warn("jobscope: watched job not read:", err.message);
    }
  }
  if (changed) {
    // Merge into what is stored now: the popup may have added a watch meanwhile.
    const now = (await api.storage.local.get(WATCH_KEY))[WATCH_KEY] ?? [];
    const byKey = new Map(watched.map((w) => [w.base + " " + w.id, w]));
    await api.storage.local.set({ [WATCH_KEY]: now.map((w) => byKey.get(w.base + " " + w.id) ?? w) });
  } else {
    schedule(watched);
  }
}

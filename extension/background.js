// jobscope background: watch and notify without keeping anything open. The
// service worker on Chromium, an event page on Firefox: the browser wakes it
// for an alarm or a message and may stop it between, so every state lives in
// storage, and listeners are registered at the top level, synchronously.
"use strict";

const api = globalThis.browser ?? globalThis.chrome;

// Keys shared with the wasm and popup.js (package extension).
const SETTINGS_KEY = "jobscope.settings.v1"; // storage.local: instances, remembered tokens
const SESSION_KEY = "jobscope.session.v1"; // storage.session: memory-only tokens
const WATCH_KEY = "jobscope.watch.v1"; // storage.local: [{base, project, id, status, name}]
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
api.runtime.onMessage.addListener((msg) => {
  if (msg?.type === "jobscope.poll") {
    return poll().then(() => true);
  }
  return false;
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
  const watched = Array.isArray(local[WATCH_KEY]) ? local[WATCH_KEY] : [];
  return { settings, memory, watched };
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
// header, never in the address.
async function fetchJob(instance, token, w) {
  const headers = instance.oauth ? { Authorization: "Bearer " + token } : { "PRIVATE-TOKEN": token };
  const url = `${instance.base_url}/api/v4/projects/${encodeURIComponent(w.project)}/jobs/${w.id}`;
  const resp = await fetch(url, { headers, credentials: "omit", cache: "no-store" });
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
    const instance = (settings.instances ?? []).find((i) => i.base_url === w.base);
    const token = instance?.remember ? instance.token : memory[w.base];
    if (!instance || !token) {
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

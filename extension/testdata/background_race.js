// Runs background.js in node over an in-memory extension API and a fetch
// that lets another writer change the stored settings while GitLab is
// being asked (the popup adding an instance, say), then prints what is
// stored. Used by background_test.go: node background_race.js <background.js> <case>.
"use strict";
const fs = require("fs");
const vm = require("vm");

const [, , script, which] = process.argv;
const areas = { local: {}, session: {} };
const area = (m) => ({
  get: async (keys) => Object.fromEntries([keys].flat().filter((k) => k in m).map((k) => [k, m[k]])),
  set: async (o) => void Object.assign(m, o),
});
const listener = () => ({ addListener() {} });
const chrome = {
  runtime: { id: "x", onMessage: listener(), onStartup: listener(), onInstalled: listener(), getURL: (p) => p, getPlatformInfo: async () => ({}) },
  storage: { local: area(areas.local), session: area(areas.session), onChanged: listener() },
  alarms: { onAlarm: listener(), get: async () => null, create() {}, clear() {} },
  notifications: { onClicked: listener(), create() {}, clear() {} },
  action: { setBadgeBackgroundColor() {}, setBadgeText() {}, setTitle() {} },
  identity: { launchWebAuthFlow: async ({ url }) => "https://ext.example/oauth?code=c&state=" + new URL(url).searchParams.get("state") },
};
const A = "https://a.example";
const B = "https://b.example";
areas.local["jobscope.settings.v1"] = JSON.stringify({
  instances: [{ base_url: A, client_id: "app", oauth: true, remember: true, refresh_token: "r1" }],
  active: A,
});
areas.session["jobscope.session.v1"] = "{}";

// otherWriter is the popup saving while the background waits on GitLab.
let wrote = false;
function otherWriter() {
  if (wrote) {
    return;
  }
  wrote = true;
  const st = JSON.parse(areas.local["jobscope.settings.v1"]);
  st.instances.push({ base_url: B, token: "tb", remember: true });
  areas.local["jobscope.settings.v1"] = JSON.stringify(st);
  areas.session["jobscope.session.v1"] = JSON.stringify({ [B]: { token: "kept-b" } });
}
// The other writer lands during the last request before the pair is
// stored: the token refresh, or a sign-in's "who is this" after its exchange.
const during = { refresh: "/oauth/token", signin: "/api/v4/user" }[which];
const fetch = async (url) => {
  if (String(url).endsWith(during)) {
    otherWriter();
  }
  const ok = (body) => ({ status: 200, ok: true, text: async () => JSON.stringify(body), json: async () => body });
  if (String(url).endsWith("/oauth/token")) {
    return ok({ access_token: "a2", refresh_token: "r2" });
  }
  return ok({ username: "someone" });
};
const sandbox = { chrome, fetch, console, URL, URLSearchParams, setInterval, clearInterval, JSON };
sandbox.globalThis = sandbox;
vm.runInNewContext(fs.readFileSync(script, "utf8"), sandbox);

const cases = {
  refresh: () => sandbox.refreshed(A, ""),
  signin: () => sandbox.signIn({
    url: A + "/oauth/authorize?state=s",
    redirect_uri: "https://ext.example/oauth",
    pending: JSON.stringify({ base_url: A, client_id: "app", remember: true, attempt: { state: "s", verifier: "v" } }),
  }),
};
cases[which]().then(() => {
  process.stdout.write(JSON.stringify({
    settings: JSON.parse(areas.local["jobscope.settings.v1"]),
    session: JSON.parse(areas.session["jobscope.session.v1"]),
  }));
}, (err) => {
  console.error(err);
  process.exit(1);
});

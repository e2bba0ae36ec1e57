// The Go tests' hands in Firefox: puppeteer-core over WebDriver BiDi (no
// geckodriver), driven by JSON lines on stdin, answered on stdout:
// {"id":1,"op":"goto","page":"p1","url":"..."} -> {"id":1,"value":...} or
// {"id":1,"error":"..."}. One request at a time per page is the caller's
// business; requests to different pages run side by side.
"use strict";

const readline = require("node:readline");
const puppeteer = require(process.env.JOBSCOPE_PUPPETEER);

let browser = null;
const pages = new Map(); // id -> Page
const ids = new Map(); // Page -> id
const dialogs = new Map(); // id -> [message]
let next = 0;

function remember(page) {
  if (ids.has(page)) {
    return ids.get(page);
  }
  const id = "p" + ++next;
  pages.set(id, page);
  ids.set(page, id);
  dialogs.set(id, []);
  // A dialog would block the page; hostile text that opens one is a failure
  // the test reads back (op "dialogs"), so it is dismissed and noted.
  page.on("dialog", (d) => {
    dialogs.get(id).push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on("close", () => {
    pages.delete(id);
  });
  return id;
}

function page(id) {
  const p = pages.get(id);
  if (!p) {
    throw new Error(`no page ${id}`);
  }
  return p;
}

const ops = {
  async launch(r) {
    browser = await puppeteer.launch({
      browser: "firefox",
      protocol: "webDriverBiDi",
      executablePath: r.executablePath,
      headless: true,
      extraPrefsFirefox: r.prefs ?? {},
      defaultViewport: { width: r.width ?? 1280, height: r.height ?? 900 },
      args: r.args ?? [],
    });
    return browser.version();
  },
  // webExtension.install of an unpacked folder: a temporary add-on, as
  // about:debugging loads one.
  install: (r) => browser.installExtension(r.path),
  async newPage(r) {
    let p;
    try {
      p = await browser.newPage();
    } catch (err) {
      // firefox-esr 140 opens a tab in the window that last had the focus,
      // and a notification's alert window has no tabs ("getTabBrowser(...)
      // is undefined"): a window of its own then.
      if (!/getTabBrowser/.test(err.message)) {
        throw err;
      }
      p = await browser.newPage({ type: "window" });
    }
    if (r.hook) {
      await p.evaluateOnNewDocument(r.hook);
    }
    if (r.width) {
      await p.setViewport({ width: r.width, height: r.height });
    }
    return remember(p);
  },
  // Every open tab, named: tabs the extension opened too.
  async pages() {
    const out = [];
    for (const p of await browser.pages()) {
      out.push({ page: remember(p), url: p.url() });
    }
    return out;
  },
  // Navigates and waits for the new document's load. Firefox does not
  // always report the load of an add-on page (moz-extension:) to the
  // navigation puppeteer awaits, so the new document is also watched for
  // directly: the old one carries a mark the new one lacks.
  async goto(r) {
    const p = page(r.page);
    await p.evaluate("window.__bridgeOld = true").catch(() => {});
    const nav = p.goto(r.url, { waitUntil: "load", timeout: r.timeout });
    nav.catch(() => {});
    await Promise.race([nav, loaded(p, r.timeout)]);
    return null;
  },
  async waitFor(r) {
    await page(r.page).waitForSelector(r.selector, { visible: r.visible, hidden: r.hidden, timeout: r.timeout });
    return null;
  },
  // Waits until the expression is truthy (a promise is awaited) and
  // returns its value. Asked every 100 ms from here rather than by
  // puppeteer's waitForFunction, which fails at once on firefox-esr 140; an
  // evaluation a navigation cut short is asked again in the new document.
  async waitTrue(r) {
    const p = page(r.page);
    const end = Date.now() + (r.timeout ?? 30000);
    let last = null;
    while (Date.now() < end) {
      try {
        const v = await p.evaluate(r.expr);
        if (v) {
          return v;
        }
      } catch (err) {
        last = err;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error("waited in vain" + (last ? ": " + last.message : ""));
  },
  // The expression's value, promises awaited.
  eval: async (r) => (await page(r.page).evaluate(r.expr)) ?? null,
  async click(r) {
    await page(r.page).click(r.selector);
    return null;
  },
  async type(r) {
    const p = page(r.page);
    await p.click(r.selector, { count: 3 });
    await p.type(r.selector, r.text);
    return null;
  },
  async press(r) {
    await page(r.page).keyboard.press(r.key);
    return null;
  },
  async screenshot(r) {
    await page(r.page).screenshot({ path: r.path });
    return null;
  },
  async viewport(r) {
    try {
      await page(r.page).setViewport({ width: r.width, height: r.height });
    } catch (err) {
      // puppeteer sends emulation.setScreenOrientationOverride beside
      // browsingContext.setViewport; firefox-esr 140 answers "unknown
      // command" to the first only, and the size is what the tests need.
      if (!/unknown command emulation\.setScreenOrientationOverride/.test(err.message)) {
        throw err;
      }
    }
    return null;
  },
  async reload(r) {
    await page(r.page).reload({ waitUntil: "load", timeout: r.timeout });
    return null;
  },
  async offline(r) {
    await page(r.page).setOfflineMode(r.offline);
    return null;
  },
  dialogs: async (r) => dialogs.get(r.page) ?? [],
  async close(r) {
    const p = pages.get(r.page);
    if (p) {
      await p.close();
    }
    return null;
  },
  async quit() {
    if (browser) {
      await browser.close();
    }
    setImmediate(() => process.exit(0));
    return null;
  },
};

// loaded resolves once p shows a document without the old one's mark,
// completely loaded; asked every 50 ms, since the document goes away under
// a listener.
async function loaded(p, timeout) {
  const end = Date.now() + (timeout ?? 30000);
  while (Date.now() < end) {
    const fresh = await p.evaluate("!window.__bridgeOld && document.readyState === 'complete'").catch(() => false);
    if (fresh) {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("navigation timed out");
}

function answer(msg) {
  process.stdout.write(JSON.stringify(msg) + "\n");
}

readline.createInterface({ input: process.stdin }).on("line", async (line) => {
  let r;
  try {
    r = JSON.parse(line);
  } catch (err) {
    answer({ id: 0, error: "unreadable request: " + err.message });
    return;
  }
  const op = ops[r.op];
  if (!op) {
    answer({ id: r.id, error: `no op ${r.op}` });
    return;
  }
  try {
    answer({ id: r.id, value: await op(r) });
  } catch (err) {
    answer({ id: r.id, error: String(err?.message ?? err) });
  }
});

// Go closed the pipe (its test ended, or it died): take Firefox down too.
process.stdin.on("end", () => {
  (browser ? browser.close() : Promise.resolve()).finally(() => process.exit(0));
});

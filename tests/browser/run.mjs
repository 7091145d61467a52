#!/usr/bin/env node
// Real-browser tests for the dienhinh sample site.
//
// Builds the site with the dienhinh binary into a temp dir for a free port,
// serves it with a tiny static server on 127.0.0.1, drives Debian's headless
// Chromium through puppeteer-core, and checks every page type at a phone
// (360 px) and a desktop (1280 px) width; then every page type again at 320,
// 360, 375 and 1280 px in the light and the dark colour scheme for sideways
// scroll and chart label size (testLayouts). Also builds a second, hostile
// fixture site to check HTML escaping, and prints the model page to PDF.
//
// Usage (from anywhere):
//   node tests/browser/run.mjs [SITE_SOURCE_DIR]
// Environment:
//   DIENHINH_BIN  path to the dienhinh binary (default: target/release/dienhinh
//                 if it exists, else target/debug/dienhinh, under the repo root)
//   SITE_DIR      site source dir (with site.yaml); default: the repo root.
//                 argv[2] wins over SITE_DIR.
//   CHROMIUM      browser executable (default /usr/bin/chromium)
//
// Prints one line per check and ends with `N passed, M failed`; exits 1 if any
// check failed. Screenshots and the PDF go to tests/browser/artifacts/.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import jsQR from 'jsqr';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const ARTIFACTS = path.join(HERE, 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const NAV_TIMEOUT = 30_000;
const BUILD_TIMEOUT = 120_000;
const FETCH_TIMEOUT = 15_000;
const WATCHDOG = 5 * 60_000;

const SITE_SRC = path.resolve(process.argv[2] || process.env.SITE_DIR || REPO);
const BIN = process.env.DIENHINH_BIN
  ? path.resolve(process.env.DIENHINH_BIN)
  : fs.existsSync(path.join(REPO, 'target/release/dienhinh'))
    ? path.join(REPO, 'target/release/dienhinh')
    : path.join(REPO, 'target/debug/dienhinh');

const MODEL_SLUG = 'q1-tu-banh-mi-nghia-tinh';
const MODEL_TITLE = 'Tủ bánh mì nghĩa tình';
const MODEL_PATH = `/mo-hinh/${MODEL_SLUG}/`;
const CEREMONY_PATH = '/tuyen-duong/quan-1-hop-mat-2019/';

const VIEWPORTS = [
  { width: 360, height: 740, deviceScaleFactor: 1, isMobile: true, hasTouch: true },
  { width: 1280, height: 900, deviceScaleFactor: 1 },
];

// ---------------------------------------------------------------- reporting

let passed = 0;
let failed = 0;

function pass(name, detail = '') {
  passed++;
  console.log(`ok   ${name}${detail ? ` (${detail})` : ''}`);
}

function fail(name, why) {
  failed++;
  console.log(`FAIL ${name}: ${why}`);
}

function check(name, ok, why, detail) {
  if (ok) pass(name, detail);
  else fail(name, why);
  return ok;
}

function summary() {
  return `${passed} passed, ${failed} failed`;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- server

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/** A static server over `root` (set later via server.root), on 127.0.0.1:0.
 * It answers a single byte range with 206, as static hosts do, unless
 * `ranges` is off (as `python -m http.server`); `stats` counts both. */
async function startServer() {
  const state = { root: null, ranges: true, stats: { partial: 0, ignored: 0 } };
  const server = http.createServer((req, res) => {
    serve(state, req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    setRoot(dir) { state.root = path.resolve(dir); },
    setRanges(on) { state.ranges = on; },
    stats() { const s = state.stats; state.stats = { partial: 0, ignored: 0 }; return s; },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}

async function serve(state, req, res) {
  const root = state.root;
  const send = (status, headers, body) => {
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }, 'method not allowed\n');
  }
  if (!root) return send(503, { 'content-type': 'text/plain' }, 'site not built yet\n');
  let pathname;
  let raw;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    raw = decodeURIComponent(req.url.split('?')[0]); // before URL() folds dot segments
  } catch {
    return send(400, { 'content-type': 'text/plain' }, 'bad request\n');
  }
  // Reject any `..` segment (raw or percent-encoded) and NUL bytes outright.
  const hasDotDot = (p) => p.split(/[\\/]/).includes('..');
  if (pathname.includes('\0') || hasDotDot(pathname) || hasDotDot(raw)) {
    return send(400, { 'content-type': 'text/plain' }, 'bad path\n');
  }
  let file = path.join(root, pathname);
  if (file !== root && !file.startsWith(root + path.sep)) {
    return send(400, { 'content-type': 'text/plain' }, 'bad path\n');
  }
  let st = await fsp.stat(file).catch(() => null);
  if (st && st.isDirectory()) {
    if (!pathname.endsWith('/')) {
      const q = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      return send(301, { location: encodeURI(pathname + '/') + q }, '');
    }
    file = path.join(file, 'index.html');
    st = await fsp.stat(file).catch(() => null);
  }
  // `/m/<id>` answered by `m/<id>.html`, as GitHub, GitLab and Cloudflare
  // Pages and Netlify do (short links and later list pages are such files).
  if (!st && !pathname.endsWith('/') && !path.extname(pathname)) {
    const html = `${file}.html`;
    const hst = await fsp.stat(html).catch(() => null);
    if (hst && hst.isFile()) { file = html; st = hst; }
  }
  if (!st || !st.isFile()) {
    const nf = path.join(root, '404.html');
    const body = await fsp.readFile(nf).catch(() => Buffer.from('not found\n'));
    return send(404, { 'content-type': fs.existsSync(nf) ? TYPES['.html'] : 'text/plain' }, body);
  }
  const body = await fsp.readFile(file);
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range || '');
  if (range && state.ranges) {
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : body.length - 1, body.length - 1);
    if (start > end) return send(416, { 'content-range': `bytes */${body.length}` }, '');
    state.stats.partial++;
    return send(206, {
      'content-type': contentType(file),
      'content-length': end - start + 1,
      'content-range': `bytes ${start}-${end}/${body.length}`,
    }, body.subarray(start, end + 1));
  }
  if (req.headers.range) state.stats.ignored++;
  return send(200, { 'content-type': contentType(file), 'content-length': body.length }, body);
}

// ---------------------------------------------------------------- build

function build(siteDir, outDir, origin) {
  return new Promise((resolve, reject) => {
    execFile(
      BIN,
      ['-C', siteDir, 'build', '--output', outDir, '--base-url', `${origin}/`],
      { timeout: BUILD_TIMEOUT, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        if (err) {
          const how = err.killed ? `killed (${err.signal}; timeout ${BUILD_TIMEOUT} ms?)` : `exit ${err.code}`;
          reject(new Error(`\`${BIN} -C ${siteDir} build\` failed: ${how}\n${stdout}${stderr}`));
        }
        else resolve(`${stdout}${stderr}`);
      },
    );
  });
}

function frontMatterId(mdFile) {
  const text = fs.readFileSync(mdFile, 'utf8');
  const fm = text.match(/^---\r?\n([\s\S]*?)\r?\n---/);
  const id = fm && fm[1].match(/^id:\s*["']?([A-Za-z0-9_-]+)["']?\s*$/m);
  if (!id) throw new Error(`no id: in the front matter of ${mdFile}`);
  return id[1];
}

// ---------------------------------------------------------------- link cache

const linkCache = new Map();
/** /favicon.ico URLs that the browser asked for and did not get. */
const faviconMisses = new Set();

/** Fetch `url` once per run (following redirects); resolves to the final status. */
function linkStatus(url) {
  if (!linkCache.has(url)) {
    linkCache.set(
      url,
      fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(FETCH_TIMEOUT) })
        .then(async (r) => { await r.arrayBuffer(); return r.status; })
        .catch((e) => `error: ${e.message}`),
    );
  }
  return linkCache.get(url);
}

// ---------------------------------------------------------------- page helpers

/** Opens a page at `vp` that records every console error, page error,
 * failed request and HTTP error response. */
async function openPage(browser, vp) {
  const page = await browser.newPage();
  page.setDefaultTimeout(NAV_TIMEOUT);
  page.setDefaultNavigationTimeout(NAV_TIMEOUT);
  await page.setViewport(vp);
  const problems = [];
  // Chromium asks every new origin for /favicon.ico on its own; that request
  // is not part of the page, so it is recorded apart (see faviconCheck).
  const isFavicon = (url) => { try { return new URL(url).pathname === '/favicon.ico'; } catch { return false; } };
  page.on('pageerror', (e) => problems.push({ kind: 'pageerror', text: String(e?.message || e) }));
  page.on('console', (m) => {
    if (m.type() === 'error') {
      const url = m.location()?.url;
      if (isFavicon(url)) { faviconMisses.add(url); return; }
      problems.push({ kind: 'console', text: m.text(), url });
    }
  });
  page.on('requestfailed', (r) => isFavicon(r.url()) ? faviconMisses.add(r.url()) : problems.push({ kind: 'requestfailed', text: `${r.url()} ${r.failure()?.errorText}`, url: r.url() }));
  page.on('response', (r) => {
    if (r.status() >= 400 && isFavicon(r.url())) faviconMisses.add(r.url());
    else if (r.status() >= 400) problems.push({ kind: 'http', status: r.status(), text: `${r.status()} ${r.url()}`, url: r.url() });
  });
  return { page, problems };
}

/** Problems other than the expected 404 of `allow404` (the 404 page's own URL). */
function unexpected(problems, allow404) {
  return problems.filter((p) => {
    if (!allow404) return true;
    if (p.kind === 'http' && p.status === 404 && p.url === allow404) return false;
    if (p.kind === 'console' && /status of 404/.test(p.text) && (!p.url || p.url === allow404)) return false;
    return true;
  });
}

/** Everything the generic checks need, collected in the page. */
function inspect(vw) {
  // The configured width, not window.innerWidth: on a mobile viewport
  // Chromium widens the layout viewport to fit overflowing content.
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    if (el.classList.length) s += '.' + [...el.classList].join('.');
    return s;
  };
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.documentElement; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox !== 'visible') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    const r = el.getBoundingClientRect();
    if ((r.right > vw + 1 || r.left < -1) && r.width > 0 && !clipped(el)) {
      if (getComputedStyle(el).position === 'absolute' && r.right < 0) continue; // off-screen skip link
      wide.push(`${describe(el)} [${Math.round(r.left)}..${Math.round(r.right)}]`);
    }
  }
  const links = [...document.querySelectorAll('a[href]')].map((a) => ({
    raw: a.getAttribute('href'),
    abs: a.href,
  }));
  const fragments = links
    .filter((l) => l.raw.startsWith('#') && l.raw.length > 1)
    .map((l) => ({ id: decodeURIComponent(l.raw.slice(1)), found: !!document.getElementById(decodeURIComponent(l.raw.slice(1))) }));
  const h1s = [...document.querySelectorAll('h1')];
  return {
    url: location.href,
    lang: document.documentElement.getAttribute('lang'),
    title: document.title.trim(),
    h1Count: h1s.length,
    h1Text: h1s.map((h) => h.innerText.trim()),
    mainCount: document.querySelectorAll('main, [role="main"]').length,
    imgCount: document.images.length,
    // alt="" is right only for a decorative picture beside text that names
    // the same thing (the logo inside the link with the site's name).
    imgsNoAlt: [...document.images]
      .filter((i) => !(i.getAttribute('alt') || '').trim())
      .filter((i) => !(i.getAttribute('alt') === '' && ((i.closest('a') || i.parentElement)?.textContent || '').trim()))
      .map((i) => i.getAttribute('src')),
    headerHeight: Math.round(document.querySelector('.site-header')?.getBoundingClientRect().height || 0),
    scrollWidth: document.documentElement.scrollWidth,
    viewportWidth: vw,
    wide: wide.slice(0, 8),
    links,
    fragments,
  };
}

async function screenshot(page, name, width) {
  const file = path.join(ARTIFACTS, `${name}-${width}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return path.relative(REPO, file);
}

/** No sideways scroll: the page is no wider than the viewport (from `inspect`). */
function overflowCheck(label, info) {
  check(
    `${label}: no horizontal overflow`,
    info.scrollWidth <= info.viewportWidth + 1,
    `scrollWidth ${info.scrollWidth} > viewport ${info.viewportWidth}; too wide: ${info.wide.join(', ') || '(none found)'}`,
    `scrollWidth ${info.scrollWidth}`,
  );
  // A phone keeps most of its first screen for the page (issue: 210 px).
  if (info.viewportWidth <= 375 && info.headerHeight > 0) {
    check(`${label}: header at most 120 px tall`, info.headerHeight <= 120, `header is ${info.headerHeight} px`, `${info.headerHeight} px`);
  }
}

/** The checks every normal page gets. */
async function genericChecks(label, info, origin) {
  check(`${label}: <html lang="vi">`, info.lang === 'vi', `lang is ${JSON.stringify(info.lang)}`);
  check(`${label}: non-empty <title>`, info.title.length > 0, 'document.title is empty', JSON.stringify(info.title));
  check(`${label}: exactly one <h1>`, info.h1Count === 1, `found ${info.h1Count}: ${JSON.stringify(info.h1Text)}`);
  check(`${label}: has a <main> landmark`, info.mainCount === 1, `found ${info.mainCount} main landmarks`);
  check(
    `${label}: every <img> has a non-empty alt`,
    info.imgsNoAlt.length === 0,
    `no alt on ${info.imgsNoAlt.join(', ')}`,
    `${info.imgCount} images`,
  );
  overflowCheck(label, info);
  // In-page fragment links must point at an existing id.
  const missingIds = info.fragments.filter((f) => !f.found).map((f) => `#${f.id}`);
  // Every same-origin link must answer 200.
  const internal = [...new Set(
    info.links
      .filter((l) => !l.raw.startsWith('#'))
      .map((l) => { try { const u = new URL(l.abs); u.hash = ''; return u; } catch { return null; } })
      .filter((u) => u && u.origin === origin)
      .map((u) => u.href),
  )];
  const statuses = await Promise.all(internal.map(async (u) => [u, await linkStatus(u)]));
  const bad = statuses.filter(([, s]) => s !== 200).map(([u, s]) => `${u} → ${s}`);
  check(
    `${label}: all internal links resolve`,
    bad.length === 0 && missingIds.length === 0,
    [...bad, ...missingIds.map((i) => `missing target ${i}`)].join('; '),
    `${internal.length} links, ${info.fragments.length} anchors`,
  );
}

/** In the page: every rendered SVG <text> (its <tspan>s if it has any) with
 * the font size it is drawn at on the screen, in CSS px: the computed
 * font-size times the scale from user units to the screen (getScreenCTM
 * covers a viewBox and any transform), and its box height. */
function chartInspect() {
  const out = [];
  for (const t of document.querySelectorAll('svg text')) {
    const parts = t.querySelectorAll('tspan').length ? [...t.querySelectorAll('tspan')] : [t];
    const svg = t.closest('svg');
    const chart = svg.getBoundingClientRect();
    for (const p of parts) {
      const r = p.getBoundingClientRect();
      if (!r.width || !r.height || getComputedStyle(p).visibility === 'hidden') continue;
      const m = p.getScreenCTM();
      const scale = m ? Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)) : 1;
      const vb = svg.viewBox && svg.viewBox.baseVal;
      const vbScale = vb && vb.width ? chart.width / vb.width : 1;
      out.push({
        text: p.textContent.trim().slice(0, 40),
        chart: svg.id || svg.getAttribute('aria-labelledby') || svg.getAttribute('class') || 'svg',
        fontPx: Math.round(parseFloat(getComputedStyle(p).fontSize) * scale * 100) / 100,
        vbScale: Math.round(vbScale * 1000) / 1000,
        height: Math.round(r.height * 100) / 100,
        right: r.right,
        limit: chart.right + 1,
      });
    }
  }
  return out;
}

/** Chart labels at least 12 CSS px on the screen and inside their chart.
 * `required`: the page must have chart texts (the statistics pages). */
async function chartChecks(page, label, required) {
  const texts = await page.evaluate(chartInspect);
  if (!texts.length) {
    if (required) fail(`${label}: chart labels at least 12 px`, 'no rendered SVG <text> on a statistics page');
    return;
  }
  const smallest = texts.reduce((a, b) => (b.fontPx < a.fontPx ? b : a));
  const lowest = texts.reduce((a, b) => (b.height < a.height ? b : a));
  const small = texts.filter((x) => x.fontPx < 12);
  check(
    `${label}: ${texts.length} chart labels at least 12 px`,
    small.length === 0,
    `${small.length} under 12 px, smallest ${smallest.fontPx} px “${smallest.text}” in ${smallest.chart}; ${JSON.stringify(small.slice(0, 3))}`,
    `smallest ${smallest.fontPx} px “${smallest.text}”, lowest box ${lowest.height} px`,
  );
  const cut = texts.filter((x) => x.right > x.limit);
  check(
    `${label}: chart labels inside their chart`,
    cut.length === 0,
    `${cut.length} run past the chart's right edge: ${cut.slice(0, 3).map((x) => `“${x.text}” ${Math.round(x.right)} > ${Math.round(x.limit)}`).join(', ')}`,
  );
}

async function gotoChecked(page, label, url, expectStatus) {
  const want = [].concat(expectStatus);
  let resp;
  try {
    resp = await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT });
  } catch (e) {
    fail(`${label}: loads`, e.message);
    return null;
  }
  const status = resp ? resp.status() : 0;
  check(`${label}: HTTP ${want.join(' or ')}`, want.includes(status), `got ${status} for ${url}`, want.length > 1 ? String(status) : '');
  return resp;
}

/** Lets the page finish what it does after `load`: the search client's
 * results (spec.waitFor) and web fonts. */
async function settle(page, spec) {
  if (spec.waitFor) await page.waitForSelector(spec.waitFor, { timeout: 10_000 }).catch(() => {});
  await page.evaluate(() => document.fonts && document.fonts.ready).catch(() => {});
}

function problemsCheck(label, problems, allow404) {
  const bad = unexpected(problems, allow404);
  check(
    `${label}: no console errors or failed requests`,
    bad.length === 0,
    bad.map((p) => `${p.kind}: ${p.text}`).join(' | '),
  );
}

// ---------------------------------------------------------------- test groups

async function testPage(browser, origin, spec, vp) {
  const label = `${spec.name}@${vp.width}`;
  const url = origin + spec.path;
  const { page, problems } = await openPage(browser, vp);
  try {
    if (spec.redirectTo) return await testRedirect(page, problems, label, url, origin + spec.redirectTo, spec, vp);
    const resp = await gotoChecked(page, label, url, spec.status || 200);
    if (!resp) return;
    await settle(page, spec);
    const info = await page.evaluate(inspect, vp.width);
    await genericChecks(label, info, origin);
    await chartChecks(page, label, spec.charts);
    if (spec.extra) await spec.extra(page, label, info, origin, vp);
    const shot = await screenshot(page, spec.name, vp.width);
    pass(`${label}: screenshot`, shot);
    problemsCheck(label, problems, [].concat(spec.status || 200).includes(404) ? url : null);
  } catch (e) {
    fail(`${label}: unexpected error`, e.stack || e.message);
  } finally {
    await page.close().catch(() => {});
  }
}

async function testRedirect(page, problems, label, url, target, spec, vp) {
  // The redirect page itself, as served.
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT) });
  const html = await res.text();
  if (spec.oldForm) {
    check(`${label}: HTTP 404 (the 404 page answers)`, res.status === 404, `got ${res.status}`);
    check(`${label}: the 404 page carries the forward`, /dienhinh-old-address/.test(html), 'no forward script');
  } else {
    check(`${label}: HTTP 200`, res.status === 200, `got ${res.status}`);
    check(`${label}: <html lang="vi">`, /<html[^>]*\slang=["']?vi["'\s>]/i.test(html), 'no lang="vi" on <html>');
    const title = (html.match(/<title>([\s\S]*?)<\/title>/i) || [])[1] || '';
    check(`${label}: non-empty <title>`, title.trim().length > 0, 'empty or missing <title>', JSON.stringify(title.trim()));
    check(`${label}: has a meta refresh`, /http-equiv=["']?refresh/i.test(html), 'no <meta http-equiv="refresh">');
  }
  // In the browser: it must end on the model page.
  const arrived = new Promise((resolve) => {
    page.on('framenavigated', (f) => { if (f === page.mainFrame() && f.url() === target) resolve(true); });
  });
  try {
    await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT });
    await withTimeout(arrived, NAV_TIMEOUT, 'meta refresh');
    await page.waitForFunction(
      (t) => location.href === t && document.readyState === 'complete',
      { timeout: NAV_TIMEOUT },
      target,
    );
    pass(`${label}: the forward ends on the model page`, page.url());
    const h1 = await page.$eval('h1', (h) => h.innerText).catch(() => '');
    check(`${label}: landed page shows the model`, h1.includes(MODEL_TITLE), `h1 is ${JSON.stringify(h1)}`);
    const shot = await screenshot(page, spec.name, vp.width);
    pass(`${label}: screenshot`, shot);
  } catch (e) {
    fail(`${label}: the forward ends on the model page`, `${e.message}; now at ${page.url()}`);
  }
  problemsCheck(label, problems, spec.oldForm ? url : null);
}

/** The page at a short link: the model's page, naming its own address
 * as canonical, so search engines and shares keep one address. */
/** A list's later page (src/core/paging.rs): its documents as rows
 * numbered on from the first page's cards, each a link that is easy to tap
 * and to read, no card. */
async function rowsExtra(page, label, info, origin, vp) {
  const rows = await page.$$eval('ol.rows > li', (lis) => lis.map((li) => {
    const a = li.querySelector('a');
    const r = a ? a.getBoundingClientRect() : null;
    const facts = li.querySelector('.badges');
    return {
      href: a ? a.getAttribute('href') : null,
      text: a ? a.textContent.trim() : '',
      height: r ? r.height : 0,
      right: r ? r.right : 0,
      fontPx: a ? parseFloat(getComputedStyle(a).fontSize) : 0,
      facts: facts ? facts.textContent.trim() : '',
    };
  }));
  const start = await page.$eval('ol.rows', (ol) => ol.start).catch(() => 0);
  const cards = await page.$$eval('article.card', (c) => c.length);
  const first = await page.$$eval('.cards article.card', (c) => c.length).catch(() => 0);
  check(`${label}: documents as numbered rows, no cards`, rows.length > 0 && cards === 0 && first === 0,
    `${rows.length} rows, ${cards} cards`, `${rows.length} rows`);
  check(`${label}: rows number on from the first page (start=21)`, start === 21, `ol start is ${start}`);
  const bad = rows.filter((r) => !r.href || !r.text || r.height < 24 || r.right > vp.width || r.fontPx < 14 || !r.facts);
  check(`${label}: every row a link at least 24 px tall, 14 px text, within the page, with its facts`, bad.length === 0,
    JSON.stringify(bad.slice(0, 3)));
}

async function shortLinkExtra(page, label, info) {
  await modelExtra(page, label, info);
  const canonical = await page.$eval('link[rel=canonical]', (l) => l.href).catch(() => '');
  check(`${label}: canonical is the model's address`, canonical !== '' && new URL(canonical).pathname === MODEL_PATH, `canonical is ${JSON.stringify(canonical)}`);
  check(`${label}: no refresh`, !(await page.$('meta[http-equiv=refresh]')), 'a meta refresh on the page');
}

async function modelExtra(page, label, info) {
  check(
    `${label}: h1 is the model title`,
    info.h1Text.some((t) => t.includes(MODEL_TITLE)),
    `h1 is ${JSON.stringify(info.h1Text)}`,
  );
  const blocks = await page.$$eval('script[type="application/ld+json"]', (s) => s.map((x) => x.textContent));
  let ok = false;
  let why = 'no script[type="application/ld+json"]';
  for (const b of blocks) {
    try {
      const j = JSON.parse(b);
      const items = Array.isArray(j) ? j : [j];
      if (items.some((x) => x && typeof x === 'object' && x['@type'])) { ok = true; break; }
      why = 'JSON-LD has no "@type"';
    } catch (e) {
      why = `JSON-LD does not parse: ${e.message}`;
    }
  }
  check(`${label}: JSON-LD parses and has @type`, ok, why);
  await shareChecks(page, label);
}

/** The share block: the short link in a field (there without a script),
 * the copy button that copies it, the Facebook link to the page itself. */
async function shareChecks(page, label) {
  const share = await page.evaluate(() => ({
    field: document.getElementById('short-link-field')?.value || '',
    readonly: document.getElementById('short-link-field')?.readOnly,
    copyShown: !!document.querySelector('.copy-link') && !document.querySelector('.copy-link').hidden,
    facebook: document.querySelector('.share-facebook')?.href || '',
    canonical: document.querySelector('link[rel=canonical]')?.href || '',
  }));
  check(`${label}: share field holds the short link`, /\/m\/[^/]+$/.test(share.field) && share.readonly, JSON.stringify(share), share.field);
  const fb = (() => { try { return new URL(share.facebook); } catch { return null; } })();
  check(
    `${label}: Facebook share link names the page's own address`,
    fb && fb.origin === 'https://www.facebook.com' && fb.searchParams.get('u') === share.canonical,
    share.facebook,
  );
  if (!check(`${label}: copy button shown where the browser can copy`, share.copyShown, 'the button stayed hidden')) return;
  await page.browserContext().overridePermissions(new URL(page.url()).origin, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
  await page.click('.copy-link');
  const copied = await page.evaluate(() => navigator.clipboard.readText()).catch((e) => `error: ${e.message}`);
  const button = await page.$eval('.copy-link', (b) => b.textContent.trim());
  check(`${label}: copy puts the short link on the clipboard`, copied === share.field && button === 'Đã sao chép', `clipboard ${JSON.stringify(copied)}, button ${JSON.stringify(button)}`);
}

async function ceremonyExtra(page, label, info, origin) {
  // Links to model pages inside the honorees table.
  const hrefs = await page.$$eval('main table a[href]', (as) => as.map((a) => a.href));
  const modelLinks = hrefs.filter((h) => {
    try { const u = new URL(h); return u.origin === origin && /^\/mo-hinh\/[^/]+\/$/.test(u.pathname); } catch { return false; }
  });
  if (!check(`${label}: honorees table links to a model page`, modelLinks.length > 0, `table links: ${JSON.stringify(hrefs)}`, `${modelLinks.length} links`)) return;
  const target = modelLinks[0];
  const handle = await page.$(`main table a[href="${new URL(target).pathname}"], main table a[href="${target}"]`);
  try {
    const [resp] = await Promise.all([
      page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }),
      handle.click(),
    ]);
    const h1 = await page.$eval('h1', (h) => h.innerText).catch(() => '');
    check(
      `${label}: following the honoree link lands on a 200 page`,
      resp && resp.status() === 200 && page.url() === target && h1.length > 0,
      `status ${resp && resp.status()}, url ${page.url()}, h1 ${JSON.stringify(h1)}`,
      `${new URL(target).pathname}`,
    );
    await page.goBack({ waitUntil: 'load', timeout: NAV_TIMEOUT });
  } catch (e) {
    fail(`${label}: following the honoree link lands on a 200 page`, e.message);
  }
}

/** Text of each page of a PDF file, by `pdftotext` (poppler-utils). */
function pdfPages(file) {
  return new Promise((resolve, reject) => {
    execFile('pdftotext', ['-layout', file, '-'], { maxBuffer: 16 << 20 }, (err, stdout) => {
      if (err) reject(new Error(`pdftotext: ${err.message} (apt-get install -y poppler-utils)`));
      else resolve(stdout.split('\f').filter((p, i, all) => i < all.length - 1 || p.trim()));
    });
  });
}

/** Prints the fullest model page (the largest) and the sample model to A4
 * and reads the PDF's text page by page: the short link is on the page
 * where the body ends, whole on one line, the QR beside it; the printout
 * names the site, the agency and the build day. */
async function testPrint(browser, origin, out) {
  const fullest = biggestPageUnder(out, 'mo-hinh');
  for (const [name, pathname] of [['model', MODEL_PATH], ['fullest model', fullest]]) {
    const label = `${name}@print`;
    const { page, problems } = await openPage(browser, { width: 1280, height: 900, deviceScaleFactor: 1 });
    try {
      if (!(await gotoChecked(page, label, origin + pathname, 200))) continue;
      const facts = await page.evaluate(() => ({
        short: document.querySelector('.short-link-print a')?.textContent.trim() || '',
        lastBody: (() => {
          // The body's last line as laid out: the last words of its last block.
          const blocks = [...document.querySelectorAll('.prose p, .prose li, .prose td')];
          return blocks.pop()?.innerText.trim() || '';
        })(),
        site: document.querySelector('.print-head strong')?.textContent.trim() || '',
        org: document.querySelector('.brand-org')?.textContent.trim() || '',
        built: document.querySelector('.print-foot time')?.textContent.trim() || '',
      }));
      const pdf = Buffer.from(await page.pdf({ format: 'A4', printBackground: false, timeout: NAV_TIMEOUT }));
      const file = path.join(ARTIFACTS, `${name.replace(' ', '-')}-print.pdf`);
      await fsp.writeFile(file, pdf);
      const isPdf = pdf.subarray(0, 5).toString('latin1') === '%PDF-';
      check(`${label}: page.pdf produces a PDF`, isPdf, `starts with ${JSON.stringify(pdf.subarray(0, 8).toString('latin1'))}`, `${pdf.length} bytes, ${path.relative(REPO, file)} (${pathname})`);
      if (!fs.existsSync('/usr/bin/pdftotext') && !process.env.DIENHINH_REQUIRE_PDFTOTEXT) {
        console.log(`note: ${label}: PDF text checks skipped: pdftotext not installed (apt-get install -y poppler-utils; .ci/run requires it)`);
        continue;
      }
      const pages = await pdfPages(file);
      check(`${label}: at most 3 A4 pages`, pages.length >= 1 && pages.length <= 3, `${pages.length} pages`, `${pages.length} page(s)`);
      const squash = (t) => t.replace(/\s+/g, ' ');
      const onPage = (text) => pages.findIndex((p) => squash(p).includes(squash(text)));
      const shortPage = onPage(facts.short);
      check(`${label}: the short link is printed whole on one line`, facts.short && shortPage >= 0, `"${facts.short}" not found in the PDF text`, facts.short);
      const bodyTail = facts.lastBody.split(/\s+/).slice(-4).join(' ');
      const bodyPage = pages.map((p) => squash(p).lastIndexOf(squash(bodyTail))).findLastIndex((i) => i >= 0);
      check(
        `${label}: the short link is on the same PDF page as the last line of the body`,
        bodyTail && shortPage >= 0 && bodyPage === shortPage,
        `short link on page ${shortPage + 1}, body's end "${bodyTail}" on page ${bodyPage + 1}`,
        `page ${shortPage + 1}`,
      );
      // In print layout the QR sits left of the link, level with it.
      await page.emulateMediaType('print');
      const qrBeside = await page.evaluate(() => {
        const qr = document.querySelector('.qr-box');
        const link = document.querySelector('.short-link-print');
        if (!qr || !link) return 'no QR or link block';
        const a = qr.getBoundingClientRect();
        const b = link.getBoundingClientRect();
        if (a.width === 0 || b.width === 0) return `QR ${a.width} wide, link ${b.width} wide`;
        return a.right <= b.left && a.top < b.bottom && b.top < a.bottom ? '' : `QR at ${Math.round(a.left)}..${Math.round(a.right)}×${Math.round(a.top)}..${Math.round(a.bottom)}, link at ${Math.round(b.left)}..${Math.round(b.right)}×${Math.round(b.top)}..${Math.round(b.bottom)}`;
      });
      // Chromium draws the printed QR code at its printed size (32 mm, at
      // 96 and 300 dpi); a scanner reads the short link back from it.
      const scans = [];
      for (const dpi of [96, 300]) {
        const px = await page.evaluate(async (dpi) => {
          const svg = document.querySelector('svg.qr');
          if (!svg) return null;
          const side = Math.round((32 / 25.4) * dpi);
          const img = new Image();
          img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
          await img.decode();
          const canvas = document.createElement('canvas');
          canvas.width = canvas.height = side + 16;
          const g = canvas.getContext('2d');
          g.fillStyle = '#fff';
          g.fillRect(0, 0, canvas.width, canvas.height);
          g.drawImage(img, 8, 8, side, side);
          return { side: canvas.width, data: Array.from(g.getImageData(0, 0, canvas.width, canvas.height).data) };
        }, dpi);
        const read = px && jsQR(Uint8ClampedArray.from(px.data), px.side, px.side);
        scans.push(`${dpi} dpi: ${read ? read.data : 'unreadable'}`);
        check(`${label}: the printed QR code scans as the short link at ${dpi} dpi`, !!read && read.data === facts.short, scans.at(-1), facts.short);
      }
      await page.emulateMediaType(null);
      check(`${label}: the QR code is printed beside the link`, qrBeside === '', qrBeside);
      const all = squash(pages.join(' '));
      for (const [what, text] of [['site title', facts.site], ['agency', facts.org], ['build day', facts.built]]) {
        check(`${label}: the printout names the ${what}`, text && all.includes(squash(text)), `"${text}" not in the PDF text`, text);
      }
      problemsCheck(label, problems, null);
    } catch (e) {
      fail(`${label}: unexpected error`, e.stack || e.message);
    } finally {
      await page.close().catch(() => {});
    }
  }
}

/** An agency with a long name and a long site title: the phone header
 * still fits in 120 px (the title is cut after two lines, the agency's
 * line after one), and nothing scrolls sideways. */
async function testLongIdentity(browser, tmp) {
  const label = 'long identity';
  const src = path.join(tmp, 'long-src');
  const out = path.join(tmp, 'long-out');
  await fsp.mkdir(path.join(src, 'content', 'mo-hinh'), { recursive: true });
  await fsp.mkdir(path.join(src, 'static'), { recursive: true });
  await fsp.copyFile(path.join(SITE_SRC, 'static', 'logo.svg'), path.join(src, 'static', 'logo.svg'));
  await fsp.writeFile(path.join(src, 'site.yaml'), [
    'title: "Cơ sở dữ liệu mô hình, điển hình “Dân vận khéo” và các buổi tuyên dương, khen thưởng tỉnh Thừa Thiên Huế"',
    'organization:',
    '  name: "Ban Dân vận Tỉnh ủy Thừa Thiên Huế và Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"',
    'logo: logo.svg',
    '',
  ].join('\n'));
  await fsp.writeFile(path.join(src, 'content', 'mo-hinh', 'x.md'), '---\ntitle: "Hũ gạo tình thương"\nfield: kinh-te\nkind: tap-the\n---\nNội dung.\n');
  const server = await startServer();
  try {
    try {
      await build(src, out, server.origin);
    } catch (e) {
      fail(`${label}: site builds`, e.message);
      return;
    }
    server.setRoot(out);
    for (const width of [320, 375]) {
      const { page } = await openPage(browser, layoutViewport(width));
      try {
        await page.goto(`${server.origin}/`, { waitUntil: 'load', timeout: NAV_TIMEOUT });
        const info = await page.evaluate(inspect, width);
        overflowCheck(`${label}@${width}`, info);
        check(`${label}@${width}: the header is measured`, info.headerHeight > 0, 'no .site-header');
      } finally {
        await page.close().catch(() => {});
      }
    }
  } catch (e) {
    fail(`${label}: unexpected error`, e.stack || e.message);
  } finally {
    await server.close();
  }
}

const HOSTILE_TITLE = '<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>';

async function testEscaping(browser, tmp) {
  const label = 'escaping';
  const src = path.join(tmp, 'fixture-src');
  const out = path.join(tmp, 'fixture-out');
  await fsp.mkdir(path.join(src, 'content', 'mo-hinh'), { recursive: true });
  await fsp.writeFile(path.join(src, 'site.yaml'), '');
  await fsp.writeFile(
    path.join(src, 'content', 'mo-hinh', 'x.md'),
    [
      '---',
      `title: ${JSON.stringify(HOSTILE_TITLE)}`,
      'field: kinh-te',
      'kind: tap-the',
      '---',
      'Nội dung thử.',
      '',
      '<script>window.__pwned=3</script>',
      '',
    ].join('\n'),
  );
  const server = await startServer();
  try {
    try {
      await build(src, out, server.origin);
      pass(`${label}: fixture site builds`);
    } catch (e) {
      fail(`${label}: fixture site builds`, e.message);
      return;
    }
    server.setRoot(out);
    const { page, problems } = await openPage(browser, VIEWPORTS[1]);
    try {
      if (!(await gotoChecked(page, label, `${server.origin}/mo-hinh/x/`, 200))) return;
      const r = await page.evaluate(() => {
        const h1 = document.querySelector('h1');
        const box = h1 && h1.getBoundingClientRect();
        return {
          pwned: typeof window.__pwned === 'undefined' ? 'undefined' : String(window.__pwned),
          h1: h1 ? h1.innerText.trim() : null,
          visible: !!(box && box.width > 0 && box.height > 0 && getComputedStyle(h1).visibility !== 'hidden'),
          scriptsInBody: document.body.querySelectorAll('script').length,
        };
      });
      check(`${label}: no injected script ran`, r.pwned === 'undefined', `window.__pwned = ${r.pwned}`);
      check(`${label}: hostile title shown literally in the h1`, r.h1 === HOSTILE_TITLE && r.visible, `h1 is ${JSON.stringify(r.h1)}, visible ${r.visible}`);
      check(`${label}: no <script> element in the body`, r.scriptsInBody === 0, `${r.scriptsInBody} script elements`);
      const shot = await screenshot(page, 'escaping', 1280);
      pass(`${label}: screenshot`, shot);
      problemsCheck(label, problems, null);
    } finally {
      await page.close().catch(() => {});
    }
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------- search (issue 3)
//
// The header form leads to /tim-kiem/?q=; the page answers from the static
// index as you type, narrows by facet, keeps query and filters in the URL,
// moves through results with the arrow keys and says so when nothing matches.

const SEARCH_PATH = '/tim-kiem/';

/** Titles of the results shown, in order. */
function searchTitles(page) {
  return page.$$eval('#search-results .search-hit h2', (hs) => hs.map((h) => h.textContent.trim()));
}

/** Waits until the status line settles on text `pred` accepts; returns it. */
async function searchStatus(page, pred, what) {
  try {
    await page.waitForFunction(
      (src) => {
        const s = document.querySelector('#search-status');
        return s && s.textContent.trim() && new Function('t', `return (${src})(t)`)(s.textContent.trim());
      },
      { timeout: 10_000 },
      pred.toString(),
    );
  } catch {
    // fall through: the caller's check reports what the status says
  }
  return page.$eval('#search-status', (s) => s.textContent.trim()).catch(() => `(${what}: no status)`);
}

async function testSearch(browser, origin) {
  const label = 'search';
  const { page, problems } = await openPage(browser, VIEWPORTS[1]);
  try {
    if (!(await gotoChecked(page, `${label}: home`, origin + '/', 200))) return;
    await page.type('#site-search-q', 'banh mi');
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }),
      page.keyboard.press('Enter'),
    ]);
    const url = new URL(page.url());
    check(`${label}: header form leads to ${SEARCH_PATH}?q=`, url.pathname === SEARCH_PATH && url.searchParams.get('q') === 'banh mi', `landed on ${page.url()}`);
    await page.waitForSelector('#search-results .search-hit', { timeout: 10_000 }).catch(() => {});
    let titles = await searchTitles(page);
    check(`${label}: "banh mi" (no diacritics) finds ${MODEL_TITLE} first`, titles[0] === MODEL_TITLE, `results: ${JSON.stringify(titles.slice(0, 5))}`, `${titles.length} results`);
    const marked = await page.$$eval('#search-results .search-hit:first-child mark', (ms) => ms.map((m) => m.textContent));
    check(`${label}: matched words highlighted`, marked.some((m) => /bánh/i.test(m)) && marked.some((m) => /mì/i.test(m)), `marks: ${JSON.stringify(marked)}`);
    const value = await page.$eval('#search-q', (i) => i.value);
    check(`${label}: page box holds the query`, value === 'banh mi', `value ${JSON.stringify(value)}`);
    const live = await page.$eval('#search-status', (s) => s.getAttribute('aria-live'));
    check(`${label}: status announced politely`, live === 'polite', `aria-live=${live}`);

    // Results update as you type, in the page's own box.
    const before = await searchStatus(page, (t) => /\d/.test(t), 'before typing');
    await page.click('#search-q', { clickCount: 3 });
    await page.keyboard.press('Backspace');
    await page.type('#search-q', 'dân vận', { delay: 40 });
    const typed = await searchStatus(page, (t) => t.includes('dân vận'), 'after typing');
    titles = await searchTitles(page);
    check(`${label}: results update as you type`, typed.includes('dân vận') && typed !== before && titles.length > 0, `status ${JSON.stringify(typed)} (before: ${JSON.stringify(before)}), ${titles.length} results`, typed);
    check(`${label}: URL keeps the typed query`, new URL(page.url()).searchParams.get('q') === 'dân vận', page.url());

    // Prefix: the last, unfinished word matches as a prefix.
    await page.click('#search-q', { clickCount: 3 });
    await page.type('#search-q', 'banh m', { delay: 30 });
    await searchStatus(page, (t) => t.includes('banh m'), 'prefix');
    titles = await searchTitles(page);
    check(`${label}: unfinished word "banh m" matches as a prefix`, titles[0] === MODEL_TITLE, `results: ${JSON.stringify(titles.slice(0, 3))}`);

    // A key pressed while no search runs searches at once (the search
    // starts by putting the query in the URL, before any await); keys
    // pressed while one runs wait for a pause, and the last text is searched.
    const keyed = await page.evaluate(() => {
      const input = document.querySelector('#search-q');
      const key = (v) => {
        input.value = v;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        return new URL(location.href).searchParams.get('q');
      };
      return [key('hội'), key('hội ph'), key('hội phụ nữ')];
    });
    await searchStatus(page, (t) => t.includes('hội phụ nữ'), 'keys together');
    check(`${label}: a key searches at once when no search runs, keys during one search together`,
      keyed[0] === 'hội' && keyed[1] === 'hội' && keyed[2] === 'hội' && new URL(page.url()).searchParams.get('q') === 'hội phụ nữ',
      `URL query after each key: ${JSON.stringify(keyed)}, then ${page.url()}`);

    // A facet filter narrows the list and stays in the URL.
    await page.click('#search-q', { clickCount: 3 });
    await page.type('#search-q', 'dân vận');
    await searchStatus(page, (t) => t.includes('dân vận'), 'before filter');
    const all = (await searchTitles(page)).length;
    const allCount = await page.$eval('#search-status', (s) => s.textContent);
    const facet = await page.$$eval('#search-facets button[data-facet="field"]', (bs) =>
      bs.map((b) => ({ value: b.dataset.value, n: Number((b.querySelector('.count')?.textContent || '').replace(/\D/g, '')) })));
    const pick = facet.filter((f) => f.n > 0).sort((a, b) => a.n - b.n)[0];
    if (check(`${label}: field facet offered with counts`, !!pick, `field buttons: ${JSON.stringify(facet)}`, pick ? `${pick.value} (${pick.n})` : '')) {
      await page.click(`#search-facets button[data-facet="field"][data-value="${pick.value}"]`);
      await page.waitForFunction((n) => document.querySelectorAll('#search-results .search-hit').length === n, { timeout: 10_000 }, Math.min(pick.n, 20)).catch(() => {});
      const narrowed = (await searchTitles(page)).length;
      const status = await page.$eval('#search-status', (s) => s.textContent);
      check(`${label}: facet narrows the list`, narrowed === Math.min(pick.n, 20) && (narrowed < all || status !== allCount), `${all} → ${narrowed} results (facet said ${pick.n}); status ${JSON.stringify(status)}`, `${all} → ${narrowed}`);
      const u = new URL(page.url());
      check(`${label}: URL keeps query and filter`, u.searchParams.get('q') === 'dân vận' && u.searchParams.get('field') === pick.value, page.url());
      const pressed = await page.$eval(`#search-facets button[data-facet="field"][data-value="${pick.value}"]`, (b) => b.getAttribute('aria-pressed')).catch(() => null);
      check(`${label}: active filter marked pressed`, pressed === 'true', `aria-pressed=${pressed}`);
      // The shared link restores the same search.
      const shared = page.url();
      const other = await browser.newPage();
      try {
        await other.goto(shared, { waitUntil: 'load' });
        await other.waitForSelector('#search-results .search-hit', { timeout: 10_000 }).catch(() => {});
        const again = (await searchTitles(other)).length;
        check(`${label}: shared link restores the filtered search`, again === narrowed, `${again} results vs ${narrowed}`);
      } finally {
        await other.close().catch(() => {});
      }
      await page.click(`#search-facets button[data-facet="field"][data-value="${pick.value}"]`);
      await page.waitForFunction(() => !new URL(location.href).searchParams.has('field'), { timeout: 10_000 }).catch(() => {});
    }

    // A first page, then more.
    await page.waitForFunction(() => document.querySelectorAll('#search-results .search-hit').length === 10, { timeout: 10_000 }).catch(() => {});
    const more = await page.$('#search-more .search-more');
    if (check(`${label}: a first page of 10 with a "more results" button`, !!more && (await searchTitles(page)).length === 10, `more button ${!!more}, ${(await searchTitles(page)).length} results`)) {
      await more.click();
      await page.waitForFunction(() => document.querySelectorAll('#search-results .search-hit').length === 20, { timeout: 10_000 }).catch(() => {});
      const focused = await page.evaluate(() => document.activeElement?.closest('.search-hit') === document.querySelectorAll('#search-results .search-hit')[10]);
      check(`${label}: "more results" shows the next 10 and focuses the first of them`, (await searchTitles(page)).length === 20 && focused, `${(await searchTitles(page)).length} results, focus on the 11th: ${focused}`);
    }

    // Keyboard: arrows move through results, Enter opens, Escape clears.
    await page.focus('#search-q');
    await page.keyboard.press('ArrowDown');
    const first = await page.evaluate(() => ({ active: document.activeElement?.closest('.search-hit') === document.querySelector('#search-results .search-hit'), tag: document.activeElement?.tagName }));
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => document.activeElement?.closest('.search-hit') === document.querySelectorAll('#search-results .search-hit')[1]);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    const backToBox = await page.evaluate(() => document.activeElement?.id === 'search-q');
    check(`${label}: arrow keys move through results and back to the box`, first.active && second && backToBox, `first ${JSON.stringify(first)}, second ${second}, back ${backToBox}`);
    await page.keyboard.press('ArrowDown');
    const href = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }).catch(() => {}),
      page.keyboard.press('Enter'),
    ]);
    check(`${label}: Enter opens the result`, !!href && new URL(page.url()).pathname === new URL(href, origin).pathname, `href ${href}, now at ${page.url()}`);
    await page.goBack({ waitUntil: 'load' }).catch(() => {});
    await page.waitForSelector('#search-results .search-hit', { timeout: 10_000 }).catch(() => {});
    await page.focus('#search-q');
    await page.keyboard.press('Escape');
    const cleared = await page.evaluate(() => ({ value: document.querySelector('#search-q').value, hits: document.querySelectorAll('#search-results .search-hit').length, q: new URL(location.href).searchParams.get('q') }));
    check(`${label}: Escape clears the query and the results`, cleared.value === '' && cleared.hits === 0 && cleared.q === null, JSON.stringify(cleared));

    // The award and awarding-body facets (several values a ceremony), named
    // in the site's language.
    await page.type('#search-q', 'giấy khen');
    await searchStatus(page, (t) => t.includes('giấy khen'), 'award facets');
    await page.waitForSelector('#search-facets button[data-facet="award"]', { timeout: 10_000 }).catch(() => {});
    const groups = await page.$$eval('#search-facets fieldset', (fs) => fs.map((f) => ({
      legend: f.querySelector('legend')?.textContent.trim(),
      values: Array.from(f.querySelectorAll('button')).map((b) => `${b.dataset.facet}=${b.dataset.value}`),
    })));
    const awardGroup = groups.find((g) => g.values.includes('award=giay-khen'));
    const bodyGroup = groups.find((g) => g.values.includes('body=ubnd-quan-binh-tan'));
    check(`${label}: award and awarding-body facets, labelled`, awardGroup?.legend === 'Hình thức khen thưởng' && bodyGroup?.legend === 'Cơ quan khen thưởng', JSON.stringify(groups));
    await page.focus('#search-q');
    await page.keyboard.press('Escape');

    // An honest "no results" state.
    await page.type('#search-q', 'xqzvw khongco');
    const none = await searchStatus(page, (t) => t.includes('xqzvw'), 'no results');
    const empty = await page.evaluate(() => ({ hits: document.querySelectorAll('#search-results .search-hit').length, box: document.querySelector('.search-empty')?.textContent.trim() || '' }));
    check(`${label}: no-results state for a nonsense query`, empty.hits === 0 && empty.box.length > 0 && none.includes('xqzvw'), `status ${JSON.stringify(none)}, ${JSON.stringify(empty)}`, none);
    const shot = await screenshot(page, 'search', VIEWPORTS[1].width);
    pass(`${label}: screenshot`, shot);
    problemsCheck(label, problems, null);
  } catch (e) {
    fail(`${label}: unexpected error`, e.stack || e.message);
  } finally {
    await page.close().catch(() => {});
  }
}

/* The search page reads the index's bundles a member at a time with range
 * requests (src/search/bundle.rs); from a server that ignores ranges it
 * gets whole bundles and still finds the same results. */
async function testSearchRanges(browser, server) {
  const label = 'search by ranges';
  const url = `${server.origin}${SEARCH_PATH}?q=${encodeURIComponent('dân vận khéo')}`;
  const titlesFrom = async (ranges) => {
    server.setRanges(ranges);
    server.stats();
    // A context of its own: nothing cached from the other run.
    const context = await browser.createBrowserContext();
    try {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT });
      await page.waitForSelector('#search-results .search-hit', { timeout: 10_000 }).catch(() => {});
      return { titles: await searchTitles(page), stats: server.stats() };
    } finally {
      await context.close().catch(() => {});
      server.setRanges(true);
    }
  };
  try {
    const ranged = await titlesFrom(true);
    check(`${label}: members read with range requests`, ranged.titles.length > 0 && ranged.stats.partial > 0 && ranged.stats.ignored === 0, JSON.stringify(ranged));
    const whole = await titlesFrom(false);
    check(`${label}: a server without ranges gives the same results`, whole.stats.ignored > 0 && JSON.stringify(whole.titles) === JSON.stringify(ranged.titles), JSON.stringify({ ranged, whole }));
  } catch (e) {
    fail(`${label}: unexpected error`, e.stack || e.message);
  }
}

// Issue 20: a link with a typo or an unfinished last word finds what it
// meant and says how it read the query; a query typed with diacritics
// highlights only words written so; a query of punctuation fetches nothing;
// the page carries what the client needs to ask for shards first.
async function testSearchForgives(browser, origin) {
  const label = 'search forgives';
  const { page, problems } = await openPage(browser, VIEWPORTS[0]);
  const fetched = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/_search/')) fetched.push(u.pathname);
  });
  const open = async (q, what) => {
    fetched.length = 0;
    if (!(await gotoChecked(page, `${label}: ${what}`, `${origin}${SEARCH_PATH}?q=${encodeURIComponent(q)}`, 200))) return null;
    // The predicate runs in the page, as source: the query goes in as text.
    return searchStatus(page, `(t) => t.includes(${JSON.stringify(q)})`, what);
  };
  try {
    let status = await open('bnah mi', 'typo');
    let titles = await searchTitles(page);
    check(`${label}: a typo in a link finds its model`, titles[0] === 'Tủ bánh mì nghĩa tình', JSON.stringify(titles.slice(0, 3)));
    check(`${label}: the status says how the query was read`, /“bánh mi”/.test(status || '') && /bnah mi/.test(status || ''), JSON.stringify(status));
    await open('phu nu song x', 'unfinished');
    titles = await searchTitles(page);
    check(`${label}: an unfinished last word in a link is a prefix`, titles[0] === 'Phụ nữ sống xanh', JSON.stringify(titles.slice(0, 3)));
    await open('dân vận khéo', 'accents');
    // The page carries the manifest and the client: the first request is
    // for the index's own files.
    const carried = fetched.filter((f) => /manifest\.json$|search\.[0-9a-f]+\.js(\.bin)?$/.test(f));
    check(`${label}: the page carries the manifest and the client`, carried.length === 0 && fetched.some((f) => /\/s\.[0-9a-f]+(\.\d+)?\.bin$/.test(f)), JSON.stringify(fetched));
    const marks = await page.$$eval('#search-results mark', (ms) => ms.map((m) => m.textContent.toLowerCase().normalize('NFC')));
    const wrong = marks.filter((m) => ['van', 'vân', 'văn', 'vặn', 'vấn', 'dan', 'dẫn', 'dạn', 'kheo'].includes(m));
    check(`${label}: typed with diacritics, only those forms are marked`, marks.length > 0 && wrong.length === 0, `marked ${JSON.stringify(marks.slice(0, 12))}`);
    await open('khuyến tài', 'snippet');
    const snip = await page.$$eval('#search-results .search-hit', (hits) => hits.map((h) => ({
      title: h.querySelector('h2').textContent.trim(),
      marks: Array.from(h.querySelectorAll('p:last-child mark')).map((m) => m.textContent.toLowerCase()),
      text: h.querySelector('p:last-child').textContent,
    })));
    const hieuHoc = snip.find((x) => x.title.startsWith('Gia đình hiếu học'));
    check(`${label}: the result shows the passage around the match, marked`, !!hieuHoc && hieuHoc.marks.includes('tài') && hieuHoc.text.length <= 170, JSON.stringify(hieuHoc || snip.slice(0, 2)));
    await open('!!! ???', 'punctuation');
    await new Promise((r) => setTimeout(r, 300));
    const data = fetched.filter((f) => !/manifest\.json$|search\.[0-9a-f]+\.js(\.bin)?$/.test(f));
    check(`${label}: a query of punctuation fetches no index file`, data.length === 0, JSON.stringify(data));
    problemsCheck(label, problems, null);
  } catch (e) {
    fail(`${label}: unexpected error`, e.stack || e.message);
  } finally {
    await page.close().catch(() => {});
  }
}

// On a phone (375×812) the first result of a query with filters is on the
// first screen: the filters fold into one line above the results, saying
// which are on; on a wide screen they are open beside them. One search
// landmark per page.
async function testSearchOnAPhone(browser, origin) {
  const q = encodeURIComponent('dân vận');
  for (const vp of [{ width: 375, height: 812, deviceScaleFactor: 1, isMobile: true, hasTouch: true }, VIEWPORTS[1]]) {
    const label = `search@${vp.width}`;
    const { page, problems } = await openPage(browser, vp);
    try {
      if (!(await gotoChecked(page, label, `${origin}${SEARCH_PATH}?q=${q}`, 200))) continue;
      await page.waitForSelector('#search-results .search-hit', { timeout: 10_000 }).catch(() => {});
      await page.waitForSelector('#search-facets button', { timeout: 10_000 }).catch(() => {});
      const r = await page.evaluate(() => {
        const hit = document.querySelector('#search-results .search-hit');
        return {
          top: hit ? hit.getBoundingClientRect().top : null,
          open: document.querySelector('#search-filters')?.open,
          facets: document.querySelectorAll('#search-facets button').length,
          landmarks: document.querySelectorAll('[role="search"], search').length,
          chip: document.querySelector('#search-facets button')?.textContent || '',
        };
      });
      check(`${label}: one search landmark`, r.landmarks === 1, `${r.landmarks} search landmarks`);
      check(`${label}: chip label spaced from its count`, /\S \(\d+\+?\)$/.test(r.chip.replace(/\s+/g, ' ')), JSON.stringify(r.chip));
      if (vp.width < 600) {
        check(`${label}: first result above the fold`, r.top !== null && r.top < vp.height, `first result at ${r.top} px, screen ${vp.height} px`, `${Math.round(r.top)} px`);
        check(`${label}: filters folded`, r.open === false && r.facets > 0, JSON.stringify(r));
        const field = await page.$eval('#search-facets button[data-facet="field"]', (b) => b.dataset.value).catch(() => null);
        if (field) {
          await page.click('#search-filters > summary');
          await page.click(`#search-facets button[data-facet="field"][data-value="${field}"]`);
          await page.waitForFunction(() => /: ./.test(document.querySelector('#search-active')?.textContent || ''), { timeout: 10_000 }).catch(() => {});
          const active = await page.$eval('#search-active', (a) => a.textContent);
          check(`${label}: the folded filters name the active one`, /^: ./.test(active), JSON.stringify(active));
        }
      } else {
        check(`${label}: filters open beside the results`, r.open === true && r.facets > 0, JSON.stringify(r));
      }
      problemsCheck(label, problems, null);
    } catch (e) {
      fail(`${label}: unexpected error`, e.stack || e.message);
    } finally {
      await page.close().catch(() => {});
    }
  }
}

// ---------------------------------------------------------------- accessibility and validity (issue 7)
//
// Every page type is audited in Chromium by axe-core (no serious or critical
// violation, light and dark colour schemes) and its built file is checked by
// the Nu HTML validator (vnu.jar, needs Java): no errors.

const A11Y_PAGES = [
  { name: 'home', path: '/' },
  { name: 'model list', path: '/mo-hinh/' },
  { name: 'model', path: MODEL_PATH },
  { name: 'ceremony list', path: '/tuyen-duong/' },
  { name: 'ceremony', path: CEREMONY_PATH },
  { name: 'page', path: '/gioi-thieu/' },
  { name: '404', path: '/404.html' },
  { name: 'taxonomy index', path: '/linh-vuc/' },
  { name: 'term page', path: null, under: 'linh-vuc' },
  { name: 'place index', path: '/dia-ban/' },
  { name: 'place page', path: '/dia-ban/tp-ho-chi-minh/' },
  { name: 'statistics', path: '/thong-ke/' },
  { name: 'search', path: '/tim-kiem/' },
  { name: 'search results', path: '/tim-kiem/?q=b%C3%A1nh%20m%C3%AC', file: '/tim-kiem/', waitFor: '#search-results .search-hit' },
  { name: 'open data', path: '/du-lieu/' },
  { name: 'embed', path: null, under: 'nhung/linh-vuc' },
  { name: 'embeds index', path: '/nhung/' },
];

/** The first page found below `dir` of the built site (a term, an embed). */
function firstPageUnder(out, dir) {
  const walk = (rel) => {
    const abs = path.join(out, rel);
    if (!fs.existsSync(abs)) return null;
    const entries = fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.isDirectory() && fs.existsSync(path.join(abs, e.name, 'index.html'))) return `/${rel}/${e.name}/`;
    }
    for (const e of entries) {
      if (e.isDirectory()) { const found = walk(`${rel}/${e.name}`); if (found) return found; }
    }
    return null;
  };
  return walk(dir);
}

/** The pages one level below `dir` (`/dir/<name>/`), by name. */
function pagesUnder(out, dir) {
  const abs = path.join(out, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'trang' && fs.existsSync(path.join(abs, e.name, 'index.html')))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b))
    .map((n) => `/${dir}/${n}/`);
}

/** The page one level below `dir` with the biggest built file (the most
 * rows, the longest labels). */
function biggestPageUnder(out, dir) {
  const size = (p) => fs.statSync(builtFile(out, p)).size;
  return pagesUnder(out, dir).reduce((a, b) => (a && size(a) >= size(b) ? a : b), null);
}

/** The most deeply nested page below `dir`, not counting `trang/<n>`
 * pagination (the longest breadcrumb trail). */
function deepestPageUnder(out, dir) {
  let best = null;
  let bestDepth = 0;
  const walk = (rel, depth) => {
    for (const p of pagesUnder(out, rel)) {
      const name = p.slice(1, -1);
      if (depth > bestDepth) { best = p; bestDepth = depth; }
      walk(name, depth + 1);
    }
  };
  walk(dir, 1);
  return best;
}

/** The built file behind a site path (`/m/<id>` is `m/<id>.html`). */
function builtFile(out, sitePath) {
  const p = decodeURIComponent(sitePath.split('?')[0]);
  if (p.endsWith('/')) return path.join(out, `${p}index.html`);
  return path.join(out, path.extname(p) ? p : `${p}.html`);
}

async function axeAudit(browser, origin, spec, scheme, axeSource) {
  const label = `a11y ${spec.name} (${scheme})`;
  const { page } = await openPage(browser, VIEWPORTS[1]);
  try {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    const resp = await page.goto(origin + spec.path, { waitUntil: 'networkidle0' });
    if (!resp || resp.status() >= 400 && spec.name !== '404') {
      fail(label, `status ${resp && resp.status()}`);
      return;
    }
    if (spec.waitFor) await page.waitForSelector(spec.waitFor, { timeout: 10_000 });
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => window.axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const minor = result.violations.length - bad.length;
    check(label, bad.length === 0,
      bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`).join('\n    '),
      `no serious or critical violation${minor ? ` (${minor} minor/moderate)` : ''}`);
  } catch (e) {
    fail(`${label}: unexpected error`, e.stack || e.message);
  } finally {
    await page.close().catch(() => {});
  }
}

function runVnu(files) {
  const jar = path.join(HERE, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  return new Promise((resolve) => {
    execFile('java', ['-Xss8m', '-jar', jar, '--errors-only', '--format', 'json', ...files],
      { timeout: 300_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ err, out: stderr || stdout }));
  });
}

async function testAccessibility(browser, origin, out) {
  const axeSource = fs.readFileSync(path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  const specs = A11Y_PAGES.map((s) => (s.path ? s : { ...s, path: firstPageUnder(out, s.under) }));
  for (const s of specs) {
    if (!s.path) fail(`a11y ${s.name}`, `no page found under /${s.under}/`);
  }
  const found = specs.filter((s) => s.path);
  for (const spec of found) {
    for (const scheme of ['light', 'dark']) await axeAudit(browser, origin, spec, scheme, axeSource);
  }
  const files = [...new Set(found.map((s) => builtFile(out, s.file || s.path)))];
  const missing = files.filter((f) => !fs.existsSync(f));
  check('vnu: every audited page has a built file', missing.length === 0, missing.join(', '));
  const { err, out: report } = await runVnu(files.filter((f) => fs.existsSync(f)));
  let messages;
  try {
    messages = JSON.parse(report).messages;
  } catch {
    fail('vnu: validator runs', `${err ? err.message : ''}\n${String(report).slice(0, 2000)}`);
    return;
  }
  const errors = messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
  check(`vnu: ${files.length} built pages have no HTML errors`, errors.length === 0,
    errors.slice(0, 30).map((m) => `${path.relative(out, new URL(m.url).pathname)}:${m.lastLine}: ${m.message} [${(m.extract || '').trim().slice(0, 120)}]`).join('\n    '),
    `${files.length} files`);
  pass(`a11y: ${found.length} page types audited`, found.map((s) => s.path).join(' '));
}

// ---------------------------------------------------------------- main

// ---------------------------------------------------------------- dark scheme (issue 8)
//
// With `prefers-color-scheme: dark` emulated, pages turn dark; every visible
// text keeps AA contrast against the background it is drawn on (computed in
// the page, transparent layers walked up to an opaque one); chart bars take
// the accent colour; the QR code stays black on white. Screenshots:
// artifacts/dark-<page>-<width>.png.

/** In the page: colours as the browser computed them. */
function darkInspect() {
  const rgba = (s) => {
    const m = s.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let base = { r: 255, g: 255, b: 255, a: 1 };
    for (const c of layers.reverse()) base = over(c, base);
    return base;
  };
  const low = [];
  let texts = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (!r.width || !r.height || cs.visibility === 'hidden' || el.closest('.visually-hidden, [hidden]')) continue;
    if (r.right < 0 || r.bottom < 0) continue; // the off-screen skip link
    let fg = rgba(cs.color);
    const bg = background(el);
    const opacity = Number(cs.opacity);
    if (opacity < 1) fg = over({ ...fg, a: fg.a * opacity }, bg);
    else if (fg.a < 1) fg = over(fg, bg);
    texts++;
    const k = ratio(fg, bg);
    if (k < 4.5) low.push(`${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''} “${el.textContent.trim().slice(0, 30)}” ${k.toFixed(2)}:1`);
  }
  const body = rgba(getComputedStyle(document.body).backgroundColor);
  const box = document.querySelector('.chart-box');
  const bar = box && box.querySelector('rect[fill="currentColor"]');
  const accent = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim();
  const qr = document.querySelector('svg.qr');
  return {
    bodyLum: lum(body),
    texts,
    low: low.slice(0, 10),
    lowCount: low.length,
    bar: bar ? { color: getComputedStyle(bar).fill, accent, contrast: ratio(over({ ...rgba(getComputedStyle(bar).fill), a: 0.75 }, body), body) } : null,
    qr: qr ? { bg: qr.querySelector('rect')?.getAttribute('fill'), fg: qr.querySelector('path')?.getAttribute('stroke'), path: getComputedStyle(qr.querySelector('path')).stroke } : null,
  };
}

async function testDarkScheme(browser, origin) {
  const specs = [
    { name: 'home', path: '/' },
    { name: 'model', path: MODEL_PATH, qr: true },
    { name: 'stats', path: '/thong-ke/', chart: true },
  ];
  for (const spec of specs) {
    for (const vp of VIEWPORTS) {
      const label = `dark ${spec.name}@${vp.width}`;
      const { page, problems } = await openPage(browser, vp);
      try {
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
        if (!(await gotoChecked(page, label, origin + spec.path, 200))) continue;
        const d = await page.evaluate(darkInspect);
        check(`${label}: dark background`, d.bodyLum < 0.05, `body luminance ${d.bodyLum.toFixed(3)}`);
        check(`${label}: all ${d.texts} texts at least 4.5:1`, d.texts > 10 && d.lowCount === 0, `${d.lowCount} below: ${d.low.join(' | ')}`);
        // The header keeps the agency's red in the dark (it turned mustard).
        const header = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor);
        const [hr, hg, hb] = (header.match(/\d+/g) || []).map(Number);
        check(`${label}: header stays red`, hr > 2 * hg && hr > 2 * hb, header);
        if (spec.chart) {
          check(`${label}: chart bars in the accent colour, 3:1 on the background`,
            d.bar && d.bar.contrast >= 3, JSON.stringify(d.bar), d.bar ? `${d.bar.contrast.toFixed(2)}:1` : '');
          // Labels and counts as drawn: at least 12 px tall on the screen
          // and inside the chart (a label is wrapped, never cut).
          const texts = await page.evaluate(() => [...document.querySelectorAll('svg.chart text')].flatMap((t) => {
            const parts = t.querySelectorAll('tspan').length ? [...t.querySelectorAll('tspan')] : [t];
            const chart = t.closest('svg').getBoundingClientRect();
            return parts.map((p) => { const r = p.getBoundingClientRect(); return { text: p.textContent, height: r.height, right: r.right, limit: chart.right + 1 }; });
          }));
          const small = texts.filter((x) => x.height < 12);
          const cut = texts.filter((x) => x.right > x.limit);
          check(`${label}: ${texts.length} chart texts at least 12 px and inside the chart`,
            texts.length > 10 && small.length === 0 && cut.length === 0,
            JSON.stringify({ small: small.slice(0, 3), cut: cut.slice(0, 3) }));
        }
        if (spec.qr) {
          check(`${label}: QR code stays black on white`,
            d.qr && d.qr.bg === '#fff' && d.qr.fg === '#000' && d.qr.path === 'rgb(0, 0, 0)', JSON.stringify(d.qr));
        }
        const file = path.join(ARTIFACTS, `dark-${spec.name}-${vp.width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        pass(`${label}: screenshot`, path.relative(REPO, file));
        problemsCheck(label, problems, null);
      } catch (e) {
        fail(`${label}: unexpected error`, e.stack || e.message);
      } finally {
        await page.close().catch(() => {});
      }
    }
  }
}

// ---------------------------------------------------------------- every page type, every width, both schemes
//
// Each page type gets the full generic checks at 360 and 1280 px in the light
// scheme (testPage). testLayouts then loads every page type at 320, 360, 375
// and 1280 px in the light and the dark scheme (the two already covered
// skipped) and checks only what changes with the width and the scheme: no
// sideways scroll, and chart labels at least 12 CSS px (and inside their
// chart). One browser page per viewport, reused for every page type.
// Screenshots at 375 px: artifacts/<type>-375.png, artifacts/dark-<type>-375.png.

const LAYOUT_WIDTHS = [320, 360, 375, 1280];
const SHOT_WIDTH = 375;

function layoutViewport(width) {
  if (width >= 600) return { width, height: 900, deviceScaleFactor: 1 };
  return { width, height: width < 360 ? 568 : width < 375 ? 740 : 812, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
}

/** Every page type of the built site `out`, with a real URL each. `under`:
 * the first page below that folder; `biggest`: the one with the most
 * content; `deepest`: the most nested one. `optional` types the site may
 * not have are skipped with a note; a required one missing fails. */
function pageTypes(out, modelId) {
  const specs = [
    { name: 'home', path: '/' },
    { name: 'models', path: '/mo-hinh/' },
    { name: 'models-2', path: '/mo-hinh/trang/2', optional: true, extra: rowsExtra },
    { name: 'model', path: MODEL_PATH, extra: modelExtra },
    { name: 'ceremonies', path: '/tuyen-duong/' },
    { name: 'ceremony', path: CEREMONY_PATH, extra: ceremonyExtra },
    { name: 'page', path: '/gioi-thieu/' },
    { name: 'search-form', path: '/tim-kiem/', waitFor: '#search-q' },
    { name: 'search-results', path: '/tim-kiem/?q=banh+mi', waitFor: '#search-results .search-hit' },
    { name: 'stats', path: '/thong-ke/', charts: true },
    { name: 'stats-field', under: 'thong-ke/linh-vuc', charts: true },
    { name: 'stats-place', under: 'thong-ke/dia-ban', charts: true },
    { name: 'stats-place-big', biggest: 'thong-ke/dia-ban', charts: true, optional: true },
    { name: 'fields', path: '/linh-vuc/' },
    { name: 'field', under: 'linh-vuc' },
    { name: 'places', path: '/dia-ban/' },
    { name: 'place', under: 'dia-ban' },
    { name: 'place-deep', deepest: 'dia-ban', optional: true },
    { name: 'tags', path: '/tu-khoa/' },
    { name: 'tag', under: 'tu-khoa' },
    { name: 'levels', path: '/cap/' },
    { name: 'level', under: 'cap' },
    { name: 'years', path: '/nam/', optional: true },
    { name: 'year', under: 'nam', optional: true },
    { name: 'kinds', path: '/loai/', optional: true },
    { name: 'kind', under: 'loai', optional: true },
    { name: 'statuses', path: '/tinh-trang/', optional: true },
    { name: 'status', under: 'tinh-trang', optional: true },
    { name: 'orgs', path: '/to-chuc/', optional: true },
    { name: 'org', under: 'to-chuc', optional: true },
    { name: 'open-data', path: '/du-lieu/' },
    { name: 'embed', under: 'nhung/linh-vuc' },
    { name: 'embeds', path: '/nhung/' },
    // The 404 page itself (a static host may send it with 200 or 404), and
    // as a host serves it for a URL that does not exist: status 404, nested path.
    { name: '404', path: '/404.html', status: [200, 404] },
    { name: 'notfound', path: '/khong-co/trang-nay/', status: 404 },
    // A short link publishes the model's page itself (src/hosts.rs,
    // `ShortPage`): what a scanned QR code opens, in one request.
    { name: 'short-link', path: `/m/${modelId}`, extra: shortLinkExtra },
    // A short link printed before short links were files: no file answers
    // it, the host sends the 404 page, which forwards it (404.html).
    { name: 'redirect-old', path: `/m/${modelId}/`, redirectTo: `/m/${modelId}`, oldForm: true },
  ];
  const found = [];
  for (const spec of specs) {
    const where = spec.under || spec.biggest || spec.deepest;
    const p = spec.under ? firstPageUnder(out, spec.under)
      : spec.biggest ? biggestPageUnder(out, spec.biggest)
        : spec.deepest ? deepestPageUnder(out, spec.deepest)
          : spec.path;
    const exists = p && (spec.status || spec.redirectTo || fs.existsSync(builtFile(out, p)));
    if (exists) found.push({ ...spec, path: p });
    else if (spec.optional) console.log(`note: page type ${spec.name}: the site has no ${where ? `page under /${where}/` : p}; skipped`);
    else fail(`page type ${spec.name}: found in the build`, `no ${where ? `page under /${where}/` : p} in ${out}`);
  }
  console.log(`note: page types: ${found.map((s) => `${s.name}=${s.path}`).join(' ')}`);
  return found;
}

/** The phone's menu opens and its links work with JavaScript off (a
 * <details>); the header stays within 120 px with the menu closed. */
async function testMenu(browser, origin) {
  const label = 'menu@375 without JavaScript';
  const { page, problems } = await openPage(browser, layoutViewport(375));
  try {
    await page.setJavaScriptEnabled(false);
    if (!(await gotoChecked(page, label, origin + '/', 200))) return;
    const hidden = await page.evaluate(() => [...document.querySelectorAll('.menu nav a')].every((a) => !a.checkVisibility()));
    check(`${label}: menu links hidden while closed`, hidden, 'menu links visible before opening');
    await page.click('.menu > summary');
    const links = await page.evaluate(() => [...document.querySelectorAll('.menu nav a')].map((a) => {
      const r = a.getBoundingClientRect();
      return { href: a.getAttribute('href'), shown: a.checkVisibility() && r.height >= 24 && r.width > 0 && r.right <= innerWidth };
    }));
    check(`${label}: menu opens with every link shown`, links.length > 0 && links.every((l) => l.shown), JSON.stringify(links), `${links.length} links`);
    const target = links.find((l) => l.href.includes('thong-ke')) || links[0];
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(`.menu nav a[href="${target.href}"]`)]);
    check(`${label}: a menu link leads to its page`, new URL(page.url()).pathname === new URL(target.href, origin).pathname, `landed on ${page.url()}`, target.href);
    await screenshot(page, 'menu-open', 375);
    problemsCheck(label, problems, null);
  } catch (e) {
    fail(`${label}: unexpected error`, e.stack || e.message);
  } finally {
    await page.close().catch(() => {});
  }
}

async function testLayouts(browser, origin, specs) {
  for (const scheme of ['light', 'dark']) {
    for (const width of LAYOUT_WIDTHS) {
      if (scheme === 'light' && VIEWPORTS.some((v) => v.width === width)) continue; // testPage did these
      const vp = layoutViewport(width);
      const { page, problems } = await openPage(browser, vp);
      try {
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
        for (const spec of specs) {
          if (spec.redirectTo) continue; // a meta refresh to the model page, checked as 'model'
          await layoutChecks(page, problems, origin, spec, vp, scheme);
        }
      } catch (e) {
        fail(`layouts ${scheme}@${width}: unexpected error`, e.stack || e.message);
      } finally {
        await page.close().catch(() => {});
      }
    }
  }
}

/** Overflow and chart checks for one page type on an open, reused page. */
async function layoutChecks(page, problems, origin, spec, vp, scheme) {
  const label = `${scheme === 'dark' ? 'dark ' : ''}${spec.name}@${vp.width}`;
  const url = origin + spec.path;
  const want = [].concat(spec.status || 200);
  const start = problems.length;
  try {
    let resp;
    try {
      resp = await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT });
    } catch (e) {
      fail(`${label}: loads`, e.message);
      return;
    }
    if (!resp || !want.includes(resp.status())) {
      fail(`${label}: HTTP ${want.join(' or ')}`, `got ${resp && resp.status()} for ${url}`);
      return;
    }
    await settle(page, spec);
    if (scheme === 'dark') {
      const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
      if (!dark) fail(`${label}: dark scheme emulated`, 'matchMedia says light');
    }
    const info = await page.evaluate(inspect, vp.width);
    overflowCheck(label, info);
    await chartChecks(page, label, spec.charts);
    if (vp.width === SHOT_WIDTH) {
      const shot = await screenshot(page, scheme === 'dark' ? `dark-${spec.name}` : spec.name, vp.width);
      pass(`${label}: screenshot`, shot);
    }
    problemsCheck(label, problems.slice(start), want.includes(404) ? url : null);
  } catch (e) {
    fail(`${label}: unexpected error`, e.stack || e.message);
  }
}

async function main(cleanup) {
  if (!fs.existsSync(BIN)) throw new Error(`dienhinh binary not found at ${BIN} (cargo build, or set DIENHINH_BIN)`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM} (apt-get install -y chromium)`);
  if (!fs.existsSync(path.join(SITE_SRC, 'site.yaml'))) throw new Error(`${SITE_SRC} has no site.yaml`);
  await fsp.rm(ARTIFACTS, { recursive: true, force: true });
  await fsp.mkdir(ARTIFACTS, { recursive: true });

  const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'dienhinh-browser-'));
  cleanup.push(() => fsp.rm(tmp, { recursive: true, force: true }));

  const server = await startServer();
  cleanup.push(() => server.close());
  const out = path.join(tmp, 'site');
  try {
    await build(SITE_SRC, out, server.origin);
    pass('sample site builds', `${server.origin}/`);
  } catch (e) {
    fail('sample site builds', e.message);
    return;
  }
  server.setRoot(out);

  const modelId = frontMatterId(path.join(SITE_SRC, 'content', 'mo-hinh', `${MODEL_SLUG}.md`));

  const profile = path.join(tmp, 'profile');
  await fsp.mkdir(profile);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: NAV_TIMEOUT,
    protocolTimeout: 60_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      `--user-data-dir=${profile}`,
    ],
  });
  cleanup.push(() => browser.close().catch(() => browser.process()?.kill('SIGKILL')));
  watchdogKill = () => browser.process()?.kill('SIGKILL');
  pass('chromium launches', await browser.version());

  const pages = pageTypes(out, modelId);
  for (const spec of pages) {
    for (const vp of VIEWPORTS) await testPage(browser, server.origin, spec, vp);
  }
  await testLayouts(browser, server.origin, pages);

  // Browsers fetch /favicon.ico from every site: it should not 404.
  check(
    'site: has a favicon (the browser\'s /favicon.ico request does not 404)',
    faviconMisses.size === 0,
    `${[...faviconMisses].join(', ')} → 404: the site ships no favicon and no <link rel="icon">, so every browser's automatic request 404s (Chromium logs a console error)`,
  );

  await testPrint(browser, server.origin, out);
  await testMenu(browser, server.origin);
  await testLongIdentity(browser, tmp);
  await testEscaping(browser, tmp);
  await testDarkScheme(browser, server.origin);
  await testSearch(browser, server.origin);
  await testSearchRanges(browser, server);
  await testSearchOnAPhone(browser, server.origin);
  await testSearchForgives(browser, server.origin);
  await testAccessibility(browser, server.origin, out);
}

let watchdogKill = () => {};
const cleanup = [];
const watchdog = setTimeout(() => {
  fail('watchdog', `the run took longer than ${WATCHDOG / 1000} s`);
  try { watchdogKill(); } catch {}
  console.log(summary());
  process.exit(1);
}, WATCHDOG);

try {
  await main(cleanup);
} catch (e) {
  fail('run', e.stack || e.message);
} finally {
  for (const f of cleanup.reverse()) {
    try { await withTimeout(Promise.resolve().then(f), 15_000, 'cleanup'); } catch (e) { console.log(`note: cleanup: ${e.message}`); }
  }
  clearTimeout(watchdog);
}
console.log(summary());
process.exit(failed > 0 ? 1 : 0);

// Bytes and sequential round trips per query in headless Chromium, counted
// by the static server itself (plain files, no on-the-fly compression,
// 40 ms added to every response so rounds are distinct). A request's round
// trip is 1 + the deepest round trip of the responses finished before it
// arrived.
//
//   node bench/search-browser.mjs PUBLIC_DIR QUERIES.json
//   BENCH_H2=1 node bench/search-browser.mjs …   (HTTP/2 over TLS, a
//   self-signed certificate made with openssl: what most static hosts
//   speak, and without HTTP/1.1's six connections per host, which turn
//   one round of parallel requests into several)
//
// Pagefind: a blank page imports /pagefind/pagefind.js, searches, and loads
// the data of the first 10 results (cold: a fresh page; further: the same
// page after the previous query). Ours: the search page /tim-kiem/?q= until
// its results are shown (cold only; bench/search-plan.mjs has both).
// Prints JSON: [{q, pagefind: {cold, further, results}, ours: {cold}}].
import http from 'node:http';
import http2 from 'node:http2';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { staticFile, reply, HTML } from './static-files.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const puppeteer = createRequire(path.join(REPO, 'tests/browser/package.json'))('puppeteer-core');
const [pub, queriesFile] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
const LATENCY = 40;

let log = [];
const BENCH_PAGE = `<!doctype html><meta charset="utf-8"><title>bench</title><script type="module">
window.ask = async (q) => {
  window.pf = window.pf || await import('/pagefind/pagefind.js');
  const r = await window.pf.search(q);
  await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
  return r.results.length;
};
window.ready = true;
</script>`;

const H2 = process.env.BENCH_H2 === '1';

/** A throwaway key and self-signed certificate for 127.0.0.1. */
function selfSigned() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-bench-tls-'));
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const pair = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  fs.rmSync(dir, { recursive: true });
  return pair;
}

const handler = (req, res) => {
  const url = new URL(req.url, 'http://x');
  const entry = { path: url.pathname, arrived: performance.now(), finished: Infinity, bytes: 0 };
  log.push(entry);
  const f = url.pathname === '/__bench__.html'
    ? { status: 200, body: Buffer.from(BENCH_PAGE), type: HTML }
    : staticFile(pub, url.pathname);
  if (f.status !== 200) { res.writeHead(f.status); res.end(); entry.finished = performance.now(); return; }
  const { status, headers, body } = reply(req, f);
  entry.bytes = body.length;
  setTimeout(() => {
    res.writeHead(status, headers);
    res.end(body, () => { entry.finished = performance.now(); });
  }, LATENCY);
};
const server = H2 ? http2.createSecureServer(selfSigned(), handler) : http.createServer(handler);
// BENCH_PORT: the origin the site was built for (bench/search.sh).
await new Promise((r) => server.listen(Number(process.env.BENCH_PORT || 0), '127.0.0.1', r));
const origin = `${H2 ? 'https' : 'http'}://127.0.0.1:${server.address().port}`;

/** Bytes, round trips and files of the requests under `prefix` since `from`. */
function measure(entries, prefix) {
  const sorted = entries.slice().sort((a, b) => a.arrived - b.arrived);
  for (const e of sorted) {
    e.trip = 1 + sorted.filter((o) => o !== e && o.finished <= e.arrived).reduce((m, o) => Math.max(m, o.trip || 0), 0);
  }
  const mine = sorted.filter((e) => e.path.startsWith(prefix));
  const base = Math.min(...mine.map((e) => e.trip)) - 1;
  return {
    bytes: mine.reduce((a, e) => a + e.bytes, 0),
    trips: mine.reduce((a, e) => Math.max(a, e.trip - base), 0),
    files: mine.length,
  };
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    ...(H2 ? ['--ignore-certificate-errors'] : [])],
  acceptInsecureCerts: H2,
});
const fresh = async () => {
  const p = await browser.newPage();
  await p.setCacheEnabled(false);
  return p;
};
const out = [];
try {
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i];
    const row = { q };
    if (fs.existsSync(path.join(pub, 'pagefind', 'pagefind.js'))) {
      const p = await fresh();
      await p.goto(`${origin}/__bench__.html`, { waitUntil: 'load' });
      await p.waitForFunction(() => window.ready);
      log = [];
      const results = await p.evaluate((x) => window.ask(x), q);
      const cold = measure(log, '/pagefind/');
      await p.close();
      const p2 = await fresh();
      await p2.goto(`${origin}/__bench__.html`, { waitUntil: 'load' });
      await p2.waitForFunction(() => window.ready);
      await p2.evaluate((x) => window.ask(x), queries[(i + queries.length - 1) % queries.length]);
      log = [];
      await p2.evaluate((x) => window.ask(x), q);
      const further = measure(log, '/pagefind/');
      await p2.close();
      row.pagefind = { cold, further, results };
    }
    const p = await fresh();
    const errors = [];
    p.on('pageerror', (e) => errors.push(String(e.message || e)));
    p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    log = [];
    await p.goto(`${origin}/tim-kiem/?q=${encodeURIComponent(q)}`, { waitUntil: 'load' });
    try {
      await p.waitForFunction(() => document.querySelector('#search-results li'), { timeout: 60_000 });
      await new Promise((r) => setTimeout(r, 200));
      row.ours = { cold: measure(log.filter((e) => e.path !== '/tim-kiem/'), '/_search/') };
    } catch (e) {
      row.ours = { error: `${e.message}; ${errors.join(' | ')}` };
    }
    await p.close();
    out.push(row);
  }
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');

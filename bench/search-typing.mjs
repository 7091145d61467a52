// Results as you type (issue 3, item 7, on a 1,000-model site): in headless
// Chromium, a fresh search page per query; the query is typed into the
// search box a character at a time (120 ms apart, a quick thumb), and the
// delay is measured in the page from the last keystroke's input event to
// the moment the status line names the whole query (its results shown).
// A key searches at once when no search runs; keys pressed while one
// runs search once after a 30 ms pause (themes/default/static/search.js).
// The server adds LATENCY ms to every response (0 and 40 are run).
//
//   node bench/search-typing.mjs PUBLIC_DIR QUERIES.json
//
// Prints JSON: [{latency, q, ms, hits}].
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { staticFile, reply } from './static-files.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const puppeteer = createRequire(path.join(REPO, 'tests/browser/package.json'))('puppeteer-core');
const [pub, queriesFile] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));

// A site built for a path (base_url https://host/dan-van/) is served
// under it: its pages name their files so.
const page = fs.readFileSync(path.join(pub, 'tim-kiem/index.html'), 'utf8');
const base = (page.match(/data-index="?([^" >]*)_search\//) || [null, '/'])[1];
let latency = 0;
const server = http.createServer((req, res) => {
  const at = new URL(req.url, 'http://x').pathname;
  const f = at.startsWith(base) ? staticFile(pub, '/' + at.slice(base.length)) : { status: 404 };
  if (f.status !== 200) { res.writeHead(f.status); res.end(); return; }
  const r = reply(req, f);
  setTimeout(() => {
    res.writeHead(r.status, r.headers);
    res.end(r.body);
  }, latency);
});
// BENCH_PORT: the origin the site was built for.
await new Promise((r) => server.listen(Number(process.env.BENCH_PORT || 0), '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const out = [];
try {
  for (latency of [0, 40]) {
    for (const q of queries) {
      const p = await browser.newPage();
      await p.setCacheEnabled(false);
      await p.goto(`${origin}${base}tim-kiem/`, { waitUntil: 'load' });
      // The client and manifest load while the reader finds the box.
      await p.waitForFunction(() => document.querySelector('#search-status')?.textContent.trim(), { timeout: 30_000 });
      await p.evaluate((want) => {
        const input = document.querySelector('#search-q');
        const status = document.querySelector('#search-status');
        window.__typed = null;
        // Before the page's own listener: a search whose files are all
        // loaded runs to its results within the input event's dispatch.
        window.addEventListener('input', () => { window.__lastKey = performance.now(); }, true);
        new MutationObserver(() => {
          if (input.value === want && status.textContent.includes(want.trim())) {
            window.__typed = { ms: performance.now() - window.__lastKey, hits: document.querySelectorAll('#search-results li').length };
          }
        }).observe(status, { childList: true, characterData: true, subtree: true });
      }, q);
      await p.focus('#search-q');
      await p.keyboard.type(q, { delay: 120 });
      try {
        await p.waitForFunction(() => window.__typed, { timeout: 30_000 });
      } catch (e) {
        const status = await p.$eval('#search-status', (el) => el.textContent);
        throw new Error(`${JSON.stringify(q)}: the status never named the query: ${JSON.stringify(status)}`);
      }
      const r = await p.evaluate(() => window.__typed);
      out.push({ latency, q, ms: Math.round(r.ms), hits: r.hits });
      await p.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');

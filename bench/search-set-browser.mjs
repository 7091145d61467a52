// The browser engines of bench/search-set-all.sh, in one headless Chromium:
//
//   node bench/search-set-browser.mjs PUBLIC_DIR SET.json [BASE_PATH]
//
// serves PUBLIC_DIR at BASE_PATH (default "/": the path of the site's
// base_url, e.g. "/dan-van/" for gen_corpus sites) and, for each query of
// the set ({"q", …}), prints JSON lines {"engine", "q", "urls", "error"?}:
//
//   browser   the site's own search page, BASE_PATH + "tim-kiem/?q=<q>",
//             loaded afresh; once its status and results are shown, the
//             result links' paths in order (`#search-results li h2 a`);
//             while fewer than LIMIT (default 20) are shown and the page
//             offers "more results" (`#search-more button`), it is clicked
//             and the list read again. Beyond what that shows is a miss.
//   pagefind  when PUBLIC_DIR/pagefind/pagefind.js exists (Pagefind run
//             over PUBLIC_DIR): a blank page imports it, `search(q)`, then
//             `data()` of the first PAGEFIND_READ (default 50) results;
//             their URLs as paths, each page that only redirects (a short
//             link /m/<id>/, an alias) replaced by its target, duplicates
//             dropped. The report takes the first LIMIT (and the first LIMIT
//             models and ceremonies for "pagefind-docs").
//
// SEARCH_SET_BROWSER_ENGINES: "browser,pagefind" (default) or either one.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { staticFile, reply, HTML } from './static-files.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const puppeteer = createRequire(path.join(REPO, 'tests/browser/package.json'))('puppeteer-core');
const [pub, setFile, baseArg] = process.argv.slice(2);
if (!pub || !setFile) {
  console.error('usage: node bench/search-set-browser.mjs PUBLIC_DIR SET.json [BASE_PATH]');
  process.exit(2);
}
const BASE = ((baseArg || '/').replace(/\/*$/, '/')).replace(/^\/*/, '/');
const set = JSON.parse(fs.readFileSync(setFile, 'utf8'));
const LIMIT = Number(process.env.LIMIT || 20);
const PF_READ = Math.max(LIMIT, Number(process.env.PAGEFIND_READ || 50));
const engines = (process.env.SEARCH_SET_BROWSER_ENGINES || 'browser,pagefind').split(',');
const havePagefind = fs.existsSync(path.join(pub, 'pagefind', 'pagefind.js'));
if (engines.includes('pagefind') && !havePagefind) {
  console.error(`search-set-browser: no ${pub}/pagefind/pagefind.js (run pagefind --site first); pagefind skipped`);
}

const PF_PAGE = `<!doctype html><meta charset="utf-8"><title>set</title><script type="module">
window.ask = async (q, n) => {
  if (!window.pf) {
    window.pf = await import('${BASE}pagefind/pagefind.js');
    await window.pf.options({ baseUrl: '${BASE}' });
  }
  const r = await window.pf.search(q);
  const data = await Promise.all(r.results.slice(0, n).map((x) => x.data()));
  return data.map((d) => d.url);
};
window.ready = true;
</script>`;

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  let f;
  if (url.pathname === `${BASE}__set__.html`) f = { status: 200, body: Buffer.from(PF_PAGE), type: HTML };
  else if (url.pathname.startsWith(BASE)) f = staticFile(pub, '/' + url.pathname.slice(BASE.length));
  else f = { status: 404 };
  if (f.status !== 200) { res.writeHead(f.status); res.end(); return; }
  const r = reply(req, f);
  res.writeHead(r.status, r.headers);
  res.end(r.body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

/** The page a built page redirects to (meta refresh), or null. */
const redirects = new Map();
function redirectOf(p) {
  if (redirects.has(p)) return redirects.get(p);
  let target = null;
  if (p.startsWith(BASE)) {
    const file = path.join(pub, p.slice(BASE.length), p.endsWith('/') ? 'index.html' : '');
    try {
      const html = fs.readFileSync(file, 'utf8').slice(0, 4000);
      if (/http-equiv=["']?refresh/i.test(html)) {
        const m = html.match(/content=["']?\d+;\s*url=([^"'>]+)/i);
        if (m) target = new URL(m[1].replace(/&amp;/g, '&'), origin + p).pathname;
      }
    } catch { /* not a file of the site: keep the path */ }
  }
  redirects.set(p, target);
  return target;
}

const out = (engine, q, urls, error) => process.stdout.write(JSON.stringify({ engine, q, urls, ...(error ? { error } : {}) }) + '\n');

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  if (engines.includes('browser')) {
    const page = await browser.newPage();
    let errors = [];
    page.on('pageerror', (e) => errors.push(String(e.message || e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const links = () => page.evaluate(() => Array.from(document.querySelectorAll('#search-results > li h2 a')).map((a) => a.href));
    for (const x of set) {
      errors = [];
      let urls = [];
      let error = '';
      try {
        await page.goto(`${origin}${BASE}tim-kiem/?q=${encodeURIComponent(x.q)}`, { waitUntil: 'load' });
        // Done when the status is written and the list holds results or
        // the "nothing found" box (both are set in one task).
        await page.waitForFunction(() => {
          const s = document.querySelector('#search-status');
          const l = document.querySelector('#search-results');
          return s && s.textContent.trim() && l && (l.querySelector('li h2 a') || l.querySelector('.search-empty') || !l.children.length);
        }, { timeout: 30_000 });
        const failed = await page.evaluate(() => {
          let strings = {};
          try { strings = JSON.parse(document.querySelector('#search-strings').textContent); } catch { /* none */ }
          const s = document.querySelector('#search-status').textContent.trim();
          return strings.error && s === strings.error.trim() ? s : '';
        });
        if (failed) throw new Error(`the page says: ${failed}`);
        urls = await links();
        for (let round = 0; urls.length < LIMIT && round < 5; round++) {
          const more = await page.$('#search-more button');
          if (!more) break;
          await page.evaluate(() => { const f = document.querySelector('#search-results > li'); if (f) f.dataset.setStale = '1'; });
          await more.click();
          await page.waitForFunction(() => {
            const f = document.querySelector('#search-results > li');
            return f && !f.dataset.setStale;
          }, { timeout: 30_000 });
          const again = await links();
          if (again.length <= urls.length) { urls = again; break; }
          urls = again;
        }
      } catch (e) {
        error = `${e.message}${errors.length ? '; ' + errors.join(' | ') : ''}`;
      }
      if (!error && errors.length) error = errors.join(' | ');
      out('browser', x.q, urls.slice(0, LIMIT).map((u) => new URL(u).pathname), error);
    }
    await page.close();
  }
  if (engines.includes('pagefind') && havePagefind) {
    const page = await browser.newPage();
    await page.goto(`${origin}${BASE}__set__.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.ready === true);
    for (const x of set) {
      let paths = [];
      let error = '';
      try {
        const urls = await page.evaluate((q, n) => window.ask(q, n), x.q, PF_READ);
        for (const u of urls) {
          let p = new URL(u, origin).pathname.replace(/index\.html$/, '');
          p = redirectOf(p) || p;
          if (!paths.includes(p)) paths.push(p);
        }
      } catch (e) {
        error = e.message;
      }
      out('pagefind', x.q, paths, error);
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}

// Pagefind's ranks for a relevance set, in headless Chromium: serves
// PUBLIC_DIR (already indexed by Pagefind, `pagefind --site PUBLIC_DIR`),
// opens a blank page that imports /pagefind/pagefind.js, and for each query
// of the set prints the first LIMIT (default 20) result URLs, as JSON lines
// {"q": …, "urls": […]}, paths only.
//
//   node bench/search-set-pagefind.mjs PUBLIC_DIR SET.json
//
// bench/search-set.sh runs it when SEARCH_SET_ENGINE=pagefind.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { staticFile, HTML } from './static-files.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const puppeteer = createRequire(path.join(REPO, 'tests/browser/package.json'))('puppeteer-core');
const [pub, setFile] = process.argv.slice(2);
const set = JSON.parse(fs.readFileSync(setFile, 'utf8'));
const limit = Number(process.env.LIMIT || 20);
const ROOT = process.env.SITE_ROOT || '/';
const PAGE = `<!doctype html><meta charset="utf-8"><title>set</title><script type="module">
window.ask = async (q, n) => {
  window.pf = window.pf || await import('/pagefind/pagefind.js');
  const r = await window.pf.search(q);
  const data = await Promise.all(r.results.slice(0, n).map((x) => x.data()));
  return data.map((d) => d.url);
};
window.ready = true;
</script>`;
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const f = url.pathname === '/__set__.html' ? { status: 200, body: Buffer.from(PAGE), type: HTML } : staticFile(pub, url.pathname);
  if (f.status !== 200) { res.writeHead(f.status); res.end(); return; }
  res.writeHead(200, { 'content-type': f.type, 'content-length': f.body.length });
  res.end(f.body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.goto(`${origin}/__set__.html`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.ready === true);
  for (const x of set) {
    const urls = await page.evaluate((q, n) => window.ask(q, n), x.q, limit);
    // Short links (/m/<id>/) are redirect pages to their document:
    // Pagefind indexes them too, so each stands for its target
    // (as if a user had marked them data-pagefind-ignore), once.
    const paths = [];
    for (const u of urls) {
      // Pagefind names files as served from public/; the site's own URLs
      // begin with its base path (SITE_ROOT, e.g. /dan-van/).
      const served = new URL(u, origin).pathname.replace(/index\.html$/, '');
      let p = ROOT + served.slice(1);
      // Short links (/m/<id>/) and the old addresses of renamed pages are
      // redirect pages: Pagefind indexes them too, so each stands for its
      // target (as if a user had marked them data-pagefind-ignore), once.
      const file = path.join(pub, served, 'index.html');
      if (fs.existsSync(file)) {
        const html = fs.readFileSync(file, 'utf8');
        const m = /http-equiv="?refresh/.test(html) && html.match(/content="0; ?url=([^"]+)"/);
        if (m) p = new URL(m[1], origin).pathname;
      }
      // PAGEFIND_DOCS_ONLY=1: only models and ceremonies, as if a user had
      // kept lists, tags, places and embeds out of Pagefind's index.
      if (process.env.PAGEFIND_DOCS_ONLY === '1' && !/\/(mo-hinh|tuyen-duong)\/[^/]+\/$/.test(p)) continue;
      if (!paths.includes(p)) paths.push(p);
    }
    process.stdout.write(JSON.stringify({ q: x.q, urls: paths }) + '\n');
  }
} finally {
  await browser.close();
  server.close();
}

// Screenshots of built pages for a look by eye: node shot.mjs OUT_DIR PNG_DIR path...
import http from 'node:http'; import fs from 'node:fs'; import path from 'node:path';
import puppeteer from 'puppeteer-core';
const [root, dest, ...paths] = process.argv.slice(2);
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.bin': 'application/octet-stream', '.gz': 'application/gzip' };
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let f = path.join(root, p); if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, 'index.html');
  // As static hosts do: `/m/<id>` is `m/<id>.html`; a missing address gets the 404 page.
  if (!fs.existsSync(f) && !path.extname(f) && fs.existsSync(`${f}.html`)) f = `${f}.html`;
  if (!fs.existsSync(f)) { res.writeHead(404, { 'content-type': types['.html'] }); res.end(fs.existsSync(path.join(root, '404.html')) ? fs.readFileSync(path.join(root, '404.html')) : ''); return; }
  res.writeHead(200, { 'content-type': types[path.extname(f)] || 'application/octet-stream' }); res.end(fs.readFileSync(f));
}).listen(0, '127.0.0.1');
await new Promise((r) => server.on('listening', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
for (const p of paths) for (const [w, h] of [[375, 812], [1280, 900]]) for (const scheme of ['light', 'dark']) {
  const page = await browser.newPage();
  await page.setViewport({ width: w, height: h, isMobile: w < 500, hasTouch: w < 500 });
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
  await page.goto(origin + p, { waitUntil: 'networkidle0' });
  const hh = await page.evaluate(() => { const e = document.querySelector('.site-header'); return e ? Math.round(e.getBoundingClientRect().height) : -1; });
  const name = `${p.replace(/[^a-z0-9]+/gi, '_')}-${w}-${scheme}.png`;
  await page.screenshot({ path: path.join(dest, name), fullPage: !!process.env.FULL });
  console.log(name, 'header', hh, 'scrollWidth', await page.evaluate(() => document.documentElement.scrollWidth));
  await page.close();
}
await browser.close(); server.close();

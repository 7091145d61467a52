// Live reload in a real browser (run by tests/it/serve.rs): the page reloads
// itself after an edit, shows a build error over the page, and comes back
// when the file is fixed. Env: PAGE_URL, FILE (the page's Markdown source).
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const { PAGE_URL, FILE } = process.env;
const fail = (msg) => { console.error(msg); process.exit(1); };
const edit = (from, to) => {
  const text = fs.readFileSync(FILE, 'utf8');
  if (!text.includes(from)) fail(`${from} not in ${FILE}`);
  // Saved as editors do: a hidden temporary file renamed over the old one.
  const tmp = path.join(path.dirname(FILE), '.' + path.basename(FILE) + '.tmp');
  fs.writeFileSync(tmp, text.replace(from, to));
  fs.renameSync(tmp, FILE);
};
setTimeout(() => fail('timed out'), 60_000).unref();

const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new'],
});
try {
  const page = await browser.newPage();
  await page.goto(PAGE_URL);
  const h1 = () => page.$eval('h1', (e) => e.textContent);
  if ((await h1()) !== 'Nắm gạo tình thương') fail(`first title: ${await h1()}`);
  // Let the event stream connect before editing.
  await new Promise((r) => setTimeout(r, 500));

  let reloaded = page.waitForNavigation({ timeout: 20_000 });
  edit('title: "Nắm gạo tình thương"', 'title: "Nắm gạo đổi tên"');
  await reloaded;
  if ((await h1()) !== 'Nắm gạo đổi tên') fail(`after edit: ${await h1()}`);

  edit('field: van-hoa-xa-hoi', 'field: van-hoa-xa-hio');
  await page.waitForSelector('#dienhinh-loi', { timeout: 20_000 });
  const overlay = await page.$eval('#dienhinh-loi', (e) => e.textContent);
  if (!overlay.includes('DH009') || !overlay.includes('van-hoa-xa-hoi')) fail(`overlay: ${overlay}`);
  // The site speaks Vietnamese (`init` writes `language: vi`): so does the overlay.
  if (!overlay.includes('không có trong danh mục') || !overlay.includes('có phải ý bạn là')) {
    fail(`overlay not in Vietnamese: ${overlay}`);
  }

  reloaded = page.waitForNavigation({ timeout: 20_000 });
  edit('field: van-hoa-xa-hio', 'field: van-hoa-xa-hoi');
  await reloaded;
  if (await page.$('#dienhinh-loi')) fail('overlay still shown after the fix');
  if ((await h1()) !== 'Nắm gạo đổi tên') fail(`after fix: ${await h1()}`);
  console.log('live reload ok');
} finally {
  await browser.close();
}

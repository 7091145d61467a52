// How far a layout's first pages are from the exact index's (issue 20: what a
// shorter first tier costs in ranking). Both indexes are written from one
// site by examples/export_index, the exact one with a tier larger than any
// list:
//
//   cargo run --release --example export_index -- SITE /tmp/exact 1000000
//   cargo run --release --example export_index -- SITE /tmp/t250 250
//   node bench/search-first-page.mjs /tmp/exact /tmp/t250 bench/search-queries.json
//
// Prints, over the queries with results: the mean share of the exact first
// page's score the layout's first page keeps (each document scored by the
// exact index), how many first pages are identical, the mean share of
// documents the two first pages have in common, and the six queries that
// keep the least.
import fs from 'node:fs'; import path from 'node:path'; import vm from 'node:vm'; import zlib from 'node:zlib';
const [exactDir, tierDir, qf] = process.argv.slice(2);
const client = fs.readdirSync(path.join(tierDir, '_search')).find((f) => /^search\.[0-9a-f]+\.js$/.test(f));
vm.runInThisContext(fs.readFileSync(path.join(tierDir, '_search', client), 'utf8'));
const S = globalThis.DienhinhSearch;
const open = (d) => { const dir = path.join(d, '_search'); const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json')));
  return S.open('', async (n, start, end) => new Uint8Array(zlib.gunzipSync(fs.readFileSync(path.join(dir, n)).subarray(start ?? 0, end))), m); };
const E = await open(exactDir), T = await open(tierDir);
const qs = JSON.parse(fs.readFileSync(qf, 'utf8')).map((q) => typeof q === 'string' ? q : q.q);
let sum = 0, n = 0, worst = [], same = 0;
for (const q of qs) {
  const re = await E.search(q, {}, {}); const rt = await T.search(q, {}, {});
  const k = 10; const byDoc = new Map(re.hits.map((h) => [h.doc, h]));
  const topE = re.hits.slice(0, k); const topT = rt.hits.slice(0, k);
  if (!topE.length) continue;
  const s = (hs) => hs.reduce((a, h) => a + (byDoc.get(h.doc)?.score || 0), 0);
  const ratio = s(topE) ? s(topT) / s(topE) : 1;
  const overlap = topT.filter((h) => topE.some((e) => e.doc === h.doc)).length / topE.length;
  sum += ratio; n++; if (topT.map(h=>h.doc).join() === topE.map(h=>h.doc).join()) same++;
  worst.push([ratio, overlap, q]);
}
worst.sort((a, b) => a[0] - b[0]);
console.log('queries', n, 'mean score kept', (100 * sum / n).toFixed(1), '% identical first pages', same);
console.log('mean overlap', (100*worst.reduce((a,w)=>a+w[1],0)/n).toFixed(1));
for (const w of worst.slice(0, 6)) console.log((100 * w[0]).toFixed(1), (100*w[1]).toFixed(0), w[2]);

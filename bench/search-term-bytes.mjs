// The shard bytes a query reads, by the term that made it read each file:
// folded words, accented (exact) forms and adjacent pairs, with each term's
// postings and how many terms share its shard (issue 20's budget: which
// part of a long query's bytes is which).
//
//   node bench/search-term-bytes.mjs PUBLIC_DIR "query" ["query" ...]
//
// Runs the served client in Node as bench/search-plan.mjs does; the first
// line per query lists the terms, then (for the first query) one line per
// term and the bytes by kind.
import fs from 'node:fs'; import path from 'node:path'; import vm from 'node:vm'; import zlib from 'node:zlib';
const [pub, ...qs] = process.argv.slice(2);
const dir = path.join(pub, '_search');
const client = fs.readdirSync(dir).find((f) => /^search\.[0-9a-f]+\.js$/.test(f));
vm.runInThisContext(fs.readFileSync(path.join(dir, client), 'utf8'));
const S = globalThis.DienhinhSearch;
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json')));
for (const q of qs) {
  const sizes = new Map();
  const load = async (name, start, end) => { let raw = fs.readFileSync(path.join(dir, name)); const gz = name.endsWith('.bin'); if (start !== undefined) { raw = raw.subarray(start, end); name = `${name}@${start}`; } sizes.set(name, raw.length); return new Uint8Array(gz ? zlib.gunzipSync(raw) : raw); };
  const index = await S.open('', load, manifest);
  const proto = Object.getPrototypeOf(index);
  const orig = proto.shard; const terms = [];
  proto.shard = function (t) { terms.push(t); return orig.call(this, t); };
  const r = await index.search(q, {}, {});
  proto.shard = orig;
  const files = [...sizes.keys()].filter((n) => n.startsWith('s.'));
  let tot = 0; for (const f of files) tot += sizes.get(f);
  const cls = (t) => t.includes(' ') ? 'pair' : (/^[\x00-\x7f]*$/.test(t) ? 'folded' : 'exact');
  const counts = {}; for (const t of new Set(terms)) counts[cls(t)] = (counts[cls(t)] || 0) + 1;
  console.log(q, '| shard files', files.length, 'bytes', tot, '| terms by class', JSON.stringify(counts), [...new Set(terms)].join(','));
}
// per-term file sizes
for (const q of qs.slice(0,1)) {
  const sizes = new Map();
  let last = null;
  const load = async (name, start, end) => { let raw = fs.readFileSync(path.join(dir, name)); const gz = name.endsWith('.bin'); if (start !== undefined) { raw = raw.subarray(start, end); name = `${name}@${start}`; } last = name; sizes.set(name, raw.length); return new Uint8Array(gz ? zlib.gunzipSync(raw) : raw); };
  const index = await S.open('', load, manifest);
  const proto = Object.getPrototypeOf(index);
  const orig = proto.shard; const terms = [];
  proto.shard = function (t) { terms.push(t); return orig.call(this, t); };
  await index.search(q, {}, {});
  proto.shard = orig;
  const byClass = {};
  for (const t of new Set(terms)) {
    last = null; const idx = await S.open('', load, manifest); const m = await idx.shard(t);
    const e = m.get(t); const n = e ? e.list.size : 0;
    const c = t.includes(' ') ? 'pair' : (t.startsWith('=') ? 'exact' : 'folded');
    byClass[c] = (byClass[c] || 0) + sizes.get(last);
    console.log(c, t, 'file', sizes.get(last), 'B, postings', n, 'terms in shard', m.size);
  }
  console.log(JSON.stringify(byClass));
}

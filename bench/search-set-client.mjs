// The browser client's ranks for a relevance set: runs the served client
// (public/_search/search.*.js, the code the search page runs) in Node
// against the built index, as tests/search-js/agree.mjs does, and prints
// for each query of the set the result URLs in order, as JSON lines
// {"q": …, "urls": […]} (the first LIMIT, default 20).
//
//   node bench/search-set-client.mjs PUBLIC_DIR SET.json
//
// bench/search-set.sh runs it when SEARCH_SET_ENGINE=client.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';

const [pub, setFile] = process.argv.slice(2);
const dir = path.join(pub, '_search');
const client = fs.readdirSync(dir).find((f) => /^search\.[0-9a-f]+\.js$/.test(f));
vm.runInThisContext(fs.readFileSync(path.join(dir, client), 'utf8'), { filename: client });
const S = globalThis.DienhinhSearch;
const load = async (name, start, end) => {
  const raw = fs.readFileSync(path.join(dir, name)).subarray(start ?? 0, end);
  return new Uint8Array(name.endsWith('.bin') ? zlib.gunzipSync(raw) : raw);
};
const index = await S.open('', load);
const limit = Number(process.env.LIMIT || 20);
for (const x of JSON.parse(fs.readFileSync(setFile, 'utf8'))) {
  // As the page does: a first page, then every result ("more results").
  let r = await index.search(x.q, {}, {});
  if (r.hits.length < limit && !r.complete) r = await index.search(x.q, {}, { full: true });
  const urls = [];
  for (const h of r.hits.slice(0, limit)) urls.push((await index.meta(h.doc)).u);
  process.stdout.write(JSON.stringify({ q: x.q, urls }) + '\n');
}

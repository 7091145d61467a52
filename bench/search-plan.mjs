// Bytes and sequential round trips of our search client for each query,
// from the files of a built site, as a plain static server sends them.
//
//   node bench/search-plan.mjs PUBLIC_DIR QUERIES.json
//
// Runs the served client (public/_search/search.*.js) in Node with a
// counting loader in place of fetch, following the search page's plan: the
// page carries the client and the index's manifest (their bytes, gzipped
// as a server sends the page, count in a cold query; the page itself is
// round trip 0), then a query reads shards (and the dictionary blocks and
// near lists it needs) and the facet column, and the metadata of the hits
// shown. A request gets round trip 1 + the deepest round trip of any
// response received before it was made; parallel requests share one.
// Cold: a fresh page. Further: the same page after another query.
// Prints JSON: [{q, cold: {bytes, trips, files}, further: {...}, hits,
// complete, corrected}] (corrected: a word was corrected, which may take
// one more round trip).
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';

const [pub, queriesFile] = process.argv.slice(2);
const dir = path.join(pub, '_search');
// DIENHINH_CLIENT: another client to run (its bytes counted as the served one's).
const client = fs.readdirSync(dir).find((f) => /^search\.[0-9a-f]+\.js$/.test(f));
// What the page carries for search, as a server sends it (gzipped).
const manifestText = fs.readFileSync(path.join(dir, 'manifest.json'));
const carried = zlib.gzipSync(Buffer.concat([fs.readFileSync(path.join(dir, client)), manifestText])).length;
vm.runInThisContext(fs.readFileSync(process.env.DIENHINH_CLIENT || path.join(dir, client), 'utf8'));
const S = globalThis.DienhinhSearch;
const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));

/** A page: an index whose loader logs (file, bytes, round trip). */
function page() {
  let received = 0;
  let log = [];
  const load = (name, start, end) => {
    const trip = received + 1;
    let raw = fs.readFileSync(path.join(dir, name));
    // A member of a bundle: a range request for bytes [start, end).
    if (start !== undefined) raw = raw.subarray(start, end);
    log.push({ name: start === undefined ? name : `${name}@${start}`, bytes: raw.length, trip });
    const bytes = new Uint8Array(name.endsWith('.bin') ? zlib.gunzipSync(raw) : raw);
    return new Promise((resolve) => setTimeout(() => {
      received = Math.max(received, trip);
      resolve(bytes);
    }, 2));
  };
  return {
    load,
    take() { const l = log; log = []; received = 0; return l; },
  };
}

/** What the search page does for a submitted query: search, then metadata. */
async function ask(index, q) {
  const r = await index.search(q, {}, {});
  await Promise.all(r.hits.slice(0, index.manifest.k).map((h) => index.meta(h.doc)));
  return r;
}

const sum = (log) => ({
  bytes: log.reduce((a, f) => a + f.bytes, 0),
  trips: log.reduce((a, f) => Math.max(a, f.trip), 0),
  files: log.length,
});

const out = [];
for (let i = 0; i < queries.length; i++) {
  const q = queries[i];
  const cold = page();
  const index = await S.open('', cold.load, JSON.parse(manifestText));
  const r = await ask(index, q);
  const coldLog = [{ name: 'page: client and manifest', bytes: carried, trip: 0 }, ...cold.take()];
  // Further: another page that asked the previous query first.
  const warm = page();
  const index2 = await S.open('', warm.load, JSON.parse(manifestText));
  await ask(index2, queries[(i + queries.length - 1) % queries.length]);
  warm.take();
  await ask(index2, q);
  const furtherLog = warm.take();
  const row = { q, hits: r.hits.length, complete: r.complete, corrected: r.query.corrections.length > 0, cold: sum(coldLog), further: sum(furtherLog) };
  // SEARCH_PLAN_FILES=1: each file read, by family (first letter of its name).
  if (process.env.SEARCH_PLAN_FILES) {
    const byFamily = (log) => log.reduce((m, f) => ({ ...m, [f.name[0]]: (m[f.name[0]] || 0) + f.bytes }), {});
    row.coldFamilies = byFamily(coldLog.slice(1));
    row.furtherFamilies = byFamily(furtherLog);
  }
  out.push(row);
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');

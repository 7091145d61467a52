// Prints, as JSON, what the browser client answers for each query of a
// JSON list ([query, filters, typing] triples; typing: the last word may be
// unfinished) over an exported index:
//   node tests/search-js/agree.mjs PUBLIC/_search QUERIES.json
// tests/search.rs compares it with the Rust scorer over the same files.
import fs from 'node:fs';
import { loadClient, openDir } from './client.mjs';

const [dir, queriesFile] = process.argv.slice(2);
const S = loadClient();
const out = [];
for (const [q, filters, typing] of JSON.parse(fs.readFileSync(queriesFile, 'utf8'))) {
  // A fresh page per query: the kinds of file it read ("s", "x" …).
  const fetched = [];
  const index = await openDir(S, dir, fetched);
  const r = await index.search(q, filters, { typing: !!typing, facets: true });
  const kinds = [...new Set(fetched.map(([name]) => name.split('.')[0]))].sort();
  // Without the facet column (a large site's first query), the same order:
  // document ids follow dates.
  if (!Object.keys(filters).length) {
    const eager = index.manifest.facets_eager;
    index.manifest.facets_eager = false;
    const lean = await index.search(q, filters, { typing: !!typing });
    index.manifest.facets_eager = eager;
    if (lean.facets !== null) throw new Error('the facet column was read');
    const ids = (x) => JSON.stringify(x.hits.map((h) => [h.doc, h.class, h.score, h.exact, h.phrase]));
    if (ids(lean) !== ids(r)) throw new Error(`order without facets differs for ${JSON.stringify(q)}`);
  }
  out.push({ hits: r.hits.map((h) => [h.doc, h.class, h.score, h.exact, h.phrase]), counts: r.counts, corrections: r.query.corrections, complete: r.complete, kinds });
}
process.stdout.write(JSON.stringify(out));

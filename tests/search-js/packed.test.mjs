// The client's reader of binary shards (search::packed), on the files of
// an exported index: it reads what Rust read, and a damaged file throws the
// client's one error, never anything else. tests/search.rs runs this with
// DIENHINH_SEARCH_DIR (an index whose long lists have rests, listed and by
// complement) and DIENHINH_PACKED_EXPECTED (what the Rust reader made of
// its files: every term's documents and codes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { loadClient } from './client.mjs';

const S = loadClient();
const DIR = process.env.DIENHINH_SEARCH_DIR;
const EXPECTED = process.env.DIENHINH_PACKED_EXPECTED;
const skip = !(DIR && EXPECTED) && 'needs DIENHINH_SEARCH_DIR and DIENHINH_PACKED_EXPECTED (tests/search.rs sets them)';
const MALFORMED = 'malformed search index file';

function files() {
  const expected = JSON.parse(fs.readFileSync(EXPECTED, 'utf8'));
  // Each shard by where it is: `<bundle>@<start>-<end>` (search::bundle).
  return Object.keys(expected).sort().map((name) => {
    const [, file, start, end] = name.match(/^(.*)@(\d+)-(\d+)$/);
    const raw = fs.readFileSync(path.join(DIR, file)).subarray(Number(start), Number(end));
    return { name, bytes: new Uint8Array(zlib.gunzipSync(raw)), expected: expected[name] };
  });
}

const docs = () => JSON.parse(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8')).docs;
const read = (name, bytes) => S.readShard(bytes, docs());

/** A shard's content in the shape the Rust test writes. */
function plain(parsed) {
  const out = {};
  for (const [term, e] of parsed) {
    out[term] = { df: e.df, list: [...e.list.entries()].sort((a, b) => a[0] - b[0]), rest: e.rest };
  }
  return out;
}

test('shards read as Rust reads them', { skip }, () => {
  const all = files();
  const rests = all.flatMap((f) => Object.values(f.expected).map((e) => e.rest));
  assert.ok(rests.includes(1) && rests.includes(2), 'rests listed and by complement');
  for (const f of all) assert.deepEqual(plain(read(f.name, f.bytes)), f.expected, f.name);
});

test('a file cut short anywhere throws the malformed-file error', { skip }, () => {
  for (const f of files()) {
    for (let cut = 0; cut < f.bytes.length; cut++) {
      assert.throws(() => read(f.name, f.bytes.subarray(0, cut)), { message: MALFORMED }, `${f.name} cut at ${cut}`);
    }
  }
});

test('damaged bytes read or throw that error, nothing else', { skip }, () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let threw = 0;
  for (const f of files()) {
    for (let round = 0; round < 50; round++) {
      const b = f.bytes.slice();
      for (let k = 0; k < 3; k++) b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
      try {
        read(f.name, b);
      } catch (e) {
        assert.equal(e.message, MALFORMED, `${f.name} round ${round}`);
        threw++;
      }
    }
  }
  assert.ok(threw > 0, 'some damage is detected');
});

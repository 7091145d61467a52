// The client's readers of binary shards and tail blocks (search::packed),
// on the files of an exported index: they read what Rust read, and a
// damaged file throws the client's one error, never anything else.
// tests/search.rs runs this with DIENHINH_SEARCH_DIR (an index with tails)
// and DIENHINH_PACKED_EXPECTED (what the Rust readers made of its files).
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
  return Object.keys(expected).sort().map((name) => ({
    name,
    bytes: new Uint8Array(zlib.gunzipSync(fs.readFileSync(path.join(DIR, name)))),
    expected: expected[name],
  }));
}

const read = (name, bytes) => (name.startsWith('s.') ? S.readShard(bytes) : S.readBlock(bytes, new Map()));

/** A shard's or block's content in the shape the Rust test writes. */
function plain(name, parsed) {
  const list = (m) => [...m.entries()].sort((a, b) => a[0] - b[0]);
  if (name.startsWith('t.')) return list(parsed);
  const out = {};
  for (const [term, e] of parsed) {
    out[term] = { df: e.df, list: list(e.list), tail: e.tail && [e.tail.hash, e.tail.blocks, e.tail.max, e.tail.median] };
  }
  return out;
}

test('shards and tail blocks read as Rust reads them', { skip }, () => {
  const all = files();
  assert.ok(all.some((f) => f.name.startsWith('s.')) && all.some((f) => f.name.startsWith('t.')), 'shards and blocks');
  for (const f of all) assert.deepEqual(plain(f.name, read(f.name, f.bytes)), f.expected, f.name);
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

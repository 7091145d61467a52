// The shared analyzer vectors, run against the browser client
// (tests/search.rs runs the same file against the Rust analyzer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadClient, VECTORS } from './client.mjs';

const S = loadClient();

test('146 Vietnamese letters, composed and decomposed', () => {
  assert.equal(VECTORS.letters.length, 146);
  for (const v of VECTORS.letters) {
    for (const input of [v.input, v.input.normalize('NFD')]) {
      const t = S.analyze(input);
      assert.deepEqual(t.map((x) => x.exact), v.exact, `exact of ${JSON.stringify(input)}`);
      assert.deepEqual(t.map((x) => x.folded), v.folded, `folded of ${JSON.stringify(input)}`);
    }
  }
});

test('texts: tone placement, i/y, invisible spaces, codes', () => {
  for (const v of VECTORS.texts) {
    const t = S.analyze(v.input);
    assert.deepEqual(t.map((x) => x.exact), v.exact, v.input);
    assert.deepEqual(t.map((x) => x.folded), v.folded, v.input);
  }
});

test('adjacent pairs never cross punctuation', () => {
  for (const v of VECTORS.pairs) assert.deepEqual(S.pairs(S.analyze(v.input)), v.pairs, v.input);
});

test('queries: phrases require pairs, synonyms expand', () => {
  const q = S.parseQuery('"hũ gạo tình thương"', []);
  assert.deepEqual(q.groups[3].alts[0].required, ['thuong', 'tinh thuong']);
  const u = S.parseQuery('UBND quận', [['ubnd', 'uy ban nhan dan']]);
  assert.equal(u.groups[0].alts.length, 2);
  assert.deepEqual(u.groups[0].alts[1].required, ['uy', 'ban', 'nhan', 'dan']);
});

test('an unfinished last word: open only while it may still grow', () => {
  assert.deepEqual(S.parseQuery('quang n', []).open, { group: 1, word: 'n', prev: 'quang' });
  assert.equal(S.parseQuery('quang n ', []).open, null);
  assert.equal(S.parseQuery('"quang n"', []).open, null);
  assert.equal(S.parseQuery('11-CT/TU', []).open, null);
  const q = S.parseQuery('quang n', []);
  S.expandOpen(q, () => [['quang ninh', 3], ['quang nam', 5], ['nam', 9]]);
  assert.deepEqual(q.groups[1].alts.map((a) => a.required[0]), ['nam', 'ninh']);
  assert.deepEqual(q.groups[1].alts[1].optional, ['quang ninh']);
  assert.deepEqual(q.bonus, []);
  assert.deepEqual(S.dictBlocks(['a', 'banh', 'banh mi', 'bao', 'c'], 'banh m'), [1, 2]);
  assert.deepEqual(S.dictBlocks(['a', 'c'], 'b'), [0]);
});

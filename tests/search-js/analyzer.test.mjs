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
  // An expansion matches as an adjacent phrase: its pairs are required.
  assert.deepEqual(u.groups[0].alts[1].required, ['uy', 'ban', 'nhan', 'dan', 'uy ban', 'ban nhan', 'nhan dan']);
});

test('an unfinished last word: open only while it may still grow', () => {
  assert.deepEqual(S.parseQuery('quang n', []).open, { group: 1, word: 'n', prev: 'quang' });
  assert.equal(S.parseQuery('quang n ', []).open, null);
  assert.equal(S.parseQuery('"quang n"', []).open, null);
  assert.equal(S.parseQuery('11-CT/TU', []).open, null);
  const q = S.parseQuery('quang n', []);
  S.expandOpen(q, () => [['quang ninh', 3], ['quang nam', 5], ['nam', 9]]);
  // The word as typed right after the previous one, then the word
  // elsewhere and the longer words, a class below.
  assert.deepEqual(q.groups[1].alts.map((a) => [a.required.join('+'), a.class]), [['n+quang n', 0], ['n', 1], ['nam', 1], ['ninh', 1]]);
  assert.deepEqual(q.groups[1].alts[3].optional, ['quang ninh']);
  assert.deepEqual(q.bonus, []);
  // The end of a slug may grow; the end of a document code may not.
  assert.notEqual(S.parseQuery('q1-gan-camera-giam', []).open, null);
  // Blocks of words, then blocks of pairs: a word's prefix reads no pairs.
  const first = ['a', 'banh', 'bao', 'c', 'an x', 'banh mi', 'banh my', 'bao x'];
  assert.deepEqual(S.dictBlocks(first, 4, 'banh m'), [4, 5]);
  assert.deepEqual(S.dictBlocks(first, 4, 'banh'), [1]);
  assert.deepEqual(S.dictBlocks(first, 4, 'b'), [0, 1]);
  assert.deepEqual(S.dictBlocks(['a', 'c'], 2, 'b'), [0]);
});

test('a query of one phrase, and document codes (mirrors query.rs)', () => {
  const sets = [['antt', 'an ninh trat tu']];
  assert.deepEqual(S.parseQuery('công đoàn xã Đồng Tâm', sets).phrase, ['cong doan', 'doan xa', 'xa dong']);
  assert.deepEqual(S.parseQuery('công đoàn xã ', sets).phrase, ['cong doan', 'doan xa']);
  for (const q of ['công đoàn, xã Đồng Tâm', 'tổ bảo vệ ANTT', '"công đoàn" xã Đồng', 'công', 'công đoàn']) {
    assert.deepEqual(S.parseQuery(q, sets).phrase, [], q);
  }
  const q = S.parseQuery('quyết định 885/QĐ-UBND', []);
  assert.deepEqual(q.groups[2].alts.map((a) => [a.required, a.class]), [[['885', '885/qd-ubnd'], 0], [['885'], 1]]);
  assert.equal(S.parseQuery('q1-gan-camera-giam', []).groups[0].alts.length, 1);
});

test('typos: distance with transpositions, corrections from the near lists and pairs', () => {
  assert.equal(S.distance('bnah', 'banh', 1), 1);
  assert.equal(S.distance('cammera', 'camera', 2), 1);
  assert.equal(S.distance('abcdef', 'badcfe', 2), null);
  assert.deepEqual(S.nearKeys('xamh'), ['^x', 'h$']);
  const lists = {
    '^b': [['banh', 9, 'bánh'], ['bao', 2, '']],
    'i$': [['mi', 5, 'mì']],
    'h$': [['banh', 9, 'bánh'], ['xanh', 4, '']],
  };
  const near = (k) => lists[k] || [];
  const missing = (w) => ['bnah', 'banhmi', 'mj'].includes(w);
  const q = S.parseQuery('bnah mi', []);
  S.correct(q, missing, () => [], near);
  assert.deepEqual(q.corrections, [['bnah', 'bánh']]);
  assert.deepEqual(q.groups[0].alts.map((a) => [a.required, a.class]), [[['bnah'], 0], [['banh'], 2]]);
  const joined = S.parseQuery('banhmi ', []);
  S.correct(joined, missing, () => [], near);
  assert.deepEqual(joined.groups[0].alts[1].required, ['banh', 'mi', 'banh mi']);
  assert.deepEqual(joined.corrections, [['banhmi', 'bánh mì']]);
  // A short word is corrected only from the words that follow the previous one.
  const paired = S.parseQuery('banh mj ', []);
  S.correct(paired, missing, (p) => (p === 'banh ' ? [['banh mi', 4], ['banh xeo', 2]] : []), near);
  assert.deepEqual(paired.groups[1].alts[1], { required: ['mi'], optional: ['banh mi'], class: 2 });
  // An open last word is corrected too, with and without its pair.
  const open = S.parseQuery('banh mj', []);
  S.correct(open, missing, (p) => (p === 'banh ' ? [['banh mi', 4]] : []), near);
  assert.deepEqual(open.groups[1].alts.map((a) => [a.required.join('+'), a.class]), [['mj+banh mj', 0], ['mj', 1], ['mi', 2]]);
});

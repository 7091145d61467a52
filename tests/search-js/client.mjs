// Loads themes/default/static/search.js (a classic browser script) into
// Node, and opens an exported static index from disk.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// DIENHINH_CLIENT: the client as a build serves it (public/_search/search.*.js).
const CLIENT = process.env.DIENHINH_CLIENT || path.join(HERE, '..', '..', 'themes', 'default', 'static', 'search.js');
export const VECTORS = JSON.parse(fs.readFileSync(path.join(HERE, 'vectors.json'), 'utf8'));

export function loadClient() {
  // This realm, so results compare with assert.deepStrictEqual.
  vm.runInThisContext(fs.readFileSync(CLIENT, 'utf8'), { filename: CLIENT });
  return globalThis.DienhinhSearch;
}

/** The index in `dir` (public/_search), counting the bytes of each file read. */
export async function openDir(S, dir, fetched = []) {
  const load = async (name, start, end) => {
    let raw = fs.readFileSync(path.join(dir, name));
    // A member of a bundle (search::bundle): bytes [start, end) of it.
    if (start !== undefined) raw = raw.subarray(start, end);
    fetched.push([start === undefined ? name : `${name}@${start}`, raw.length]);
    return new Uint8Array(name.endsWith('.bin') ? zlib.gunzipSync(raw) : raw);
  };
  return S.open('', load);
}

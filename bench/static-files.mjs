// What a plain static file server sends for a URL path under a built
// site (no on-the-fly compression): shared by the search benchmarks.
import fs from 'node:fs';
import path from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css' };
export const HTML = TYPES['.html'];

/** {status, body, type} for `pathname` under `pub`: a folder's index.html,
 * 400 for a path leaving `pub`, 404 for a missing file. */
export function staticFile(pub, pathname) {
  let file = path.join(pub, decodeURIComponent(pathname));
  if (!file.startsWith(path.resolve(pub))) return { status: 400 };
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) return { status: 404 };
  return { status: 200, body: fs.readFileSync(file), type: TYPES[path.extname(file)] || 'application/octet-stream' };
}

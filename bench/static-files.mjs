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

/** What a static host answers `req` for `f` (a {status: 200, body, type}
 * of staticFile): the whole file, or the single byte range asked for (206,
 * or 416 past the end), as nginx and the static hosts do; the search index's
 * bundles are read a member at a time. BENCH_RANGES=0: a server without
 * ranges, which the client reads whole. Returns {status, headers, body}. */
export function reply(req, f) {
  const whole = f.body;
  const headers = { 'content-type': f.type, 'accept-ranges': 'bytes' };
  const range = process.env.BENCH_RANGES !== '0' && /^bytes=(\d+)-(\d*)$/.exec(req.headers.range || '');
  let [status, body] = [200, whole];
  if (range) {
    const start = Number(range[1]);
    const end = Math.min(range[2] === '' ? Infinity : Number(range[2]), whole.length - 1);
    if (start > end) {
      [status, body] = [416, Buffer.alloc(0)];
      headers['content-range'] = `bytes */${whole.length}`;
    } else {
      [status, body] = [206, whole.subarray(start, end + 1)];
      headers['content-range'] = `bytes ${start}-${end}/${whole.length}`;
    }
  }
  headers['content-length'] = body.length;
  return { status, headers, body };
}

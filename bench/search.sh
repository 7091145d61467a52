#!/usr/bin/env bash
# Search benchmark (issue 3, item 7); not run in CI.
#
#   bench/search.sh [MODELS] [CEREMONIES]     (default 10000 1000)
#
# Builds dienhinh in release, generates a site with examples/gen_corpus.rs,
# builds it (DIENHINH_TIMINGS=1: the "search" stage is our indexing time,
# both indexes), installs Pagefind from npm into a temp dir and indexes the
# same built public/ with default settings, then measures for every query
# in bench/search-queries.json the bytes and sequential round trips of a
# cold first query and of a further one:
# - ours by running the served client against the files with a counting
#   loader (bench/search-plan.mjs), cross-checked in headless Chromium;
# - Pagefind's in headless Chromium, counted by the static server
#   (bench/search-browser.mjs), served over HTTP/1.1 and over HTTP/2;
# and on a 1,000-model site, how soon results follow the last keystroke
# (bench/search-typing.mjs).
# Prints the tables. Needs cargo, node, npm, /usr/bin/time, chromium,
# openssl and tests/browser/node_modules (cd tests/browser && npm ci).
set -euo pipefail

MODELS=${1:-10000}
CEREMONIES=${2:-1000}
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$(mktemp -d /tmp/dienhinh-search-bench.XXXXXX)}
SITE=$WORK/site
QUERIES=$REPO/bench/search-queries.json
mkdir -p "$WORK"
echo "work dir: $WORK" >&2

cd "$REPO"
cargo build --release --quiet
cargo build --release --quiet --example gen_corpus
BIN=$REPO/target/release/dienhinh
if [ ! -f "$SITE/site.yaml" ]; then
  "$REPO/target/release/examples/gen_corpus" --models "$MODELS" --ceremonies "$CEREMONIES" --seed 1 --out "$SITE" >&2
fi

# Ours: the whole build, with per-stage timings and peak memory.
# Built for the origin bench/search-browser.mjs serves it from, so the
# search page's links to its client and index resolve there.
PORT=${BENCH_PORT:-18765}
DIENHINH_TIMINGS=1 /usr/bin/time -v "$BIN" -C "$SITE" build --base-url "http://127.0.0.1:$PORT/" >"$WORK/ours.out" 2>"$WORK/ours.err"
OURS_MS=$(awk '/^timing: search /{print $3}' "$WORK/ours.err")
OURS_CPU_MS=$(awk '/^timing: search\/cpu /{print $3}' "$WORK/ours.err")
OURS_TOTAL_MS=$(awk '/^timing: total /{print $3}' "$WORK/ours.err")
OURS_RSS=$(awk -F': ' '/Maximum resident set size/{print $2}' "$WORK/ours.err")
DOCS=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).docs)' "$SITE/public/_search/manifest.json")
PAGES=$(find "$SITE/public" -name '*.html' | wc -l)

# Pagefind 1.x from npm (the package ships its binary), default settings.
if [ ! -x "$WORK/pf/node_modules/.bin/pagefind" ]; then
  mkdir -p "$WORK/pf"
  (cd "$WORK/pf" && npm install --silent --no-audit --no-fund pagefind >&2)
fi
PF="$WORK/pf/node_modules/.bin/pagefind"
rm -rf "$SITE/public/pagefind"
START=$(date +%s.%N)
/usr/bin/time -v "$PF" --site "$SITE/public" >"$WORK/pf.out" 2>"$WORK/pf.err"
END=$(date +%s.%N)
PF_MS=$(echo "($END - $START) * 1000" | bc)
PF_RSS=$(awk -F': ' '/Maximum resident set size/{print $2}' "$WORK/pf.err")
PF_CPU_MS=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{printf "%.0f", (u+s)*1000}' "$WORK/pf.err")
PF_VERSION=$("$PF" --version)

node "$REPO/bench/search-plan.mjs" "$SITE/public" "$QUERIES" >"$WORK/plan.json"
BENCH_PORT=$PORT node "$REPO/bench/search-browser.mjs" "$SITE/public" "$QUERIES" >"$WORK/browser.json"
BENCH_H2=1 BENCH_PORT=$PORT node "$REPO/bench/search-browser.mjs" "$SITE/public" "$QUERIES" >"$WORK/browser-h2.json"

node - "$WORK/plan.json" "$WORK/browser.json" "$WORK/browser-h2.json" <<JS
const fs = require('fs');
const plan = JSON.parse(fs.readFileSync(process.argv[2]));
const br = JSON.parse(fs.readFileSync(process.argv[3]));
const h2 = JSON.parse(fs.readFileSync(process.argv[4]));
const trip = (x) => (x && x.cold ? kb(x.cold.bytes) + ' / ' + x.cold.trips : '–');
const kb = (b) => (b / 1024).toFixed(1);
const ratio = (${OURS_MS} / ${PF_MS}).toFixed(3);
console.log('Search benchmark: ${MODELS} models, ${CEREMONIES} ceremonies (${DOCS} documents in our index, ${PAGES} HTML pages)');
console.log('machine: ' + require('os').cpus()[0].model + ' x' + require('os').cpus().length + ', ' + (require('os').totalmem() / 2 ** 30).toFixed(0) + ' GiB; ' + new Date().toISOString());
console.log('');
console.log('| | ours | ${PF_VERSION} |');
console.log('|---|---|---|');
console.log('| index time | ${OURS_MS} ms (search stage of a ${OURS_TOTAL_MS} ms build; both indexes) | ${PF_MS} ms |');
console.log('| index CPU time | ${OURS_CPU_MS} ms | ${PF_CPU_MS} ms |');
console.log('| ours / Pagefind index time (wall, CPU) | ' + ratio + ', ' + (${OURS_CPU_MS:-0} / ${PF_CPU_MS}).toFixed(3) + ' | |');
console.log('| peak memory | ${OURS_RSS} KB (whole build) | ${PF_RSS} KB |');
console.log('');
console.log('| query | ours cold KB / trips | ours further KB / trips | ours cold in Chromium KB / trips (HTTP/1.1, HTTP/2) | Pagefind cold KB / trips | Pagefind further KB / trips | Pagefind cold in Chromium over HTTP/2 | ours hits (first page only?) | Pagefind results |');
console.log('|---|---|---|---|---|---|---|---|---|');
let ok = { cold: 0, further: 0, both: 0 };
plan.forEach((p, i) => {
  const b = br[i] || {};
  const pf = b.pagefind || { cold: {}, further: {} };
  // A query that needs a correction may take one more round trip (issue 20).
  const trips = 3 + (p.corrected ? 1 : 0);
  if (p.cold.bytes <= 100 * 1024 && p.cold.trips <= trips) ok.cold++;
  if (p.further.bytes <= 40 * 1024) ok.further++;
  if (p.cold.bytes <= 100 * 1024 && p.cold.trips <= trips && p.further.bytes <= 40 * 1024) ok.both++;
  console.log('| ' + p.q + ' | ' + kb(p.cold.bytes) + ' / ' + p.cold.trips + ' | ' + kb(p.further.bytes) + ' / ' + p.further.trips +
    ' | ' + (b.ours && b.ours.cold ? kb(b.ours.cold.bytes) + ' / ' + b.ours.cold.trips : '– ' + ((b.ours && b.ours.error) || '').slice(0, 60)) +
    ', ' + trip((h2[i] || {}).ours) +
    ' | ' + (pf.cold.bytes !== undefined ? kb(pf.cold.bytes) + ' / ' + pf.cold.trips : '–') +
    ' | ' + (pf.further.bytes !== undefined ? kb(pf.further.bytes) + ' / ' + pf.further.trips : '–') +
    ' | ' + trip((h2[i] || {}).pagefind) +
    ' | ' + p.hits + (p.complete ? '' : ' (first page)') + ' | ' + (pf.results ?? '–') + ' |');
});
console.log('');
console.log('targets: cold ≤ 100 KB in ≤ 3 round trips (4 with a correction): ' + ok.cold + '/' + plan.length + ' queries; further ≤ 40 KB: ' + ok.further + '/' + plan.length + '; both: ' + ok.both + '/' + plan.length + '; index time ≤ 0.1× Pagefind: ' + (ratio <= 0.1 ? 'yes' : 'no') + ' (' + ratio + ')');
JS

# Results as you type on a 1,000-model site (bench/search-typing.mjs):
# from the last keystroke to the results, in Chromium.
SITE1K=$WORK/site-1k
if [ ! -f "$SITE1K/site.yaml" ]; then
  "$REPO/target/release/examples/gen_corpus" --models 1000 --ceremonies 100 --seed 1 --out "$SITE1K" >&2
fi
"$BIN" -C "$SITE1K" build --base-url "http://127.0.0.1:$PORT/" >/dev/null 2>&1
BENCH_PORT=$PORT node "$REPO/bench/search-typing.mjs" "$SITE1K/public" "$QUERIES" >"$WORK/typing.json"
node - "$WORK/typing.json" <<'JS'
const rows = JSON.parse(require('fs').readFileSync(process.argv[2]));
console.log('');
console.log('As you type, 1,000 models: last keystroke → results shown (a key pressed while a search runs waits for a 30 ms pause)');
console.log('');
console.log('| server latency per response | median ms | 90th percentile ms | max ms | slowest query | within 100 ms |');
console.log('|---|---|---|---|---|---|');
for (const latency of [...new Set(rows.map((r) => r.latency))]) {
  const mine = rows.filter((r) => r.latency === latency).sort((a, b) => a.ms - b.ms);
  const at = (f) => mine[Math.min(mine.length - 1, Math.floor(f * mine.length))].ms;
  const last = mine[mine.length - 1];
  console.log(`| ${latency} ms | ${at(0.5)} | ${at(0.9)} | ${last.ms} | ${last.q} | ${mine.filter((r) => r.ms <= 100).length}/${mine.length} |`);
}
JS

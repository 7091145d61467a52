#!/usr/bin/env bash
# Relevance figures for the site search on the sample site (the repo root).
#
#   bench/search-set.sh [SET.json]          (default bench/search-set.json)
#
# For every query of the set ({"q", "kind", "expect", "rank", "note"}) runs
#   "${DIENHINH_BIN:-target/release/dienhinh}" search --json --limit N "<q>"
# from the repo root, finds the rank of the expected URL among the results
# and prints one line per query (ok/MISS, rank, kind, query), then per kind
# how many queries found their document within their rank bound, and the
# total as a percentage. It reports figures; it is not a test: it exits 0
# however many queries miss (non-zero only when it cannot run at all).
#
# `dienhinh search` answers from .dienhinh/index, which `dienhinh build`
# writes beside site.yaml (it does not read public/). When that index is
# missing, or older than the content, site.yaml or the binary, or when
# SEARCH_SET_REBUILD=1, the script first builds the sample into a temporary
# output folder (deleted afterwards) so that public/ is left alone.
#
# Environment:
#   DIENHINH_BIN        the binary (default target/release/dienhinh); no cargo here
#   SEARCH_SET_LIMIT    results asked for per query (default 20; ranks past it show "-")
#   SEARCH_SET_REBUILD  1 = always rebuild the index first
#   SEARCH_SET_KIND     only the queries of this kind
#   SEARCH_SET_SITE     search this site instead of the sample (with a set
#                       written for it, e.g. bench/search-set-gen.json on
#                       gen_corpus --models 1000 --ceremonies 100 --seed 1)
#   SEARCH_SET_ENGINE   cli (default: `dienhinh search`, the tantivy index) or
#                       client (the search page's client, run in Node by
#                       bench/search-set-client.mjs over the built public/)
#                       or pagefind (Pagefind 1.6 from npm, default settings,
#                       over the same built public/, queried in Chromium by
#                       bench/search-set-pagefind.mjs)
#                       or all: every engine in one run (dienhinh search, the
#                       Rust reference scorer, the built search page in
#                       Chromium, Pagefind) over a copy of the site, by
#                       bench/search-set-all.sh, which takes the same
#                       arguments plus --gen (see its header)
set -uo pipefail
if [ "${SEARCH_SET_ENGINE:-}" = all ]; then
  exec "$(dirname "$0")/search-set-all.sh" "$@"
fi

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO" || exit 2
BIN=$(realpath "${DIENHINH_BIN:-target/release/dienhinh}")
SET=$(realpath "${1:-bench/search-set.json}")
LIMIT=${SEARCH_SET_LIMIT:-20}

if [ ! -x "$BIN" ]; then
  echo "search-set: no binary at $BIN (build it, or set DIENHINH_BIN)" >&2
  exit 2
fi
if [ ! -f "$SET" ]; then
  echo "search-set: no query set at $SET" >&2
  exit 2
fi

# SEARCH_SET_SITE: another site to search (bench/search-set-gen.json is
# written for `gen_corpus --models 1000 --ceremonies 100 --seed 1`).
if [ -n "${SEARCH_SET_SITE:-}" ]; then
  cd "$SEARCH_SET_SITE" || exit 2
fi
META=.dienhinh/index/meta.json
stale=""
if [ "${SEARCH_SET_REBUILD:-0}" = 1 ]; then
  stale="SEARCH_SET_REBUILD=1"
elif [ ! -f "$META" ]; then
  stale="no index yet"
elif [ "$BIN" -nt "$META" ] || [ site.yaml -nt "$META" ]; then
  stale="binary or site.yaml newer than the index"
elif [ -n "$(find content -newer "$META" -print -quit 2>/dev/null)" ]; then
  stale="content newer than the index"
fi
ENGINE=${SEARCH_SET_ENGINE:-cli}
CLIENT_OUT=""
if [ -n "$stale" ] || [ "$ENGINE" != cli ]; then
  TMP=$(mktemp -d /tmp/dienhinh-search-set.XXXXXX)
  trap 'rm -rf "$TMP"' EXIT
  echo "search-set: building the sample (${stale:-for the client}) into $TMP/public" >&2
  if ! "$BIN" -q build --output "$TMP/public" >&2; then
    echo "search-set: the build failed; searching whatever index is there" >&2
  fi
  if [ "$ENGINE" = client ]; then
    CLIENT_OUT="$TMP/client.jsonl"
    node "$REPO/bench/search-set-client.mjs" "$TMP/public" "$SET" > "$CLIENT_OUT" || exit 2
  elif [ "$ENGINE" = pagefind ]; then
    PF_DIR=${PAGEFIND_DIR:-/tmp/dienhinh-pagefind-1.6}
    if [ ! -x "$PF_DIR/node_modules/.bin/pagefind" ]; then
      mkdir -p "$PF_DIR"
      (cd "$PF_DIR" && npm install --silent --no-audit --no-fund pagefind@1.6 >&2) || exit 2
    fi
    "$PF_DIR/node_modules/.bin/pagefind" --site "$TMP/public" >&2 || exit 2
    CLIENT_OUT="$TMP/pagefind.jsonl"
    SITE_ROOT=$(python3 -c "import re,urllib.parse;t=open('site.yaml',encoding='utf-8').read();m=re.search(r'^base_url:\s*[\"\']?([^\"\'\s#]+)',t,re.M);p=urllib.parse.urlparse(m.group(1)).path if m else '/';print(p if p.endswith('/') else p+'/')") \
      node "$REPO/bench/search-set-pagefind.mjs" "$TMP/public" "$SET" > "$CLIENT_OUT" || exit 2
  fi
fi

BIN="$BIN" LIMIT="$LIMIT" KIND="${SEARCH_SET_KIND:-}" CLIENT_OUT="$CLIENT_OUT" python3 - "$SET" <<'PY'
import json, os, re, subprocess, sys
from collections import OrderedDict

bin_, limit, only = os.environ["BIN"], os.environ["LIMIT"], os.environ["KIND"]
client = {}
if os.environ.get("CLIENT_OUT"):
    with open(os.environ["CLIENT_OUT"], encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            client[r["q"]] = r["urls"]
with open(sys.argv[1], encoding="utf-8") as f:
    queries = json.load(f)
if only:
    queries = [x for x in queries if x["kind"] == only]

# Every expected URL should name a document of the sample: a file
# content/<section>/<slug>.md, or a file whose front matter sets that slug.
def known(url):
    m = re.fullmatch(r"/([^/]+)/([^/]+)/", url)
    if not m:
        return False
    section, slug = m.groups()
    folder = os.path.join("content", section)
    if os.path.isfile(os.path.join(folder, slug + ".md")):
        return True
    if os.path.isdir(folder):
        pat = re.compile(r"^slug:\s*[\"']?" + re.escape(slug) + r"[\"']?\s*$", re.M)
        for name in os.listdir(folder):
            if name.endswith(".md"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    if pat.search(f.read()):
                        return True
    return False

for x in queries:
    if not known(x["expect"]):
        print(f"search-set: warning: {x['expect']} (query {x['q']!r}) is no document of content/", file=sys.stderr)

kinds = OrderedDict()
met_total = 0
width = max([len(x["kind"]) for x in queries] + [4])
for x in queries:
    urls, error = [], ""
    if client:
        urls = client.get(x["q"], [])
    else:
        run = subprocess.run([bin_, "search", "--json", "--limit", limit, x["q"]],
                             capture_output=True, text=True)
    if client:
        pass
    elif run.returncode != 0:
        error = (run.stderr.strip().splitlines() or ["exit %d" % run.returncode])[0]
    else:
        try:
            urls = [r["url"] for r in json.loads(run.stdout or "[]")]
        except (ValueError, KeyError, TypeError) as e:
            error = "unreadable JSON: %s" % e
    rank = urls.index(x["expect"]) + 1 if x["expect"] in urls else None
    met = rank is not None and rank <= x["rank"]
    k = kinds.setdefault(x["kind"], [0, 0])
    k[1] += 1
    if met:
        k[0] += 1
        met_total += 1
    shown = str(rank) if rank else "-"
    line = f"{'ok  ' if met else 'MISS'} {shown:>2}/{x['rank']} {x['kind']:<{width}} {x['q']}"
    if not met:
        if error:
            line += f"   [error: {error}]"
        else:
            line += f"   [want {x['expect']}; got {urls[0] if urls else 'no results'}]"
    print(line, flush=True)

print()
print(f"| kind | met | of | % |")
print(f"|---|---|---|---|")
for kind, (met, n) in kinds.items():
    print(f"| {kind} | {met} | {n} | {100 * met / n:.0f}% |")
n = len(queries)
pct = 100 * met_total / n if n else 0
print(f"| **total** | **{met_total}** | **{n}** | **{pct:.1f}%** |")
PY
exit 0

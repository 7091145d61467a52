#!/usr/bin/env bash
# Relevance of the site search on a query set, by every engine at once
# (issue 20). The one entry point:
#
#   bench/search-set-all.sh [SET.json]        the sample site (the repo root),
#                                             set bench/search-set.json
#   bench/search-set-all.sh --gen [SET.json]  a generated site: gen_corpus
#                                             --models 1000 --ceremonies 100
#                                             --seed 1 (deterministic), set
#                                             bench/search-set-gen-realistic.json
#                                             (or bench/search-set-gen.json)
#
# (SEARCH_SET_ENGINE=all bench/search-set.sh … runs this too.)
#
# The site's sources (site.yaml, urls.lock, content/, themes/, static/) are
# copied into a temporary folder and built there once with the binary
# (nothing of the repository is written: not public/, not .dienhinh/). Then
# every query ({"q", "kind", "expect", "rank", "note"}; expect is the URL
# path, with the base_url's path) is asked of:
#
#   cli       `dienhinh search --json --limit 20 Q` in the copied site
#             (the tantivy index the build wrote to .dienhinh/index);
#   rust      the Rust reference scorer (scorer.rs, which the tests hold the
#             client to) over the built public/_search, through
#             examples/search_static.rs: the first page, then every result
#             when the first page is short and incomplete, as the page does;
#   browser   the built search page itself in headless Chromium
#             (BASE/tim-kiem/?q=Q), its result links in order, "more
#             results" clicked while fewer than 20 are shown
#             (bench/search-set-browser.mjs);
#   pagefind  Pagefind 1.6 from npm, default settings, run over the same
#             built public/, queried in the same Chromium through
#             /pagefind/pagefind.js (search, then data() of the results);
#             a hit on a page that only redirects (short link /m/<id>/,
#             alias) counts as its target. "pagefind-docs" is the same list
#             with everything but models and ceremonies dropped (as if a user
#             had kept lists, tags and places out of Pagefind's index).
#
# It prints, per query, each engine's rank of the expected page ("-": not
# in the first 20; "*": beyond the query's bound), then per kind how many
# queries each engine places within their bound, and the totals. A bench,
# not a test: it exits 0 however many queries miss (2 when it cannot run).
#
# Environment:
#   DIENHINH_BIN         the binary (default target/release/dienhinh)
#   SEARCH_STATIC_BIN    examples/search_static built from the same source as
#                        DIENHINH_BIN (default target/release/examples/
#                        search_static: `cargo build --release --example
#                        search_static`); absent: no rust column
#   GEN_CORPUS_BIN       for --gen (default target/release/examples/gen_corpus)
#   SEARCH_SET_SITE      the site's folder instead (of the repo root, or of
#                        the generated site with --gen)
#   SEARCH_SET_ENGINES   which, comma-separated (default cli,rust,browser,pagefind)
#   SEARCH_SET_LIMIT     results read per query (default 20)
#   SEARCH_SET_TYPING    1: the rust engine reads queries as being typed
#                        (search_static --typing; today's scorer has no such
#                        parameter and says so)
#   SEARCH_SET_KIND      only the queries of this kind
#   SEARCH_SET_JSON      also write every query's ranks to this file (JSON)
#   SEARCH_SET_KEEP      1: keep the temporary folder (its path is printed)
#   PAGEFIND_DIR         where pagefind@1.6 is (npm-installed there when
#                        missing; default /tmp/dienhinh-pagefind-1.6)
#
# The baseline of bench/SEARCH.md (503191d) was measured with a copy of the
# sample's sources at that commit, whose themes/ hold the search page's
# client of that time (a theme's own search.js replaces the built-in one):
#   git archive 503191d site.yaml urls.lock content themes static | tar -x -C DIR
#   SEARCH_SET_SITE=DIR DIENHINH_BIN=… SEARCH_STATIC_BIN=… bench/search-set-all.sh
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
GEN=0
SET=""
for a in "$@"; do
  case "$a" in
    --gen) GEN=1 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) SET=$a ;;
  esac
done
if [ -z "$SET" ]; then
  if [ "$GEN" = 1 ]; then SET=$REPO/bench/search-set-gen-realistic.json; else SET=$REPO/bench/search-set.json; fi
fi
SET=$(realpath "$SET")
BIN=$(cd "$REPO" && realpath "${DIENHINH_BIN:-target/release/dienhinh}")
STATIC_BIN=$(cd "$REPO" && realpath -m "${SEARCH_STATIC_BIN:-target/release/examples/search_static}")
ENGINES=${SEARCH_SET_ENGINES:-cli,rust,browser,pagefind}
LIMIT=${SEARCH_SET_LIMIT:-20}
PF_DIR=${PAGEFIND_DIR:-/tmp/dienhinh-pagefind-1.6}
has() { case ",$ENGINES," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
say() { echo "search-set-all: $*" >&2; }

[ -x "$BIN" ] || { say "no binary at $BIN (build it, or set DIENHINH_BIN)"; exit 2; }
[ -f "$SET" ] || { say "no query set at $SET"; exit 2; }
if has rust && [ ! -x "$STATIC_BIN" ]; then
  say "no $STATIC_BIN (cargo build --release --example search_static, or set SEARCH_STATIC_BIN): no rust column"
  ENGINES=$(echo ",$ENGINES," | sed 's/,rust,/,/; s/^,//; s/,$//')
fi

TMP=$(mktemp -d /tmp/dienhinh-search-set-all.XXXXXX)
if [ "${SEARCH_SET_KEEP:-0}" = 1 ]; then say "keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi
START=$(date +%s)
if [ -n "${SEARCH_SET_KIND:-}" ]; then
  KIND="$SEARCH_SET_KIND" python3 -c 'import json, os, sys
json.dump([x for x in json.load(open(sys.argv[1], encoding="utf-8")) if x["kind"] == os.environ["KIND"]],
          open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)' "$SET" "$TMP/set.json" || exit 2
  SET=$TMP/set.json
fi
stamp() { echo $(( $(date +%s) - START ))s; }

# The site's sources, copied.
SITE=$TMP/site
mkdir -p "$SITE"
if [ "$GEN" = 1 ] && [ -z "${SEARCH_SET_SITE:-}" ]; then
  GEN_BIN=$(cd "$REPO" && realpath -m "${GEN_CORPUS_BIN:-target/release/examples/gen_corpus}")
  [ -x "$GEN_BIN" ] || { say "no $GEN_BIN (cargo build --release --example gen_corpus, or set GEN_CORPUS_BIN or SEARCH_SET_SITE)"; exit 2; }
  "$GEN_BIN" --models 1000 --ceremonies 100 --seed 1 --out "$SITE" >&2 || exit 2
else
  FROM=$(realpath "${SEARCH_SET_SITE:-$REPO}")
  [ -f "$FROM/site.yaml" ] || { say "no site.yaml in $FROM"; exit 2; }
  for part in site.yaml urls.lock content themes static; do
    [ -e "$FROM/$part" ] && cp -r "$FROM/$part" "$SITE/"
  done
fi

say "building $SITE into $TMP/public with $BIN"
if ! (cd "$SITE" && "$BIN" -q build --output "$TMP/public" >&2); then
  say "the build reported errors"
fi
[ -f "$TMP/public/_search/manifest.json" ] || { say "no search index was built"; exit 2; }
say "built ($(stamp))"
BASE=$(python3 - "$SITE/site.yaml" <<'PY'
import re, sys, urllib.parse
m = re.search(r'^base_url:\s*["\']?([^"\'\s#]+)', open(sys.argv[1], encoding="utf-8").read(), re.M)
p = urllib.parse.urlparse(m.group(1)).path if m else "/"
print("/" + p.strip("/") + "/" if p.strip("/") else "/")
PY
)

if has cli; then
  say "cli: dienhinh search for each query"
  (cd "$SITE" && BIN="$BIN" LIMIT="$LIMIT" python3 - "$SET" > "$TMP/cli.jsonl" <<'PY'
import json, os, subprocess, sys
for x in json.load(open(sys.argv[1], encoding="utf-8")):
    run = subprocess.run([os.environ["BIN"], "search", "--json", "--limit", os.environ["LIMIT"], x["q"]],
                         capture_output=True, text=True)
    out = {"engine": "cli", "q": x["q"], "urls": []}
    if run.returncode != 0:
        out["error"] = (run.stderr.strip().splitlines() or ["exit %d" % run.returncode])[0]
    else:
        try:
            out["urls"] = [r["url"] for r in json.loads(run.stdout or "[]")]
        except (ValueError, KeyError, TypeError) as e:
            out["error"] = "unreadable JSON: %s" % e
    print(json.dumps(out, ensure_ascii=False), flush=True)
PY
  ) || say "cli: failed"
  say "cli done ($(stamp))"
fi

if has rust; then
  say "rust: $STATIC_BIN"
  typing=()
  [ "${SEARCH_SET_TYPING:-0}" = 1 ] && typing=(--typing)
  "$STATIC_BIN" "$TMP/public/_search" "$SET" --limit "$LIMIT" "${typing[@]}" \
    | python3 -c 'import json,sys
for l in sys.stdin:
    r = json.loads(l); r["engine"] = "rust"; print(json.dumps(r, ensure_ascii=False))' > "$TMP/rust.jsonl" \
    || say "rust: failed"
  say "rust done ($(stamp))"
fi

BROWSER_ENGINES=""
has browser && BROWSER_ENGINES=browser
if has pagefind; then
  if [ ! -x "$PF_DIR/node_modules/.bin/pagefind" ]; then
    say "installing pagefind@1.6 into $PF_DIR"
    mkdir -p "$PF_DIR"
    (cd "$PF_DIR" && npm install --silent --no-audit --no-fund pagefind@1.6 >&2) || say "pagefind: npm install failed"
  fi
  if "$PF_DIR/node_modules/.bin/pagefind" --site "$TMP/public" > "$TMP/pagefind.log" 2>&1; then
    say "pagefind $("$PF_DIR/node_modules/.bin/pagefind" --version 2>/dev/null) indexed $TMP/public ($(grep -o 'Indexed [0-9]* pages' "$TMP/pagefind.log" | head -1)) ($(stamp))"
    BROWSER_ENGINES=${BROWSER_ENGINES:+$BROWSER_ENGINES,}pagefind
  else
    say "pagefind failed: $(tail -3 "$TMP/pagefind.log")"
  fi
fi
if [ -n "$BROWSER_ENGINES" ]; then
  say "$BROWSER_ENGINES: headless Chromium"
  LIMIT="$LIMIT" SEARCH_SET_BROWSER_ENGINES="$BROWSER_ENGINES" \
    node "$REPO/bench/search-set-browser.mjs" "$TMP/public" "$SET" "$BASE" > "$TMP/browser.jsonl" \
    || say "browser: failed"
  say "$BROWSER_ENGINES done ($(stamp))"
fi

cat "$TMP"/*.jsonl 2>/dev/null > "$TMP/all.jsonl"
PUB="$TMP/public" BASE="$BASE" LIMIT="$LIMIT" KIND="${SEARCH_SET_KIND:-}" ENGINES="$ENGINES" \
  OUT_JSON="${SEARCH_SET_JSON:-}" ELAPSED="$(stamp)" python3 - "$SET" "$TMP/all.jsonl" <<'PY'
import json, os, re, sys, urllib.parse
from collections import OrderedDict

pub, base, limit = os.environ["PUB"], os.environ["BASE"], int(os.environ["LIMIT"])
only, asked = os.environ["KIND"], os.environ["ENGINES"].split(",")
queries = json.load(open(sys.argv[1], encoding="utf-8"))
if only:
    queries = [x for x in queries if x["kind"] == only]
got = {}
for line in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(line)
    got[(r["engine"], r["q"])] = r

def path(u):
    return urllib.parse.urlparse(u).path if re.match(r"https?://", u) else u

docs = re.compile("^" + re.escape(base) + r"(mo-hinh|tuyen-duong)/[^/]+/$")
engines = [e for e in ["cli", "rust", "browser", "pagefind"] if e in asked]
if "pagefind" in engines and any(k[0] == "pagefind" for k in got):
    engines.append("pagefind-docs")
engines = [e for e in engines if any(k[0] == e.replace("-docs", "") for k in got)]
short = {"cli": "cli", "rust": "rust", "browser": "brow", "pagefind": "pf", "pagefind-docs": "pfd"}

def urls_of(engine, q):
    r = got.get((engine.replace("-docs", ""), q))
    if r is None:
        return None, "no answer"
    us = [path(u) for u in r.get("urls", [])]
    if engine == "pagefind-docs":
        us = [u for u in us if docs.match(u)]
    return us[:limit], r.get("error", "")

# Every expected page should be a page of the built site (not a redirect).
for x in queries:
    rel = x["expect"][len(base):] if x["expect"].startswith(base) else None
    f = os.path.join(pub, rel, "index.html") if rel is not None else None
    if not f or not os.path.isfile(f):
        print(f"search-set-all: warning: {x['expect']} (query {x['q']!r}) is no page of the built site", file=sys.stderr)
    elif "http-equiv=\"refresh\"" in open(f, encoding="utf-8").read(3000).lower():
        print(f"search-set-all: warning: {x['expect']} (query {x['q']!r}) only redirects", file=sys.stderr)

kinds = OrderedDict()
totals = {e: 0 for e in engines}
rows = []
width = max([len(x["kind"]) for x in queries] + [4])
head = " ".join(f"{short[e]:>4}" for e in engines)
print(f"{head} | bound {'kind':<{width}} query")
for x in queries:
    k = kinds.setdefault(x["kind"], {"n": 0, **{e: 0 for e in engines}})
    k["n"] += 1
    cells, misses, row = [], [], {"q": x["q"], "kind": x["kind"], "expect": x["expect"], "rank": x["rank"]}
    for e in engines:
        us, err = urls_of(e, x["q"])
        rank = us.index(x["expect"]) + 1 if us and x["expect"] in us else None
        met = rank is not None and rank <= x["rank"]
        row[e] = rank
        if err:
            row[e + "_error"] = err
        if met:
            k[e] += 1
            totals[e] += 1
        cell = ("E" if err and not us else str(rank) if rank else "-") + ("" if met else "*")
        cells.append(f"{cell:>4}")
        if not met and not e.startswith("pagefind"):
            misses.append(f"{e}: {err or (us[0] if us else 'no results')}")
    rows.append(row)
    line = f"{' '.join(cells)} | {x['rank']:>5} {x['kind']:<{width}} {x['q']}"
    if misses:
        line += f"   [want {x['expect']}; first {'; '.join(misses)}]"
    print(line, flush=True)

names = {"cli": "cli", "rust": "rust", "browser": "browser", "pagefind": "pagefind", "pagefind-docs": "pagefind, docs only"}
print()
print("| kind | queries | " + " | ".join(names[e] for e in engines) + " |")
print("|---|---" + "|---" * len(engines) + "|")
for kind, k in kinds.items():
    print(f"| {kind} | {k['n']} | " + " | ".join(str(k[e]) for e in engines) + " |")
n = len(queries)
pct = lambda m: f"{100 * m / n:.1f} %" if n else "-"
print(f"| **total** | **{n}** | " + " | ".join(f"**{totals[e]} ({pct(totals[e])})**" for e in engines) + " |")
ours = [e for e in engines if not e.startswith("pagefind")]
for pf in [e for e in engines if e.startswith("pagefind")]:
    beaten = [f"{kind} ({e} {k[e]} < {k[pf]})" for kind, k in kinds.items() for e in ours if k[pf] > k[e]]
    print(f"\n{names[pf]} beats ours on: {', '.join(beaten) if beaten else 'no kind'}")
print(f"\n{n} queries, limit {limit}, {os.environ['ELAPSED']} in all")
# An engine asked for that gave no answer is no figure: say so, and fail.
silent = [e for e in asked if e in short and not any(k[0] == e for k in got)]
if silent:
    print(f"search-set-all: no answers from {', '.join(silent)} (see the messages above): "
          "their columns are missing", file=sys.stderr)
if os.environ.get("OUT_JSON"):
    with open(os.environ["OUT_JSON"], "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False, indent=1)
sys.exit(1 if silent else 0)
PY

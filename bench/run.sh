#!/usr/bin/env bash
# Benchmark of `dienhinh build` against its peers (issues 6 and 21).
#
# First the peer rows: bench/peers.sh runs ../shared/peers/compare.sh (Hugo
# and Zola as their users set them up, cold builds alternating), then warm
# builds of each in the same folders (--peer-sizes, default 10000;
# --no-peers skips them). Then, per size, dienhinh on its own bench corpus
# (and Hugo with related content, a second, labelled row):
#
#   bench/run.sh            1,000 and 10,000 models (100 and 1,000 ceremonies)
#   bench/run.sh --full     also 100,000 models (10,000 ceremonies): long
#   bench/run.sh --sizes "1000 5000" --runs 5
#   bench/run.sh --full --hugo-sizes "1000 10000"   Hugo only where named
#                                                  (Hugo at 100k takes hours)
#
# For each size, from one run on one generated corpus: cold build time
# (hyperfine, output and cache removed before each) and nothing-changed
# rebuild time, input documents/s, output pages/s, peak memory
# (/usr/bin/time -v), output size, per-stage times and the search index's
# share (DIENHINH_TIMINGS=1), whether two builds are byte-identical
# (diff -r), the incremental rebuild in `serve` for one edited model, and
# Hugo's build time and memory on the same corpus converted by
# bench/to_hugo.py, with the ratio. Writes bench/RESULTS.md (the part between
# the run.sh markers; the notes below them are kept).
#
# Installs what it lacks with apt-get (hyperfine, hugo, time, python3-yaml).
# Work files go to $BENCH_DIR (default /tmp/dienhinh-bench).
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
SIZES="1000 10000"
RUNS=3
SEED=1
FULL=0
HUGO_SIZES=""
PEER_SIZES=10000
while [ $# -gt 0 ]; do
    case "$1" in
        --full) FULL=1; SIZES="1000 10000 100000" ;;
        --sizes) SIZES="$2"; shift ;;
        --runs) RUNS="$2"; shift ;;
        --seed) SEED="$2"; shift ;;
        --hugo-sizes) HUGO_SIZES="$2"; shift ;;
        --peer-sizes) PEER_SIZES="$2"; shift ;;
        --no-peers) PEER_SIZES="" ;;
        -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
HUGO_SIZES=${HUGO_SIZES:-$SIZES}
WORK=${BENCH_DIR:-/tmp/dienhinh-bench}
mkdir -p "$WORK"

# --- tools ------------------------------------------------------------------
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v hugo >/dev/null || missing+=(hugo)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null || missing+=(python3)
python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get install -y "${missing[@]}" || { $SUDO apt-get update && $SUDO apt-get install -y "${missing[@]}"; }
fi
HUGO_VERSION=$(hugo version | head -1)
echo "== $HUGO_VERSION"

echo "== building dienhinh and the corpus generator (release)"
cargo build --release --quiet --bin dienhinh --example gen_corpus
BIN="$REPO/target/release/dienhinh"
GEN="$REPO/target/release/examples/gen_corpus"

RESULTS="$WORK/results.jsonl"
: > "$RESULTS"
PEERS="$WORK/peers.jsonl"
: > "$PEERS"
if [ -n "$PEER_SIZES" ]; then
    echo "== peers (cold, then warm): $PEER_SIZES"
    # shellcheck disable=SC2086
    bench/peers.sh "$PEERS" $PEER_SIZES
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || REV="$REV (uncommitted changes in the tree)"

# Bytes in the files under a directory (du would count the folders too).
bytes_in() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }

# The value of `key` in a JSON file.
json() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0][sys.argv[2]])' "$@"; }

for N in $SIZES; do
    C=$((N / 10))
    SITE="$WORK/site-$N"
    OUT="$WORK/out-$N"
    HSITE="$WORK/hugo-$N"
    echo
    echo "== $N models, $C ceremonies"
    "$GEN" --models "$N" --ceremonies "$C" --seed "$SEED" --out "$SITE"
    DOCS=$(find "$SITE/content" -name '*.md' | wc -l)
    INPUT_BYTES=$(bytes_in "$SITE/content")

    # First build: warms the operating system's page cache and writes
    # urls.lock, so the timed builds all do the same work.
    "$BIN" --quiet -C "$SITE" build -o "$OUT" >/dev/null
    # Cold builds, as a CI deploy runs one: no previous output, no cache
    # (.dienhinh/), removed before each.
    COLD="rm -rf $OUT $WORK/.out-$N~* $SITE/.dienhinh"
    hyperfine --style basic --runs "$RUNS" --export-json "$WORK/dienhinh-$N.json" \
        --prepare "$COLD" "$BIN --quiet -C $SITE build -o $OUT"
    DH_MEAN=$(json "$WORK/dienhinh-$N.json" mean)
    DH_SD=$(json "$WORK/dienhinh-$N.json" stddev)
    # Then nothing changed: the last build's output and cache kept.
    hyperfine --style basic --runs "$RUNS" --export-json "$WORK/dienhinh-warm-$N.json" \
        "$BIN --quiet -C $SITE build -o $OUT"
    DH_WARM=$(json "$WORK/dienhinh-warm-$N.json" mean)

    # Peak memory and stage times from one more cold build.
    eval "$COLD"
    DIENHINH_TIMINGS=1 /usr/bin/time -v "$BIN" --quiet -C "$SITE" build -o "$OUT" \
        2> "$WORK/dienhinh-$N.time" >/dev/null
    DH_RSS=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$WORK/dienhinh-$N.time")
    PAGES=$(find "$OUT" -name '*.html' | wc -l)
    FILES=$(find "$OUT" -type f | wc -l)
    OUT_BYTES=$(bytes_in "$OUT")
    SEARCH_BYTES=0
    [ -d "$OUT/_search" ] && SEARCH_BYTES=$(bytes_in "$OUT/_search")

    # Byte-identical rebuild: a second output directory, compared.
    "$BIN" --quiet -C "$SITE" build -o "$OUT-again" >/dev/null
    if diff -r -q "$OUT" "$OUT-again" > "$WORK/diff-$N.txt"; then IDENTICAL=yes; else IDENTICAL=no; fi
    rm -rf "$OUT-again" "$WORK/.out-$N-again"~*

    # Incremental rebuild in serve (one edited model).
    timeout 600 python3 "$REPO/bench/serve_edit.py" "$BIN" "$SITE" > "$WORK/serve-$N.json" 2>"$WORK/serve-$N.err" \
        || echo '{"error": "serve_edit.py failed, see serve-'"$N"'.err"}' > "$WORK/serve-$N.json"
    cat "$WORK/serve-$N.json"

    # Hugo on the same corpus.
    HUGO_MEAN=None HUGO_SD=None HUGO_RSS=None HUGO_PAGES=None HUGO_BYTES=None HUGO_NOREL=None
    if [[ " $HUGO_SIZES " == *" $N "* ]]; then
        python3 "$REPO/bench/to_hugo.py" "$SITE" "$HSITE" >/dev/null
        rm -rf "$HSITE/public"
        hugo --quiet -s "$HSITE" >/dev/null
        hyperfine --style basic --runs "$RUNS" --export-json "$WORK/hugo-$N.json" \
            --prepare "rm -rf $HSITE/public $HSITE/resources" "hugo --quiet -s $HSITE"
        HUGO_MEAN=$(json "$WORK/hugo-$N.json" mean)
        HUGO_SD=$(json "$WORK/hugo-$N.json" stddev)
        rm -rf "$HSITE/public"
        /usr/bin/time -v hugo --quiet -s "$HSITE" 2> "$WORK/hugo-$N.time" >/dev/null
        HUGO_RSS=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$WORK/hugo-$N.time")
        HUGO_PAGES=$(find "$HSITE/public" -name '*.html' | wc -l)
        HUGO_BYTES=$(bytes_in "$HSITE/public")
        # Hugo's related content (.Related) grows faster than linearly with the
        # number of pages: one more timing without it, to show its share.
        rm -rf "$HSITE/public"
        HUGO_NOREL=$( { /usr/bin/time -f '%e' env HUGO_PARAMS_RELATED=false hugo --quiet -s "$HSITE" >/dev/null; } 2>&1 | tail -1)
    fi

    python3 - "$RESULTS" <<EOF
import json, re, sys
stages = {}
for line in open("$WORK/dienhinh-$N.time", encoding="utf-8"):
    m = re.match(r"timing: (.+?) ([0-9.]+) ms", line)
    if m:
        stages[m.group(1)] = float(m.group(2))
row = dict(models=$N, ceremonies=$C, docs=$DOCS, input_bytes=$INPUT_BYTES,
           dh_mean=$DH_MEAN, dh_sd=$DH_SD, dh_warm_mean=$DH_WARM, dh_rss_kb=$DH_RSS, pages=$PAGES, files=$FILES,
           out_bytes=$OUT_BYTES, search_bytes=int("${SEARCH_BYTES:-0}" or 0), identical="$IDENTICAL",
           stages=stages, serve=json.load(open("$WORK/serve-$N.json", encoding="utf-8")),
           hugo_mean=$HUGO_MEAN, hugo_sd=$HUGO_SD, hugo_rss_kb=$HUGO_RSS,
           hugo_pages=$HUGO_PAGES, hugo_bytes=$HUGO_BYTES, hugo_norelated_s=$HUGO_NOREL)
open(sys.argv[1], "a").write(json.dumps(row, ensure_ascii=False) + "\n")
EOF
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
python3 "$REPO/bench/report.py" "$RESULTS" "$REPO/bench/RESULTS.md" \
    --hugo "$HUGO_VERSION" --runs "$RUNS" --seed "$SEED" --load "$LOAD_BEFORE → $LOAD_AFTER" --rev "$REV" \
    --peers "$PEERS"
if [ "$FULL" -eq 0 ]; then
    echo
    echo "100,000 models were not run (it takes long): bench/run.sh --full"
fi

#!/usr/bin/env bash
# dienhinh beside Hugo and Zola as their users run them (issue 21), cold
# and then warm, on one corpus; one JSON line per size appended to OUT.
#
#   bench/peers.sh OUT.jsonl [N ...]        default N: 10000
#
# Cold: ../shared/peers/compare.sh N (or $PEERS_COMPARE): one corpus of N
# models converted to each tool's schema with minimal templates (list,
# single, taxonomies with pagination and feeds), each tool's output and
# cache removed before every build, three builds each, alternating;
# medians. Warm: then, in the same folders, three more builds each,
# alternating, each tool keeping its previous output (what a user's second
# `build` meets, nothing changed); medians. Edited: three more rounds, each
# after one model's body got a line more (the same file in each tool's
# corpus, written to a temporary file and renamed over it, as editors'
# programs save); medians. Last, dienhinh's peak memory: one cold build,
# then one check (`peak_kb`). The load average before and after is recorded:
# the machine may be shared, and only ratios from one alternating run
# compare.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/timing.sh
OUT=$1
shift
SIZES=${*:-10000}
COMPARE=${PEERS_COMPARE:-../shared/peers/compare.sh}
if [ ! -x "$COMPARE" ] && [ ! -f "$COMPARE" ]; then
    echo "== peers: $COMPARE not found; no peer rows (set PEERS_COMPARE)" >&2
    exit 0
fi
BIN=$(pwd)/target/release/dienhinh
# The peak resident memory, in KB, of a command run in a folder (its
# output thrown away): the kernel's maximum for the child, as
# /usr/bin/time -v reports it, without needing that program.
peak_kb() {
    local d=$1
    shift
    (cd "$d" && python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if r.returncode:
    print(f"peers: {sys.argv[1:]} failed (exit {r.returncode})", file=sys.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@")
}
for N in $SIZES; do
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
    LOG=$(mktemp)
    KEEP=1 bash "$COMPARE" "$N" | tee "$LOG" >&2
    T=$(sed -n 's/^kept: //p' "$LOG")
    LINE=$(grep '^N=' "$LOG")
    rm -f "$LOG"
    [ -n "$T" ] && [ -d "$T" ] || { echo "peers: compare.sh kept no folder" >&2; exit 1; }
    ZOLA=$(command -v zola || echo "$T/zola-bin")
    # Each cold round apart (compare.sh's o, h, z: seconds and exit code),
    # and how many inodes (files and folders; a hard link makes none) each
    # tool's output holds, and how many names: on ext4 without a journal,
    # making an inode scans the inodes freed in the last minute, so later
    # rounds, which follow the removal of the round before, cost each tool
    # in proportion to the inodes it makes.
    ROUNDS=$(for f in o h z; do cut -d' ' -f1 "$T/$f" | paste -sd' '; done | paste -sd'|')
    INODES=$(for d in ours hugo zola; do find "$T/$d/public" -printf '%i\n' | sort -u | wc -l; done | paste -sd' ')
    NAMES=$(for d in ours hugo zola; do find "$T/$d/public" | wc -l; done | paste -sd' ')
    : > "$T/wo"
    : > "$T/wh"
    : > "$T/wz"
    for _ in 1 2 3; do
        secs "$T/ours" "$BIN" build >> "$T/wo"
        secs "$T/hugo" hugo --quiet -d public >> "$T/wh"
        secs "$T/zola" "$ZOLA" build >> "$T/wz"
    done
    : > "$T/eo"
    : > "$T/eh"
    : > "$T/ez"
    NAME=$(ls "$T/ours/content/mo-hinh" | grep -v '^_' | sed -n 1p)
    for i in 1 2 3; do
        for d in ours hugo zola; do
            f="$T/$d/content/mo-hinh/$NAME"
            { cat "$f"; printf '\nDòng thêm %s.\n' "$i"; } > "$f.tmp" && mv "$f.tmp" "$f"
        done
        secs "$T/ours" "$BIN" build >> "$T/eo"
        secs "$T/hugo" hugo --quiet -d public >> "$T/eh"
        secs "$T/zola" "$ZOLA" build >> "$T/ez"
    done
    # Peak memory (issue 21: build and check each ≤ 300 MB at 10k): one
    # cold build, then one check, each alone.
    rm -rf "$T/ours/public" "$T/ours"/.public~* "$T/ours/.dienhinh"
    PEAK_BUILD=$(peak_kb "$T/ours" "$BIN" build)
    PEAK_CHECK=$(peak_kb "$T/ours" "$BIN" check)
    LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
    python3 - "$OUT" "$N" "$LINE" "$(med < "$T/wo")" "$(med < "$T/wh")" "$(med < "$T/wz")" \
        "$LOAD_BEFORE" "$LOAD_AFTER" "$(hugo version | head -1)" \
        "$(med < "$T/eo")" "$(med < "$T/eh")" "$(med < "$T/ez")" \
        "$PEAK_BUILD" "$PEAK_CHECK" "$ROUNDS" "$INODES" "$NAMES" <<'PY'
import json, re, sys
out, n, line, wo, wh, wz, before, after, hugo, eo, eh, ez, pb, pc, rounds, inodes, names = sys.argv[1:18]
cold = {k: float(v) for k, v in re.findall(r"(hugo|zola|dienhinh) ([0-9.]+)s", line)}
tools = ("dienhinh", "hugo", "zola")
rounds = {t: [float(x) for x in r.split()] for t, r in zip(tools, rounds.split("|"))}
inodes = dict(zip(tools, map(int, inodes.split())))
names = dict(zip(tools, map(int, names.split())))
row = {"models": int(n), "cold": cold, "cold_rounds": rounds, "output_inodes": inodes,
       "output_names": names,
       "warm": {"dienhinh": float(wo), "hugo": float(wh), "zola": float(wz)},
       "edited": {"dienhinh": float(eo), "hugo": float(eh), "zola": float(ez)},
       "peak_kb": {"build_cold": int(pb), "check": int(pc)},
       "load": f"{before} → {after}", "hugo_version": hugo, "zola_version": "0.22.1",
       "command": f"../shared/peers/compare.sh {n}, then 3 warm and 3 one-model-edited builds each (bench/peers.sh)"}
open(out, "a").write(json.dumps(row) + "\n")
print(json.dumps(row))
PY
    rm -rf "$T"
done

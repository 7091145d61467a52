#!/usr/bin/env bash
# Cold builds as a CI deploy meets them: each build in a fresh copy of its
# corpus (a new checkout: no output, no cache, nothing removed just
# before), dienhinh, Hugo and Zola alternating, three rounds; medians and
# ratios. Nothing is removed until the end.
#
#   bench/fresh.sh [N]        default N: 10000
#
# Why beside ../shared/peers/compare.sh, which removes each tool's output
# before each of its builds: on ext4 without a journal (this machine's
# disk), making an inode scans the group's inodes freed in the last minute
# or six (ext4's recently_deleted check), so a build right after `rm -rf` of its
# own previous output pays for every inode that output held, in proportion
# to how many it makes. A fresh checkout has no such inodes. Both figures
# go to bench/RESULTS.md; issue 21's targets are on compare.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/timing.sh
N=${1:-10000}
COMPARE=${PEERS_COMPARE:-../shared/peers/compare.sh}
BIN=$(pwd)/target/release/dienhinh
LOG=$(mktemp)
# compare.sh makes and converts the corpus; its own timings are not used.
KEEP=1 bash "$COMPARE" "$N" > "$LOG"
T=$(sed -n 's/^kept: //p' "$LOG")
rm -f "$LOG"
[ -n "$T" ] && [ -d "$T" ] || { echo "fresh: compare.sh kept no folder" >&2; exit 1; }
ZOLA=$(command -v zola || echo "$T/zola-bin")
for d in ours hugo zola; do
    rm -rf "$T/$d/public" "$T/$d"/.public~* "$T/$d/.dienhinh" "$T/$d/resources" "$T/$d/.hugo_build.lock"
done
sync
# Past ext4's window for the inodes compare.sh just freed: a minute, or
# six while their inode table's block is dirty, as the next build's own
# inodes in that block make it.
sleep 370
: > "$T/fo"
: > "$T/fh"
: > "$T/fz"
for i in 1 2 3; do
    for d in ours hugo zola; do
        cp -r "$T/$d" "$T/$d-$i"
    done
    sync
    secs "$T/ours-$i" "$BIN" build >> "$T/fo"
    secs "$T/hugo-$i" hugo --quiet -d public >> "$T/fh"
    secs "$T/zola-$i" "$ZOLA" build >> "$T/fz"
done
o=$(med < "$T/fo")
h=$(med < "$T/fh")
z=$(med < "$T/fz")
echo "N=$N fresh: hugo ${h}s ($(paste -sd' ' "$T/fh")) zola ${z}s ($(paste -sd' ' "$T/fz"))" \
    "dienhinh ${o}s ($(paste -sd' ' "$T/fo"))" \
    "ratio_vs_hugo $(echo "scale=3; $o/$h" | bc) ratio_vs_zola $(echo "scale=3; $o/$z" | bc)"
rm -rf "$T"

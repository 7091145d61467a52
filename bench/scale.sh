#!/usr/bin/env bash
# How a cold build grows from 10,000 to 100,000 models (issue 21: "100k ≤ 10×
# the 10k time", "peak ≤ 2 GB at 100k"), each build as a CI deploy meets it:
# in a fresh copy of its corpus, with no output, no cache and nothing removed
# just before. Not run in CI (about a quarter of an hour).
#
#   bench/scale.sh [ROUNDS]        default 2 rounds: 10k, 100k, 10k, 100k, 10k
#
# Why fresh copies rather than removing the last output (bench/run.sh does
# that): on this machine's ext4, making an inode scans the inodes its group
# freed in the last minutes (bench/fresh.sh says more), so a 100k build right
# after `rm -rf` of its own 335,000-file output spent 41–44 s in the kernel
# that a checkout never pays. Nothing is removed until the end, after the
# figures are printed; the script first waits out the window for inodes
# freed before it started.
#
# Prints each build's wall time, user and system CPU and peak memory (in
# bytes, so "2 GB" is not read two ways), then the 100k ÷ 10k ratios of each
# 100k build against the 10k builds either side. The binary is
# target/release/dienhinh as built (cargo build --release --examples), or
# DIENHINH_BIN (a copy, so that a compile meanwhile cannot change it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}
BIN=${DIENHINH_BIN:-$(pwd)/target/release/dienhinh}
GEN=$(pwd)/target/release/examples/gen_corpus
[ -x "$BIN" ] && [ -x "$GEN" ] || { echo "scale: cargo build --release --examples first" >&2; exit 1; }
W=$(mktemp -d /tmp/scale.XXXX)
trap 'rm -rf "$W"' EXIT
"$GEN" --models 10000 --ceremonies 1000 --seed 1 --out "$W/c10k" >/dev/null
"$GEN" --models 100000 --ceremonies 10000 --seed 1 --out "$W/c100k" >/dev/null
sync
[ "${SCALE_NO_WAIT:-}" ] || sleep 370

# One cold build of corpus $1 in a fresh copy; prints "N wall user sys peak_bytes".
build() {
    local c=$1 d
    d=$(mktemp -d "$W/run.XXXX")
    cp -r "$W/$c/." "$d"
    sync
    /usr/bin/time -f "%e %U %S %M" -o "$W/time" "$BIN" --quiet -C "$d" build >/dev/null 2>&1 \
        || { echo "scale: the build of $c failed" >&2; exit 1; }
    read -r wall user sys kb < "$W/time"
    echo "$c $wall $user $sys $((kb * 1024))"
}

: > "$W/runs"
build c10k | tee -a "$W/runs"
for _ in $(seq 1 "$ROUNDS"); do
    build c100k | tee -a "$W/runs"
    build c10k | tee -a "$W/runs"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# Each 100k build against the 10k builds just before and after it.
awk '{n[NR]=$1; t[NR]=$2; p[NR]=$5}
     END {
       for (i = 2; i < NR; i += 2)
         printf "100k build %d: %.2f s (%.2f× and %.2f× the 10k builds either side), peak %.3f GB = %.3f GiB\n",
                i / 2, t[i], t[i] / t[i-1], t[i] / t[i+1], p[i] / 1e9, p[i] / 2^30
     }' "$W/runs"

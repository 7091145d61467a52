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
# 100k build against the 10k builds either side. Beside them, what the rest
# of the machine did meanwhile, from /proc: the megabytes the kernel wrote
# back to disk during the build (a 100k build's output passes the kernel's
# dirty-page threshold and is written back while the build runs; a 10k
# build's is not, until after it ends), the CPU seconds spent outside the
# build (the kernel's writeback threads among them, on a machine of two
# cores), and the seconds the host took the virtual CPUs away (steal).
#
# The binary is target/release/dienhinh as built (cargo build --release
# --examples), or DIENHINH_BIN (a copy, so that a compile meanwhile cannot
# change it).
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

# The machine's counters: pages written back since boot, then busy and
# stolen CPU time in clock ticks (all CPUs).
machine() {
    local written
    written=$(awk '$1 == "nr_written" {print $2}' /proc/vmstat)
    awk -v w="$written" '$1 == "cpu" {print w, $2 + $3 + $4 + $7 + $8 + $9, $9}' /proc/stat
}

# One cold build of corpus $1 in a fresh copy; prints "N wall user sys
# peak_bytes written_back_MB other_cpu_s steal_s".
build() {
    local c=$1 d w0 b0 s0 w1 b1 s1 hz
    d=$(mktemp -d "$W/run.XXXX")
    cp -r "$W/$c/." "$d"
    sync
    hz=$(getconf CLK_TCK)
    read -r w0 b0 s0 < <(machine)
    /usr/bin/time -f "%e %U %S %M" -o "$W/time" "$BIN" --quiet -C "$d" build >/dev/null 2>&1 \
        || { echo "scale: the build of $c failed" >&2; exit 1; }
    read -r w1 b1 s1 < <(machine)
    read -r wall user sys kb < "$W/time"
    awk -v c="$c" -v wall="$wall" -v user="$user" -v sys="$sys" -v kb="$kb" -v hz="$hz" \
        -v w="$((w1 - w0))" -v b="$((b1 - b0))" -v s="$((s1 - s0))" 'BEGIN {
          other = (b - s) / hz - user - sys
          printf "%s %s %s %s %d %.0f %.1f %.1f\n", c, wall, user, sys, kb * 1024,
                 w * 4096 / 1e6, (other > 0 ? other : 0), s / hz
        }'
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
echo "columns: corpus, wall s, user s, system s, peak bytes, MB written back during the build, CPU s outside the build, steal s"

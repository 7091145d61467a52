#!/usr/bin/env bash
# How rebuild time grows from 10k to 100k models, without Hugo (issue 6's
# "100k ≤ 11× the 10k time"); not run in CI.
#
#   bench/rebuild-scale.sh WORK_DIR
#
# WORK_DIR is a bench/run.sh work dir holding site-10000 and site-100000
# (and their out-N folders). Fills each output's two trees and their
# ledgers with two builds, then times 10k and 100k builds twice,
# interleaved, printing stage times (DIENHINH_TIMINGS=1) and peak memory.
# The binary is target/release/dienhinh as built (cargo build --release).
set -euo pipefail
B=${1:?usage: bench/rebuild-scale.sh WORK_DIR}
BIN=$(cd "$(dirname "$0")/.." && pwd)/target/release/dienhinh
for N in 10000 100000; do
  for _ in 1 2; do
    /usr/bin/time -f "fill $N: %e s" "$BIN" --quiet -C "$B/site-$N" build -o "$B/out-$N" >/dev/null
  done
done
for r in 1 2; do
  for N in 10000 100000; do
    echo -n "$N run $r: "
    DIENHINH_TIMINGS=1 /usr/bin/time -f "peak %M KB, %e s" "$BIN" --quiet -C "$B/site-$N" build -o "$B/out-$N" 2>&1 >/dev/null \
      | grep -E "^timing: (load|render|search|write|total) |^peak" | sed 's/ (rss.*)//' | tr '\n' ' '
    echo
  done
done

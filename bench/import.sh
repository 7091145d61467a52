#!/usr/bin/env bash
# How long `dienhinh import` takes on an office list of N rows (issue 22:
# 10,000 rows in under 5 s, validating the files it writes), and the build
# of the site it makes, which publishes /du-lieu/mo-hinh.xlsx too. Prints
# figures; not run in CI.
#
#   bench/import.sh [N]        (default 10000)
#
# Uses target/release/dienhinh (built here if missing) and the example
# gen_office_list. Work files go to $BENCH_DIR (default /tmp/dienhinh-import).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
W=${BENCH_DIR:-/tmp/dienhinh-import}
cargo build --release --quiet --bin dienhinh --example gen_office_list
BIN=$PWD/target/release/dienhinh
rm -rf "$W"; mkdir -p "$W"
target/release/examples/gen_office_list "$W/danh-sach.xlsx" "$N"
"$BIN" --quiet init "$W/site" </dev/null >/dev/null
# The example documents init writes are not part of an office's list.
rm -f "$W"/site/content/mo-hinh/*.md "$W"/site/content/tuyen-duong/*.md
cd "$W/site"
/usr/bin/time -f "import $N rows: %e s wall, %U s user, peak %M KB" \
  "$BIN" --quiet import ../danh-sach.xlsx </dev/null >/dev/null
echo "files written: $(ls content/mo-hinh | wc -l)"
/usr/bin/time -f "build (cold): %e s wall, peak %M KB" "$BIN" --quiet build </dev/null >/dev/null
/usr/bin/time -f "build (warm): %e s wall, peak %M KB" "$BIN" --quiet build </dev/null >/dev/null
echo "/du-lieu/mo-hinh.xlsx: $(stat -c %s public/du-lieu/mo-hinh.xlsx) bytes"

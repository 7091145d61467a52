#!/usr/bin/env bash
# What a link-preview card costs: drawn, and read back from the cache.
# Usage: bench/cards.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --quiet --example card_cost -- "${1:-50}"

#!/usr/bin/env bash
# Analysis benchmark: generate N sessions (≈5 items each), ingest them (the ingest also
# classifies and indexes), then time `signaalradar reindex` (classify + index everything from
# the store) and measure `shared` and `search` latency in process.
#
#   bench/analysis.sh [SESSIONS]      # default 20000 sessions ≈ 100k items
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${1:-20000}
cargo build --release -p dashboard --quiet
cargo build --release -p analysis --examples --quiet
bin=target/release/signaalradar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$bin generate --sessions "$sessions" --seed 42 --out "$work/input" >/dev/null
$bin --store "$work/store" ingest --json "$work/input"/sessies.* > "$work/summary.json"
items=$(python3 -c "import json; print(json.load(open('$work/summary.json'))['items_added'])")
echo "store: $items items"
for run in 1 2 3; do
    /usr/bin/time -v -o "$work/time.txt" $bin --store "$work/store" reindex --json > "$work/reindex.json"
    secs=$(python3 -c "import json; print(round(json.load(open('$work/reindex.json'))['seconds'], 2))")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    echo "reindex run $run: $items items classified and indexed in ${secs}s = $(python3 -c "print(round($items / $secs))") items/s, peak RSS $((rss / 1024)) MB"
done
target/release/examples/latency "$work/store"

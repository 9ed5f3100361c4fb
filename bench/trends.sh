#!/usr/bin/env bash
# Trend benchmark (release): the trend table, the tests behind the flags, escalation candidates
# and session evaluation, in process on frames loaded once, at 10k and 1M synthetic items; peak
# RSS of the 1M run; and loading a real generated store (about 100k items) into polars.
#
#   bench/trends.sh [SESSIONS]      # SESSIONS for the store part, default 20000 ≈ 100k items
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${1:-20000}
cargo build --release -p dashboard --quiet
cargo build --release -p analysis --example trends --quiet
example=target/release/examples/trends
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== 10k items"
$example synthetic 10000 200
echo "== 1M items"
/usr/bin/time -v -o "$work/time.txt" $example synthetic 1000000 20
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
echo "peak RSS of the whole 1M run (generation included): $((rss / 1024)) MB"
echo "== a generated store of $sessions sessions"
bin=target/release/signaalradar
$bin generate --sessions "$sessions" --seed 42 --out "$work/input" >/dev/null
$bin --store "$work/store" ingest --json "$work/input"/sessies.* > /dev/null
$example store "$work/store" 20
/usr/bin/time -v -o "$work/time.txt" $bin --store "$work/store" trends --as-of 2026-11-23 >/dev/null
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
echo "signaalradar trends (whole command: open store and index, load, compute, print): $wall, peak RSS $((rss / 1024)) MB"

#!/usr/bin/env bash
# Report benchmark (release): the whole `signaalradar report` command in every format (PDF,
# HTML, Markdown with PNG charts, CSV, XLSX) for one quarter, on the committed sample and on a
# generated store of about 1M items; with the time per format from the debug log.
#
#   bench/report.sh [SESSIONS]      # SESSIONS for the large store, default 200000 ≈ 1M items
#   BIG_STORE=DIR bench/report.sh   # reuse an ingested large store
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${1:-200000}
for tool in hyperfine sqlite3; do
  command -v "$tool" > /dev/null || { echo "bench/report.sh needs $tool: apt-get install -y $tool" >&2; exit 1; }
done
cargo build --release -p dashboard --quiet
bin=$PWD/target/release/signaalradar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
report() { # STORE OUT
  echo "$bin --store $1 report --period 2026-Q3 --as-of 2026-11-23 --out $2"
}

echo "== the committed sample (600 sessions, 3,067 items)"
$bin --store "$work/sample" --regions data/sample/regions.toml ingest --json data/sample/sessies.* > /dev/null
$bin --store "$work/sample" trends > /dev/null   # classify and index first, outside the timing
hyperfine --warmup 2 --runs 20 --export-json "$work/sample.json" "$(report "$work/sample" "$work/out")"
/usr/bin/time -v -o "$work/time.txt" $(report "$work/sample" "$work/out") > /dev/null
awk -F': ' '/Maximum resident set size/ {printf "peak RSS: %d MB\n", $2 / 1024}' "$work/time.txt"
SIGNAALRADAR_LOG=signaalradar=debug $(report "$work/sample" "$work/out") 2>&1 >/dev/null \
  | grep -o 'format=[A-Za-z]* elapsed=[0-9.]*[mµn]*s' || true
du -sh "$work/out" | awk '{print "output: " $1}'
ls -la "$work/out" | awk '/trendrapport/ {print "  " $5 " " $9}'

echo "== a generated store of $sessions sessions"
big=${BIG_STORE:-$work/big}
if [ -z "${BIG_STORE:-}" ]; then
  $bin generate --sessions "$sessions" --seed 42 --out "$work/input" > /dev/null
  $bin --store "$big" ingest --json "$work/input"/sessies.* > /dev/null
  $bin --store "$big" trends > /dev/null
fi
sqlite3 "$big/signaalradar.sqlite3" "SELECT 'items: ' || COUNT(*) FROM items" 2>/dev/null || true
hyperfine --warmup 1 --runs 5 --export-json "$work/big.json" "$(report "$big" "$work/out-big")"
/usr/bin/time -v -o "$work/time.txt" $(report "$big" "$work/out-big") > /dev/null
awk -F': ' '/Maximum resident set size/ {printf "peak RSS: %d MB\n", $2 / 1024}' "$work/time.txt"
SIGNAALRADAR_LOG=signaalradar=debug $(report "$big" "$work/out-big") 2>&1 >/dev/null \
  | grep -o 'format=[A-Za-z]* elapsed=[0-9.]*[mµn]*s' || true

#!/usr/bin/env bash
# Ingest benchmark: generate N sessions (≈5 items each) with the release binary, then time
# `signaalradar ingest --no-index` of all three files into a fresh store, end to end (parse,
# validate, anonymise, SQLite commit). With INDEX=1 the new items are also classified and
# indexed (the whole `ingest` command). Prints items/s and peak RSS.
#
#   bench/ingest.sh [SESSIONS]      # default 20000 sessions ≈ 100k items
#   INDEX=1 bench/ingest.sh         # parse, validate, anonymise, store, classify, index
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${1:-20000}
cargo build --release -p dashboard --quiet
bin=target/release/signaalradar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$bin generate --sessions "$sessions" --seed 42 --out "$work/input" >/dev/null
items=$(wc -l < "$work/input/sessies.csv")
echo "input: $sessions sessions, $(ls "$work/input" | tr '\n' ' ')"

runs=${RUNS:-10}   # RUNS=N to change
no_index=--no-index
[ "${INDEX:-}" = 1 ] && no_index=""
best=""
for run in $(seq $runs); do
    rm -rf "$work/store"
    /usr/bin/time -v -o "$work/time.txt" $bin --store "$work/store" ingest --json ${no_index} \
        "$work/input/sessies.jsonl" "$work/input/sessies.csv" "$work/input/sessies.xlsx" > "$work/summary.json"
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2, t, ":"); if (length(t) == 3) print t[1]*3600 + t[2]*60 + t[3]; else print t[1]*60 + t[2]}' "$work/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    added=$(python3 -c "import json,sys; print(json.load(open('$work/summary.json'))['items_added'])")
    rate=$(python3 -c "print(round($added / $secs))")
    echo "run $run: $added items in ${secs}s = $rate items/s, peak RSS $((rss / 1024)) MB"
    echo "$rate" >> "$work/rates.txt"
done
sort -n "$work/rates.txt" | awk '{r[NR] = $1} END {printf "items/s over %d runs: min %d, median %d, max %d\n", NR, r[1], r[int((NR + 1) / 2)], r[NR]}'


#!/usr/bin/env bash
# Interleaved A/B of two release binaries on the same generated input: `ingest` (the whole
# command: parse, validate, anonymise, store, classify, index) into a fresh store, then
# `reindex` of that store, alternating the binaries run by run so that a machine whose speed
# drifts (shared virtual machines do) weighs on both alike. Prints the median per binary.
#
#   cp target/release/signaalradar /tmp/before   # build the older commit first
#   bench/compare.sh /tmp/before target/release/signaalradar [SESSIONS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1 b=$2 sessions=${3:-20000} runs=${4:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$b" generate --sessions "$sessions" --seed 42 --out "$work/input" >/dev/null
input=("$work/input/sessies.jsonl" "$work/input/sessies.csv" "$work/input/sessies.xlsx")
for run in $(seq "$runs"); do
    for side in A B; do
        bin=$a; [ "$side" = B ] && bin=$b
        rm -rf "$work/store"
        /usr/bin/time -f "%e" -o "$work/t" "$bin" --store "$work/store" ingest --json "${input[@]}" > "$work/summary.json"
        echo "$side ingest $(cat "$work/t") $(python3 -c "import json; print(json.load(open('$work/summary.json'))['items_added'])")" >> "$work/times"
        /usr/bin/time -f "%e" -o "$work/t" "$bin" --store "$work/store" reindex --json > /dev/null
        echo "$side reindex $(cat "$work/t") 0" >> "$work/times"
    done
done
python3 - "$work/times" "$a" "$b" <<'PY'
import collections, statistics, sys
times = collections.defaultdict(list)
items = 0
for line in open(sys.argv[1]):
    side, step, secs, added = line.split()
    times[(side, step)].append(float(secs))
    items = max(items, int(added))
for side, name in (("A", sys.argv[2]), ("B", sys.argv[3])):
    for step in ("ingest", "reindex"):
        t = sorted(times[(side, step)])
        m = statistics.median(t)
        print(f"{side} {name} {step}: median {m:.2f} s ({items / m:,.0f} items/s), runs {t}")
PY

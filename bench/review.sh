#!/usr/bin/env bash
# Review loop benchmark: the review page and the review API on a store of N generated sessions
# (≈5 items each), over HTTP on loopback, as a national supporter.
#
#   bench/review.sh [SESSIONS]      # default 20000 sessions ≈ 100k items
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${1:-20000}
cargo build --release -p dashboard --quiet
bin=target/release/signaalradar
work=$(mktemp -d)
server=""
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
$bin generate --sessions "$sessions" --seed 42 --out "$work/input" >/dev/null
$bin --store "$work/store" ingest --json "$work/input"/sessies.* > "$work/summary.json"
echo "store: $(python3 -c "import json; print(json.load(open('$work/summary.json'))['items_added'])") items"
echo "lang-genoeg-wachtwoord" | $bin --store "$work/store" user add --role landelijk --password-stdin bench >/dev/null
token=$($bin --store "$work/store" token add --user bench | grep -Eo "[0-9a-f]{64}" | head -1)
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
$bin --store "$work/store" serve --addr "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
measure() {  # name, path: 200 requests one after another, p50 and p99 of the total time
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$port$2")
    [ "$status" = 200 ] || { echo "$2 answered $status, not 200" >&2; exit 1; }
    for i in $(seq 200); do
        curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "http://127.0.0.1:$port$2"
    done | sort -n | awk -v name="$1" '{t[NR]=$1*1000} END {printf "%s: %d requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", name, NR, t[int(NR*0.5)], t[int(NR*0.99)], t[NR]}'
}
measure "GET /beoordelen (the page)" "/beoordelen"
measure "GET /api/v1/review (first page)" "/api/v1/review"
measure "GET /api/v1/review?offset=2000" "/api/v1/review?offset=2000"
# A review: recorded, the item's index document replaced, the trends reloaded (one by one).
ids=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/review?limit=20" \
    | python3 -c "import json,sys; print(' '.join(i['item_id'] for i in json.load(sys.stdin)['items']))")
for id in $ids; do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X POST -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/json' -d '{"themes": ["corona"]}' "http://127.0.0.1:$port/api/v1/review/$id"
done | sort -k2 -n | awk '$1 != 200 {bad++} {t[NR]=$2*1000} END {printf "POST /api/v1/review/{item}: %d reviews (%d not 200), p50 %.0f ms, max %.0f ms\n", NR, bad, t[int(NR*0.5)], t[NR]}'

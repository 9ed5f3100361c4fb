#!/usr/bin/env bash
# Mixed load on loopback (release build, the demo's sample store): 200 connections for 60 s —
# 100 on the overview page and 100 on /api/v1/trends (both as a national supporter, with wrk) —
# while a third process uploads a new batch of generated sessions through the API every
# 2 seconds. Prints each side's latency percentiles and errors, the uploads' statuses, and the
# server's resident memory at the end and after 30 s idle.
#
#   bench/load.sh [SECONDS] [CONNECTIONS]    # default 60 s, 200 connections; needs wrk
#
# Targets (issue: hardening): zero 5xx; overview p99 < 250 ms and API p99 < 100 ms while the
# uploads run; server RSS < 500 MB at the end and < 300 MB after 30 s idle. wrk runs on the
# same two cores as the server, so its percentiles include queueing behind itself.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
connections=${2:-200}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 2; }
cargo build --release -p dashboard --quiet
bin=target/release/signaalradar
work=$(mktemp -d)
server=""
uploader=""
cleanup() {
  [ -n "$uploader" ] && kill "$uploader" 2>/dev/null
  [ -n "$server" ] && kill "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

$bin --store "$work/store" demo --no-serve >/dev/null
store="$work/store/demo"
token=$($bin --store "$store" token add --user invoerder --label load | grep -o 'Bearer [0-9a-f]*' | head -1 | cut -d' ' -f2)
# Batches to upload: small generated files, each with sessions no other file has.
uploads=$((seconds / 2 + 5))
for i in $(seq "$uploads"); do
  $bin generate --sessions 10 --seed "$((1000 + i))" --out "$work/gen-$i" >/dev/null
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
$bin --store "$store" serve --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

login() { # NAME PASSWORD: prints the session cookie
  local jar="$work/jar-$1" csrf
  csrf=$(curl -sf -c "$jar" "$base/inloggen" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -sf -o /dev/null -b "$jar" -c "$jar" --data "csrf=$csrf&naam=$1&wachtwoord=$2" "$base/inloggen"
  awk '$6 == "sr_sessie" { print "sr_sessie=" $7 }' "$jar"
}
national=$(login landelijk demo-landelijk)
for path in /overzicht /api/v1/trends; do
  curl -sf -o /dev/null -H "Cookie: $national" "$base$path"
done
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$server/status"; }
echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); ${seconds}s, $connections connections; RSS at start $(rss) MB"

(
  i=0
  end=$((SECONDS + seconds))
  while [ "$SECONDS" -lt "$end" ]; do
    i=$((i + 1))
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/x-ndjson' --data-binary "@$work/gen-$i/sessies.jsonl" "$base/api/v1/sessions" >>"$work/uploads.txt"
    sleep 2
  done
) &
uploader=$!

half=$((connections / 2))
wrk -t1 -c"$half" -d"${seconds}s" --latency -s bench/wrk-summary.lua -H "Cookie: $national" -H "Accept-Encoding: gzip" "$base/overzicht" >"$work/pages.txt" &
pages=$!
wrk -t1 -c"$((connections - half))" -d"${seconds}s" --latency -s bench/wrk-summary.lua -H "Cookie: $national" -H "Accept-Encoding: gzip" "$base/api/v1/trends" >"$work/api.txt" &
api=$!
wait "$pages" "$api"
wait "$uploader" || true
uploader=""
echo "overview (/overzicht, $half connections): $(grep '^RESULT' "$work/pages.txt" | cut -d' ' -f2-)"
echo "api (/api/v1/trends, $((connections - half)) connections): $(grep '^RESULT' "$work/api.txt" | cut -d' ' -f2-)"
echo "uploads: $(wc -l <"$work/uploads.txt") batches of 10 sessions, statuses: $(cut -d' ' -f1 "$work/uploads.txt" | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}'), slowest $(sort -k2 -n "$work/uploads.txt" | tail -1 | cut -d' ' -f2) s"
echo "server 5xx in its log: $(grep -c 'status=5' "$work/serve.log" || true)"
echo "RSS at the end: $(rss) MB"
sleep 30
echo "RSS after 30 s idle: $(rss) MB"

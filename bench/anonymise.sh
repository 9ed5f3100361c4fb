#!/usr/bin/env bash
# Anonymiser quality and speed, ours side by side with the Dutch de-identifier deduce 3.0.6:
#   - recall per kind and over-redaction on the real-text test split, the real-text dev split
#     and the two synthetic gold files, both systems scored by the same code;
#   - what each name layer adds, on the real-text test split;
#   - texts per second on one thread.
# deduce is only run here, as a peer; nothing of it is part of Signaalradar. Install it apart:
#   python3 -m venv /opt/deduce-venv && /opt/deduce-venv/bin/pip install deduce==3.0.6
#   DEDUCE_PYTHON=/opt/deduce-venv/bin/python bench/anonymise.sh
# Its outputs are cached in bench/results/deduce_*.jsonl (delete them to run deduce again).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p dashboard --quiet
bin=target/release/signaalradar
py=${DEDUCE_PYTHON:-python3}
results=bench/results
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

files="real/test real/dev anonymise_gold anonymise_holdout"
for f in $files; do
    out=$results/deduce_$(echo "$f" | tr / _).jsonl
    [ -s "$out" ] || "$py" bench/deduce_anonymise.py "tests/fixtures/$f.jsonl" "$out"
done

echo "== quality (persons, e-mails, phones: recall; over-redaction: share of other words that vanished)"
printf '%-22s %-14s %-18s %-14s %-14s %-18s\n' file system persons e-mails phones over-redaction
for f in $files; do
    gold=tests/fixtures/$f.jsonl
    "$bin" eval anonymise --gold "$gold" --json > "$work/ours.json"
    "$bin" eval anonymise --gold "$gold" --json \
        --predicted "$results/deduce_$(echo "$f" | tr / _).jsonl" > "$work/deduce.json"
    for system in ours deduce; do
        python3 - "$work/$system.json" "$f" "$system" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
k = lambda x: f"{x['recall']:.3f} ({x['found']}/{x['total']})"
o = s["over_redaction"]
print(f"{sys.argv[2]:<22} {sys.argv[3]:<14} {k(s['persons']):<18} {k(s['emails']):<14} {k(s['phones']):<14} {o['share']*100:.2f} % ({o['vanished']}/{o['total']})")
PY
    done
done

echo "== what each name layer adds (real-text test split; each row adds one layer)"
layers=patterns
for next in gazetteer cues capitals memory; do
    layers=$layers,$next
    "$bin" eval anonymise --gold tests/fixtures/real/test.jsonl --layers "$layers" --json > "$work/layer.json"
    python3 - "$work/layer.json" "$layers" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
p, o = s["persons"], s["over_redaction"]
print(f"{sys.argv[2]:<42} persons {p['recall']:.3f} ({p['found']}/{p['total']})  over-redaction {o['share']*100:.2f} %")
PY
done

echo "== speed (one thread)"
"$bin" generate --sessions 10000 --seed 42 --out "$work/input" > /dev/null
python3 - "$work/input/sessies.jsonl" "$work/texts.txt" "$work/sample.jsonl" <<'PY'
import json, sys
texts = []
for line in open(sys.argv[1], encoding="utf-8"):
    for item in json.loads(line).get("items", []):
        texts.append(item["text"].replace("\n", " "))
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(texts) + "\n")
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for i, t in enumerate(texts[:2000]):
        out.write(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n")
print(f"{len(texts)} item texts, {sum(map(len, texts)) // len(texts)} characters on average")
PY
n=$(wc -l < "$work/texts.txt")
if command -v hyperfine > /dev/null; then
    hyperfine -N -w 1 -r 5 --export-json "$work/hf.json" "$bin anonymise $work/texts.txt" > /dev/null
    python3 -c "import json; r=json.load(open('$work/hf.json'))['results'][0]; print(f'ours: $n texts in {r[\"mean\"]:.3f} s ± {r[\"stddev\"]:.3f} s (start-up included) = {$n / r[\"mean\"]:,.0f} texts/s')"
else
    /usr/bin/time -f "%e s" "$bin" anonymise "$work/texts.txt" > /dev/null
fi
"$py" bench/deduce_anonymise.py "$work/sample.jsonl" /dev/null 2>&1 | grep '^deduce:'

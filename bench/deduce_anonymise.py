#!/usr/bin/env python3
"""Run the Dutch de-identification tool `deduce` (PyPI, LGPL) on a gold file, as an oracle to
compare our anonymiser against. Nothing of deduce is part of Signaalradar; it is only run here.

    pip install deduce
    python3 bench/deduce_anonymise.py tests/fixtures/anonymise_gold.jsonl > bench/results/deduce_anonymise_gold.jsonl
    # or, equivalently, with OUT as second argument:
    python3 bench/deduce_anonymise.py tests/fixtures/anonymise_gold.jsonl bench/results/deduce_anonymise_gold.jsonl
    python3 bench/score_anonymise.py tests/fixtures/anonymise_gold.jsonl bench/results/deduce_anonymise_gold.jsonl
    signaalradar eval anonymise --gold tests/fixtures/anonymise_gold.jsonl \
        --predicted bench/results/deduce_anonymise_gold.jsonl

Writes JSON Lines to OUT (or standard output; deduce's own messages go to standard error), {"id", "text"} with deduce's de-identified text. Person tags become [NAAM],
e-mail [E-MAIL], phone [TELEFOON]; other tags stay as deduce writes them (what it removes counts
towards over-redaction either way).
"""
import contextlib
import json
import re
import sys
import time

from deduce import Deduce

TAGS = {
    "PERSOON": "[NAAM]",
    "PATIENT": "[NAAM]",
    "EMAILADRES": "[E-MAIL]",
    "TELEFOONNUMMER": "[TELEFOON]",
}


def main(path: str, out_path: str | None) -> None:
    real_stdout = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):  # deduce prints while it builds its tables
        deduce = Deduce()
    out = open(out_path, "w", encoding="utf-8") if out_path else real_stdout
    started = time.perf_counter()
    count = 0
    with open(path, encoding="utf-8") as gold:
        for line in gold:
            if not line.strip():
                continue
            record = json.loads(line)
            with contextlib.redirect_stdout(sys.stderr):
                text = deduce.deidentify(record["text"]).deidentified_text
            text = re.sub(
                r"\[([A-Z]+)(?:-\d+)?\]",
                lambda m: TAGS.get(m.group(1), m.group(0)),
                text,
            )
            out.write(json.dumps({"id": record["id"], "text": text}, ensure_ascii=False) + "\n")
            count += 1
    elapsed = time.perf_counter() - started
    # One thread; the lookup tables built by Deduce() are not counted.
    print(f"deduce: {count} texts in {elapsed:.2f} s ({count / elapsed:.0f} texts/s)", file=sys.stderr)
    out.flush()
    if out_path:
        out.close()


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else None)

#!/usr/bin/env python3
"""Run the Dutch de-identification tool `deduce` (PyPI, LGPL) on a gold file, as an oracle to
compare our anonymiser against. Nothing of deduce is part of Signaalradar; it is only run here.

    pip install deduce
    python3 bench/deduce_anonymise.py tests/fixtures/anonymise_gold.jsonl bench/results/deduce_anonymise_gold.jsonl
    signaalradar eval anonymise --gold tests/fixtures/anonymise_gold.jsonl \
        --predicted bench/results/deduce_anonymise_gold.jsonl

Writes JSON Lines to OUT, {"id", "text"} with deduce's de-identified text. Person tags become [NAAM],
e-mail [E-MAIL], phone [TELEFOON]; other tags stay as deduce writes them (what it removes counts
towards over-redaction either way).
"""
import json
import re
import sys

from deduce import Deduce

TAGS = {
    "PERSOON": "[NAAM]",
    "PATIENT": "[NAAM]",
    "EMAILADRES": "[E-MAIL]",
    "TELEFOONNUMMER": "[TELEFOON]",
}


def main(path: str, out_path: str) -> None:
    deduce = Deduce()  # logs to standard output, hence the output file
    with open(path, encoding="utf-8") as gold, open(out_path, "w", encoding="utf-8") as out:
        for line in gold:
            if not line.strip():
                continue
            record = json.loads(line)
            text = deduce.deidentify(record["text"]).deidentified_text
            text = re.sub(
                r"\[([A-Z]+)(?:-\d+)?\]",
                lambda m: TAGS.get(m.group(1), m.group(0)),
                text,
            )
            out.write(json.dumps({"id": record["id"], "text": text}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

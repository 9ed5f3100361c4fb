#!/usr/bin/env python3
"""Score an anonymiser's output against a gold file, as DESIGN.md ("Evaluation files") defines it.

    python3 bench/score_anonymise.py GOLD PRED [--misses] [--case-sensitive]

GOLD: JSON Lines with id, text, persons, emails, phones (exact substrings of text).
PRED: JSON Lines with id and text (the anonymised text); matched to GOLD by id.

- A person is caught when none of its name words survives in the output as a whole word
  (tussenvoegsels van, der, de, den, het, 't, ter, ten aside; case-insensitive unless
  --case-sensitive, which compares name words as written).
- An e-mail is caught when the address does not survive in the output.
- A phone is caught when its last six digits do not survive in the output's digits.
- Over-redaction: share of the other words (3+ letters, not part of any gold person, e-mail or
  phone) of the input that vanished from the output (multiset, case-insensitive).

Prints JSON; with --misses also lists what was missed or removed.
"""
import json
import re
import sys
from collections import Counter

PARTICLES = {"van", "der", "de", "den", "het", "t", "'t", "ter", "ten"}
TOKEN = re.compile(r"[\w'’-]+")


def tokens(text):
    """Whole words: letters/digits with inner hyphens and apostrophes ("Lammers-Smit", "'t")."""
    out = []
    for t in TOKEN.findall(text):
        t = t.strip("'’-")
        if t and t != "_":
            out.append(t)
    return out


def words(text):
    return [t.lower() for t in tokens(text)]


def digits(text):
    return "".join(c for c in text if c.isascii() and c.isdigit())


def recall(found, total):
    return {"found": found, "total": total, "recall": (found / total) if total else 1.0}


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score(gold, pred, case_sensitive=False):
    by_id = {r["id"]: r["text"] for r in pred}
    counts = {k: [0, 0] for k in ("persons", "emails", "phones")}
    vanished = other_total = 0
    misses = []
    missing_ids = []
    for rec in gold:
        if rec["id"] not in by_id:
            missing_ids.append(rec["id"])
            continue
        out = by_id[rec["id"]]
        out_tokens = set(tokens(out)) if case_sensitive else set(words(out))
        out_digits = digits(out)
        sensitive = set()
        for person in rec.get("persons", []):
            counts["persons"][1] += 1
            sensitive.update(words(person))
            name_words = [w for w in tokens(person) if w.lower() not in PARTICLES]
            if not case_sensitive:
                name_words = [w.lower() for w in name_words]
            leaked = [w for w in name_words if w in out_tokens]
            if leaked:
                misses.append({"id": rec["id"], "kind": "person", "value": person, "leaked": leaked})
            else:
                counts["persons"][0] += 1
        for email in rec.get("emails", []):
            counts["emails"][1] += 1
            sensitive.update(words(email))
            if email.lower() in out.lower():
                misses.append({"id": rec["id"], "kind": "email", "value": email})
            else:
                counts["emails"][0] += 1
        for phone in rec.get("phones", []):
            counts["phones"][1] += 1
            sensitive.update(words(phone))
            tail = digits(phone)[-6:]
            if tail and tail in out_digits:
                misses.append({"id": rec["id"], "kind": "phone", "value": phone})
            else:
                counts["phones"][0] += 1
        remaining = Counter(words(out))
        for w in words(rec["text"]):
            if sum(c.isalpha() for c in w) < 3 or w in sensitive:
                continue
            other_total += 1
            if remaining[w] > 0:
                remaining[w] -= 1
            else:
                vanished += 1
                misses.append({"id": rec["id"], "kind": "over_redaction", "value": w})
    result = {
        "records": len(gold) - len(missing_ids),
        "missing_predictions": missing_ids,
        "persons": recall(*counts["persons"]),
        "emails": recall(*counts["emails"]),
        "phones": recall(*counts["phones"]),
        "over_redaction": {
            "vanished": vanished,
            "total": other_total,
            "share": (vanished / other_total) if other_total else 0.0,
        },
    }
    return result, misses


def main(argv):
    flags = {a for a in argv if a.startswith("--")}
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    result, misses = score(load(args[0]), load(args[1]), "--case-sensitive" in flags)
    if "--misses" in flags:
        result["misses"] = misses
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Write N interviews of any form without repeats as JSONL, with a fixed number of answers each.

usage: tools/gen-answers.py FORM.yaml [-n 250] [--answers 60] [--seed S] [--prefix ID] [-o FILE]

For benchmarks that need a given volume (e.g. 60 answers an interview): every required question
is answered, then optional ones at random until --answers is reached. Choices respect simple
choice filters (`column = ${field}`); numbers stay small; texts are Vietnamese. Relevance is not
followed, so some answers may sit on questions that do not apply (validate warns; merge does not care).
Seeded and repeatable.
"""
import argparse
import json
import random
import re
import sys

import yaml

TEXTS = ["Cán bộ nhiệt tình, chu đáo", "Thủ tục còn rườm rà", "Cần thêm chỗ ngồi chờ", "Hài lòng với kết quả",
         "Đề nghị niêm yết rõ hơn", "Nguyễn Văn An", "Trần Thị Bình", "Số 12 ngõ 34 phố Huế"]
SKIP = {"group", "repeat", "note", "calculate", "start", "end", "today", "deviceid", "username", "hidden"}


def questions(entries, out):
    for entry in entries:
        if "children" in entry:
            questions(entry["children"], out)
        elif entry["type"].split()[0] not in SKIP:
            out.append(entry)
    return out


def value(rng, entry, form, answers):
    kind, *rest = entry["type"].split()
    if kind in ("select_one", "select_multiple"):
        choices = form["choices"][rest[0]]
        match = re.fullmatch(r"\s*(\w+)\s*=\s*\$\{(\w+)\}\s*", entry.get("choice_filter", ""))
        if match and match.group(2) in answers:
            choices = [c for c in choices if str(c.get(match.group(1))) == str(answers[match.group(2)])] or choices
        names = [str(c["name"]) for c in choices]
        if kind == "select_one":
            return rng.choice(names)
        return rng.sample(names, rng.randint(1, min(3, len(names))))
    if kind in ("integer", "range"):
        return rng.randint(1, 20)
    if kind == "decimal":
        return round(rng.uniform(1, 100), 1)
    if kind == "date":
        return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind == "acknowledge":
        return "OK"
    return rng.choice(TEXTS)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("form")
    parser.add_argument("-n", type=int, default=250)
    parser.add_argument("--answers", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prefix", default="i")
    parser.add_argument("-o", "--output")
    args = parser.parse_args()
    form = yaml.safe_load(open(args.form, encoding="utf-8"))
    rows = questions(form["survey"], [])
    if len(rows) < args.answers:
        sys.exit(f"{args.form} has only {len(rows)} questions; ask for at most that many answers")
    rng = random.Random(args.seed)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    for n in range(1, args.n + 1):
        required = [r for r in rows if r.get("required") is True]
        optional = [r for r in rows if r.get("required") is not True]
        chosen = set(id(r) for r in required + rng.sample(optional, max(0, args.answers - len(required))))
        answers = {"_id": f"{args.prefix}-{n:04d}"}
        for row in rows:  # in form order, so filters see the answers they depend on
            if id(row) in chosen:
                answers[row["name"]] = value(rng, row, form, answers)
        out.write(json.dumps(answers, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

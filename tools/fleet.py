#!/usr/bin/env python3
"""Generate a fleet of surveyor data files with planted conflicts and duplicates, and the ground truth.

usage: tools/fleet.py --surveyors N --interviews M --seed S --out DIR
                      [--conflicts C] [--duplicates D] [--converging V] [--independent I]
                      [--canvass PATH] [--jobs J] [--jsonl-only]

Writes DIR/surveyor-001.canvass ... DIR/surveyor-NNN.canvass (M SIPAS 2017 interviews each, from
forms/sipas-2017.yaml, made by tools/gen-sipas.py's generator) and DIR/truth.json. Everything is
done the way a field team does it, with the canvass command line only:

  1. each surveyor's interviews are typed in with `canvass record --complete` (ids s003-0042, surveyor
     s003, device laptop-003); form numbers are unique per unit, handed out in numbered stacks;
  2. D duplicate groups: a case key (unit-form_no) recorded by two surveyors under different ids,
     either a form number typed twice (another respondent) or the same respondent interviewed twice
     (nearly the same answers);
  3. a supervisor hub: a team's files are merged into DIR/hub.canvass, and the hub is merged into a
     few other surveyors' files (never copied: every data file has its own identity). Then, on
     interviews of the team, `canvass edit` in two different files (each --as that file's surveyor):
       C conflicts    the same field set to two different values (or one side clears it),
       V converging   the same field set to the same new value on both sides (not a conflict),
       I independent  two different fields of the same interview, one on each side (not a conflict);
  4. the hub is deleted: it is not a source.

truth.json: {"surveyors", "interviews", "conflicts": [{"interview", "field", "values": [v1, v2], ...}],
"duplicates": [{"key", "interviews": [id1, id2], ...}], "converging": [{"interview", "field", "value"}],
"independent": [{"interview", "fields": {f1: v1, f2: v2}}], ...}; values are strings, null for cleared.
Check a fleet with tools/fleet-check.py DIR.

--jsonl-only writes only DIR/surveyor-NNN.jsonl (with the planted duplicates; conflicts need edits,
so --conflicts/--converging/--independent must be 0), for benchmarks that record separately.

The canvass binary is /tmp/fleet-canvass unless --canvass or $FLEET_CANVASS says otherwise: a private
copy of .build/debug/canvass, so that a rebuild by someone else cannot swap it mid-run.
Exit 0 when the fleet is made; 1 when a canvass command fails (its output is shown); 64 on usage errors.
Seeded: the same arguments give the same answers, ids, planted cases and truth.json (revision times
and file ids come from the real clock).
"""
import argparse
import importlib.util
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FORM = os.path.join(ROOT, "forms", "sipas-2017.yaml")
DEFAULT_CANVASS = os.environ.get("FLEET_CANVASS", "/tmp/fleet-canvass")


class Parser(argparse.ArgumentParser):
    """Usage errors exit 64, like canvass."""
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(64, f"{self.prog}: error: {message}\n")

_spec = importlib.util.spec_from_file_location("gen_sipas", os.path.join(HERE, "gen-sipas.py"))
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)

TEAM_MAX = 8        # surveyors merged into the supervisor's hub
RECIPIENTS_MAX = 3  # surveyors who get the hub merged into their own file

SCALE = ["1", "2", "3", "4", "5"]
# Fields a supervisor or surveyor plausibly corrects after the fact, with the values they may take.
# Key fields (unit, form_no) and fields that switch relevance on or off are left alone.
OTHER_FIELDS = {
    "submission": ["in_person", "post", "online"],
    "trips": ["1", "2", "3"],
    "age_group": ["18_24", "25_34", "35_49", "50_60", "over_60"],
    "education": ["primary", "lower_secondary", "upper_secondary", "vocational", "university", "other"],
    "occupation": ["retired", "not_working", "self_employed", "student", "private_sector", "public_sector", "other"],
}
OPTIONAL = {"comment", "age_group", "education", "occupation"}
COMMENTS = gen.GOOD_COMMENTS + gen.BAD_COMMENTS + [
    "Người dân đề nghị có thêm chỗ để xe",
    "Cán bộ tiếp nhận hồ sơ nhanh, nhưng trả kết quả chậm",
    "Không có ý kiến gì thêm",
]
EDIT_NOTES = [
    "Nhập sai so với phiếu giấy",
    "Sửa theo phiếu gốc",
    "Người dân gọi điện đề nghị sửa lại ý kiến",
    "Giám sát viên kiểm tra lại phiếu giấy",
    "Đọc lại phiếu, chữ viết tay khó đọc",
]


def die(message, code=1):
    print(f"fleet: {message}", file=sys.stderr)
    sys.exit(code)


def canvass_env():
    """The real clock and random file ids: CANVASS_NOW would make every file's ids collide."""
    env = dict(os.environ)
    env.pop("CANVASS_NOW", None)
    env.pop("CANVASS_ID_PREFIX", None)
    env["NO_COLOR"] = "1"
    return env


def run(canvass, args, ok=(0,)):
    """Runs canvass; returns stdout. Any exit code outside `ok` stops the fleet, with the output."""
    result = subprocess.run([canvass] + args, capture_output=True, text=True, env=canvass_env())
    if result.returncode not in ok:
        die(f"canvass {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result.stdout


def sid(s):
    return f"s{s:03d}"


def data_file(out, s):
    return os.path.join(out, f"surveyor-{s:03d}.canvass")


# ---------------------------------------------------------------- interviews

def plan_interviews(rng, surveyors, per_surveyor):
    """Each surveyor's rows. A surveyor works one or two one-stop shops and takes a numbered stack of
    paper forms for each, so form numbers are unique per unit."""
    next_number = {unit: 0 for unit in gen.UNIT_WEIGHTS}
    rows = {}
    width = max(4, len(str(per_surveyor)))
    for s in range(1, surveyors + 1):
        primary = gen.pick(rng, gen.UNIT_WEIGHTS)
        plan = [(primary, per_surveyor)]
        if per_surveyor >= 4 and rng.random() < 0.4:
            second = gen.pick(rng, {u: w for u, w in gen.UNIT_WEIGHTS.items() if u != primary})
            share = rng.randint(per_surveyor // 5, per_surveyor // 2)
            plan = [(primary, per_surveyor - share), (second, share)]
        rows[s] = []
        for unit, count in plan:
            start = next_number[unit]
            next_number[unit] += count
            for k in range(count):
                row = {"_id": f"{sid(s)}-{len(rows[s]) + 1:0{width}d}"}
                row.update(gen.interview(rng, unit, start + k + 1))
                rows[s].append(row)
    return rows


def retyped(rng, row):
    """The same respondent interviewed again: the same case, a few answers remembered differently."""
    again = dict(row)
    for name in rng.sample(gen.CRITERIA, rng.randint(2, 4)):
        value, step = int(again[name]), rng.choice([-1, 1])
        again[name] = str(value + step if 1 <= value + step <= 5 else value - step)
    if rng.random() < 0.5:
        again["comment"] = rng.choice([c for c in COMMENTS if c != row.get("comment")])
    again["trips"] = rng.choice([t for t in ["1", "2", "3"] if t != row["trips"]])  # always differs somewhere
    again.pop("trips_reason", None)
    return again


def plant_duplicates(rng, rows, groups):
    """`groups` case keys recorded twice, by two different surveyors under different ids. The second
    surveyor's row replaces one of their own (their stack then has a gap: that form was never used)."""
    surveyors = sorted(rows)
    used = set()
    truth = []
    for _ in range(groups):
        for _attempt in range(1000):
            a, b = rng.sample(surveyors, 2)
            i, j = rng.randrange(len(rows[a])), rng.randrange(len(rows[b]))
            if (a, i) not in used and (b, j) not in used:
                break
        else:
            die("not enough interviews to plant that many duplicates; raise --interviews or --surveyors", 64)
        used.update({(a, i), (b, j)})
        original = rows[a][i]
        unit, number = original["unit"], original["form_no"]
        if rng.random() < 0.5:
            kind = "same respondent interviewed twice"
            row = retyped(rng, original)
        else:
            kind = "form number typed twice"
            row = gen.interview(rng, unit, number)
        row["_id"] = rows[b][j]["_id"]
        row["unit"], row["form_no"] = unit, number
        rows[b][j] = {"_id": row.pop("_id"), **row}
        truth.append({"key": f"{unit}-{number}", "interviews": sorted([original["_id"], rows[b][j]["_id"]]),
                      "surveyors": [sid(a), sid(b)], "kind": kind})
    return truth, used


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------- edits

def editable_fields(row):
    """Field -> the values it may be corrected to (any value but the current one)."""
    fields = {name: SCALE for name in gen.CRITERIA}
    fields.update(OTHER_FIELDS)
    fields["comment"] = COMMENTS
    fields["procedure"] = gen.PROCEDURES[row["unit"]]
    return {name: [v for v in values if v != row.get(name)] for name, values in fields.items()}


def pick_field(rng, row, exclude=()):
    fields = {n: v for n, v in editable_fields(row).items() if n not in exclude and len(v) >= 2}
    criteria = [n for n in fields if n in gen.CRITERIA]
    others = [n for n in fields if n not in gen.CRITERIA]
    # Mostly criteria: an edit there changes the satisfied_count calculation, which must not conflict.
    name = rng.choice(criteria if rng.random() < 0.6 or not others else others)
    return name, fields[name]


def plan_edits(rng, rows, used, surveyors, conflicts, converging, independent):
    """The hub team, the hub's recipients, and every planted edit as (interview, [(side, {field: value})])."""
    wanted = conflicts + converging + independent
    if wanted == 0:
        return [], [], []
    if surveyors < 2:
        die("conflicts need at least 2 surveyors", 64)
    team = sorted(rng.sample(range(1, surveyors + 1), min(surveyors, max(2, math.ceil(surveyors / 2)), TEAM_MAX)))
    recipients = sorted(rng.sample(range(1, surveyors + 1), min(surveyors, RECIPIENTS_MAX)))
    candidates = [(s, i) for s in team for i in range(len(rows[s])) if (s, i) not in used]
    if len(candidates) < wanted:
        die(f"the hub team {[sid(s) for s in team]} holds {len(candidates)} free interviews, fewer than the "
            f"{wanted} planted edits need; raise --interviews", 64)
    chosen = rng.sample(candidates, wanted)
    kinds = ["conflict"] * conflicts + ["converging"] * converging + ["independent"] * independent
    plans = []
    for kind, (owner, i) in zip(kinds, chosen):
        row = rows[owner][i]
        others = [r for r in recipients if r != owner]
        second = rng.choice(others)
        first = owner
        # Sometimes neither side is the owner: two surveyors who both got the hub.
        if kind == "conflict" and len(others) >= 2 and rng.random() < 0.25:
            first, second = rng.sample(others, 2)
        plans.append({"kind": kind, "interview": row["_id"], "row": row, "sides": [first, second]})
    for plan in plans:
        row, kind = plan["row"], plan["kind"]
        name, values = pick_field(rng, row)
        if kind == "conflict":
            if name in OPTIONAL and name in row and rng.random() < 0.3:
                one, two = None, rng.choice(values)  # one side clears the answer, the other corrects it
            else:
                one, two = rng.sample(values, 2)
            plan["edits"] = [{name: one}, {name: two}]
        elif kind == "converging":
            value = rng.choice(values)
            plan["edits"] = [{name: value}, {name: value}]
        else:
            other, other_values = pick_field(rng, row, exclude={name})
            plan["edits"] = [{name: rng.choice(values)}, {other: rng.choice(other_values)}]
    return team, recipients, plans


def apply_edit(canvass, out, s, interview, changes, note):
    args = ["edit", data_file(out, s), interview]
    for name, value in changes.items():
        args += ["--set", f"{name}={'' if value is None else value}"]
    args += ["--as", sid(s), "--device", f"laptop-{s:03d}"]
    if note:
        args += ["--note", note]
    stdout = run(canvass, args)
    if " 0 answers changed" in stdout.splitlines()[0]:
        die(f"edit of {interview} in {data_file(out, s)} changed nothing: {stdout.strip()}")


def remove_data_file(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


# ---------------------------------------------------------------- main

def main():
    parser = Parser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--surveyors", type=int, required=True, help="number of surveyor files N")
    parser.add_argument("--interviews", type=int, required=True, help="interviews per surveyor M")
    parser.add_argument("--seed", type=int, required=True, help="random seed")
    parser.add_argument("--out", required=True, help="output directory (created; must hold no fleet yet)")
    parser.add_argument("--conflicts", type=int, default=0, help="planted conflicts C (default 0)")
    parser.add_argument("--duplicates", type=int, default=0, help="planted duplicate groups D (default 0)")
    parser.add_argument("--converging", type=int, help="planted converging edits (default ceil(C/2))")
    parser.add_argument("--independent", type=int, help="planted non-overlapping edits (default ceil(C/2))")
    parser.add_argument("--canvass", default=DEFAULT_CANVASS, help=f"canvass binary (default {DEFAULT_CANVASS})")
    parser.add_argument("--jobs", type=int, default=2, help="canvass record processes at once (default 2)")
    parser.add_argument("--jsonl-only", action="store_true", help="only write DIR/surveyor-NNN.jsonl")
    args = parser.parse_args()

    if args.converging is None:
        args.converging = math.ceil(args.conflicts / 2)
    if args.independent is None:
        args.independent = math.ceil(args.conflicts / 2)
    if args.surveyors < 1 or args.interviews < 1 or min(args.conflicts, args.duplicates, args.converging, args.independent) < 0:
        parser.error("--surveyors and --interviews must be at least 1, the planted counts at least 0")
    if args.duplicates and args.surveyors < 2:
        parser.error("duplicates need at least 2 surveyors")
    edits = args.conflicts + args.converging + args.independent
    if args.jsonl_only and edits:
        parser.error("conflicts, converging and independent edits are planted with canvass edit on data files; "
                     "with --jsonl-only give --conflicts 0 (and --converging 0 --independent 0)")
    if not args.jsonl_only and not (os.path.isfile(args.canvass) and os.access(args.canvass, os.X_OK)):
        parser.error(f"no canvass binary at {args.canvass}; copy one first (cp .build/debug/canvass {args.canvass}) "
                     "or pass --canvass PATH")
    os.makedirs(args.out, exist_ok=True)
    existing = [n for n in os.listdir(args.out) if n.startswith(("surveyor-", "hub.", "merged")) or n == "truth.json"]
    if existing:
        die(f"{args.out} already holds a fleet ({', '.join(sorted(existing)[:3])}, ...); "
            "recording into existing files would clash; remove them or choose another --out", 64)

    started = time.monotonic()
    rng = random.Random(args.seed)
    rows = plan_interviews(rng, args.surveyors, args.interviews)
    duplicates, used = plant_duplicates(rng, rows, args.duplicates)
    team, recipients, plans = plan_edits(rng, rows, used, args.surveyors,
                                         args.conflicts, args.converging, args.independent)

    total = sum(len(r) for r in rows.values())
    if args.jsonl_only:
        for s in rows:
            write_jsonl(os.path.join(args.out, f"surveyor-{s:03d}.jsonl"), rows[s])
        print(f"fleet: wrote {args.surveyors} JSONL files, {total} interviews, {len(duplicates)} planted duplicate "
              f"groups, into {args.out} in {time.monotonic() - started:.1f} s")
        return

    canvass = os.path.abspath(args.canvass)
    work = tempfile.mkdtemp(prefix="fleet-jsonl-")
    try:
        def record(s):
            answers = os.path.join(work, f"surveyor-{s:03d}.jsonl")
            write_jsonl(answers, rows[s])
            run(canvass, ["record", FORM, "--db", data_file(args.out, s), "--surveyor", sid(s),
                          "--device", f"laptop-{s:03d}", "--answers", answers, "--complete"])
            os.remove(answers)
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for done, _ in enumerate(pool.map(record, sorted(rows)), 1):
                if sys.stderr.isatty():
                    print(f"\rfleet: recorded {done}/{len(rows)} files", end="", file=sys.stderr)
        if sys.stderr.isatty():
            print(file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    recorded = time.monotonic()

    hub = os.path.join(args.out, "hub.canvass")
    if plans:
        # The supervisor merges the team, then hands the hub to other surveyors (merged into their files).
        run(canvass, ["merge", hub] + [data_file(args.out, s) for s in team])
        for s in recipients:
            run(canvass, ["merge", data_file(args.out, s), hub])
        # Only now, each side edits without seeing the other's edit.
        for plan in plans:
            for side, changes in zip(plan["sides"], plan["edits"]):
                note = rng.choice(EDIT_NOTES) if rng.random() < 0.5 else None
                apply_edit(canvass, args.out, side, plan["interview"], changes, note)
        remove_data_file(hub)

    def values(plan):
        return [next(iter(edit.values())) for edit in plan["edits"]]

    truth = {
        "surveyors": args.surveyors,
        "interviews": total,
        "conflicts": [
            {"interview": p["interview"], "field": next(iter(p["edits"][0])), "values": values(p),
             "original": p["row"].get(next(iter(p["edits"][0]))),
             "by": [sid(s) for s in p["sides"]], "files": [os.path.basename(data_file(args.out, s)) for s in p["sides"]]}
            for p in plans if p["kind"] == "conflict"],
        "duplicates": duplicates,
        "converging": [
            {"interview": p["interview"], "field": next(iter(p["edits"][0])), "value": values(p)[0],
             "by": [sid(s) for s in p["sides"]]}
            for p in plans if p["kind"] == "converging"],
        "independent": [
            {"interview": p["interview"], "fields": {k: v for e in p["edits"] for k, v in e.items()},
             "by": [sid(s) for s in p["sides"]]}
            for p in plans if p["kind"] == "independent"],
        "hub": {"team": [sid(s) for s in team], "recipients": [sid(s) for s in recipients], "deleted": True},
        "seed": args.seed,
        "form": "forms/sipas-2017.yaml",
    }
    with open(os.path.join(args.out, "truth.json"), "w", encoding="utf-8") as out:
        json.dump(truth, out, ensure_ascii=False, indent=1)
        out.write("\n")
    finished = time.monotonic()
    print(f"fleet: {args.surveyors} files, {total} interviews, {len(truth['conflicts'])} conflicts, "
          f"{len(duplicates)} duplicate groups, {len(truth['converging'])} converging and "
          f"{len(truth['independent'])} independent edits, in {args.out} "
          f"({finished - started:.1f} s: record {recorded - started:.1f} s, hub and edits {finished - recorded:.1f} s)")


if __name__ == "__main__":
    main()

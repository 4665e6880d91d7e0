#!/usr/bin/env python3
"""Check a fleet made by tools/fleet.py against its truth.json, with the canvass command line only.

usage: tools/fleet-check.py DIR [--canvass PATH]

  1. merges every DIR/surveyor-*.canvass into a fresh DIR/merged.canvass;
  2. `canvass conflicts --json`: every planted conflict reported (same interview and field, same set
     of values) and nothing else; converging and independent edits not reported, their values current;
  3. `canvass duplicates --json`: every planted group reported (same key, same interviews), nothing else;
  4. merges the files again in reverse order into DIR/merged-reverse.canvass: `canvass export --format
     jsonl` must be byte-identical to that of merged.canvass, with one line per interview;
  5. re-merges the first surveyor file into merged.canvass: reported "already merged", export unchanged.

Exit 0 with a one-line summary when all hold; exit 1 listing every mismatch; 64 on usage errors.
The canvass binary is /tmp/fleet-canvass unless --canvass or $FLEET_CANVASS says otherwise.
"""
import argparse
import glob
import json
import os
import subprocess
import sys

DEFAULT_CANVASS = os.environ.get("FLEET_CANVASS", "/tmp/fleet-canvass")


class Parser(argparse.ArgumentParser):
    """Usage errors exit 64, like canvass."""
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(64, f"{self.prog}: error: {message}\n")


def canvass_env():
    env = dict(os.environ)
    env.pop("CANVASS_NOW", None)
    env.pop("CANVASS_ID_PREFIX", None)
    env["NO_COLOR"] = "1"
    return env


class Checker:
    def __init__(self, canvass):
        self.canvass = canvass
        self.mismatches = []

    def fail(self, message):
        self.mismatches.append(message)

    def run(self, args, ok=(0,)):
        """(exit code, stdout bytes); an unexpected exit code is a mismatch."""
        result = subprocess.run([self.canvass] + args, capture_output=True, env=canvass_env())
        if result.returncode not in ok:
            self.fail(f"canvass {' '.join(args)} exited {result.returncode}: "
                      f"{(result.stderr or result.stdout).decode(errors='replace').strip()[:500]}")
        return result.returncode, result.stdout

    def json(self, args, ok=(0, 1)):
        code, out = self.run(args, ok)
        try:
            return json.loads(out)
        except ValueError:
            self.fail(f"canvass {' '.join(args)} did not print JSON: {out[:200]!r}")
            return []

    def merge(self, target, sources):
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(target + suffix):
                os.remove(target + suffix)
        code, out = self.run(["merge", target] + sources)
        return out.decode()

    def export(self, path):
        return self.run(["export", path, "--format", "jsonl"])[1]

    def compare(self, planted, found, what, describe):
        """Every planted case is found as planted, and nothing else is: `describe` shows a value."""
        for key, value in planted.items():
            if key not in found:
                self.fail(f"{what} not reported: {key} {describe(value)}")
            elif found[key] != value:
                self.fail(f"{what} {key}: reported {describe(found[key])}, planted {describe(value)}")
        for key, value in found.items():
            if key not in planted:
                self.fail(f"unexpected {what} reported: {key} {describe(value)}")


def values_key(values):
    """A set of values, comparable: strings and None (cleared)."""
    return tuple(sorted(set(values), key=lambda v: (v is not None, v or "")))


def show(values):
    return "[" + ", ".join("(cleared)" if v is None else repr(v) for v in values) + "]"


def main():
    parser = Parser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("dir", help="the fleet directory (with truth.json)")
    parser.add_argument("--canvass", default=DEFAULT_CANVASS, help=f"canvass binary (default {DEFAULT_CANVASS})")
    args = parser.parse_args()
    if not (os.path.isfile(args.canvass) and os.access(args.canvass, os.X_OK)):
        parser.error(f"no canvass binary at {args.canvass}; copy one (cp .build/debug/canvass {args.canvass}) or pass --canvass")
    try:
        with open(os.path.join(args.dir, "truth.json"), encoding="utf-8") as f:
            truth = json.load(f)
    except (OSError, ValueError) as error:
        parser.error(f"cannot read {args.dir}/truth.json: {error}")
    files = sorted(glob.glob(os.path.join(args.dir, "surveyor-*.canvass")))
    if not files:
        parser.error(f"no surveyor-*.canvass in {args.dir}")

    check = Checker(os.path.abspath(args.canvass))
    if len(files) != truth["surveyors"]:
        check.fail(f"{len(files)} surveyor files, truth.json says {truth['surveyors']}")

    # 1. Merge everything.
    merged = os.path.join(args.dir, "merged.canvass")
    check.merge(merged, files)

    # 2. Conflicts.
    planted = {f"{c['interview']} {c['field']}": values_key(c["values"]) for c in truth["conflicts"]}
    found = {f"{c['interview']} {c['field']}": values_key([side.get("value") for side in c["values"]])
             for c in check.json(["conflicts", merged, "--json"])}
    check.compare(planted, found, "conflict", show)

    # 3. Duplicates.
    planted_groups = {d["key"]: sorted(d["interviews"]) for d in truth["duplicates"]}
    found_groups = {g["key"]: sorted(g["interviews"]) for g in check.json(["duplicates", merged, "--json"])}
    check.compare(planted_groups, found_groups, "duplicate group", ", ".join)

    # Converging and independent edits: no conflict (checked above), and the edited values are current.
    export = check.export(merged)
    interviews = {}
    for number, line in enumerate(export.splitlines(), 1):
        try:
            row = json.loads(line)
            interviews[row["_id"]] = row
        except (ValueError, KeyError):
            check.fail(f"export of merged.canvass line {number} is not an interview object: {line[:120]!r}")
    if len(interviews) != truth["interviews"]:
        check.fail(f"merged.canvass exports {len(interviews)} interviews, truth.json says {truth['interviews']}")

    def expect(interview, field, value, what):
        row = interviews.get(interview)
        if row is None:
            check.fail(f"{what} {interview}: interview missing from the export")
        elif field in row.get("_conflicts", []):
            check.fail(f"{what} {interview} {field}: in conflict in the export")
        elif row.get(field) != value:
            check.fail(f"{what} {interview} {field}: exported {row.get(field)!r}, both edits say {value!r}"
                       if what == "converging" else f"{what} {interview} {field}: exported {row.get(field)!r}, edited to {value!r}")

    for edit in truth.get("converging", []):
        expect(edit["interview"], edit["field"], edit["value"], "converging")
    for edit in truth.get("independent", []):
        for field, value in edit["fields"].items():
            expect(edit["interview"], field, value, "independent")

    # 4. Reverse order: the same export, byte for byte.
    reverse = os.path.join(args.dir, "merged-reverse.canvass")
    check.merge(reverse, list(reversed(files)))
    export_reverse = check.export(reverse)
    if export_reverse != export:
        a, b = export.splitlines(), export_reverse.splitlines()
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        check.fail(f"export differs between merge orders ({len(export)} vs {len(export_reverse)} bytes, "
                   f"{len(a)} vs {len(b)} lines); first difference at line {first + 1}:\n"
                   f"    forward: {a[first][:300] if first < len(a) else '(end)'}\n"
                   f"    reverse: {b[first][:300] if first < len(b) else '(end)'}")

    # 5. Re-merging a file already merged changes nothing.
    out = check.run(["merge", merged, files[0]])[1].decode()
    if f"{files[0]}: already merged" not in out:
        check.fail(f"re-merging {os.path.basename(files[0])} into merged.canvass did not report it already merged: {out.strip()}")
    if check.export(merged) != export:
        check.fail("export of merged.canvass changed after re-merging " + os.path.basename(files[0]))

    if check.mismatches:
        print(f"fleet-check: {len(check.mismatches)} mismatches in {args.dir}:")
        for mismatch in check.mismatches:
            print(f"  - {mismatch}")
        sys.exit(1)
    print(f"fleet-check: OK: {len(files)} files, {len(interviews)} interviews; {len(planted)} conflicts and "
          f"{len(planted_groups)} duplicate groups found, nothing else; {len(truth.get('converging', []))} converging and "
          f"{len(truth.get('independent', []))} independent edits clean; reverse-order export identical "
          f"({len(export)} bytes); re-merge already merged")


if __name__ == "__main__":
    main()

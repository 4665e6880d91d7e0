#!/usr/bin/env python3
"""Answer-to-next-question latency of `canvass interview`, driven through a pipe.

usage: tools/bench-latency.py [--interviews 8] [--runs 3] [--seed 7] [--binary .build-release/release/canvass]
                              [--form forms/sipas-2017.yaml] [--dir DIR]

Each run does whole SIPAS 2017 interviews (answers from tools/gen-sipas.py) one after another into
a new data file, as a surveyor's day goes; figures are the median over runs. For each answer: write the line, then time until the next question
line (`^\\d+/\\d+ `) appears on standard output. canvass commits each accepted answer (one
transaction, WAL, synchronous=FULL) before it prints the next question, so this is answer ->
durable commit -> next question. Answers the interviewer leaves empty (optional questions not
asked on paper) commit nothing and are reported apart; so is the last answer, after which canvass
validates and completes the interview instead of asking a question.

Also measures the floor: the same number of single-row durable transactions (one revision and
its current row, WAL, synchronous=FULL) from Python's sqlite3 module, in the same directory.
Target: median and p95 <= 10 ms.
"""
import argparse
import importlib.util
import os
import random
import re
import select
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
QUESTION = re.compile(rb"^(\d+)/(\d+) (\S+)", re.M)


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_sipas", os.path.join(HERE, "gen-sipas.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Interview:
    """One canvass interview process, fed through pipes."""

    def __init__(self, binary, form, db):
        env = dict(os.environ, NO_COLOR="1")
        env.pop("CANVASS_NOW", None)
        self.proc = subprocess.Popen([binary, "interview", form, "--db", db, "--surveyor", "lan", "--device", "laptop-07",
                                      "--lang", "vi"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, bufsize=0)
        self.out = b""

    def wait_for(self, count, end=None, timeout=30.0):
        """Reads output until the count-th question line (returned) or `end` (returns None) appears."""
        deadline = time.perf_counter() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            found = QUESTION.findall(self.out)
            if len(found) >= count:
                return found[count - 1]
            if end is not None and end in self.out:
                return None
            left = deadline - time.perf_counter()
            ready, _, _ = select.select([fd], [], [], max(left, 0))
            if not ready:
                raise SystemExit(f"timed out; canvass printed:\n{self.out.decode(errors='replace')[-2000:]}")
            chunk = os.read(fd, 65536)
            if not chunk:
                err = self.proc.stderr.read().decode(errors="replace")
                raise SystemExit(f"canvass ended early ({self.proc.wait()}):\n{self.out.decode(errors='replace')[-2000:]}\n{err}")
            self.out += chunk


def run_interview(binary, form, db, answers):
    """Runs one interview; returns [(field, answered?, seconds)] and the seconds from the last answer to 'completed'."""
    session = Interview(binary, form, db)
    shown = 1
    current = session.wait_for(shown)
    samples = []
    while True:
        field = current[2].decode()
        value = answers.get(field)
        line = "" if value is None else str(value)
        start = time.perf_counter()
        session.proc.stdin.write((line + "\n").encode())
        current = session.wait_for(shown + 1, end=" đã hoàn tất\n".encode())  # "completed", in the form's language
        elapsed = time.perf_counter() - start
        if current is None:
            finish = elapsed
            break
        shown += 1
        samples.append((field, line != "", elapsed))
    session.proc.stdin.close()
    code = session.proc.wait()
    if code != 0:
        raise SystemExit(f"interview did not complete (exit {code}):\n{session.out.decode(errors='replace')[-2000:]}")
    return samples, finish


def sqlite_floor(directory, count):
    """`count` single-revision durable transactions with Python's sqlite3: the floor for one answer."""
    path = os.path.join(directory, "latency-floor.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.executescript("""
        CREATE TABLE revision (origin TEXT NOT NULL, counter INTEGER NOT NULL, interview TEXT NOT NULL, field TEXT NOT NULL,
            value TEXT, author TEXT NOT NULL, device TEXT NOT NULL, hlc INTEGER NOT NULL, time TEXT NOT NULL,
            parents TEXT NOT NULL DEFAULT '', PRIMARY KEY (origin, counter)) WITHOUT ROWID;
        CREATE INDEX revision_field ON revision(interview, field);
        CREATE TABLE current (interview TEXT NOT NULL, field TEXT NOT NULL, value TEXT, heads TEXT NOT NULL,
            conflict INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (interview, field)) WITHOUT ROWID;
    """)
    times = []
    for counter in range(1, count + 1):
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO revision VALUES ('f', ?, 'i', ?, '4', 'lan', 'laptop-07', ?, '2026-03-01T08:00:00.000Z', '')",
                   (counter, f"e{counter % 22}", counter))
        db.execute("INSERT INTO current VALUES ('i', ?, '4', ?, 0) ON CONFLICT (interview, field) DO UPDATE SET value = excluded.value, "
                   "heads = excluded.heads", (f"e{counter % 22}", f"f-{counter}"))
        db.execute("COMMIT")
        times.append(time.perf_counter() - start)
    db.close()
    return times


def describe(times):
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return statistics.median(ms), p95, ms[-1]


def main():
    parser = argparse.ArgumentParser(description="Answer-to-next-question latency of canvass interview.")
    parser.add_argument("--interviews", type=int, default=8, help="whole interviews per run (default 8, about 300 answers)")
    parser.add_argument("--runs", type=int, default=3, help="runs, each into a new data file (default 3)")
    parser.add_argument("--seed", type=int, default=7, help="seed for the answers (default 7)")
    parser.add_argument("--binary", default=os.path.join(HERE, "..", ".build-release", "release", "canvass"))
    parser.add_argument("--form", default=os.path.join(HERE, "..", "forms", "sipas-2017.yaml"))
    parser.add_argument("--dir", help="where to put the data files (default: a temporary directory, removed after)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="canvass-latency.") as scratch:
        directory = args.dir or scratch
        rows = list(load_generator().generate(args.interviews, args.seed))
        series = {"answer -> next question (commit)": [], "empty answer -> next question": [],
                  "last answer -> completed": [], "floor: sqlite3 durable 1-row txn": []}
        for run in range(args.runs):
            db = os.path.join(directory, f"latency-{run + 1}.canvass")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            answered, skipped, finishes = [], [], []
            for row in rows:
                samples, finish = run_interview(args.binary, args.form, db, row)
                answered += [t for _, given, t in samples if given]
                skipped += [t for _, given, t in samples if not given]
                finishes.append(finish)
            floor = sqlite_floor(directory, len(answered))
            for name, times in zip(series, [answered, skipped, finishes, floor]):
                series[name].append(times)

    counts = [len(times) for times in series["answer -> next question (commit)"]]
    print(f"== interview latency: {args.runs} runs of {args.interviews} SIPAS 2017 interviews; per run {counts[0]} answers "
          f"committed, {len(series['empty answer -> next question'][0])} optional questions left empty")
    print(f"{'median of ' + str(args.runs) + ' runs':34} {'median ms':>10} {'p95 ms':>10} {'max ms':>10}   per run (median/p95)")
    summary = {}
    for name, runs in series.items():
        if not all(runs):
            continue
        stats = [describe(times) for times in runs]
        median, p95, high = (statistics.median(column) for column in zip(*stats))
        summary[name] = (median, p95)
        per_run = "  ".join(f"{m:.2f}/{p:.2f}" for m, p, _ in stats)
        print(f"{name:34} {median:10.2f} {p95:10.2f} {high:10.2f}   {per_run}")
    median, p95 = summary["answer -> next question (commit)"]
    verdict = "met" if median <= 10 and p95 <= 10 else "MISSED"
    print(f"target <= 10 ms: median {median:.2f} ms, p95 {p95:.2f} ms ({p95 / 10:.2f}x of the target): {verdict}")


if __name__ == "__main__":
    main()

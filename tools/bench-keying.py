#!/usr/bin/env python3
"""Keying benchmark for `canvass key` (BENCHMARKS.md §6).

Keys N generated SIPAS 2017 phiếu (tools/gen-sipas.py) through a real pseudo-terminal, one key
at a time, as a heads-down clerk would: a digit per coded answer, text then Enter, `*` for a blank,
the unit carried over and the form number counted up (a batch is one unit's phiếu, in number order).

It reports, per phiếu, the keystrokes against the phiếu's answered fields plus its characters of
text, and the time from each keystroke to the end of the redraw it causes (median, p95, max), for
all keys and for the keys that save an answer (every answer is committed, synchronous=FULL, before
the screen is redrawn). Usage:

  tools/bench-keying.py BIN [-n 50] [--seed 2017] [--json]
"""
import argparse, json, os, pty, re, select, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORM = os.path.join(ROOT, "forms", "sipas-2017.yaml")
FIELDS = ["unit", "form_no", "procedure", "submission", "gender", "age_group", "ethnicity", "education", "occupation",
          "area", "respondent_type", "contact_consent", "respondent_name", "phone"] + \
         [f"e{e}_{i}" for e, n in [(1, 4), (2, 5), (3, 6), (4, 3), (5, 4)] for i in range(1, n + 1)] + \
         ["trips", "trips_reason", "on_time", "late_apology", "trouble", "extra_payment", "gave_feedback", "feedback_result", "comment"]
TEXT = {"form_no", "procedure", "respondent_name", "phone", "trips_reason", "comment"}
LISTS = {"unit": "unit", "submission": "submission", "gender": "gender", "age_group": "age_group", "ethnicity": "ethnicity",
         "education": "education", "occupation": "occupation", "area": "area", "respondent_type": "respondent_type",
         "contact_consent": "yes_no", "trips": "trips", "on_time": "on_time", "late_apology": "yes_no", "trouble": "yes_no",
         "extra_payment": "yes_no", "gave_feedback": "yes_no", "feedback_result": "feedback_result"}


def choice_lists():
    """The order of each choice list in the form (a digit keys the choice at that place)."""
    lists, current, inside = {}, None, False
    for line in open(FORM, encoding="utf-8"):
        if line.startswith("choices:"):
            inside = True
            continue
        if inside and re.match(r"^\S", line):
            break
        if not inside:
            continue
        m = re.match(r"^  (\w+):\s*$", line)
        if m:
            current = m.group(1)
            lists[current] = []
            continue
        m = re.match(r'^\s+- \{name: "?([^",]+)"?,', line)
        if m and current:
            lists[current].append(m.group(1))
    return lists


def relevant(field, phieu):
    return {"respondent_name": phieu.get("contact_consent") == "yes", "phone": phieu.get("contact_consent") == "yes",
            "trips_reason": phieu.get("trips") == "4", "late_apology": phieu.get("on_time") == "no",
            "feedback_result": phieu.get("gave_feedback") == "yes"}.get(field, True)


def keys_for(phieu, previous, lists):
    """The keystrokes for one phiếu, starting where `canvass key` puts the cursor (procedure)."""
    keys = []
    carried_unit = previous and previous["unit"] == phieu["unit"]
    carried_no = previous and carried_unit and previous["form_no"] + 1 == phieu["form_no"]
    if not carried_unit:
        keys += ["\x1b[A", "\x1b[A"] if previous else []
        keys.append(str(lists["unit"].index(phieu["unit"]) + 1))
    if not carried_no:
        if carried_unit:
            keys.append("\x1b[A")
        keys += list(str(phieu["form_no"])) + ["\r"]
    for field in FIELDS[2:]:
        if not relevant(field, phieu):
            continue
        value = phieu.get(field)
        if field in TEXT:
            keys += (list(str(value)) if value is not None else []) + ["\r"]
        elif value is None:
            keys.append("*")
        elif field in LISTS:
            keys.append(str(lists[LISTS[field]].index(value) + 1))
        else:
            keys.append(str(value))  # the criteria: scale names are their own digits
    keys.append("\r")  # end of the phiếu: saved, the next begins
    return keys


def baseline(phieu):
    answered = sum(1 for field in FIELDS if phieu.get(field) not in (None, ""))
    text = sum(len(str(phieu[field])) for field in TEXT if phieu.get(field) not in (None, ""))
    return answered, text


def floor(directory, count):
    """The same number of single-row durable transactions from Python's sqlite3, as
    tools/bench-latency.py measures them: the floor for one saved answer, in the same run."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import importlib
    latency = importlib.import_module("bench-latency")
    return latency.sqlite_floor(directory, count)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bin")
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    args.bin = os.path.abspath(args.bin)
    lists = choice_lists()
    generated = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen-sipas.py"), "-n", str(args.n), "--seed", str(args.seed)],
                               capture_output=True, text=True, check=True).stdout
    batch = sorted((json.loads(line) for line in generated.splitlines()), key=lambda p: (p["unit"], p["form_no"]))
    work = tempfile.mkdtemp(prefix="canvass-keying-")
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(work)
        os.environ.update({"TERM": "xterm-256color", "NO_COLOR": "1", "COLUMNS": "100", "LINES": "32"})
        os.execv(args.bin, [args.bin, "key", FORM, "--db", "bench.canvass", "--as", "bench", "--persistent", "unit", "--count", "form_no"])
    import fcntl, struct, termios
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 32, 100, 0, 0))
    end = re.compile(rb"\x1b\[\?25[hl]$")

    def drain(timeout):
        out = b""
        deadline = time.perf_counter() + timeout
        while True:
            r, _, _ = select.select([fd], [], [], max(0, deadline - time.perf_counter()))
            if not r:
                return out
            out += os.read(fd, 65536)
            if end.search(out):
                return out

    drain(5)
    time.sleep(0.3)
    drain(0.2)
    latencies, saving, rows = [], [], []
    previous = None
    for phieu in batch:
        keys = keys_for(phieu, previous, lists)
        for key in keys:
            started = time.perf_counter()
            os.write(fd, key.encode())
            out = drain(2)
            elapsed = (time.perf_counter() - started) * 1000
            if not end.search(out):
                sys.exit(f"no redraw after key {key!r} (got {out[-200:]!r})")
            latencies.append(elapsed)
            if key in ("\r", "*") or key.isdigit() and len(key) == 1:
                saving.append(elapsed)
        answered, text = baseline(phieu)
        rows.append({"keystrokes": len(keys), "answered": answered, "text": text})
        previous = phieu
    os.write(fd, b"\x04")
    time.sleep(0.5)
    os.waitpid(pid, 0)
    listed = subprocess.run([args.bin, "list", os.path.join(work, "bench.canvass"), "--json"], capture_output=True, text=True).stdout
    completed = sum(1 for row in json.loads(listed) if row["status"] == "completed")
    floor_ms = [t * 1000 for t in floor(work, len(saving))]
    per = lambda key: statistics.mean(r[key] for r in rows)
    result = {
        "phieu": len(rows), "completed": completed,
        "keystrokes_per_phieu": round(per("keystrokes"), 1),
        "answered_fields_per_phieu": round(per("answered"), 1),
        "text_characters_per_phieu": round(per("text"), 1),
        "keystrokes_over_fields_plus_text": round(sum(r["keystrokes"] for r in rows) / sum(r["answered"] + r["text"] for r in rows), 3),
        "first_phieu": rows[0],
        "redraw_ms_all": {"n": len(latencies), "median": round(statistics.median(latencies), 2), "p95": round(percentile(latencies, 95), 2), "max": round(max(latencies), 2)},
        "redraw_ms_saving": {"n": len(saving), "median": round(statistics.median(saving), 2), "p95": round(percentile(saving, 95), 2), "max": round(max(saving), 2)},
        "floor_ms_durable_1_row_txn": {"n": len(floor_ms), "median": round(statistics.median(floor_ms), 2), "p95": round(percentile(floor_ms, 95), 2)},
        "work": work,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))
    if completed != len(rows):
        sys.exit(f"only {completed} of {len(rows)} phiếu completed: the keys did not match the screen")


if __name__ == "__main__":
    main()

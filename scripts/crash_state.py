#!/usr/bin/env python3
"""Helper of crash-test.sh and crash-soak.sh: which complete set of zonula
outputs a directory holds.

    crash_state.py DIR OLD NEW [--allow-incomplete]

OLD and NEW are directories holding the complete old and new sets (written
by uninterrupted runs with the same options). DIR is "old" or "new" when it
holds exactly that set: the same visible file names, the same bytes for
every file whose bytes are reproducible, the same options in run.json, and
a .zonula-manifest whose checksums all match. run.json and the reports hold
times, so they are compared by their options (run.json) or presence. Hidden
entries (the lock, staging directories) are not part of a set.

With --allow-incomplete (a directory holding files zonula did not write,
where sets are moved in file by file), "incomplete" is also accepted: no
marker (run.json or batch-summary.tsv, moved in last) and no manifest that
verifies, so that every reader and resume tells it from a complete set.
Anything else is "mixed".
Prints the state; exits 0 when it is accepted, 1 otherwise.
Standard library only.
"""
import hashlib
import json
import os
import sys

TIMED = {"report.html", "report.pdf", "batch-summary.tsv"}
MARKERS = {"run.json", "batch-summary.tsv"}
FOREIGN = {"notes.txt"}  # put there by the tests, not by zonula


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def fingerprint(d):
    out = {}
    for n in sorted(os.listdir(d)):
        p = os.path.join(d, n)
        if n.startswith(".") or n in FOREIGN or not os.path.isfile(p):
            continue
        if n == "run.json":
            with open(p) as f:
                rec = json.load(f)
            out[n] = json.dumps([rec.get("options"), rec.get("database"), rec.get("sample")])
        elif n in TIMED:
            out[n] = "present"
        else:
            out[n] = sha(p)
    return out


def manifest_ok(d):
    path = os.path.join(d, ".zonula-manifest")
    if not os.path.exists(path):
        return False
    with open(path) as f:
        for line in f:
            want, name = line.rstrip("\n").split("  ", 1)
            p = os.path.join(d, name)
            if not os.path.isfile(p) or sha(p) != want:
                return False
    return True


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    allow_incomplete = "--allow-incomplete" in sys.argv
    d, old, new = args
    got = fingerprint(d) if os.path.isdir(d) else {}
    for name, ref in (("old", old), ("new", new)):
        if got == fingerprint(ref) and manifest_ok(d):
            print(name)
            return 0
    markers = MARKERS & set(got)
    if not markers and not manifest_ok(d):
        print("incomplete")
        return 0 if allow_incomplete else 1
    o, n = fingerprint(old), fingerprint(new)
    parts = []
    for k, v in got.items():
        parts.append(k + "=" + ("old" if o.get(k) == v else "new" if n.get(k) == v else "?"))
    missing = sorted(set(n) - set(got))
    print("mixed: " + " ".join(parts) + (" missing=" + ",".join(missing) if missing else ""))
    return 1


if __name__ == "__main__":
    sys.exit(main())

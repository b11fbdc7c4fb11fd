#!/usr/bin/env python3
"""Writes the sheet golden files from the shared workload's Python `decimal` reference
(../../../../shared/bench/quote_py.py), an implementation independent of crossquote:

  catalog.csv            workload rows (own qty and zone) with bad rows mixed in
  expected.csv           the reference's lines for the good rows, in order
  plain.csv              the same SKUs without qty and zone: every tier x every zone
  expected_plain.csv     the reference on that expansion (zone-major, tiers' min_qty)

The rejected rows are written by hand in expected.rejected.csv and expected_plain.rejected.csv.
Run from this folder: python3 make.py /path/to/shared/bench
"""
import csv
import io
import json
import os
import subprocess
import sys

bench = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "..", "..", "..", "shared", "bench")
gen = subprocess.run([sys.executable, os.path.join(bench, "gen_input.py"), "40", "7"],
                     capture_output=True, text=True, check=True).stdout
rows = list(csv.reader(io.StringIO(gen)))
header, good = rows[0], rows[1:]


def reference(lines):
    src = "/tmp/crossquote-sheet-golden-in.csv"
    dst = "/tmp/crossquote-sheet-golden-out.csv"
    with open(src, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(lines)
    subprocess.run([sys.executable, os.path.join(bench, "quote_py.py"), src, dst], check=True)
    return open(dst).read()


# bad rows, inserted at fixed places (the row numbers in expected.rejected.csv follow)
bad = {
    5: ["SKU-BAD-COST", "12,5", "0.100", "10.0", "10.0", "10.0", "1", "3"],
    9: ["SKU-NEG", "3.00", "-0.100", "10.0", "10.0", "10.0", "1", "3"],
    12: ["SKU-ZONE9", "3.00", "0.100", "10.0", "10.0", "10.0", "9", "3"],
    20: ["SKU-QTY0", "3.00", "0.100", "10.0", "10.0", "10.0", "2", "0"],
    30: ["", "3.00", "0.100", "10.0", "x", "10.0", "2", "2"],
}
catalog = []
for i, r in enumerate(good):
    if i in bad:
        catalog.append(bad[i])
    catalog.append(r)
# a formula-like SKU and a SKU with a comma are priced; their cells are neutralised / quoted
tricky = [["=HYPERLINK(\"http://x\")", "10.00", "0.200", "20.0", "10.0", "5.0", "3", "10"],
          ["SKU,7", "1.50", "0.050", "5.0", "5.0", "5.0", "8", "1"]]
catalog += tricky
with open("catalog.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    w.writerows(catalog)
ref = reference(good + tricky)
# the reference writes the SKUs raw; the sheet neutralises the formula-like one
ref = ref.replace('"=HYPERLINK(""http://x"")"', '"\'=HYPERLINK(""http://x"")"')
open("expected.csv", "w").write(ref)

plain_header = header[:6]
with open("plain.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(plain_header + ["colour"])
    for r in good[:6]:
        w.writerow(r[:6] + ["red"])
params = json.load(open(os.path.join(bench, "params.json")))
mins = [t["min_qty"] for t in sorted(params["tiers"], key=lambda t: t["min_qty"])]
expanded = [r[:6] + [str(z), str(q)] for r in good[:6] for z in sorted(params["zones"]) for q in mins]
open("expected_plain.csv", "w").write(reference(expanded))

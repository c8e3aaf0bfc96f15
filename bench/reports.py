#!/usr/bin/env python
"""Benchmark: the consolidated report in PDF, Excel and Word for 100, 500 and 2,000 tasks, and how it grows.

    python bench/reports.py                    # 100, 500, 2,000 tasks from 40 units (about 10 % not reported)
    python bench/reports.py --tasks 100 500    # other sizes

Each size runs bench/render_report.py in a process of its own (a fresh SQLite database in a temporary folder,
the same data builder), which prints wall and CPU seconds per step. Prints a table per format and the ratio of
each size to the smallest, per task: 1.0 is linear; more means the render grows faster than the data. CPU
seconds (of the render's process) hardly depend on what else the machine runs; wall seconds do.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^(context|PDF|Excel|Word): ([\d.]+) s, CPU ([\d.]+) s")


def measure(tasks, units):
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "render_report.py"), "--tasks", str(tasks), "--units", str(units)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = re.search(r"tasks in report: (\d+)", out)
    figures = {m[1]: (float(m[2]), float(m[3])) for m in (LINE.match(line) for line in out.splitlines()) if m}
    return int(rows[1]), figures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--units", type=int, default=40)
    args = parser.parse_args()
    results = {}
    for tasks in args.tasks:
        rows, figures = measure(tasks, args.units)
        results[tasks] = (rows, figures)
        shown = ", ".join(f"{k} {w:.2f} s (CPU {c:.2f} s)" for k, (w, c) in figures.items())
        print(f"{tasks} tasks ({rows} rows in the report): {shown}", flush=True)
    print()
    header = " | ".join(f"{t} tasks: wall / CPU s" for t in results)
    print(f"| format | {header} | CPU per row, ratio to the smallest |")
    print("| --- | " + " | ".join("---:" for _ in results) + " | ---: |")
    for fmt in ("context", "PDF", "Excel", "Word"):
        cells = [f"{results[t][1][fmt][0]:.2f} / {results[t][1][fmt][1]:.2f}" for t in results]
        per_row = [results[t][1][fmt][1] / results[t][0] for t in results]
        ratios = ", ".join(f"{p / per_row[0]:.2f}" for p in per_row)
        print(f"| {fmt} | " + " | ".join(cells) + f" | {ratios} |")


if __name__ == "__main__":
    main()

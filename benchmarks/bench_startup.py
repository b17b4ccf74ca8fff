"""Start-up figures (issue 27): `iacm-lint --version`, a scan of an empty
directory, and loading the grammar's parse tables in a fresh process.

    python benchmarks/bench_startup.py [--repeat 20]

Each command runs as a child process (`python -m iacm_lint ...`, the same
interpreter and environment), with an empty cache directory of its own;
the table is the best and the median of --repeat runs in milliseconds, with
the load average before and after (others' processes on a shared machine
inflate every figure: compare the best). `python -X importtime -m iacm_lint
--version` shows where the time of an import goes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

TABLES = ("import time, lark, hcl2.postlexer\n"
          "from iacm_lint.parse import tables as parsetables\n"
          "start = time.perf_counter(); parsetables.parser(None)\n"
          "print((time.perf_counter() - start) * 1000, parsetables.loaded_from)\n")


def timed(command: list[str], env: dict, cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="iacm-startup-")
    empty = os.path.join(work, "empty")
    os.mkdir(empty)
    env = dict(os.environ, IACM_LINT_CACHE_DIR=os.path.join(work, "cache"))
    python = [sys.executable]
    rows = [
        ("python -c pass (the interpreter alone)", python + ["-c", "pass"], 0),
        ("iacm-lint --version", python + ["-m", "iacm_lint", "--version"], 80),
        ("iacm-lint check EMPTY", python + ["-m", "iacm_lint", "check", empty], 150),
    ]
    load_before = f"{os.getloadavg()[0]:.2f}"
    print(f"{'what':<42}{'best ms':>9}{'median ms':>11}{'target':>8}")
    for label, command, target in rows:
        times = [timed(command, env, work) for _ in range(args.repeat)]
        shown = f"{target}" if target else "-"
        print(f"{label:<42}{min(times):>9.0f}{statistics.median(times):>11.0f}{shown:>8}")
    loads = []
    for _ in range(max(3, args.repeat // 4)):
        done = subprocess.run(python + ["-c", TABLES], env=env, capture_output=True, text=True, check=True)
        milliseconds, source = done.stdout.split()
        loads.append(float(milliseconds))
    print(f"{'parse tables loaded (' + source + ')':<42}{min(loads):>9.0f}{statistics.median(loads):>11.0f}{50:>8}")
    print(f"\nload average: {load_before} before, {os.getloadavg()[0]:.2f} after; {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()

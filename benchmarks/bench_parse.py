"""Time a full `iacm-lint check` scan of a directory and report files, MB,
seconds and MB/s, next to python-hcl2's raw lark parse of the same files.

    python benchmarks/bench_parse.py DIR [--repeat N]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from pathlib import Path

from iacm_lint.engine import run
from iacm_lint.options import Options
from iacm_lint.scan.discover import PARSED_KINDS, scan_root, walk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    root = scan_root([args.directory])
    files = [(a, r, k) for a, r, k in walk([args.directory], root).files if k in PARSED_KINDS]
    size = sum(os.path.getsize(a) for a, _, _ in files)
    mb = size / 1e6

    def best(func) -> float:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        return min(times)

    def raw_parse() -> None:
        from hcl2.parser import parser

        lark = parser()
        for abs_path, _, kind in files:
            if kind.endswith("json"):
                continue
            with contextlib.suppress(Exception):  # the floor ignores files that fail
                lark.parse(Path(abs_path).read_text(encoding="utf-8", errors="replace") + "\n")

    options = Options(jobs=args.jobs, cache=False)
    scan = best(lambda: run([args.directory], options))
    floor = best(raw_parse)
    print(f"{'what':<28}{'files':>7}{'MB':>8}{'seconds':>10}{'MB/s':>8}")
    print(f"{'iacm-lint check (no cache)':<28}{len(files):>7}{mb:>8.2f}{scan:>10.3f}{mb / scan:>8.2f}")
    print(f"{'python-hcl2 lark parse':<28}{len(files):>7}{mb:>8.2f}{floor:>10.3f}{mb / floor:>8.2f}")
    print(f"ratio check/raw parse: {scan / floor:.2f}")


if __name__ == "__main__":
    main()

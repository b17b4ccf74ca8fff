"""Benchmark a scan of DIR: iacm-lint cold, warm and --jobs 1, python-hcl2's
raw parse of the same files as the floor, and checkov side by side when it is
installed. Fetches nothing. Prints one table with ratios.

    python benchmarks/bench_scan.py DIR [--repeat 3] [--jobs N] [--checkov PATH]

- iacm-lint runs as a child process (`python -m iacm_lint check DIR`),
  start-up included, output discarded. "first run" starts with an empty
  cache directory every time (a fresh CI container: what the checkov
  comparison and the target ratio use), "cold" empties the parse and result
  caches but keeps parse tables built at run time (there are none when the
  installed python-hcl2 and lark are the ones the package's tables were built
  for: then cold and first run are the same), "warm" repeats the scan with the
  caches filled and nothing changed (answered by the result cache), "warm, 1
  file edited" scans a copy of DIR after appending a comment to one file (the
  editor-save case: that file is parsed, the rest comes from the parse cache,
  every rule runs), "CI re-run" scans a fresh copy of DIR with the cache of
  an earlier run (a CI job that restores $IACM_LINT_CACHE_DIR: new inodes and
  mtimes, so no whole-scan hit, but nothing is parsed), "--jobs 1" is cold in
  one process.
- Peak memory is sampled from /proc for the whole process tree (main process
  plus pool workers), so it is the sum, not the largest process.
- The floor is python-hcl2's own lark parser (`hcl2.parser.parser().parse`)
  over the same .tf/.tfvars files in this process on one core.
- checkov: `checkov -d DIR --framework terraform --quiet --compact
  --skip-download` with BC_SKIP_MAPPING=TRUE (offline). Give --checkov PATH or
  have `checkov` on PATH or in /tmp/checkov-venv/bin. Install it into its own
  venv: its bc-python-hcl2 replaces python-hcl2's `hcl2` package.

Each figure is the best of --repeat runs (the machine may be shared).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from typing import Optional

from iacm_lint.scan.discover import PARSED_KINDS, scan_root, walk


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid, pages = int(fields[1]), int(fields[21])
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, ()))
    return total


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """(seconds, peak RSS of the process tree in KB, exit code)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            with contextlib.suppress(OSError):
                peak[0] = max(peak[0], _tree_rss_kb(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if os.path.isdir("/proc"):
        sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    if sampler.is_alive():
        sampler.join()
    if process.returncode not in (0, 1):
        tail = stderr.decode(errors="replace")[-2000:]
        sys.stderr.write(f"{' '.join(command)} exited {process.returncode}:\n{tail}\n")
    return elapsed, peak[0], process.returncode


def raw_parse_seconds(files: list[str]) -> float:
    from hcl2.parser import parser

    lark = parser()
    texts = []
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as handle:
            texts.append(handle.read() + "\n")
    start = time.perf_counter()
    for text in texts:
        with contextlib.suppress(Exception):  # the floor ignores files that fail
            lark.parse(text)
    return time.perf_counter() - start


def edited_seconds(repeat: int, directory: str, work: str, env: dict, jobs: list[str], rows: list) -> None:
    """Time scans of a copy of `directory`, each after appending a comment
    to one of its .tf files (the copy keeps the user's tree untouched)."""
    copy = os.path.join(work, "edited")
    shutil.copytree(directory, copy, symlinks=True)
    target = next(os.path.join(d, n) for d, _, names in sorted(os.walk(copy)) for n in sorted(names)
                  if n.endswith(".tf"))
    command = [sys.executable, "-m", "iacm_lint", "check", copy, "--fail-on", "never", *jobs]
    cache_env = dict(env, IACM_LINT_CACHE_DIR=os.path.join(work, "cache"))
    timed(command, cache_env)  # fills the parse cache for the copy
    best = None
    for number in range(repeat):
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(f"\n# edit {number}\n")
        seconds, peak, _ = timed(command, cache_env)
        best = (seconds, peak) if best is None or seconds < best[0] else best
    rows.append(("iacm-lint warm, 1 file edited", "iacm-lint check COPY (one .tf file appended to)", best[0], best[1]))


def rerun_seconds(repeat: int, directory: str, work: str, env: dict, jobs: list[str], rows: list) -> None:
    """Time scans of a fresh copy of `directory` each time, with the cache of
    an earlier scan: a CI job that restored its cache into a new checkout."""
    cache_env = dict(env, IACM_LINT_CACHE_DIR=os.path.join(work, "rerun-cache"))
    best = None
    for number in range(repeat + 1):
        copy = os.path.join(work, f"checkout-{number}")
        shutil.copytree(directory, copy, symlinks=True)
        seconds, peak, _ = timed([sys.executable, "-m", "iacm_lint", "check", copy, "--fail-on", "never", *jobs],
                                 cache_env)
        shutil.rmtree(copy)
        if number and (best is None or seconds < best[0]):  # the first copy fills the cache
            best = (seconds, peak)
    rows.append(("iacm-lint CI re-run", "iacm-lint check CHECKOUT (fresh copy, cache of an earlier run)", best[0],
                 best[1]))


def find_checkov(explicit: Optional[str]) -> Optional[str]:
    for candidate in (explicit, shutil.which("checkov"), "/tmp/checkov-venv/bin/checkov"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None,
                        help="--jobs for the cold and warm runs (default: iacm-lint's)")
    parser.add_argument("--checkov", default=None, help="path of the checkov executable")
    parser.add_argument("--no-checkov", action="store_true")
    args = parser.parse_args()

    directory = os.path.abspath(args.directory)
    root = scan_root([directory])
    files = [(a, k) for a, _, k in walk([directory], root).files if k in PARSED_KINDS]
    hcl_files = [a for a, k in files if not k.endswith("json")]
    megabytes = sum(os.path.getsize(a) for a, _ in files) / 1e6
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        load = "?"

    base = [sys.executable, "-m", "iacm_lint", "check", directory, "--fail-on", "never"]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    work = tempfile.mkdtemp(prefix="iacm-bench-")
    env = dict(os.environ)

    cache_dir = os.path.join(work, "cache")

    def fresh_cache() -> str:
        """The cache folder with its parse and result entries removed, parse
        tables built at run time (other python-hcl2/lark versions) kept."""
        for entry in os.listdir(cache_dir):
            path = os.path.join(cache_dir, entry)
            if not entry.startswith(("hcl2-tables-", "key")):
                shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
        return cache_dir

    def empty_cache() -> str:
        """A cache folder that does not exist yet: a first run in a fresh container."""
        path = tempfile.mkdtemp(prefix="first-run-", dir=work)
        os.rmdir(path)
        return path

    rows: list[tuple[str, str, float, int]] = []  # (label, command line, seconds, peak KB)

    def run(label: str, extra: list[str], cache: Optional[str] = None, reuse: bool = False,
            first: bool = False) -> None:
        best = None
        for _ in range(args.repeat):
            run_env = dict(env, IACM_LINT_CACHE_DIR=cache if reuse else empty_cache() if first else fresh_cache())
            seconds, peak, _ = timed(base + extra, run_env)
            if best is None or seconds < best[0]:
                best = (seconds, peak)
        shown = " ".join(["iacm-lint check DIR"] + extra)
        rows.append((label, shown, best[0], best[1]))

    try:
        run("iacm-lint first run", jobs, first=True)
        os.makedirs(cache_dir)
        timed(base, dict(env, IACM_LINT_CACHE_DIR=cache_dir))  # builds parse tables once if the package's do not fit
        run("iacm-lint cold", jobs)
        timed(base + jobs, dict(env, IACM_LINT_CACHE_DIR=fresh_cache()))
        run("iacm-lint warm", jobs, cache_dir, reuse=True)
        edited_seconds(args.repeat, directory, work, env, jobs, rows)
        rerun_seconds(args.repeat, directory, work, env, jobs, rows)
        run("iacm-lint cold --jobs 1", ["--jobs", "1"])
        run("iacm-lint --no-cache", jobs + ["--no-cache"])
        floor = min(raw_parse_seconds(hcl_files) for _ in range(args.repeat))
        rows.append(("python-hcl2 raw parse, 1 core", "hcl2.parser.parser().parse", floor, 0))
        checkov = None if args.no_checkov else find_checkov(args.checkov)
        if checkov:
            command = [checkov, "-d", directory, "--framework", "terraform", "--quiet", "--compact", "--skip-download"]
            checkov_env = dict(env, BC_SKIP_MAPPING="TRUE")
            best = None
            for _ in range(max(1, min(args.repeat, 2))):
                seconds, peak, _ = timed(command, checkov_env)
                best = (seconds, peak) if best is None or seconds < best[0] else best
            rows.append(("checkov", " ".join(["checkov"] + command[1:]).replace(directory, "DIR"), best[0], best[1]))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"DIR={directory}\n{len(files)} files, {megabytes:.2f} MB; {cores} cores; load average before: {load}; "
          f"best of {args.repeat}\n")
    print(f"{'what':<30}{'seconds':>9}{'MB/s':>8}{'files/s':>9}{'peak MB':>9}  command")
    for label, shown, seconds, peak in rows:
        peak_text = f"{peak / 1024:.0f}" if peak else "-"
        print(f"{label:<30}{seconds:>9.2f}{megabytes / seconds:>8.2f}{len(files) / seconds:>9.0f}{peak_text:>9}"
              f"  {shown}")
    by = {label: seconds for label, _, seconds, _ in rows}
    first, cold, warm = by["iacm-lint first run"], by["iacm-lint cold"], by["iacm-lint warm"]
    print()
    print(f"warm speed-up (cold / warm):                       {cold / warm:6.1f}x   (target >= 15x)")
    budget = 1.5 * floor / cores
    print(f"first run / (raw parse / {cores} cores):                 {first / (floor / cores):6.2f}    "
          f"(target <= 1.5, i.e. first run <= {budget:.2f} s)")
    print(f"first-run throughput:                              {megabytes / first:6.2f} MB/s "
          "(target >= 1 MB/s on 2 cores)")
    if "checkov" in by:
        print(f"checkov / iacm-lint first run:                     {by['checkov'] / first:6.1f}x   (target >= 100x)")
        print(f"checkov / iacm-lint warm:                          {by['checkov'] / warm:6.1f}x")


if __name__ == "__main__":
    main()

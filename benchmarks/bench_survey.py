"""Benchmark `iacm-lint survey` over N git repositories made from SOURCE
directories (copies, cycled: e.g. the testdata examples and the corpus
modules), for several N: that its time is linear in the repositories and its
memory bounded by the largest repository, not their sum. Fetches nothing.

    python benchmarks/bench_survey.py SOURCE... [--counts 10,20,30] [--jobs 2] [--repeat 1]

For each N: `survey --repos-in DIR` over the checkouts (a cold parse cache
each run; a comment appended to each copy's Terraform files, so that no copy
is answered from another's cache entries), and `survey` over the N readiness documents `--reports-dir`
wrote. Columns: seconds, seconds per repository, the peak resident memory
of the largest single process (the survey's own or a repository's worker)
and of the whole process tree (sampled from /proc every 20 ms). The last
line is `report --format json` of the largest source alone: the bound a
worker's peak should stay near.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from bench_scan import tree_rss_kb  # this folder is on sys.path when a script in it runs


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """(seconds, peak KB of the largest single process, peak KB of the whole tree)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    largest, whole = [0], [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            sizes = tree_rss_kb(process.pid)
            largest[0] = max(largest[0], max(sizes))
            whole[0] = max(whole[0], sum(sizes))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} exited {process.returncode}:\n{stderr.decode(errors='replace')[-2000:]}")
    return elapsed, largest[0], whole[0]


def make_repositories(sources: list[str], count: int, directory: str, env: dict[str, str]) -> None:
    for index in range(count):
        source = sources[index % len(sources)]
        target = os.path.join(directory, f"{index:03d}-{os.path.basename(os.path.normpath(source))}")
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".git"))
        for folder, _, names in os.walk(target):  # every copy parsed, as distinct repositories are
            for name in names:
                if name.endswith((".tf", ".tofu")):
                    with open(os.path.join(folder, name), "a", encoding="utf-8") as handle:
                        handle.write(f"\n# copy {index}\n")
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
            subprocess.run(["git", *command], cwd=target, env=env, check=True, capture_output=True)


def size_mb(directory: str) -> float:
    return sum(os.path.getsize(os.path.join(d, n)) for d, _, names in os.walk(directory) for n in names
               if ".git" not in d.split(os.sep)) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+")
    parser.add_argument("--counts", default="10,20,30")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="iacm-lint-bench-survey-")
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@invalid", GIT_COMMITTER_NAME="bench",
               GIT_COMMITTER_EMAIL="bench@invalid", GIT_CONFIG_NOSYSTEM="1")
    try:
        print(f"load average {os.getloadavg()[0]:.1f}, --jobs {args.jobs}, best of {args.repeat}")
        print(f"{'repositories':>12} {'what':<22} {'seconds':>8} {'s/repo':>7} {'largest MB':>11} {'tree MB':>8}")
        for count in (int(n) for n in args.counts.split(",")):
            repos = os.path.join(work, f"repos-{count}")
            reports = os.path.join(work, f"reports-{count}")
            os.makedirs(reports)
            make_repositories(args.sources, count, repos, env)
            rows = {}
            for number in range(args.repeat):
                cache = dict(env, IACM_LINT_CACHE_DIR=os.path.join(work, f"cache-{count}-{number}"))
                scanned = timed([sys.executable, "-m", "iacm_lint", "survey", "--repos-in", repos, "--jobs",
                                 str(args.jobs), "--reports-dir", reports, "--format", "json", "-q"], cache)
                documents = sorted(os.path.join(reports, n) for n in os.listdir(reports) if n.endswith(".json"))
                read = timed([sys.executable, "-m", "iacm_lint", "survey", *documents, "--format", "json", "-q"],
                             cache)
                for what, figures in (("checkouts", scanned), ("readiness documents", read)):
                    if what not in rows or figures[0] < rows[what][0]:
                        rows[what] = figures
            for what, (seconds, largest, whole) in rows.items():
                print(f"{count:>12} {what:<22} {seconds:>8.2f} {seconds / count:>7.3f} {largest / 1024:>11.0f} "
                      f"{whole / 1024:>8.0f}")
        largest_source = max(args.sources, key=size_mb)
        alone = timed([sys.executable, "-m", "iacm_lint", "report", largest_source, "--format", "json"],
                      dict(env, IACM_LINT_CACHE_DIR=os.path.join(work, "cache-alone")))
        print(f"{'1':>12} {'report, largest source':<22} {alone[0]:>8.2f} {alone[0]:>7.3f} {alone[1] / 1024:>11.0f} "
              f"{alone[2] / 1024:>8.0f}  ({os.path.basename(os.path.normpath(largest_source))}, "
              f"{size_mb(largest_source):.2f} MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

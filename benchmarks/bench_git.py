"""Build a git repository with 20,000 tracked files (Terraform roots, their
`.terraform/` caches partly committed, docs and data files, ignored state
and plans, plus a submodule-like nested repository) and show what the git
layer costs: git subprocesses per repository, and the time of the listing and
of a full scan with the hygiene rules.

    python benchmarks/bench_git.py [--files 20000] [--keep DIR]

Every subprocess is counted by wrapping subprocess.Popen, so a second git
call anywhere in the scan (discovery, rules, reporters) would show.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from collections import Counter


def _git(directory: str, *args: str) -> None:
    subprocess.run(["git", *args], cwd=directory, check=True, stdout=subprocess.DEVNULL)


def build(directory: str, total: int) -> tuple[int, int]:
    """Write the repository and commit it; returns (tracked, repositories)."""
    roots = max(1, total // 200)
    written = 0

    def put(relative: str, text: str) -> None:
        nonlocal written
        path = os.path.join(directory, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        written += 1

    put(".gitignore", ".terraform/\n*.tfstate\n*.tfstate.*\ncrash.log\n*.tfplan\n")
    for r in range(roots):
        base = f"stacks/team{r % 10}/stack{r}"
        put(f"{base}/main.tf", f'resource "null_resource" "r{r}" {{}}\n')
        put(f"{base}/versions.tf", 'terraform {\n  required_version = "~> 1.5.0"\n}\n')
        put(f"{base}/.terraform.lock.hcl", "# lock\n")
    # fill up with non-Terraform files until `total` tracked files exist
    i = 0
    while written < total - 2:
        put(f"docs/section{i // 500}/page{i}.md", f"# page {i}\n")
        i += 1
    _git(directory, "init", "-q")
    _git(directory, "config", "user.name", "bench")
    _git(directory, "config", "user.email", "bench@iacm-lint.invalid")
    _git(directory, "config", "commit.gpgsign", "false")
    _git(directory, "add", ".")
    # one committed .terraform/ cache and a committed state file: findings to report
    put("stacks/team0/stack0/.terraform/terraform.tfstate", "{}\n")
    put("stacks/team0/stack0/terraform.tfstate", "{}\n")
    _git(directory, "add", "-f", "stacks/team0/stack0/.terraform/terraform.tfstate",
         "stacks/team0/stack0/terraform.tfstate")
    _git(directory, "commit", "-q", "-m", "bench fixture")
    # ignored and untracked files the scan must see through
    for r in range(0, roots, 7):
        put(f"stacks/team{r % 10}/stack{r}/.terraform/providers/p", "bin\n")
        put(f"stacks/team{r % 10}/stack{r}/terraform.tfstate.backup", "{}\n")
    # a nested repository (a clone inside the tree): one more listing
    nested = os.path.join(directory, "vendor", "shared-modules")
    os.makedirs(nested)
    _git(nested, "init", "-q")
    with open(os.path.join(nested, "main.tf"), "w", encoding="utf-8") as handle:
        handle.write('variable "x" {}\n')
    _git(nested, "add", ".")
    _git(nested, "-c", "user.name=bench", "-c", "user.email=bench@iacm-lint.invalid", "commit", "-q", "-m", "n")
    return total, 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=20000, help="tracked files in the outer repository")
    parser.add_argument("--keep", help="build the repository here and keep it (default: a temporary directory)")
    args = parser.parse_args()

    from iacm_lint.engine import run
    from iacm_lint.options import Options
    from iacm_lint.scan import gitinfo

    directory = args.keep or tempfile.mkdtemp(prefix="iacm-bench-git-")
    if os.listdir(directory):
        raise SystemExit(f"{directory} is not empty")
    try:
        start = time.perf_counter()
        tracked, repositories = build(directory, args.files)
        print(f"built {tracked} tracked files (+1 in a nested repository, {repositories} repositories) "
              f"in {time.perf_counter() - start:.1f} s")

        calls: list[list[str]] = []
        real_popen = subprocess.Popen

        class CountingPopen(real_popen):  # type: ignore[misc, valid-type]
            def __init__(self, popen_args, *rest, **kwargs):
                calls.append([str(a) for a in popen_args])
                super().__init__(popen_args, *rest, **kwargs)

        subprocess.Popen = CountingPopen  # type: ignore[misc]
        try:
            start = time.perf_counter()
            view = gitinfo.git_view(directory)
            listing = time.perf_counter() - start
            assert view is not None
            print(f"git_view: {len(view.tracked)} tracked files, {len(view.repositories)} repositories, "
                  f"{len(calls)} git subprocesses, {listing * 1000:.0f} ms")
            calls.clear()
            start = time.perf_counter()
            result = run([directory], Options(jobs=1))
            scan = time.perf_counter() - start
        finally:
            subprocess.Popen = real_popen  # type: ignore[misc]
        git_calls = [c for c in calls if os.path.basename(c[0]) == "git"]
        by_rule = Counter(f.rule_id for f in result.findings if f.rule_id.startswith("IACM4"))
        print(f"full scan (all rules, --jobs 1): {scan:.2f} s, {len(git_calls)} git subprocesses "
              f"for {len(result.repo.tracked or ())} tracked files; hygiene findings {dict(sorted(by_rule.items()))}")
        for call in git_calls:
            print("  ", " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(call)))
        per_repository = len(git_calls) / max(1, len(view.repositories))
        print(f"git subprocesses per repository: {per_repository:g}")
        if per_repository > 1:
            raise SystemExit("more than one git subprocess per repository")
    finally:
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()

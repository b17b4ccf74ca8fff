"""IACM404 gitignore-incomplete."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from iacm_lint.fix import Fix, safe
from iacm_lint.model.hygiene import CACHE_PROBE, IGNORE_PROBES, STACK_PROBE, ignore_targets
from iacm_lint.model.syntax import Repo, Span
from iacm_lint.registry import Context, Violation, rule
from iacm_lint.scan.gitinfo import GitignoreMatcher

from ..model.source import source_of


@rule("IACM404", "gitignore-incomplete", level="note", scope="repo", tags=("hygiene",), fix="safe",
      short="The .gitignore files do not ignore Terraform's local state, cache and crash files")
def gitignore_incomplete(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Checks, for every root module directory, whether the repository's
    `.gitignore` files — the top-level one and nested ones, with git's
    semantics — ignore `.terraform/`, `*.tfstate`, `*.tfstate.*` and
    `crash.log` there. Any equivalent pattern counts (`*.tfstate*`,
    `**/.terraform/*`, a `.gitignore` inside the root directory); each is
    tried with arbitrary file names (`x.tfstate`, `x.tfstate.backup`), so a
    line for the default name alone (`terraform.tfstate`) or the no-op
    `./*.tfstate` does not count as `*.tfstate`. The message lists the
    patterns that are missing. Machine-local excludes
    (`.git/info/exclude`, `core.excludesFile`) do not count: they do not
    travel with the repository.

    ## Why is this bad?
    `init`, `plan` and a crash write these files next to the code; without
    ignore patterns the next `git add .` commits provider binaries, state
    with secrets in plain text, or a crash log holding the configuration.

    ## Example
    ```text
    # .gitignore
    .terraform/
    ```

    ```hcl
    # main.tf
    resource "null_resource" "noop" {}
    ```

    ## Use instead
    ```text
    # .gitignore
    .terraform/
    *.tfstate
    *.tfstate.*
    crash.log
    ```

    ```hcl
    # main.tf
    resource "null_resource" "noop" {}
    ```

    ## Fix
    Safe: appends the missing patterns to the top-level `.gitignore` (it is
    created when there is none), under a comment line that says why. Ignore
    patterns only keep files that `init`, `plan` and a crash write out of
    the next commit; files already committed stay tracked.
    """
    targets = ignore_targets(repo)
    if not targets:
        return
    on_disk = repo.on_disk  # the .gitignore texts the scan stage read (scan/hygiene.py)
    matchers: dict[str, GitignoreMatcher] = {}
    missing: dict[str, list[str]] = {}  # pattern -> root directories where it is missing
    for directory, checks in targets:
        # nested repositories have their own
        base, prefix = on_disk.ignore_bases.get(directory, (repo.root, directory))
        matcher = matchers.setdefault(base, GitignoreMatcher(base, on_disk.gitignores.get(base, {})))
        for pattern, probes in checks:
            for name, is_dir in probes:
                probe = name if prefix == "." else f"{prefix}/{name}"
                if not matcher.is_ignored(probe, is_dir):
                    missing.setdefault(pattern, []).append(directory)
                    break
    if not missing:
        return
    patterns = ", ".join(f'"{p}"' for p, _ in (*IGNORE_PROBES, CACHE_PROBE, STACK_PROBE) if p in missing)
    lacking = sorted({d for directories in missing.values() for d in directories})
    targeted = {d for d, _ in targets}
    where = "" if len(lacking) == len(targeted) else " for " + ", ".join(f'"{d}"' for d in lacking)
    has_top = on_disk.top_gitignore
    suffix = "" if repo.in_git else " (not a git repository, so the .gitignore files on disk were judged)"
    if has_top:
        region = Span.file_start(".gitignore")
        message = f"the .gitignore files do not ignore {patterns}{where}{suffix}; add these patterns to .gitignore"
    else:
        region = Span.file_start(_first_file(repo))
        message = f"no .gitignore ignores {patterns}{where}{suffix}; add a .gitignore with these patterns"
    known = (*IGNORE_PROBES, CACHE_PROBE, STACK_PROBE)
    yield Violation(region, message, fix=_fix(ctx, [p for p, _ in known if p in missing]))


def _fix(ctx: Context, patterns: list[str]) -> Optional[Fix]:
    source = source_of(ctx, ".gitignore")
    if source is None:
        return None
    edit = source.append_lines(["# Terraform/OpenTofu: provider cache, local state, crash logs (iacm-lint IACM404)",
                                *patterns])
    return safe(f"Add {', '.join(patterns)} to .gitignore", edit)


def _first_file(repo: Repo) -> str:
    """Line 1 of which file a finding points at without a top-level .gitignore:
    the first root's first module file, or a unit's terragrunt.hcl."""
    if repo.roots:
        first = repo.roots[0]
        return first.terragrunt.path if first.terragrunt is not None else first.files[0].path
    assert repo.terragrunt is not None  # ignore_targets found a stack file
    return repo.terragrunt.stacks[0]


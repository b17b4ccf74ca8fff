"""IACM406 terragrunt-cache-committed."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.knowledge.terragrunt import CACHE_DIR
from iacm_lint.model.syntax import Repo, Span
from iacm_lint.registry import Context, Violation, rule

from ._hygiene import ON_DISK, git_rm, judged_in_git, tracked_dirs


@rule("IACM406", "terragrunt-cache-committed", level="error", scope="repo", checklist="state",
      tags=("hygiene", "secrets"),
      security_severity="6.0",
      short="Files under a .terragrunt-cache/ directory are committed to the repository")
def terragrunt_cache_committed(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports every `.terragrunt-cache/` directory with tracked files in it,
    once per directory, at its first tracked file in path order. Git-ignored
    and untracked files do not count, nor does a directory merely named in
    `.gitignore`. Outside git, a `.terragrunt-cache/` directory on disk next
    to the scanned files is reported and the message says so.

    ## Why is this bad?
    `.terragrunt-cache/` holds Terragrunt's scratch copies of each unit: the
    downloaded module code, the `backend.tf` and `provider.tf` it generated,
    a `.terraform/` directory and sometimes local state. Committed, it makes
    remote runs in Harness start from stale code and leaks backend settings
    and state.

    ## Example
    ```hcl
    # .terragrunt-cache/Xf3k/q1Z9/main.tf
    resource "null_resource" "copy" {}
    ```

    ## Use instead
    ```hcl
    # terragrunt.hcl
    terraform {
      source = "git::https://github.com/acme/modules.git//app?ref=v1.2.0"
    }
    ```
    """
    if judged_in_git(repo):
        for directory, path, files in tracked_dirs(repo, CACHE_DIR):
            yield Violation(Span.file_start(path),
                            f'directory "{directory}/" is committed ({files}) although Terragrunt recreates it with '
                            f"copies of module code, generated backend and provider files and local state; remove it "
                            f'with {git_rm(directory, recursive=True)} and add "{CACHE_DIR}" to .gitignore')
        return
    for directory, first in repo.on_disk.terragrunt_cache_dirs:
        if first is not None:
            yield Violation(Span.file_start(first),
                            f'directory "{directory}/" holds Terragrunt\'s scratch copies ({ON_DISK}); keep it out of '
                            f'the repository with "{CACHE_DIR}" in .gitignore')

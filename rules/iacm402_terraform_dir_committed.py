"""IACM402 terraform-dir-committed."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.model.syntax import Repo, Span
from iacm_lint.registry import Context, Violation, rule

from ._hygiene import ON_DISK, TERRAFORM_DIR, git_rm, judged_in_git, tracked_dirs


@rule("IACM402", "terraform-dir-committed", level="error", scope="repo", checklist="state", tags=("hygiene", "secrets"),
      security_severity="6.0",
      short="Files under a .terraform/ directory are committed to the repository")
def terraform_dir_committed(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports every `.terraform/` directory with tracked files in it, once per
    directory, at its first tracked file in path order. Git-ignored and
    untracked files do not count. Outside git, a `.terraform/` directory on
    disk next to the scanned files is reported and the message says so.

    ## Why is this bad?
    `.terraform/` is the working directory `init` fills: provider binaries
    for one platform, downloaded modules and `.terraform/terraform.tfstate`,
    which holds the backend configuration, credentials included when they
    were passed with `-backend-config`. Committed, it makes remote runs in
    Harness use stale modules and the wrong platform's providers, and it
    leaks the backend settings.

    ## Example
    ```json
    # .terraform/terraform.tfstate
    {"version": 3, "backend": {"type": "s3", "config": {"bucket": "acme-tf-state"}}}
    ```

    ## Use instead
    ```hcl
    # main.tf
    module "network" {
      source = "./modules/network"
    }
    ```
    """
    if judged_in_git(repo):
        for directory, path, files in tracked_dirs(repo, TERRAFORM_DIR):
            yield Violation(Span.file_start(path),
                            f'directory "{directory}/" is committed ({files}) although init recreates it with '
                            f'provider binaries, modules and backend settings; remove it with '
                            f'{git_rm(directory, recursive=True)} and add ".terraform/" to .gitignore')
        return
    for directory, first in repo.on_disk.terraform_dirs:
        if first is not None:
            yield Violation(Span.file_start(first),
                            f'directory "{directory}/" holds files that init recreates ({ON_DISK}); '
                            f'keep it out of the repository with ".terraform/" in .gitignore')

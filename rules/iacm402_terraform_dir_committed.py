"""IACM402 terraform-dir-committed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Optional

from iacm_lint.model.syntax import Repo, Span
from iacm_lint.registry import Context, Violation, rule
from iacm_lint.scan.names import text_name

from ._hygiene import ON_DISK, TERRAFORM_DIR, absolute, git_rm, terraform_dir_of


@rule("IACM402", "terraform-dir-committed", level="error", scope="repo", tags=("hygiene", "secrets"),
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
    if repo.in_git and repo.tracked is not None:
        first_file: dict[str, str] = {}
        counts: dict[str, int] = {}
        for path in sorted(repo.tracked):
            directory = terraform_dir_of(path)
            if directory is not None:
                first_file.setdefault(directory, path)
                counts[directory] = counts.get(directory, 0) + 1
        for directory, path in first_file.items():
            files = f"{counts[directory]} tracked file{'s' if counts[directory] != 1 else ''}"
            yield Violation(Span.file_start(path),
                            f'directory "{directory}/" is committed ({files}) although init recreates it with '
                            f'provider binaries, modules and backend settings; remove it with '
                            f'{git_rm(directory, recursive=True)} and add ".terraform/" to .gitignore')
        return
    for directory in _terraform_dirs_on_disk(repo):
        first = _first_file(repo, directory)
        if first is not None:
            yield Violation(Span.file_start(first),
                            f'directory "{directory}/" holds files that init recreates ({ON_DISK}); '
                            f'keep it out of the repository with ".terraform/" in .gitignore')


def _terraform_dirs_on_disk(repo: Repo) -> list[str]:
    """`.terraform` directories beside any discovered file (discovery itself
    never walks into them)."""
    directories = {"."} | {f.path.rsplit("/", 1)[0] for f in repo.files if "/" in f.path}
    found = []
    for directory in sorted(directories):
        candidate = TERRAFORM_DIR if directory == "." else f"{directory}/{TERRAFORM_DIR}"
        if os.path.isdir(absolute(repo, candidate)) and not os.path.islink(absolute(repo, candidate)):
            found.append(candidate)
    return found


def _first_file(repo: Repo, directory: str) -> Optional[str]:
    """The first regular file under `directory` in path order, as the git
    branch orders tracked paths (names as discovery shows them)."""
    paths = []
    pending = [absolute(repo, directory)]
    while pending:  # its own stack: `.terraform` may be nested as deep as the repository likes
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.is_file():
                    paths.append(text_name(os.path.relpath(entry.path, repo.root).replace(os.sep, "/")))
            except OSError:
                continue
    return min(paths, default=None)

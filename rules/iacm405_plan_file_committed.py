"""IACM405 plan-file-committed."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator

from iacm_lint.model.syntax import Repo, Span
from iacm_lint.registry import Context, Violation, rule

from ._hygiene import ON_DISK, absolute, git_rm, judged_files, name_of, terraform_dir_of

_ZIP_MAGIC = b"PK\x03\x04"
_PLAN_MEMBER = "tfplan"
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def is_saved_plan(path: str) -> bool:
    """A zip archive (Terraform's and OpenTofu's saved plan format) with a
    `tfplan` member. Reads four bytes of every other file; symbolic links,
    FIFOs and unreadable files are not plans."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError:
        return False
    try:
        with os.fdopen(descriptor, "rb") as handle:
            if handle.read(len(_ZIP_MAGIC)) != _ZIP_MAGIC:
                return False
            handle.seek(0)
            with zipfile.ZipFile(handle) as archive:
                return _PLAN_MEMBER in archive.namelist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return False


@rule("IACM405", "plan-file-committed", level="error", scope="repo", tags=("hygiene", "secrets"),
      security_severity="8.0",
      short="A saved Terraform plan file is committed to the repository")
def plan_file_committed(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports every tracked saved plan: a file named `*.tfplan`, and any
    tracked file, whatever its name (`plan`, `plan.out`, `tfplan.bin`), that
    is a zip archive with a `tfplan` member, which is what
    `terraform plan -out` and `tofu plan -out` write. Outside git the files on
    disk are judged and the message says so.

    ## Why is this bad?
    A saved plan holds the full configuration, the prior state and every
    planned value, sensitive ones included, in plain text. It is also only
    valid for the exact state it was made against, so a committed plan is
    both a leak and a trap for a later `apply`.

    ## Example
    ```text
    # prod.tfplan
    saved plan written by "tofu plan -out=prod.tfplan"
    ```

    ## Use instead
    ```hcl
    # main.tf
    resource "null_resource" "noop" {}
    ```
    """
    in_git = repo.in_git and repo.tracked is not None
    for path in judged_files(repo):
        if terraform_dir_of(path) is not None:  # IACM402 reports .terraform/ as a whole
            continue
        if path.endswith(".tfplan"):
            subject = f'saved plan "{name_of(path)}"'
        elif is_saved_plan(absolute(repo, path)):
            subject = f'saved plan "{name_of(path)}" (a zip archive with a "{_PLAN_MEMBER}" member)'
        else:
            continue
        if in_git:
            message = (f"{subject} is committed with secret values in plain text; remove it with {git_rm(path)} "
                       f"and add it to .gitignore")
        else:
            message = (f"{subject} holds secret values in plain text ({ON_DISK}); keep plan files out of the "
                       f"repository with .gitignore")
        yield Violation(Span.file_start(path), message)

"""IACM405 plan-file-committed."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.model.syntax import Repo, Span
from iacm_lint.registry import Context, Violation, rule
from iacm_lint.scan.hygiene import PLAN_MEMBER

from ._hygiene import ON_DISK, git_rm, judged_files, judged_in_git, name_of, terraform_dir_of


@rule("IACM405", "plan-file-committed", level="error", scope="repo", checklist="state", tags=("hygiene", "secrets"),
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
    in_git = judged_in_git(repo)
    for path in judged_files(repo):
        if terraform_dir_of(path) is not None:  # IACM402 reports .terraform/ as a whole
            continue
        if path.endswith(".tfplan"):
            subject = f'saved plan "{name_of(path)}"'
        elif path in repo.on_disk.saved_plans:
            subject = f'saved plan "{name_of(path)}" (a zip archive with a "{PLAN_MEMBER}" member)'
        else:
            continue
        if in_git:
            message = (f"{subject} is committed with secret values in plain text; remove it with {git_rm(path)} "
                       f"and add it to .gitignore")
        else:
            message = (f"{subject} holds secret values in plain text ({ON_DISK}); keep plan files out of the "
                       f"repository with .gitignore")
        yield Violation(Span.file_start(path), message)

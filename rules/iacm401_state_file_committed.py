"""IACM401 state-file-committed."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.model.hygiene import is_state_file
from iacm_lint.model.syntax import Repo, Span
from iacm_lint.registry import Context, Violation, rule

from ._hygiene import ON_DISK, git_rm, judged_files, judged_in_git, name_of


@rule("IACM401", "state-file-committed", level="error", scope="repo", tags=("hygiene", "secrets", "state"),
      checklist="state", security_severity="8.0",
      short="A Terraform state file is committed to the repository")
def state_file_committed(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports every tracked `*.tfstate`, `*.tfstate.backup` (also the
    timestamped `*.tfstate.<n>.backup`) and every file under a
    `terraform.tfstate.d/` workspace directory. In a git repository only
    tracked files count, so a state file that is git-ignored or merely lies
    in the working tree is not reported; outside git the files on disk are
    judged and the message says so.
    A state that OpenTofu encrypted (`encrypted_data`, from an `encryption`
    block) holds no plain text, and the message says so; it is still a
    copy of the state that goes stale and belongs in the backend.

    ## Why is this bad?
    State holds every attribute of every resource in plain text, database
    passwords and private keys included, and everyone who can read the
    repository can read them. A committed state file is also stale the
    moment the workspace applies with its remote backend, and a local
    `terraform.tfstate` next to the code invites runs against the wrong state.

    ## Example
    ```json
    # terraform.tfstate
    {"version": 4, "terraform_version": "1.5.7", "serial": 3, "lineage": "5b1e", "outputs": {}, "resources": []}
    ```

    ## Use instead
    ```hcl
    # backend.tf
    terraform {
      backend "s3" {
        bucket       = "acme-tf-state"
        key          = "network/terraform.tfstate"
        region       = "eu-west-1"
        encrypt      = true
        use_lockfile = true
      }
    }
    ```
    """
    in_git = judged_in_git(repo)
    for path in judged_files(repo):
        if not is_state_file(path):
            continue
        holds = ("is encrypted by OpenTofu, but goes stale as soon as the workspace runs"
                 if path in repo.on_disk.encrypted_states else "holds secrets in plain text")
        if in_git:
            message = (f'state file "{name_of(path)}" is committed and {holds}; '
                       f'remove it with {git_rm(path)}, add "*.tfstate" and "*.tfstate.*" to .gitignore '
                       f"and keep state in the remote backend")
        else:
            message = (f'state file "{name_of(path)}" {holds} ({ON_DISK}); '
                       f'keep it out of the repository with "*.tfstate" and "*.tfstate.*" in .gitignore '
                       f"and keep state in the remote backend")
        yield Violation(Span.file_start(path), message)

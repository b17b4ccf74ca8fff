"""What the repository hygiene rules (IACM401-IACM405) and the scan stage
that reads the disk for them (scan/hygiene.py) agree on: which files are
judged (tracked files in git, files on disk outside it), which of them are
state files, where `init` writes its directory and lock file, and which
paths `.gitignore` files should ignore next to a root."""

from __future__ import annotations

import re
from typing import Optional

from ..knowledge.terragrunt import CACHE_DIR, STACK_DIR
from .syntax import Repo

TERRAFORM_DIR = ".terraform"
LOCK_FILE = ".terraform.lock.hcl"

# IACM404: pattern named in the message -> (path probed in each root directory, is a directory)
IGNORE_PROBES: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...] = (
    # files inside, so that `.terraform/*` and `**/.terraform/**` count as well as `.terraform/`
    (".terraform/", ((".terraform/terraform.tfstate", False),
                     (".terraform/providers/registry.opentofu.org/hashicorp/aws/5.0.0/linux_amd64/provider", False))),
    # and arbitrary names, so that a lone `terraform.tfstate` line does not pass for `*.tfstate`
    ("*.tfstate", (("terraform.tfstate", False), ("x.tfstate", False))),
    ("*.tfstate.*", (("terraform.tfstate.backup", False), ("terraform.tfstate.1700000000.backup", False),
                     ("x.tfstate.backup", False))),
    ("crash.log", (("crash.log", False),)),
)
# Terragrunt (shared/spec/terragrunt.md TG-2): its scratch copies beside every unit, and what
# `stack generate` writes beside stack files
CACHE_PROBE = (CACHE_DIR, ((f"{CACHE_DIR}/x/y/main.tf", False),))
STACK_PROBE = (STACK_DIR, ((f"{STACK_DIR}/unit/terragrunt.hcl", False),))
Probes = tuple[tuple[str, tuple[tuple[str, bool], ...]], ...]


def ignore_targets(repo: Repo) -> list[tuple[str, Probes]]:
    """(directory, the patterns IACM404 probes there): every root, units
    with `.terragrunt-cache` too, and the folder of each Terragrunt stack
    file for `.terragrunt-stack`."""
    targets: list[tuple[str, Probes]] = [
        (root.directory, IGNORE_PROBES + ((CACHE_PROBE,) if root.terragrunt is not None else ()))
        for root in repo.roots]
    stacks = repo.terragrunt.stacks if repo.terragrunt is not None else ()
    targets += [(stack.rsplit("/", 1)[0] if "/" in stack else ".", (STACK_PROBE,)) for stack in stacks]
    return targets


# terraform.tfstate, x.tfstate, terraform.tfstate.backup and the timestamped
# backups `terraform state` commands write (terraform.tfstate.1700000000.backup)
_STATE_NAME = re.compile(r".+\.tfstate(\.backup|\.\d+\.backup)?$")


def is_state_file(path: str) -> bool:
    """A state file by name, or any file under a `terraform.tfstate.d/`
    workspace directory (IACM401). Files under `.terraform/` are IACM402's."""
    if terraform_dir_of(path) is not None:
        return False
    return bool(_STATE_NAME.match(path.rsplit("/", 1)[-1])) or "terraform.tfstate.d" in path.split("/")[:-1]


def judged_files(repo: Repo) -> list[str]:
    """Scan-root relative paths the hygiene rules judge, sorted: every
    tracked file (`.terraform/` included) in a git repository, every
    discovered file on disk outside one."""
    if judged_in_git(repo):
        return sorted(repo.tracked or ())
    return sorted({f.path for f in repo.files})


def judged_in_git(repo: Repo) -> bool:
    """Whether the hygiene rules judge git's view (else the files on disk)."""
    return repo.in_git and repo.tracked is not None


def terraform_dir_of(path: str) -> Optional[str]:
    """The outermost `.terraform` directory holding `path`, or None."""
    return tool_dir_of(path, TERRAFORM_DIR)


def tool_dir_of(path: str, name: str) -> Optional[str]:
    """The outermost directory called `name` (`.terraform`, `.terragrunt-cache`) holding `path`, or None."""
    parts = path.split("/")
    for index, part in enumerate(parts[:-1]):
        if part == name:
            return "/".join(parts[: index + 1])
    return None


def lock_file_of(directory: str) -> str:
    """The dependency lock file of a root directory, scan-root relative."""
    return LOCK_FILE if directory == "." else f"{directory}/{LOCK_FILE}"

"""What the repository hygiene rules (IACM401–IACM405) share: which files
they judge (tracked files in git, files on disk outside it) and how they say
which of the two they judged."""

from __future__ import annotations

import os
from typing import Optional

from iacm_lint.model.syntax import Repo
from iacm_lint.scan.names import text_name

ON_DISK = "not a git repository, so files on disk were judged"
TERRAFORM_DIR = ".terraform"


def judged_files(repo: Repo) -> list[str]:
    """Scan-root relative paths the hygiene rules judge, sorted: every
    tracked file (`.terraform/` included) in a git repository, every
    discovered file on disk outside one."""
    if repo.in_git and repo.tracked is not None:
        return sorted(repo.tracked)
    return sorted({f.path for f in repo.files})


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


def dirs_on_disk(repo: Repo, name: str) -> list[str]:
    """Directories called `name` beside any discovered file (discovery itself
    never walks into them)."""
    directories = {"."} | {f.path.rsplit("/", 1)[0] for f in repo.files if "/" in f.path}
    found = []
    for directory in sorted(directories):
        candidate = name if directory == "." else f"{directory}/{name}"
        if os.path.isdir(absolute(repo, candidate)) and not os.path.islink(absolute(repo, candidate)):
            found.append(candidate)
    return found


def first_file_under(repo: Repo, directory: str) -> Optional[str]:
    """The first regular file under `directory` in path order, as the git
    branch orders tracked paths (names as discovery shows them)."""
    paths = []
    pending = [absolute(repo, directory)]
    while pending:  # its own stack: the directory may be nested as deep as the repository likes
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


def name_of(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def git_rm(path: str, recursive: bool = False) -> str:
    quoted = f"'{path}'" if any(c in path for c in " \t'\"$") else path
    return f'"git rm {"-r " if recursive else ""}--cached {quoted}"'


def absolute(repo: Repo, path: str) -> str:
    return os.path.join(repo.root, *path.split("/"))

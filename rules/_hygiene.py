"""What the repository hygiene rules (IACM401–IACM405) share: which files
they judge (tracked files in git, files on disk outside it) and how they say
which of the two they judged."""

from __future__ import annotations

import os
from typing import BinaryIO, Optional

from iacm_lint.model.syntax import Repo

ON_DISK = "not a git repository, so files on disk were judged"
TERRAFORM_DIR = ".terraform"
# Never through a symbolic link (it may lead out of the scan root), never blocking on a FIFO.
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def open_regular(path: str) -> Optional[BinaryIO]:
    """The file opened for reading bytes; None for symbolic links and
    unopenable files (FIFOs open without blocking and read nothing)."""
    try:
        return os.fdopen(os.open(path, OPEN_FLAGS), "rb")
    except OSError:
        return None


def read_head(path: str, size: int) -> Optional[bytes]:
    """The first `size` bytes of a regular file; None for symbolic links
    and unreadable files."""
    handle = open_regular(path)
    if handle is None:
        return None
    try:
        with handle:
            return handle.read(size)
    except OSError:
        return None


def judged_files(repo: Repo) -> list[str]:
    """Scan-root relative paths the hygiene rules judge, sorted: every
    tracked file (`.terraform/` included) in a git repository, every
    discovered file on disk outside one."""
    if repo.in_git and repo.tracked is not None:
        return sorted(repo.tracked)
    return sorted({f.path for f in repo.files})


def terraform_dir_of(path: str) -> Optional[str]:
    """The outermost `.terraform` directory holding `path`, or None."""
    parts = path.split("/")
    for index, part in enumerate(parts[:-1]):
        if part == TERRAFORM_DIR:
            return "/".join(parts[: index + 1])
    return None


def name_of(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def git_rm(path: str, recursive: bool = False) -> str:
    quoted = f"'{path}'" if any(c in path for c in " \t'\"$") else path
    return f'"git rm {"-r " if recursive else ""}--cached {quoted}"'


def absolute(repo: Repo, path: str) -> str:
    return os.path.join(repo.root, *path.split("/"))

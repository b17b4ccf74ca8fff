"""The disk, read once by the scan stage for the hygiene rules
(IACM401-IACM405) and carried in the Repo (`Repo.on_disk`), so that rules
read only the model. What is read is what those rules read themselves
before (model/hygiene.py says which files they judge):

- outside git, each `.terraform` directory beside the discovered files (not
  a symbolic link) and its first regular file in path order (IACM402);
- whether each root's `.terraform.lock.hcl` is a file (IACM403);
- the `.gitignore` texts between each root's work tree (or the scan root
  outside git) and the paths IACM404 probes, never through a symbolic link,
  size-capped (gitinfo.read_ignore_text); whether the scan root has one;
- which judged files are saved plans: zip archives with a `tfplan` member
  (IACM405), and which judged state files OpenTofu encrypted (IACM401), read
  without following a symbolic link, never blocking on a FIFO.
"""

from __future__ import annotations

import os
import zipfile
from typing import BinaryIO, Optional

from ..knowledge.terragrunt import CACHE_DIR
from ..model.hygiene import (
    TERRAFORM_DIR,
    ignore_targets,
    is_state_file,
    judged_files,
    judged_in_git,
    lock_file_of,
    terraform_dir_of,
)
from ..model.syntax import OnDisk, Repo
from .gitinfo import find_toplevel, read_ignore_text
from .names import text_name

_ZIP_MAGIC = b"PK\x03\x04"
PLAN_MEMBER = "tfplan"
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_on_disk(repo: Repo) -> OnDisk:
    """What the hygiene rules need from the disk, for a Repo whose files,
    git view and roots are known."""
    bases, gitignores = _gitignores(repo)
    return OnDisk(
        terraform_dirs=() if judged_in_git(repo) else tuple(_dirs_on_disk(repo, TERRAFORM_DIR)),
        terragrunt_cache_dirs=() if judged_in_git(repo) else tuple(_dirs_on_disk(repo, CACHE_DIR)),
        lock_files=frozenset(lock for lock in (lock_file_of(root.directory) for root in repo.roots)
                             if os.path.isfile(_absolute(repo, lock))),
        saved_plans=frozenset(path for path in judged_files(repo)
                              if terraform_dir_of(path) is None and not path.endswith(".tfplan")
                              and is_saved_plan(_absolute(repo, path))),
        encrypted_states=frozenset(path for path in judged_files(repo)
                                   if is_state_file(path) and is_encrypted_state(_absolute(repo, path))),
        ignore_bases=bases,
        gitignores=gitignores,
        top_gitignore=os.path.isfile(os.path.join(repo.root, ".gitignore")),
    )


def _absolute(repo: Repo, path: str) -> str:
    return os.path.join(repo.root, *path.split("/"))


# ---- IACM402, IACM406: .terraform and .terragrunt-cache directories outside git ------


def _dirs_on_disk(repo: Repo, name: str) -> list[tuple[str, Optional[str]]]:
    """(directory, its first file) of the directories called `name` beside
    any discovered file (discovery itself never walks into them)."""
    directories = {"."} | {f.path.rsplit("/", 1)[0] for f in repo.files if "/" in f.path}
    found = []
    for directory in sorted(directories):
        candidate = name if directory == "." else f"{directory}/{name}"
        if os.path.isdir(_absolute(repo, candidate)) and not os.path.islink(_absolute(repo, candidate)):
            found.append((candidate, _first_file(repo, candidate)))
    return found


def _first_file(repo: Repo, directory: str) -> Optional[str]:
    """The first regular file under `directory` in path order, as the git
    branch orders tracked paths (names as discovery shows them)."""
    paths = []
    pending = [_absolute(repo, directory)]
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


# ---- IACM404: the .gitignore files on the probed paths ---------------------------------


def _gitignores(repo: Repo) -> tuple[dict[str, tuple[str, str]], dict[str, dict[str, Optional[str]]]]:
    """root directory -> (the base its `.gitignore` files start at: its work
    tree, or the scan root; the root relative to it), and per base the text
    of the `.gitignore` in every directory between the base and a path
    IACM404 probes."""
    bases: dict[str, tuple[str, str]] = {}
    texts: dict[str, dict[str, Optional[str]]] = {}
    for directory, checks in ignore_targets(repo):
        directory_abs = os.path.join(repo.root, *([] if directory == "." else directory.split("/")))
        base = find_toplevel(directory_abs) or repo.root  # nested repositories have their own
        prefix = os.path.relpath(directory_abs, base).replace(os.sep, "/")
        bases[directory] = (base, prefix)
        read = texts.setdefault(base, {})
        for _, probes in checks:
            for name, _ in probes:
                probe = name if prefix == "." else f"{prefix}/{name}"
                for holder in [".", *_parent_dirs(probe)]:
                    if holder not in read:
                        read[holder] = read_ignore_text(os.path.join(base, holder, ".gitignore"))
    return bases, texts


def _parent_dirs(path: str) -> list[str]:
    parents = []
    while "/" in path:
        path = path.rsplit("/", 1)[0]
        parents.append(path)
    return parents


# ---- IACM405: saved plans --------------------------------------------------------------


def _open_regular(path: str) -> Optional[BinaryIO]:
    """The file opened for reading bytes; None for symbolic links and
    unopenable files (FIFOs open without blocking and read nothing)."""
    try:
        return os.fdopen(os.open(path, _OPEN_FLAGS), "rb")
    except OSError:
        return None


def is_saved_plan(path: str) -> bool:
    """A zip archive (Terraform's and OpenTofu's saved plan format) with a
    `tfplan` member. Reads four bytes of every other file; symbolic links,
    FIFOs and unreadable files are not plans."""
    handle = _open_regular(path)
    if handle is None:
        return False
    try:
        with handle:
            if handle.read(len(_ZIP_MAGIC)) != _ZIP_MAGIC:
                return False
            handle.seek(0)
            with zipfile.ZipFile(handle) as archive:
                return PLAN_MEMBER in archive.namelist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return False


# ---- IACM401: state encrypted by OpenTofu ----------------------------------------------


def is_encrypted_state(path: str) -> bool:
    """OpenTofu's encrypted state: a JSON object with `encrypted_data` (and
    `serial`, `lineage`, `meta`), never the `terraform_version` and
    `resources` of a plain state near its start. Reads at most 64 KiB."""
    handle = _open_regular(path)
    if handle is None:
        return False
    try:
        with handle:
            head = handle.read(65536)
    except OSError:
        return False
    return b'"encrypted_data"' in head and b'"terraform_version"' not in head and b'"resources"' not in head

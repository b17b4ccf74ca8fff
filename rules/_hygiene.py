"""What the repository hygiene rules (IACM401–IACM406) share: which files
they judge (model/hygiene.py: tracked files in git, files on disk outside
it) and how they say which of the two they judged."""

from __future__ import annotations

from iacm_lint.model.hygiene import TERRAFORM_DIR, judged_files, judged_in_git, terraform_dir_of, tool_dir_of
from iacm_lint.model.syntax import Repo

__all__ = ["ON_DISK", "TERRAFORM_DIR", "git_rm", "judged_files", "judged_in_git", "name_of", "terraform_dir_of",
           "tool_dir_of", "tracked_dirs"]

ON_DISK = "not a git repository, so files on disk were judged"


def tracked_dirs(repo: Repo, name: str) -> list[tuple[str, str, str]]:
    """(directory, its first tracked file in path order, "N tracked files")
    of each outermost directory called `name` with tracked files in it."""
    first_file: dict[str, str] = {}
    counts: dict[str, int] = {}
    for path in sorted(repo.tracked or ()):
        directory = tool_dir_of(path, name)
        if directory is not None:
            first_file.setdefault(directory, path)
            counts[directory] = counts.get(directory, 0) + 1
    return [(directory, path, f"{counts[directory]} tracked file{'s' if counts[directory] != 1 else ''}")
            for directory, path in first_file.items()]


def name_of(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def git_rm(path: str, recursive: bool = False) -> str:
    quoted = f"'{path}'" if any(c in path for c in " \t'\"$") else path
    return f'"git rm {"-r " if recursive else ""}--cached {quoted}"'

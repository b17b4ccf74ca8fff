"""Build real temporary git repositories for the git layer and hygiene rule
tests: files written, some added and committed, others left untracked or
ignored, with a git configuration of their own."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Union

Content = Union[str, bytes]


def isolate_git(monkeypatch, home: Path) -> None:
    """Keep the developer's global git configuration (excludesFile, hooks)
    out of the tests: the code under test and `git` here see the same env."""
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG_GLOBAL"):
        monkeypatch.delenv(name, raising=False)


def git(directory: Path, *args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=directory, check=True, capture_output=True, text=True)
    return completed.stdout


def write(directory: Path, files: Mapping[str, Content]) -> None:
    for relative, content in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def make_repo(directory: Path, tracked: Mapping[str, Content], untracked: Mapping[str, Content] = (),
              force: Iterable[str] = ()) -> Path:
    """`git init` a repository in `directory`, commit `tracked` (paths in
    `force` are added with `git add -f`, past .gitignore), then write
    `untracked` files without adding them."""
    directory.mkdir(parents=True, exist_ok=True)
    git(directory, "init", "-q")
    git(directory, "config", "user.name", "iacm-lint tests")
    git(directory, "config", "user.email", "tests@iacm-lint.invalid")
    git(directory, "config", "commit.gpgsign", "false")
    write(directory, tracked)
    forced = set(force)
    normal = [p for p in tracked if p not in forced]
    if normal:
        git(directory, "add", "--", *normal)
    if forced:
        git(directory, "add", "-f", "--", *forced)
    if tracked:
        git(directory, "commit", "-q", "-m", "fixture")
    write(directory, dict(untracked))
    return directory


def count_subprocesses(monkeypatch) -> list[list[str]]:
    """Wrap subprocess.Popen so that every process started afterwards, by
    anyone, is recorded as its argv (the program as its base name)."""
    calls: list[list[str]] = []
    real_popen = subprocess.Popen

    class CountingPopen(real_popen):  # type: ignore[misc, valid-type]
        def __init__(self, args, *rest, **kwargs):
            calls.append([os.path.basename(str(a)) if i == 0 else str(a) for i, a in enumerate(args)])
            super().__init__(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", CountingPopen)
    return calls


def git_command(call: list[str]) -> list[str]:
    """A recorded `git` argv without git's own options (the hardening `-c`
    settings, `--git-dir`, `--work-tree`): `git ls-files -z …`."""
    rest = call[1:]
    while rest and rest[0].startswith("-"):
        rest = rest[2:] if rest[0] == "-c" else rest[1:]
    return [call[0], *rest]


def zip_bytes(members: Mapping[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()

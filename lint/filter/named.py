"""Only what lies in the named files: `iacm-lint check main.tf` (an editor,
pre-commit, `git diff --name-only | xargs iacm-lint check`) scans the
file's whole project, so that the file is judged in its module's and its
repository's context (cli/arguments.py decides the project), and reports
only the findings located in the files and directories named on the
command line (`Options.only`), IACM001/IACM002 included; a finding's
related locations may lie elsewhere."""

from __future__ import annotations

import os
from collections.abc import Iterable

from ..model.syntax import RootModule
from ..scan.names import text_name


class NamedPaths:
    """The named files and directories (absolute paths), as paths relative
    to the scan root `root`."""

    def __init__(self, root: str, named: Iterable[str]):
        self.paths = tuple(sorted({_relative(path, root) for path in named}))
        self.file_directories = frozenset(_parent(path) for path in self.paths if not os.path.isdir(
            os.path.join(root, *path.split("/"))))

    def covers(self, path: str) -> bool:
        """Is this scan-root relative path a named file, or inside a named directory?"""
        return any(named == "." or path == named or path.startswith(named + "/") for named in self.paths)

    def touches(self, root: RootModule) -> bool:
        """Does a named path lie in this root module or a module it calls, or
        is it a Terragrunt unit's configuration or a file the unit includes?"""
        directories = [root.directory, *(module.directory for module in root.called)]
        unit = root.terragrunt
        configuration = (unit.path, *unit.include_chain) if unit is not None else ()
        return any(d in self.file_directories or self.covers(d) for d in directories) \
            or any(self.covers(path) for path in configuration)


def _relative(path: str, root: str) -> str:
    return text_name(os.path.relpath(path, root).replace(os.sep, "/"))


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else "."

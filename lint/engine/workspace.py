"""A scan that stays: the Repo of one directory, read from disk once, with
the texts of open editor buffers laid over it (the language server's
engine, server/).

`Workspace(root, options)` discovers and parses the directory as `check`
does. `set_buffer(path, text)` parses a buffer's text in memory (nothing
is written, nothing is read for it) and `check()` runs the rules over the
Repo with every buffer in place of its file; `drop_buffer` goes back to
the file on disk, `reload()` reads the disk again (a `.gitignore`, the
config, a pin file changed). A buffer whose text does not parse keeps the
last model that did, with the new parse error on it: IACM000 says what is
wrong and the rules that read the rest of its module keep seeing its blocks.

Which buffers belong to the scan (`relative`): files below the root by a
path of real directories (a path through a link that leaves the root is
not the scan's, and a link itself is never read), of a kind the scan
parses, not in a directory the walk skips, not excluded by the config.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Optional, Union

from ..model.syntax import YAML, HclFile, Repo, YamlFile
from ..options import Options
from ..parse.file import parse_source
from ..parse.textio import read_source
from ..scan.discover import PARSED_KINDS, SKIP_DIRS, classify, discover_scan
from ..scan.repository import repo_from, with_files
from .check import check_repo
from .context import source_text
from .result import Result
from .reuse import RuleMemory

Model = Optional[Union[HclFile, YamlFile]]


class Workspace:
    """One directory's scan, kept in memory between checks."""

    def __init__(self, root: str, options: Options):
        self.root = os.path.realpath(root)
        # Nothing is fixed on disk and no cached answer stands in for the Repo the buffers are laid over.
        self.options = dataclasses.replace(options, result_cache=False, fix=False, progress=None)
        self.buffers: dict[str, str] = {}  # scan-root relative path -> the editor's text
        self._models: dict[str, Model] = {}  # the model checked for each buffer
        self._last_good: dict[str, Model] = {}  # the last model of each path that parsed
        self._disk = Repo(root=self.root)
        self._current: Optional[Repo] = None
        self.memory = RuleMemory()  # what the rules found at the last check, reused where nothing they read changed
        self.reload()

    def reload(self) -> None:
        """Read the directory again (discovery, git's view, the files not open in a buffer)."""
        self._disk = repo_from(discover_scan([self.root], self.options), self.options)
        models: list[Union[HclFile, YamlFile]] = [*self._disk.hcl_files, *self._disk.yaml_files]
        for model in models:
            if model.error is None:
                self._last_good[model.path] = model
        self._current = None
        self.memory = RuleMemory()  # git's view, pin files and the files on disk may have changed: nothing is reused

    @property
    def repo(self) -> Repo:
        """The Repo the next check reads: the disk with the buffers laid over it."""
        if self._current is None:
            self._current = with_files(self._disk, dict(self._models), dict(self.buffers), self.options) \
                if self.buffers else self._disk
        return self._current

    def relative(self, path: str) -> Optional[str]:
        """`path` (absolute) relative to the root, "/" separated, when a
        buffer of it belongs to the scan (see the module docstring); else None."""
        absolute = os.path.abspath(path)
        parent = os.path.realpath(os.path.dirname(absolute))
        if parent != self.root and not parent.startswith(self.root.rstrip(os.sep) + os.sep):
            return None
        name = os.path.basename(absolute)
        if not name or os.path.islink(absolute):
            return None
        rel = os.path.relpath(os.path.join(parent, name), self.root).replace(os.sep, "/")
        if any(part in SKIP_DIRS for part in rel.split("/")[:-1]):
            return None
        kind = classify(name)
        if kind not in PARSED_KINDS and kind != YAML:
            return None
        exclude = self.options.exclude
        if exclude is not None and any(exclude(prefix) for prefix in _prefixes(rel)):
            return None
        return rel

    def set_buffer(self, rel: str, text: str) -> None:
        """Check `rel` with `text` instead of its file from now on."""
        if self.buffers.get(rel) == text and rel in self._models:
            return
        model = parse_source(text, None, rel, classify(rel.rsplit("/", 1)[-1]))
        if model is not None and model.error is None:
            self._last_good[rel] = model
        elif model is not None and self._last_good.get(rel) is not None:
            model = dataclasses.replace(self._last_good[rel], error=model.error)  # type: ignore[type-var]
        self.buffers[rel] = text
        self._models[rel] = model
        self._current = None

    def drop_buffer(self, rel: str) -> None:
        """Check `rel` from its file on disk again (the editor closed it)."""
        if self.buffers.pop(rel, None) is not None:
            self._models.pop(rel, None)
            self._current = None

    def refresh(self, rel: str) -> None:
        """Read `rel` from disk again (saved, or changed by another program);
        a file that appeared, went away or became a link: the whole directory."""
        absolute = os.path.join(self.root, *rel.split("/"))
        known = any(f.path == rel for f in self._disk.files)
        if not known or os.path.islink(absolute) or not os.path.isfile(absolute):
            self.reload()
            return
        text, error = read_source(absolute, rel, self.options.max_file_bytes)
        model = parse_source(text, error, rel, classify(rel.rsplit("/", 1)[-1]))
        if model is not None and model.error is None:
            self._last_good[rel] = model
        sources = {rel: text} if text is not None else {}
        self._disk = with_files(self._disk, {rel: model}, sources, self.options)
        if text is None:
            self._disk.sources.pop(rel, None)
        self._current = None

    def text_of(self, rel: str) -> Optional[str]:
        """The text of `rel` the last check saw (a buffer, else the file), for positions."""
        return self.buffers.get(rel, source_text(self.repo, rel))

    def check(self) -> Result:
        return check_repo(self.repo, self.options, self.memory)


def _prefixes(rel: str) -> list[str]:
    """`a/b/c.tf` -> `a`, `a/b`, `a/b/c.tf`: the config's exclude names files and directories."""
    parts = rel.split("/")
    return ["/".join(parts[:index]) for index in range(1, len(parts) + 1)]

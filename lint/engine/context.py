"""The scan Context: what a rule may ask beyond its subject (the Repo, the
options, the engine chosen for a root, the scan's pipelines), and the owner
of every memo of the scan (`memo`, memo.py), active while the rules run."""

from __future__ import annotations

import os
from typing import Optional

from ..memo import ScanMemo
from ..model.engine_choice import EngineChoice, resolve_engine
from ..model.pipeline import Pipeline, build_pipelines
from ..model.syntax import Repo, RootModule
from ..options import Options
from ..parse.textio import read_source


class Context:
    """What rules may ask beyond their subject; owns the scan's memos."""

    def __init__(self, repo: Repo, options: Options):
        self.repo = repo
        self.options = options
        self.memo = ScanMemo()  # what the model views compute once per scan; made active by check.py
        self._engines: dict[str, EngineChoice] = {}
        self._pipelines: Optional[list[Pipeline]] = None
        self.state = options.state if options.state != "auto" else (
            "existing" if _any_root_declares_backend(repo) else "auto")

    def engine_for(self, root: RootModule) -> EngineChoice:
        key = root.directory if root.terragrunt is None else root.terragrunt.path  # a root.hcl beside a root differs
        choice = self._engines.get(key)
        if choice is None:
            choice = self._engines[key] = resolve_engine(self.repo, root, self.options.engine)
        return choice

    def root_for_directory(self, directory: str) -> Optional[RootModule]:
        return next((r for r in self.repo.roots if r.directory == directory), None)

    def source(self, path: str) -> Optional[str]:
        """The text of `path` (scan-root relative) that a rule's fix edits: see `source_text`."""
        return source_text(self.repo, path)

    def pipelines(self) -> list[Pipeline]:
        """The scan's Harness pipelines (model/pipeline.py), built once; the
        subjects of "pipeline" scope rules."""
        if self._pipelines is None:
            self._pipelines = build_pipelines(self.repo)
        return self._pipelines


def _any_root_declares_backend(repo: Repo) -> bool:
    return any(block.child("backend") is not None or block.child("cloud") is not None
               for root in repo.roots for block in root.module.terraform_blocks()) or \
        any(root.terragrunt.has_remote_state for root in repo.roots if root.terragrunt is not None)


def source_text(repo: Repo, path: str) -> Optional[str]:
    """The text of `path` (scan-root relative, "/" separated) as fixes see
    it: what a fix pass made of it (Repo.sources), else the file on disk
    without its BOM, remembered in Repo.sources so that fixes and the lines
    readers see one text. "" when there is no such file (a fix may create
    it); None when it cannot be read as UTF-8 text or lies outside the scan
    root (through a link)."""
    known = repo.sources.get(path)
    if known is not None:
        return known
    absolute = os.path.join(repo.root, *path.split("/"))
    root = os.path.realpath(repo.root)
    if not os.path.realpath(absolute).startswith(root.rstrip(os.sep) + os.sep):
        return None
    if not os.path.lexists(absolute):
        return ""
    text, error = read_source(absolute, path)
    if text is None or error is not None:
        return None
    repo.sources[path] = text
    return text

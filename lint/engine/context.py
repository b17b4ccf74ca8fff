"""The scan Context: what a rule may ask beyond its subject (the Repo, the
options, the engine chosen for a root, the scan's pipelines), and the owner
of every memo of the scan (`memo`, memo.py), active while the rules run."""

from __future__ import annotations

from typing import Optional

from ..memo import ScanMemo
from ..model.engine_choice import EngineChoice, resolve_engine
from ..model.pipeline import Pipeline, build_pipelines
from ..model.syntax import Repo, RootModule
from ..options import Options


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

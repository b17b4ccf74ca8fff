"""The scan stage's part of Terragrunt support (shared/spec/terragrunt.md):
hand the evaluator the files it may read, build the units
(model/terragrunt.py), and make them the scan's roots.

Everything evaluation reads comes from here, bounded: only files the walk
found (inside the scan root; links that leave it were never followed), a
git-ignored file counting as missing, at most `MAX_FILES_READ` files of at
most `MAX_READ_BYTES` each per scan. Rules then read the model, never the
disk.
"""

from __future__ import annotations

import copy
import posixpath
from typing import Any, Optional

from ..model import expressions
from ..model.syntax import (
    TERRAGRUNT_KINDS,
    TF,
    TF_JSON,
    TFBACKEND,
    TFVARS,
    TFVARS_JSON,
    Attribute,
    HclFile,
    Repo,
    RootModule,
)
from ..model.terragrunt import TerragruntModel, build_terragrunt
from ..model.terragrunt_eval import DIRECTORY, FILE, IGNORED, LINK_OUTSIDE, MISSING
from ..options import Options
from ..parse.hcl import parse_hcl, template_file_tree
from ..parse.textio import read_source
from ..parse.yaml import decode_yaml
from .discover import Walk

MAX_FILES_READ = 1000  # files file()/templatefile()/yamldecode read in one scan
MAX_READ_BYTES = 1 << 20  # 1 MiB per file read that way


class ScanInputs:
    """`terragrunt_eval.Inputs` over what the walk found."""

    def __init__(self, repo: Repo, walked: Walk):
        self._absolute = {rel: abs_path for abs_path, rel, _ in walked.files}
        self._ignored = repo.ignored_paths
        self._outside = {rel for rel, reason in walked.skipped if reason == "symbolic link outside the scan root"}
        self._directories: set[str] = set()
        for rel in self._absolute:
            if rel in self._ignored:
                continue
            directory = rel
            while "/" in directory:
                directory = directory.rsplit("/", 1)[0]
                if directory in self._directories:
                    break
                self._directories.add(directory)
        self._directories.add(".")
        self._texts: dict[str, Optional[str]] = {}
        self._use_models(repo)

    def _use_models(self, repo: Repo) -> None:
        self._configs = {f.path: f for f in repo.hcl_files if f.kind in TERRAGRUNT_KINDS}
        self._variables = {f.path: f for f in repo.hcl_files if f.kind in (TFVARS, TFVARS_JSON, TFBACKEND)}
        self.notes: list[str] = []

    def over(self, repo: Repo) -> ScanInputs:
        """These inputs with the parsed files of `repo`, a Repo of the same
        walk whose files were edited in memory (fixes, editor buffers)."""
        inputs = copy.copy(self)
        inputs._use_models(repo)
        return inputs

    def status(self, path: str) -> str:
        if path in self._absolute:
            return IGNORED if path in self._ignored else FILE
        if path in self._outside:
            return LINK_OUTSIDE
        return DIRECTORY if path in self._directories else MISSING

    def config(self, path: str) -> Optional[HclFile]:
        return self._configs.get(path) if self.status(path) == FILE else None

    def text(self, path: str) -> Optional[str]:
        if path in self._texts:
            return self._texts[path]
        if self.status(path) != FILE:
            return None
        if len(self._texts) >= MAX_FILES_READ:
            self.notes.append(f"Terragrunt evaluation read {MAX_FILES_READ} files; {path} and later ones were not read")
            return None
        text, error = read_source(self._absolute[path], path, MAX_READ_BYTES)
        if error is not None:
            self.notes.append(f"Terragrunt evaluation could not read {path}: {error.message}")
        self._texts[path] = text
        return text

    def template(self, text: str, path: str) -> Optional[expressions.Node]:
        return template_file_tree(text, path)

    def yaml(self, text: str) -> Any:
        return decode_yaml(text)

    def attributes(self, path: str) -> Optional[tuple[Attribute, ...]]:
        found = self._variables.get(path)
        return found.attributes if found is not None and found.error is None else None


def _parse_generated(text: str, path: str) -> HclFile:
    return parse_hcl(text, path, TF_JSON if path.endswith(".json") else TF)


def attach_terragrunt(repo: Repo, walked: Walk, options: Options) -> frozenset[str]:
    """Build the scan's Terragrunt model and make its units roots (TG-1.2).
    Returns the `*.hcl` paths that turned out not to be Terragrunt
    configuration: they leave the scan as if never parsed."""
    candidates = _candidates(repo)
    if not candidates:
        dropped = frozenset(f.path for f in repo.hcl_files if f.kind in TERRAGRUNT_KINDS)
        repo.hcl_files = [f for f in repo.hcl_files if f.kind not in TERRAGRUNT_KINDS]
        return dropped
    return _attach(repo, candidates, ScanInputs(repo, walked), options)


def reattach_terragrunt(repo: Repo, options: Options) -> None:
    """Build the Terragrunt model again for a Repo whose files were edited in
    memory (scan/repository.with_files), from the inputs of the walk the
    first model came from, and make its units the roots again."""
    previous = repo.terragrunt
    if previous is None or not isinstance(previous.inputs, ScanInputs):
        return
    repo.terragrunt = None
    repo.notes = [note for note in repo.notes if note not in previous.notes]
    candidates = _candidates(repo)
    if candidates:
        _attach(repo, candidates, previous.inputs.over(repo), options)


def _candidates(repo: Repo) -> list[HclFile]:
    return [f for f in repo.hcl_files if f.kind in TERRAGRUNT_KINDS and f.path not in repo.ignored_paths]


def _attach(repo: Repo, candidates: list[HclFile], inputs: ScanInputs, options: Options) -> frozenset[str]:
    model = build_terragrunt(candidates, inputs, repo.modules, _parse_generated)
    if model is None:
        return frozenset()
    model.inputs = inputs
    model.notes.extend(inputs.notes)
    repo.notes.extend(model.notes)
    repo.terragrunt = model
    kept = model.configuration | {u.terragrunt.path for u in model.units} | set(model.stacks)
    dropped = frozenset(f.path for f in repo.hcl_files if f.kind in TERRAGRUNT_KINDS and f.path not in kept)
    repo.hcl_files = [f for f in repo.hcl_files if f.path not in dropped]
    repo.roots = _roots(repo, model, options)
    return dropped


def _roots(repo: Repo, model: TerragruntModel, options: Options) -> list[RootModule]:
    """Units join the roots. A unit directory with `.tf` files is one root,
    the unit; a module that a unit uses as its local source is no root
    (TG-1.2)."""
    units = model.units
    if options.roots is not None:
        wanted = {posixpath.normpath(r.strip("/") or ".") for r in options.roots}
        units = [u for u in units if u.directory in wanted]
    taken = {u.directory for u in units} | model.source_dirs
    roots = [r for r in repo.roots if r.directory not in taken] + list(units)
    return sorted(roots, key=lambda r: r.directory)

"""What the version rules (IACM301–IACM308) share: release wording and the
kind of engine choice (explicit, from a pipeline/workspace, from files)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Optional

from iacm_lint.knowledge import releases as rel
from iacm_lint.knowledge.engines import Engine
from iacm_lint.model.engine_choice import DEFAULT, OPTION, PIN_FILE, TOFU_FILE, EngineChoice
from iacm_lint.model.syntax import HclFile, RootModule, Span


def title(engine: str) -> str:
    return Engine(engine).display_name


def span_of_releases(engine: str, chosen: Iterable[rel.Release],
                     universe: Optional[Sequence[rel.Release]] = None) -> str:
    """"OpenTofu 1.6.0–1.7.10, 1.12.0–1.12.6"."""
    universe = rel.releases(engine) if universe is None else universe
    return f"{title(engine)} {rel.format_ranges(rel.ranges(chosen, universe))}"


def supported_ranges(engine: str) -> str:
    """"0.12.0–1.5.7" (Terraform) / "1.6.0–1.12.6" (OpenTofu)."""
    supported = rel.supported_releases(engine)
    return rel.format_ranges(rel.ranges(supported, supported))


def is_explicit(choice: EngineChoice) -> bool:
    return choice.source == OPTION


def from_files(choice: EngineChoice) -> bool:
    """Chosen by pin files, `.tofu` files or the default (not by a person,
    a pipeline or a Harness workspace)."""
    return choice.source in (PIN_FILE, TOFU_FILE, DEFAULT)


def from_pipeline_or_workspace(choice: EngineChoice) -> bool:
    return not is_explicit(choice) and not from_files(choice)


def where_missing(root: RootModule) -> Span:
    """The first `terraform` block header of the root, else line 1 of its first module file."""
    for f in root.files:
        block = next(f.top("terraform"), None)
        if block is not None:
            return block.header_span
    first: HclFile = root.files[0]
    return Span.file_start(first.path)


def root_phrase(root: RootModule, path: str) -> str:
    """"this root" when `path` sits in the root's directory, else "root envs/dev"."""
    directory = path.rsplit("/", 1)[0] if "/" in path else "."
    return "this root" if directory == root.directory else f"root {root.directory}"

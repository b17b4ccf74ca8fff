"""Which engine runs a root: `--engine` (or `engine:` in the config file)
when given, else the first `--engine auto` signal that speaks, else the
default (product.md).

A signal is a plain function `(repo, root) -> (engine, reason) | None` in
the model module that knows its evidence; SIGNALS lists them strongest
first. The choice records which signal made it (`source`), so rules ask
that instead of reading the reason text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

from ..knowledge.engines import Engine
from .harness_config import workspace_engine_signal
from .pins import pin_file_signal
from .pipeline import pipeline_signal
from .syntax import Repo, RootModule

# Where a choice came from (EngineChoice.source).
OPTION = "option"  # --engine, or `engine:` in the config file
WORKSPACE = "workspace"  # a harness_platform_workspace resource that runs the root
PIPELINE = "pipeline"  # the plugin steps of the scan's pipelines
TERRAFORM_BINARY = "terraform_binary"  # a Terragrunt unit's terraform_binary
PIN_FILE = "pin file"  # .opentofu-version, .terraform-version, .tool-versions, mise.toml, .tfswitchrc
TOFU_FILE = ".tofu file"  # the root has .tofu files
DEFAULT = "default"


@dataclass(frozen=True)
class EngineChoice:
    engine: Engine
    reason: str  # e.g. "default", "--engine", "pin file .opentofu-version", "pipeline .harness/deploy.yaml"
    source: str  # OPTION, WORKSPACE, PIPELINE, PIN_FILE, TOFU_FILE or DEFAULT


def tofu_files_signal(repo: Repo, root: RootModule) -> Optional[tuple[Engine, str]]:
    tofu = next((f for f in root.files if f.is_tofu), None)
    return (Engine.OPENTOFU, f".tofu file {tofu.path}") if tofu else None


def terraform_binary_signal(repo: Repo, root: RootModule) -> Optional[tuple[Engine, str]]:
    """A Terragrunt unit's `terraform_binary` (tofu -> opentofu, terraform -> terraform)."""
    unit = root.terragrunt
    engine = Engine.named(unit.engine) if unit is not None else None
    if engine is not None and unit.terraform_binary is not None:
        return engine, f"terraform_binary in {unit.terraform_binary.file.path}"
    return None


Signal = Callable[[Repo, RootModule], Optional[tuple[Engine, str]]]

# The `--engine auto` signals, strongest first.
SIGNALS: tuple[tuple[str, Signal], ...] = (
    (WORKSPACE, workspace_engine_signal),
    (PIPELINE, pipeline_signal),
    (PIN_FILE, pin_file_signal),
    (TOFU_FILE, tofu_files_signal),
)


# A Terragrunt unit's signals (shared/spec/terragrunt.md TG-1.7): the binary is a
# workspace setting, so IACMTerragruntPlugin steps say nothing about it.
UNIT_SIGNALS: tuple[tuple[str, Signal], ...] = (
    (WORKSPACE, workspace_engine_signal),
    (TERRAFORM_BINARY, terraform_binary_signal),
    (PIN_FILE, pin_file_signal),
    (TOFU_FILE, tofu_files_signal),
)


def resolve_engine(repo: Repo, root: RootModule, override: str = "auto") -> EngineChoice:
    chosen = Engine.named(override)
    if chosen is not None:
        return EngineChoice(chosen, "--engine", OPTION)
    for source, signal in (UNIT_SIGNALS if root.terragrunt is not None else SIGNALS):
        found = signal(repo, root)
        if found is not None:
            engine, reason = found
            return EngineChoice(engine, reason, source)
    return EngineChoice(Engine.OPENTOFU, "default: Harness runs existing backends with OpenTofu", DEFAULT)

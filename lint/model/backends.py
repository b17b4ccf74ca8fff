"""The effective backend configuration of a root module.

`effective_backends(root)` is what the 1xx rules, IACM201 and the readiness
report read: the root's backend block merged with each `*.tfbackend` file of
the root directory (a file's values win, as with `init -backend-config`),
every value remembering the file and span it came from. What each backend
type accepts is in `knowledge/backend_schemas.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Optional, Union

from ..knowledge import releases
from . import compat
from .syntax import Attribute, Block, Expr, HclFile, Module, RootModule, Span

# ---- releases that accept a root ----------------------------------------------

def accepting_releases(root: RootModule, engine: str) -> list[str]:
    """Harness-supported releases of `engine` that accept `root` (version
    strings, oldest first; rules.md "Which releases accept a root", via
    compat.py). When none does (IACM301's case), every supported release, as
    IACM306 judges it."""
    accepted = compat.accepting_releases(root, engine)
    return [r.version for r in (accepted or releases.supported_releases(engine))]


# ---- effective backend configuration ------------------------------------------


@dataclass(frozen=True)
class BackendValue:
    """One attribute of a backend configuration, with its origin."""

    attribute: Attribute
    file: HclFile  # the module file holding the backend block, or the .tfbackend file
    label: str = ""  # how messages name its origin when not a backend block or .tfbackend file ('remote_state "s3"')

    @property
    def name(self) -> str:
        return self.attribute.name

    @property
    def expr(self) -> Expr:
        return self.attribute.expr

    @property
    def value(self) -> Any:
        return self.attribute.expr.value

    @property
    def is_literal(self) -> bool:
        return self.attribute.expr.is_literal

    @property
    def span(self) -> Span:
        return self.attribute.span

    @property
    def from_tfbackend(self) -> bool:
        return self.file.kind == "tfbackend"


@dataclass(frozen=True)
class EffectiveBackend:
    """A backend block merged with at most one `.tfbackend` file. For a
    Terragrunt unit (model/terragrunt.py) the block may be the one
    `remote_state` generates, and `extra` holds the values Terragrunt passes
    on top (`remote_state.config` without `generate`, `-backend-config`
    arguments); `anchor_span` and `source_label` then say where findings
    about it point and how messages name it."""

    directory: str  # the root module's directory
    type: str
    block: Block  # the `backend "TYPE"` block
    file: HclFile  # the module file holding it
    terraform_block: Block
    tfbackend: Optional[HclFile] = None
    extra: tuple[BackendValue, ...] = ()
    anchor_span: Optional[Span] = None
    source_label: str = ""
    own_values: bool = True  # False: the block's attributes are given in `extra` (a generated block)
    terragrunt: bool = False  # configured by Terragrunt's remote_state

    @property
    def setting_place(self) -> str:
        """Where a missing attribute is set, for messages."""
        return "remote_state's config" if self.terragrunt else "the backend block or a .tfbackend file"

    @property
    def block_values(self) -> tuple[BackendValue, ...]:
        if not self.own_values:
            return ()
        return tuple(BackendValue(a, self.file) for a in self.block.attributes)

    @property
    def tfbackend_values(self) -> tuple[BackendValue, ...]:
        if self.tfbackend is None:
            return ()
        return tuple(BackendValue(a, self.tfbackend) for a in self.tfbackend.attributes)

    @property
    def written(self) -> tuple[BackendValue, ...]:
        """Every value as written, block first, overridden ones included."""
        return self.block_values + self.tfbackend_values + self.extra

    @property
    def values(self) -> dict[str, BackendValue]:
        """The merged configuration: name -> value (a .tfbackend value wins)."""
        merged: dict[str, BackendValue] = {}
        for value in self.written:
            merged[value.name] = value
        return merged

    def get(self, name: str) -> Optional[BackendValue]:
        return self.values.get(name)

    def literal(self, name: str, default: Any = None) -> Any:
        """The literal value of an attribute; `default` when absent or not literal."""
        value = self.values.get(name)
        return value.value if value is not None and value.is_literal else default

    @property
    def nested_blocks(self) -> tuple[Block, ...]:
        return self.block.blocks

    @property
    def is_empty_partial(self) -> bool:
        """`backend "TYPE" {}` with no `.tfbackend` file: deliberate partial configuration."""
        return self.tfbackend is None and not self.written and not self.block.blocks

    @property
    def anchor(self) -> Span:
        """Where a finding about this combination points: its `.tfbackend`
        file, or the backend block header."""
        if self.anchor_span is not None:
            return self.anchor_span
        return Span.file_start(self.tfbackend.path) if self.tfbackend is not None else self.block.header_span

    @property
    def label(self) -> str:
        """`backend "s3"`, or `backend "s3" with dev.tfbackend` for a combination."""
        if self.source_label:
            return self.source_label
        base = f'backend "{self.type}"'
        return f"{base} with {self.tfbackend.name}" if self.tfbackend is not None else base

    def label_for(self, value: BackendValue) -> str:
        """The label for a finding at `value`: a value written in the block is
        shared by every combination, so it names no .tfbackend file."""
        if value.label:
            return value.label
        return self.label if value.from_tfbackend else f'backend "{self.type}"'

    def anchor_for(self, name: str) -> Span:
        """The span of attribute `name` when set, else the combination's anchor."""
        value = self.values.get(name)
        return value.span if value is not None else self.anchor


def backend_blocks(module: Union[Module, RootModule], types: tuple[str, ...] = ("backend", "cloud")
                   ) -> list[tuple[HclFile, Block, Block]]:
    """(file, terraform block, backend-or-cloud block) for every backend and
    cloud block in the module's files, in path and source order."""
    out = []
    for hcl_file in module.files:
        for terraform in hcl_file.top("terraform"):
            for block in terraform.blocks:
                if block.type in types:
                    out.append((hcl_file, terraform, block))
    return out


def active_backend(module: Union[Module, RootModule]) -> Optional[tuple[HclFile, Block, Block]]:
    """The backend or cloud block Terraform uses: the last one in an override
    file (it replaces the original entirely), else the first one."""
    found = backend_blocks(module)
    overrides = [item for item in found if item[0].is_override]
    if overrides:
        return overrides[-1]
    primary = [item for item in found if not item[0].is_override]
    return primary[0] if primary else None


def effective_backends(root: Union[Module, RootModule]) -> list[EffectiveBackend]:
    """The effective backend configurations of a root: its active backend
    block alone, or merged with each `*.tfbackend` file of the root (its
    directory, and subdirectories without module files: see discover)
    (one combination per file, in path order). Empty for no backend block or
    a `cloud` block."""
    unit = getattr(root, "terragrunt", None) if isinstance(root, RootModule) else None
    if unit is not None:
        return list(unit.backends)  # worked out once, with the unit (model/terragrunt.py)
    module = root.module if isinstance(root, RootModule) else root
    active = active_backend(module)
    if active is None or active[2].type != "backend" or not active[2].labels:
        return []
    hcl_file, terraform, block = active
    base: dict[str, Any] = dict(directory=module.directory, type=block.labels[0], block=block, file=hcl_file,
                                terraform_block=terraform)
    if not module.tfbackends:
        return [EffectiveBackend(**base)]
    return [EffectiveBackend(**base, tfbackend=tfbackend) for tfbackend in module.tfbackends]


def iter_nested(value: BackendValue) -> Iterator[tuple[str, Span, Expr]]:
    """(key, key span, value) of an object-valued attribute (`assume_role = { ... }`)."""
    if value.expr.kind == "object":
        yield from value.expr.entries


def describe(block: Block) -> str:
    """`backend "s3"` or `cloud block` — how messages name a backend/cloud block."""
    if block.type == "backend" and block.labels:
        return f'backend "{block.labels[0]}"'
    return f"{block.type} block"

"""The effective backend configuration of a root module.

`effective_backends(root)` is what the 1xx rules, IACM201 and the readiness
report read: the root's backend block merged with each `*.tfbackend` file of
the root directory (a file's values win, as with `init -backend-config`),
every value remembering the file and span it came from. Whether it locks
and encrypts the state is judged once, by `EffectiveBackend.state_lock()`
and `state_encryption()`, for IACM110, IACM112 and the readiness report.
What each backend type accepts is in `knowledge/backend_schemas.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Optional, Union

from ..knowledge.backend_schemas import encryption_info, lock_info
from . import compat
from .syntax import Attribute, Block, Expr, HclFile, Module, RootModule, Span

# ---- releases that accept a root ----------------------------------------------

def judged_versions(root: RootModule, engine: str) -> list[str]:
    """The version strings of `compat.judged_releases`: the releases the
    backend rules judge a root's backend against."""
    return [r.version for r in compat.judged_releases(root, engine)]


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
class StateLock:
    """Whether a backend locks its state (knowledge/backend_schemas.py `lock`)."""

    locked: Optional[bool]  # None: not for the code to say (see state_lock)
    mode: str  # always | optional | local | remote | none (the type has no lock)
    by: tuple[BackendValue, ...] = ()  # the values that turn an optional lock on
    blocking: Optional[BackendValue] = None  # unlocked: the first lock attribute set to a value that does not lock
    disabled_by: Optional[BackendValue] = None  # the literal that turns a built-in lock off (consul `lock = false`)
    disabled_text: str = ""  # how the data writes that literal ("false")


@dataclass(frozen=True)
class StateEncryption:
    """Whether a backend encrypts its state (knowledge/backend_schemas.py `encryption`)."""

    encrypted: Optional[bool]  # None: not for the code to say (see state_encryption)
    default: str  # off (plain unless an attribute enables it) | at-rest | on | none
    by: tuple[tuple[BackendValue, bool], ...] = ()  # the values that turn it on (value, is an on/off switch)
    disabled_by: Optional[BackendValue] = None  # the switch that turns it off (s3 `encrypt = false`)


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

    def state_lock(self) -> StateLock:
        """Whether this configuration locks the state: a built-in lock (unless
        a literal turns it off), an optional one when one of its attributes
        is set (any value, an expression included, or the value that turns
        it on). `locked` is None where the code does not decide: an empty
        partial configuration of an optional lock (the workspace supplies it
        at init: IACM103's), and local or lock-less backend types."""
        lock = lock_info(self.type)
        mode = lock.get("mode", "none")
        if self.is_empty_partial:
            return StateLock(True if mode in ("always", "remote") else None, mode)
        disabled = lock.get("disabled_by")
        if disabled:
            value = self.get(disabled[0])
            if value is not None and value.is_literal and value.value == disabled[1]:
                return StateLock(False, mode, disabled_by=value, disabled_text=str(disabled[1]).lower())
        if mode != "optional":
            return StateLock(True if mode in ("always", "remote") else None, mode)
        by: list[BackendValue] = []
        blocking = None
        for name, wanted in lock["any_of"]:
            value = self.get(name)
            if value is None:
                continue
            if wanted is None or not value.is_literal or value.value == wanted or value.value == str(wanted).lower():
                by.append(value)
            else:
                blocking = blocking or value
        return StateLock(bool(by), mode, tuple(by), None if by else blocking)

    def state_encryption(self) -> StateEncryption:
        """Whether this configuration encrypts the state: where the storage
        is plain by default (s3), a switch set to its off literal
        (`encrypt = false`) turns it off whatever else is set, and any other
        value of its attributes (a key, a switch that is not off, an
        expression) turns it on; elsewhere the storage's default holds
        unless an attribute is set. `encrypted` is None for an empty partial
        configuration of a plain-by-default storage (IACM103's)."""
        info = encryption_info(self.type)
        default = info.get("default", "none")
        if self.is_empty_partial and default == "off":
            return StateEncryption(None, default)
        any_of = info.get("any_of", ())
        by: list[tuple[BackendValue, bool]] = []
        for name, wanted in any_of:
            value = self.get(name)
            if value is None:
                continue
            switch = isinstance(wanted, bool)
            if switch and value.is_literal and value.value in (not wanted, str(not wanted).lower()):
                if default == "off":
                    return StateEncryption(False, default, disabled_by=value)
                continue
            by.append((value, switch))
        return StateEncryption(bool(by) or default in ("at-rest", "on"), default, tuple(by))


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

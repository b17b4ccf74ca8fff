"""Backend knowledge (package data `data/backends.json`) and the effective
backend configuration of a root module.

The data is derived from `shared/spec/backend-schemas.json` by
`scripts/make_backends_json.py`; its format is documented there. Version
ranges are written "*", ">=X", "<Y" or ">=X,<Y" and cover the releases the
research scanned (Terraform 1.5.7-1.15.9, OpenTofu 1.6.0-1.12.6); a missing
engine key means "never".

`effective_backends(root)` is what the 1xx rules, IACM201 and the readiness
report read: the root's backend block merged with each `*.tfbackend` file of
the root directory (a file's values win, as with `init -backend-config`),
every value remembering the file and span it came from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Union

from .model import Attribute, Block, Expr, HclFile, Module, RootModule, Span

ENGINES = ("terraform", "opentofu")
ENGINE_TITLES = {"terraform": "Terraform", "opentofu": "OpenTofu"}


# ---- data ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def data() -> dict:
    with open(Path(__file__).parent / "data" / "backends.json", encoding="utf-8") as handle:
        return json.load(handle)


def schema(backend_type: str) -> Optional[dict]:
    """The schema entry of a backend type that exists in some engine, or None."""
    return data()["backends"].get(backend_type)


def removed_error(backend_type: str, engine: str) -> Optional[str]:
    """init's error text for a removed backend (artifactory, azure, etcd, ...)."""
    entry = data()["removed"].get(backend_type)
    return entry.get(engine) if entry else None


def backend_types(engine: Optional[str] = None) -> list[str]:
    """Backend types usable in a `backend "TYPE"` block (not `cloud`), for one
    engine (any of its scanned releases) or for either."""
    return sorted(name for name, entry in data()["backends"].items()
                  if "not_a_backend" not in entry and (engine is None or engine in entry["engines"]))


def _vkey(version: str) -> tuple[int, ...]:
    core = version.split("-", 1)[0].split("+", 1)[0].lstrip("v")
    return tuple(int(p) for p in core.split(".") if p.isdigit())


@lru_cache(maxsize=4096)  # few distinct ranges and versions; IACM104 asks for every attribute and release
def in_range(version_range: Optional[str], version: str) -> bool:
    """Whether `version` lies in a data range ("*", ">=1.6.0", "<1.10.0", ">=1.6.0,<1.8.0")."""
    if version_range is None:
        return False
    key = _vkey(version)
    for part in version_range.split(","):
        if part == "*":
            continue
        if part.startswith(">="):
            if key < _vkey(part[2:]):
                return False
        elif part.startswith("<"):
            if key >= _vkey(part[1:]):
                return False
        else:  # pragma: no cover - the generator writes only these forms
            raise ValueError(f"bad range {version_range!r}")
    return True


def range_text(version_range: Optional[str], engine: str) -> str:
    """">=1.10.0" -> "OpenTofu ≥ 1.10.0" for messages."""
    title = ENGINE_TITLES[engine]
    if version_range is None:
        return f"no {title} release"
    if version_range == "*":
        return f"every {title} release"
    words = []
    for part in version_range.split(","):
        if part.startswith(">="):
            words.append(f"≥ {part[2:]}")
        elif part.startswith("<"):
            words.append(f"< {part[1:]}")
    return f"{title} " + " and ".join(words)


def first_version(version_range: Optional[str]) -> Optional[str]:
    """The lower bound of a range (None for "*" or no range)."""
    if not version_range:
        return None
    for part in version_range.split(","):
        if part.startswith(">="):
            return part[2:]
    return None


def attributes(backend_type: str) -> dict[str, dict]:
    entry = schema(backend_type)
    return entry["attributes"] if entry else {}


def attribute_spec(backend_type: str, path: str) -> Optional[dict]:
    """Spec of an attribute or nested block; `path` may be dotted ("assume_role.role_arn")."""
    specs = attributes(backend_type)
    spec = None
    for piece in path.split("."):
        spec = specs.get(piece)
        if spec is None:
            return None
        specs = spec.get("attributes", {})
    return spec


def names_for(specs: dict[str, dict], engine: str) -> list[str]:
    """Names (of one nesting level) that exist in some scanned release of `engine`."""
    return [name for name, spec in specs.items() if engine in spec]


def is_required(spec: dict, engine: str) -> bool:
    required = spec.get("required")
    return required is True or (isinstance(required, list) and engine in required)


def required_attributes(backend_type: str, engine: str) -> list[tuple[str, tuple[str, ...]]]:
    """(name, env fallbacks) of top-level required attributes for an engine."""
    return [(name, tuple(spec.get("env", ()))) for name, spec in attributes(backend_type).items()
            if engine in spec and is_required(spec, engine)]


def sensitive_attributes(backend_type: str) -> list[str]:
    """Dotted names of every credential attribute (IACM201), nested ones included."""
    out = []
    for name, spec in attributes(backend_type).items():
        if spec.get("sensitive"):
            out.append(name)
        for nested, nested_spec in spec.get("attributes", {}).items():
            if nested_spec.get("sensitive"):
                out.append(f"{name}.{nested}")
    return out


def deprecation(spec: dict, engine: str, versions: Iterable[str]) -> bool:
    """Whether the attribute is deprecated in any of `versions` of `engine`."""
    rng = spec.get("deprecated", {}).get(engine)
    return rng is not None and any(in_range(rng, v) for v in versions)


def lock_info(backend_type: str) -> dict:
    entry = schema(backend_type)
    return (entry or {}).get("lock", {"mode": "none"})


def encryption_info(backend_type: str) -> dict:
    entry = schema(backend_type)
    return (entry or {}).get("encryption", {"default": "none"})


def identity_info(backend_type: str) -> Optional[dict]:
    entry = schema(backend_type)
    return (entry or {}).get("identity") if entry else None


# ---- edit distance ------------------------------------------------------------


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent swaps)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def closest(name: str, candidates: Iterable[str], max_distance: int = 2) -> Optional[str]:
    """The nearest candidate within `max_distance` (ties: alphabetical)."""
    best: Optional[tuple[int, str]] = None
    for candidate in candidates:
        distance = edit_distance(name.lower(), candidate.lower())
        if distance <= max_distance and (best is None or (distance, candidate) < best):
            best = (distance, candidate)
    return best[1] if best else None


# ---- releases that accept a root ----------------------------------------------

def accepting_releases(root: RootModule, engine: str) -> list[str]:
    """Harness-supported releases of `engine` that accept `root` (version
    strings, oldest first; rules.md "Which releases accept a root", via
    compat.py). When none does (IACM301's case), every supported release, as
    IACM306 judges it."""
    from . import compat, releases

    accepted = compat.accepting_releases(root, engine)
    return [r.version for r in (accepted or releases.supported_releases(engine))]


# ---- effective backend configuration ------------------------------------------


@dataclass(frozen=True)
class BackendValue:
    """One attribute of a backend configuration, with its origin."""

    attribute: Attribute
    file: HclFile  # the module file holding the backend block, or the .tfbackend file

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
    """A backend block merged with at most one `.tfbackend` file."""

    directory: str  # the root module's directory
    type: str
    block: Block  # the `backend "TYPE"` block
    file: HclFile  # the module file holding it
    terraform_block: Block
    tfbackend: Optional[HclFile] = None

    @property
    def block_values(self) -> tuple[BackendValue, ...]:
        return tuple(BackendValue(a, self.file) for a in self.block.attributes)

    @property
    def tfbackend_values(self) -> tuple[BackendValue, ...]:
        if self.tfbackend is None:
            return ()
        return tuple(BackendValue(a, self.tfbackend) for a in self.tfbackend.attributes)

    @property
    def written(self) -> tuple[BackendValue, ...]:
        """Every value as written, block first, overridden ones included."""
        return self.block_values + self.tfbackend_values

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
        return self.tfbackend is None and not self.block.attributes and not self.block.blocks

    @property
    def anchor(self) -> Span:
        """Where a finding about this combination points: its `.tfbackend`
        file, or the backend block header."""
        return Span.file_start(self.tfbackend.path) if self.tfbackend is not None else self.block.header_span

    @property
    def label(self) -> str:
        """`backend "s3"`, or `backend "s3" with dev.tfbackend` for a combination."""
        base = f'backend "{self.type}"'
        return f"{base} with {self.tfbackend.name}" if self.tfbackend is not None else base

    def label_for(self, value: BackendValue) -> str:
        """The label for a finding at `value`: a value written in the block is
        shared by every combination, so it names no .tfbackend file."""
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
    module = root.module if isinstance(root, RootModule) else root
    active = active_backend(module)
    if active is None or active[2].type != "backend" or not active[2].labels:
        return []
    hcl_file, terraform, block = active
    base = dict(directory=module.directory, type=block.labels[0], block=block, file=hcl_file, terraform_block=terraform)
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


def has_feature(backend_type: str, name: str, engine: str, releases: Iterable[str]) -> tuple[bool, bool]:
    """(some, all): whether some / all of `releases` have attribute `name`."""
    spec = attribute_spec(backend_type, name) or {}
    rng = spec.get(engine)
    flags = [in_range(rng, v) for v in releases]
    return any(flags), bool(flags) and all(flags)


def lock_hint(backend_type: str, engine: str, releases: Iterable[str]) -> str:
    """What to set to get a state lock, for messages ("use_lockfile = true or dynamodb_table")."""
    lock = lock_info(backend_type)
    options = []
    for name, value in lock.get("any_of", ()):
        if name == "use_lockfile" and not has_feature(backend_type, name, engine, releases)[0]:
            continue
        options.append(f"{name} = {str(value).lower()}" if isinstance(value, bool) else name)
    return " or ".join(options)


def encryption_hint(backend_type: str) -> str:
    names = [f"{name} = {str(value).lower()}" if isinstance(value, bool) else name
             for name, value in encryption_info(backend_type).get("any_of", ())]
    return " or ".join(names[:2])

"""Which releases accept a root (rules.md §3xx).

A release *accepts* a root module when every version constraint that this
release reads holds for its own version number:

- Terraform, and OpenTofu 1.6–1.7: `required_version` in the `.tf`/`.tf.json`
  files of the root and the local modules it calls; an override file that sets
  it replaces its module's list; `.tofu` files are not read.
- OpenTofu 1.8–1.11: the same, but `X.tofu` hides `X.tf` (`X.tofu.json` hides
  `X.tf.json`) and `.tofu` files count too.
- OpenTofu 1.12+: only `required_version` in `.tofu`/`.tofu.json` files and
  `language { compatible_with { opentofu = "…" } }`, each on its own.

`accepts(root, engine, version)` is the one function IACM301, IACM305,
IACM308 and IACM604 ask. Constraints that a release rejects as invalid
(IACM304's findings: malformed, non-literal, prerelease) are left out of the
question so that one bad string does not also read as "no release fits".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Optional, Union

from ..knowledge import releases as rel
from ..knowledge.engines import Engine
from ..knowledge.releases import Release
from ..knowledge.versions import ConstraintError, Constraints, Version, parse_constraints, parse_version
from ..memo import per_file, per_object, per_value
from .syntax import Attribute, HclFile, Module, Repo, RootModule, Span

REQUIRED_VERSION = "required_version"
COMPATIBLE_WITH = "compatible_with"
TERRAFORM_VERSION_CONSTRAINT = "terraform_version_constraint"  # a Terragrunt unit's; every release reads it

# How a release reads version constraints.
READS_TF = "tf"                 # Terraform; OpenTofu 1.6.x-1.7.x
READS_TF_AND_TOFU = "tf+tofu"   # OpenTofu 1.8.x-1.11.x (X.tofu hides X.tf)
READS_TOFU_ONLY = "tofu"        # OpenTofu 1.12.0+ (.tf required_version ignored)

_TERRAFORM_PRERELEASE_CHECK = parse_version("1.2.5")  # from here a prerelease constraint is an error


@dataclass(frozen=True)
class VersionDecl:
    """One `required_version` or `compatible_with.opentofu` attribute."""

    kind: str  # REQUIRED_VERSION | COMPATIBLE_WITH
    file: HclFile
    attribute: Attribute
    constraints: Optional[Constraints]  # None when invalid; an empty set for `null`
    problem: str = ""  # why it is invalid, for IACM304

    @property
    def span(self) -> Span:
        return self.attribute.span

    @property
    def text(self) -> str:
        return self.constraints.text if self.constraints is not None else self.attribute.expr.text

    @property
    def label(self) -> str:
        """`required_version ">= 1.6.0" in versions.tf` for messages."""
        name = {REQUIRED_VERSION: REQUIRED_VERSION, TERRAFORM_VERSION_CONSTRAINT: TERRAFORM_VERSION_CONSTRAINT}.get(
            self.kind, "compatible_with opentofu")
        return f'{name} "{self.text}" in {self.file.path}'

    def evaluable_by(self, engine: str, version: Version) -> bool:
        if self.constraints is None:
            return False
        if self.constraints.has_prerelease:
            return engine == "terraform" and version.segments < _TERRAFORM_PRERELEASE_CHECK.segments
        return True

    def holds(self, engine: str, version: Version) -> bool:
        """True unless this constraint is evaluable by the release and fails.
        Memoised by value: roots that call one module ask the same questions."""
        constraints = self.constraints  # evaluable_by: not None
        return per_value(("holds", constraints, engine, version),
                         lambda: constraints is None or not self.evaluable_by(engine, version)
                         or constraints.check(version))


def _constraint_text(value: Any) -> Optional[str]:
    """HCL converts a literal to the string go-version parses (1.5 -> "1.5")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value
    return None


def _decl(kind: str, file: HclFile, attribute: Attribute) -> VersionDecl:
    expr = attribute.expr
    if not expr.is_literal:
        return VersionDecl(kind, file, attribute, None,
                           "only literal values are allowed, not references or function calls")
    if expr.value is None:
        return VersionDecl(kind, file, attribute, Constraints((), "null"))
    text = _constraint_text(expr.value)
    if text is None:
        return VersionDecl(kind, file, attribute, None, "a string value is required")
    try:
        constraints = parse_constraints(text)
    except ConstraintError as error:
        return VersionDecl(kind, file, attribute, None, error.message)
    if constraints.has_prerelease:
        return VersionDecl(kind, file, attribute, constraints,
                           "Terraform 1.2.5+ and OpenTofu reject prerelease versions in constraints")
    return VersionDecl(kind, file, attribute, constraints)


def declaration(kind: str, file: HclFile, attribute: Attribute) -> VersionDecl:
    """One version constraint attribute, judged as go-version parses it."""
    return _decl(kind, file, attribute)


def file_declarations(file: HclFile) -> list[VersionDecl]:
    """Every version declaration in one file, in source order."""
    found = []
    for block in file.blocks:
        if block.type == "terraform":
            attribute = block.attr(REQUIRED_VERSION)
            if attribute is not None:
                found.append(_decl(REQUIRED_VERSION, file, attribute))
        elif block.type == "language":
            for compatible in block.children("compatible_with"):
                attribute = compatible.attr("opentofu")
                if attribute is not None:
                    found.append(_decl(COMPATIBLE_WITH, file, attribute))
    return found


def module_declarations(module: Module) -> list[VersionDecl]:
    return [d for f in module.files for d in file_declarations(f)]


def reading_mode(engine: str, version: Union[Version, str]) -> str:
    if engine == "terraform":
        return READS_TF
    version = version if isinstance(version, Version) else parse_version(version)
    minor = version.segments[:2]
    if minor < (1, 8):
        return READS_TF
    if minor < (1, 12):
        return READS_TF_AND_TOFU
    return READS_TOFU_ONLY


def _tofu_twin(name: str) -> Optional[str]:
    if name.endswith(".tf.json"):
        return name[: -len(".tf.json")] + ".tofu.json"
    if name.endswith(".tf"):
        return name[: -len(".tf")] + ".tofu"
    return None


def files_read(module: Module, mode: str) -> list[HclFile]:
    """The module files a release in `mode` loads, in path order."""
    return list(per_object(module, f"files read ({mode})", lambda m: _files_read(m, mode)))


def _files_read(module: Module, mode: str) -> list[HclFile]:
    if mode == READS_TF:
        return [f for f in module.files if not f.is_tofu]
    names = {f.name for f in module.files}
    return [f for f in module.files if f.is_tofu or _tofu_twin(f.name) not in names]


def _declarations_read(module: Module, mode: str) -> list[VersionDecl]:
    """Memoised per module and mode: every root calling the module asks (the
    declarations of different modes stay distinct objects, which
    `most_excluding` counts apart)."""
    return per_object(module, f"declarations read ({mode})", lambda m: _build_declarations_read(m, mode))


def _build_declarations_read(module: Module, mode: str) -> list[VersionDecl]:
    # a file without declarations adds none and, as an override, clobbers nothing
    files = [f for f in files_read(module, mode) if _declares_versions(f)]
    if mode == READS_TOFU_ONLY:
        return [d for f in files for d in file_declarations(f)
                if (d.kind == REQUIRED_VERSION and f.is_tofu) or (d.kind == COMPATIBLE_WITH and not f.is_override)]
    listed: list[VersionDecl] = []
    for f in files:
        if not f.is_override:
            listed.extend(d for d in file_declarations(f) if d.kind == REQUIRED_VERSION)
    for f in files:
        if f.is_override:
            own = [d for d in file_declarations(f) if d.kind == REQUIRED_VERSION]
            if own:  # "each override file clobbers any existing list"
                listed = own
    return listed


def _declares_versions(file: HclFile) -> bool:
    """Asked once per file, not per module, root and mode: most files declare none."""
    return per_file(file, "declares versions", lambda f: bool(file_declarations(f)))


def root_modules(root: RootModule) -> tuple[Module, ...]:
    return (root.module, *root.called)


def unit_declarations(root: RootModule) -> list[VersionDecl]:
    """A Terragrunt unit's `terraform_version_constraint` (TG-1.7): Terragrunt
    checks it against the running binary's version, whatever the release
    (OpenTofu 1.12+ does not ignore it)."""
    unit = root.terragrunt
    setting = unit.terraform_version_constraint if unit is not None else None
    if setting is None:
        return []
    return [_decl(TERRAFORM_VERSION_CONSTRAINT, setting.file, unit.version_constraint_attribute)]


class RootVersions:
    """The version facts of one root, computed once per root and mode."""

    def __init__(self, root: RootModule):
        self.root = root
        self._by_mode: dict[str, list[VersionDecl]] = {}
        self._unit = unit_declarations(root)

    def read(self, mode: str) -> list[VersionDecl]:
        if mode not in self._by_mode:
            self._by_mode[mode] = [d for m in root_modules(self.root) for d in _declarations_read(m, mode)] + self._unit
        return self._by_mode[mode]

    def rejecting(self, engine: str, version: Version) -> list[VersionDecl]:
        return [d for d in self.read(reading_mode(engine, version)) if not d.holds(engine, version)]

    def accepts(self, engine: str, version: Version) -> bool:
        return all(d.holds(engine, version) for d in self.read(reading_mode(engine, version)))


def root_versions(root: RootModule) -> RootVersions:
    return per_object(root, "versions", RootVersions)


def accepts(root: RootModule, engine: str, version: Union[Version, str, Release]) -> bool:
    """Does release `version` of `engine` accept `root`? (rules.md §3xx)"""
    return root_versions(root).accepts(engine, _version(version))


def rejecting(root: RootModule, engine: str, version: Union[Version, str, Release]) -> list[VersionDecl]:
    """The constraints that make `version` of `engine` refuse `root`."""
    return root_versions(root).rejecting(engine, _version(version))


def _version(version: Union[Version, str, Release]) -> Version:
    if isinstance(version, Release):
        return version.parsed
    if isinstance(version, Version):
        return version.core
    return parse_version(version).core


def accepting_releases(root: RootModule, engine: str, supported_only: bool = True) -> tuple[Release, ...]:
    versions = root_versions(root)
    # memoised by the constraints themselves: roots that call one module share the answer
    key = (engine, supported_only, *(tuple(d.constraints for d in versions.read(mode))
                                     for mode in (READS_TF, READS_TF_AND_TOFU, READS_TOFU_ONLY)))
    universe = rel.supported_releases(engine) if supported_only else rel.releases(engine)
    return per_value(("accepting", *key), lambda: tuple(r for r in universe if versions.accepts(engine, r.parsed)))


def judged_releases(root: RootModule, engine: str) -> tuple[Release, ...]:
    """The Harness-supported releases of `engine` that accept `root`, oldest
    first; when none does (IACM301's case), every supported release: what
    IACM306 and the backend rules judge a root against."""
    return accepting_releases(root, engine) or rel.supported_releases(engine)


def most_excluding(root: RootModule, engine: str, universe: Iterable[Release],
                   kinds: tuple[str, ...] = (".tf", ".tofu", TERRAFORM_VERSION_CONSTRAINT)) -> Optional[VersionDecl]:
    """The declaration that rejects the most releases of `universe` (first in
    path order on a tie), among those in files of the given kinds (a
    Terragrunt unit's terraform_version_constraint is a kind of its own)."""
    counts: dict[int, tuple[VersionDecl, int]] = {}
    versions = root_versions(root)
    for release in universe:
        for decl in versions.rejecting(engine, release.parsed):
            kind = decl.kind if decl.kind == TERRAFORM_VERSION_CONSTRAINT else ".tofu" if decl.file.is_tofu else ".tf"
            if kind not in kinds:
                continue
            previous = counts.get(id(decl), (decl, 0))
            counts[id(decl)] = (decl, previous[1] + 1)
    if not counts:
        return None
    return min(counts.values(), key=lambda item: (-item[1], item[0].span.path, item[0].span.line, item[0].span.col))[0]


def own_declarations(root: RootModule) -> list[VersionDecl]:
    """Version declarations in the root module's own files."""
    return module_declarations(root.module)


def accepted_ranges(root: RootModule) -> dict[str, list[tuple[Release, Release]]]:
    """Per engine, the Harness-supported releases that accept the root, as runs."""
    return {engine: rel.ranges(accepting_releases(root, engine), rel.supported_releases(engine))
            for engine in Engine}


def root_version_properties(repo: Repo) -> dict[str, dict[str, Any]]:
    """For JSON/SARIF run properties: root directory -> {"accepted": {engine:
    [{"from": "1.6.0", "to": "1.7.10"}, ...]}}."""
    return {root.directory: root_version_entry(root) for root in repo.roots}


def root_version_entry(root: RootModule) -> dict[str, Any]:
    """One root's entry of `root_version_properties`."""
    return {"accepted": {engine: [{"from": a.version, "to": b.version} for a, b in runs]
                         for engine, runs in accepted_ranges(root).items()}}

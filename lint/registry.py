"""The rule registry: the `@rule` decorator, rule metadata, and the one
explicit list of rule modules (`RULE_MODULES`, one rule per module in
`iacm_lint.rules`), imported the first time rules are asked for.

`_RULES` is filled once per process by those imports and never changed
after: it is the package's rule table, the same for every scan."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Protocol, TypeVar

from . import rules as rules_package  # iacm_lint.rules, the rules/ directory
from .findings import Secret
from .fix import Fix
from .model.syntax import Repo, RootModule, Span

if TYPE_CHECKING:  # for the annotations only: a result-cache hit loads no model view
    from .model.engine_choice import EngineChoice
    from .model.pipeline import Pipeline
    from .options import Options

LEVELS = ("error", "warning", "note")
SCOPES = ("file", "yaml", "module", "root", "repo", "pipeline")
# What `@rule(fix=...)` may say about a rule's fixes (`iacm-lint rules` shows it).
FIX_KINDS = ("", "safe", "unsafe", "safe or unsafe")
# The readiness report's prerequisite checklist (report/readiness/model.py
# gives the titles); a rule names the item its findings fail (`checklist=`).
CHECKLIST_ITEMS = ("backend", "state", "credentials", "pipeline", "version")

# Every rule module of iacm_lint.rules, in ID order (tests/test_registry.py
# checks that none is missing).
RULE_MODULES = (
    "iacm000_parse_error", "iacm001_unused_suppression", "iacm002_suppression_without_reason",
    "iacm101_backend_missing", "iacm102_backend_duplicate", "iacm103_backend_missing_attribute",
    "iacm104_backend_unknown_attribute", "iacm105_backend_non_literal", "iacm106_backend_local",
    "iacm107_override_file_backend", "iacm108_cloud_block", "iacm109_backend_unsupported",
    "iacm110_state_lock_missing", "iacm111_state_lock_deprecated", "iacm112_state_encryption_disabled",
    "iacm113_state_key_collision", "iacm114_state_bucket_unversioned",
    "iacm201_backend_credential_literal", "iacm202_provider_credential_literal", "iacm203_secret_pattern",
    "iacm204_variable_secret_default", "iacm205_tfvars_secret", "iacm206_pipeline_secret_literal",
    "iacm207_resource_secret_literal",
    "iacm301_version_unsupported", "iacm302_version_admits_bsl", "iacm303_version_missing",
    "iacm304_version_constraint_invalid", "iacm305_version_pin_mismatch", "iacm306_feature_unavailable",
    "iacm307_engine_mismatch", "iacm308_opentofu_accepts_by_ignoring",
    "iacm401_state_file_committed", "iacm402_terraform_dir_committed", "iacm403_lockfile_missing",
    "iacm404_gitignore_incomplete", "iacm405_plan_file_committed", "iacm406_terragrunt_cache_committed",
    "iacm501_pipeline_script_step", "iacm502_apply_without_plan", "iacm503_init_missing",
    "iacm504_apply_without_approval", "iacm505_workspace_missing", "iacm506_step_type_unknown",
    "iacm507_command_unknown", "iacm508_pipeline_invalid",
    "iacm601_workspace_provisioner_unsupported", "iacm602_workspace_path_invalid",
    "iacm603_workspace_variable_secret_literal", "iacm604_workspace_version_mismatch",
    "iacm701_terragrunt_config_unresolved", "iacm702_remote_state_backend_block_missing",
    "iacm703_root_config_named_terragrunt_hcl",
)


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule yields. `level` overrides the rule's default level when a
    rule's severity depends on the case (IACM101, IACM103, IACM501...)."""

    span: Span
    message: str
    level: Optional[str] = None
    related: tuple[tuple[Span, str], ...] = ()  # (span, message) pairs
    fingerprint_key: str = ""  # extra stable text to tell apart findings on one construct
    secret: Optional[Secret] = None  # the literal secret a secret rule reports (never hashed)
    fix: Optional[Fix] = None  # the edits that make the finding go away (fix.py), when the rule has them


class Context(Protocol):
    """What a rule may ask beyond its subject (engine/context.py holds the
    scan's Context; rules, below the engine, know it by this interface)."""

    repo: Repo
    options: Options

    @property
    def state(self) -> str: ...  # --state: "existing", "managed", or "auto" when no root declares a backend

    def engine_for(self, root: RootModule) -> EngineChoice: ...

    def root_for_directory(self, directory: str) -> Optional[RootModule]: ...

    def pipelines(self) -> list[Pipeline]: ...

    def source(self, path: str) -> Optional[str]: ...  # the text a fix edits (engine/context.py)


RuleFunc = Callable[[Any, Context], Iterator[Violation]]  # (subject of the rule's scope, ctx)
_F = TypeVar("_F", bound=RuleFunc)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    level: str
    short: str
    scope: str
    func: RuleFunc
    tags: tuple[str, ...] = ()
    security_severity: Optional[str] = None
    enabled_by_default: bool = True
    checklist: Optional[str] = None  # the readiness checklist item its findings fail (CHECKLIST_ITEMS)
    defers_to: tuple[str, ...] = ()  # rules whose findings it leaves alone (IACM203: the name-based secret rules)
    fix: str = ""  # FIX_KINDS: which fixes its findings may carry; its docstring's Fix section says why

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def reports_secrets(self) -> bool:
        """A rule tagged both "security" and "secrets" reports literal secrets
        (IACM201-207, IACM603); "hygiene" + "secrets" rules report files that
        hold them (a committed state file) and quote nothing from them."""
        return "security" in self.tags and "secrets" in self.tags

    @property
    def help_uri(self) -> str:
        return f"https://github.com/iacm-lint/iacm-lint/blob/main/docs/rules/{self.id}.md"


_RULES: dict[str, Rule] = {}


def rule(id: str, name: str, *, level: str, short: str, scope: str, tags: tuple[str, ...] = (),
         security_severity: Optional[str] = None, enabled_by_default: bool = True,
         checklist: Optional[str] = None, defers_to: tuple[str, ...] = (),
         fix: str = "") -> Callable[[_F], _F]:
    """Register a rule function. Scopes: "file" (HclFile), "yaml" (YamlFile),
    "module" (Module), "root" (RootModule), "repo" (Repo), "pipeline"
    (a pipeline model). The function gets `(subject, ctx)` and yields
    `Violation`s; its docstring is its documentation. `checklist`: the
    readiness checklist item its findings fail; `defers_to`: the rules
    whose findings it leaves to them (tests check both); `fix`: whether
    its violations carry safe or unsafe fixes (FIX_KINDS)."""
    if level not in LEVELS:
        raise ValueError(f"{id}: level {level!r} not in {LEVELS}")
    if scope not in SCOPES:
        raise ValueError(f"{id}: scope {scope!r} not in {SCOPES}")
    if fix not in FIX_KINDS:
        raise ValueError(f"{id}: fix {fix!r} not in {FIX_KINDS}")
    if checklist is not None and checklist not in CHECKLIST_ITEMS:
        raise ValueError(f"{id}: checklist {checklist!r} not in {CHECKLIST_ITEMS}")

    def register(func: _F) -> _F:
        existing = _RULES.get(id)
        if existing is not None and existing.func.__module__ != func.__module__:
            raise ValueError(f"rule {id} registered twice ({existing.func.__module__}, {func.__module__})")
        _RULES[id] = Rule(id, name, level, short, scope, func, tuple(tags), security_severity, enabled_by_default,
                          checklist, tuple(defers_to), fix=fix)
        return func

    return register


def all_rules() -> list[Rule]:
    """Every rule, sorted by ID; imports `iacm_lint.rules` once."""
    _load_rule_modules()
    return [_RULES[k] for k in sorted(_RULES)]


def get_rule(rule_id: str) -> Optional[Rule]:
    _load_rule_modules()
    return _RULES.get(rule_id)


_loaded = False


def _load_rule_modules() -> None:
    global _loaded
    if _loaded:
        return
    for name in RULE_MODULES:
        importlib.import_module(f"{rules_package.__name__}.{name}")
    _loaded = True


def matches(rule_id: str, selectors: Iterable[str]) -> bool:
    """`IACM2` selects IACM2xx; `IACM306` selects exactly that rule."""
    return any(rule_id.startswith(s) for s in selectors)

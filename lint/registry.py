"""The rule registry: the `@rule` decorator, rule metadata, and discovery of
the modules in `iacm_lint.rules` (one rule per module)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Protocol, TypeVar

from . import rules as rules_package  # iacm_lint.rules, the rules/ directory
from .findings import Secret
from .model.syntax import Repo, RootModule, Span

if TYPE_CHECKING:  # for the annotations only: a result-cache hit loads no model view
    from .model.engine_choice import EngineChoice
    from .model.pipeline import Pipeline
    from .options import Options

LEVELS = ("error", "warning", "note")
SCOPES = ("file", "yaml", "module", "root", "repo", "pipeline")


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


class Context(Protocol):
    """What a rule may ask beyond its subject (engine/context.py holds the
    scan's Context; rules, below the engine, know it by this interface)."""

    repo: Repo
    options: Options
    state: str  # --state: "existing", "managed", or "auto" when no root declares a backend

    def engine_for(self, root: RootModule) -> EngineChoice: ...

    def root_for_directory(self, directory: str) -> Optional[RootModule]: ...

    def pipelines(self) -> list[Pipeline]: ...


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
         security_severity: Optional[str] = None, enabled_by_default: bool = True) -> Callable[[_F], _F]:
    """Register a rule function. Scopes: "file" (HclFile), "yaml" (YamlFile),
    "module" (Module), "root" (RootModule), "repo" (Repo), "pipeline"
    (a pipeline model). The function gets `(subject, ctx)` and yields
    `Violation`s; its docstring is its documentation."""
    if level not in LEVELS:
        raise ValueError(f"{id}: level {level!r} not in {LEVELS}")
    if scope not in SCOPES:
        raise ValueError(f"{id}: scope {scope!r} not in {SCOPES}")

    def register(func: _F) -> _F:
        existing = _RULES.get(id)
        if existing is not None and existing.func.__module__ != func.__module__:
            raise ValueError(f"rule {id} registered twice ({existing.func.__module__}, {func.__module__})")
        _RULES[id] = Rule(id, name, level, short, scope, func, tuple(tags), security_severity, enabled_by_default)
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
    for info in sorted(pkgutil.iter_modules(rules_package.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{rules_package.__name__}.{info.name}")
    _loaded = True


def matches(rule_id: str, selectors: Iterable[str]) -> bool:
    """`IACM2` selects IACM2xx; `IACM306` selects exactly that rule."""
    return any(rule_id.startswith(s) for s in selectors)

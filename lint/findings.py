"""Findings: what the engine hands to filters and reporters."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple, Optional

from .fix import Fix
from .model.syntax import Span

LEVEL_ORDER = {"error": 3, "warning": 2, "note": 1}


class Secret(NamedTuple):
    """Where a finding's literal secret is and what kind it is
    ("aws-secret-key", "password"). Fingerprints hash the source lines with
    this span replaced by `<secret:KIND>`, so that no hash depends on the
    secret (see fingerprint.py); nothing else reads it."""

    span: Span
    kind: str


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    rule_name: str
    level: str  # error | warning | note
    message: str
    span: Span
    related: tuple[tuple[Span, str], ...] = ()
    fingerprint: str = ""  # line-shift-stable; see suppress.fingerprint
    suppressed: Optional[str] = None  # justification text when suppressed inline ("" = no reason)
    baseline_state: Optional[str] = None  # "new" | "unchanged" when a baseline is in use
    properties: tuple[tuple[str, str], ...] = field(default=())
    secret: Optional[Secret] = None  # set by the rules that report literal secrets
    fix: Optional[Fix] = None  # the rule's fix (fix.py); None when it has none or the config makes the rule unfixable

    @property
    def sort_key(self) -> tuple[str, int, int, str, int, int, str]:
        s = self.span
        return (s.path, s.line, s.col, self.rule_id, s.end_line, s.end_col, self.message)

    def with_(self, **changes: Any) -> Finding:
        return replace(self, **changes)

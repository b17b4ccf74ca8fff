"""What a scan returns: the findings, the rules that ran and the run
properties reporters print (the result cache stores and restores it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from ..findings import Finding, Secret
from ..model.syntax import Repo
from ..registry import Rule


@dataclass(frozen=True)
class FixCount:
    """What `--fix` changed: findings fixed, in how many files."""

    findings: int
    files: int


@dataclass
class Result:
    findings: list[Finding]
    rules: Sequence[Rule]  # the rules that ran (a RulesById for a result from the result cache)
    root: str  # absolute scan root
    repo: Repo
    properties: dict[str, Any] = field(default_factory=dict)
    internal_errors: list[str] = field(default_factory=list)
    checked: Optional[int] = None  # files checked, for a result loaded from the result cache (its repo is a stub)
    unreported_secrets: list[Secret] = field(default_factory=list)  # found by secret rules that were not asked for
    fixed: Optional[FixCount] = None  # with --fix: what was fixed before this (final) check

    @property
    def stats(self) -> Optional[dict]:
        """File accounting (scan/stats.py); None for a repo not built by build_repo."""
        return self.properties.get("stats")

    @property
    def files_checked(self) -> int:
        if self.checked is not None:
            return self.checked
        return len(self.repo.hcl_files) + len(self.repo.yaml_files)

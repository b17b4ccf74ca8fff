"""What a scan is asked to do: the options of one `run()`, from the command
line and the configuration file. A leaf any layer may import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Optional

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # --max-file-size: larger files get IACM000 instead of being parsed


@dataclass
class Options:
    engine: str = "auto"  # auto | opentofu | terraform
    state: str = "auto"  # auto | existing | managed
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)  # rule id -> error|warning|note|off
    roots: Optional[tuple[str, ...]] = None
    exclude: Callable[[str], bool] | None = None
    jobs: Optional[int] = None
    cache: bool = True
    max_file_bytes: int = DEFAULT_MAX_BYTES
    verbose: bool = False
    per_file_ignores: tuple = ()  # ((path matcher, rule IDs/prefixes), ...), from the config file
    require_reasons: bool = False  # config `require-reasons: true` turns on IACM002
    baseline: Optional[str] = None  # baseline file: findings recorded in it get baseline_state "unchanged"
    # for the CLI's progress bar: (files parsed, files to parse, "files"), then (rules run, rules to run, "rules")
    progress: Optional[Callable[[int, int, str], None]] = None
    # the config file these options came from (its bytes decide exclude/per-file-ignores)
    config_file: Optional[str] = None
    only: Optional[tuple[str, ...]] = None  # absolute paths: report only findings located in these (check FILE ...)
    # ask git for HEAD's commit and branch (Repo.git_commit/git_branch: the report's header)
    revision: bool = False
    # answer an unchanged scan from engine/resultcache.py (needs `cache`); the Result's repo is then a stub
    result_cache: bool = False
    fix: bool = False  # `check --fix` (or config `fix: true`): apply the safe fixes (engine/fixes.py)
    unsafe_fixes: bool = False  # `--unsafe-fixes` (or config `unsafe-fixes: true`): apply the unsafe ones too
    fixable: Optional[tuple[str, ...]] = None  # rule IDs/prefixes whose findings keep their fixes (None: every rule)
    unfixable: tuple[str, ...] = ()  # rule IDs/prefixes whose findings never carry a fix (wins over `fixable`)

    def may_fix(self, rule_id: str) -> bool:
        """Whether findings of `rule_id` keep their fixes (config `fixable`/`unfixable`, ruff's semantics)."""
        if any(rule_id.startswith(prefix) for prefix in self.unfixable):
            return False
        return self.fixable is None or any(rule_id.startswith(prefix) for prefix in self.fixable)

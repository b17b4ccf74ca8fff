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
    progress: Optional[Callable[[int, int], None]] = None  # (files parsed, files to parse), for the CLI's progress bar
    # the config file these options came from (its bytes decide exclude/per-file-ignores)
    config_file: Optional[str] = None
    # answer an unchanged scan from engine/resultcache.py (needs `cache`); the Result's repo is then a stub
    result_cache: bool = False

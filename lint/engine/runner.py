"""The engine: discover -> (result cache) -> parse -> model -> rules ->
filter -> findings, read top to bottom in `run()`.

`run(paths, options)` is the one entry point the CLI, the report command and
tests use: the scan stage walks the paths and asks git (scan/discover.py);
the result cache (resultcache.py) answers when nothing changed; otherwise
the scan stage builds the Repo (scan/repository.py) and check.py runs the
rules and the filters over it.
"""

from __future__ import annotations

from typing import Optional

from ..findings import LEVEL_ORDER
from ..options import Options
from ..scan.discover import discover_scan
from ..scan.gc_pause import gc_paused
from .result import Result
from .resultcache import entry_for


def run(paths: list[str], options: Optional[Options] = None) -> Result:
    options = options or Options()
    with gc_paused():
        found = discover_scan(paths, options)
        entry = None
        if options.result_cache and found.cache_home is not None:
            entry = entry_for(paths, found, options)  # None: the state cannot be trusted (a file changing now)
            cached = entry.load() if entry is not None else None
            if cached is not None:
                return cached
        from ..scan.repository import repo_from  # the parsers, the model views and the rules load only
        from .check import check_repo  # when the result cache cannot answer: a warm run needs none of them

        result = check_repo(repo_from(found, options), options)
        if entry is not None and not result.internal_errors:
            entry.save(result)
        return result


def exit_code(result: Result, fail_on: str) -> int:
    if result.internal_errors:
        return 2
    if fail_on == "never":
        return 0
    threshold = LEVEL_ORDER[fail_on]
    failing = any(LEVEL_ORDER[f.level] >= threshold for f in result.findings
                  if f.suppressed is None and f.baseline_state != "unchanged")
    return 1 if failing else 0

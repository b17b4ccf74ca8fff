"""The engine layer: `run()` (runner.py) drives a scan from the paths to the
findings; the rules' Context (context.py), the Result (result.py) and the
whole-scan result cache (resultcache.py) live beside it.

The entry points, for the CLI and for callers of the package:
`run(paths, Options(...)) -> Result` and `exit_code(result, fail_on)`."""

from ..options import Options
from .result import Result
from .runner import check_repo, exit_code, run

__all__ = ["Options", "Result", "check_repo", "exit_code", "run"]

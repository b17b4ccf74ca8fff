"""The engine layer: `run()` (runner.py) drives a scan from the paths to the
findings; check.py runs the rules and the filters over a Repo with the
rules' Context (context.py); the Result (result.py) and the whole-scan
result cache (resultcache.py) live beside it.

The entry points, for the CLI and for callers of the package:
`run(paths, Options(...)) -> Result` and `exit_code(result, fail_on)`."""

from ..options import Options
from .result import Result
from .runner import exit_code, run

__all__ = ["Options", "Result", "exit_code", "run"]

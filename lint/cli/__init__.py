"""The `iacm-lint` command (click): commands.py parses the options, calls
the engine and picks a reporter; report.py is the `report` command after its
options are parsed; progress.py draws the progress bar on a terminal."""

from .commands import main

__all__ = ["main"]

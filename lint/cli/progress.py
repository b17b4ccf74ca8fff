"""The progress bar `check` shows on stderr for long scans: only on a
terminal, never in CI logs or when stderr is redirected, and only once a
scan has run for `DELAY` seconds (short scans print nothing)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Optional, TextIO

DELAY = 2.0
WIDTH = 30
REDRAW_EVERY = 0.1  # seconds; a redraw per file would flood a slow terminal


def wanted(stream: TextIO, environ: Optional[Mapping[str, str]] = None) -> bool:
    environ = os.environ if environ is None else environ
    if environ.get("CI") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class ProgressBar:
    """`bar(done, total)` redraws `[#####.....] 512/1700 files` in place once
    the scan is older than `delay`; `bar.close()` erases it."""

    def __init__(self, stream: TextIO, delay: float = DELAY, clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.drawn_at = float("-inf")
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if total <= 0 or now - self.started < self.delay:
            return
        if now - self.drawn_at < REDRAW_EVERY and done < total:
            return
        self.drawn_at = now
        filled = WIDTH * done // total
        self.stream.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} files")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (WIDTH + 40) + "\r")
            self.stream.flush()
            self.shown = False

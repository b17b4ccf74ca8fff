"""The progress bar `check` shows on stderr for long scans: only when stderr
is a terminal (wherever stdout goes), never in CI logs or with `--quiet`,
and only once a scan has run for `DELAY` seconds (short scans print
nothing). It follows the two phases of a scan, parsing the files and then
running the rules, each with the time it has left:

    [###############...............] 850/1700 files, 0:04 left
    [######........................] 12/60 rules, 0:01 left
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TextIO

DELAY = 2.0
WIDTH = 30
REDRAW_EVERY = 0.1  # seconds; a redraw per file would flood a slow terminal


def wanted(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    if environ.get("CI") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class ProgressBar:
    """`bar(done, total, phase)` redraws the bar of `phase` ("files",
    "rules") in place once the scan is older than `delay`; `bar.close()`
    erases it."""

    def __init__(self, stream: TextIO, delay: float | None = None, clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.delay = DELAY if delay is None else delay
        self.clock = clock
        self.started = clock()
        self.drawn_at = float("-inf")
        self.drawn_width = 0  # characters of the longest line drawn, for erasing
        self.phase_start: dict[str, tuple[float, int]] = {}  # phase -> (time, done) when it began

    def __call__(self, done: int, total: int, phase: str = "files") -> None:
        now = self.clock()
        start = self.phase_start.setdefault(phase, (now, done))
        if total <= 0 or now - self.started < self.delay:
            return
        if now - self.drawn_at < REDRAW_EVERY and done < total:
            return
        self.drawn_at = now
        filled = WIDTH * done // total
        line = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} {phase}"
        left = time_left(now - start[0], done - start[1], total - done)
        if left:
            line += f", {left} left"
        self.stream.write("\r" + line.ljust(self.drawn_width))
        self.stream.flush()
        self.drawn_width = max(self.drawn_width, len(line))

    def close(self) -> None:
        if self.drawn_width:
            self.stream.write("\r" + " " * self.drawn_width + "\r")
            self.stream.flush()
            self.drawn_width = 0


def time_left(elapsed: float, done: int, remaining: int) -> str:
    """`m:ss` left at the pace so far ("" before anything is done or after the end)."""
    if done <= 0 or remaining <= 0:
        return ""
    seconds = round(elapsed / done * remaining)
    return f"{seconds // 60}:{seconds % 60:02d}"

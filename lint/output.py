"""Where iacm-lint's outputs go: the files the user names (`-o`, `--format
FMT:FILE`, `--write-baseline`) and standard output. Every output goes
through this module; a failure is an `OutputError` (one line, exit 2).

A file is written atomically: the text goes to a temporary file in the
target's directory, is synced to disk and renamed over the target, so disk
full or a kill during the write never leaves a truncated SARIF file or
baseline behind; an existing file keeps its permission bits. A target that
is a symbolic link is refused: a repository can commit
`.iacm-lint-baseline.json -> ~/.bashrc` and wait for someone to run the
documented adoption command. A missing directory is an error, not created.

Standard output that is closed (`>&-`) or cannot take the text (`>
/dev/full`, a closed pipe) is an error too, not a silent success.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from typing import Optional

import click


class OutputError(Exception):
    """An output that cannot be written (exit 2)."""


def write_file(target: str, text: str) -> None:
    """Replace `target` with `text` (UTF-8, `\\n` line ends) atomically."""
    write_bytes(target, text.encode("utf-8"))


def write_bytes(target: str, data: bytes) -> None:
    """Replace `target` with `data` atomically (fixes write source files
    byte for byte: their BOM and CRLF line ends stay)."""
    try:
        existing = os.lstat(target)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or type(exc).__name__}") from None
    if existing is not None and stat.S_ISLNK(existing.st_mode):
        raise OutputError(f"refusing to write {target}: it is a symbolic link and iacm-lint never writes through "
                          "links; remove the link or name another file")
    directory = os.path.dirname(os.path.abspath(target))
    try:
        fd, temporary = tempfile.mkstemp(prefix=".iacm-lint-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or type(exc).__name__}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(existing))
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {target}: {exc.strerror or type(exc).__name__}") from None
        raise


def _mode_for(existing: Optional[os.stat_result]) -> int:
    """The old file's permission bits, or what `open()` would give a new file
    (mkstemp creates 0600)."""
    if existing is not None and stat.S_ISREG(existing.st_mode):
        return existing.st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_stdout(text: str, color: bool = False) -> None:
    """Print `text` (a final newline added when missing); nothing when empty.
    `color`: the text holds the colours `--color` asked for, which must reach
    a pipe too (otherwise click strips escape sequences from what is not a
    terminal)."""
    if sys.stdout is None:  # started with standard output closed: Python leaves sys.stdout unset
        raise OutputError("standard output is closed; write the output to a file with -o FILE or FMT:FILE")
    if not text:
        return
    try:
        click.echo(text, nl=not text.endswith("\n"), color=True if color else None)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (`| head`): its choice, not a failure to report
        _discard_stdout()
    except OSError as exc:  # /dev/full
        _discard_stdout()
        raise OutputError(f"cannot write to standard output: {exc.strerror or type(exc).__name__}") from None


def _discard_stdout() -> None:
    """Point standard output at the null device, so that the text still
    buffered does not fail again (with a traceback) when Python exits."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass

"""Reading source files as text: the one place that decides what counts as
unreadable, binary or wrongly encoded input (IACM000 reasons)."""

from __future__ import annotations

import os
import re
import stat
from array import array
from typing import Optional

from ..model.syntax import ParseError, Span
from ..options import DEFAULT_MAX_BYTES
from ..redact import describe_exception


def decode_source(data: bytes, path: str) -> tuple[Optional[str], Optional[ParseError]]:
    """UTF-8 text without its BOM, or the reason it cannot be read as
    Terraform/YAML source (Terraform and Harness read only UTF-8)."""
    encoding = _foreign_bom(data)
    if encoding:
        return None, ParseError(f"file is {encoding} encoded; Terraform and Harness read only UTF-8",
                                Span.file_start(path))
    nul = data.find(b"\x00")
    if nul != -1:
        line, col = _position_of_byte(data, nul)
        return None, ParseError("file contains NUL bytes (binary content), not text",
                                Span(path, line, col, line, col + 1))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position_of_byte(data, exc.start)
        return None, ParseError(f"invalid UTF-8 byte 0x{data[exc.start]:02x}", Span(path, line, col, line, col + 1))
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, None


def _foreign_bom(data: bytes) -> Optional[str]:
    """UTF-32 or UTF-16 by its byte order mark (UTF-32 LE's starts like UTF-16 LE's)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    return None


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    prefix = data[line_start:offset]
    if line == 1 and prefix.startswith(b"\xef\xbb\xbf"):
        prefix = prefix[3:]
    col = len(prefix.decode("utf-8", errors="replace")) + 1
    return line, col


def read_source(abs_path: str, rel_path: str,
                max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Optional[str], Optional[ParseError]]:
    """Read and decode one file; every failure becomes a ParseError at 1:1
    (or at the offending byte) instead of an exception."""
    start = Span.file_start(rel_path)
    try:
        data = read_regular(abs_path, max_bytes + 1)
    except NotRegularFileError:
        return None, ParseError("not a regular file (device, FIFO or socket)", start)
    except IsADirectoryError:
        return None, ParseError("is a directory, not a file", start)
    except PermissionError:
        return None, ParseError("cannot read file: permission denied", start)
    except OSError as exc:
        return None, ParseError(f"cannot read file: {exc.strerror or exc}", start)
    except Exception as exc:  # noqa: BLE001 - MemoryError: this file is not read, the scan goes on
        return None, ParseError(f"cannot read file: internal error ({describe_exception(exc)})", start)
    if len(data) > max_bytes:
        return None, ParseError(f"file too large (over {size_text(max_bytes)}); not parsed", start)
    return decode_source(data, rel_path)


def size_text(size: int) -> str:
    """`10 MB`, `512 KB` or `1000 bytes`: the largest unit that divides the size."""
    for unit, factor in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


class NotRegularFileError(OSError):
    """A FIFO, socket or device where a file was expected."""


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_regular(abs_path: str, limit: Optional[int] = None) -> bytes:
    """At most `limit` bytes of a regular file. Opening never blocks (a FIFO
    named `.tf` would wait for a writer forever) and devices are refused (an
    endless `/dev/zero` named `.tf`): both raise NotRegularFileError.

    Reads the file's size (as fstat gives it), never `limit` bytes at once:
    `read(limit)` allocated a buffer of the limit and shrank it, and glibc
    leaves each such shrunken buffer in a memory mapping of its own; 100,000
    small files ran into vm.max_map_count (MemoryError)."""
    descriptor = os.open(abs_path, _OPEN_FLAGS)
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFileError(f"not a regular file: {abs_path}")
        if limit is None:
            return handle.read()
        return handle.read(min(status.st_size, limit))


_NEWLINE = re.compile("\n")


def line_starts(text: str) -> array:
    """Offsets where each `\\n`-separated line of `text` starts (0 first), as
    a compact array for bisect: 8 bytes a line, not the ~40 of a list of ints
    (a file of newlines is as many lines as bytes)."""
    starts = array("q", [0]) * (text.count("\n") + 1)  # allocated once, at its final size
    for line, match in enumerate(_NEWLINE.finditer(text), 1):
        starts[line] = match.end()
    return starts

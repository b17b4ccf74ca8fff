"""File names as text.

A POSIX file name is bytes, and git stores whatever bytes it is given.
Python hands names that are not UTF-8 over as `surrogateescape`d text,
whose lone surrogates no UTF-8 output, JSON file, SARIF log, baseline or
cache key can hold. So every name the tool reports goes through here: its
bytes that are not UTF-8 become `\\xNN`, the same for a name read from the
disk (`text_name`) as for one git printed (`text_path`), so the two agree.
Such a name no longer leads back to its file, so discovery does not read a
file by it (IACM000 "file name is not valid UTF-8" for an IaC file).
"""

from __future__ import annotations

import os


def is_text(name: str) -> bool:
    """Is this file-system name (or path) valid UTF-8, no escaped bytes in it?"""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text_name(name: str) -> str:
    """A name from the file system, with bytes that are not UTF-8 as `\\xNN`."""
    return name if is_text(name) else os.fsencode(name).decode("utf-8", "backslashreplace")


def text_path(raw: bytes) -> str:
    """A path git printed (bytes), with bytes that are not UTF-8 as `\\xNN`."""
    return raw.decode("utf-8", "backslashreplace")

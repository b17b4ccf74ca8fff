"""Exception descriptions that never quote input.

A rule or parser exception's text may carry a value from the scanned files
(`KeyError('hunter2…')`, `ValueError(f"bad {value}")`), and internal errors
end up in SARIF that CI uploads. So outside `--verbose` an exception is
named by its type and where it was raised, never by its message.
"""

from __future__ import annotations

import os
import sys
import traceback


def describe_exception(exc: BaseException) -> str:
    """`KeyError at iacm_lint/rules/iacm110_state_lock_missing.py:42`: the type
    and the innermost frame in this package, named by its module so that a
    source checkout and an installed wheel say the same (or else the file
    name of the innermost frame at all)."""
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ is not None else []
    package_files = _package_files()
    ours = [f for f in frames if _file_key(f.filename) in package_files]
    candidates = ours or frames
    if not candidates:
        return type(exc).__name__
    frame = candidates[-1]
    where = package_files[_file_key(frame.filename)] if ours else os.path.basename(frame.filename)
    return f"{type(exc).__name__} at {where}:{frame.lineno}"


def _package_files() -> dict[str, str]:
    """Each loaded module file of this package -> `iacm_lint/.../name.py`.
    Known by module, not by folder: a source checkout keeps the package's
    parts in folders of other names (lint/, rules/), and a folder holding an
    installed package holds the other installed packages too."""
    package = __name__.partition(".")[0]
    files = {}
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and (name == package or name.startswith(package + ".")):
            dotted = name if hasattr(module, "__path__") else name.rpartition(".")[0]
            files[_file_key(file)] = f"{dotted.replace('.', '/')}/{os.path.basename(file)}"
    return files


def _file_key(filename: str) -> str:
    return os.path.normcase(os.path.abspath(filename))

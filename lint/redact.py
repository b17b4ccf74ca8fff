"""Exception descriptions that never quote input.

A rule or parser exception's text may carry a value from the scanned files
(`KeyError('hunter2…')`, `ValueError(f"bad {value}")`), and internal errors
end up in SARIF that CI uploads. So outside `--verbose` an exception is
named by its type and where it was raised, never by its message.
"""

from __future__ import annotations

import os
import traceback


def describe_exception(exc: BaseException) -> str:
    """`KeyError at rules/iacm110_state_lock_missing.py:42`: the type and the
    innermost frame of this package (or the innermost frame at all)."""
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ is not None else []
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ours = [f for f in frames if os.path.abspath(f.filename).startswith(package + os.sep)]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return type(exc).__name__
    where = os.path.relpath(os.path.abspath(frame.filename), package) if ours else os.path.basename(frame.filename)
    return f"{type(exc).__name__} at {where.replace(os.sep, '/')}:{frame.lineno}"

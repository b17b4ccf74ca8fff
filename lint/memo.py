"""Results memoised per model object (a file, a module, a root) for one scan.

The model is built once per scan and never changed, so anything computed
from one of its objects holds while that object lives; roots that call the
same module, or rules that ask the same question, then share one answer.
Keyed by identity, not equality: the model's frozen dataclasses compare by
value, and hashing a whole file or module tree would cost more than the
answer. The entry keeps its object alive, so an id is never reused while
its entry stands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_MAX_ENTRIES = 200_000  # bounds long-lived processes such as the test suite; one scan of 1,700 files uses ~10,000
_CACHE: dict[tuple[int, str], tuple[Any, Any]] = {}


def per_object(obj: Any, what: str, build: Callable[[Any], T]) -> T:
    """`build(obj)`, computed once per object and `what`."""
    key = (id(obj), what)
    hit = _CACHE.get(key)
    if hit is None or hit[0] is not obj:
        if len(_CACHE) > _MAX_ENTRIES:
            _CACHE.clear()
        hit = _CACHE[key] = (obj, build(obj))
    return hit[1]

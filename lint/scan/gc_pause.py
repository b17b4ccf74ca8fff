"""The cyclic garbage collector paused for a scan (refcounting still frees
memory); the scan and the parser pool both run under it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (refcounting still frees memory).
    A scan allocates hundreds of thousands of long-lived, acyclic model
    objects; the collector's passes over them find nothing and took more
    than half of a warm scan's parse phase and a quarter of its rule phase."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # Promote what the scan allocated to the oldest generation without a
            # pass over it (freeze + unfreeze); otherwise the next allocation
            # after enable() walks all of it. Nothing becomes uncollectable.
            gc.freeze()
            gc.unfreeze()
            gc.enable()

"""The memos of one scan: answers computed once per model object (a file, a
module, a root, the Repo) or per value, while that scan runs.

The model is built once per scan and never changed, so anything computed
from one of its objects holds while that object lives; roots that call the
same module, or rules that ask the same question, then share one answer.
Objects are keyed by identity, not equality: the model's frozen dataclasses
compare by value, and hashing a whole file or module tree would cost more
than the answer. An entry keeps its object alive, so an id is never reused
while its entry stands.

A `ScanMemo` belongs to the scan that made it: the engine's scan Context
creates one per scan (engine/context.py) and makes it the active memo while
the rules run (`with memo.active():`), so the model views (model/compat.py,
features.py, harness_config.py, pipeline.py) memoise into it without every
view taking it as an argument. When the scan ends it is no longer active, and
it goes with the Context and the Result: nothing of a scan survives in a
module global, so a long-lived process (a language server) can run scan
after scan. One kind of answer may outlive its scan: `per_file`, for what
depends on one file model alone; the language server's next check takes
over those of the file models it keeps (`carry_files_from`, via
engine/reuse.py), so an edit re-reads one file, not every file of a root.
Outside an active scan (a test calling a model view directly)
`per_object` and `per_value` compute every time: slower, never stale.

The active memo is a context variable, not a plain global: each thread (and
each asyncio task) of a server sees the memo of the scan it runs.

What does stay in module globals is the same for every scan of a process,
and holds no model object (tests/test_scan_state.py checks that nothing of
a finished scan stays reachable):
- package data and what derives from it: the release, feature, backend and
  credential tables (knowledge/), the rule table (registry.py), the grammar's
  parse tables (parse/tables.py), compiled patterns;
- facts of the installed tool and environment: the parse cache's salt
  (parse/cache.py), the result cache's tool identity (engine/resultcache.py),
  the python-hcl2 check (scan/repository.py), libc's prctl (scan/gitrun.py);
- bounded memos of pure functions of short strings, whose answers do not
  depend on the scan: go-version parsing (knowledge/versions.py),
  `secret_name_kind` (knowledge/secrets.py), `in_range`
  (knowledge/backend_schemas.py);
- the warning about an unusable cache directory, shown once per process
  (cachedir.py), and a pool worker's cache handle, set in the worker process,
  which ends with its scan (scan/pool.py).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Optional, TypeVar

T = TypeVar("T")
Obj = TypeVar("Obj")
FileAnswers = dict[tuple[int, str], tuple[Any, Any]]  # (id of the model, what) -> (the model, the answer)


class ScanMemo:
    """Every memo of one scan."""

    def __init__(self) -> None:
        self._by_object: dict[tuple[int, str], tuple[Any, Any]] = {}
        self._by_value: dict[Hashable, Any] = {}
        self._by_file: FileAnswers = {}  # per_file answers: they may outlive the scan

    def per_file(self, model: Obj, what: str, build: Callable[[Obj], T]) -> T:
        """`build(model)` for a file model, when the answer depends on nothing
        but that file (and package data): once per model object and `what`,
        and carried into the next scan of a Workspace that keeps the object
        (`carry_files_from`)."""
        key = (id(model), what)
        hit = self._by_file.get(key)
        if hit is None or hit[0] is not model:
            hit = self._by_file[key] = (model, build(model))
        return hit[1]

    @property
    def file_answers(self) -> FileAnswers:
        """The per_file answers (filled while the scan runs), to carry into the next scan."""
        return self._by_file

    def carry_files_from(self, previous: FileAnswers, models: Iterable[object]) -> None:
        """Take over a previous scan's per_file answers for the file models
        that are still `models` (the language server's next check: one file changed)."""
        alive = {id(model) for model in models}
        self._by_file.update((key, hit) for key, hit in previous.items() if key[0] in alive)

    def per_object(self, obj: Obj, what: str, build: Callable[[Obj], T]) -> T:
        """`build(obj)`, computed once per object and `what`."""
        key = (id(obj), what)
        hit = self._by_object.get(key)
        if hit is None or hit[0] is not obj:
            hit = self._by_object[key] = (obj, build(obj))
        return hit[1]

    def per_value(self, key: Hashable, build: Callable[[], T]) -> T:
        """`build()`, computed once per `key` (a hashable value that decides
        the answer, e.g. a version constraint and a release)."""
        try:
            return self._by_value[key]
        except KeyError:
            answer = self._by_value[key] = build()
            return answer

    @contextmanager
    def active(self) -> Iterator[ScanMemo]:
        """Make this the memo that `per_object` and `per_value` use, until the block ends."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)


_ACTIVE: ContextVar[Optional[ScanMemo]] = ContextVar("iacm_lint_scan_memo", default=None)


def per_object(obj: Obj, what: str, build: Callable[[Obj], T]) -> T:
    """`build(obj)`, once per object and `what` in the active scan."""
    memo = _ACTIVE.get()
    return build(obj) if memo is None else memo.per_object(obj, what, build)


def per_file(model: Obj, what: str, build: Callable[[Obj], T]) -> T:
    """`build(model)`, once per file model and `what` (see ScanMemo.per_file)."""
    memo = _ACTIVE.get()
    return build(model) if memo is None else memo.per_file(model, what, build)


def per_value(key: Hashable, build: Callable[[], T]) -> T:
    """`build()`, once per `key` in the active scan."""
    memo = _ACTIVE.get()
    return build() if memo is None else memo.per_value(key, build)

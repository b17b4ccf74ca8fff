"""Parsing many files: the content-hash cache first, then a process pool (or
this process) for the misses. `scan/repository.py` calls `parse_all`.

- `--jobs N` (Options.jobs) caps the parsers; the default is the CPUs this
  process may use. `--jobs 1` parses in this process.
- Small scans stay in this process whatever `--jobs` says: below
  POOL_MIN_BYTES of files to parse, starting workers costs more than it saves.
- This process parses too (taking chunks from the back of the queue), so
  `--jobs N` starts N-1 worker processes.
- Workers get the bytes the parent already read and hashed (so the cached
  model is the model of exactly those bytes), parse them, write the cache
  entry and send back the compact encoding from `cache.dumps` — never lark
  trees. Work goes out largest files first in chunks, for balance.
- If the pool cannot start or breaks (fork failing, a worker killed by the
  OOM killer, MemoryError in a worker), the files it did not return are
  parsed in this process, with a --verbose note. No file is lost.
- Workers die with this process: on Linux the kernel kills them when it
  dies (PR_SET_PDEATHSIG), elsewhere a thread in each worker watches for a new
  parent. Ctrl-C and any exception here terminate them at once.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Optional

from ..cachedir import UserCache
from ..model.syntax import YAML
from ..options import Options
from ..parse.cache import MISS, ParseCache, dumps, loads
from ..parse.file import not_analysed, parse_bytes, parse_file
from ..parse.tables import parser
from ..parse.textio import read_regular
from ..redact import describe_exception
from .gc_pause import gc_paused

POOL_MIN_BYTES = 192 * 1024  # ~0.4 s of parsing on one core; less is faster without workers
CHUNK_BYTES = 48 * 1024  # upper bound of one task's source size
_WRITE_BATCH = 64  # files parsed in this process between cache writes (one transaction each)

Job = tuple[int, str, str, bytes, Optional[str]]  # (index, rel path, kind, file bytes, cache key)


@dataclass
class ParseStats:
    """What one `parse_all` did (the Repo keeps it: tests, benchmarks)."""

    files: int = 0
    cache_hits: int = 0
    cache_rejected: int = 0  # damaged entries, reparsed and rewritten
    parsed: int = 0
    workers: int = 1  # 1: parsed in this process


def parse_all(jobs: list[tuple[str, str, str]], options: Options, home: Optional[UserCache],
              notes: Optional[list[str]] = None) -> tuple[list[Any], ParseStats]:
    """Models for `jobs` [(abs path, rel path, kind)], in the same order,
    and what parsing them took; `home`: the scan's cache directory (None:
    no cache); what --verbose should say about the pool goes to `notes`."""
    with gc_paused():
        return _parse_all(jobs, options, home, notes if notes is not None else [])


def _parse_all(jobs: list[tuple[str, str, str]], options: Options, home: Optional[UserCache],
               notes: list[str]) -> tuple[list[Any], ParseStats]:
    cache = ParseCache(home) if home is not None else None
    results: list[Any] = [None] * len(jobs)
    readable: list[Job] = []
    for index, (abs_path, rel, kind) in enumerate(jobs):
        data = _read(abs_path, options.max_file_bytes)
        if data is None:  # unreadable or too large: parse_file words the error
            results[index] = parse_file(abs_path, rel, kind, options.max_file_bytes)
            continue
        readable.append((index, rel, kind, data, cache.key(data, rel, kind) if cache is not None else None))
    pending = readable
    if cache is not None:
        pending = []
        wanted = [(job[4], job[3]) for job in readable if job[4] is not None]  # with a cache, every job has a key
        for job, hit in zip(readable, cache.get_many(wanted), strict=True):
            if hit is MISS:
                pending.append(job)
            else:
                results[job[0]] = hit
    workers = worker_count(options.jobs, pending)
    stats = ParseStats(len(jobs), cache.hits if cache else 0, cache.rejected if cache else 0, len(pending), workers)
    report = _progress_reporter(options, len(jobs), len(jobs) - len(pending))
    if workers > 1:
        pending = _parse_in_pool(pending, workers, cache, results, report, notes)
    for start in range(0, len(pending), _WRITE_BATCH):
        batch = pending[start:start + _WRITE_BATCH]
        for job, model in zip(batch, _parse_chunk(batch, cache), strict=True):
            results[job[0]] = model[0]
        report(len(batch))
    return results, stats


def _progress_reporter(options: Options, total: int, done: int) -> Callable[[int], None]:
    """`advance(n)`: n more files parsed; forwards (done, total, "files") to options.progress."""
    callback = getattr(options, "progress", None)
    if callback is None:
        return lambda n: None
    state = [done]
    callback(done, total, "files")

    def advance(n: int) -> None:
        state[0] += n
        callback(state[0], total, "files")

    return advance


def worker_count(jobs: Optional[int], pending: list[Job]) -> int:
    """How many workers to start for `pending`; 1 means none (in-process)."""
    size = sum(len(job[3]) for job in pending)
    if jobs == 1 or len(pending) < 2 or size < POOL_MIN_BYTES:
        return 1
    limit = jobs or available_cpus()
    return max(1, min(limit, len(pending), -(-size // CHUNK_BYTES)))


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _read(abs_path: str, max_bytes: int) -> Optional[bytes]:
    try:
        data = read_regular(abs_path, max_bytes + 1)  # never blocks on a FIFO swapped in after discovery
    except Exception:  # noqa: BLE001 - OSError, MemoryError: parse_file reads again and words the error
        return None
    return data if len(data) <= max_bytes else None


def _parse_chunk(chunk: list[Job], cache: Optional[ParseCache]) -> list[tuple[Any, Optional[bytes]]]:
    """[(model, its encoding when it was cached)] for `chunk`; the new cache
    entries are written in one transaction."""
    out = []
    entries = []
    if any(job[2] != YAML for job in chunk):
        _load_parser(cache)
    for _, rel, kind, data, key in chunk:
        model = parse_bytes(data, rel, kind)  # never raises: a failure is that file's IACM000
        blob = None
        if cache is not None and key is not None and model is not None:
            try:
                blob = dumps(model)
            except Exception:  # noqa: BLE001 - not cached; _encoded words it for the parent
                pass
            else:
                entries.append((key, data, blob))
        out.append((model, blob))
    if cache is not None and entries:
        with contextlib.suppress(Exception):  # a cache that cannot be written only costs time
            cache.put_many(entries)
    return out


# ---- the pool -----------------------------------------------------------------

def _load_parser(cache: Optional[ParseCache]) -> None:
    """Load the grammar's parse tables (once per process) before the first
    HCL file: tables built at run time go to this scan's cache, or nowhere."""
    parser(cache.home if cache is not None else None)


_WORKER_CACHE: Optional[ParseCache] = None  # set in each worker process (which lives for one scan), never in the parent


def _init_worker(home: Optional[UserCache], parent: int) -> None:
    global _WORKER_CACHE
    _exit_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops the workers
    _WORKER_CACHE = ParseCache(home) if home is not None else None


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _exit_with_parent(parent: int) -> None:
    """A worker must not outlive the scan: a killed `iacm-lint` left its
    workers running (~150 MB each, forever). On Linux the kernel sends SIGKILL
    when the parent dies; elsewhere a thread checks for a new parent."""
    if not _kill_me_with_parent():
        import threading

        threading.Thread(target=_watch_parent, args=(parent,), name="iacm-lint-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before this worker could ask
        os._exit(1)


def _kill_me_with_parent() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int, interval: float = 0.5) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


def _work(chunk: list[Job]) -> list[tuple[int, bytes]]:
    gc.disable()  # lark trees are acyclic and short-lived; refcounting frees them
    return [(job[0], blob if blob is not None else _encoded(model, job))
            for job, (model, blob) in zip(chunk, _parse_chunk(chunk, _WORKER_CACHE), strict=True)]


def _encoded(model: Any, job: Job) -> bytes:
    try:
        return dumps(model)
    except Exception as exc:  # noqa: BLE001 - an unpicklable model is that file's IACM000
        return dumps(not_analysed(job[1], job[2], exc))


def _chunks(pending: list[Job], workers: int) -> list[list[Job]]:
    """Largest files first; each chunk at most CHUNK_BYTES (or one file), and
    small enough that there are a few chunks per worker to even out the end."""
    ordered = sorted(pending, key=lambda job: len(job[3]), reverse=True)
    total = sum(len(job[3]) for job in ordered)
    limit = max(1, min(CHUNK_BYTES, total // (workers * 4)))
    chunks: list[list[Job]] = []
    current: list[Job] = []
    size = 0
    for job in ordered:
        if current and size + len(job[3]) > limit:
            chunks.append(current)
            current, size = [], 0
        current.append(job)
        size += len(job[3])
    if current:
        chunks.append(current)
    return chunks


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    # fork shares the already built parser tables with the workers; elsewhere
    # (macOS, Windows) the platform default re-imports the package per worker.
    # A process with other threads (the language server) must not fork: a lock
    # one of them holds stays locked in the child, and the worker hangs.
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else None)


def _parse_in_pool(pending: list[Job], workers: int, cache: Optional[ParseCache], results: list[Any],
                   report: Callable[[int], None] = lambda n: None, notes: Optional[list[str]] = None) -> list[Job]:
    """Parse `pending` with `workers` parsers into `results`: worker processes
    take chunks from the front (largest first, at most two queued each) while
    this process, between collecting their results, parses chunks from the
    back, so it is one of the parsers instead of waiting. Returns the jobs
    that did not come back from the pool (it could not start, broke, or a
    chunk failed), to be parsed in this process; `notes` says why."""
    notes = notes if notes is not None else []
    context = _context()
    if context.get_start_method() == "fork" and any(job[2] != YAML for job in pending):
        _load_parser(cache)  # once, before the workers are forked
    home = cache.home if cache is not None else None
    left = {job[0]: job for job in pending}
    processes = max(1, workers - 1)  # this process is the other parser
    chunks = deque(_chunks(pending, workers))
    waiting: set = set()
    executor = None
    finished = False
    failed: list[str] = []  # how each chunk that did not come back failed

    def collect(done: set[Future[list[tuple[int, bytes]]]]) -> None:
        for future in done:
            try:
                returned = future.result()
            except BrokenProcessPool:
                raise
            except Exception as exc:  # noqa: BLE001 - e.g. MemoryError in the worker: this process parses the chunk
                failed.append(describe_exception(exc))
                continue
            for index, blob in returned:
                try:
                    results[index] = loads(blob)
                except Exception:  # noqa: BLE001 - left to parse in this process
                    continue
                del left[index]
            report(len(returned))

    try:
        executor = ProcessPoolExecutor(max_workers=processes, mp_context=context,
                                       initializer=_init_worker, initargs=(home, os.getpid()))
        while chunks or waiting:
            while chunks and len(waiting) < 2 * processes:
                waiting.add(executor.submit(_work, chunks.popleft()))  # starts a worker when one is missing
            done = {future for future in waiting if future.done()}
            if not done and chunks:
                chunk = chunks.pop()
                for job, (model, _) in zip(chunk, _parse_chunk(chunk, cache), strict=True):
                    results[job[0]] = model
                    del left[job[0]]
                report(len(chunk))
                continue
            if not done:
                done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
            waiting -= done
            collect(done)
        finished = True
    except Exception as exc:  # noqa: BLE001 - BrokenProcessPool, OSError from fork, MemoryError: never lose a file
        notes.append(f"the parser processes failed ({describe_exception(exc)}); "
                     f"{len(left)} files were parsed in this process instead")
    finally:
        if executor is not None:
            _stop(executor, clean=finished)
    for reason in dict.fromkeys(failed):
        notes.append(f"{failed.count(reason)} of the parser processes' tasks failed ({reason}); "
                     "their files were parsed in this process")
    return list(left.values())


def _stop(executor: ProcessPoolExecutor, clean: bool) -> None:
    """Shut the pool down; after Ctrl-C, an exception or a broken pool,
    terminate its workers first instead of waiting for their chunks."""
    if not clean:
        call_queue = getattr(executor, "_call_queue", None)
        if call_queue is not None:
            # Python 3.10: the pool's manager thread joins the thread feeding this queue,
            # which is stuck writing to the pipe the terminated workers no longer read.
            call_queue.cancel_join_thread()
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            with contextlib.suppress(Exception):  # already gone
                process.terminate()
    executor.shutdown(wait=clean, cancel_futures=True)

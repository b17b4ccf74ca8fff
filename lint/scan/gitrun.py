"""Running git on a repository that may be hostile.

The scanned repository is untrusted, and so is its `.git` when the tree came
from an archive or holds a checkout of someone else's: its config could name
programs for git to run (`core.fsmonitor = touch pwned` runs on every index
read), hooks, a pager, transports for a lazy fetch, or point git at files
outside the tree. Every git command of this tool goes through `run_git`,
which:

- names the repository explicitly (`--git-dir=<top>/.git --work-tree=<top>`)
  and drops every `GIT_*` variable of the environment but `GIT_EXEC_PATH` and
  `GIT_CONFIG_GLOBAL` (a hook's `GIT_DIR` or `GIT_INDEX_FILE` must not make
  us list another repository), so git never discovers a repository by
  itself: no embedded bare repository, no `core.worktree` elsewhere. (git's
  `safe.directory` ownership check applies to discovery only, so a checkout
  owned by another user, usual in CI containers, is listed too: that check
  guards against the config running programs, which the overrides below
  close for every repository);
- overrides, on the command line (which wins over every config file), each
  setting that makes git start a program: `core.fsmonitor`, `core.hooksPath`
  (the `post-index-change` hook), `core.pager`, `core.sshCommand`,
  `core.askPass`, `credential.helper`, `diff.external`,
  `core.alternateRefsCommand`; turns off the untracked cache, optional locks
  (git writes nothing) and, through `GIT_ALLOW_PROTOCOL` (which beats any
  `protocol.*.allow` in the repository's config) and `GIT_NO_LAZY_FETCH`,
  every transport, so a partial clone cannot fetch through a configured
  `ext::` remote or `uploadpack` program; no system config, no prompts;
- closes stdin, starts git in a session of its own and kills that whole
  process group when git runs past GIT_TIMEOUT_SECONDS or sits asleep without
  using any CPU time for GIT_STALL_SECONDS (Linux: a FIFO named `.gitignore`,
  `.git/info/exclude` or `.git/config` blocks git's open() forever); on Linux
  git also dies with this process (PR_SET_PDEATHSIG), so a killed scan leaves
  no `git ls-files` behind. The caller falls back to judging files on disk.

What the repository's config can still do: `include.path` and
`core.excludesFile` make git read other files of this machine, as config or
as ignore patterns; the settings read that way are overridden like the
repository's own, and ignore patterns only decide which of the repository's
own paths count as ignored, so nothing of those files reaches an output.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Optional

GIT_TIMEOUT_SECONDS = 60
GIT_STALL_SECONDS = 2.0
_POLL_SECONDS = 0.1

_HARDENING = (
    "--no-pager", "--no-optional-locks",
    "-c", "core.fsmonitor=false",
    "-c", "core.untrackedCache=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.pager=cat",
    "-c", "core.sshCommand=",
    "-c", "core.askPass=",
    "-c", "credential.helper=",  # an empty value empties the list of helpers
    "-c", "diff.external=",
    "-c", "core.alternateRefsCommand=",
    "-c", "submodule.recurse=false",
    "-c", "protocol.allow=never",
    "-c", "safe.bareRepository=explicit",
)
_KEPT_ENVIRONMENT = frozenset({"GIT_EXEC_PATH", "GIT_CONFIG_GLOBAL"})


class GitError(Exception):
    """git could not list a repository (not installed, refused, failed, hung)."""


def git_environment() -> dict[str, str]:
    """This process's environment without the caller's `GIT_*` settings,
    plus the switches that keep git from prompting, paging or fetching."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith("GIT_") or name in _KEPT_ENVIRONMENT}
    environment.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", PAGER="cat",
                       GIT_OPTIONAL_LOCKS="0", GIT_NO_LAZY_FETCH="1",
                       GIT_ALLOW_PROTOCOL="")  # set and empty: no transport is allowed, whatever the config says
    return environment


def run_git(args: list[str], work_tree: str, cwd: Optional[str] = None) -> bytes:
    """The standard output of `git <args>` for the repository whose work
    tree is `work_tree` (its `.git` is that of the work tree), run in `cwd`
    (default: the work tree). Raises GitError."""
    executable = shutil.which("git")
    if executable is None:
        raise GitError("git is not installed (not found on PATH)")
    dot_git = os.path.join(work_tree, ".git")
    if os.path.islink(dot_git):
        raise GitError(f"{dot_git} is a symbolic link, which is not followed")
    argv = [executable, *_HARDENING, f"--git-dir={dot_git}", f"--work-tree={work_tree}", *args]
    try:
        process = subprocess.Popen(
            argv, cwd=cwd or work_tree, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=git_environment(), start_new_session=True, preexec_fn=_die_with_parent(),
        )
    except OSError as error:
        raise GitError(f"git could not be run: {error}") from None
    stdout, stderr = _wait(process, args[0])
    if process.returncode != 0:
        message = stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} exited with {process.returncode}")
    return stdout


def _wait(process: subprocess.Popen, command: str) -> tuple[bytes, bytes]:
    deadline = time.monotonic() + GIT_TIMEOUT_SECONDS
    stall = _StallWatch(process.pid)
    while True:
        try:
            return process.communicate(timeout=_POLL_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        if time.monotonic() > deadline:
            reason = f"git {command} did not finish within {GIT_TIMEOUT_SECONDS} s"
        elif stall.stalled():
            reason = (f"git {command} was blocked for {GIT_STALL_SECONDS:g} s without doing any work "
                      "(a FIFO where git reads a file?)")
        else:
            continue
        _kill_group(process)
        raise GitError(reason)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)  # git and anything it started: its own session
        else:
            process.kill()
    except OSError:
        pass
    with contextlib.suppress(subprocess.TimeoutExpired):  # unkillable (a dead NFS mount): leave it, never wait forever
        process.communicate(timeout=5)


class _StallWatch:
    """Notices a git process that sleeps without using CPU time (Linux
    /proc; elsewhere it never fires and only the overall timeout applies)."""

    def __init__(self, pid: int):
        self.path = f"/proc/{pid}/stat"
        self.since: Optional[float] = None
        self.ticks: Optional[int] = None

    def stalled(self) -> bool:
        sample = self._sample()
        if sample is None:
            self.since = None
            return False
        state, ticks = sample
        now = time.monotonic()
        if state != "S" or ticks != self.ticks:
            self.since, self.ticks = (now if state == "S" else None), ticks
            return False
        if self.since is None:
            self.since = now
        return now - self.since >= GIT_STALL_SECONDS

    def _sample(self) -> Optional[tuple[str, int]]:
        try:
            with open(self.path, "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            return fields[0].decode("ascii", "replace"), int(fields[11]) + int(fields[12])  # state, utime + stime
        except (OSError, IndexError, ValueError):
            return None


_PRCTL: list = []  # the C library's prctl, looked up once (None off Linux)


def _prctl() -> Optional[Callable[..., int]]:
    if not _PRCTL:
        function = None
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                function = ctypes.CDLL(None, use_errno=True).prctl
            except (OSError, AttributeError):
                function = None
        _PRCTL.append(function)
    return _PRCTL[0]


def _die_with_parent() -> Optional[Callable[[], None]]:
    """A preexec function asking Linux to kill git when this process dies
    (SIGKILL of a scan must not leave git blocked on a FIFO for ever)."""
    prctl = _prctl()
    if prctl is None:
        return None
    parent = os.getpid()
    set_death_signal = 1  # PR_SET_PDEATHSIG

    def arm() -> None:
        prctl(set_death_signal, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)

    return arm

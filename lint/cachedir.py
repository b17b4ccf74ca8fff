"""The per-user cache directory and its key: where the parse cache
(parse/cache.py), the result cache (engine/resultcache.py) and parse tables
built at run time (parse/tables.py) are kept.

Where: `$IACM_LINT_CACHE_DIR` if set (a relative path is taken from the
current directory), else `$XDG_CACHE_HOME/iacm-lint` (an absolute one, as
the XDG spec asks), else `~/.cache/iacm-lint`.

The scanned repository is untrusted (issue 25): anything it could write into
the cache would otherwise decide what the scan reports. So `user_cache()`
uses the directory only when
- it is not inside the scanned directory (`.iacm-lint-cache/` in the
  checkout, a relative `$IACM_LINT_CACHE_DIR`): a repository could commit it;
- it is a real directory (not a symbolic link), owned by this user and not
  writable by group or others; it is created 0700, and an existing one open
  to reading by others (older versions made it 0755) is closed to 0700;
- it holds, or can be given, the per-user key: 32 random bytes in `key`,
  0600, created atomically (written to a temporary file and hard-linked into
  place, so concurrent first runs agree on one key). A key file that is not
  exactly that (another mode, owner or size, a link) is replaced, which only
  turns every entry into a miss.
Otherwise the scan runs without cache: `--verbose` says why, and so does a
one-line warning on stderr when `$IACM_LINT_CACHE_DIR` was set explicitly.

Every file the cache writes is 0600 (the SQLite database and its -wal/-shm
side files, result files, tables, the key) and every entry is checked with
a MAC under the per-user key: an entry the repository, another user or
another key made, or a damaged one, is a miss and is rewritten. Lookup keys
are MACs under the key too, so another local user cannot confirm a guessed
file content (a secret) by computing its key.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import sys
from typing import Optional

KEY_FILE = "key"
_KEY_SIZE = 32


def default_directory() -> str:
    explicit = os.environ.get("IACM_LINT_CACHE_DIR")
    if explicit:
        return os.path.abspath(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # unset, or relative: invalid per the XDG spec
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "iacm-lint")


class UserCache:
    """A checked cache directory and its per-user key (see the module
    docstring). Picklable: pool workers get it from their parent."""

    def __init__(self, directory: str, key: bytes):
        self.directory = directory
        self.key = key

    def subkey(self, purpose: str) -> bytes:
        return hashlib.blake2b(purpose.encode(), key=self.key, digest_size=32).digest()

    def mac(self, purpose: str, *parts: bytes) -> bytes:
        h = hmac.new(self.subkey(purpose), digestmod=hashlib.sha256)
        for part in parts:
            h.update(len(part).to_bytes(8, "little"))
            h.update(part)
        return h.digest()

    def read_sealed(self, name: str, purpose: str) -> Optional[bytes]:
        """The data of a file `write_sealed` wrote under `name` (relative to
        the directory), or None: missing, damaged, or not sealed with this key
        for this name and purpose."""
        try:
            content = _read_private(os.path.join(self.directory, name))
        except OSError:
            return None
        mac, newline, data = content.partition(b"\n")
        expected = self.mac(purpose, name.encode("utf-8", "surrogateescape"), data).hex().encode()
        return data if newline and hmac.compare_digest(mac, expected) else None

    def write_sealed(self, name: str, purpose: str, data: bytes) -> bool:
        """Write `data` under `name` with its MAC, atomically and 0600; False
        when it cannot be written (the next run misses, this one goes on)."""
        mac = self.mac(purpose, name.encode("utf-8", "surrogateescape"), data).hex().encode()
        return write_private(os.path.join(self.directory, name), mac + b"\n" + data)


def user_cache(scan_root: Optional[str] = None, notes: Optional[list[str]] = None) -> Optional[UserCache]:
    """The cache directory to use for a scan of `scan_root`, or None (and why
    in `notes`) when there is none that a repository cannot have written."""
    directory = default_directory()
    problem = None
    if scan_root is not None and _inside(directory, scan_root):
        problem = f"is inside the scanned directory {scan_root}"
    else:
        problem = _prepare_directory(directory)
    key = None
    if problem is None:
        key = _user_key(directory)
        if key is None:
            problem = "has no usable key file and none can be created"
    if key is not None:  # and so no problem
        return UserCache(directory, key)
    message = f"cache directory {directory} {problem}: scanning without cache"
    if notes is not None:
        notes.append(message)
    if os.environ.get("IACM_LINT_CACHE_DIR"):
        _warn_once(message + " (check $IACM_LINT_CACHE_DIR)")
    return None


_WARNED: set[str] = set()


def _warn_once(message: str) -> None:
    """An explicitly chosen cache directory that cannot be used is worth one
    line on stderr without --verbose: the user expects it to be used."""
    if message not in _WARNED:
        _WARNED.add(message)
        sys.stderr.write(f"iacm-lint: warning: {message}\n")


def _inside(directory: str, root: str) -> bool:
    real_directory, real_root = os.path.realpath(directory), os.path.realpath(root)
    try:
        return os.path.commonpath([real_directory, real_root]) == real_root
    except ValueError:  # different drives
        return False


def _owner_checks() -> bool:
    return hasattr(os, "geteuid")  # POSIX: modes and owners mean something


def _prepare_directory(directory: str) -> Optional[str]:
    """Create `directory` (0700) if needed; what is wrong with it, or None."""
    try:
        os.makedirs(os.path.dirname(directory), exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(directory, 0o700)
        info = os.lstat(directory)
    except OSError as exc:
        return f"cannot be created ({exc.strerror})"
    import stat

    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a directory"
    if _owner_checks():
        if info.st_uid != os.geteuid():
            return "belongs to another user"
        if info.st_mode & 0o022:
            return "is writable by other users"
        if info.st_mode & 0o077:
            try:
                os.chmod(directory, 0o700)  # ours, and nobody else could write into it: close it
            except OSError as exc:
                return f"cannot be made private ({exc.strerror})"
    return None


def _user_key(directory: str) -> Optional[bytes]:
    path = os.path.join(directory, KEY_FILE)
    for _ in range(3):
        try:
            return _read_private(path, _KEY_SIZE)
        except FileNotFoundError:
            replace = False  # none yet
        except OSError:
            replace = True  # unusable: a link, another owner, mode or size
        if not _create_key(path, replace):
            return None
    return None


def _create_key(path: str, replace: bool) -> bool:
    """Put a new random key at `path`, written to a temporary file first.
    A missing key is hard-linked into place, which fails if a concurrent
    first run linked its key first: then both read that one. An unusable key
    is replaced."""
    import tempfile

    try:
        fd, temporary = tempfile.mkstemp(prefix=".key-", dir=os.path.dirname(path))  # 0600
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(_KEY_SIZE))
        if replace:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
            except OSError:  # no hard links on this file system
                os.replace(temporary, path)
        return True
    except OSError:
        return False
    finally:
        discard_file(temporary)


def _read_private(path: str, size: Optional[int] = None) -> bytes:
    """The bytes of `path`, a regular file of this user's that nobody else
    can read or write, never through a symbolic link and never blocking on a
    FIFO; OSError otherwise. `size`: the exact size it must have."""
    import errno
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        if _owner_checks() and (info.st_uid != os.geteuid() or info.st_mode & 0o077):
            raise OSError(errno.EPERM, "not a private file of this user", path)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read()
        if size is not None and len(data) != size:
            raise OSError(errno.EINVAL, "not the expected size", path)
        return data
    finally:
        os.close(fd)


def write_private(path: str, data: bytes) -> bool:
    """Write `path` atomically (a temporary file in its directory, 0600,
    then renamed over it), creating its directory 0700; False on failure."""
    import tempfile

    directory = os.path.dirname(path)
    try:
        os.mkdir(directory, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    try:
        fd, temporary = tempfile.mkstemp(prefix=".write-", suffix=".tmp", dir=directory)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
        return True
    except OSError:
        discard_file(temporary)
        return False


def discard_file(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)

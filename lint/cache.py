"""Content-hash cache of parsed models, and the compact codec that both the
cache and the process pool use to move models between processes.

Where: `$IACM_LINT_CACHE_DIR` if set, else `$XDG_CACHE_HOME/iacm-lint`, else
`~/.cache/iacm-lint`. Not a folder in the scanned repository: a cache entry
is a pickle, and a pickle that a pull request could commit into the repository
would run code in CI when loaded; a per-user folder also keeps scans of
read-only checkouts working and leaves `git status` clean.

Key: BLAKE2b of (codec salt, file kind, relative path, file bytes). The salt
covers the tool version, `hcl.parser_version()`, the Python version and a
hash of the modules that shape the model (model, hcl, jsonpos, yamlmodel,
textio, limits, engine, cache), so a changed parser or model never reads an old entry. The relative
path is part of the key because every Span carries it.

Entries: rows of one SQLite database, `<dir>/models-v3.sqlite` (stdlib
sqlite3, WAL mode): each parser writes a chunk of entries in one transaction
and reads in batched queries, so concurrent runs and pool workers never see
half an entry, and one file beats a file per
entry (creating 1,700 small files cost more than a second of a cold scan).
Each entry is sealed (see "sealing" below): encrypted with a key derived
from the file's bytes, with a MAC, so the cache holds no readable literal
(secrets in .tf files stay secret) and a value that does not check out
(truncated, flipped bits, another format, tampered) counts as a miss and is
rewritten after parsing; a database file that SQLite cannot read is deleted
and created again. Loading uses a restricted unpickler that only resolves
this module's constructors and the model's NOT_LITERAL marker.

Old entries are never read again once the salt changes; delete the folder to
reclaim the space (`rm -rf ~/.cache/iacm-lint`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import io
import operator
import os
import pickle
import sqlite3
import sys
import threading
from typing import Any, Optional

from . import model as _model

FORMAT = "v3"
_MAGIC = b"IACMLC3\n"
_DIGEST_SIZE = 16
MISS: Any = object()  # returned by ParseCache.get when there is no usable entry

# ---- codec ------------------------------------------------------------------
# Frozen slotted dataclasses pickle through dataclasses' generic __setstate__,
# which calls fields() and object.__setattr__ per object: ~3x slower to load
# than this codec, whose reducers store the field values as one tuple and
# whose constructors set the slots directly (no __init__, no frozen checks).

_CLASSES = (_model.Span, _model.StringPart, _model.Expr, _model.Attribute, _model.Block, _model.Comment,
            _model.ParseError, _model.HclFile, _model.YNode, _model.YamlFile)


def _constructor(cls: type):
    names = [f.name for f in dataclasses.fields(cls)]
    slots = [cls.__dict__.get(name) for name in names]
    direct = hasattr(cls, "__slots__") and not hasattr(cls, "__post_init__") \
        and all(hasattr(s, "__set__") for s in slots)
    if not direct:  # a class without slots or with validation: go through __init__
        def build(*values):
            return cls(*values)
    else:
        args = ", ".join(f"a{i}" for i in range(len(names)))
        body = "".join(f"    s{i}(o, a{i})\n" for i in range(len(names)))
        namespace = {"new": object.__new__, "cls": cls, **{f"s{i}": s.__set__ for i, s in enumerate(slots)}}
        exec(f"def build({args}):\n    o = new(cls)\n{body}    return o\n", namespace)  # noqa: S102 - fixed template
        build = namespace["build"]
    build.__name__ = build.__qualname__ = f"_new_{cls.__name__}"
    build.__module__ = __name__
    return build, operator.attrgetter(*names)


_DISPATCH: dict[type, Any] = {}
for _cls in _CLASSES:
    _build, _getter = _constructor(_cls)
    globals()[_build.__name__] = _build
    _DISPATCH[_cls] = (lambda build, getter: lambda obj: (build, getter(obj)))(_build, _getter)
_ALLOWED = frozenset(f"_new_{cls.__name__}" for cls in _CLASSES)


def dumps(obj: Any) -> bytes:
    """Serialise a parsed model (HclFile, YamlFile or None)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(obj)
    return buffer.getvalue()


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if module == __name__ and name in _ALLOWED:
            return globals()[name]
        if module == _model.__name__ and name == "_NotLiteral":
            return _model._NotLiteral
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a model")


def loads(data: bytes) -> Any:
    return _Unpickler(io.BytesIO(data)).load()


# ---- cache ------------------------------------------------------------------


def default_directory() -> str:
    explicit = os.environ.get("IACM_LINT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "iacm-lint")


_SALT: Optional[bytes] = None


def salt() -> bytes:
    """Everything besides the file itself that decides its model."""
    global _SALT
    if _SALT is None:
        from . import __version__
        from .hcl import parser_version

        h = hashlib.blake2b(digest_size=16)
        h.update(f"{FORMAT}|{__version__}|{parser_version()}|{sys.version_info[:2]}".encode())
        here = os.path.dirname(os.path.abspath(__file__))
        for name in ("model.py", "hcl.py", "jsonpos.py", "yamlmodel.py", "textio.py", "limits.py", "engine.py", "cache.py"):
            try:
                with open(os.path.join(here, name), "rb") as handle:
                    h.update(name.encode() + b"\0" + handle.read())
            except OSError:
                h.update(name.encode() + b"\0missing")
        _SALT = h.digest()
    return _SALT


def content_key(data: bytes, rel_path: str, kind: str) -> str:
    h = hashlib.blake2b(salt(), digest_size=20)
    h.update(f"{kind}\0{rel_path}\0".encode())
    h.update(data)
    return h.hexdigest()


class ParseCache:
    """One SQLite file of sealed entries (key -> sealed model). `get` and
    `put` never raise: a locked, unwritable or damaged database costs cache
    hits, never the scan. One connection per thread (and per process: pool
    workers open their own)."""

    def __init__(self, directory: Optional[str] = None):
        self.folder = directory or default_directory()
        self.path = os.path.join(self.folder, f"models-{FORMAT}.sqlite")
        self.usable = True
        self.hits = self.misses = self.rejected = 0
        self._local = threading.local()
        self._reset_done = False

    def _connect(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            os.makedirs(self.folder, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)  # autocommit; put_many opens its own transaction
            try:
                connection.execute("PRAGMA journal_mode=WAL")  # readers never wait for writers
                connection.execute("PRAGMA synchronous=NORMAL")  # a cache needs no fsync per write
                connection.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
            except BaseException:
                connection.close()
                raise
            self._local.connection = connection
        return connection

    def _run(self, work):
        """`work(connection)`, once more after a damaged database file is
        deleted and created again (once per ParseCache); anything else
        disables the cache for this run. Returns None when it could not run."""
        if not self.usable:
            return None
        for attempt in (1, 2):
            try:
                return work(self._connect())
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    return None  # another run holds the write lock for too long: skip these entries
                if attempt == 2 or not self._recreate():
                    break
            except (sqlite3.DatabaseError, OSError):
                if attempt == 2 or not self._recreate():
                    break
        self.usable = False
        return None

    def _recreate(self) -> bool:
        if self._reset_done:
            return False
        self._reset_done = True
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.close()
        for suffix in ("", "-wal", "-shm"):
            _unlink(self.path + suffix)
        return True

    def get(self, key: str, source: bytes) -> Any:
        """The model cached under `key` for the file bytes `source`, or MISS."""
        return self.get_many([(key, source)])[0]

    def get_many(self, wanted: list[tuple[str, bytes]]) -> list[Any]:
        """For each (key, file bytes): its cached model or MISS. One query
        per _BATCH keys: 1,700 single lookups cost a tenth of a warm scan."""
        stored: dict[str, bytes] = {}
        for start in range(0, len(wanted), _BATCH):
            keys = [key for key, _ in wanted[start:start + _BATCH]]
            query = f"SELECT key, value FROM entries WHERE key IN ({','.join('?' * len(keys))})"
            stored.update(self._run(lambda c: c.execute(query, keys).fetchall()) or ())
        return [self._model(stored.get(key), source) for key, source in wanted]

    def _model(self, entry: Optional[bytes], source: bytes) -> Any:
        if entry is None:
            self.misses += 1
            return MISS
        payload = unseal(entry, source)
        if payload is not None:
            try:
                value = loads(payload)
            except Exception:  # noqa: BLE001 - any damage is a miss; the entry is rewritten
                value = MISS
            if value is None or isinstance(value, (_model.HclFile, _model.YamlFile)):
                self.hits += 1
                return value
        self.rejected += 1
        return MISS

    def put(self, key: str, source: bytes, payload: bytes) -> None:
        self.put_many([(key, source, payload)])

    def put_many(self, entries: list[tuple[str, bytes, bytes]]) -> None:
        """Store (key, file bytes, encoded model) entries in one transaction:
        a transaction per file cost a third of a millisecond each."""
        rows = [(key, seal(payload, source)) for key, source, payload in entries]
        if rows:
            self._run(lambda c: _write(c, "INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", rows))

    def keys(self) -> list[str]:
        """Every stored key (tests, maintenance)."""
        if not os.path.exists(self.path):
            return []
        return sorted(row[0] for row in self._connect().execute("SELECT key FROM entries"))


_BATCH = 500  # keys per SELECT (SQLite allows at least 999 parameters)


def _write(connection: sqlite3.Connection, statement: str, rows: list[tuple]) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.executemany(statement, rows)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


# ---- sealing ------------------------------------------------------------------
# A model holds the file's literal strings, secrets included. Entries are
# encrypted with a key derived from the file's bytes (never stored, and not
# derivable from the lookup key, which hashes the bytes under another salt):
# the cache reveals nothing that the source file itself would not. Cipher:
# XOR with a SHAKE-256 keystream of (seal key); one key per content, and the
# same content always gives the same plaintext. Integrity: a BLAKE2b MAC of
# the ciphertext under the seal key, so damage and tampering are misses.


def seal_key(source: bytes) -> bytes:
    return hashlib.blake2b(source, key=b"iacm-lint seal " + FORMAT.encode(), digest_size=32).digest()


def _keystream_xor(data: bytes, key: bytes) -> bytes:
    stream = hashlib.shake_256(key).digest(len(data))
    return (int.from_bytes(data, "little") ^ int.from_bytes(stream, "little")).to_bytes(len(data), "little")


def seal(payload: bytes, source: bytes) -> bytes:
    key = seal_key(source)
    ciphertext = _keystream_xor(payload, key)
    return _MAGIC + hashlib.blake2b(ciphertext, key=key, digest_size=_DIGEST_SIZE).digest() + ciphertext


def unseal(data: bytes, source: bytes) -> Optional[bytes]:
    """The payload of an entry, or None when it is damaged, tampered with or
    was sealed for other file bytes."""
    head = len(_MAGIC) + _DIGEST_SIZE
    if len(data) <= head or not data.startswith(_MAGIC):
        return None
    key = seal_key(source)
    ciphertext = data[head:]
    mac = hashlib.blake2b(ciphertext, key=key, digest_size=_DIGEST_SIZE).digest()
    if not hmac.compare_digest(mac, data[len(_MAGIC):head]):
        return None
    return _keystream_xor(ciphertext, key)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass

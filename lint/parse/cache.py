"""The content-hash cache of parsed models, in the per-user cache
directory (cachedir.py: where, who may write it, the key), and the compact
codec that both the cache and the process pool use to move models between
processes.

Parse cache: rows of one SQLite database, `<dir>/models-v4.sqlite` (stdlib
sqlite3, WAL mode): each parser writes a chunk of entries in one transaction
and reads in batched queries, so concurrent runs and pool workers never see
half an entry, and one file beats a file per entry (creating 1,700 small
files cost more than a second of a cold scan). A database file that SQLite
cannot read is deleted and created again.

Lookup key: a MAC of (codec salt, file kind, relative path, file bytes). The
salt covers the tool version, the parse tables' identity (grammar, lark and
python-hcl2 versions) for HCL, the Python version and a hash of what a
model can depend on: every file, code and data, of the parse layer and the
layers below it (parse/, model/, knowledge/) and the package's top-level modules,
so a changed parser or model never reads an old entry, while a change
above (rules, filters, reporters, the engine) keeps the cache. The relative
path is part of the key because every Span carries it.

Sealing: a model holds the file's literal strings, secrets included. An
entry is encrypted with a key derived from the file's bytes and the per-user
key, so even a copy of the whole cache directory (key included, e.g. a CI
cache archive) shows no literal to someone without the source file. Loading
uses a restricted unpickler that only resolves this module's constructors and
the model's NOT_LITERAL marker, and only after the MAC checked out.

Old entries are never read again once the salt changes; delete the folder to
reclaim the space (`rm -rf ~/.cache/iacm-lint`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import io
import json
import operator
import os
import pickle
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional, TypeVar

from .. import __version__
from ..cachedir import UserCache, discard_file
from ..model import expressions as _expressions, syntax as _model
from .tables import identity

if TYPE_CHECKING:  # sqlite3 loads only when the cache is used
    import sqlite3

T = TypeVar("T")

FORMAT = "v4"
_MAGIC = b"IACMLC4\n"
_DIGEST_SIZE = 32
MISS: Any = object()  # returned by ParseCache.get when there is no usable entry

# ---- codec ------------------------------------------------------------------
# Frozen slotted dataclasses pickle through dataclasses' generic __setstate__,
# which calls fields() and object.__setattr__ per object: ~3x slower to load
# than this codec, whose reducers store the field values as one tuple and
# whose constructors set the slots directly (no __init__, no frozen checks).

_CLASSES = (_model.Span, _model.StringPart, _model.Expr, _model.Attribute, _model.Block, _model.Comment,
            _model.ParseError, _model.HclFile, _model.YNode, _model.YamlFile, _expressions.Node)


def _constructor(cls: type) -> tuple[Callable[..., Any], Callable[[Any], Any]]:
    names = [f.name for f in dataclasses.fields(cls)]
    slots: list[Any] = [cls.__dict__.get(name) for name in names]  # member descriptors, for slotted classes
    direct = hasattr(cls, "__slots__") and not hasattr(cls, "__post_init__") \
        and all(hasattr(s, "__set__") for s in slots)
    if not direct:  # a class without slots or with validation: go through __init__
        def build(*values: Any) -> Any:
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
    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name in _ALLOWED:
            return globals()[name]
        if module == _model.__name__ and name == "_NotLiteral":
            return _model._NotLiteral
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a model")


def loads(data: bytes) -> Any:
    return _Unpickler(io.BytesIO(data)).load()


# ---- the parse cache -----------------------------------------------------------------

# The installed code and data of this process, hashed once per process
# (they are the same for every scan it runs); per grammar, as YAML scans never import lark.
_SALT: dict[bool, bytes] = {}
_SOURCES: list[bytes] = []


def salt(kind: str) -> bytes:
    """Everything besides the file itself that decides its model."""
    grammar = kind != _model.YAML
    if grammar not in _SALT:
        h = hashlib.blake2b(digest_size=16)
        h.update(f"{FORMAT}|{__version__}|{sys.version_info[:2]}".encode())
        if grammar:  # HCL: the parse tables too (YAML scans never import lark)
            h.update(json.dumps(identity(), sort_keys=True).encode())
        h.update(_sources_digest())
        _SALT[grammar] = h.digest()
    return _SALT[grammar]


def _sources_digest() -> bytes:
    if not _SOURCES:
        h = hashlib.blake2b(digest_size=16)
        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        for name in model_sources(package):
            try:
                with open(os.path.join(package, name), "rb") as handle:
                    h.update(name.encode() + b"\0" + handle.read())
            except OSError:
                h.update(name.encode() + b"\0missing")
        _SOURCES.append(h.digest())
    return _SOURCES[0]


# The layers whose code shapes a parsed model: by the import contracts
# (pyproject.toml) the parse layer imports only these and the top-level leaf
# modules.
MODEL_LAYERS = ("parse", "model", "knowledge")


def model_sources(package: str) -> list[str]:
    """The files (relative to the package directory `package`) that a parsed
    model can depend on: the whole folders of MODEL_LAYERS, code and package
    data alike, and the package's top-level modules, in a stable order."""
    found = [name for name in os.listdir(package) if name.endswith(".py")]
    for layer in MODEL_LAYERS:
        for current, directories, names in os.walk(os.path.join(package, layer)):
            directories[:] = [d for d in directories if d != "__pycache__"]
            found.extend(os.path.relpath(os.path.join(current, name), package).replace(os.sep, "/")
                         for name in names if not name.endswith((".pyc", ".tmp")))
    return sorted(found)


class ParseCache:
    """One SQLite file of sealed entries (lookup key -> sealed model) in a
    UserCache directory. `get` and `put` never raise: a locked, unwritable
    or damaged database costs cache hits, never the scan. One connection per
    thread (and per process: pool workers open their own)."""

    def __init__(self, home: UserCache):
        self.home = home
        self.path = os.path.join(home.directory, f"models-{FORMAT}.sqlite")
        self.usable = True
        self.hits = self.misses = self.rejected = 0
        self._local = threading.local()
        self._reset_done = False
        self._lookup_key = home.subkey("parse cache lookup")
        self._seal_key = home.subkey("parse cache seal")
        self._mac_key = home.subkey("parse cache mac")

    def key(self, data: bytes, rel_path: str, kind: str) -> str:
        """The lookup key of a file: a MAC, so that nobody without the
        per-user key can tell which contents the cache holds."""
        h = hashlib.blake2b(salt(kind), key=self._lookup_key, digest_size=20)
        h.update(f"{kind}\0{rel_path}\0".encode("utf-8", "surrogateescape"))
        h.update(data)
        return h.hexdigest()

    def _connect(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            import sqlite3

            _create_private_file(self.path)  # SQLite gives its -wal/-shm/-journal files the database's mode
            # autocommit; put_many opens its own transaction
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode=WAL")  # readers never wait for writers
                connection.execute("PRAGMA synchronous=NORMAL")  # a cache needs no fsync per write
                connection.execute("CREATE TABLE IF NOT EXISTS entries"
                                   " (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
            except BaseException:
                connection.close()
                raise
            self._local.connection = connection
        return connection

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> Optional[T]:
        """`work(connection)`, once more after a damaged database file is
        deleted and created again (once per ParseCache); anything else
        disables the cache for this run. Returns None when it could not run."""
        import sqlite3

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
        for suffix in ("", "-wal", "-shm", "-journal"):
            discard_file(self.path + suffix)
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
            # B023: _run calls the lambda at once, within this iteration
            stored.update(self._run(lambda c: c.execute(query, keys).fetchall()) or ())  # noqa: B023
        return [self._model(key, stored.get(key), source) for key, source in wanted]

    def _model(self, key: str, entry: Optional[bytes], source: bytes) -> Any:
        if entry is None:
            self.misses += 1
            return MISS
        payload = self.unseal(key, entry, source)
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
        rows = [(key, self.seal(key, payload, source)) for key, source, payload in entries]
        if rows:
            self._run(lambda c: _write(c, "INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", rows))

    def keys(self) -> list[str]:
        """Every stored key (tests, maintenance)."""
        if not os.path.exists(self.path):
            return []
        return sorted(row[0] for row in self._connect().execute("SELECT key FROM entries"))

    # Sealing. Cipher: XOR with a SHAKE-256 keystream of a key derived from
    # the file's bytes and the per-user key (one key per content; the same
    # content always gives the same plaintext). Integrity: a MAC under the
    # per-user key of the lookup key, the cipher key and the ciphertext, so
    # damage, tampering, an entry moved to another key, another user's
    # entries and other file bytes are misses.

    def _cipher_key(self, source: bytes) -> bytes:
        return hashlib.blake2b(source, key=self._seal_key, digest_size=32).digest()

    def _mac(self, key: str, cipher_key: bytes, ciphertext: bytes) -> bytes:
        h = hashlib.blake2b(key=self._mac_key, digest_size=_DIGEST_SIZE)
        for part in (key.encode(), cipher_key, ciphertext):
            h.update(len(part).to_bytes(8, "little") + part)
        return h.digest()

    def seal(self, key: str, payload: bytes, source: bytes) -> bytes:
        cipher_key = self._cipher_key(source)
        ciphertext = _keystream_xor(payload, cipher_key)
        return _MAGIC + self._mac(key, cipher_key, ciphertext) + ciphertext

    def unseal(self, key: str, data: bytes, source: bytes) -> Optional[bytes]:
        """The payload of an entry, or None when it is damaged, tampered with,
        stored under another key or sealed for other file bytes."""
        head = len(_MAGIC) + _DIGEST_SIZE
        if not isinstance(data, bytes) or len(data) <= head or not data.startswith(_MAGIC):
            return None
        cipher_key = self._cipher_key(source)
        ciphertext = data[head:]
        if not hmac.compare_digest(self._mac(key, cipher_key, ciphertext), data[len(_MAGIC):head]):
            return None
        return _keystream_xor(ciphertext, cipher_key)


_BATCH = 500  # keys per SELECT (SQLite allows at least 999 parameters)


def _write(connection: sqlite3.Connection, statement: str, rows: list[tuple[Any, ...]]) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.executemany(statement, rows)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _keystream_xor(data: bytes, key: bytes) -> bytes:
    stream = hashlib.shake_256(key).digest(len(data))
    return (int.from_bytes(data, "little") ^ int.from_bytes(stream, "little")).to_bytes(len(data), "little")


def _create_private_file(path: str) -> None:
    """Create `path` empty and 0600 if it does not exist (0600 too if it
    does, e.g. restored without its mode), never through a link."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        return  # sqlite3.connect reports what is wrong
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
    except OSError:
        pass
    finally:
        os.close(fd)

"""Caches a repository (or another local user) could poison (issue 25, item 3).

The scanned repository is untrusted, and so is anything it could have
written: a cache directory inside the checkout, a pickle, an entry whose
integrity check can be computed from public data. Every test here failed on
the code before the per-user key: the grammar tables were a pickle loaded
from the cache directory (wherever it was), parse-cache entries were sealed
with a key derived from the file's bytes, result-cache files were plain JSON,
and files were created with the default umask (0644, world-readable)."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import sqlite3
import stat
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import iacm_lint
from iacm_lint import cachedir
from iacm_lint.cli import main
from iacm_lint.engine import resultcache
from iacm_lint.model.syntax import TF
from iacm_lint.parse import cache as cache_mod
from iacm_lint.parse.hcl import parse_hcl
from iacm_lint.report import FORMATS

HOSTILE_TF = '''terraform {
  backend "local" {
    path = "terraform.tfstate"
  }
}

provider "aws" {
  access_key = "AKIAIOSFODNN7EXAMPL3"
}

variable "db_password" {
  default = "Tr0ub4dor-and-3"
}
'''
ERRORS = [
    'main.tf:2:3: error: backend "local" in main.tf is committed and overrides the workspace\'s backend during '
    'remote execution; remove it or git-ignore main.tf [IACM106]',
    'main.tf:8:3: error: provider "aws" sets "access_key" to an AWS access key id (AKIA…); remove it, rotate it '
    'and set AWS_ACCESS_KEY_ID in the Harness workspace instead [IACM202]',
    'main.tf:12:3: error: variable "db_password" has a literal password as its default (…); remove the default '
    'and set the value as a secret variable of the Harness workspace [IACM204]',
]
BENIGN_TF = 'terraform {\n  required_version = ">= 1.8.0"\n}\n'
ATTACK_MARKER = "pwned"


@pytest.fixture()
def repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.tf").write_text(HOSTILE_TF)
    return root


@pytest.fixture()
def settled(monkeypatch):
    monkeypatch.setattr(resultcache, "RACY_SECONDS", 0)  # files written seconds ago may be stored


def errors(*args: str, env: dict | None = None) -> list[str]:
    result = CliRunner(env=env).invoke(main, ["check", *args, "--format", "gcc", "--select", "IACM1,IACM2"])
    assert result.exit_code in (0, 1), result.output
    return [line for line in result.stdout.splitlines() if ": error: " in line]


def child_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("IACM_LINT_CACHE_DIR", "XDG_CACHE_HOME")}
    return {**env, "NO_COLOR": "1", **extra}


def check_in_child(cwd: Path, env: dict) -> subprocess.CompletedProcess:
    """A fresh process: the parser tables are loaded once per process."""
    return subprocess.run([sys.executable, "-m", "iacm_lint", "check", ".", "--format", "gcc", "--jobs", "1"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


# ---- a cache directory inside the scanned tree --------------------------------------


class _RunsCode:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _plant_pickles(directory: Path, marker: Path) -> None:
    """Pickles under every name the tool ever loaded grammar tables from."""
    import hcl2
    import lark

    grammar = (Path(hcl2.__file__).parent / "hcl2.lark").read_bytes()
    digest = hashlib.blake2b(grammar, digest_size=8).hexdigest()
    python = f"{sys.version_info[0]}{sys.version_info[1]}"
    name = f"grammar-python-hcl2-{metadata.version('python-hcl2')}-lark-{lark.__version__}-py{python}-{digest}.pickle"
    directory.mkdir(parents=True)
    for planted in (name, "hcl2-tables.json", "key"):
        (directory / planted).write_bytes(pickle.dumps(_RunsCode(marker)))


@pytest.mark.parametrize("variable, value, cache", [
    ("IACM_LINT_CACHE_DIR", ".iacm-lint-cache", ".iacm-lint-cache"),  # the folder the docs once suggested
    ("XDG_CACHE_HOME", ".", "iacm-lint"),  # a relative XDG_CACHE_HOME lands in the checkout
])
def test_a_committed_pickle_in_an_in_repo_cache_directory_never_runs(tmp_path, repo, variable, value, cache):
    marker = tmp_path / ATTACK_MARKER
    _plant_pickles(repo / cache, marker)
    planted = sorted(p.name for p in (repo / cache).iterdir())
    done = check_in_child(repo, child_env(**{variable: value}, HOME=str(tmp_path / "home")))
    assert not marker.exists()
    assert [line for line in done.stdout.splitlines() if ": error: " in line] == ERRORS
    assert sorted(p.name for p in (repo / cache).iterdir()) == planted  # nothing read from or written into it
    if variable == "IACM_LINT_CACHE_DIR":  # chosen explicitly: one line says why it is not used
        assert done.stderr == (f"iacm-lint: warning: cache directory {repo / cache} is inside the scanned directory "
                               f"{repo}: scanning without cache (check $IACM_LINT_CACHE_DIR)\n")
    else:  # a relative XDG_CACHE_HOME is invalid (XDG spec) and ignored: the default under HOME is used
        assert done.stderr == ""
        assert (tmp_path / "home" / ".cache" / "iacm-lint" / "key").is_file()


def test_the_default_cache_directory_inside_the_scanned_tree_is_noted_under_verbose(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "infra").mkdir(parents=True)
    (home / "infra" / "main.tf").write_text(HOSTILE_TF)
    monkeypatch.delenv("IACM_LINT_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    quiet = CliRunner().invoke(main, ["check", str(home), "--format", "gcc"])
    assert quiet.stderr == ""
    verbose = CliRunner().invoke(main, ["check", str(home), "--format", "gcc", "--verbose"])
    assert (f"iacm-lint: cache directory {home / '.cache' / 'iacm-lint'} is inside the scanned directory {home}: "
            "scanning without cache\n") in verbose.stderr
    assert not (home / ".cache").exists()
    assert errors(str(home / "infra")) == ERRORS  # a scan of a folder beside it uses the cache
    assert (home / ".cache" / "iacm-lint" / "key").is_file()


def test_a_cache_directory_that_is_a_symbolic_link_is_not_used(tmp_path, repo, monkeypatch):
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(target)
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(tmp_path / "link"))
    result = CliRunner().invoke(main, ["check", str(repo), "--format", "gcc"])
    assert result.stderr == (f"iacm-lint: warning: cache directory {tmp_path / 'link'} is a symbolic link: "
                             "scanning without cache (check $IACM_LINT_CACHE_DIR)\n")
    assert list(target.iterdir()) == []


@pytest.mark.parametrize("problem", ["group-writable", "world-writable", "another user"])
def test_a_cache_directory_others_can_write_to_is_not_used(tmp_path, repo, monkeypatch, problem):
    directory = tmp_path / "shared-cache"
    directory.mkdir()
    directory.chmod({"group-writable": 0o770, "world-writable": 0o777, "another user": 0o700}[problem])
    if problem == "another user":
        owner = directory.stat().st_uid
        monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(directory))
    notes: list[str] = []
    assert cachedir.user_cache(str(repo), notes) is None
    reason = "belongs to another user" if problem == "another user" else "is writable by other users"
    assert notes == [f"cache directory {directory} {reason}: scanning without cache"]
    assert list(directory.iterdir()) == []


def test_an_existing_cache_directory_readable_by_others_is_closed(tmp_path, monkeypatch):
    directory = tmp_path / "old-cache"
    directory.mkdir()
    directory.chmod(0o755)  # what older versions created
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(directory))
    assert cachedir.user_cache() is not None
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700


# ---- file modes -------------------------------------------------------------------------


def test_every_cache_file_is_private_to_the_user(cache_dir, settled, repo):
    previous = os.umask(0o022)  # the usual default: files 0644 unless the tool says otherwise
    try:
        assert errors(str(repo)) == ERRORS
        assert errors(str(repo)) == ERRORS  # from the result cache
    finally:
        os.umask(previous)
    found = {p.relative_to(cache_dir).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in cache_dir.rglob("*")}
    names = set(found)
    assert {"key", "models-v4.sqlite", "results-v2"} <= names
    assert any(n.startswith("results-v2/") and n.endswith(".json") for n in names)
    assert {n for n in names if n.startswith("models-v4.sqlite")} >= {"models-v4.sqlite-wal", "models-v4.sqlite-shm"}
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert {name: mode for name, mode in found.items()
            if mode != (0o700 if (cache_dir / name).is_dir() else 0o600)} == {}


# ---- the per-user key ---------------------------------------------------------------------


def _first_key(directory: str, queue) -> None:
    try:
        os.environ["IACM_LINT_CACHE_DIR"] = directory
        home = cachedir.user_cache()
        queue.put(home.key.hex() if home is not None else None)
    except BaseException as exc:  # noqa: BLE001 - reported by the test
        queue.put(repr(exc))


def test_concurrent_first_runs_agree_on_one_key(tmp_path):
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    queue = context.Queue()
    directory = str(tmp_path / "fresh")
    children = [context.Process(target=_first_key, args=(directory, queue)) for _ in range(6)]
    for child in children:
        child.start()
    keys = {queue.get(timeout=60) for _ in children}
    for child in children:
        child.join(timeout=60)
    key_file = Path(directory) / "key"
    assert keys == {key_file.read_bytes().hex()} and len(key_file.read_bytes()) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert sorted(p.name for p in Path(directory).iterdir()) == ["key"]  # no temporary file left behind


@pytest.mark.parametrize("damage", ["readable by others", "short", "symbolic link"])
def test_an_unusable_key_file_is_replaced(cache_dir, repo, tmp_path, damage):
    assert errors(str(repo)) == ERRORS
    key_file = cache_dir / "key"
    old = key_file.read_bytes()
    if damage == "readable by others":  # e.g. committed to a repository (git checks files out 0644)
        key_file.chmod(0o644)
    elif damage == "short":
        key_file.write_bytes(old[:16])
    else:
        (tmp_path / "guessed").write_bytes(b"k" * 32)
        (tmp_path / "guessed").chmod(0o600)
        key_file.unlink()
        key_file.symlink_to(tmp_path / "guessed")
    home = cachedir.user_cache()
    assert home is not None and home.key not in (old, b"k" * 32) and len(home.key) == 32
    assert not key_file.is_symlink() and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert errors(str(repo)) == ERRORS


# ---- forged and foreign parse-cache entries ----------------------------------------------


def _public_v3_salt() -> bytes:
    """The old parse cache's salt: the tool's version and source files, python-hcl2's version."""
    from iacm_lint import __version__

    package = Path(iacm_lint.__file__).parent
    h = hashlib.blake2b(digest_size=16)
    h.update(f"v3|{__version__}|python-hcl2-{metadata.version('python-hcl2')}|{sys.version_info[:2]}".encode())
    for name in cache_mod.model_sources(str(package)):  # the source files the salt hashes
        h.update(name.encode() + b"\0" + (package / name).read_bytes())
    return h.digest()


def _forge_from_public_data(data: bytes, rel: str, payload: bytes) -> tuple[str, bytes]:
    """(lookup key, sealed entry) computed from the file's bytes and the tool's sources alone."""
    key = hashlib.blake2b(_public_v3_salt(), digest_size=20)
    key.update(f"{TF}\0{rel}\0".encode())
    key.update(data)
    seal_key = hashlib.blake2b(data, key=b"iacm-lint seal v3", digest_size=32).digest()
    stream = hashlib.shake_256(seal_key).digest(len(payload))
    ciphertext = bytes(a ^ b for a, b in zip(payload, stream, strict=True))
    mac = hashlib.blake2b(ciphertext, key=seal_key, digest_size=16).digest()
    return key.hexdigest(), b"IACMLC3\n" + mac + ciphertext


def test_a_parse_cache_entry_forged_from_the_file_bytes_is_a_miss(cache_dir, repo):
    """Whoever can read the repository and write into the cache used to be
    able to compute a valid entry: a forged model turned 3 errors into 0."""
    assert errors(str(repo), "--no-cache") == ERRORS
    assert errors(str(repo)) == ERRORS  # fills the parse cache
    data = (repo / "main.tf").read_bytes()
    benign = cache_mod.dumps(parse_hcl(BENIGN_TF, "main.tf", TF))
    key, entry = _forge_from_public_data(data, "main.tf", benign)
    databases = sorted(cache_dir.glob("models-*.sqlite"))
    assert databases
    for database in databases:
        with sqlite3.connect(database) as db:
            db.execute("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", (key, entry))
    for result in sorted(cache_dir.glob("results-*/*.json")):
        result.unlink()  # a whole-scan hit would not even look at the parse cache
    assert errors(str(repo)) == ERRORS


def test_entries_sealed_under_another_key_are_misses_and_rewritten(cache_dir, repo):
    assert errors(str(repo)) == ERRORS
    home = cachedir.user_cache()
    ours = cache_mod.ParseCache(home)
    theirs = cache_mod.ParseCache(cachedir.UserCache(home.directory, os.urandom(32)))  # another user's key
    data = (repo / "main.tf").read_bytes()
    key = ours.key(data, "main.tf", TF)
    assert ours.keys() == [key] and theirs.key(data, "main.tf", TF) != key  # lookup keys depend on the key too
    forged = theirs.seal(key, cache_mod.dumps(parse_hcl(BENIGN_TF, "main.tf", TF)), data)
    with sqlite3.connect(ours.path) as db:
        db.execute("UPDATE entries SET value = ? WHERE key = ?", (forged, key))
    assert ours.get(key, data) is cache_mod.MISS and ours.rejected == 1
    assert errors(str(repo), "--jobs", "1") == ERRORS  # no result stored yet (files are seconds old): parsed again
    assert cache_mod.ParseCache(home).get(key, data).blocks[0].type == "terraform"  # rewritten, readable again


# ---- result-cache files -------------------------------------------------------------


def _result_file(cache_dir: Path) -> Path:
    (path,) = sorted(cache_dir.glob("results-*/*.json"))
    return path


def _edit_result(path: Path, change) -> None:
    """Edit the stored findings as someone who can write the file would:
    the JSON is changed, whatever comes before it is kept."""
    content = path.read_bytes()
    head, body = (b"", content) if content.startswith(b"{") else content.split(b"\n", 1)
    stored = json.loads(body)
    stored["result"]["findings"] = change(stored["result"]["findings"])
    path.write_bytes((head + b"\n" if head else b"") + json.dumps(stored).encode())


@pytest.mark.parametrize("attack", ["remove the findings", "inject a finding"])
def test_findings_changed_in_a_result_file_are_a_miss(cache_dir, settled, repo, attack):
    assert errors(str(repo)) == ERRORS
    path = _result_file(cache_dir)
    injected = ["IACM106", "local-backend", "error", "injected", ["main.tf", 1, 1, 1, 2], [], "x", None, None, []]
    _edit_result(path, (lambda rows: []) if attack == "remove the findings" else (lambda rows: rows + [injected]))
    assert errors(str(repo)) == ERRORS
    assert resultcache.Entry(cachedir.user_cache(), path.relative_to(cache_dir).as_posix(), "").read() is not None


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 2**70) | st.floats(allow_nan=True)
                     | st.text(max_size=8), lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


def _like(value):
    """Values of the same JSON type as `value` (a shape-preserving damage)."""
    if isinstance(value, bool) or value is None:
        return st.none() | st.booleans()
    if isinstance(value, int):
        return st.integers(-3, 2**70)
    if isinstance(value, str):
        return st.text(max_size=12)
    if isinstance(value, list):
        return st.lists(st.sampled_from(value), max_size=4) if value else st.just([])
    return _JSON


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


@pytest.fixture(scope="module")
def stored_result(tmp_path_factory):
    """A real stored result (findings with related locations, properties, stats) to damage."""
    base = tmp_path_factory.mktemp("fuzz")
    root = base / "repo"
    (root / "modules" / "net").mkdir(parents=True)
    (root / "main.tf").write_text(HOSTILE_TF + 'module "net" {\n  source = "./modules/net"\n}\n')
    (root / "modules" / "net" / "main.tf").write_text('resource "aws_vpc" "this" {\n  cidr_block = "10.0.0.0/16"\n}\n')
    previous = os.environ["IACM_LINT_CACHE_DIR"]
    os.environ["IACM_LINT_CACHE_DIR"] = str(base / "cache")
    racy, resultcache.RACY_SECONDS = resultcache.RACY_SECONDS, 0
    try:
        CliRunner().invoke(main, ["check", str(root)])
        home = cachedir.user_cache()
        (path,) = sorted((base / "cache").glob("results-*/*.json"))
        entry = resultcache.Entry(home, path.relative_to(base / "cache").as_posix(), "")
        return home, entry.name, entry.read()
    finally:
        os.environ["IACM_LINT_CACHE_DIR"] = previous
        resultcache.RACY_SECONDS = racy


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_malformed_result_file_sealed_with_the_key_is_a_miss_or_reports_cleanly(stored_result, data):
    """A file that passes the MAC (written by a buggy version, say) but has
    the wrong shape somewhere must not become a traceback on every run."""
    home, name, stored = stored_result
    damaged = json.loads(json.dumps(stored))
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(list(_paths(damaged["result"]))))
        current = damaged["result"]
        for step in where:
            current = current[step]
        replacement = data.draw(_like(current) if data.draw(st.booleans()) else _JSON)
        if not where:
            damaged["result"] = replacement
            continue
        parent = damaged["result"]
        for step in where[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and data.draw(st.booleans()):
            del parent[where[-1]]
        else:
            parent[where[-1]] = replacement
    entry = resultcache.Entry(home, name, stored["state"])
    assert entry.write(damaged)
    result = entry.load()
    if result is None:
        return
    from iacm_lint.report import render

    for format_name in FORMATS:
        render(format_name, result, None)


def test_a_result_file_nested_too_deep_for_json_is_a_miss(stored_result):
    home, name, stored = stored_result
    entry = resultcache.Entry(home, name, stored["state"])
    assert home.write_sealed(name, resultcache.FORMAT, b'{"format": "results-v2", "result": ' + b"[" * 100000)
    assert entry.load() is None

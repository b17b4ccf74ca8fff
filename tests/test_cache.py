"""The content-hash parse cache (lint/parse/cache.py) through the real scan path:
hits, misses after a change, damaged entries, concurrent writers, --no-cache."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from iacm_lint import cachedir
from iacm_lint.cli import main
from iacm_lint.engine import run
from iacm_lint.model.syntax import TF, HclFile
from iacm_lint.options import Options
from iacm_lint.parse import cache as cache_mod
from iacm_lint.parse.hcl import parse_hcl

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"

MAIN_TF = '''terraform {
  required_version = ">= 1.6.0"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
  tags   = { team = "platform" }
}
'''


@pytest.fixture()
def repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    (root / "modules" / "net").mkdir(parents=True)
    (root / "main.tf").write_text(MAIN_TF)
    (root / "variables.tf").write_text('variable "region" {\n  type    = string\n  default = "eu-west-1"\n}\n')
    (root / "modules" / "net" / "main.tf").write_text('resource "aws_vpc" "this" {\n  cidr_block = "10.0.0.0/16"\n}\n')
    (root / "terraform.tfvars").write_text('region = "us-east-1"\n')
    return root


def store() -> cache_mod.ParseCache:
    """The parse cache in $IACM_LINT_CACHE_DIR (the cache_dir fixture's), with its per-user key."""
    return cache_mod.ParseCache(cachedir.user_cache())


def entries(directory: Path) -> list[str]:
    """Keys of the parse cache entries."""
    assert cachedir.default_directory() == str(directory)
    return store().keys()


def rewrite(directory: Path, change) -> None:
    """Replace every stored value by change(key, value), behind the cache's back."""
    assert cachedir.default_directory() == str(directory)
    with sqlite3.connect(store().path) as db:
        for key, value in db.execute("SELECT key, value FROM entries").fetchall():
            db.execute("UPDATE entries SET value = ? WHERE key = ?", (change(key, value), key))


def scan(root: Path, **kwargs):
    result = run([str(root)], Options(jobs=1, **kwargs))
    return result, result.repo.parse_stats


def test_second_scan_reads_every_model_from_the_cache(cache_dir, repo):
    first, stats = scan(repo)
    assert (stats.files, stats.cache_hits, stats.parsed) == (4, 0, 4)
    assert len(entries(cache_dir)) == 4
    second, stats = scan(repo)
    assert (stats.files, stats.cache_hits, stats.parsed) == (4, 4, 0)
    assert second.repo.hcl_files == first.repo.hcl_files
    assert [f.sort_key for f in second.findings] == [f.sort_key for f in first.findings]


def test_changed_file_is_a_miss_and_its_new_content_is_used(cache_dir, repo):
    scan(repo)
    (repo / "main.tf").write_text(MAIN_TF.replace('"acme-logs"', '"acme-audit-logs"'))
    result, stats = scan(repo)
    assert (stats.cache_hits, stats.parsed) == (3, 1)
    bucket = next(f for f in result.repo.hcl_files if f.path == "main.tf").blocks[1]
    assert bucket.attr("bucket").value == "acme-audit-logs"
    assert len(entries(cache_dir)) == 5  # the old entry stays; it is simply never asked for


def test_same_content_under_another_path_is_not_shared(cache_dir, repo):
    """Every Span carries the relative path, so the path is part of the key."""
    (repo / "copy.tf").write_text(MAIN_TF)
    result, stats = scan(repo)
    assert stats.parsed == 5
    copy = next(f for f in result.repo.hcl_files if f.path == "copy.tf")
    assert copy.blocks[0].span.path == "copy.tf"


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_damaged_entries_are_ignored_and_rewritten(cache_dir, repo, damage):
    clean, _ = scan(repo)

    def change(key, data):
        if damage == "truncate":
            return data[: len(data) // 2]
        if damage == "flip":  # one bit of the sealed payload: only the MAC tells
            return data[:-1] + bytes([data[-1] ^ 0x01])
        if damage == "empty":
            return b""
        return b"\x80\x05not a pickle at all"

    rewrite(cache_dir, change)
    result, stats = scan(repo)
    assert (stats.cache_hits, stats.cache_rejected, stats.parsed) == (0, 4, 4)
    assert result.repo.hcl_files == clean.repo.hcl_files
    _, stats = scan(repo)
    assert (stats.cache_hits, stats.parsed) == (4, 0)  # rewritten entries are good again


def test_an_entry_that_would_run_code_is_refused(cache_dir, repo, tmp_path):
    scan(repo)
    assert len(entries(cache_dir)) == 4
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    sources = {}
    parse_cache = store()
    for source in repo.rglob("*.tf*"):  # properly sealed for each file: only the unpickler stands in the way
        data, rel = source.read_bytes(), source.relative_to(repo).as_posix()
        sources[parse_cache.key(data, rel, "tfvars" if rel.endswith(".tfvars") else TF)] = data
    assert sorted(sources) == entries(cache_dir)
    rewrite(cache_dir, lambda key, value: parse_cache.seal(key, pickle.dumps(Evil()), sources[key]))
    result, stats = scan(repo)
    assert not marker.exists()
    assert (stats.cache_hits, stats.cache_rejected) == (0, 4)
    assert len(result.repo.hcl_files) == 4


def test_no_cache_neither_reads_nor_writes(cache_dir, repo):
    """A planted entry under the real key proves reads; --no-cache must ignore it."""
    data = (repo / "main.tf").read_bytes()
    planted = parse_hcl(MAIN_TF.replace("acme-logs", "planted"), "main.tf", TF)
    store().put(store().key(data, "main.tf", TF), data, cache_mod.dumps(planted))
    runner = CliRunner()
    with_cache, _ = scan(repo)
    assert next(f for f in with_cache.repo.hcl_files if f.path == "main.tf") == planted
    with sqlite3.connect(store().path) as db:
        db.execute("DELETE FROM entries")
    uncached = runner.invoke(main, ["check", str(repo), "--no-cache", "--jobs", "1"])
    assert uncached.exit_code in (0, 1), uncached.output
    assert entries(cache_dir) == []
    without, stats = scan(repo, cache=False)
    assert stats.cache_hits == 0 and entries(cache_dir) == []
    assert next(f for f in without.repo.hcl_files if f.path == "main.tf").blocks[1].attr("bucket").value == "acme-logs"


def test_concurrent_writers_and_readers_see_whole_entries_only(cache_dir):
    """Threads race put() on one key with payloads of different sizes while
    others get(): a reader gets a miss or one complete model, never a torn one."""
    parse_cache = store()
    key = parse_cache.key(b"x", "a.tf", TF)
    models = [parse_hcl(f'locals {{\n  v = "{"x" * n}"\n}}\n', "a.tf", TF) for n in (1, 5000, 200000)]
    blobs = [cache_mod.dumps(m) for m in models]
    seen: list[object] = []
    errors: list[BaseException] = []

    def writer(blob):
        try:
            for _ in range(40):
                parse_cache.put(key, b"x", blob)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def reader():
        for _ in range(200):
            value = parse_cache.get(key, b"x")
            if value is not cache_mod.MISS:
                seen.append(value)

    threads = ([threading.Thread(target=writer, args=(b,)) for b in blobs]
               + [threading.Thread(target=reader) for _ in range(3)])
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert parse_cache.rejected == 0
    assert all(value in models for value in seen)
    assert entries(cache_dir) == [key]


def _scan_in_child(root: str, queue) -> None:
    try:
        result = run([root], Options(jobs=1))
        queue.put(sorted(f.path for f in result.repo.hcl_files))
    except BaseException as exc:  # noqa: BLE001
        queue.put(repr(exc))


def test_concurrent_scans_share_one_cache(cache_dir, repo):
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    queue = context.Queue()
    children = [context.Process(target=_scan_in_child, args=(str(repo), queue)) for _ in range(4)]
    for child in children:
        child.start()
    answers = [queue.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=120)
    expected = ["main.tf", "modules/net/main.tf", "terraform.tfvars", "variables.tf"]
    assert answers == [expected] * 4
    assert len(entries(cache_dir)) == 4
    _, stats = scan(repo)
    assert (stats.cache_hits, stats.cache_rejected) == (4, 0)


def test_unwritable_cache_directory_does_not_fail_the_scan(tmp_path, monkeypatch, repo):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(blocker))
    result, stats = scan(repo)
    assert stats.parsed == 4 and len(result.repo.hcl_files) == 4


def test_default_directory_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("IACM_LINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cachedir.default_directory() == str(tmp_path / "xdg" / "iacm-lint")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # invalid per the XDG spec: ignored
    assert cachedir.default_directory() == str(tmp_path / "home" / ".cache" / "iacm-lint")
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", str(tmp_path / "explicit"))
    assert cachedir.default_directory() == str(tmp_path / "explicit")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IACM_LINT_CACHE_DIR", "relative")  # explicit: taken from the current directory
    assert cachedir.default_directory() == str(tmp_path / "relative")


def test_codec_round_trips_every_testdata_model():
    result = run([str(TESTDATA)], Options(jobs=1, cache=False))
    models = result.repo.hcl_files + result.repo.yaml_files
    assert len(models) > 100
    for model in models:
        again = cache_mod.loads(cache_mod.dumps(model))
        assert again == model and type(again) is type(model)
        if isinstance(model, HclFile):
            for old, new in zip(model.walk(), again.walk(), strict=True):
                for a, b in zip(old.attributes, new.attributes, strict=True):
                    assert a.expr.is_literal == b.expr.is_literal  # NOT_LITERAL stays the singleton


SECRET = "AKIAZ7Q3EXAMPLE4B2KD"


def test_entries_hold_no_readable_literal_and_need_the_file_bytes(cache_dir, repo):
    """Models hold the file's strings (secrets too); sealed entries do not show
    them, and the same entry does not open for other bytes."""
    (repo / "main.tf").write_text(MAIN_TF.replace("acme-logs", SECRET))
    scan(repo)
    data = (repo / "main.tf").read_bytes()
    parse_cache = store()
    key = parse_cache.key(data, "main.tf", TF)
    with sqlite3.connect(parse_cache.path) as db:
        [(entry,)] = db.execute("SELECT value FROM entries WHERE key = ?", (key,))
    assert SECRET.encode() not in entry and b"main.tf" not in entry
    assert parse_cache.unseal(key, entry, data) is not None
    assert parse_cache.unseal(key, entry, data + b" ") is None
    assert b"main.tf" in parse_cache.unseal(key, entry, data)
    for stored in cache_dir.rglob("*"):
        if stored.is_file():
            assert SECRET.encode() not in stored.read_bytes(), stored.name


def test_a_database_file_that_is_not_a_database_is_replaced(cache_dir, repo):
    clean, _ = scan(repo)
    database = Path(store().path)
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    database.write_bytes(b"this is not an SQLite database" * 100)
    result, stats = scan(repo)
    assert (stats.cache_hits, stats.parsed) == (0, 4)
    assert result.repo.hcl_files == clean.repo.hcl_files
    _, stats = scan(repo)
    assert (stats.cache_hits, stats.parsed) == (4, 0)


def test_the_salt_hashes_the_whole_folders_of_the_layers_a_model_depends_on():
    """Code and package data of parse/, model/ and knowledge/ (a new data
    file counts without anyone naming it), the top-level modules, and
    nothing above the parse layer: editing a rule or the engine keeps the cache."""
    import iacm_lint

    names = cache_mod.model_sources(str(Path(iacm_lint.__file__).parent))
    assert {"knowledge/data/backends.json", "knowledge/data/releases.json", "parse/hcl2-tables.json",
            "knowledge/engines.py", "model/syntax.py", "memo.py"} <= set(names)
    assert {name.split("/")[0] for name in names if "/" in name} == {"parse", "model", "knowledge"}
    assert not [name for name in names if name.endswith(".pyc") or "__pycache__" in name]


PIPELINE_TF = '''resource "harness_platform_pipeline" "deploy" {
  identifier = "deploy"
  yaml = <<-EOT
    pipeline:
      name: deploy
      identifier: deploy
      stages:
        - stage:
            name: provision
            identifier: provision
            type: IACM
            spec:
              workspace: prod
              execution:
                steps:
                  - step: {type: IACMOpenTofuPlugin, name: apply, identifier: apply, spec: {command: apply}}
  EOT
}
'''


def test_pipeline_heredocs_are_parsed_with_their_file_and_cached_with_it(cache_dir, tmp_path, monkeypatch):
    from iacm_lint.parse import heredoc

    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.tf").write_text(PIPELINE_TF)
    parsed: list[str] = []
    original = heredoc.heredoc_yaml
    monkeypatch.setattr(heredoc, "heredoc_yaml", lambda path, expr: parsed.append(path) or original(path, expr))
    cold = run([str(root)], Options(jobs=1))
    assert parsed == ["main.tf"]
    assert [(y.path, y.error) for y in cold.repo.heredoc_yaml.values()] == [("main.tf", None)]
    warm = run([str(root)], Options(jobs=1))
    assert parsed == ["main.tf"]  # the .tf file's model came from the parse cache, its pipeline with it
    assert warm.repo.heredoc_yaml == cold.repo.heredoc_yaml
    assert [(f.rule_id, f.span) for f in warm.findings] == [(f.rule_id, f.span) for f in cold.findings]
    assert {f.rule_id for f in warm.findings} >= {"IACM502", "IACM503", "IACM504"}

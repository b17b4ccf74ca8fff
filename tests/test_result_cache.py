"""The whole-scan result cache (lint/engine/resultcache.py) through the CLI: an
unchanged scan is answered without parsing, with byte-identical output in
every format, and every input a result depends on (files, git, config,
baseline, options, the tool itself) makes it scan again."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gitrepo import git, isolate_git
from iacm_lint.cachedir import user_cache
from iacm_lint.cli import main
from iacm_lint.engine import check as engine_check, resultcache, run
from iacm_lint.options import Options
from iacm_lint.registry import Rule
from iacm_lint.report import FORMATS
from iacm_lint.scan import repository

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"

BACKENDS_TF = '''terraform {
  backend "s3" {
    bucket       = "acme-tfstate"
    key          = "network/terraform.tfstate"
    region       = "eu-west-1"
    use_lockfile = true
  }
}
'''

MAIN_TF = 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n'


@pytest.fixture()
def settled(monkeypatch):
    """Files written by a test are seconds old at most: without this, the
    racy-file guard (rightly) refuses to store their results."""
    monkeypatch.setattr(resultcache, "RACY_SECONDS", 0)


@pytest.fixture()
def scans(monkeypatch):
    """Counts the scans that really parsed (result cache misses)."""
    calls = []
    original = repository.repo_from

    def counting(found, options):
        calls.append(found.root)
        return original(found, options)

    monkeypatch.setattr(repository, "repo_from", counting)
    return calls


@pytest.fixture()
def repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "backends.tf").write_text(BACKENDS_TF)
    (root / "main.tf").write_text(MAIN_TF)
    return root


def check(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def entry_files(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / resultcache.FORMAT).glob("*.json"))


def sealed_entry(cache_dir: Path, path: Path) -> resultcache.Entry:
    """The slot file at `path` as the cache reads and writes it (with its MAC under the per-user key)."""
    home = user_cache()
    assert home is not None and home.directory == str(cache_dir)
    return resultcache.Entry(home, path.relative_to(cache_dir).as_posix(), "")


def test_an_unchanged_scan_is_answered_without_parsing(cache_dir, settled, scans, repo):
    (repo / "main.tf").write_text(MAIN_TF + 'provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPL3"\n}\n')
    first = check(str(repo), "--format", "gcc")
    second = check(str(repo), "--format", "gcc")
    assert len(scans) == 1
    assert (second.exit_code, second.stdout) == (first.exit_code, first.stdout)
    assert 'main.tf:5:3: error: provider "aws" sets "access_key" to an AWS access key id (AKIA…)' in first.stdout
    assert len(entry_files(cache_dir)) == 1


@pytest.mark.parametrize("source", ["testdata/examples", "corpus/terraform-aws-vpc", "testdata/rules/IACM110"])
def test_cached_output_is_identical_in_every_format(cache_dir, settled, scans, tmp_path, request, source):
    base = request.getfixturevalue("real_world_corpus").parent if source.startswith("corpus/") else TESTDATA.parent
    root = tmp_path / "scan"
    shutil.copytree(base / source, root, symlinks=True)
    for name in FORMATS:
        cold = check(str(root), "--format", name, "--fail-on", "never")
        warm = check(str(root), "--format", name, "--fail-on", "never")
        assert cold.exit_code == warm.exit_code == 0, cold.stderr
        assert warm.stdout == cold.stdout, name
    assert len(scans) == 1  # the format is not part of the result: one scan, then hits for every format


def test_the_cached_result_keeps_suppressions_baseline_state_and_stats(cache_dir, settled, scans, repo, tmp_path):
    (repo / "main.tf").write_text(MAIN_TF + '# iacm-lint: ignore[IACM202] -- rotated, kept for the demo\n'
                                  'provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPL3"\n}\n')
    (repo / "terraform.tfstate").write_text("{}")
    outputs = [check(str(repo), "--format", "json", "--stats") for _ in range(2)]
    assert len(scans) == 1
    assert outputs[1].stdout == outputs[0].stdout and outputs[1].stderr == outputs[0].stderr
    document = json.loads(outputs[1].stdout)
    assert any(f["rule"] == "IACM202" and f["suppressed"] for f in document["findings"])
    assert json.loads(outputs[1].stderr)["discovered"] == 3


@pytest.mark.parametrize("change", ["content", "same-size-same-mtime", "new-file", "deleted-file", "renamed-file"])
def test_a_changed_file_is_scanned_again(cache_dir, settled, scans, repo, change):
    assert check(str(repo)).exit_code == 0
    if change == "content":
        (repo / "main.tf").write_text(MAIN_TF + 'variable "password" {\n  default = "Tr0ub4dor&3-horse"\n}\n')
    elif change == "same-size-same-mtime":  # the old file's size and mtime: only ctime (and the inode) tell
        backends = repo / "backends.tf"
        before = backends.stat()
        backends.write_text(BACKENDS_TF.replace("use_lockfile = true", "use_lockfile = null"))
        os.utime(backends, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert (backends.stat().st_size, backends.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    elif change == "new-file":
        (repo / "providers.tf").write_text('provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPL3"\n}\n')
    elif change == "deleted-file":
        (repo / "backends.tf").unlink()
    else:
        (repo / "backends.tf").rename(repo / "backend.tf")
    after = check(str(repo), "--format", "gcc")
    assert len(scans) == 2
    expected = {
        "content": 'main.tf:5:3: error: variable "password" has a literal password as its default',
        "same-size-same-mtime": 'backends.tf:6:5: error: backend "s3" has no state lock (use_lockfile = null)',
        "new-file": 'providers.tf:2:3: error: provider "aws" sets "access_key" to an AWS access key id',
        "deleted-file": 'main.tf:1:1: warning: root module "." has no backend or cloud block',
        "renamed-file": 'backend.tf:2:3: warning: backend "s3" does not encrypt state',
    }[change]
    assert expected in after.stdout, after.stdout


def test_options_config_and_baseline_are_part_of_the_key(cache_dir, settled, scans, repo, tmp_path):
    (repo / "main.tf").write_text(MAIN_TF + 'provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPL3"\n}\n')
    assert "IACM202" in check(str(repo)).stdout
    assert "IACM202" not in check(str(repo), "--ignore", "IACM202").stdout
    config = repo / ".iacm-lint.yaml"
    config.write_text("ignore: [IACM202]\n")
    assert "IACM202" not in check(str(repo)).stdout
    config.write_text("ignore: [IACM201]\n")
    assert "IACM202" in check(str(repo)).stdout
    baseline = tmp_path / "baseline.json"
    check(str(repo), "--write-baseline", str(baseline))
    assert check(str(repo), "--baseline", str(baseline)).exit_code == 0
    document = json.loads(baseline.read_text())
    baseline.write_text(json.dumps({**document, "findings": []}))
    assert check(str(repo), "--baseline", str(baseline)).exit_code == 1
    assert len(scans) == 6  # every run differed in an input but --write-baseline: the scan before it again


def test_git_state_is_part_of_the_key(cache_dir, settled, scans, tmp_path, monkeypatch):
    isolate_git(monkeypatch, tmp_path / "home")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "backends.tf").write_text(BACKENDS_TF)
    (root / "terraform.tfstate").write_text("{}")
    (root / ".gitignore").write_text(".terraform/\n*.tfplan\n")
    before = check(str(root), "--select", "IACM401", "--format", "gcc")
    assert "IACM401" not in before.stdout
    git(root, "add", "terraform.tfstate")  # no file on disk changes, only the index
    after = check(str(root), "--select", "IACM401", "--format", "gcc")
    assert 'terraform.tfstate:1:1: error: state file "terraform.tfstate" is committed' in after.stdout
    assert len(scans) == 2


def test_a_gitignore_above_the_scan_root_is_part_of_the_key(cache_dir, settled, scans, tmp_path, monkeypatch):
    """IACM404 reads .gitignore files from the repository's top down to each
    root; for a subfolder scan some of them lie outside the walk."""
    isolate_git(monkeypatch, tmp_path / "home")
    top = tmp_path / "repo"
    (top / "infra").mkdir(parents=True)
    git(top, "init", "-q")
    (top / "infra" / "backends.tf").write_text(BACKENDS_TF)
    (top / ".gitignore").write_text(".terraform/\n*.tfstate\n*.tfstate.*\ncrash.log\n")
    assert "IACM404" not in check(str(top / "infra"), "--select", "IACM404").stdout
    (top / ".gitignore").write_text(".terraform/\n")
    assert "IACM404" in check(str(top / "infra"), "--select", "IACM404").stdout
    assert len(scans) == 2


def test_recently_modified_inputs_are_not_stored(cache_dir, scans, repo):
    """The files were written just now: a same-size change within the file
    system's timestamp granularity could go unseen, so nothing is stored."""
    check(str(repo))
    check(str(repo))
    assert len(scans) == 2 and entry_files(cache_dir) == []


def test_no_cache_neither_reads_nor_writes_results(cache_dir, settled, scans, repo):
    check(str(repo), "--no-cache")
    assert entry_files(cache_dir) == []
    check(str(repo))
    (entry,) = entry_files(cache_dir)
    sealed = sealed_entry(cache_dir, entry)
    stored = sealed.read()
    stored["result"]["findings"] = [["IACM999", "planted", "error", "planted finding",
                                     ["main.tf", 1, 1, 1, 1], [], "f", None, None, [], None]]
    assert sealed.write(stored)  # sealed with the per-user key, as the cache itself would
    assert "planted finding" in check(str(repo)).stdout  # proves the entry is read
    assert "planted finding" not in check(str(repo), "--no-cache").stdout
    assert len(scans) == 3


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": "results-v2", "state": 1}', b"\xff\xfe"])
def test_a_damaged_entry_is_a_miss_and_is_rewritten(cache_dir, settled, scans, repo, damage):
    first = check(str(repo), "--format", "gcc")
    (entry,) = entry_files(cache_dir)
    entry.write_bytes(damage)
    second = check(str(repo), "--format", "gcc")
    assert second.stdout == first.stdout and len(scans) == 2
    assert sealed_entry(cache_dir, entry).read()["format"] == resultcache.FORMAT
    check(str(repo))
    assert len(scans) == 2


def test_a_changed_tool_is_a_miss(cache_dir, settled, scans, repo, monkeypatch):
    check(str(repo))
    monkeypatch.setattr(resultcache, "_TOOL", ["another build"])
    check(str(repo))
    check(str(repo))
    assert len(scans) == 2


def test_results_with_internal_errors_are_not_stored(cache_dir, settled, scans, repo, monkeypatch):
    from iacm_lint.registry import get_rule

    rule = get_rule("IACM107")
    broken = Rule(rule.id, rule.name, rule.level, rule.short, rule.scope, lambda subject, ctx: iter([1 / 0]))
    monkeypatch.setattr(engine_check, "active_rules", lambda options: [broken])
    assert check(str(repo)).exit_code == 2
    assert entry_files(cache_dir) == []


def test_the_engine_api_does_not_use_the_result_cache_unless_asked(cache_dir, settled, repo):
    result = run([str(repo)], Options())
    assert result.repo.hcl_files and entry_files(cache_dir) == []
    run([str(repo)], Options(result_cache=True))
    cached = run([str(repo)], Options(result_cache=True))
    assert cached.repo.hcl_files == [] and cached.files_checked == 2  # a stub repo: the report command never asks
    assert [f.sort_key for f in cached.findings] == [f.sort_key for f in result.findings]


def test_an_exclude_callable_without_a_config_file_is_never_cached(cache_dir, settled, repo):
    options = Options(result_cache=True, exclude=lambda rel: rel == "main.tf")
    run([str(repo)], options)
    assert entry_files(cache_dir) == []


def test_old_slots_are_pruned(cache_dir, settled, repo, monkeypatch):
    monkeypatch.setattr(resultcache, "MAX_ENTRIES", 4)
    for number in range(1, 6):
        assert check(str(repo), "--select", f"IACM10{number}").exit_code in (0, 1)
    assert len(entry_files(cache_dir)) == 2  # the fifth slot went over 4: the three oldest were removed
    check(str(repo), "--select", "IACM101")
    check(str(repo), "--select", "IACM102")
    assert len(entry_files(cache_dir)) == 4


def test_verbose_says_when_a_result_came_from_the_cache_or_was_not_stored(cache_dir, repo, monkeypatch):
    fresh = check(str(repo), "--verbose")
    assert "iacm-lint: result cache: backends.tf was modified less than 2 s ago, so this result is not stored" \
        in fresh.stderr
    monkeypatch.setattr(resultcache, "RACY_SECONDS", 0)
    check(str(repo), "--verbose")  # --verbose is part of the key (tracebacks of internal errors)
    cached = check(str(repo), "--verbose")
    assert "iacm-lint: result cache: nothing this result depends on changed since it was stored in " in cached.stderr
    assert "result cache" not in check(str(repo), "--verbose", "--no-cache").stderr

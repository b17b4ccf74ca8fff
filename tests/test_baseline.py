"""Baselines: write -> check passes -> a new finding above the old ones is the
only one reported; SARIF baselineState; config `baseline:`; bad files exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from iacm_lint.cli import main
from iacm_lint.engine import exit_code, run
from iacm_lint.filter.config import ConfigError
from iacm_lint.filter.suppress import write_baseline
from iacm_lint.options import Options

SELECT = "IACM106,IACM108"
LEGACY = 'locals {\n  a = 1\n}\n\nterraform {\n  backend "local" {}\n}\n'
CLOUD = 'terraform {\n  cloud {\n    organization = "acme"\n  }\n}\n\n'
LOCAL_MESSAGE = ("backend \"local\" in main.tf is committed and overrides the workspace's backend during remote "
                 "execution; remove it or git-ignore main.tf")


def check(*args: str):
    return CliRunner().invoke(main, ["check", *args])


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "main.tf").write_text(LEGACY)
    return repo


def test_round_trip_only_the_new_finding_is_reported(legacy: Path, tmp_path: Path):
    baseline = tmp_path / "baseline.json"
    written = check(str(legacy), "--select", SELECT, "--write-baseline", str(baseline), "--format", "gcc")
    assert (written.exit_code, written.stdout) == (0, "")
    assert written.stderr == f"iacm-lint: wrote 1 finding to baseline {baseline}\n"

    document = json.loads(baseline.read_text())
    assert document["tool"] == "iacm-lint" and document["version"] == 1
    assert [(e["rule"], e["path"], e["message"]) for e in document["findings"]] == [
        ("IACM106", "main.tf", LOCAL_MESSAGE)]
    assert document["findings"][0]["fingerprint"].endswith(":1")

    unchanged = check(str(legacy), "--select", SELECT, "--baseline", str(baseline), "--format", "gcc")
    assert (unchanged.exit_code, unchanged.stdout) == (0, "")

    # a new problem inserted above the old one shifts its line; only the new one is reported
    (legacy / "main.tf").write_text(CLOUD + LEGACY)
    after = check(str(legacy), "--select", SELECT, "--baseline", str(baseline), "--format", "gcc")
    assert after.exit_code == 1
    assert [line.split(" [")[-1] for line in after.stdout.splitlines()] == ["IACM108]"]
    assert after.stdout.startswith("main.tf:2:3: error: cloud block")

    sarif = check(str(legacy), "--select", SELECT, "--baseline", str(baseline), "--format", "sarif")
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"], r["baselineState"])
            for r in results] == [("IACM108", 2, "new"), ("IACM106", 12, "unchanged")]


def test_engine_marks_baseline_state_and_exit_code_ignores_unchanged(legacy: Path, tmp_path: Path):
    baseline = tmp_path / "b.json"
    first = run([str(legacy)], Options(select=("IACM106", "IACM108")))
    assert first.findings[0].baseline_state is None
    assert write_baseline(str(baseline), first.findings) == 1
    again = run([str(legacy)], Options(select=("IACM106", "IACM108"), baseline=str(baseline)))
    assert [(f.rule_id, f.baseline_state) for f in again.findings] == [("IACM106", "unchanged")]
    assert exit_code(again, "error") == 0
    assert exit_code(first, "error") == 1


def test_writing_is_deterministic_and_skips_suppressed_findings(legacy: Path, tmp_path: Path):
    (legacy / "other.tf").write_text('terraform {\n  backend "local" {} # iacm-lint: ignore[IACM106] sandbox\n}\n')
    one, two = tmp_path / "1.json", tmp_path / "2.json"
    assert check(str(legacy), "--select", SELECT, "--write-baseline", str(one)).exit_code == 0
    assert check(str(legacy), "--select", SELECT, "--write-baseline", str(two)).exit_code == 0
    assert one.read_bytes() == two.read_bytes()
    assert [e["path"] for e in json.loads(one.read_text())["findings"]] == ["main.tf"]


def test_config_baseline_is_relative_to_the_config_and_cli_overrides_it(legacy: Path, tmp_path: Path):
    (legacy / ".iacm-lint.yaml").write_text(f"select: [{SELECT.replace(',', ', ')}]\nbaseline: ci/baseline.json\n")
    # the configured baseline need not exist while it is being written (its directory must)
    (legacy / "ci").mkdir()
    written = check(str(legacy), "--write-baseline", str(legacy / "ci" / "baseline.json"))
    assert written.exit_code == 0, written.output
    assert check(str(legacy / "main.tf"), "--format", "gcc").exit_code == 0
    (legacy / "main.tf").write_text(CLOUD + LEGACY)
    done = check(str(legacy), "--format", "gcc")
    assert (done.exit_code, len(done.stdout.splitlines())) == (1, 1)
    empty = tmp_path / "empty.json"
    empty.write_text('{"tool": "iacm-lint", "version": 1, "findings": []}\n')
    done = check(str(legacy), "--format", "gcc", "--baseline", str(empty))
    assert (done.exit_code, len(done.stdout.splitlines())) == (1, 2)


@pytest.mark.parametrize("content, message", [
    (None, "baseline {path} does not exist; create it with --write-baseline {path}"),
    ('{"findings": [', "baseline {path}:1: invalid JSON (Expecting value); regenerate it with --write-baseline"),
    ('{"version": 2, "findings": []}', "baseline {path} is not an iacm-lint baseline (version 1); "
                                       "regenerate it with --write-baseline"),
    ('{"version": 1, "findings": [{"rule": "IACM106"}]}', "baseline {path} is not an iacm-lint baseline (version 1); "
                                                          "regenerate it with --write-baseline"),
])
def test_bad_baseline_exits_2(legacy: Path, tmp_path: Path, content, message):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    done = check(str(legacy), "--baseline", str(path))
    assert done.exit_code == 2
    assert done.stderr == "iacm-lint: " + message.format(path=path) + "\n"
    with pytest.raises(ConfigError):
        run([str(legacy)], Options(baseline=str(path)))

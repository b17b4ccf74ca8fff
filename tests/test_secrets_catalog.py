"""The secrets catalog: testdata/secrets/true-positives/ (every case must fire
with the right rule at the exact line, listed in EXPECTED.txt as
`path:line RULE`) and testdata/secrets/false-positives/ (nothing may fire).
A case is a top-level file or a directory (a multi-file mini repository);
each is scanned on its own. All secrets there are generated, none is live.
Precision and recall are printed (`pytest -s`) and must both be 1.0."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iacm_lint.engine import run
from iacm_lint.options import Options

CATALOG = Path(__file__).resolve().parent.parent / "testdata" / "secrets"
RULES = ("IACM201", "IACM202", "IACM203", "IACM204", "IACM205", "IACM206", "IACM207", "IACM603")


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (CATALOG / kind).iterdir() if p.name != "EXPECTED.txt")


def _scan(case: Path, tmp_path: Path) -> set[str]:
    tmp_path.mkdir(parents=True)
    if case.is_dir():
        scan_dir, prefix = tmp_path / case.name, case.name + "/"
        shutil.copytree(case, scan_dir)
    else:
        scan_dir, prefix = tmp_path, ""
        shutil.copy(case, tmp_path / case.name)
    result = run([str(scan_dir)], Options(select=RULES, cache=False))
    assert not result.internal_errors, result.internal_errors
    return {f"{prefix}{f.span.path}:{f.span.line} {f.rule_id}" for f in result.findings
            if f.rule_id in RULES and f.level != "note"}


def _expected() -> set[str]:
    return {line.strip() for line in (CATALOG / "true-positives" / "EXPECTED.txt").read_text().splitlines()
            if line.strip()}


def test_catalog_sizes():
    assert len(_cases("true-positives")) >= 40
    assert len(_cases("false-positives")) >= 40


def test_precision_and_recall(tmp_path, capsys):
    expected = _expected()
    found: set[str] = set()
    for index, case in enumerate(_cases("true-positives")):
        found |= _scan(case, tmp_path / f"tp{index}")
    false_alarms: set[str] = set()
    for index, case in enumerate(_cases("false-positives")):
        false_alarms |= {f"false-positives/{x}" for x in _scan(case, tmp_path / f"fp{index}")}
    hits = found & expected
    wrong = (found - expected) | false_alarms
    precision = len(hits) / (len(hits) + len(wrong)) if hits or wrong else 1.0
    recall = len(hits) / len(expected)
    with capsys.disabled():
        print(f"\nsecrets catalog: {len(expected)} expected findings in {len(_cases('true-positives'))} true-positive "
              f"cases, {len(_cases('false-positives'))} false-positive cases; precision {precision:.3f}, "
              f"recall {recall:.3f}")
    assert sorted(expected - found) == [], "missed"
    assert sorted(wrong) == [], "false or misplaced findings"


@pytest.mark.parametrize("case", _cases("true-positives"), ids=lambda p: p.name)
def test_every_expected_path_exists(case):
    listed = {line.split(":", 1)[0] for line in _expected()}
    if case.is_dir():
        assert any(item.startswith(case.name + "/") for item in listed), f"{case.name} expects nothing"
    else:
        assert case.name in listed, f"{case.name} expects nothing"

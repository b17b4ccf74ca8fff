"""Every mini repository under testdata/rules/<ID>/<case>/ is scanned with
only that rule selected; the findings must equal the case's expected.txt
exactly (path:line:col: level ID message), and `pass` cases yield nothing.
`pytest --update-goldens` rewrites the expected.txt files that differ."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iacm_lint.engine import run
from iacm_lint.options import Options
from iacm_lint.registry import all_rules

CASES_ROOT = Path(__file__).resolve().parent.parent / "testdata" / "rules"


def _cases():
    if not CASES_ROOT.is_dir():
        return []
    return sorted(case for rule_dir in CASES_ROOT.iterdir() if rule_dir.is_dir()
                  for case in rule_dir.iterdir() if case.is_dir())


def format_finding(finding) -> str:
    s = finding.span
    return f"{s.path}:{s.line}:{s.col}: {finding.level} {finding.rule_id} {finding.message}"


@pytest.mark.parametrize("case", _cases(), ids=lambda c: f"{c.parent.name}/{c.name}")
def test_rule_case(case: Path, goldens):
    rule_id = case.parent.name
    settings = json.loads((case / "options.json").read_text()) if (case / "options.json").exists() else {}
    options = Options(select=(rule_id,), engine=settings.get("engine", "auto"), state=settings.get("state", "auto"))
    result = run([str(case)], options)
    assert not result.internal_errors
    actual = [format_finding(f) for f in result.findings if f.rule_id == rule_id]
    expected = goldens.expected_lines(case / "expected.txt", actual)  # rewritten first with --update-goldens
    assert actual == expected
    if case.name == "pass":
        assert actual == []


def test_every_case_directory_names_a_rule():
    known = {r.id for r in all_rules()}
    for case in _cases():
        assert case.parent.name in known, f"{case} is not under a known rule ID"
        assert case.name == "pass" or case.name.startswith(("pass-", "fail-")), case
        if case.name.startswith("fail-"):
            assert (case / "expected.txt").read_text().strip(), f"{case} expects no finding but is named fail-"

"""`pytest --update-goldens` (tests/conftest.py): the rule cases' expected.txt
files are rewritten from the actual findings and listed, while a plain run
still fails on a stale one. Runs pytest on a copy of the test set-up."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULE = "IACM206"  # two cases: fail-env-literals (three findings) and pass (none)


def pytest_in(directory: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/test_rule_cases.py", *args],
                          cwd=directory, capture_output=True, text=True, timeout=300)


def test_update_goldens_rewrites_a_stale_expected_file_and_reports_it(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "tests").mkdir()
    for name in ("conftest.py", "test_rule_cases.py"):
        shutil.copy(ROOT / "tests" / name, tmp_path / "tests")
    shutil.copytree(ROOT / "testdata" / "rules" / RULE, tmp_path / "testdata" / "rules" / RULE)
    expected = tmp_path / "testdata" / "rules" / RULE / "fail-env-literals" / "expected.txt"
    right = expected.read_text(encoding="utf-8")
    first, _second, third = right.splitlines()
    stale = first.replace(":7:14:", ":7:15:") + "\n\n" + third + "\n"  # a moved column, a lost finding, a blank line
    expected.write_text(stale, encoding="utf-8")
    untouched = (tmp_path / "testdata" / "rules" / RULE / "pass" / "expected.txt").read_bytes()

    plain = pytest_in(tmp_path)
    assert plain.returncode == 1, plain.stdout
    assert f"FAILED tests/test_rule_cases.py::test_rule_case[{RULE}/fail-env-literals]" in plain.stdout
    assert "rewrote" not in plain.stdout and expected.read_text(encoding="utf-8") == stale

    updating = pytest_in(tmp_path, "--update-goldens")
    assert updating.returncode == 0, updating.stdout
    assert (f"--update-goldens rewrote 1 expected file(s):\n"
            f"  testdata/rules/{RULE}/fail-env-literals/expected.txt\n") in updating.stdout
    assert expected.read_text(encoding="utf-8") == right  # byte for byte the file as committed
    assert (tmp_path / "testdata" / "rules" / RULE / "pass" / "expected.txt").read_bytes() == untouched

    again = pytest_in(tmp_path, "--update-goldens")
    assert again.returncode == 0 and "--update-goldens rewrote 0 expected file(s)\n" in again.stdout
    assert pytest_in(tmp_path).returncode == 0

"""Fixes over every scenario under testdata/ (issue 22, "Done when"):
`--fix --unsafe-fixes` leaves every file parseable; a re-check shows none
of the fixed findings and no new error; a second `--fix` changes nothing;
the `--diff` output applied with `git apply` to a pristine copy gives
exactly the `--fix` result; without `--unsafe-fixes` no unsafe fix applies.

The checks are in `assert_fixes_hold`, which the property tests
(test_fix_properties.py) run over generated repositories too."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from iacm_lint.engine import run
from iacm_lint.engine.fixes import FixRun, fix_scan, unified_diff, write_fixes
from iacm_lint.fix import SAFE
from iacm_lint.options import Options

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"
SCENARIOS = sorted([*TESTDATA.glob("examples/*"), *TESTDATA.glob("rules/*/*"), *TESTDATA.glob("secrets/*")])


def scenario_options(case: Path) -> dict:
    settings = case / "options.json"
    return json.loads(settings.read_text()) if settings.exists() else {}


def key(finding) -> tuple[str, str]:
    """A finding wherever it moved to: IACM101 points at the root's first
    terraform block, which a fix may add in a new file; IACM102 names the
    line of the other backend, which a fix above it moves."""
    return finding.rule_id, re.sub(r":\d+\b", ":", finding.message)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and ".git" not in p.relative_to(root).parts}


def _changed_text(diff: str) -> str:
    """A diff without its file headers: they name the files (a weak password
    such as `password` is also part of `resource_weak_password.tf`), while
    the secrets are masked in the lines of the files."""
    return "".join(line for line in diff.splitlines(keepends=True)
                   if not line.startswith(("diff --git ", "--- a/", "+++ b/", "--- /dev/null", "+++ /dev/null")))


def git_apply(patch: str, directory: Path) -> None:
    done = subprocess.run(["git", "apply", "-p1", "-"], input=patch.encode("utf-8"),
                          cwd=directory, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()


def assert_fixes_hold(work: Path, pristine: Path, **settings) -> FixRun:
    """The five checks on `work` (changed) and `pristine` (a copy of it, for
    `git apply`); returns the fix run of `--fix --unsafe-fixes`."""
    options = dict(cache=False, **settings)
    before = run([str(work)], Options(**options))
    assert not before.internal_errors

    safe_only = fix_scan([str(work)], Options(**options))
    assert all(f.fix is not None and f.fix.applicability == SAFE for f in safe_only.fixed)
    assert not safe_only.errors

    state = fix_scan([str(work)], Options(unsafe_fixes=True, **options))
    assert not state.errors, state.errors
    assert not state.warnings, state.warnings
    masked, patch = unified_diff(state), unified_diff(state, masked=False)
    assert not [secret for secret in state.secrets if secret in _changed_text(masked)]
    if masked != patch:
        assert state.secrets  # only the secrets differ
    assert write_fixes(state) == {}

    after = run([str(work)], Options(**options))
    assert not after.internal_errors
    parse_errors = [f for f in after.findings if f.rule_id == "IACM000"]
    assert len(parse_errors) == len([f for f in before.findings if f.rule_id == "IACM000"]), parse_errors
    remaining, fixed = Counter(map(key, after.findings)), Counter(map(key, state.fixed))
    had = Counter(map(key, before.findings))
    assert not [k for k in fixed if remaining[k] > max(0, had[k] - fixed[k])], "fixed findings are back"
    new_errors = [key(f) for f in after.findings if f.level == "error" and f.suppressed is None and had[key(f)] == 0]
    assert not new_errors

    again = fix_scan([str(work)], Options(unsafe_fixes=True, **options))
    assert not again.changed_files and not again.fixed, unified_diff(again)

    if patch:
        git_apply(patch, pristine)
    assert tree(pristine) == tree(work)
    return state


@pytest.mark.parametrize("case", SCENARIOS, ids=lambda c: c.relative_to(TESTDATA).as_posix())
def test_fixes_hold_on_every_scenario(case: Path, tmp_path: Path):
    work, pristine = tmp_path / "work", tmp_path / "pristine"
    shutil.copytree(case, work, symlinks=True)
    shutil.copytree(case, pristine, symlinks=True)
    settings = scenario_options(case)
    assert_fixes_hold(work, pristine, engine=settings.get("engine", "auto"), state=settings.get("state", "auto"))

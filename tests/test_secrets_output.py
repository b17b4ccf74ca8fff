"""No output format ever shows a secret: the 2xx fail cases are rendered in
every format and no 8-character piece of a flagged value may appear
(`mask` shows at most a credential format's fixed prefix). Also: 2xx rules carry a
security-severity in SARIF."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from iacm_lint.engine import run
from iacm_lint.options import Options
from iacm_lint.report import render

RULES = ("IACM201", "IACM202", "IACM203", "IACM204", "IACM205", "IACM207")
CASES = sorted(case for rule in RULES for case in (Path(__file__).resolve().parent.parent / "testdata" / "rules" / rule)
               .iterdir() if case.name.startswith("fail-"))
FORMATS = ("text", "json", "sarif", "gcc", "github", "markdown")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_UNQUOTED = re.compile(r"(?<=: )(\S+@\S+)|(AKIA[0-9A-Z]{16})")
_WEAK = "weak literal password"


def _shown(secret: str, output: str) -> str | None:
    """A piece of SECRET that OUTPUT shows. Long values: any 8 characters of
    them. A weak password is a dictionary word that messages use as a key
    name too (`sets "password" to`), so it counts as shown only where it is
    assigned: after `=` or `:`, quoted or not."""
    if len(secret) >= 12:
        return next((p for p in (secret[i:i + 8] for i in range(len(secret) - 7)) if p in output), None)
    assigned = re.compile(r"[=:]\s*\\?[\"'`]?" + re.escape(secret) + r"(?!\w)")
    return secret if assigned.search(output) else None


def _scan_output(fmt: str, output: str) -> str:
    """OUTPUT without SARIF's rule documentation, which is fixed text about
    example values (`password = "secret"`), not anything read from the scan."""
    if fmt != "sarif":
        return output
    sarif = json.loads(output)
    for sarif_run in sarif["runs"]:
        sarif_run["tool"]["driver"]["rules"] = []
    return json.dumps(sarif)


def _secrets(case: Path, findings) -> set[str]:
    """The literals on the lines that findings point at (quoted values, URLs
    with credentials in YAML, key ids in comments)."""
    out = set()
    for finding in findings:
        line = (case / finding.span.path).read_text(encoding="utf-8").splitlines()[finding.span.line - 1]
        values = [m.group(1) for m in _QUOTED.finditer(line) if not line[m.end():].lstrip().startswith(":")]
        values += [next(g for g in m.groups() if g) for m in _UNQUOTED.finditer(line)]
        for value in values:
            password = re.search(r"://[^:/@]+:([^@]+)@", value)
            value = password.group(1) if password else value
            long_literal = len(value) >= 12 and not value.endswith((".json", ".tfstate"))
            if long_literal or _WEAK in finding.message:
                out.add(value)
        for token in re.findall(r"(?:ghp_|glpat-|xox[a-z]-)[\w-]+", line):
            out.add(token)
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_no_format_shows_a_secret(case, tmp_path):
    scan = tmp_path / "repo"
    shutil.copytree(case, scan)  # outside git, so that untracked-file rules still fire
    result = run([str(scan)], Options(select=RULES, cache=False))
    findings = [f for f in result.findings if f.rule_id in RULES and f.level != "note"]
    if case.name.endswith("-note"):
        assert findings == [] and result.findings  # a key file path is not a secret: nothing to hide
        return
    secrets = _secrets(scan, findings)
    assert secrets, "no secret literal found on the finding lines"
    for fmt in FORMATS:
        output = _scan_output(fmt, render(fmt, result))
        for secret in sorted(secrets):
            leaked = _shown(secret, output)
            assert leaked is None, f"{fmt} output shows part of a secret from {case.name}: {leaked[:2]}…"


def test_sarif_security_severity_on_secret_rules(tmp_path):
    case = next(c for c in CASES if c.parent.name == "IACM204")
    result = run([str(case)], Options(select=RULES, cache=False))
    sarif = json.loads(render("sarif", result))
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    severities = {rid: rules[rid]["properties"]["security-severity"] for rid in RULES}
    assert severities == {"IACM201": "9.0", "IACM202": "9.0", "IACM203": "9.0", "IACM204": "7.0",
                          "IACM205": "8.0", "IACM207": "8.0"}


def test_tfvars_secret_skips_untracked_and_ignored_files_in_git(tmp_path, monkeypatch):
    from gitrepo import isolate_git, make_repo

    isolate_git(monkeypatch, tmp_path / "home")
    secret = 'db_password = "Qz7-kW2m-Lp9x!"\n'
    repo = make_repo(tmp_path / "repo", tracked={
        ".gitignore": "local.auto.tfvars\n",
        "main.tf": 'variable "db_password" {\n  type = string\n}\n',
        "committed.tfvars": secret,
    }, untracked={"local.auto.tfvars": secret, "scratch.tfvars": secret})
    result = run([str(repo)], Options(select=("IACM205",), cache=False))
    assert [(f.span.path, f.span.line, f.span.col) for f in result.findings] == [("committed.tfvars", 1, 1)]

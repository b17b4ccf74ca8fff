"""The fix interface of `iacm-lint check` (issue 22), in-process: `--fix`,
`--unsafe-fixes`, `--diff` and their exit codes, the config keys `fix`,
`unsafe-fixes`, `fixable`, `unfixable`, the `fix` member of JSON and
`result.fixes` in SARIF (schema-valid), and the fix column of `rules`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from iacm_lint.cli import main

BACKEND = """terraform {
  required_version = ">= 1.10.0"
  backend "s3" {
    bucket  = "acme"
    key     = "app.tfstate"
    region  = "us-east-1"
    encrypt = false
  }
}
"""
GITIGNORE = ".terraform/\n*.tfstate\n*.tfstate.*\ncrash.log\n"


def repo(tmp_path: Path, **files: str) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.tf").write_text(BACKEND)
    (root / ".gitignore").write_text(GITIGNORE)
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def check(*args: str):
    return CliRunner().invoke(main, ["check", *args, "--no-cache"])


def test_diff_prints_what_fix_would_do_and_exits_1_then_0(tmp_path):
    root = repo(tmp_path)
    done = check(str(root), "--diff", "--engine", "opentofu")
    assert done.exit_code == 1, done.output
    assert done.stdout == ("diff --git a/main.tf b/main.tf\n--- a/main.tf\n+++ b/main.tf\n@@ -4,6 +4,6 @@\n"
                           '     bucket  = "acme"\n     key     = "app.tfstate"\n     region  = "us-east-1"\n'
                           "-    encrypt = false\n+    encrypt = true\n   }\n }\n")
    assert done.stderr == "iacm-lint: --fix would fix 1 finding in 1 file\n"
    assert (root / "main.tf").read_text() == BACKEND  # wrote nothing
    unsafe = check(str(root), "--diff", "--unsafe-fixes", "--engine", "opentofu", "-q")
    assert "+    use_lockfile = true\n" in unsafe.stdout and unsafe.stderr == ""
    (root / "main.tf").write_text(BACKEND.replace("false", "true"))
    assert (check(str(root), "--diff", "--engine", "opentofu").exit_code, check(str(root), "--diff").stdout) == (0, "")


def test_diff_takes_no_output_format(tmp_path):
    done = check(str(repo(tmp_path)), "--diff", "--format", "json")
    assert done.exit_code == 2 and "--diff prints a diff and writes nothing" in done.stderr


def test_fix_writes_and_reports_what_remains(tmp_path):
    root = repo(tmp_path)
    done = check(str(root), "--fix", "--engine", "opentofu", "--select", "IACM110,IACM112")
    assert done.exit_code == 1  # the lock is missing still: its fix is unsafe
    assert done.stdout.endswith("1 error, 0 warnings, 0 notes in 1 file (engine: opentofu, from --engine); "
                                "fixed 1 finding in 1 file\n")
    assert "IACM112" not in done.stdout and "IACM110" in done.stdout
    assert (root / "main.tf").read_text() == BACKEND.replace("encrypt = false", "encrypt = true")
    done = check(str(root), "--fix", "--unsafe-fixes", "--engine", "opentofu", "--select", "IACM110,IACM112")
    assert done.exit_code == 0 and done.stdout.endswith("fixed 1 finding in 1 file\n")


def test_fix_with_sarif_to_a_file_reports_what_remains(tmp_path, sarif_schema):
    root = repo(tmp_path)
    out = tmp_path / "out.sarif"
    done = check(str(root), "--fix", "--engine", "opentofu", "--format", "sarif", "-o", str(out))
    assert done.stderr == "iacm-lint: fixed 1 finding in 1 file\n"
    log = json.loads(out.read_text())
    jsonschema.validate(log, sarif_schema)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["IACM110"]
    def replacement(line: int, start: int, end: int, text: str) -> dict:
        return {"deletedRegion": {"startLine": line, "startColumn": start, "endLine": line, "endColumn": end},
                "insertedContent": {"text": text}}

    # the new line, and the `=` of its neighbours aligned again as terraform fmt does
    assert results[0]["fixes"] == [{
        "description": {"text": "Add use_lockfile = true (S3-native state locking)"},
        "artifactChanges": [{"artifactLocation": {"uri": "main.tf", "uriBaseId": "%SRCROOT%"}, "replacements": [
            replacement(4, 11, 13, " " * 7), replacement(5, 8, 13, " " * 10), replacement(6, 11, 13, " " * 7),
            replacement(7, 12, 13, " " * 6), replacement(8, 1, 1, "    use_lockfile = true\n")]}],
        "properties": {"applicability": "unsafe"}}]
    assert (root / "main.tf").read_text() == BACKEND.replace("encrypt = false", "encrypt = true")


def test_json_carries_fixes_and_the_config_makes_rules_unfixable(tmp_path):
    root = repo(tmp_path)
    data = json.loads(check(str(root), "--format", "json", "--engine", "opentofu", "--select", "IACM112").stdout)
    assert data["findings"][0]["fix"] == {
        "applicability": "safe", "message": "Set encrypt = true",
        "edits": [{"path": "main.tf", "start": {"line": 7, "column": 15}, "end": {"line": 7, "column": 20},
                   "content": "true"}]}
    (root / ".iacm-lint.yaml").write_text("unfixable: [IACM112]\n")
    data = json.loads(check(str(root), "--format", "json", "--select", "IACM112").stdout)
    assert data["findings"][0]["fix"] is None
    assert check(str(root), "--diff", "--select", "IACM112").exit_code == 0


def test_config_fix_and_unsafe_fixes_and_the_flags_that_undo_them(tmp_path):
    root = repo(tmp_path, **{".iacm-lint.yaml": "fix: true\nunsafe-fixes: true\nengine: opentofu\n"})
    done = check(str(root), "--no-fix", "--select", "IACM110,IACM112")
    assert done.exit_code == 1 and (root / "main.tf").read_text() == BACKEND
    done = check(str(root), "--no-unsafe-fixes", "--select", "IACM110,IACM112")
    assert "encrypt = true" in (root / "main.tf").read_text() and "use_lockfile" not in (root / "main.tf").read_text()
    done = check(str(root), "--select", "IACM110,IACM112")
    assert done.exit_code == 0 and "use_lockfile = true" in (root / "main.tf").read_text()


def test_a_bad_config_value_for_fix_is_a_usage_error(tmp_path):
    root = repo(tmp_path, **{".iacm-lint.yaml": "fix: yes please\n"})
    done = check(str(root))
    assert done.exit_code == 2
    assert done.stderr.strip().endswith(".iacm-lint.yaml:1: fix: expected true or false, got a string of 10 characters")


def test_rules_lists_the_fix_of_each_rule():
    listing = CliRunner().invoke(main, ["rules"]).stdout.splitlines()
    assert "IACM112  state-encryption-disabled            warning  safe           s3 backend stores state unencrypted" \
        in listing
    assert any(line.startswith("IACM101  backend-missing") and " -  " in line for line in listing)
    rules = {r["id"]: r for r in json.loads(CliRunner().invoke(main, ["rules", "--format", "json"]).stdout)}
    assert [rules[r]["fix"] for r in ("IACM506", "IACM110", "IACM101")] == ["safe or unsafe", "unsafe", None]


def test_the_config_example_of_the_fixes_doc_is_valid(tmp_path):
    doc = (Path(__file__).resolve().parent.parent / "docs" / "fixes.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    root = repo(tmp_path, **{".iacm-lint.yaml": example})
    done = check(str(root), "--engine", "opentofu", "--select", "IACM112")
    assert done.exit_code == 0 and (root / "main.tf").read_text() == BACKEND.replace("false", "true")

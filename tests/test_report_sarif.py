import json
import random

import jsonschema
import pytest

from iacm_lint import __version__
from iacm_lint.registry import Rule
from iacm_lint.report import render
from iacm_lint.report.sarif import MAX_FULL_DESCRIPTION, doc_sections, root_uri
from report_samples import FINDINGS, PARSE_ERROR, RULES, result


@pytest.fixture(scope="module")
def validator(sarif_schema):
    return jsonschema.Draft4Validator(sarif_schema, format_checker=jsonschema.FormatChecker())


def sarif(res=None):
    return json.loads(render("sarif", res or result()))


def test_validates_against_the_sarif_schema(validator):
    errors = sorted(validator.iter_errors(sarif()), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_validates_with_internal_errors_and_no_findings(validator):
    log = sarif(result(findings=[], internal_errors=["IACM110 crashed on envs/dev: KeyError: 'x'"]))
    assert not list(validator.iter_errors(log))
    invocation = log["runs"][0]["invocations"][0]
    assert invocation == {"executionSuccessful": False, "toolExecutionNotifications": [
        {"level": "error", "message": {"text": "IACM110 crashed on envs/dev: KeyError: 'x'"}}]}


def test_driver_and_rule_metadata():
    driver = sarif()["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["informationUri"]) == (
        "iacm-lint", __version__, "https://github.com/iacm-lint/iacm-lint")
    assert driver["semanticVersion"] == __version__.split("+")[0]
    assert [r["id"] for r in driver["rules"]] == ["IACM000", "IACM110", "IACM201", "IACM303"]  # all that ran, sorted
    lock = driver["rules"][1]
    assert lock == {
        "id": "IACM110",
        "name": "state-lock-missing",
        "shortDescription": {"text": "Remote state backend has no state locking configured"},
        "fullDescription": {"text": "Checks that a remote state backend locks its state."},
        "help": {
            "text": "What it does\nChecks that a remote state backend locks its state.\n\n"
                    "Why is this bad?\nTwo runs writing the same state at once corrupt it.\n\n"
                    "Example\n```hcl\n# backend.tf\nterraform {\n  backend \"s3\" {}\n}\n```\n\n"
                    "Use instead\n```hcl\n# backend.tf\nterraform {\n  backend \"s3\" { use_lockfile = true }\n}\n```",
            "markdown": "## What it does\n\nChecks that a remote state backend locks its state.\n\n"
                        "## Why is this bad?\n\nTwo runs writing the same state at once corrupt it.\n\n"
                        "## Example\n\n```hcl\n# backend.tf\nterraform {\n  backend \"s3\" {}\n}\n```\n\n"
                        "## Use instead\n\n```hcl\n# backend.tf\n"
                        "terraform {\n  backend \"s3\" { use_lockfile = true }\n}\n```\n\n"
                        "[Rule documentation](https://github.com/iacm-lint/iacm-lint/blob/main/docs/rules/IACM110.md)",
        },
        "helpUri": "https://github.com/iacm-lint/iacm-lint/blob/main/docs/rules/IACM110.md",
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["state", "onboarding"]},
    }
    secret = driver["rules"][2]
    assert secret["properties"] == {"tags": ["secrets", "security"], "security-severity": "9.1"}
    assert secret["fullDescription"]["text"] == "Finds credentials written into code."
    note = driver["rules"][3]  # no docstring: falls back to the short description
    assert note["fullDescription"]["text"] == "A provider has no version constraint"
    assert note["help"]["text"] and note["help"]["markdown"]
    assert note["defaultConfiguration"] == {"level": "note"}
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert len(rule["fullDescription"]["text"]) <= MAX_FULL_DESCRIPTION


def test_security_severity_for_2xx_rules_without_explicit_value():
    rule = Rule("IACM204", "x", "warning", "short", "file", lambda s, c: iter(()))
    descriptor = sarif(result(findings=[], rules=[rule]))["runs"][0]["tool"]["driver"]["rules"][0]
    severity = descriptor["properties"]["security-severity"]
    assert isinstance(severity, str) and 0 < float(severity) <= 10
    assert "security" in descriptor["properties"]["tags"]


def test_full_description_is_cut_to_1024_characters():
    def long_doc(subject, ctx):
        return iter(())

    long_doc.__doc__ = "What it does\n" + "word " * 400 + "\n\nWhy is this bad?\nBecause."
    rule = Rule("IACM150", "long", "error", "short", "file", long_doc)
    text = sarif(result(findings=[], rules=[rule]))["runs"][0]["tool"]["driver"]["rules"][0]["fullDescription"]["text"]
    assert len(text) <= 1024 and text.endswith("…") and text.startswith("word word")


def test_results_sorted_with_locations_fingerprints_and_states():
    run = sarif()["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    results = run["results"]
    assert [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]) for r in results] == [
        ("envs/dev/backend.tf", "IACM110"), ("envs/dev/broken.tf", "IACM000"), ("envs/dev/provider.tf", "IACM201"),
        ("envs/dev/versions.tf", "IACM303"), ("legacy/backend.tf", "IACM110"), ("modules/net/main.tf", "IACM303")]
    for entry in results:
        assert rules[entry["ruleIndex"]] == entry["ruleId"]
    assert results[0] == {
        "ruleId": "IACM110",
        "ruleIndex": 1,
        "level": "error",
        "message": {"text": 'backend "s3" has no state lock; set use_lockfile = true'},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "envs/dev/backend.tf", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 2, "startColumn": 3, "endLine": 2, "endColumn": 15}}}],
        "partialFingerprints": {"primaryLocationLineHash": "1111111111111111:1"},
    }
    assert results[2]["suppressions"] == [{"kind": "inSource", "justification": "rotated test key"}]
    assert results[4]["baselineState"] == "unchanged"
    assert "suppressions" not in results[4] and "baselineState" not in results[2]
    assert results[5]["relatedLocations"] == [{
        "id": 1,
        "physicalLocation": {"artifactLocation": {"uri": "envs/dev/main.tf", "uriBaseId": "%SRCROOT%"},
                             "region": {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 20}},
        "message": {"text": "called from here"}}]


def test_parse_errors_are_results_and_notifications():
    run = sarif()["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"] == [{
        "level": "error",
        "message": {"text": "cannot parse broken.tf: unexpected end of file"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "envs/dev/broken.tf", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 2, "startColumn": 7, "endLine": 2, "endColumn": 8}}}],
        "associatedRule": {"id": "IACM000", "index": 0},
    }]
    assert any(r["ruleId"] == "IACM000" for r in run["results"])


def test_run_level_fields():
    run = sarif()["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/repo/"}}
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["properties"] == {
        "engines": {"envs/dev": {"engine": "opentofu", "reason": "pipeline .harness/deploy.yaml"}},
        "state": "existing"}


def test_root_uri_quotes_and_ends_with_slash():
    assert root_uri("/srv/my repo") == "file:///srv/my%20repo/"
    assert root_uri("/") == "file:///"


def test_uri_of_a_path_with_spaces_is_percent_encoded():
    from iacm_lint.findings import Finding
    from iacm_lint.model.syntax import Span

    finding = Finding("IACM000", "parse-error", "error", "m", Span("my dir/a#b.tf", 1, 1, 1, 2), fingerprint="f:1")
    entry = sarif(result(findings=[finding], rules=[PARSE_ERROR]))["runs"][0]["results"][0]
    assert entry["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "my%20dir/a%23b.tf"


def test_a_rule_known_only_from_its_findings_is_still_described():
    log = sarif(result(rules=[r for r in RULES if r.id != "IACM000"]))
    ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert "IACM000" in ids


def test_byte_identical_for_the_same_input_in_any_order():
    first = render("sarif", result())
    shuffled_findings, shuffled_rules = list(FINDINGS), list(RULES)
    random.Random(7).shuffle(shuffled_findings)
    random.Random(8).shuffle(shuffled_rules)
    properties = {"state": "existing", "engines": {"envs/dev": {"reason": "pipeline .harness/deploy.yaml",
                                                                "engine": "opentofu"}}}
    second = render("sarif", result(findings=shuffled_findings, rules=shuffled_rules, properties=properties))
    assert first.encode() == second.encode()


def test_doc_sections_accept_plain_and_markdown_headings():
    preamble, sections = doc_sections("Intro.\n\n## What it does\nA.\n\nWhy is this bad?\nB.\n\n"
                                      "Example:\n```hcl\nx = 1\n```")
    assert preamble == "Intro."
    assert sections == [("What it does", "A."), ("Why is this bad?", "B."), ("Example", "```hcl\nx = 1\n```")]


def test_uris_are_relative_to_the_repository_inside_git_and_to_the_scan_root_outside(tmp_path, monkeypatch):
    from pathlib import Path

    from gitrepo import isolate_git, make_repo
    from iacm_lint.engine import run
    from iacm_lint.options import Options

    isolate_git(monkeypatch, tmp_path / "home")
    files = {"my infra/envs/dev/backend.tf": 'terraform {\n  backend "local" {}\n}\n'}
    repository = make_repo(tmp_path / "repo", files)
    log = json.loads(render("sarif", run([str(repository / "my infra")], Options(cache=False, select=("IACM106",)))))
    (found,) = log["runs"][0]["results"]
    location = found["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "my%20infra/envs/dev/backend.tf", "uriBaseId": "%SRCROOT%"}
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root_uri(str(Path(repository).resolve()))
    outside = tmp_path / "plain" / "my infra"
    (outside / "envs" / "dev").mkdir(parents=True)
    (outside / "envs" / "dev" / "backend.tf").write_text(files["my infra/envs/dev/backend.tf"])
    log = json.loads(render("sarif", run([str(outside)], Options(cache=False, select=("IACM106",)))))
    (found,) = log["runs"][0]["results"]
    assert found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "envs/dev/backend.tf"
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root_uri(str(outside.resolve()))

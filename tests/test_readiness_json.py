"""`iacm-lint report --format json`: the versioned readiness document
(docs/schemas/readiness-1.schema.json) — valid against its schema on the
examples and on every rule case, the same findings as `check --format json`,
secrets masked, the remote without credentials, and exact values."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from iacm_lint import __version__
from iacm_lint.cli import main
from iacm_lint.engine import run
from iacm_lint.options import Options
from iacm_lint.report.readiness import json as readiness_json, model as readiness

REPOSITORY = Path(__file__).resolve().parent.parent
EXAMPLES = REPOSITORY / "testdata" / "examples"
RULE_CASES = sorted(path for path in (REPOSITORY / "testdata" / "rules").glob("*/*") if path.is_dir())
SCHEMA = json.loads((REPOSITORY / "docs" / "schemas" / "readiness-1.schema.json").read_text(encoding="utf-8"))
BLOCKED_SECRETS = ("AKIAZ7QH3KX2M4PLNW5R", "q8Vt2LmR9xWc4KpZ7nJd3HsY6fBg1TaE5uXo0QiN", "Wq7#pLz2!vR9kT4m")
TOKEN = "ghs_Secret123"


def validate(document: dict) -> None:
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)


def readiness_document(path: Path) -> dict:
    result = run([str(path)], Options(jobs=1))
    return json.loads(readiness_json.render(readiness.build(result), result))


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["schema"] == {"const": readiness_json.SCHEMA}


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir()))
def test_every_example_is_valid_against_the_schema(example):
    validate(readiness_document(EXAMPLES / example))


def test_every_rule_case_is_valid_against_the_schema():
    for case in RULE_CASES:
        document = readiness_document(case)
        try:
            validate(document)
        except jsonschema.ValidationError as error:
            where = f"{case.relative_to(REPOSITORY)}: {error.message} at {list(error.absolute_path)}"
            raise AssertionError(where) from None


def test_a_document_the_schema_rejects():
    """The schema is strict enough to catch a drift: an unknown verdict, a
    missing key, a rule ID of the wrong form, another version."""
    document = readiness_document(EXAMPLES / "report-blocked")
    for path, value in ((("verdict",), "fine"), (("roots", 0, "verdict"), "ok"), (("findings", 0, "rule"), "X1"),
                        (("schema",), "iacm-lint.readiness/2"), (("counts", "findings", "error"), -1)):
        broken = json.loads(json.dumps(document))
        target = broken
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        with pytest.raises(jsonschema.ValidationError):
            validate(broken)
    del document["roots"][0]["checklist"]
    with pytest.raises(jsonschema.ValidationError, match="'checklist' is a required property"):
        validate(document)


def test_the_findings_are_the_ones_check_reports_with_their_roots():
    result = run([str(EXAMPLES / "report-blocked")], Options(jobs=1))
    document = json.loads(readiness_json.render(readiness.build(result), result))
    checked = json.loads(CliRunner().invoke(main, ["check", str(EXAMPLES / "report-blocked"), "--format", "json"])
                         .output)["findings"]
    assert [{k: v for k, v in f.items() if k not in ("roots", "message")} for f in document["findings"]] == \
        [{k: v for k, v in f.items() if k != "message"} for f in checked]
    assert [(f["rule"], f["path"], f["roots"]) for f in document["findings"]] == [
        ("IACM506", ".harness/app.yaml", ["app"]), ("IACM506", ".harness/app.yaml", ["app"]),
        ("IACM501", ".harness/app.yaml", ["app"]), ("IACM110", "app/backends.tf", ["app"]),
        ("IACM201", "app/backends.tf", ["app"]), ("IACM201", "app/backends.tf", ["app"]),
        ("IACM204", "app/main.tf", ["app"]), ("IACM114", "harness/state.tf", ["harness"])]
    assert document["counts"] == {"roots": {"total": 3, "blocked": 1, "needs work": 1, "ready": 1},
                                  "findings": {"error": 7, "warning": 1, "note": 0}, "suppressed": 0}
    assert document["verdict"] == "blocked"
    assert [(r["path"], r["verdict"], r["engine"], r["counts"]) for r in document["roots"]] == [
        ("app", "blocked", "opentofu", {"error": 7, "warning": 0, "note": 0}),
        ("harness", "needs work", "opentofu", {"error": 0, "warning": 1, "note": 0}),
        ("network", "ready", "opentofu", {"error": 0, "warning": 0, "note": 0}),
    ]


def test_a_root_in_detail():
    document = readiness_document(EXAMPLES / "report-blocked")
    app = document["roots"][0]
    assert app["accepted_releases"] == {"terraform": [], "opentofu": [{"from": "1.7.0", "to": "1.12.6"}]}
    assert app["engine_reason"] == "workspace harness_platform_workspace.app in harness/workspaces.tf"
    assert app["backends"] == [{
        "type": "s3", "label": 'backend "s3"', "location": "bucket = retail-app-tfstate, region = us-east-1",
        "key": "key = app/prod/terraform.tfstate", "locking": "none", "lock_mode": "optional",
        "encryption": "encrypt = true", "partial": False, "configured_in": ["app/backends.tf:2"]}]
    assert [(c["key"], c["status"], c["state"], c["detail"]) for c in app["checklist"]] == [
        ("backend", "pass", "met", None),
        ("state", "fail", "blocked", "IACM110"),
        ("credentials", "fail", "blocked", "IACM201, IACM204"),
        ("pipeline", "fail", "blocked", "IACM501, IACM506"),
        ("version", "pass", "met", None),
    ]
    assert [(p["path"], p["line"], p["stage"], p["workspace"], [s["type"] for s in p["steps"]])
            for p in app["pipelines"]] == [(".harness/app.yaml", 7, "provision", "retail_app",
                                            ["IACM_TOFU_INIT", "IACM_TOFU_PLAN", "Run"])]
    assert app["workspaces"] == [{"identifier": "retail_app", "path": "harness/workspaces.tf", "line": 16,
                                  "provisioner": "opentofu 1.8.5", "address": "harness_platform_workspace.app"}]


def test_secrets_are_masked():
    document = readiness_document(EXAMPLES / "report-blocked")
    text = json.dumps(document, ensure_ascii=False)
    for secret in BLOCKED_SECRETS:
        assert secret[1:5] not in text
    assert next(f["message"] for f in document["findings"] if f["rule"] == "IACM201").startswith(
        "backend \"s3\" sets \"access_key\" to an AWS access key id (AKIA…); remove it")


def test_suppressed_findings_are_left_out_and_counted(tmp_path):
    (tmp_path / "main.tf").write_text(
        'terraform {\n  # iacm-lint: ignore[IACM110] -- the lock table comes with the account\n'
        '  backend "s3" {\n    bucket = "b"\n    key    = "k"\n    region = "eu-west-1"\n  }\n}\n',
        encoding="utf-8")
    document = readiness_document(tmp_path)
    validate(document)
    assert document["counts"]["suppressed"] == 1
    assert "IACM110" not in [f["rule"] for f in document["findings"]]


def test_cli_writes_the_document_with_the_repository_identity(tmp_path, monkeypatch):
    from gitrepo import git, isolate_git, make_repo

    isolate_git(monkeypatch, tmp_path / "home")
    root = make_repo(tmp_path / "live", tracked={"infra/main.tf": 'terraform {\n  backend "gcs" {\n'
                                                                  '    bucket = "b"\n    prefix = "p"\n  }\n}\n'})
    git(root, "checkout", "-q", "-b", "release/2024")
    git(root, "remote", "add", "origin", f"https://x-access-token:{TOKEN}@github.com/acme/live.git")
    commit = git(root, "rev-parse", "HEAD").strip()
    output = tmp_path / "readiness.json"
    result = CliRunner(env={"SOURCE_DATE_EPOCH": "1700000000"}).invoke(
        main, ["report", str(root / "infra"), "--format", "json", "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = output.read_text(encoding="utf-8")
    assert TOKEN not in text and "x-access-token" not in text
    document = json.loads(text)
    validate(document)
    assert document["schema"] == "iacm-lint.readiness/1"
    assert document["tool"] == {"name": "iacm-lint", "version": __version__}
    assert document["repository"] == {"name": "infra", "remote": "https://github.com/acme/live.git",
                                      "commit": commit, "branch": "release/2024", "directory": "infra",
                                      "in_git": True}
    assert document["scanned_at"] == "2023-11-14T22:13:20Z"


def test_outside_git_the_identity_is_null(tmp_path):
    (tmp_path / "main.tf").write_text('resource "null_resource" "x" {}\n', encoding="utf-8")
    document = readiness_document(tmp_path)
    assert document["repository"] == {"name": tmp_path.name, "remote": None, "commit": None, "branch": None,
                                      "directory": None, "in_git": False}
    assert document["scanned_at"] is None

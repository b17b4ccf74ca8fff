"""`iacm-lint survey`: the testdata examples made into git repositories
survey exactly as `check` counts each of them, through worker processes
and in this one; the merged readiness documents survey like the checkouts;
every kind of bad input is its own failed entry with a one-line reason,
never echoed raw, and the others are still counted; the outputs (json
against its schema, csv, markdown, html) escape what the repositories
wrote and never carry a remote's credentials."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from gitrepo import git, isolate_git, make_repo
from iacm_lint import __version__
from iacm_lint.cli import main, survey as survey_command
from iacm_lint.report.survey import model as survey_model
from iacm_lint.sanitise import file_link

REPOSITORY = Path(__file__).resolve().parent.parent
EXAMPLES = REPOSITORY / "testdata" / "examples"
EXAMPLE_NAMES = sorted(path.name for path in EXAMPLES.iterdir())
SURVEY_SCHEMA = json.loads((REPOSITORY / "docs" / "schemas" / "survey-1.schema.json").read_text(encoding="utf-8"))
TOKEN = "ghs_Secret123"


@pytest.fixture
def repos(tmp_path, monkeypatch) -> Path:
    """The testdata examples, each copied into a git repository of its own below repos/."""
    isolate_git(monkeypatch, tmp_path / "home")
    directory = tmp_path / "repos"
    for name in EXAMPLE_NAMES:
        shutil.copytree(EXAMPLES / name, directory / name)
        make_repo(directory / name, tracked={})
        git(directory / name, "add", "-A")
        git(directory / name, "commit", "-q", "-m", "example")
    return directory


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner(env={"SOURCE_DATE_EPOCH": "1700000000"}).invoke(main, ["survey", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def survey_json(*args: str) -> dict:
    code, out, err = invoke(*args, "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    jsonschema.Draft202012Validator(SURVEY_SCHEMA).validate(document)
    return document


def check_counts(path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """The findings `iacm-lint check` reports for a repository, by level and by rule."""
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    findings = [f for f in json.loads(result.stdout)["findings"]
                if not f["suppressed"] and f["baseline_state"] != "unchanged"]
    levels = {level: sum(1 for f in findings if f["level"] == level) for level in ("error", "warning", "note")}
    rules: dict[str, int] = {}
    for finding in sorted(findings, key=lambda f: f["rule"]):
        rules[finding["rule"]] = rules.get(finding["rule"], 0) + 1
    return levels, rules


@pytest.mark.parametrize("jobs", ["1", "3"], ids=["one-at-a-time", "three-at-a-time"])
def test_a_survey_of_the_examples_equals_their_check_results(repos, jobs):
    document = survey_json("--repos-in", str(repos), "--jobs", jobs)
    assert [r["name"] for r in document["repositories"]] == EXAMPLE_NAMES
    for repository in document["repositories"]:
        levels, rules = check_counts(repos / repository["name"])
        assert (repository["findings"], repository["rules"]) == (levels, rules), repository["name"]
        expected = "blocked" if levels["error"] else "needs work" if levels["warning"] else "ready"
        assert repository["verdict"] == expected
        assert repository["path"] == str(repos / repository["name"])
        assert repository["commit"] == git(repos / repository["name"], "rev-parse", "HEAD").strip()
    assert {r["name"]: r["verdict"] for r in document["repositories"]} == {
        "harness-platform-config": "ready", "local-backend": "blocked", "onboarding-ready": "ready",
        "report-blocked": "blocked", "report-needs-work": "needs work", "terragrunt-live": "blocked"}
    blocked = document["repositories"][EXAMPLE_NAMES.index("report-blocked")]
    assert blocked["roots"] == {"total": 3, "blocked": 1, "needs work": 1, "ready": 1}
    assert blocked["rule_errors"] == {"IACM110": 1, "IACM201": 2, "IACM204": 1, "IACM501": 1, "IACM506": 2}
    assert blocked["engines"] == {"opentofu": 3}
    terragrunt = document["repositories"][EXAMPLE_NAMES.index("terragrunt-live")]  # units are roots
    assert terragrunt["roots"] == {"total": 4, "blocked": 4, "needs work": 0, "ready": 0}
    assert terragrunt["rule_errors"] == {"IACM110": 1, "IACM205": 1, "IACM502": 1, "IACM507": 1, "IACM602": 1}
    assert document["totals"]["verdicts"] == {"blocked": 3, "needs work": 1, "ready": 2, "failed": 0}
    assert document["totals"]["repositories"] == 6
    assert document["totals"]["findings"] == {"error": 13, "warning": 4, "note": 1}
    assert list(document["totals"]["blocked_by"].items())[:2] == [("IACM110", 2), ("IACM106", 1)]
    assert document["tool"] == {"name": "iacm-lint", "version": __version__}


def test_merged_readiness_documents_survey_like_the_checkouts(repos, tmp_path):
    """The CI matrix path: `report --format json` per repository, then
    `survey` over the artifacts, gives the direct survey's entries."""
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    for name in EXAMPLE_NAMES:
        result = CliRunner().invoke(main, ["report", str(repos / name), "--format", "json",
                                           "-o", str(artifacts / f"{name}.json")])
        assert result.exit_code == 0, result.output
    merged = survey_json(*sorted(str(path) for path in artifacts.iterdir()))
    direct = survey_json("--repos-in", str(repos))

    def without_paths(document: dict) -> list[dict]:
        return [{k: v for k, v in r.items() if k != "path"} for r in document["repositories"]]

    assert without_paths(merged) == without_paths(direct)
    assert merged["totals"] == direct["totals"]
    assert [r["path"] for r in merged["repositories"]] == [str(artifacts / f"{n}.json") for n in EXAMPLE_NAMES]


def test_reports_dir_holds_each_checkouts_own_reports_and_the_survey_links_them(repos, tmp_path):
    reports = tmp_path / "site" / "reports"
    reports.mkdir(parents=True)
    output = tmp_path / "site" / "survey.html"
    code, _, err = invoke("--repos-in", str(repos), "--reports-dir", str(reports), "--format", "html",
                          "-o", str(output))
    assert code == 0, err
    assert sorted(p.name for p in reports.iterdir()) == sorted(f"{n}.{e}" for n in EXAMPLE_NAMES for e in ("html",
                                                                                                           "json"))
    page = output.read_text(encoding="utf-8")
    assert '<a href="./reports/report-blocked.html"><code class="path">report-blocked</code></a>' in page
    stored = json.loads((reports / "report-blocked.json").read_text(encoding="utf-8"))
    reported = json.loads(CliRunner(env={"SOURCE_DATE_EPOCH": "1700000000"}).invoke(
        main, ["report", str(repos / "report-blocked"), "--format", "json"]).stdout)
    assert stored == reported
    merged = survey_json(*sorted(str(p) for p in reports.glob("*.json")))
    assert [r["report"] for r in merged["repositories"]] == [None] * 6  # a document has no HTML report beside it


def test_progress_goes_to_standard_error_one_line_per_input(repos):
    code, out, err = invoke("--repos-in", str(repos), "--jobs", "1", "--format", "csv")
    assert code == 0
    assert err.splitlines() == [f"iacm-lint survey: [{i}/6] {name}: {verdict}" for i, (name, verdict) in enumerate(
        [("harness-platform-config", "ready"), ("local-backend", "blocked"), ("onboarding-ready", "ready"),
         ("report-blocked", "blocked"), ("report-needs-work", "needs work"), ("terragrunt-live", "blocked")],
        start=1)]
    assert out.splitlines()[0].startswith("name,path,verdict,roots,")
    assert invoke("--repos-in", str(repos), "--jobs", "1", "-q")[2] == ""


# ---- bad input ---------------------------------------------------------------------------------

def _document(**changes) -> dict:
    """A minimal valid readiness document, with `changes` laid over its top level."""
    document = {
        "schema": "iacm-lint.readiness/1",
        "tool": {"name": "iacm-lint", "version": "1.0.0"},
        "repository": {"name": "acme", "remote": None, "commit": None, "branch": None, "directory": None,
                       "in_git": False},
        "scanned_at": None, "state": None, "verdict": "ready",
        "counts": {"roots": {"total": 0, "ready": 0, "needs work": 0, "blocked": 0},
                   "findings": {"error": 0, "warning": 0, "note": 0}, "suppressed": 0},
        "roots": [], "unresolved_pipelines": [], "findings": [],
    }
    document.update(changes)
    return document


BAD_DOCUMENTS = {
    "malformed": (b'{"schema": "iacm-lint.readiness/1", ', "not valid JSON: Expecting property name enclosed in "
                                                           "double quotes at line 1 column 37"),
    "foreign": (b'{"runs": []}', 'not an iacm-lint readiness document (no "schema" field)'),
    "a-list": (b"[1, 2]", 'not an iacm-lint readiness document (no "schema" field)'),
    "other-version": (json.dumps(_document(schema="iacm-lint.readiness/2")).encode(),
                      "readiness document version iacm-lint.readiness/2 is not supported; "
                      "this iacm-lint reads iacm-lint.readiness/1"),
    "other-schema": (json.dumps(_document(schema="\x1b]52;c;ZXZpbA==\x07")).encode(),
                     "not an iacm-lint readiness document (its schema is not iacm-lint.readiness/1)"),
    "escape-bytes": (b"\x1b]0;owned\x07\x1b[2J", "not valid JSON: Expecting value at line 1 column 1"),
    "not-utf8": (b'{"schema": "\xff"}', "not UTF-8 text (byte 13)"),
    "deep": (b"[" * 100_000, "not a readiness document: nested too deeply"),
    "huge-number": (b'{"schema": 1' + b"0" * 5000 + b"}",
                    "not a readiness document: a number of more than 20 digits"),
    "nan": (b'{"schema": NaN}', "not valid JSON: NaN and Infinity are not JSON numbers"),
    "bad-rule": (json.dumps(_document(findings=[{"rule": "<img src=x>", "level": "error"}])).encode(),
                 "invalid readiness document: findings[0].rule is not a rule ID (IACM and three digits)"),
    "bad-level": (json.dumps(_document(findings=[{"rule": "IACM110", "level": "fatal"}])).encode(),
                  "invalid readiness document: findings[0].level is missing or not one of error, warning, note"),
    "bad-verdict": (json.dumps(_document(roots=[{"verdict": "great", "engine": None}])).encode(),
                    "invalid readiness document: roots[0].verdict is missing or not one of blocked, needs work, "
                    "ready"),
    "no-name": (json.dumps(_document(repository={"remote": None})).encode(),
                "invalid readiness document: repository.name is missing or not a string"),
    "long-name": (json.dumps(_document(repository={"name": "x" * 300, "remote": None, "commit": None,
                                                   "branch": None})).encode(),
                  "invalid readiness document: repository.name is longer than 255 characters"),
    "bad-commit": (json.dumps(_document(repository={"name": "a", "remote": None, "commit": "HEAD; rm -rf",
                                                    "branch": None})).encode(),
                   "invalid readiness document: repository.commit is not a commit's object name"),
    "findings-not-a-list": (json.dumps(_document(findings={"IACM110": 1})).encode(),
                            "invalid readiness document: findings is missing or not a list"),
}


def test_every_bad_input_is_its_own_failed_entry_and_the_others_are_counted(tmp_path, repos):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name, (data, _) in BAD_DOCUMENTS.items():
        (inputs / f"{name}.json").write_bytes(data)
    (inputs / "good.json").write_text(json.dumps(_document(findings=[{"rule": "IACM110", "level": "error"}])),
                                      encoding="utf-8")
    os.mkfifo(inputs / "fifo.json")
    (inputs / "not-a-repository").mkdir()
    args = [*sorted(str(p) for p in inputs.iterdir()), str(tmp_path / "missing"), str(repos / "onboarding-ready")]
    code, out, err = invoke(*args, "--format", "json", "--jobs", "1")
    assert code == 0
    document = json.loads(out)
    jsonschema.Draft202012Validator(SURVEY_SCHEMA).validate(document)
    reasons = {r["name"]: r["reason"] for r in document["repositories"]}
    expected = {name: reason for name, (_, reason) in BAD_DOCUMENTS.items()}
    expected.update({"fifo": "not a regular file", "missing": "no such file or directory",
                     "not-a-repository": "not a git repository (no .git in it)", "acme": None,
                     "onboarding-ready": None})
    assert reasons == expected
    assert document["totals"]["verdicts"] == {"blocked": 1, "needs work": 0, "ready": 1,
                                              "failed": len(BAD_DOCUMENTS) + 3}
    assert document["totals"]["rules"] == {"IACM110": 1}
    for text in (out, err):
        assert "\x1b" not in text and "owned" not in text and "<img" not in text and "rm -rf" not in text
    assert f"iacm-lint survey: [{len(args)}/{len(args)}]" in err


def test_a_document_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(survey_model, "MAX_DOCUMENT_BYTES", 1024 * 1024)
    big = tmp_path / "big.json"
    big.write_text(json.dumps(_document(padding="x" * (1024 * 1024))), encoding="utf-8")
    code, out, err = invoke(str(big), "--format", "json")
    assert code == 2
    assert json.loads(out)["repositories"][0]["reason"] == "larger than 1 MB, not read"
    assert err.splitlines()[-1] == "iacm-lint: nothing could be surveyed (1 failed)"


def test_exit_code_2_only_when_nothing_could_be_surveyed(tmp_path):
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    (tmp_path / "good.json").write_text(json.dumps(_document()), encoding="utf-8")
    assert invoke(str(tmp_path / "bad.json"))[0] == 2
    assert invoke(str(tmp_path / "bad.json"), str(tmp_path / "good.json"))[0] == 0
    code, out, err = invoke()
    assert (code, out) == (2, "")
    assert err == ("iacm-lint: nothing to survey: give checkouts or readiness documents, "
                   "or --repos-in DIR with git repositories\n")
    code, _, err = invoke(str(tmp_path / "good.json"), "--reports-dir", str(tmp_path / "none"))
    assert (code, err) == (2, f"iacm-lint: --reports-dir {tmp_path / 'none'} is not a directory\n")


def test_repos_in_takes_the_git_repositories_directly_below_and_follows_no_link(repos, tmp_path):
    (repos / "plain-folder").mkdir()
    (repos / "a-file.json").write_text("{}", encoding="utf-8")
    os.symlink(repos / "onboarding-ready", repos / "zz-link")
    assert [r["name"] for r in survey_json("--repos-in", str(repos), "--jobs", "1")["repositories"]] == EXAMPLE_NAMES


def test_a_checkout_whose_config_is_broken_fails_alone(repos):
    (repos / "local-backend" / ".iacm-lint.yaml").write_text("engine: [\n", encoding="utf-8")
    document = survey_json("--repos-in", str(repos), "--jobs", "2")
    failed = [r for r in document["repositories"] if r["verdict"] == "failed"]
    assert [r["name"] for r in failed] == ["local-backend"]
    assert failed[0]["reason"].startswith(f"{repos / 'local-backend' / '.iacm-lint.yaml'}:2: invalid YAML: ")
    assert document["totals"]["verdicts"]["failed"] == 1 and document["totals"]["repositories"] == 6
    assert survey_json("--repos-in", str(repos), "--no-config", "--jobs", "1")["totals"]["verdicts"]["failed"] == 0


def test_a_crash_in_one_checkout_fails_that_checkout_only(repos, monkeypatch):
    real_run = survey_command.run

    def crashing(paths, options):
        if paths[0].endswith("report-blocked"):
            raise KeyError("a rule's bug")
        return real_run(paths, options)

    monkeypatch.setattr(survey_command, "run", crashing)
    document = survey_json("--repos-in", str(repos), "--jobs", "1")
    failed = {r["name"]: r["reason"] for r in document["repositories"] if r["verdict"] == "failed"}
    assert list(failed) == ["report-blocked"]
    assert failed["report-blocked"].startswith("internal error: KeyError at iacm_lint/cli/survey.py:")
    assert "a rule's bug" not in failed["report-blocked"]


def test_a_worker_process_that_dies_fails_its_checkout_only(repos, monkeypatch):
    real = survey_command.survey_checkout

    def dying(checkout):
        if checkout.path.endswith("local-backend"):
            os._exit(3)
        return real(checkout)

    monkeypatch.setattr(survey_command, "survey_checkout", dying)
    document = survey_json("--repos-in", str(repos), "--jobs", "2")
    failed = {r["name"]: r["reason"] for r in document["repositories"] if r["verdict"] == "failed"}
    assert failed == {"local-backend": "the scanning process ended without an answer (exit code 3)"}
    assert document["totals"]["repositories"] == 6


# ---- what the outputs show of untrusted documents ---------------------------------------------------

HOSTILE = {
    "name": "=HYPERLINK(\"x\")|<script>alert(1)</script>`[a](javascript:x)\u202e\x1b[31m",
    "remote": f"https://x-access-token:{TOKEN}@github.com/acme/live.git?private_token={TOKEN}",
    "commit": "0" * 40, "branch": "-main\x07", "directory": None, "in_git": True,
}


@pytest.mark.parametrize("format_name", ["json", "csv", "markdown", "html"])
def test_names_and_remotes_from_documents_are_escaped_and_stripped(tmp_path, format_name):
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(_document(repository=HOSTILE)), encoding="utf-8")
    code, out, err = invoke(str(path), "--format", format_name)
    assert code == 0, err
    for text in (out, err):
        assert TOKEN not in text and "x-access-token" not in text
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    if format_name == "html":
        assert "<script>alert" not in out and "&lt;script&gt;" in out
        assert "github.com/<wbr>acme/<wbr>live.git" in out
    if format_name == "markdown":  # a code span: shown as the literal text
        assert ('| ``=HYPERLINK("x")\\|<script>alert(1)</script>`[a](javascript:x)\\u202e\\x1b[31m`` | ✅ ready |'
                in out)
    if format_name == "csv":
        assert out.splitlines()[1].startswith('"\'=HYPERLINK') and ",'-main\\x07," in out
    if format_name == "json":
        assert json.loads(out)["repositories"][0]["remote"] == "https://github.com/acme/live.git"


def test_a_checkouts_remote_credentials_are_stripped(tmp_path, monkeypatch):
    isolate_git(monkeypatch, tmp_path / "home")
    root = make_repo(tmp_path / "repos" / "live", tracked={"main.tf": 'terraform {\n  backend "gcs" {\n'
                                                                    '    bucket = "b"\n    prefix = "p"\n  }\n}\n'})
    git(root, "remote", "add", "origin", f"https://x-access-token:{TOKEN}@github.com/acme/live.git")
    for format_name in ("json", "csv", "markdown", "html"):
        code, out, err = invoke("--repos-in", str(tmp_path / "repos"), "--format", format_name)
        assert code == 0 and TOKEN not in out + err and "x-access-token" not in out + err
        assert ("github.com/acme/live.git" in out.replace("<wbr>", "")) is (format_name != "markdown")


def test_html_page_is_self_contained_with_totals_chart_and_table(repos):
    code, page, _ = invoke("--repos-in", str(repos), "--format", "html", "-q")
    assert code == 0
    assert ('<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; '
            "style-src &#39;sha256-") in page
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert '<div class="card"><div class="n bad">3</div>blocked</div>' in page
    assert page.count('<tr data-verdict="') == 6
    assert "<title>IACM106: blocks 1 repository</title>" in page
    assert '<td data-label="Engines">opentofu 3</td>' in page


def test_markdown_and_csv_of_the_examples(repos):
    markdown = invoke("--repos-in", str(repos), "--format", "markdown", "-q")[1]
    assert "| 6 | 2 | 1 | 3 | 0 | 14 | 13 | 4 | 1 |" in markdown
    assert "| `report-blocked` | ⛔ blocked | 1 / 1 / 1 | 7 | 1 | 0 | opentofu 3 |" in markdown
    rows = invoke("--repos-in", str(repos), "--format", "csv", "-q")[1].splitlines()
    assert rows[4].startswith(f"report-blocked,{repos / 'report-blocked'},blocked,3,1,1,1,7,1,0,opentofu:3,"
                              "IACM201:2 IACM506:2 IACM110:1 IACM114:1 IACM204:1,,")


def test_reports_of_checkouts_with_one_name_do_not_overwrite_each_other(tmp_path, monkeypatch):
    isolate_git(monkeypatch, tmp_path / "home")
    tracked = {"main.tf": 'terraform {\n  backend "gcs" {\n    bucket = "b"\n    prefix = "p"\n  }\n}\n'}
    first = make_repo(tmp_path / "team-a" / "infra", tracked=tracked)
    second = make_repo(tmp_path / "team-b" / "infra", tracked=tracked)
    odd = make_repo(tmp_path / "team-c" / "in fra;<x>", tracked=tracked)
    reports = tmp_path / "reports"
    reports.mkdir()
    document = survey_json(str(first), str(second), str(odd), "--reports-dir", str(reports), "--jobs", "2")
    assert sorted(p.name for p in reports.iterdir()) == ["in-fra-x.html", "in-fra-x.json", "infra-2.html",
                                                         "infra-2.json", "infra.html", "infra.json"]
    base = os.path.relpath(reports, Path.cwd())
    assert sorted(r["report"] for r in document["repositories"]) == [
        file_link(base, name) for name in ("in-fra-x.html", "infra-2.html", "infra.html")]

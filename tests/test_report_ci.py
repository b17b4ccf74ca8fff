"""The formats CI servers read: gitlab (Code Quality), junit, checkstyle.
Exact outputs, validated against the published schemas and parsers
(tests/data/README.md names their sources), with repository-relative paths."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import junitparser
import xmlschema

from gitrepo import isolate_git, make_repo
from iacm_lint.engine import run
from iacm_lint.findings import Finding
from iacm_lint.model.syntax import Span
from iacm_lint.options import Options
from iacm_lint.report import ReportOptions, render
from report_samples import LOCK, NOTE_RULE, PARSE_ERROR, SECRET, result

DATA = Path(__file__).parent / "data"
GITLAB_SCHEMA = json.loads((DATA / "gitlab-codeclimate.json").read_text(encoding="utf-8"))
JUNIT_SCHEMA = xmlschema.XMLSchema(str(DATA / "junit-10.xsd"))
CHECKSTYLE_SCHEMA = xmlschema.XMLSchema(str(DATA / "checkstyle-reviewdog.xsd"))
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def gitlab_issues(text: str) -> list[dict]:
    """Parse and validate a Code Quality report as GitLab does: an array of
    issues, each valid under GitLab's schema, fingerprints unique."""
    issues = json.loads(text)
    assert isinstance(issues, list)
    for issue in issues:
        jsonschema.validate(issue, GITLAB_SCHEMA)
        assert issue["severity"] in GITLAB_SEVERITIES and issue["check_name"]
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    return issues


# ---- gitlab -----------------------------------------------------------------------


def test_gitlab_exact_and_valid():
    issues = gitlab_issues(render("gitlab", result()))
    assert issues == [
        {"type": "issue", "check_name": "IACM110",
         "description": 'IACM110 backend "s3" has no state lock; set use_lockfile = true',
         "fingerprint": "IACM110:1111111111111111:1", "severity": "major",
         "location": {"path": "envs/dev/backend.tf", "lines": {"begin": 2, "end": 2}}},
        {"type": "issue", "check_name": "IACM000",
         "description": "IACM000 cannot parse broken.tf: unexpected end of file",
         "fingerprint": "IACM000:6666666666666666:1", "severity": "major",
         "location": {"path": "envs/dev/broken.tf", "lines": {"begin": 2, "end": 2}}},
        {"type": "issue", "check_name": "IACM303",
         "description": 'IACM303 provider "aws" has no version constraint; add one',
         "fingerprint": "IACM303:3333333333333333:1", "severity": "info",
         "location": {"path": "envs/dev/versions.tf", "lines": {"begin": 4, "end": 6}}},
        {"type": "issue", "check_name": "IACM303", "description": "IACM303 50% of providers: pin a, b | c\nnow",
         "fingerprint": "IACM303:4444444444444444:1", "severity": "minor",
         "location": {"path": "modules/net/main.tf", "lines": {"begin": 7, "end": 7}}},
    ]  # the suppressed IACM201 and the baselined IACM110 are left out


def test_gitlab_security_errors_are_critical():
    secret = Finding("IACM201", "backend-credential-literal", "error", "a secret", Span("a.tf", 1, 1, 1, 2),
                     fingerprint="7777777777777777:1")
    (issue,) = gitlab_issues(render("gitlab", result(findings=[secret], rules=[SECRET])))
    assert issue["severity"] == "critical"


# ---- checkstyle -------------------------------------------------------------------

CHECKSTYLE = """\
<?xml version="1.0" encoding="UTF-8"?>
<checkstyle version="4.3">
  <file name="envs/dev/backend.tf">
    <error line="2" column="3" severity="error" \
message="backend &quot;s3&quot; has no state lock; set use_lockfile = true" source="iacm-lint.IACM110" />
  </file>
  <file name="envs/dev/broken.tf">
    <error line="2" column="7" severity="error" message="cannot parse broken.tf: unexpected end of file" \
source="iacm-lint.IACM000" />
  </file>
  <file name="envs/dev/versions.tf">
    <error line="4" column="5" severity="info" message="provider &quot;aws&quot; has no version constraint; add one" \
source="iacm-lint.IACM303" />
  </file>
  <file name="modules/net/main.tf">
    <error line="7" column="1" severity="warning" message="50% of providers: pin a, b | c\\nnow" \
source="iacm-lint.IACM303" />
  </file>
</checkstyle>
"""


def test_checkstyle_exact_and_valid():
    text = render("checkstyle", result())
    assert text == CHECKSTYLE
    CHECKSTYLE_SCHEMA.validate(text)
    # what reviewdog's parser reads of it: file name, line, column, message
    read = [(file.get("name"), int(error.get("line")), int(error.get("column")), error.get("message"))
            for file in ElementTree.fromstring(text) for error in file]
    assert read[0] == ("envs/dev/backend.tf", 2, 3, 'backend "s3" has no state lock; set use_lockfile = true')


def test_checkstyle_without_findings():
    text = render("checkstyle", result(findings=[]))
    assert text == '<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3" />\n'
    CHECKSTYLE_SCHEMA.validate(text)


# ---- junit --------------------------------------------------------------------------

JUNIT = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="iacm-lint" tests="5" failures="2" errors="0">
  <testsuite name="IACM000 parse-error" tests="1" failures="1" errors="0" skipped="0">
    <testcase classname="IACM000" name="envs/dev/broken.tf">
      <failure type="error" message="cannot parse broken.tf: unexpected end of file">envs/dev/broken.tf:2:7: error: \
cannot parse broken.tf: unexpected end of file</failure>
    </testcase>
  </testsuite>
  <testsuite name="IACM110 state-lock-missing" tests="1" failures="1" errors="0" skipped="0">
    <testcase classname="IACM110" name="envs/dev/backend.tf">
      <failure type="error" message="backend &quot;s3&quot; has no state lock; set use_lockfile = true">\
envs/dev/backend.tf:2:3: error: backend "s3" has no state lock; set use_lockfile = true</failure>
    </testcase>
  </testsuite>
  <testsuite name="IACM201 hardcoded-secret" tests="1" failures="0" errors="0" skipped="0">
    <testcase classname="IACM201" name="no findings" />
  </testsuite>
  <testsuite name="IACM303 provider-unpinned" tests="2" failures="0" errors="0" skipped="0">
    <testcase classname="IACM303" name="envs/dev/versions.tf">
      <system-out>envs/dev/versions.tf:4:5: note: provider "aws" has no version constraint; add one</system-out>
    </testcase>
    <testcase classname="IACM303" name="modules/net/main.tf">
      <system-out>modules/net/main.tf:7:1: warning: 50% of providers: pin a, b | c\\nnow</system-out>
    </testcase>
  </testsuite>
</testsuites>
"""


def junit_cases(text: str) -> dict[tuple[str, str], str]:
    """Validate against Jenkins' junit-10.xsd, read with junitparser:
    (classname, name) -> "passed" or the failure's message."""
    JUNIT_SCHEMA.validate(text)
    xml = junitparser.JUnitXml.fromstring(text)
    cases = {}
    for suite in xml:
        counted = list(suite)
        assert suite.tests == len(counted) and suite.failures == sum(1 for case in counted if not case.is_passed)
        for case in counted:
            cases[(case.classname, case.name)] = "passed" if case.is_passed else case.result[0].message
    return cases


def test_junit_exact_and_valid():
    text = render("junit", result())
    assert text == JUNIT
    assert junit_cases(text) == {
        ("IACM000", "envs/dev/broken.tf"): "cannot parse broken.tf: unexpected end of file",
        ("IACM110", "envs/dev/backend.tf"): 'backend "s3" has no state lock; set use_lockfile = true',
        ("IACM201", "no findings"): "passed",
        ("IACM303", "envs/dev/versions.tf"): "passed",
        ("IACM303", "modules/net/main.tf"): "passed",
    }


def test_junit_failures_follow_fail_on():
    assert set(junit_cases(render("junit", result(), ReportOptions(fail_on="note"))).values()) == {
        "cannot parse broken.tf: unexpected end of file", 'backend "s3" has no state lock; set use_lockfile = true',
        'provider "aws" has no version constraint; add one', "50% of providers: pin a, b | c\\nnow", "passed"}
    never = junit_cases(render("junit", result(), ReportOptions(fail_on="never")))
    assert set(never.values()) == {"passed"}


def test_junit_one_case_per_rule_and_file():
    findings = [Finding("IACM110", "state-lock-missing", level, f"lock {line}", Span("a.tf", line, 1, line, 2),
                        fingerprint=f"{line:016x}:1") for line, level in ((3, "warning"), (9, "error"))]
    text = render("junit", result(findings=findings, rules=[LOCK]))
    assert junit_cases(text) == {("IACM110", "a.tf"): "lock 3 (and 1 more)"}
    case = ElementTree.fromstring(text).find("testsuite/testcase/failure")
    assert case.get("type") == "error"  # the worst level of the case
    assert case.text == "a.tf:3:1: warning: lock 3\na.tf:9:1: error: lock 9"


def test_junit_clean_scan_still_reports_tests():
    text = render("junit", result(findings=[], rules=[PARSE_ERROR, NOTE_RULE]))
    assert junit_cases(text) == {("IACM000", "no findings"): "passed", ("IACM303", "no findings"): "passed"}


# ---- untrusted names and repository-relative paths -----------------------------------


def test_xml_formats_carry_no_control_characters():
    hostile = Finding("IACM110", "state-lock-missing", "error", "bell\x07 esc\x1b[31m",
                      Span("x\x1bq.tf", 1, 1, 1, 2), fingerprint="8888888888888888:1")
    for name, schema in (("junit", JUNIT_SCHEMA), ("checkstyle", CHECKSTYLE_SCHEMA)):
        text = render(name, result(findings=[hostile], rules=[LOCK]))
        schema.validate(text)
        assert "\x1b" not in text and "\x07" not in text and "bell\\x07 esc\\x1b[31m" in text, name
        assert "x\\x1bq.tf" in text, name


def test_ci_formats_name_files_relative_to_the_repository(tmp_path, monkeypatch):
    isolate_git(monkeypatch, tmp_path / "home")
    repository = make_repo(tmp_path / "repo", {"infra/envs/dev/backend.tf": 'terraform {\n  backend "local" {}\n}\n'})
    infra = run([str(repository / "infra")], Options(cache=False, jobs=1, select=("IACM106",)))
    top = run([str(repository)], Options(cache=False, jobs=1, select=("IACM106",)))
    assert [f.span.path for f in infra.findings] == ["envs/dev/backend.tf"]  # the human formats: scan-root relative
    (issue,) = gitlab_issues(render("gitlab", infra))
    assert issue["location"]["path"] == "infra/envs/dev/backend.tf"
    assert '<file name="infra/envs/dev/backend.tf">' in render("checkstyle", infra)
    assert '<testcase classname="IACM106" name="infra/envs/dev/backend.tf">' in render("junit", infra)
    # one finding, one fingerprint, whichever directory of the repository was scanned
    assert infra.findings[0].fingerprint == top.findings[0].fingerprint
    assert render("gitlab", infra) == render("gitlab", top)

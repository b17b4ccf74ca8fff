import json
import re
from pathlib import Path

from iacm_lint.report import render
from report_samples import result

DOCS = Path(__file__).resolve().parent.parent / "docs" / "integrations.md"

EXPECTED = """\
envs/dev/backend.tf:2:3: error: backend "s3" has no state lock; set use_lockfile = true [IACM110]
envs/dev/broken.tf:2:7: error: cannot parse broken.tf: unexpected end of file [IACM000]
envs/dev/versions.tf:4:5: note: provider "aws" has no version constraint; add one [IACM303]
modules/net/main.tf:7:1: warning: 50% of providers: pin a, b | c now [IACM303]
"""


def test_gcc_exact_lines():
    assert render("gcc", result()) == EXPECTED


def test_gcc_without_findings_is_empty():
    assert render("gcc", result(findings=[])) == ""


def _problem_matcher():
    blocks = re.findall(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    tasks = [json.loads(block) for block in blocks if "problemMatcher" in block]
    assert len(tasks) == 1, "docs/integrations.md must hold exactly one problemMatcher snippet"
    return tasks[0]["tasks"][0]["problemMatcher"]


def test_vscode_problem_matcher_in_docs_matches_every_gcc_line():
    matcher = _problem_matcher()
    pattern = matcher["pattern"]
    regexp = re.compile(pattern["regexp"])  # a JavaScript regexp; this one uses only syntax both share
    lines = render("gcc", result()).splitlines()
    parsed = []
    for line in lines:
        match = regexp.match(line)
        assert match, line
        parsed.append(tuple(match.group(pattern[key])
                            for key in ("file", "line", "column", "severity", "message", "code")))
    assert parsed == [
        ("envs/dev/backend.tf", "2", "3", "error", 'backend "s3" has no state lock; set use_lockfile = true',
         "IACM110"),
        ("envs/dev/broken.tf", "2", "7", "error", "cannot parse broken.tf: unexpected end of file", "IACM000"),
        ("envs/dev/versions.tf", "4", "5", "note", 'provider "aws" has no version constraint; add one', "IACM303"),
        ("modules/net/main.tf", "7", "1", "warning", "50% of providers: pin a, b | c now", "IACM303"),
    ]
    assert matcher["fileLocation"] == ["relative", "${workspaceFolder}"]
    assert matcher["owner"] == "iacm-lint"

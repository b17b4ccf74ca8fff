import json

from iacm_lint.report import render
from report_samples import result

KEYS = ["rule", "name", "level", "message", "path", "region", "fingerprint", "suppressed", "justification",
        "baseline_state", "related", "fix"]


def test_json_lists_every_finding_sorted_with_stable_keys():
    data = json.loads(render("json", result()))["findings"]
    assert [(d["path"], d["region"]["start_line"], d["rule"]) for d in data] == [
        ("envs/dev/backend.tf", 2, "IACM110"),
        ("envs/dev/broken.tf", 2, "IACM000"),
        ("envs/dev/provider.tf", 3, "IACM201"),
        ("envs/dev/versions.tf", 4, "IACM303"),
        ("legacy/backend.tf", 1, "IACM110"),
        ("modules/net/main.tf", 7, "IACM303"),
    ]
    assert all(list(d) == KEYS for d in data)


def test_json_finding_fields_exact():
    data = json.loads(render("json", result()))["findings"]
    assert data[0] == {
        "rule": "IACM110",
        "name": "state-lock-missing",
        "level": "error",
        "message": 'backend "s3" has no state lock; set use_lockfile = true',
        "path": "envs/dev/backend.tf",
        "region": {"start_line": 2, "start_column": 3, "end_line": 2, "end_column": 15},
        "fingerprint": "1111111111111111:1",
        "suppressed": False,
        "justification": None,
        "baseline_state": None,
        "related": [],
        "fix": None,
    }
    suppressed, baselined, related = data[2], data[4], data[5]
    assert (suppressed["suppressed"], suppressed["justification"]) == (True, "rotated test key")
    assert baselined["baseline_state"] == "unchanged"
    assert related["related"] == [{"path": "envs/dev/main.tf",
                                   "region": {"start_line": 3, "start_column": 1, "end_line": 3, "end_column": 20},
                                   "message": "called from here"}]


def test_json_empty_has_an_empty_findings_list():
    assert json.loads(render("json", result(findings=[])))["findings"] == []


def test_json_roots_carry_engine_and_accepted_releases():
    from types import SimpleNamespace

    properties = {"engines": {"envs/dev": {"engine": "opentofu", "reason": "pin file envs/dev/.opentofu-version"}},
                  "versions": {"envs/dev": {"accepted": {"opentofu": [{"from": "1.8.0", "to": "1.12.6"}],
                                                         "terraform": []}}}}
    data = json.loads(render("json", SimpleNamespace(findings=[], rules=[], root="/r", properties=properties)))
    assert data["roots"] == [{"path": "envs/dev", "engine": "opentofu",
                              "engine_reason": "pin file envs/dev/.opentofu-version",
                              "accepted_releases": {"opentofu": [{"from": "1.8.0", "to": "1.12.6"}], "terraform": []}}]


def test_json_roots_from_a_real_run_have_the_documented_shape():
    from pathlib import Path

    from click.testing import CliRunner

    from iacm_lint.cli import main

    example = Path(__file__).resolve().parent.parent / "testdata" / "examples" / "report-needs-work"
    out = CliRunner().invoke(main, ["check", str(example), "--format", "json", "--no-cache"]).output
    assert json.loads(out)["roots"] == [{"path": ".", "engine": "opentofu",
                                         "engine_reason": "pipeline .harness/deploy.yaml",
                                         "accepted_releases": {"terraform": [{"from": "1.5.0", "to": "1.5.7"}],
                                                               "opentofu": [{"from": "1.6.0", "to": "1.12.6"}]}}]


def test_documented_keys_match(tmp_path):
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "output-formats.md").read_text(encoding="utf-8")
    section = doc.split("## json", 1)[1].split("\n## ", 1)[0]
    documented = [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
    assert documented == KEYS

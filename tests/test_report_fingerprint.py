import json
import shutil
from pathlib import Path

from iacm_lint.filter.fingerprint import (
    assign_fingerprints,
    fingerprints,
    line_hash,
    lines_under,
    region_text,
    split_lines,
)
from iacm_lint.findings import Finding
from iacm_lint.model.syntax import Span

LINES = ["terraform {", '  backend "s3" {', '    bucket = "state"', "  }", "}"]


def finding(line, col=3, end_line=None, end_col=20, rule="IACM110", path="backend.tf", key=""):
    properties = (("fingerprint_key", key),) if key else ()
    return Finding(rule, "name", "error", "message", Span(path, line, col, end_line or line, end_col),
                   properties=properties)


def reader(files):
    return lambda path: files.get(path)


def test_format_is_hash_and_occurrence():
    (value,) = fingerprints([finding(2)], reader({"backend.tf": LINES}))
    hash_part, occurrence = value.split(":")
    assert len(hash_part) == 16 and int(hash_part, 16) >= 0 and occurrence == "1"
    assert hash_part == line_hash("IACM110", "backend.tf", 'backend "s3" {')


def test_line_shift_does_not_change_fingerprints():
    before = fingerprints([finding(2), finding(3, key="bucket")], reader({"backend.tf": LINES}))
    shifted = ["", "# a comment", *LINES]
    after = fingerprints([finding(4), finding(5, key="bucket")], reader({"backend.tf": shifted}))
    assert before == after


def test_whitespace_and_crlf_do_not_matter_but_text_does():
    (plain,) = fingerprints([finding(2)], reader({"backend.tf": LINES}))
    (reindented,) = fingerprints([finding(2)], reader({"backend.tf": ["terraform {", '\tbackend   "s3" {  ']}))
    (edited,) = fingerprints([finding(2)], reader({"backend.tf": ["terraform {", '  backend "gcs" {']}))
    assert plain == reindented != edited
    assert split_lines("\ufeffa\r\nb\n") == ["a", "b", ""]


def test_rule_path_and_key_change_the_hash():
    lines = {"backend.tf": LINES, "other.tf": LINES}
    values = fingerprints([finding(2), finding(2, rule="IACM111"), finding(2, path="other.tf"), finding(2, key="k")],
                          reader(lines))
    assert len(set(values)) == 4


def test_equal_hashes_are_numbered_in_position_order():
    lines = {"a.tf": ['bucket = "x"', 'bucket = "x"', 'bucket = "x"']}
    findings = [finding(3, col=1, path="a.tf"), finding(1, col=1, path="a.tf"), finding(2, col=1, path="a.tf")]
    values = fingerprints(findings, reader(lines))
    assert [v.split(":")[1] for v in values] == ["3", "1", "2"]
    assert len({v.split(":")[0] for v in values}) == 1


def test_whole_file_findings_ignore_the_first_line():
    first = fingerprints([finding(1, col=1, end_col=1)], reader({"backend.tf": LINES}))
    second = fingerprints([finding(1, col=1, end_col=1)], reader({"backend.tf": ["", *LINES]}))
    assert first == second


def test_region_text_multi_line_spans():
    assert region_text(LINES, Span("f", 1, 1, 5, 2)) == 'terraform {\nbackend "s3" {\nbucket = "state"'  # first 3 lines
    assert region_text(LINES, Span("f", 2, 3, 3, 1)) == 'backend "s3" {'  # ends at column 1 of line 3
    assert region_text(LINES, Span("f", 9, 1, 9, 2)) == ""  # beyond the end of the file
    assert region_text([], Span("f", 2, 1, 2, 2)) == ""


def test_assign_keeps_existing_fingerprints_and_order(tmp_path):
    (tmp_path / "backend.tf").write_text("\n".join(LINES), encoding="utf-8")
    kept = finding(3).with_(fingerprint="given:1")
    out = assign_fingerprints([kept, finding(2), finding(9, path="missing.tf")], lines_under(str(tmp_path)))
    assert out[0] is kept
    assert out[1].fingerprint == fingerprints([finding(2)], reader({"backend.tf": LINES}))[0]
    assert out[2].fingerprint.endswith(":1")  # unreadable file: hashed without text, no crash


# ---- end to end: engine.run, then a blank line at the top of every file --------------------------------


def _scan(root: Path):
    from iacm_lint.engine import run
    from iacm_lint.report import render

    result = run([str(root)])
    data = json.loads(render("json", result))["findings"]
    sarif = json.loads(render("sarif", result))
    return data, sarif


def test_end_to_end_blank_line_at_top_changes_no_fingerprint(tmp_path):
    repo = tmp_path / "repo"
    (repo / "envs" / "dev").mkdir(parents=True)
    (repo / "envs" / "dev" / "main.tf").write_text(
        'terraform {\n  backend "local" {\n    path = "terraform.tfstate"\n  }\n}\n\n'
        'resource "null_resource" "a" {}\n', encoding="utf-8")
    (repo / "envs" / "dev" / "broken.tf").write_text('locals {\n  a = \n', encoding="utf-8")
    (repo / "envs" / "dev" / "also_broken.tf").write_text('variable "x" {\n  type = \n', encoding="utf-8")
    before, sarif_before = _scan(repo)
    assert any(d["rule"] == "IACM000" for d in before)  # something to compare

    shifted = tmp_path / "shifted"
    shutil.copytree(repo, shifted)
    for path in shifted.rglob("*.tf"):
        path.write_text("\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    after, sarif_after = _scan(shifted)

    assert [(d["rule"], d["path"], d["fingerprint"]) for d in after] == \
           [(d["rule"], d["path"], d["fingerprint"]) for d in before]
    for old, new in zip(before, after, strict=True):
        if (old["region"]["start_line"], old["region"]["start_column"]) != (1, 1):  # whole-file findings stay put
            assert new["region"]["start_line"] == old["region"]["start_line"] + 1
    hashes = [[r["partialFingerprints"]["primaryLocationLineHash"] for r in s["runs"][0]["results"]]
              for s in (sarif_before, sarif_after)]
    assert hashes[0] == hashes[1] == [d["fingerprint"] for d in before]


def test_end_to_end_sarif_validates_and_is_deterministic(tmp_path, sarif_schema):
    import jsonschema

    from iacm_lint.engine import run
    from iacm_lint.report import render

    repo = tmp_path / "repo"
    (repo / "envs" / "dev").mkdir(parents=True)
    (repo / "envs" / "dev" / "main.tf").write_text('terraform {\n  backend "local" {}\n}\n', encoding="utf-8")
    (repo / "envs" / "dev" / "broken.tf").write_text('locals {\n  a = \n', encoding="utf-8")
    first = render("sarif", run([str(repo)]))
    second = render("sarif", run([str(repo)]))
    assert first == second
    log = json.loads(first)
    assert not list(jsonschema.Draft4Validator(sarif_schema).iter_errors(log))
    run_ = log["runs"][0]
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    assert run_["invocations"][0]["toolExecutionNotifications"][0]["associatedRule"]["id"] == "IACM000"
    assert {r["id"] for r in run_["tool"]["driver"]["rules"]} >= {"IACM000"}

"""Inline suppressions: every placement in HCL and YAML, reasons, IACM001
(unused, unknown rule, no rule) and IACM002 (no reason), and how reporters
treat suppressed findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from iacm_lint.cli import main
from iacm_lint.engine import run
from iacm_lint.filter.suppress import apply_filters, parse_directive
from iacm_lint.findings import Finding
from iacm_lint.model.syntax import Comment, Repo, Span
from iacm_lint.options import Options
from iacm_lint.parse.yaml import load_yaml
from iacm_lint.registry import get_rule

SELECT = ("IACM001", "IACM106")


def scan(tmp_path: Path, text: str, *, select=SELECT, **options) -> list[tuple]:
    """(rule, line, col, suppressed) of every finding in main.tf."""
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    result = run([str(tmp_path)], Options(select=select, **options))
    assert not result.internal_errors
    return [(f.rule_id, f.span.line, f.span.col, f.suppressed) for f in result.findings]


def messages(tmp_path: Path, text: str, **options) -> list[str]:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    result = run([str(tmp_path)], Options(select=options.pop("select", SELECT), **options))
    return [f"{f.span.line}:{f.span.col} {f.rule_id} {f.message}" for f in result.findings
            if f.rule_id in ("IACM001", "IACM002")]


# ---- the directive grammar --------------------------------------------------------------


def directive(text: str):
    return parse_directive(Comment(text, Span("main.tf", 1, 1, 1, 1 + len(text))))


@pytest.mark.parametrize("text, ids, reason", [
    ("# iacm-lint: ignore[IACM110] state lock is provided by the org wrapper", ("IACM110",),
     "state lock is provided by the org wrapper"),
    ("// iacm-lint: ignore[IACM110,IACM112]", ("IACM110", "IACM112"), ""),
    ("#iacm-lint:ignore[ iacm110 , IACM112 ]: wrapped -- see ADR-7", ("IACM110", "IACM112"), "wrapped -- see ADR-7"),
    ("/* iacm-lint: ignore[IACM106] -- sandbox */", ("IACM106",), "sandbox"),
    ("/* iacm-lint: ignore[IACM106]\n   sandbox root,\n   never onboarded */", ("IACM106",),
     "sandbox root, never onboarded"),
])
def test_directive_grammar(text: str, ids: tuple, reason: str):
    parsed = directive(text)
    assert (parsed.rule_ids, parsed.reason, parsed.problem) == (ids, reason, "")


@pytest.mark.parametrize("text", ["# a comment", "# checked by iacm-lint: ignore[IACM110] later", "// TODO"])
def test_comments_that_are_not_directives(text: str):
    assert directive(text) is None


@pytest.mark.parametrize("text, problem", [
    ("# iacm-lint: ignore", "suppression 'iacm-lint: ignore' names no rule; write iacm-lint: ignore[IACMnnn] "
                            "followed by the reason"),
    ("# iacm-lint: ignore state lock is elsewhere", "suppression 'iacm-lint: ignore' names no rule; "
                                                    "write iacm-lint: ignore[IACMnnn] followed by the reason"),
    ("# iacm-lint: ignore[] because", "suppression 'iacm-lint: ignore[]' names no rule; put rule IDs in the brackets"),
    ("# iacm-lint: disable[IACM110]", "unknown directive 'iacm-lint: disable'; write iacm-lint: ignore[IACMnnn] "
                                      "followed by the reason"),
])
def test_malformed_directives(text: str, problem: str):
    assert directive(text).problem == problem


# ---- placements in HCL ------------------------------------------------------------------


def test_same_line_on_the_finding(tmp_path: Path):
    assert scan(tmp_path, 'terraform {\n  backend "local" { # iacm-lint: ignore[IACM106] sandbox\n  }\n}\n') == [
        ("IACM106", 2, 3, "sandbox")]


def test_line_above_with_double_slash(tmp_path: Path):
    text = 'terraform {\n  // iacm-lint: ignore[IACM106] sandbox only\n  backend "local" {\n  }\n}\n'
    assert scan(tmp_path, text) == [("IACM106", 3, 3, "sandbox only")]


def test_block_header_covers_the_whole_block(tmp_path: Path):
    text = ('terraform { # iacm-lint: ignore[IACM106] local sandbox\n'
            '  required_version = ">= 1.6"\n\n'
            '  backend "local" {\n    path = "x.tfstate"\n  }\n}\n')
    assert scan(tmp_path, text) == [("IACM106", 4, 3, "local sandbox")]


def test_line_above_a_block_header_covers_the_whole_block(tmp_path: Path):
    text = ('/* iacm-lint: ignore[IACM106] a sandbox root */\n'
            'terraform {\n\n\n  backend "local" {\n  }\n}\n')
    assert scan(tmp_path, text) == [("IACM106", 5, 3, "a sandbox root")]


def test_block_header_does_not_reach_past_the_block(tmp_path: Path):
    text = ('locals { # iacm-lint: ignore[IACM106] wrong block\n  a = 1\n}\n'
            'terraform {\n  backend "local" {\n  }\n}\n')
    assert scan(tmp_path, text) == [("IACM001", 1, 10, None), ("IACM106", 5, 3, None)]


def test_trailing_directive_does_not_cover_the_next_line(tmp_path: Path):
    text = 'terraform { # iacm-lint: ignore[IACM106] nope\n}\nterraform {\n  backend "local" {}\n}\n'
    assert scan(tmp_path, text) == [("IACM001", 1, 13, None), ("IACM106", 4, 3, None)]


def test_two_lines_above_is_too_far(tmp_path: Path):
    text = 'terraform {\n  # iacm-lint: ignore[IACM106] sandbox\n\n  backend "local" {}\n}\n'
    assert scan(tmp_path, text) == [("IACM001", 2, 3, None), ("IACM106", 4, 3, None)]


def test_nearest_directive_gives_the_reason_and_both_count_as_used(tmp_path: Path):
    text = ('terraform { # iacm-lint: ignore[IACM106] outer reason\n'
            '  # iacm-lint: ignore[IACM106] inner reason\n  backend "local" {}\n}\n')
    assert scan(tmp_path, text) == [("IACM106", 3, 3, "inner reason")]


def test_only_the_named_rule_is_suppressed(tmp_path: Path):
    text = ('terraform {\n  backend "local" {} # iacm-lint: ignore[IACM106] sandbox\n'
            '  backend "s3" {} # iacm-lint: ignore[IACM106] wrong rule\n}\n')
    assert scan(tmp_path, text, select=("IACM001", "IACM102", "IACM106")) == [
        ("IACM106", 2, 3, "sandbox"), ("IACM102", 3, 3, None), ("IACM001", 3, 19, None)]


# ---- IACM001 and IACM002 ------------------------------------------------------------------


def test_unused_unknown_and_ruleless_suppressions(tmp_path: Path):
    text = ('# iacm-lint: ignore[IACM106,IACM102] sandbox\n'
            'terraform {\n  backend "local" {}\n}\n'
            'locals { # iacm-lint: ignore[IACM9999] typo\n}\n'
            'locals { # iacm-lint: ignore\n}\n')
    assert messages(tmp_path, text, select=("IACM001", "IACM102", "IACM106")) == [
        "1:1 IACM001 suppression of IACM102 matches no IACM102 finding here; "
        "remove IACM102 from this iacm-lint: ignore comment",
        "5:10 IACM001 suppression names IACM9999, which is not an iacm-lint rule; use an ID from `iacm-lint rules`",
        "7:10 IACM001 suppression 'iacm-lint: ignore' names no rule; write iacm-lint: ignore[IACMnnn] "
        "followed by the reason",
    ]


def test_a_rule_that_did_not_run_is_not_judged_unused(tmp_path: Path):
    text = 'terraform { # iacm-lint: ignore[IACM110] lock by wrapper\n}\n'
    assert scan(tmp_path, text, select=("IACM001", "IACM106")) == []
    assert scan(tmp_path, text, select=("IACM106",), ignore=()) == []


def test_iacm001_is_off_when_ignored_and_follows_severity(tmp_path: Path):
    text = 'terraform { # iacm-lint: ignore[IACM106] sandbox\n}\n'
    assert scan(tmp_path, text, select=("IACM0", "IACM106"), ignore=("IACM001",)) == []
    (tmp_path / "main.tf").write_text(text)
    result = run([str(tmp_path)], Options(select=SELECT, severity={"IACM001": "error"}))
    assert [(f.rule_id, f.level) for f in result.findings] == [("IACM001", "error")]


def test_iacm002_only_with_require_reasons(tmp_path: Path):
    text = ('terraform {\n  backend "local" { # iacm-lint: ignore[IACM106]\n  }\n}\n'
            'locals { # iacm-lint: ignore[IACM106, IACM102] :\n}\n')
    assert messages(tmp_path, text) == [
        "5:10 IACM001 suppression of IACM106 matches no IACM106 finding here; "
        "remove IACM106 from this iacm-lint: ignore comment"]
    assert messages(tmp_path, text, require_reasons=True) == [
        "2:21 IACM002 suppression of IACM106 gives no reason; add why after the brackets: "
        "iacm-lint: ignore[IACMnnn] <reason>",
        "5:10 IACM001 suppression of IACM106 matches no IACM106 finding here; "
        "remove IACM106 from this iacm-lint: ignore comment",
        "5:10 IACM002 suppression of IACM106,IACM102 gives no reason; add why after the brackets: "
        "iacm-lint: ignore[IACMnnn] <reason>",
    ]
    # --ignore wins over require-reasons; --select IACM002 turns it on like any rule that is off by default
    assert messages(tmp_path, text, select=("IACM106",), require_reasons=True, ignore=("IACM002",)) == []
    assert [m.split(" ")[1] for m in messages(tmp_path, text, select=("IACM002", "IACM106"))] == ["IACM002", "IACM002"]


def test_filter_rules_are_registered_for_docs_and_metadata():
    unused, reasonless = get_rule("IACM001"), get_rule("IACM002")
    assert (unused.name, unused.level, unused.enabled_by_default) == ("unused-suppression", "warning", True)
    assert (reasonless.name, reasonless.level, reasonless.enabled_by_default) == (
        "suppression-without-reason", "warning", False)
    assert list(unused.func(None, None)) == [] and list(reasonless.func(None, None)) == []


# ---- YAML ------------------------------------------------------------------------------------


PIPELINE = """\
pipeline:
  name: deploy # iacm-lint: ignore[IACM110] same line
  stages:
    # iacm-lint: ignore[IACM112] line above
    - stage:
        name: plan
        spec:
          execution:
            steps:
              - step: # iacm-lint: ignore[IACM106] the whole step
                  type: IACMTerraformPlugin
                  spec:
                    command: plan
              - step:
                  type: IACMApproval
"""


def test_yaml_placements(tmp_path: Path):
    path = ".harness/deploy.yaml"
    (tmp_path / ".harness").mkdir()
    (tmp_path / path).write_text(PIPELINE)
    repo = Repo(root=str(tmp_path), yaml_files=[load_yaml(PIPELINE, path)])
    rules = [get_rule(i) for i in ("IACM001", "IACM106", "IACM110", "IACM112")]

    def at(rule_id: str, line: int, col: int = 5) -> Finding:
        rule = get_rule(rule_id)
        return Finding(rule.id, rule.name, rule.level, f"{rule_id} at {line}", Span(path, line, col, line, col + 4))

    findings = [at("IACM110", 2), at("IACM112", 5), at("IACM112", 6),  # line above a list item covers the item
                at("IACM106", 10), at("IACM106", 13), at("IACM106", 14), at("IACM110", 3)]
    result = apply_filters(findings, repo, rules, Options())
    assert [(f.rule_id, f.span.line, f.suppressed) for f in result] == [
        ("IACM110", 2, "same line"), ("IACM110", 3, None), ("IACM112", 5, "line above"),
        ("IACM112", 6, "line above"), ("IACM106", 10, "the whole step"), ("IACM106", 13, "the whole step"),
        ("IACM106", 14, None)]


# ---- reporters: SARIF keeps them, text hides them, exit code ignores them -------------------------


def test_suppressed_error_is_in_sarif_not_in_text_and_exits_0(tmp_path: Path):
    (tmp_path / "main.tf").write_text('terraform {\n  backend "local" {} # iacm-lint: ignore[IACM106] sandbox root\n'
                                      '}\n')
    runner = CliRunner()
    text = runner.invoke(main, ["check", str(tmp_path), "--select", "IACM001,IACM106", "--format", "gcc"])
    assert (text.exit_code, text.stdout) == (0, "")
    sarif = runner.invoke(main, ["check", str(tmp_path), "--select", "IACM001,IACM106", "--format", "sarif"])
    assert sarif.exit_code == 0
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    assert [(r["ruleId"], r["suppressions"]) for r in results] == [
        ("IACM106", [{"kind": "inSource", "justification": "sandbox root"}])]

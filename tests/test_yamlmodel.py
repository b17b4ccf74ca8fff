"""YAML model: exact spans, loader parity, comments, errors, bounded aliases,
and which YAML files are pipelines."""

from __future__ import annotations

import time

import pytest
import yaml

from iacm_lint.model.pipeline import pipeline_kind
from iacm_lint.model.syntax import Span
from iacm_lint.parse.yaml import MAX_ALIAS_NODES, is_pipeline_candidate, load_pipeline_file, load_yaml

PIPELINE = """\
# iacm-lint: ignore[IACM504] approval happens in the CAB stage
pipeline:
  name: "Deploy # not a comment"   # a comment
  identifier: deploy
  tags: {team: infra, tiers: [web, db]}
  stages:
    - stage:
        spec:
          command: |
            cd envs/prod # in the script
            terraform apply

          workspace: ünïcode_😀ws
          empty:
          count: 3
          enabled: true
"""


def _spans(node, out):
    out.append((node.kind, repr(node.value), node.span))
    for k, v in node.entries:
        _spans(k, out)
        _spans(v, out)
    for item in node.items:
        _spans(item, out)
    return out


def _pos(span: Span):
    return span.line, span.col, span.end_line, span.end_col


def test_key_and_value_spans_are_exact():
    f = load_yaml(PIPELINE, "p.yaml")
    assert f.error is None
    pipeline = f.root.get("pipeline")
    assert _pos(f.root.key_node("pipeline").span) == (2, 1, 2, 9)
    name = pipeline.get("name")
    assert name.value == "Deploy # not a comment" and _pos(name.span) == (3, 9, 3, 33)
    tags = pipeline.get("tags")
    assert _pos(tags.span) == (5, 9, 5, 40)  # flow mapping: braces included
    assert _pos(tags.get("tiers").items[1].span) == (5, 36, 5, 38)
    spec = pipeline.get("stages").items[0].get("stage").get("spec")
    command = spec.get("command")
    assert command.value == "cd envs/prod # in the script\nterraform apply\n"
    assert _pos(command.span) == (9, 20, 11, 28)  # block scalar ends at its last character
    workspace = spec.get("workspace")
    assert workspace.value == "ünïcode_😀ws" and _pos(workspace.span) == (13, 22, 13, 33)  # characters, not bytes
    assert spec.get("empty").value is None and _pos(spec.get("empty").span) == (14, 17, 14, 17)
    assert spec.get("count").value == 3 and spec.get("enabled").value is True
    # a block mapping ends at its last value, not at the next key's line
    assert _pos(spec.span) == (9, 11, 16, 24)


def test_comments_are_collected_outside_scalars():
    f = load_yaml(PIPELINE, "p.yaml")
    assert [(c.text, _pos(c.span)) for c in f.comments] == [
        ("# iacm-lint: ignore[IACM504] approval happens in the CAB stage", (1, 1, 1, 63)),
        ("# a comment", (3, 36, 3, 47)),
    ]


@pytest.mark.parametrize("text", [
    PIPELINE,
    PIPELINE.replace("\n", "\r\n"),
    "a: &x {b: 1}\nc:\n  <<: *x\n  d: 'q''s'\n  e: >\n    folded\n    text\n",
    "- [1, 2, {a: b}]\n- ? complex\n  : value\n---\nsecond: doc\n",
])
def test_c_and_pure_python_loaders_give_identical_spans(text):
    if not getattr(yaml, "__with_libyaml__", False):
        pytest.fail("PyYAML without libyaml: the parity test needs both loaders")
    fast = load_yaml(text, "p.yaml", loader=yaml.CSafeLoader)
    slow = load_yaml(text, "p.yaml", loader=yaml.SafeLoader)
    assert fast.error is None and slow.error is None
    assert _spans(fast.root, []) == _spans(slow.root, [])
    assert fast.comments == slow.comments


def test_crlf_and_bom_do_not_shift_columns():
    f = load_yaml("\ufeffpipeline:\r\n  name: x\r\n", "p.yaml")
    assert _pos(f.root.get("pipeline").get("name").span) == (2, 9, 2, 10)


def test_unicode_line_separators_do_not_shift_lines():
    f = load_yaml("a: 'x\u2028y'\nb: 2\n", "p.yaml")
    assert f.error is None
    assert _pos(f.root.key_node("b").span) == (2, 1, 2, 2)


def test_offsets_for_embedded_yaml():
    f = load_yaml("pipeline:\n  name: x\n", "main.tf", line_offset=10, col_offset=4)
    assert _pos(f.root.get("pipeline").get("name").span) == (12, 13, 12, 14)


def test_merge_keys_keep_own_values_first():
    f = load_yaml("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n", "p.yaml")
    other = f.root.get("other")
    assert [(k.value, v.value) for k, v in other.entries] == [("y", 3), ("x", 1)]


def test_duplicate_keys_are_all_kept_in_file_order():
    f = load_yaml("a: 1\na: 2\n", "p.yaml")
    assert [(k.value, v.value, k.span.line) for k, v in f.root.entries] == [("a", 1, 1), ("a", 2, 2)]


def test_key_of_is_the_key_node_of_an_entry_that_is_there():
    root = load_yaml("a: 1\nb: {c: 2}\na: 3\n", "p.yaml").root
    assert root.key_of("a") is root.key_node("a") and _pos(root.key_of("a").span) == (1, 1, 1, 2)  # the first
    assert _pos(root.get("b").key_of("c").span) == (2, 5, 2, 6)
    for node, key in ((root, "c"), (root.get("a"), "a")):  # not in this mapping; not a mapping at all
        with pytest.raises(KeyError, match=key):
            node.key_of(key)


@pytest.mark.parametrize("text, message, where", [
    ("pipeline:\n\tname: x\n", "invalid YAML", (2, 1, 2, 2)),
    ("pipeline: [1, 2\n", "invalid YAML", (2, 1, 2, 1)),
    ("a: \x01\n", "special characters are not allowed", (1, 4, 1, 5)),
    ("x: &a [*a]\n", "recursive alias", (1, 4, 1, 5)),
    ("[" * 5000 + "]" * 5000, "", None),
])
def test_errors_become_parse_errors(text, message, where):
    f = load_yaml(text, "p.yaml")
    assert f.root is None and f.error is not None
    assert message in f.error.message
    if where:
        assert _pos(f.error.span) == where


def test_alias_bomb_is_bounded_and_fast():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
        previous = name
    start = time.monotonic()
    f = load_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert time.monotonic() - start < 2
    assert f.root is None and f"more than {MAX_ALIAS_NODES} nodes" in f.error.message


def test_a_few_aliases_are_fine():
    f = load_yaml("a: &a {x: 1}\nb: *a\nc: *a\n", "p.yaml")
    assert f.error is None and f.root.get("c").get("x").value == 1


@pytest.mark.parametrize("path, text, expected", [
    (".harness/deploy.yaml", "inputSet: {}\n", (True, True)),
    ("ci/.harness/x.yml", "", (True, True)),
    (".harness/CODEOWNERS", "* @a\n", (False, False)),
    ("pipelines/deploy.yaml", "# exported\n---\npipeline:\n  name: x\n", (True, True)),
    ("pipelines/tpl.yaml", "template:\n  type: Stage\n", (True, True)),
    ("pipelines/late.yaml", "version: 1\npipeline:\n  name: x\n", (True, False)),
    ("k8s/values.yaml", "image: nginx\n", (False, False)),
    ("main.tf", "pipeline:\n", (False, False)),
])
def test_pipeline_candidates(path, text, expected):
    assert tuple(is_pipeline_candidate(path, text)) == expected


@pytest.mark.parametrize("path, text, kind", [
    ("p.yaml", "pipeline:\n  name: x\n", "pipeline"),
    ("p.yaml", "template:\n  type: StepGroup\n  spec: {}\n", "template"),
    ("p.yaml", "template:\n  type: SecretManager\n", None),
    (".harness/steps.yaml", "steps:\n  - step: {}\n", "fragment"),
    ("other/steps.yaml", "steps:\n  - step: {}\n", None),
    (".harness/input.yaml", "inputSet:\n  name: x\n", None),
    (".harness/trigger.yaml", "trigger:\n  name: x\n", None),
])
def test_pipeline_kind(path, text, kind):
    assert pipeline_kind(load_yaml(text, path)) == kind


def test_load_pipeline_file_reports_only_relevant_parse_errors():
    assert load_pipeline_file(".harness/x.yaml", "a: [\n").error is not None
    assert load_pipeline_file("pipelines/x.yaml", "pipeline:\n  name: 'x\n").error is not None
    assert load_pipeline_file("k8s/x.yaml", "image: [\npipeline: x\n") is None
    assert load_pipeline_file(".harness/input.yaml", "inputSet: {}\n") is None

"""The go-version port: every worked example of versions.json, plus property
tests against an independent definition written from versions.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from iacm_lint.knowledge.versions import (
    ConstraintError,
    VersionError,
    compare,
    is_valid_constraint,
    parse_constraints,
    parse_version,
)

EXAMPLES_FILE = Path(__file__).resolve().parent / "data" / "go-version-constraint-examples.json"
EXAMPLES = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))["examples"]


def test_spec_has_all_108_examples():
    results = [str(e["result"]).lower() for e in EXAMPLES]
    assert (len(EXAMPLES), results.count("true"), results.count("false"), results.count("error")) == (108, 52, 38, 18)


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e['constraint']!r}@{e['version']}" for e in EXAMPLES])
def test_worked_example(example):
    if example["result"] == "error":
        with pytest.raises(ConstraintError) as error:
            parse_constraints(example["constraint"])
        assert error.value.message == example["error_v1_8_0"]
    else:
        assert parse_constraints(example["constraint"]).check(example["version"]) is example["result"]


def test_prerelease_flag_and_text():
    constraints = parse_constraints(">= 1.6.0-beta1, < 2")
    assert constraints.has_prerelease
    assert [p.op for p in constraints.pieces] == [">=", "<"]
    assert not parse_constraints("~> 1.5.0").has_prerelease


def test_version_parsing_and_compare():
    assert parse_version("v1.5").segments == (1, 5, 0)
    assert parse_version("1.5").si == 2
    assert parse_version("1.5.0beta1").pre == "beta1"
    assert parse_version("1.5.7+ent").metadata == "ent"
    assert compare("1.5.0", "1.5.0.0") == 0
    assert compare("1.6.0-rc1", "1.6.0") == -1
    assert compare("1.6.0-beta2", "1.6.0-beta10") == 1
    assert str(parse_version("1.05")) == "1.5.0"
    with pytest.raises(VersionError):
        parse_version("1.5.x")
    with pytest.raises(VersionError):
        parse_version("1.5.0\n")


def test_go_quirks():
    # Python's `$` would accept a trailing newline after the version; Go's does not.
    assert not is_valid_constraint("= 1.5.0\x0b")  # \v is not RE2 whitespace
    assert is_valid_constraint("= 1.5.0\n")
    # numeric-looking prerelease parts with leading zeros compare by integer, both ways -1 (Go's fallthrough)
    assert compare("1.0.0-01", "1.0.0-1") == -1 and compare("1.0.0-1", "1.0.0-01") == -1
    # segment lists of different lengths ignore the prerelease entirely
    assert compare("1.5.0.0-beta", "1.5.0") == 0
    assert parse_constraints("= 1.5.0").check("1.5.0.0-beta")


# ---- independent definition from versions.md --------------------------------
#
# Structured versions: (segments, prerelease parts, metadata). Strings are
# rendered from them with random whitespace, "v" prefixes and metadata, and
# the result of the port is compared with `oracle_check`, which follows the
# prose of versions.md (not the Go code). The domain avoids what the prose
# leaves out: four-segment versions never meet prereleases (Go then ignores
# the prerelease), and numeric prerelease parts have no leading zeros.

LETTER_PARTS = ["alpha", "beta", "beta1", "beta2", "beta10", "rc", "rc1", "x-y", "a~b"]


def _int_part(text):
    return int(text) if text.isdigit() else None


def oracle_cmp_pre(a: list[str], b: list[str]) -> int:
    """versions.md: compare part by part, a missing part is ""; "" < numeric,
    "" > non-numeric, numeric < non-numeric, numbers by value, text by bytes."""
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else ""
        y = b[i] if i < len(b) else ""
        if x == y:
            continue
        xi, yi = _int_part(x), _int_part(y)
        if x == "":
            return -1 if yi is not None else 1
        if y == "":
            return 1 if xi is not None else -1
        if xi is not None and yi is not None:
            return (xi > yi) - (xi < yi)
        if xi is not None:
            return -1
        if yi is not None:
            return 1
        return 1 if x.encode() > y.encode() else -1
    return 0


def oracle_cmp(v, c) -> int:
    vs, vp = v
    cs, cp = c
    width = max(len(vs), len(cs), 3)
    vpad, cpad = vs + [0] * (width - len(vs)), cs + [0] * (width - len(cs))
    if vpad != cpad:
        return -1 if vpad < cpad else 1
    if not vp and not cp:
        return 0
    if not vp:
        return 1
    if not cp:
        return -1
    return oracle_cmp_pre(vp, cp)


def oracle_check_one(op, v, c) -> bool:
    vs, vp = v
    cs, cp = c
    order = oracle_cmp(v, c)
    if op in ("", "="):
        return order == 0
    if op == "!=":
        return order != 0
    # "A constraint without a prerelease never matches a prerelease via > >= < <= ~>";
    # "a prerelease constraint matches only prereleases of the same MAJOR.MINOR.PATCH".
    core = lambda s: s + [0] * (3 - len(s))  # noqa: E731
    if vp and (not cp or core(vs) != core(cs)):
        return False
    if op == ">":
        return order > 0
    if op == ">=":
        return order >= 0
    if op == "<":
        return order < 0
    if op == "<=":
        return order <= 0
    # "~>": fixes all but the last written segment; a prerelease constraint never admits a final release;
    # a four-segment constraint never matches a shorter version.
    if cp and not vp:
        return False
    if order < 0 or len(core(cs)) > len(core(vs)):
        return False
    return core(vs)[: len(cs) - 1] == core(cs)[: len(cs) - 1]


WS = st.sampled_from(["", " ", "  ", "\t", "\n", " \r"])


@st.composite
def cases(draw):
    four = draw(st.booleans())
    max_segments = 4 if four else 3

    def version_struct():
        segments = draw(st.lists(st.integers(0, 3), min_size=1, max_size=max_segments))
        pre = []
        if not four and draw(st.integers(0, 3)) == 0:
            pre = draw(st.lists(st.one_of(st.sampled_from(LETTER_PARTS), st.integers(0, 12).map(str)),
                                min_size=1, max_size=3))
        return segments, pre

    def render(struct, allow_ws):
        segments, pre = struct
        text = ("v" if draw(st.integers(0, 5)) == 0 else "") + ".".join(map(str, segments))
        if pre:
            joined = ".".join(pre)
            # a letter-initial prerelease may omit the hyphen
            text += joined if (joined[0].isalpha() and draw(st.integers(0, 4)) == 0) else "-" + joined
        if draw(st.integers(0, 6)) == 0:
            text += "+" + draw(st.sampled_from(["ent", "build.1", "x-1"]))
        return text

    pieces = []
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["", "=", "!=", ">", "<", ">=", "<=", "~>"]))
        struct = version_struct()
        pieces.append((op, struct, draw(WS) + op + draw(WS) + render(struct, True) + draw(WS)))
    version = version_struct()
    return pieces, version, render(version, False)


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_check_agrees_with_independent_definition(case):
    pieces, version, version_text = case
    text = ",".join(rendered for _, _, rendered in pieces)
    expected = all(oracle_check_one(op, version, struct) for op, struct, _ in pieces)
    assert parse_constraints(text).check(version_text) is expected, (text, version_text)


# A recogniser for the constraint grammar, written from versions.md's prose.
_WS_CHARS = "\t\n\f\r "
_IDENT = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-~")


def _dotted_idents(text: str) -> bool:
    return all(part and set(part) <= _IDENT for part in text.split("."))


def oracle_valid_piece(piece: str) -> bool:
    body = piece.strip(_WS_CHARS)
    for op in ("<=", ">=", "!=", "~>", "<", ">", "="):
        if body.startswith(op):
            body = body[len(op):].lstrip(_WS_CHARS)
            break
    if body.startswith("v"):
        body = body[1:]
    if "+" in body:
        body, _, metadata = body.partition("+")
        if not _dotted_idents(metadata):
            return False
    numeric = re.match(r"[0-9]+(\.[0-9]+)*", body)
    if numeric is None:
        return False
    if any(int(s) > 2**63 - 1 for s in numeric.group(0).split(".")):
        return False
    suffix = body[numeric.end():]
    return suffix == "" or (suffix[0] in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-~"
                            and _dotted_idents(suffix))


@settings(max_examples=2500, deadline=None)
@given(st.text(alphabet="0123456789..,<>=!~ v-+ab\t", max_size=16))
def test_validity_agrees_with_grammar(text):
    assert is_valid_constraint(text) is all(oracle_valid_piece(p) for p in text.split(","))

"""Property tests: arbitrary bytes and grammar-shaped HCL/YAML never raise,
in the parsers or through the whole check path; every written file is
accounted for (checked, or an IACM000 finding, or skipped with a reason).

Bounded for the local suite; `HYPOTHESIS_PROFILE=ci` (or CI=true) runs
1,000 examples per target."""

from __future__ import annotations

import os
import shutil
import tempfile

from hypothesis import HealthCheck, given, settings, strategies as st

from iacm_lint.engine import run
from iacm_lint.model.syntax import TF, TF_JSON, TFBACKEND, TFVARS, TFVARS_JSON, YAML, HclFile, ParseError, YamlFile
from iacm_lint.options import Options
from iacm_lint.parse.file import parse_source
from iacm_lint.parse.limits import MAX_NESTING, parse_size, too_deep
from iacm_lint.parse.textio import decode_source, size_text

settings.register_profile("dev", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("ci", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

# ---- grammar-shaped input -------------------------------------------------------------

# Python's int() refuses 4,301+ digits; floats overflow to inf past 1e308
HUGE_NUMBERS = st.one_of(
    st.tuples(st.sampled_from(["", "-"]), st.integers(600, 6000), st.sampled_from("123456789")).map(
        lambda t: t[0] + t[2] * t[1]),
    st.tuples(st.sampled_from(["1", "-1", "2.5", "0.0", "7" * 400]), st.sampled_from(["e", "E"]),
              st.sampled_from(["", "+", "-"]), st.integers(300, 10**7)).map(lambda t: f"{t[0]}{t[1]}{t[2]}{t[3]}"),
    st.integers(1, 6000).map(lambda n: "0." + "0" * n + "1"),
    st.integers(1, 6000).map(lambda n: "1" * n + ".5"),
)

NAMES = st.sampled_from(["resource", "variable", "locals", "terraform", "backend", "provider", "module", "x",
                         "bucket", "count", "for_each", "dynamic", "content", "source", "password", "if", "for"])
ATOMS = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    HUGE_NUMBERS,
    st.sampled_from(["true", "false", "null", "var.x", "local.y[0]", "each.value", "aws_s3_bucket.b.id",
                     "count.index", "path.module", "data.a.b.c[*].d", "-1.5e3", "a ? b : c", "!x", "1 + 2 * 3"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12).map(
        lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'),
    st.sampled_from(['"${var.x}-suffix"', '"%{ if a }b%{ endif }"', '"$${literal}"', "<<EOF\nbody ${x}\nEOF\n",
                     "<<-EOT\n    indented\n  EOT\n"]),
)


def _expressions(children):
    return st.one_of(
        st.lists(children, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(NAMES, children), max_size=4).map(
            lambda kv: "{" + "\n".join(f"{k} = {v}" for k, v in kv) + "}"),
        st.tuples(NAMES, st.lists(children, max_size=3)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        children.map(lambda x: f"({x})"),
        st.tuples(children, children).map(lambda t: f"[for v in {t[0]} : {t[1]}]"),
    )


EXPRESSIONS = st.recursive(ATOMS, _expressions, max_leaves=12)


def _bodies(children):
    return st.tuples(NAMES, st.lists(st.sampled_from(['"a"', '"b-c"', "label"]), max_size=2), children).map(
        lambda t: f'{t[0]} {" ".join(t[1])} {{\n{t[2]}\n}}')


ATTRIBUTE = st.tuples(NAMES, EXPRESSIONS).map(lambda t: f"{t[0]} = {t[1]}")
BODIES = st.recursive(ATTRIBUTE, lambda children: st.one_of(
    _bodies(children), st.lists(children, min_size=1, max_size=4).map("\n".join)), max_leaves=10)
COMMENTS = st.sampled_from(["", "# note\n", "// note\n", "/* block\ncomment */\n"])


@st.composite
def hcl_source(draw) -> str:
    """Valid-looking HCL, then sometimes damaged: a slice deleted, junk or a
    bracket inserted, line endings changed."""
    text = draw(COMMENTS) + "\n".join(draw(st.lists(BODIES, max_size=4))) + "\n"
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["delete", "insert", "crlf", "cr"]))
        if action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 8)):]
        elif action == "insert":
            junk = draw(st.one_of(st.sampled_from(list('{}[]()"=,.:?$%<>\\#\n\r\t') + ["${", "%{", "<<EOF", "\ufeff"]),
                                  st.text(max_size=4)))
            text = text[:at] + junk + text[at:]
        elif action == "crlf":
            text = text.replace("\n", "\r\n")
        else:
            text = text[:at] + "\r" + text[at:]
    return text


YAML_SCALARS = st.one_of(st.sampled_from(["a", "1", "true", "~", "'q'", '"d\\n"', "*anchor",
                                          "!!python/object:os.system x",
                                          "!custom v", "&anchor v", "|\n  block", ">-\n  folded", "<<: *anchor",
                                          "${x}", "<+input>"]),
                         st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8))


@st.composite
def yaml_source(draw) -> str:
    lines = ["pipeline:" if draw(st.booleans()) else draw(st.sampled_from(["template:", "steps:", "a:"]))]
    depth = 1
    for _ in range(draw(st.integers(0, 25))):
        depth = max(1, min(depth + draw(st.integers(-2, 1)), 12))
        key = draw(st.sampled_from(["name", "identifier", "stages", "- step", "spec", "type", "- ", "? key", "x"]))
        lines.append("  " * depth + f"{key}: {draw(YAML_SCALARS)}")
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(["[", "{", "]", "}", "\t", ":", "- ", "&a ", "*a ", "\x85", "\u2028"]))
        text = text[:at] + piece + text[at:]
    return text


# ---- decoding and parsers ---------------------------------------------------------------


def _check_error(error: ParseError, path: str) -> None:
    assert error.message and "\n" not in error.message
    span = error.span
    assert span.path == path and span.line >= 1 and span.col >= 1
    assert (span.end_line, span.end_col) >= (span.line, span.col)


@given(st.binary(max_size=400))
def test_decode_never_raises(data):
    text, error = decode_source(data, "x.tf")
    assert (text is None) != (error is None)
    if error is not None:
        _check_error(error, "x.tf")
    else:
        assert not text.startswith("\ufeff")


@given(st.binary(max_size=400), st.sampled_from([TF, TF_JSON, TFVARS, YAML]))
def test_arbitrary_bytes_parse_to_a_model_or_an_error(data, kind):
    path = ".harness/p.yaml" if kind == YAML else {TF: "m.tf", TF_JSON: "m.tf.json", TFVARS: "t.tfvars"}[kind]
    text, error = decode_source(data, path)
    model = parse_source(text, error, path, kind)
    if kind == YAML:
        assert model is None or isinstance(model, YamlFile)
    else:
        assert isinstance(model, HclFile)
    if model is not None and model.error is not None:
        _check_error(model.error, path)


@given(hcl_source(), st.sampled_from([TF, TFVARS]))
def test_grammar_shaped_hcl_never_raises(text, kind):
    model = parse_source(text, None, "main.tf", kind)
    assert isinstance(model, HclFile)
    if model.error is not None:
        _check_error(model.error, "main.tf")
        assert model.error.span.line <= text.count("\n") + text.count("\r") + 2
        # what was read of a file with an error: nothing, the pieces that parse (the rest is unread), or
        # all of it when Terraform rejects it for a reason python-hcl2's grammar lets pass (an argument set twice)
        assert model.fully_read or model.unread or model.blocks == model.attributes == ()
    assert too_deep(model) is None


@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                              st.text(max_size=6)),
                    lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(st.text(max_size=5), c, max_size=3)),
                    max_leaves=15),
       st.integers(0, 3))
def test_json_shaped_tf_json_never_raises(value, cut):
    import json

    text = json.dumps({"resource": {"a": {"b": value}}, "locals": value, "variable": {"v": {"default": value}}})
    text = text[:len(text) - cut]
    model = parse_source(text, None, "main.tf.json", TF_JSON)
    assert isinstance(model, HclFile)
    if model.error is not None:
        _check_error(model.error, "main.tf.json")
    assert (model.error is None) == (cut == 0)


@given(yaml_source())
def test_grammar_shaped_yaml_never_raises(text):
    model = parse_source(text, None, ".harness/pipeline.yaml", YAML)
    assert model is None or isinstance(model, YamlFile)
    if model is not None and model.error is not None:
        _check_error(model.error, ".harness/pipeline.yaml")


# ---- huge numbers and pathological shapes ----------------------------------------------------


def _number_value(raw: str):
    """What the model keeps: the number, or its text when int() cannot take it."""
    if any(c in raw for c in ".eE"):
        return float(raw)
    return raw if len(raw.lstrip("-")) > 640 else int(raw)


NUMBER_FILES = {
    TF: ("main.tf", 'locals {{\n  a = {n}\n  b = [{n}, 1]\n  c = {{ k = {n} }}\n}}\n'),
    TFVARS: ("t.tfvars", "a = {n}\nb = [{n}, 1]\nc = {{ k = {n} }}\n"),
    TFBACKEND: ("s3.tfbackend", "a = {n}\nb = [{n}, 1]\nc = {{ k = {n} }}\n"),
    TF_JSON: ("main.tf.json", '{{"locals": {{"a": {n}, "b": [{n}, 1], "c": {{"k": {n}}}}}}}'),
    TFVARS_JSON: ("t.tfvars.json", '{{"a": {n}, "b": [{n}, 1], "c": {{"k": {n}}}}}'),
}


@given(HUGE_NUMBERS, st.sampled_from(sorted(NUMBER_FILES)))
def test_huge_numbers_in_every_kind_keep_their_value_or_text(number, kind):
    path, template = NUMBER_FILES[kind]
    model = parse_source(template.format(n=number), None, path, kind)
    assert model.error is None, model.error
    attributes = model.blocks[0].attributes if kind in (TF, TF_JSON) else model.attributes
    value = _number_value(number)
    assert [a.expr.value for a in attributes] == [value, [value, 1], {"k": value}]


@given(HUGE_NUMBERS)
def test_huge_numbers_in_pipeline_yaml(number):
    model = parse_source(f"pipeline:\n  timeout: {number}\n  list: [{number}]\n", None, ".harness/p.yaml", YAML)
    assert model.error is None
    values = [v.value if v.kind == "scalar" else v.items[0].value for _, v in model.root.get("pipeline").entries]
    assert all(isinstance(v, (int, float, str)) for v in values)


SEPARATORS = st.one_of(
    st.integers(1, 20_000).map(lambda n: "\n" * n),
    st.integers(1, 5_000).map(lambda n: "\r\n" * n),
    st.integers(1, 5_000).map(lambda n: " \t\n\r" * n),
    st.integers(1, 3_000).map(lambda n: "# comment\n" * n),
    st.integers(1, 3_000).map(lambda n: "  // note\n" * n),
    st.integers(1, 20_000).map(lambda n: "/*" + "\n" * n + "*/\n"),
    st.integers(1, 20_000).map(lambda n: "/*" + "*" * n + "/\n"),
)
LINES = st.sampled_from(['a = 1', 'b = "x"', 'c = [1, 2]', 'd = var.x', 'e { f = 2 }', 'g = <<EOT\n  h\nEOT',
                         'i = <<-EOT\n  j\n  EOT', 'k = "${l.m}"', 'n = o ? p : q'])


@given(st.lists(st.tuples(LINES, SEPARATORS), min_size=1, max_size=6))
def test_runs_of_blank_lines_and_comments_parse_like_one_newline(pairs):
    """The same attributes and blocks however long the runs of blank lines,
    CRLFs and comments between them, in time proportional to the text."""
    import time

    text = "".join(line + "\n" + separator for line, separator in pairs)  # a line ends before its separator
    started = time.perf_counter()
    model = parse_source(text, None, "main.tf", TF)
    assert time.perf_counter() - started < 5.0
    plain = parse_source("\n".join(line for line, _ in pairs) + "\n", None, "main.tf", TF)
    assert (model.error is None) == (plain.error is None), model.error
    assert [(a.name, a.value) for a in model.attributes] == [(a.name, a.value) for a in plain.attributes]
    assert [(b.type, b.attributes[0].value) for b in model.blocks] == [
        (b.type, b.attributes[0].value) for b in plain.blocks]


@st.composite
def hostile_source(draw) -> str:
    """A huge number or a long run of blank lines or comments put into grammar-shaped input."""
    text = draw(hcl_source())
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(st.one_of(HUGE_NUMBERS, SEPARATORS)) + text[at:]


# ---- the whole check path ------------------------------------------------------------------

FILE_NAMES = st.sampled_from(["main.tf", "b.tf", "sub/c.tf", "x.tf.json", "terraform.tfvars", "s3.tfbackend",
                              ".harness/p.yaml", "deploy/pipeline.yml", "README.md", "notes.txt", ".terraform-version"])
CONTENTS = st.one_of(hcl_source(), yaml_source(), hostile_source(), st.binary(max_size=200),
                     st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")))


@settings(max_examples=min(settings.default.max_examples, 150) if not os.environ.get("CI") else 1000)
@given(st.dictionaries(FILE_NAMES, CONTENTS, min_size=1, max_size=5))
def test_check_path_accounts_for_every_file(files):
    root = tempfile.mkdtemp(prefix="iacm-prop-")
    try:
        for name, content in files.items():
            path = os.path.join(root, *name.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        result = run([root], Options(cache=False, jobs=1))
        assert result.internal_errors == []
        stats = result.stats
        assert stats["discovered"] == len(files)
        assert stats["discovered"] == (stats["checked"] + stats["unparsable"] + stats["unreadable"]
                                       + sum(stats["skipped"].values()))
        errors = {f.span.path for f in result.findings if f.rule_id == "IACM000"}
        checked = {f.path for f in (*result.repo.hcl_files, *result.repo.yaml_files) if f.error is None}
        assert stats["unparsable"] + stats["unreadable"] == len(errors)
        assert stats["checked"] == len(checked)
        for name in files:
            parsed_kind = not name.endswith((".md", ".txt", "-version"))
            if parsed_kind and not name.endswith((".yaml", ".yml")):
                assert (name in errors) != (name in checked), name  # a Terraform file is checked xor reported
    finally:
        shutil.rmtree(root, ignore_errors=True)


# ---- small pieces --------------------------------------------------------------------------


@given(st.integers(1, MAX_NESTING * 3))
def test_nesting_limit_is_exact(depth):
    model = parse_source("x = " + "[" * depth + "]" * depth + "\n", None, "t.tfvars", TFVARS)
    if depth <= MAX_NESTING:  # a top-level attribute's tuple is level 1
        assert model.error is None
    else:  # at the 101st "["
        assert model.error.message == "nested more than 100 levels deep; not analysed"
        assert (model.error.span.line, model.error.span.col) == (1, 5 + MAX_NESTING)


def test_parse_size_and_size_text():
    assert [parse_size(s) for s in ("10MB", "512kb", "1 GiB", "2000000", "7b")] == [
        10 * 1024 ** 2, 512 * 1024, 1024 ** 3, 2_000_000, 7]
    for bad in ("", "ten", "-1", "1.5MB", "0", "5XB"):
        try:
            parse_size(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")
    assert [size_text(n) for n in (10 * 1024 ** 2, 1024, 1000, 3 * 1024 ** 3)] == \
        ["10 MB", "1 KB", "1000 bytes", "3 GB"]


def test_output_file_is_written_atomically(tmp_path, monkeypatch):
    """-o writes a temporary file and renames it: a failure while writing
    leaves the previous output whole and no temporary file behind."""
    from click.testing import CliRunner

    from iacm_lint import cli, output

    (tmp_path / "main.tf").write_text("locals {\n")
    target = tmp_path / "out.sarif"
    target.write_text("previous run\n")
    target.chmod(0o644)
    runner = CliRunner()
    ok = runner.invoke(cli.main, ["check", str(tmp_path / "main.tf"), "--no-cache", "--format", "sarif",
                                  "-o", str(target)])
    assert ok.exit_code == 1, ok.output
    assert target.read_text().startswith("{") and oct(target.stat().st_mode & 0o777) == "0o644"

    def explode(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", explode)
    failed = runner.invoke(cli.main, ["check", str(tmp_path / "main.tf"), "--no-cache", "--format", "gcc",
                                      "-o", str(target)])
    assert failed.exit_code == 2
    assert target.read_text().startswith("{")  # the SARIF of the run before, not a truncated gcc file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.tf", "out.sarif"]


def test_stats_flag_prints_json_on_stderr(tmp_path):
    import json
    import subprocess
    import sys

    (tmp_path / "main.tf").write_text("locals {}\n")
    (tmp_path / "broken.tf").write_text("locals {\n")
    (tmp_path / "README.md").write_text("hi\n")
    out = subprocess.run([sys.executable, "-m", "iacm_lint", "check", str(tmp_path), "--no-cache", "--stats", "-q",
                          "--select", "IACM000"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert json.loads(out.stderr.strip().splitlines()[-1]) == {
        "checked": 1, "discovered": 3, "excluded": 0, "skipped": {"not Terraform, OpenTofu or pipeline source": 1},
        "unparsable": 1, "unreadable": 0}
    document = json.loads(subprocess.run([sys.executable, "-m", "iacm_lint", "check", str(tmp_path), "--no-cache",
                                          "--format", "json"], capture_output=True, text=True, timeout=120).stdout)
    assert document["stats"]["unparsable"] == 1 and document["stats"]["discovered"] == 3


def test_config_exclude_is_counted(tmp_path):
    (tmp_path / "main.tf").write_text("locals {}\n")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "x.tf").write_text("locals {\n")
    result = run([str(tmp_path)], Options(cache=False, exclude=lambda rel: rel == "vendor"))
    assert result.stats == {"discovered": 1, "checked": 1, "unparsable": 0, "unreadable": 0, "skipped": {},
                            "excluded": 1}

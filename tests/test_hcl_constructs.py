"""Small HCL constructs with Terraform's verdict on each (issue 28): the
front end must accept what Terraform and OpenTofu accept and report as
IACM000 what they reject. Each row names the section of the HCL native
syntax specification (hashicorp/hcl, hclsyntax/spec.md) that decides it; where the specification
leaves a rule to hclsyntax's parser (a newline after each argument, one
argument in a one-line block, an argument set once), our message starts
with its error summary. Every source is a whole file; `ACCEPTS` rows must
parse without error, `REJECTS` rows must give the error quoted, at the
line and column quoted (`line:col: message`, as a finding prints)."""

from __future__ import annotations

import pytest

from iacm_lint.model.syntax import ParseError, Span
from iacm_lint.parse.hcl import parse_hcl

ACCEPTS = "accepts"
REJECTS = "rejects"

# (section, source, verdict, for a rejection: `line:col: ` and the start of our message)
CONSTRUCTS = [
    # ---- Comments and Whitespace ----
    ("Comments and Whitespace", "# a comment\na = 1\n", ACCEPTS, None),
    ("Comments and Whitespace", "// a comment\na = 1\n", ACCEPTS, None),
    ("Comments and Whitespace", "/* a comment */\na = 1\n", ACCEPTS, None),
    ("Comments and Whitespace", "/*\n a\n comment\n*/\na = 1\n", ACCEPTS, None),
    ("Comments and Whitespace", "a = /* c */ 1\n", ACCEPTS, None),
    ("Comments and Whitespace", "a /* c */ = 1\n", ACCEPTS, None),
    ("Comments and Whitespace", "a = 1 /* c */\n", ACCEPTS, None),
    ("Comments and Whitespace", "a = 1 # c\n", ACCEPTS, None),
    ("Comments and Whitespace", "a = 1 // c\n", ACCEPTS, None),
    ("Comments and Whitespace", 'resource /* c */ "a" "b" {\n}\n', ACCEPTS, None),
    ("Comments and Whitespace", 'resource "a" /* c */ "b" {\n}\n', ACCEPTS, None),
    ("Comments and Whitespace", 'resource "a" "b" { /* c */\n}\n', ACCEPTS, None),
    ("Comments and Whitespace", "a = f(/* c */ 1, 2)\n", ACCEPTS, None),
    ("Comments and Whitespace", "a = [1, /* c */ 2]\n", ACCEPTS, None),
    ("Comments and Whitespace", "a = [\n  1, # c\n  2, // d\n]\n", ACCEPTS, None),
    ("Comments and Whitespace", "a = {\n  b = 1 # c\n  /* d */ e = 2\n}\n", ACCEPTS, None),
    ("Comments and Whitespace", "a = 1 + /* c */ 2\n", ACCEPTS, None),
    ("Comments and Whitespace", 'a = "${ /* c */ x }"\n', ACCEPTS, None),
    ("Comments and Whitespace", "a = x ? /* c */ 1 : 2\n", ACCEPTS, None),
    ("Comments and Whitespace", "a = 1 /* c\n */\nb = 2\n", ACCEPTS, None),
    ("Comments and Whitespace", "a = \t1\n", ACCEPTS, None),
    ("Comments and Whitespace", "a = 1 /* c */ b = 2\n", REJECTS, "1:15: missing newline after argument"),
    ("Comments and Whitespace", "a = # c\n  1\n", REJECTS, "1:5: unexpected"),
    ("Comments and Whitespace", "/* never closed\na = 1\n", REJECTS, '1:1: comment "/*" is never closed'),
    # ---- Identifiers ----
    ("Identifiers", "a-b = 1\n", ACCEPTS, None),
    ("Identifiers", "_a = 1\n", ACCEPTS, None),
    ("Identifiers", "a1 = 1\n", ACCEPTS, None),
    ("Identifiers", 'café = "x"\n', ACCEPTS, None),
    ("Identifiers", "a = { café = 1 }\n", ACCEPTS, None),
    ("Identifiers", '資源 "a" {\n}\n', ACCEPTS, None),
    ("Identifiers", "a = var.naïve\n", ACCEPTS, None),
    ("Identifiers", "1a = 1\n", REJECTS, "1:1: unexpected"),
    ("Identifiers", "-a = 1\n", REJECTS, "1:1: unexpected"),
    ("Identifiers", '"a" = 1\n', REJECTS, "1:1: unexpected"),
    # ---- Keywords ----
    ("Keywords", "in = 1\n", ACCEPTS, None),
    ("Keywords", "for = 1\n", ACCEPTS, None),
    ("Keywords", "if = 1\n", ACCEPTS, None),
    ("Keywords", "a = { in = 1 }\n", ACCEPTS, None),
    ("Keywords", "true = 1\n", ACCEPTS, None),
    # ---- Numeric Literals ----
    ("Numeric Literals", "a = 1\n", ACCEPTS, None),
    ("Numeric Literals", "a = 1.5\n", ACCEPTS, None),
    ("Numeric Literals", "a = 1e3\n", ACCEPTS, None),
    ("Numeric Literals", "a = 1.5E-3\n", ACCEPTS, None),
    ("Numeric Literals", "a = -1\n", ACCEPTS, None),
    ("Numeric Literals", "a = 10.11.10.12/32\n", REJECTS, "1:5: invalid number literal"),
    ("Numeric Literals", "a = 1.2.3\n", REJECTS, "1:5: invalid number literal"),
    ("Numeric Literals", "a = 0x10\n", REJECTS, "2:1: unexpected"),
    ("Numeric Literals", "a = 1.\n", REJECTS, "1:7: unexpected"),
    # ---- Structural Elements, Attribute Definitions, Blocks ----
    ("Structural Elements", 'resource "a" "b" {\n  x = 1\n}\n', ACCEPTS, None),
    ("Structural Elements", "a {\n}\n", ACCEPTS, None),
    ("Structural Elements", "a {}\n", ACCEPTS, None),
    ("Structural Elements", "a { }\n", ACCEPTS, None),
    ("Structural Elements", "a { b = 1 }\n", ACCEPTS, None),
    ("Structural Elements", "a b c {\n}\n", ACCEPTS, None),
    ("Structural Elements", 'a "b" c {\n}\n', ACCEPTS, None),
    ("Structural Elements", "a {\n  b {\n    c = 1\n  }\n}\n", ACCEPTS, None),
    ("Structural Elements", "a {\n  b = <<EOT\nx\nEOT\n}\n", ACCEPTS, None),
    ("Structural Elements", "a {\n  b = 1 + 2\n}\n", ACCEPTS, None),
    ("Structural Elements", "a = 1 b = 2\n", REJECTS, "1:7: missing newline after argument"),
    ("Structural Elements", 'a {\n  status = "Enabled"}\n', REJECTS, "2:21: missing newline after argument"),
    ("Structural Elements", "a {\n  b {\n  }}\n", REJECTS, "3:4: missing newline after block definition"),
    ("Structural Elements", "a {\n}\nb = 1 c {\n}\n", REJECTS, "3:7: missing newline after argument"),
    ("Structural Elements", "a {} b {}\n", REJECTS, "1:6: missing newline after block definition"),
    ("Structural Elements", "a { b = 1\n}\n", REJECTS, "1:10: invalid single-argument block definition"),
    ("Structural Elements", "a { b = 1, c = 2 }\n", REJECTS, "1:10: unexpected"),
    ("Structural Elements", "a { b {} }\n", REJECTS, "1:5: argument definition required"),
    ("Structural Elements", "a { b = 1 c = 2 }\n", REJECTS, "1:11: invalid single-argument block definition"),
    ("Structural Elements", 'a "b"\n{\n}\n', REJECTS, "1:6: invalid block definition"),
    ("Structural Elements", "a = \n1\n", REJECTS, "1:5: unexpected"),
    ("Structural Elements", "a = 1\n= 2\n", REJECTS, "2:1: unexpected"),
    ("Attribute Definitions", "a = 1\na = 2\n", REJECTS, "2:1: attribute redefined"),
    ("Attribute Definitions", "a {\n  b = 1\n  b = 2\n}\n", REJECTS, "3:3: attribute redefined"),
    ("Attribute Definitions", "a {\n  b = 1\n}\na {\n  b = 2\n}\n", ACCEPTS, None),
    ("Attribute Definitions", "a {\n  b = 1\n  c {\n    b = 2\n  }\n}\n", ACCEPTS, None),
    ("Blocks", 'a "${x}" {\n}\n', REJECTS, "1:4: invalid string literal"),
    ("Blocks", 'a "b\\/c" {\n}\n', REJECTS, "1:5: invalid escape sequence"),
    ("Blocks", "a {\n", REJECTS, '1:3: "{" is never closed'),
    ("Blocks", "a {\n}\n}\n", REJECTS, '3:1: unexpected "}"'),
    # ---- Expression Terms, Literal Values ----
    ("Literal Values", "a = true\nb = false\nc = null\n", ACCEPTS, None),
    ("Expression Terms", "a = (1)\n", ACCEPTS, None),
    ("Expression Terms", "a = (\n  1 +\n  2\n)\n", ACCEPTS, None),
    ("Expression Terms", "a = (1\n)\n", ACCEPTS, None),
    ("Expression Terms", "a = (1\n", REJECTS, '1:5: "(" is never closed'),
    # ---- Collection Values ----
    ("Collection Values", "a = []\n", ACCEPTS, None),
    ("Collection Values", "a = [1, 2,]\n", ACCEPTS, None),
    ("Collection Values", "a = [\n  1,\n  2\n]\n", ACCEPTS, None),
    ("Collection Values", "a = {}\n", ACCEPTS, None),
    ("Collection Values", "a = { b = 1, c = 2 }\n", ACCEPTS, None),
    ("Collection Values", 'a = { "b" = 1 }\n', ACCEPTS, None),
    ("Collection Values", "a = { b : 1 }\n", ACCEPTS, None),
    ("Collection Values", "a = { (x) = 1 }\n", ACCEPTS, None),
    ("Collection Values", "a = {\n  b = 1\n  c = 2\n}\n", ACCEPTS, None),
    ("Collection Values", "a = {\n  b = 1,\n  c = 2,\n}\n", ACCEPTS, None),
    ("Collection Values", "a = [1 2]\n", REJECTS, "1:8: unexpected"),
    ("Collection Values", "a = [1, 2\n", REJECTS, '1:5: "[" is never closed'),
    ("Collection Values", "a = { b = 1 c = 2 }\n", REJECTS, "1:13: missing attribute separator"),
    ("Collection Values", "a = {\n  b = 1 c = 2\n}\n", REJECTS, "2:9: missing attribute separator"),
    ("Collection Values", "a = {\n  b = 1\n", REJECTS, '1:5: "{" is never closed'),
    # ---- Template Expressions (quoted) and escapes ----
    ("Template Expressions", 'a = "x"\n', ACCEPTS, None),
    ("Template Expressions", 'a = ""\n', ACCEPTS, None),
    ("Template Expressions", 'a = "a\\nb\\tc\\rd"\n', ACCEPTS, None),
    ("Template Expressions", 'a = "say \\"hi\\""\n', ACCEPTS, None),
    ("Template Expressions", 'a = "C:\\\\dir"\n', ACCEPTS, None),
    ("Template Expressions", 'a = "\\u00e9\\U0001F600"\n', ACCEPTS, None),
    ("Template Expressions", 'a = "modules\\/x"\n', REJECTS, "1:13: invalid escape sequence"),
    ("Template Expressions", 'a = "\\d+"\n', REJECTS, "1:6: invalid escape sequence"),
    ("Template Expressions", 'a = "\\u12"\n', REJECTS, "1:6: invalid escape sequence"),
    ("Template Expressions", 'a = "\\uD800"\n', REJECTS, "1:6: invalid escape sequence"),
    ("Template Expressions", 'a = "one\ntwo"\n', REJECTS, "1:9: invalid multi-line string"),
    ("Template Expressions", 'a = "never closed\nb = 1\n', REJECTS, "1:5: quoted string is not closed"),
    # ---- heredocs ----
    ("Template Expressions", "a = <<EOT\nhello\nEOT\n", ACCEPTS, None),
    ("Template Expressions", "a = <<-EOT\n    hello\n    EOT\n", ACCEPTS, None),
    ("Template Expressions", "a = <<EOT\nEOT\n", ACCEPTS, None),
    ("Template Expressions", "a = <<EOT\nhello\n  EOT\n", ACCEPTS, None),
    ("Template Expressions", "a = <<EOT\nhello\nEOT  \n", ACCEPTS, None),
    ("Template Expressions", "a = <<-EOT\n  hello\n  EOT\t\n", ACCEPTS, None),
    ("Template Expressions", "a = <<EOT\r\nhello\r\nEOT \r\n", ACCEPTS, None),
    ("Template Expressions", "a = <<EOT\n${x} and %{ if y }z%{ endif }\nEOT\n", ACCEPTS, None),
    ("Template Expressions", "a = <<EOT\n\\d \\/ unescaped\nEOT\n", ACCEPTS, None),
    ("Template Expressions", "a = <<_EOT\nx\n_EOT\n", ACCEPTS, None),
    ("Template Expressions", "a = <<EOT\nhello\nEOT_TYPO\n", REJECTS, "1:5: heredoc EOT is never closed"),
    ("Template Expressions", "a = <<EOT\nhello\nEOTX\nb = 1\n", REJECTS, "1:5: heredoc EOT is never closed"),
    ("Template Expressions", "a = <<EOT hello\nEOT\n", REJECTS, "1:5: unexpected"),
    # ---- Template Literals, Interpolations, Directives ----
    ("Template Literals", 'a = "$${x} %%{y}"\n', ACCEPTS, None),
    ("Template Interpolations", 'a = "${x}"\n', ACCEPTS, None),
    ("Template Interpolations", 'a = "a ${x.y[0]} b"\n', ACCEPTS, None),
    ("Template Interpolations", 'a = "${~ var.x ~}"\n', ACCEPTS, None),
    ("Template Interpolations", 'a = "a ${~var.x}"\n', ACCEPTS, None),
    ("Template Interpolations", 'a = "${var.x~} b"\n', ACCEPTS, None),
    ("Template Interpolations", 'a = "${f("}")}"\n', ACCEPTS, None),
    ("Template Interpolations", 'a = "${"${x}"}"\n', ACCEPTS, None),
    ("Template Interpolations", 'a = "${x"\n', REJECTS, "1:5: quoted string is not closed"),
    ("Template Interpolations", 'a = "${\n  x\n}"\n', ACCEPTS, None),
    ("Template If Directive", 'a = "%{ if x }y%{ endif }"\n', ACCEPTS, None),
    ("Template If Directive", 'a = "%{ if x }y%{ else }z%{ endif }"\n', ACCEPTS, None),
    ("Template If Directive", 'a = "%{~ if x ~}y%{~ endif ~}"\n', ACCEPTS, None),
    ("Template For Directive", 'a = "%{ for v in xs }${v},%{ endfor }"\n', ACCEPTS, None),
    ("Template For Directive", 'a = "%{ for k, v in m }${k}=${v}%{ endfor }"\n', ACCEPTS, None),
    ("Template If Directive", 'a = "%{ if x }y"\n', REJECTS,
     "1:9: unexpected end of template: the if directive has no endif"),
    ("Template If Directive", 'a = "y%{ endif }"\n', REJECTS, "1:10: unexpected endif directive: no directive is open"),
    ("Template If Directive", 'a = "%{ if x }%{ else }%{ else }%{ endif }"\n', REJECTS,
     "1:27: unexpected else directive"),
    ("Template For Directive", 'a = "%{ for v in xs }${v}"\n', REJECTS,
     "1:9: unexpected end of template: the for directive has no endfor"),
    # ---- Variables, Functions ----
    ("Variables and Variable Expressions", "a = var.x\n", ACCEPTS, None),
    ("Functions and Function Calls", "a = f()\n", ACCEPTS, None),
    ("Functions and Function Calls", "a = f(1, 2)\n", ACCEPTS, None),
    ("Functions and Function Calls", "a = f(1, 2,)\n", ACCEPTS, None),
    ("Functions and Function Calls", "a = f(xs...)\n", ACCEPTS, None),
    ("Functions and Function Calls", "a = f(\n  1,\n  2\n)\n", ACCEPTS, None),
    ("Functions and Function Calls", "a = f(\n  1\n  ,\n)\n", ACCEPTS, None),
    ("Functions and Function Calls", "a = provider::aws::arn_parse(x)\n", ACCEPTS, None),
    ("Functions and Function Calls", "a = core::max(1, 2)\n", ACCEPTS, None),
    ("Functions and Function Calls", "a = f(1 2)\n", REJECTS, "1:9: unexpected"),
    ("Functions and Function Calls", "a = f(1,\n", REJECTS, '1:6: "(" is never closed'),
    # ---- For Expressions ----
    ("For Expressions", "a = [for v in xs : v]\n", ACCEPTS, None),
    ("For Expressions", "a = [for i, v in xs : v if i < 2]\n", ACCEPTS, None),
    ("For Expressions", "a = {for k, v in m : k => v}\n", ACCEPTS, None),
    ("For Expressions", "a = {for v in xs : v.k => v...}\n", ACCEPTS, None),
    ("For Expressions", "a = [\n  for v in xs :\n  v\n]\n", ACCEPTS, None),
    ("For Expressions", "a = {for k, v in m : k\n  => v}\n", ACCEPTS, None),
    ("For Expressions", "a = [for v in xs v]\n", REJECTS, "1:18: unexpected"),
    # ---- Index Operator, Attribute Access, Splat ----
    ("Index Operator", "a = x[0]\n", ACCEPTS, None),
    ("Index Operator", 'a = x["k"]\n', ACCEPTS, None),
    ("Index Operator", "a = x[\n  0\n]\n", ACCEPTS, None),
    ("Index Operator", "a = x.0\n", ACCEPTS, None),
    ("Index Operator", "a = x.0.y\n", ACCEPTS, None),
    ("Index Operator", "a = x.0.1\n", REJECTS, "1:7: invalid legacy index syntax"),
    ("Attribute Access Operator", "a = x.y.z\n", ACCEPTS, None),
    ("Splat Operators", "a = x.*.id\n", ACCEPTS, None),
    ("Splat Operators", "a = x[*].id\n", ACCEPTS, None),
    ("Splat Operators", "a = x[*].y[0]\n", ACCEPTS, None),
    # ---- Operations, precedence, Conditional Operator ----
    ("Operations", "a = 1 + 2 * 3 - 4 / 5 % 6\n", ACCEPTS, None),
    ("Operations", "a = !x && y || z\n", ACCEPTS, None),
    ("Operations", "a = x == 1 != (y < 2) && y >= 3\n", ACCEPTS, None),
    ("Operations", "a = -x\n", ACCEPTS, None),
    ("Operations", "a = (\n  x\n  && y\n)\n", ACCEPTS, None),
    ("Operations", "a = 1 +\n", REJECTS, "2:1: unexpected"),
    ("Operations", "a = 1 ** 2\n", REJECTS, "1:8: unexpected"),
    ("Operations", "a = x &&\n  y\n", REJECTS, "1:9: expression split over lines outside brackets"),
    ("Operations", "a = x\n  && y\n", REJECTS, "2:3: line starts with an operator outside brackets"),
    ("Operations", "a = 1 +\n  2\n", REJECTS, "1:8: expression split over lines outside brackets"),
    ("Operations", "a = {\n  b = x &&\n    y\n}\n", REJECTS, "2:11: expression split over lines outside brackets"),
    ("Operations", "a = [\n  x &&\n  y\n]\n", ACCEPTS, None),
    ("Operations", "a = f(\n  x &&\n  y\n)\n", ACCEPTS, None),
    ("Operations", "a = {\n  b = (x &&\n    y)\n}\n", ACCEPTS, None),
    ("Operations", "a = x && y // c\n", ACCEPTS, None),
    ("Conditional Operator", "a = x ? 1 : 2\n", ACCEPTS, None),
    ("Conditional Operator", "a = x ? y ? 1 : 2 : 3\n", ACCEPTS, None),
    ("Conditional Operator", "a = (\n  x\n  ? 1\n  : 2\n)\n", ACCEPTS, None),
    ("Conditional Operator", "a = x ? 1\n", REJECTS, "2:1: unexpected"),
    ("Conditional Operator", "a = x\n  ? 1 : 2\n", REJECTS, "2:3: line starts with an operator outside brackets"),
    ("Conditional Operator", "a = x ?\n  1 : 2\n", REJECTS, "1:8: expression split over lines outside brackets"),
    ("Conditional Operator", "a = x ? [\n  1\n] : [2]\n", ACCEPTS, None),
    ("Conditional Operator", "a = x ? 1 : 2 # c\nb = 1\n", ACCEPTS, None),
]


ROWS = [pytest.param(source, verdict, message, id=f"{section}: {source!r}")
        for section, source, verdict, message in CONSTRUCTS]


def test_the_table_is_large_enough():
    assert len(CONSTRUCTS) >= 100
    assert len({source for _, source, _, _ in CONSTRUCTS}) == len(CONSTRUCTS)


@pytest.mark.parametrize("source, verdict, message", ROWS)
def test_terraform_verdict(source: str, verdict: str, message: str | None) -> None:
    model = parse_hcl(source, "main.tf", "tf")
    if verdict == ACCEPTS:
        assert model.error is None
        assert model.blocks or model.attributes
    else:
        assert model.error is not None and message is not None
        error = model.error
        assert f"{error.span.line}:{error.span.col}: {error.message}".startswith(message), error


def test_a_redefined_argument_points_at_both_settings_and_keeps_the_model() -> None:
    model = parse_hcl('resource "a" "b" {\n  bucket = "x"\n  bucket = "y"\n}\n', "main.tf", "tf")
    assert model.error == ParseError(
        'attribute redefined: the argument "bucket" was already set on line 2; each argument may be set only once',
        Span("main.tf", 3, 3, 3, 9), ((Span("main.tf", 2, 3, 2, 9), '"bucket" first set here'),))
    assert model.fully_read and [a.name for a in model.blocks[0].attributes] == ["bucket", "bucket"]


def test_the_blocks_around_an_unclosed_heredoc_are_kept_with_their_positions() -> None:
    source = ('terraform {\n  required_version = ">= 1.6.0"\n}\n\n'
              'resource "aws_iam_policy" "p" {\n  policy = <<POLICY\n{}\nPOLICY_END\n}\n\n'
              'provider "aws" {\n  region = "eu-west-1"\n}\n')
    model = parse_hcl(source, "main.tf", "tf")
    assert model.error == ParseError("heredoc POLICY is never closed", Span("main.tf", 6, 12, 6, 20))
    assert [(b.type, b.span.line, b.span.end_line) for b in model.blocks] == [("terraform", 1, 3), ("provider", 11, 13)]
    assert model.blocks[1].attributes[0].expr.span == Span("main.tf", 12, 12, 12, 23)
    [unread] = model.unread
    assert unread.span == Span("main.tf", 5, 1, 9, 2) and unread.text.startswith('resource "aws_iam_policy"')
    assert not model.fully_read

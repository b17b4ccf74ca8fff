"""Exact spans from the HCL and JSON parsers (1-based, end exclusive)."""

from __future__ import annotations

from iacm_lint.model.syntax import NOT_LITERAL, ParseError, Span
from iacm_lint.parse.hcl import parse_hcl
from iacm_lint.parse.textio import decode_source

SOURCE = '''terraform {
  required_version = "~> 1.5.0"
  backend "s3" {
    bucket  = "acme-state"
    key     = "net/${var.env}/terraform.tfstate"
    encrypt = true # comment
  }
}

resource "aws_db_instance" "main" {
  password = <<-EOT
    s3cr3t-value
  EOT
  count    = length(local.zones) > 1 ? 1 : 0
  tags = {
    Name  = "db"
    "env" = var.env
  }
  port = -5432
  azs  = ["a", "b"]
  arn  = provider::aws::arn_parse(aws_iam_role.r[0].arn).account_id
}
'''


def spans_of(text: str):
    f = parse_hcl(text, "main.tf", "tf")
    assert f.error is None, f.error
    return f


def test_block_and_attribute_spans():
    f = spans_of(SOURCE)
    terraform, resource = f.blocks
    assert terraform.header_span == Span("main.tf", 1, 1, 1, 10)
    assert terraform.span == Span("main.tf", 1, 1, 8, 2)
    version = terraform.attr("required_version")
    assert version.name_span == Span("main.tf", 2, 3, 2, 19)
    assert version.expr.span == Span("main.tf", 2, 22, 2, 32)
    assert version.span == Span("main.tf", 2, 3, 2, 32)
    assert version.value == "~> 1.5.0"
    backend = terraform.child("backend")
    assert backend.labels == ("s3",)
    assert backend.header_span == Span("main.tf", 3, 3, 3, 15)
    assert backend.label_spans == (Span("main.tf", 3, 11, 3, 15),)
    key = backend.attr("key")
    assert key.expr.kind == "template" and key.value is NOT_LITERAL
    assert key.expr.references == ("var.env",)
    assert [p.text for p in key.expr.strings] == ["net/", "/terraform.tfstate"]
    assert backend.attr("encrypt").value is True
    assert resource.header_span == Span("main.tf", 10, 1, 10, 34)
    assert resource.address == "resource.aws_db_instance.main"


def test_heredoc_multiline_and_collections():
    resource = spans_of(SOURCE).blocks[1]
    password = resource.attr("password")
    assert password.expr.kind == "heredoc"
    assert password.value == "s3cr3t-value\n"
    assert password.expr.span == Span("main.tf", 11, 14, 13, 6)
    assert password.expr.strings[0].span.line == 12
    count = resource.attr("count").expr
    assert count.kind == "other" and count.references == ("local.zones",) and count.functions == ("length",)
    tags = resource.attr("tags").expr
    assert [k for k, _, _ in tags.entries] == ["Name", "env"]
    assert tags.entry("Name").value == "db"
    assert tags.entries[1][1] == Span("main.tf", 17, 5, 17, 10)
    assert tags.references == ("var.env",)
    assert resource.attr("port").value == -5432
    assert resource.attr("azs").value == ["a", "b"]
    arn = resource.attr("arn").expr
    assert arn.functions == ("provider::aws::arn_parse",)
    assert arn.references == ("aws_iam_role.r",)


def test_crlf_and_bom_give_the_same_columns():
    data = ("\ufeff" + SOURCE.replace("\n", "\r\n")).encode("utf-8")
    text, error = decode_source(data, "main.tf")
    assert error is None
    crlf = spans_of(text)
    lf = spans_of(SOURCE)
    assert crlf.blocks[0].attr("required_version").span == lf.blocks[0].attr("required_version").span
    assert crlf.blocks[1].header_span == lf.blocks[1].header_span
    assert crlf.blocks[1].attr("password").value == "s3cr3t-value\n"
    assert crlf.comments[0].text == "# comment"
    assert crlf.comments[0].span == Span("main.tf", 6, 20, 6, 29)


def test_multibyte_characters_count_as_one_column():
    f = spans_of('locals {\n  name = "café"\n  next = 1\n}\n')
    assert f.blocks[0].attr("name").expr.span == Span("main.tf", 2, 10, 2, 16)
    assert f.blocks[0].attr("next").name_span == Span("main.tf", 3, 3, 3, 7)


def test_string_escapes_and_escaped_interpolation():
    f = spans_of('locals {\n  a = "x\\"y\\n"\n  b = "$${literal}"\n}\n')
    assert f.blocks[0].attr("a").value == 'x"y\n'
    assert f.blocks[0].attr("b").value == "${literal}"


def test_syntax_error_position():
    f = parse_hcl('resource "a" "b" {\n  x = = 1\n}\n', "bad.tf", "tf")
    assert f.error is not None
    assert (f.error.span.line, f.error.span.col) == (2, 7)
    unclosed = parse_hcl('locals {\n  a = 1\n', "bad.tf", "tf")
    assert unclosed.error == ParseError('"{" is never closed', Span("bad.tf", 1, 8, 1, 9))  # the brace, not the end


def test_deep_nesting_is_an_error_not_a_crash():
    text = "locals {\n  a = " + "[" * 5000 + "]" * 5000 + "\n}\n"
    f = parse_hcl(text, "deep.tf", "tf")
    assert f.error is not None


def test_tf_json_positions():
    text = ('{\n  "terraform": {\n    "backend": {\n      "s3": {\n        "bucket": "b",\n'
            '        "key": "${var.k}"\n      }\n    }\n  },\n'
            '  "resource": {"aws_s3_bucket": {"b": {"bucket": "x"}}}\n}\n')
    f = parse_hcl(text, "main.tf.json", "tf.json")
    assert f.error is None
    terraform, resource = f.blocks
    backend = terraform.child("backend")
    assert backend.labels == ("s3",)
    assert backend.attr("bucket").name_span == Span("main.tf.json", 5, 9, 5, 17)
    assert backend.attr("bucket").value == "b"
    assert backend.attr("key").expr.kind == "template"
    assert backend.attr("key").expr.references == ("var.k",)
    assert resource.labels == ("aws_s3_bucket", "b")
    bad = parse_hcl('{\n  "a": [1,,2]\n}', "x.tf.json", "tf.json")
    assert (bad.error.span.line, bad.error.span.col) == (2, 11)


def test_tf_json_array_forms():
    text = '{"terraform": [{"backend": [{"local": [{"path": "x.tfstate"}]}]}]}'
    f = parse_hcl(text, "b.tf.json", "tf.json")
    backend = f.blocks[0].child("backend")
    assert backend.labels == ("local",)
    assert backend.attr("path").value == "x.tfstate"


def test_core_namespace_function_calls():
    f = spans_of('locals {\n  m = core::max(1, var.n) # core::x\n  s = "core::max(2)"\n}\n')
    m = f.blocks[0].attr("m").expr
    assert m.functions == ("core::max",) and m.references == ("var.n",)
    assert m.text == "core::max(1, var.n)"
    assert m.span == Span("main.tf", 2, 7, 2, 26)
    assert f.blocks[0].attr("s").value == "core::max(2)"
    assert f.comments[0].text == "# core::x"


def test_template_references_come_from_interpolations_only():
    f = spans_of('locals {\n  h = <<EOT\n'
                 'host example.com ${aws_s3_bucket.b.id} ${lower("x.y")} %{ if var.on }on%{ endif }\nEOT\n}\n')
    assert f.blocks[0].attr("h").expr.references == ("aws_s3_bucket.b.id", "var.on")
    j = parse_hcl('{"locals": {"u": "https://example.com/${var.path}/${data.x.y.z}"}}', "l.tf.json", "tf.json")
    assert j.blocks[0].attr("u").expr.references == ("var.path", "data.x.y.z")

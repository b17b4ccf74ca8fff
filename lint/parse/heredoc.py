"""Pipeline YAML inside Terraform: the `yaml = <<EOT` heredoc of a
`harness_platform_pipeline` resource, parsed with positions inside the `.tf`
file so that every 5xx rule can check it like a pipeline file. The parse
stage parses them with the file (`with_heredoc_pipelines`, parse/file.py),
so they are cached with its model; the scan stage collects them for the
Repo (scan/repository.py)."""

from __future__ import annotations

import dataclasses
import re
from typing import Optional

from ..model.harness_config import PIPELINE
from ..model.syntax import Expr, HclFile, YamlFile
from .limits import within_limits

_DIRECTIVE = re.compile(r"(?<!%)%\{")


def with_heredoc_pipelines(model: HclFile) -> HclFile:
    """`model` with the parsed YAML of each `harness_platform_pipeline`
    resource's `yaml` heredoc (`HclFile.heredoc_yaml`), in source order."""
    found = []
    for block in model.top("resource"):
        attribute = block.attr("yaml") if block.labels[:1] == (PIPELINE,) else None
        if attribute is None:
            continue
        parsed = heredoc_yaml(model.path, attribute.expr)
        if parsed is not None:  # bounded like a pipeline file: it is cached and pickled with the .tf file's model
            found.append((attribute.expr.span, within_limits(parsed, attribute.expr.text)))
    return dataclasses.replace(model, heredoc_yaml=tuple(found)) if found else model


def heredoc_yaml(path: str, expr: Expr) -> Optional[YamlFile]:
    """The YAML of a heredoc expression, positioned inside the `.tf` file
    (`<<-` indentation trimming becomes a column offset). None for other
    expressions and for heredocs with template directives (`%{ if }`,
    `%{ for }`), whose rendered YAML cannot be known. `${…}` interpolations
    stay in the text as values; when they break the YAML syntax, they are
    masked with a same-length placeholder and parsed again."""
    if expr.kind != "heredoc":
        return None
    from .yaml import load_yaml  # PyYAML loads only when there is a heredoc to parse

    lines = expr.text.split("\n")
    if len(lines) < 2:
        return None
    header = lines[0].strip()
    body = [line.rstrip("\r") for line in lines[1:-1]]
    cut = 0
    if header.startswith("<<-"):
        indents = [len(line) - len(line.lstrip(" \t")) for line in body if line.strip()]
        cut = min(indents) if indents else 0
    text = "".join(line[cut:] + "\n" for line in body)
    if _DIRECTIVE.search(text):
        return None
    parsed = load_yaml(text, path, line_offset=expr.span.line, col_offset=cut)
    if parsed.error is not None and "${" in text:
        masked = load_yaml(mask_interpolations(text), path, line_offset=expr.span.line, col_offset=cut)
        if masked.error is None:
            return masked
    return parsed


def mask_interpolations(text: str) -> str:
    """Each `${…}` (braces balanced, quoted strings skipped) becomes
    `${xxx…}` of the same length, so positions do not move."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        start = text.find("${", i)
        if start == -1 or (start > 0 and text[start - 1] == "$"):
            if start == -1:
                out.append(text[i:])
                break
            out.append(text[i:start + 2])
            i = start + 2
            continue
        depth, j, quote = 0, start + 1, False
        while j < n:
            ch = text[j]
            if quote:
                if ch == "\\":
                    j += 1
                elif ch == '"':
                    quote = False
            elif ch == '"':
                quote = True
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    break
            elif ch == "\n":
                break
            j += 1
        if j >= n or text[j] != "}":
            out.append(text[i:start + 2])
            i = start + 2
            continue
        out.append(text[i:start])
        out.append("${" + "x" * (j - start - 2) + "}")
        i = j + 1
    return "".join(out)

"""Rule documentation, generated from the rules' docstrings.

A rule's docstring has the sections "What it does", "Why is this bad?",
"Example" and "Use instead", and "Fix" when its findings carry fixes. Code blocks in Example / Use instead are real
files: the first line may name the file (`# backends.tf`, `# .harness/deploy.yaml`),
and the fence's info string may carry options for the check
(```` ```hcl engine=terraform state=existing ````). `docs/rules/<ID>.md` is
written from here and a test keeps it in sync and runs the examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..registry import Rule

SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")
FIX_SECTION = "Fix"  # after Use instead, in the docstring of every rule whose findings carry fixes
# How to apply each kind of fix (registry.FIX_KINDS), for a rule page's header.
_FIX_COMMANDS = {"safe": "`iacm-lint check --fix`", "unsafe": "`iacm-lint check --fix --unsafe-fixes`",
                 "safe or unsafe": "`iacm-lint check --fix`, the unsafe ones with `--unsafe-fixes`"}

_FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```\s*$", re.M | re.S)
# A first line that is only a file name (`# backends.tf`, `# .harness/deploy.yaml`, `# .terraform-version`).
_FILE_NAME = re.compile(r"^(?:#|//)\s*((?:[\w.-]+/)*[\w-]*\.[\w.-]+)\s*$")
_DEFAULT_NAMES = {"hcl": "main.tf", "terraform": "main.tf", "yaml": ".harness/pipeline.yaml", "json": "main.tf.json"}


@dataclass
class Example:
    files: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)


def sections(rule: Rule) -> dict[str, str]:
    """Section title -> body text (markdown), in docstring order."""
    found: dict[str, str] = {}
    current = None
    lines: list[str] = []
    for line in rule.doc.splitlines():
        heading = re.match(r"^#{1,3}\s+(.*?)\s*$", line)
        if heading and heading.group(1) in (*SECTIONS, FIX_SECTION):
            if current:
                found[current] = "\n".join(lines).strip()
            current, lines = heading.group(1), []
        elif current:
            lines.append(line)
    if current:
        found[current] = "\n".join(lines).strip()
    return found


def example(section_text: str) -> Example:
    """The files (and check options) of an Example or Use instead section."""
    result = Example()
    for info, body in _FENCE.findall(section_text):
        words = info.split()
        language = words[0] if words else "hcl"
        for word in words[1:]:
            key, _, value = word.partition("=")
            result.options[key] = value
        first, _, rest = body.partition("\n")
        named = _FILE_NAME.match(first.strip())
        if named:
            name, content = named.group(1), rest
        else:
            name, content = _DEFAULT_NAMES.get(language, "main.tf"), body
        result.files[name] = result.files.get(name, "") + content
    return result


def rule_markdown(rule: Rule) -> str:
    """The page docs/rules/<ID>.md."""
    level = rule.level + ("" if rule.enabled_by_default else " (off by default)")
    header = [f"# {rule.id} {rule.name}", "", f"{rule.short}.", "",
              f"- Default level: **{level}**", f"- Tags: {', '.join(rule.tags) or '—'}"]
    if rule.security_severity:
        header.append(f"- Security severity: {rule.security_severity}")
    header.append(f"- Fix: {rule.fix} ({_FIX_COMMANDS[rule.fix]}; see [fixes](../fixes.md))" if rule.fix
                  else "- Fix: none")
    return "\n".join(header) + "\n\n" + _demote(rule.doc).strip() + "\n"


def _demote(text: str) -> str:
    """Docstring sections become level-2 headings under the page title."""
    return re.sub(r"^#{1,3}\s+", "## ", text, flags=re.M)


def index_markdown(rules: list[Rule]) -> str:
    rows = ["# Rules", "", "| ID | name | level | fix | summary |", "|---|---|---|---|---|"]
    rows += [f"| [{r.id}]({r.id}.md) | {r.name} | {r.level} | {r.fix or '—'} | {r.short} |" for r in rules]
    return "\n".join(rows) + "\n"

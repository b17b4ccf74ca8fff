"""Write docs/rules/<ID>.md and docs/rules/README.md from the rules' docstrings.

    python scripts/gen_rule_docs.py
"""

from __future__ import annotations

from pathlib import Path

from iacm_lint.registry import all_rules
from iacm_lint.report.rule_docs import index_markdown, rule_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    rules = all_rules()
    wanted = {f"{r.id}.md" for r in rules} | {"README.md"}
    for stale in DOCS.glob("*.md"):
        if stale.name not in wanted:
            stale.unlink()
    for rule in rules:
        (DOCS / f"{rule.id}.md").write_text(rule_markdown(rule), encoding="utf-8")
    (DOCS / "README.md").write_text(index_markdown(rules), encoding="utf-8")


if __name__ == "__main__":
    main()

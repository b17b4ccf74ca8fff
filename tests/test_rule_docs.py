"""Rule documentation: every rule documents itself in the four sections, its
Example fires and its Use instead does not, and docs/rules/ is in sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from iacm_lint.engine import run
from iacm_lint.options import Options
from iacm_lint.registry import all_rules
from iacm_lint.report.rule_docs import FIX_SECTION, SECTIONS, example, index_markdown, rule_markdown, sections

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"
RULES = all_rules()
# Rules whose findings come from the filter stage (suppressions), not from a
# scan of example files, or that need git history to fire.
NOT_RUNNABLE = {"IACM001", "IACM002"}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_all_sections(rule):
    found = sections(rule)
    expected = [*SECTIONS, FIX_SECTION] if rule.fix else list(SECTIONS)
    assert list(found) == expected, f"{rule.id} sections: {list(found)}"
    assert all(found[s] for s in expected)
    assert rule.short and not rule.short.endswith(".")


@pytest.mark.parametrize("rule", [r for r in RULES if r.fix], ids=lambda r: r.id)
def test_the_fix_section_says_what_the_metadata_says(rule):
    """`@rule(fix=...)` (the `rules` fix column) and the Fix section agree:
    each kind of fix is explained after its own `Safe:`/`Unsafe:` lead."""
    text = sections(rule)[FIX_SECTION]
    kinds = rule.fix.split(" or ")
    assert text.startswith(f"{kinds[0].capitalize()}:")
    for kind in ("safe", "unsafe"):
        assert (f"{kind.capitalize()}:" in text) == (kind in kinds), f"{rule.id}: {kind}"


def _findings(rule, section_text: str, tmp_path: Path):
    ex = example(section_text)
    assert ex.files, f"{rule.id}: no code block"
    for name, content in ex.files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    options = Options(select=(rule.id,), engine=ex.options.get("engine", "auto"), state=ex.options.get("state", "auto"))
    result = run([str(tmp_path)], options)
    assert not result.internal_errors
    return [f for f in result.findings if f.rule_id == rule.id]


@pytest.mark.parametrize("rule", [r for r in RULES if r.id not in NOT_RUNNABLE], ids=lambda r: r.id)
def test_example_fires_and_use_instead_does_not(rule, tmp_path):
    found = sections(rule)
    fired = _findings(rule, found["Example"], tmp_path / "example")
    assert fired, f"{rule.id}: the Example yields no finding"
    quiet = _findings(rule, found["Use instead"], tmp_path / "fixed")
    assert quiet == [], f"{rule.id}: Use instead yields {[f.message for f in quiet]}"


def test_docs_directory_is_generated_from_the_code():
    expected = {f"{r.id}.md": rule_markdown(r) for r in RULES}
    expected["README.md"] = index_markdown(RULES)
    actual = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    stale = sorted(n for n in expected if actual.get(n) != expected[n]) + sorted(set(actual) - set(expected))
    assert not stale, f"run `python scripts/gen_rule_docs.py`; out of date: {stale}"

"""The survey as Markdown (`iacm-lint survey --format markdown`): the
totals, the rules that block the most repositories, and a table of
repositories. Every name and value from a surveyed repository goes through
sanitise.markdown_text / markdown_code: no link, image, heading or HTML can
come in through it."""

from __future__ import annotations

from ...registry import get_rule
from ...sanitise import markdown_code, markdown_text
from ..readiness.markdown import VERDICT_BADGES
from .model import FAILED, Entry, Survey, repositories

BADGES = {**VERDICT_BADGES, FAILED: "💥 failed"}
TOP_BLOCKERS = 10


def render(survey: Survey) -> str:
    verdicts, roots, levels = survey.verdict_counts, survey.root_counts, survey.level_counts
    lines = [
        "# Harness IaCM migration readiness survey",
        "",
        f"{repositories(len(survey.entries))} · iacm-lint {markdown_text(survey.tool_version)}",
        "",
        "| repositories | ready | needs work | blocked | failed | root modules | errors | warnings | notes |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(survey.entries)} | {verdicts['ready']} | {verdicts['needs work']} | {verdicts['blocked']} | "
        f"{verdicts[FAILED]} | {roots['total']} | {levels['error']} | {levels['warning']} | {levels['note']} |",
        "",
        f"Root modules: {roots['ready']} ready, {roots['needs work']} need work, {roots['blocked']} blocked. "
        f"Engines: {engines_text(survey.engine_counts) or 'none'}.",
        "",
        "## Most common blockers",
        "",
    ]
    blockers = list(survey.blocked_by.items())[:TOP_BLOCKERS]
    if blockers:
        lines += ["| rule | repositories blocked | error findings |", "|---|---:|---:|"]
        errors = survey.rule_error_counts
        lines += [f"| {rule_title(rule)} | {count} | {errors[rule]} |" for rule, count in blockers]
    else:
        lines.append("No repository is blocked.")
    lines += ["", "## Repositories", "",
              "| repository | verdict | roots ready / needs work / blocked | errors | warnings | notes | engines |",
              "|---|---|---|---:|---:|---:|---|"]
    lines += [repository_row(entry) for entry in survey.entries]
    failures = [entry for entry in survey.entries if entry.verdict == FAILED]
    if failures:
        lines += ["", "## Not surveyed", ""]
        lines += [f"- {markdown_code(entry.path)}: {markdown_text(entry.reason)}" for entry in failures]
    return "\n".join(lines) + "\n"


def repository_row(entry: Entry) -> str:
    name = markdown_code(entry.name)
    if entry.report:
        name = f"[{name}]({entry.report})"  # a percent-encoded relative link (cli/survey.py)
    roots, findings = entry.roots, entry.findings
    return (f"| {name} | {BADGES[entry.verdict]} | {roots['ready']} / {roots['needs work']} / {roots['blocked']} | "
            f"{findings['error']} | {findings['warning']} | {findings['note']} | "
            f"{markdown_text(engines_text(entry.engines))} |")


def engines_text(engines: dict[str, int]) -> str:
    return ", ".join(f"{engine} {count}" for engine, count in engines.items())


def rule_title(rule_id: str) -> str:
    found = get_rule(rule_id)
    return f"[{rule_id}]({found.help_uri}) {found.name}" if found and found.help_uri else rule_id

"""The survey as one self-contained HTML page (`iacm-lint survey --format
html`), built like the readiness page (report/readiness/html.py): inline
style and script allowed by their SHA-256 in a Content-Security-Policy and
nothing else, an inline SVG chart, the Jinja2 template
`templates/survey.html.j2` (autoescaped, every value printable). Names,
remotes and branches come from the surveyed repositories: untrusted."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ...registry import get_rule
from ..readiness import html as readiness_html
from ..readiness.html import LEVEL_COLORS, environment, inline
from ..readiness.model import BLOCKED, NEEDS_WORK, READY
from .model import FAILED, SURVEY_VERDICTS, Survey, repositories

TEMPLATES = Path(__file__).parent / "templates"
# The readiness page's style and table sorting, with the survey's own rules.
STYLES = (readiness_html.TEMPLATES / "readiness.css", TEMPLATES / "survey.css")
SCRIPTS = (readiness_html.TEMPLATES / "sortable.js", TEMPLATES / "survey.js")
VERDICT_CLASSES = {READY: "ready", NEEDS_WORK: "needs-work", BLOCKED: "blocked", FAILED: "failed"}
VERDICT_RANKS = {verdict: rank for rank, verdict in enumerate(SURVEY_VERDICTS)}
TOP_BLOCKERS = 10


def render(survey: Survey) -> str:
    from markupsafe import Markup

    style, script, policy = inline(STYLES, SCRIPTS)
    return environment(TEMPLATES).get_template("survey.html.j2").render(
        style=Markup(style),
        script=Markup(script),
        content_security_policy=policy,
        survey=survey,
        verdicts=SURVEY_VERDICTS,
        verdict_classes=VERDICT_CLASSES,
        verdict_ranks=VERDICT_RANKS,
        chart=Markup(blockers_chart(survey)),
        blockers=[(rule, count, rule_name(rule)) for rule, count in list(survey.blocked_by.items())[:TOP_BLOCKERS]],
        rule_errors=survey.rule_error_counts,
    )


def rule_name(rule_id: str) -> str:
    found = get_rule(rule_id)
    return found.name if found else ""


def blockers_chart(survey: Survey) -> str:
    """A horizontal bar chart of the rules that block the most repositories
    (an error of the rule), as inline SVG; the rule IDs are checked
    (`IACM` and three digits, model.entry_of), the counts are numbers."""
    data: list[tuple[str, Any]] = list(survey.blocked_by.items())[:TOP_BLOCKERS]
    label_width, bar_width, row_height, top = 90, 420, 24, 8
    most = max([count for _, count in data] + [1])
    height = top + row_height * max(len(data), 1) + 8
    width = label_width + bar_width + 60
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'aria-labelledby="chart-title"><title id="chart-title">Rules blocking the most repositories</title>']
    if not data:
        parts.append(f'<text x="8" y="{top + 15}" class="label">No repository is blocked.</text>')
    for index, (rule, count) in enumerate(data):
        y = top + index * row_height
        w = bar_width * count / most
        label = escape(rule)
        parts.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" class="label">{label}</text>'
                     f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row_height - 8}" '
                     f'fill="{LEVEL_COLORS["error"]}"><title>{label}: blocks {repositories(count)}'
                     f'</title></rect>'
                     f'<text x="{label_width + w + 6:.1f}" y="{y + 15}" class="count">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)

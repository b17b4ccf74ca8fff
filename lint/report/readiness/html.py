"""The readiness report as one self-contained HTML page
(`iacm-lint report --format html`).

Inline CSS and a few lines of inline JavaScript (sorting and filtering the
findings table), an inline SVG chart generated here; no external fonts,
scripts, styles or images, so the page works when opened from disk and
prints (`@media print`). Rendered with the Jinja2 template
`templates/readiness.html.j2` (autoescaped).

Names and values from the scanned repository reach the page: every `{{ }}`
value is escaped for HTML and has its control characters shown as escapes
(`sanitise.printable`), file links are `./` + the percent-encoded path, and
a Content-Security-Policy allows only the page's own style and script
(`readiness.css`, `readiness.js`, by their SHA-256), so a file named
`javascript:…` or a value that slipped through runs nothing.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from ...sanitise import printable
from .. import plural
from .model import (
    BLOCKED,
    FAIL,
    LEVEL_RANK,
    LEVELS,
    NEEDS_WORK,
    NOT_APPLICABLE,
    PASS,
    READY,
    STATUS_MEANINGS,
    STATUS_TEXT,
    STATUSES,
    UNVERIFIED,
    WARN,
    Item,
    Readiness,
)

if TYPE_CHECKING:  # jinja2 and markupsafe load only when an HTML report is rendered
    import jinja2
    from markupsafe import Markup

LEVEL_COLORS = {"error": "#c62828", "warning": "#ef6c00", "note": "#1565c0"}
VERDICT_CLASSES = {READY: "ready", NEEDS_WORK: "needs-work", BLOCKED: "blocked"}
STATUS_CLASSES = {PASS: "pass", WARN: "warn", FAIL: "fail", UNVERIFIED: "unverified", NOT_APPLICABLE: "n-a"}
STATUS_MARKS = {PASS: "✔", WARN: "⚠", FAIL: "✘", UNVERIFIED: "?", NOT_APPLICABLE: "–"}
REPOSITORY = "(repository)"
TEMPLATES = Path(__file__).parent / "templates"


def breakable(value: str) -> Markup:
    """A path, identifier or message for the page: printable, escaped, with a
    line break opportunity (`<wbr>`) after each `/` and `_`, so that a long
    one wraps between its parts, not inside a word (and a path in `.path`
    breaks anywhere only where a part is longer than its line)."""
    from markupsafe import Markup

    return Markup(re.sub(r"([/_])", r"\1<wbr>", str(Markup.escape(printable(value)))))


def _shown(value: Any) -> Any:
    """Jinja's `finalize`: text (not markup this module built) printable."""
    from markupsafe import Markup

    return printable(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@cache
def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    """The autoescaping Jinja environment of a templates folder (this page's, the survey's)."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=_shown,
    )
    environment.filters["plural"] = plural
    environment.filters["breakable"] = breakable
    return environment


def _source_hash(text: str) -> str:
    """A CSP source expression for an inline element with exactly this text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


STYLES = (TEMPLATES / "readiness.css",)
SCRIPTS = (TEMPLATES / "sortable.js", TEMPLATES / "readiness.js")  # sortable.js: the survey page's too


@cache
def inline(styles: tuple[Path, ...] = STYLES, scripts: tuple[Path, ...] = SCRIPTS) -> tuple[str, str, str]:
    """The page's style and script (the files, joined), and the
    Content-Security-Policy that allows those two and nothing else (no other
    script, style, image, font, frame, connection, form target or base URL)."""
    style = "\n".join(path.read_text(encoding="utf-8") for path in styles)
    script = "\n".join(path.read_text(encoding="utf-8") for path in scripts)
    policy = (f"default-src 'none'; style-src {_source_hash(style)}; script-src {_source_hash(script)}; "
              f"base-uri 'none'; form-action 'none'")
    return style, script, policy


def render(report: Readiness) -> str:
    from markupsafe import Markup

    style, script, policy = inline()
    template = environment().get_template("readiness.html.j2")
    return template.render(
        style=Markup(style),
        script=Markup(script),
        content_security_policy=policy,
        report=report,
        rows=_rows(report),
        chart=category_chart(report),
        categories=report.categories,
        levels=LEVELS,
        verdict_classes=VERDICT_CLASSES,
        statuses=STATUSES,
        status_classes=STATUS_CLASSES,
        status_marks=STATUS_MARKS,
        status_text=STATUS_TEXT,
        status_meanings=STATUS_MEANINGS,
        repository=REPOSITORY,
    )


def _rows(report: Readiness) -> list[dict]:
    """One row per finding (a finding in a module two roots call names both)."""
    roots_of: dict[Item, list[str]] = {}
    for root in report.roots:
        for item in root.todo:
            roots_of.setdefault(item, []).append(root.directory)
    for item in report.repository_items:
        roots_of.setdefault(item, []).append(REPOSITORY)
    return [{"item": item, "roots": ", ".join(roots_of.get(item, [REPOSITORY])),
             "rank": LEVEL_RANK.get(item.level, 9)} for item in report.items]


def category_chart(report: Readiness) -> str:
    """A horizontal stacked bar chart (errors, warnings, notes) of the
    findings per rule category, as inline SVG."""
    data = report.category_counts
    label_width, bar_width, row_height, top = 150, 360, 26, 28
    most = max([sum(counts.values()) for _, counts in data] + [1])
    height = top + row_height * len(data) + 8
    width = label_width + bar_width + 60
    parts = [f'<svg class="chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'aria-labelledby="chart-title"><title id="chart-title">Findings by category</title>']
    x: float = label_width  # an int for the legend, floats along the bars
    for level in LEVELS:  # legend
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{LEVEL_COLORS[level]}"/>'
                     f'<text x="{x + 16}" y="16" class="legend">{level}s</text>')
        x += 90
    for index, (label, counts) in enumerate(data):
        y = top + index * row_height
        parts.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" class="label">{escape(label)}</text>')
        x = float(label_width)
        for level in LEVELS:
            count = counts[level]
            if not count:
                continue
            w = bar_width * count / most
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_height - 8}" '
                         f'fill="{LEVEL_COLORS[level]}"><title>{escape(label)}: {plural(count, level)}</title></rect>')
            x += w
        total = sum(counts.values())
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}" class="count">{total}</text>')
    parts.append("</svg>")
    return "".join(parts)

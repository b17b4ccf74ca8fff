"""The readiness report as one self-contained HTML page
(`iacm-lint report --format html`).

Inline CSS and a few lines of inline JavaScript (sorting and filtering the
findings table), an inline SVG chart generated here; no external fonts,
scripts, styles or images, so the page works when opened from disk and
prints (`@media print`). Rendered with the Jinja2 template
`templates/readiness.html.j2` (autoescaped).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from .readiness import BLOCKED, CATEGORIES, LEVEL_RANK, LEVELS, NEEDS_WORK, READY, Item, Readiness
from .report import plural

LEVEL_COLORS = {"error": "#c62828", "warning": "#ef6c00", "note": "#1565c0"}
VERDICT_CLASSES = {READY: "ready", NEEDS_WORK: "needs-work", BLOCKED: "blocked"}
REPOSITORY = "(repository)"


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["plural"] = plural
    return environment


def render(report: Readiness) -> str:
    template = _environment().get_template("readiness.html.j2")
    return template.render(
        report=report,
        rows=_rows(report),
        chart=category_chart(report),
        categories=[label for _, label in CATEGORIES],
        levels=LEVELS,
        verdict_classes=VERDICT_CLASSES,
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
    x = label_width
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

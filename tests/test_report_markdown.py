from iacm_lint.findings import Finding
from iacm_lint.model.syntax import Span
from iacm_lint.report import ReportOptions, render
from iacm_lint.report.markdown import DEFAULT_MAX_SIZE
from iacm_lint.sanitise import markdown_code, markdown_message, markdown_text
from report_samples import LOCK, result

DOCS = "https://github.com/iacm-lint/iacm-lint/blob/main/docs/rules"

EXPECTED = f"""\
### iacm-lint

**2 errors, 1 warning, 1 note in 7 files (engine: opentofu, from pipeline .harness/deploy.yaml)**

| Level | Rule | Location | Message |
| --- | --- | --- | --- |
| error | [IACM110]({DOCS}/IACM110.md) state-lock-missing | `envs/dev/backend.tf:2:3` | backend `"s3"` has no state lock; set use\\_lockfile = true |
| error | [IACM000]({DOCS}/IACM000.md) parse-error | `envs/dev/broken.tf:2:7` | cannot parse broken.tf: unexpected end of file |
| note | [IACM303]({DOCS}/IACM303.md) provider-unpinned | `envs/dev/versions.tf:4:5` | provider `"aws"` has no version constraint; add one |
| warning | [IACM303]({DOCS}/IACM303.md) provider-unpinned | `modules/net/main.tf:7:1` | 50% of providers: pin a, b \\| c<br>now |
"""  # noqa: E501 - the output, verbatim


def test_markdown_table_exact():
    assert render("markdown", result()) == EXPECTED


def test_markdown_without_findings():
    assert render("markdown", result(findings=[], properties={}, files_checked=2)) == (
        "### iacm-lint\n\n**0 errors, 0 warnings, 0 notes in 2 files**\n\nNo findings.\n")


def test_markdown_cells_cannot_break_the_table():
    from iacm_lint.report.markdown import escape_cell

    assert escape_cell("a|b <script> c\\d") == "a\\|b &lt;script&gt; c\\\\d"


def test_markdown_text_escapes_every_markdown_character():
    # issue 20: `"*.tfstate", "*.tfstate.*"` rendered in italics with the asterisks gone
    assert markdown_text("*.tfstate _x_ [l](u) `c` a|b # 1 ~> 1.5 ~x~ \\ <b>") == (
        "\\*.tfstate \\_x\\_ \\[l\\](u) \\`c\\` a\\|b \\# 1 \\~&gt; 1.5 \\~x\\~ \\\\ &lt;b&gt;")


def test_markdown_message_puts_quoted_values_in_code_spans():
    message = 'IACM404 .gitignore lacks "*.tfstate", "*.tfstate.*"; add_them'
    assert markdown_message(message) == '.gitignore lacks `"*.tfstate"`, `"*.tfstate.*"`; add\\_them'.join(
        ["IACM404 ", ""])
    assert markdown_message('a "x|y" b', in_table=True) == 'a `"x\\|y"` b'
    assert markdown_message('a "x|y" b', in_table=False) == 'a `"x|y"` b'
    assert markdown_message('one "`tick`" two\nline "2"', line_break="<br>") == (
        'one ``"`tick`"`` two<br>line `"2"`')
    assert markdown_message('unbalanced "quote *x*') == 'unbalanced "quote \\*x\\*'
    assert markdown_code("a`b") == "``a`b``"


def _many(count: int, level: str, message: str = "x" * 80) -> list[Finding]:
    return [Finding("IACM110", "state-lock-missing", level, message, Span(f"envs/e{n:04d}/backend.tf", 1, 1, 1, 2),
                    fingerprint=f"{n:016x}:1") for n in range(count)]


def test_markdown_is_capped_keeping_the_summary_and_the_most_severe_findings():
    findings = _many(30, "note") + _many(20, "warning") + _many(10, "error")
    options = ReportOptions(max_size=4000)
    out = render("markdown", result(findings=findings, rules=[LOCK], properties={}), options)
    assert 3800 < len(out) <= 4000
    lines = out.splitlines()
    assert lines[:4] == ["### iacm-lint", "", "**10 errors, 20 warnings, 30 notes in 7 files**", ""]
    rows = [line for line in lines if line.startswith("| ") and "IACM110" in line]
    levels = [row.split(" | ")[0][2:] for row in rows]
    # every error, then as many warnings as fit (the first in path order), no note; the table in path order
    assert levels.count("error") == 10 and levels.count("warning") == len(rows) - 10 and 10 < len(rows) < 30
    kept_warnings = [row.split("`")[1] for row in rows if row.startswith("| warning")]
    assert kept_warnings == [f"envs/e{n:04d}/backend.tf:1:1" for n in range(len(rows) - 10)]
    assert rows == sorted(rows, key=lambda row: row.split("`")[1])
    assert lines[-1] == (f"_{60 - len(rows)} more findings left out ({30 - len(rows)} warnings, 30 notes) to keep this "
                         "comment within --max-size; `iacm-lint check` or the `json` and `sarif` formats list "
                         "them all._")


def test_markdown_cap_default_and_off():
    findings = _many(1000, "error")  # about 160,000 characters uncapped
    capped = render("markdown", result(findings=findings, rules=[LOCK], properties={}))
    assert DEFAULT_MAX_SIZE == 65_000 and 60_000 < len(capped) <= 65_000
    assert "more findings left out" in capped.splitlines()[-1]
    uncapped = render("markdown", result(findings=findings, rules=[LOCK], properties={}), ReportOptions(max_size=0))
    assert len(uncapped) > 150_000 and "left out" not in uncapped
    small = render("markdown", result(findings=findings[:3], rules=[LOCK], properties={}), ReportOptions(max_size=0))
    assert small == render("markdown", result(findings=findings[:3], rules=[LOCK], properties={}))

from iacm_lint.report import render
from report_samples import result

DOCS = "https://github.com/iacm-lint/iacm-lint/blob/main/docs/rules"

EXPECTED = f"""\
### iacm-lint

**2 errors, 1 warning, 1 note in 7 files (engine: opentofu, from pipeline .harness/deploy.yaml)**

| Level | Rule | Location | Message |
| --- | --- | --- | --- |
| error | [IACM110]({DOCS}/IACM110.md) state-lock-missing | `envs/dev/backend.tf:2:3` | backend "s3" has no state lock; set use_lockfile = true |
| error | [IACM000]({DOCS}/IACM000.md) parse-error | `envs/dev/broken.tf:2:7` | cannot parse broken.tf: unexpected end of file |
| note | [IACM303]({DOCS}/IACM303.md) provider-unpinned | `envs/dev/versions.tf:4:5` | provider "aws" has no version constraint; add one |
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

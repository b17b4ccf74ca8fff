import subprocess

import pytest
from click.testing import CliRunner

from iacm_lint.cli import main
from iacm_lint.findings import Finding
from iacm_lint.model.syntax import Span
from iacm_lint.report import render
from iacm_lint.report.github import escape_data, escape_property, format_line
from report_samples import result

EXPECTED = """\
::error file=envs/dev/backend.tf,line=2,col=3,endLine=2,endColumn=14,title=IACM110 state-lock-missing::backend "s3" has no state lock; set use_lockfile = true
::error file=envs/dev/broken.tf,line=2,col=7,endLine=2,endColumn=7,title=IACM000 parse-error::cannot parse broken.tf: unexpected end of file
::notice file=envs/dev/versions.tf,line=4,col=5,endLine=6,endColumn=5,title=IACM303 provider-unpinned::provider "aws" has no version constraint; add one
::warning file=modules/net/main.tf,line=7,col=1,endLine=7,endColumn=8,title=IACM303 provider-unpinned::50%25 of providers: pin a, b | c%0Anow
"""  # noqa: E501 - the output, verbatim


def test_github_annotations_exact():
    assert render("github", result()) == EXPECTED


@pytest.mark.parametrize("raw, data, prop", [
    ("100%", "100%25", "100%25"),
    ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
    ("key: value, other", "key: value, other", "key%3A value%2C other"),
    ("%0A literal", "%250A literal", "%250A literal"),  # escape % first so existing escapes stay literal
])
def test_escaping(raw, data, prop):
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_properties_escape_colon_and_comma_in_path_and_title():
    finding = Finding("IACM110", "a,b:c", "error", "m: x, y", Span("dir,1/a:b.tf", 1, 1, 1, 1))
    assert format_line(finding) == (
        "::error file=dir%2C1/a%3Ab.tf,line=1,col=1,endLine=1,endColumn=1,title=IACM110 a%2Cb%3Ac::m: x, y")


def test_paths_are_relative_to_the_repository_root_for_a_subfolder_scan(tmp_path):
    """GitHub reads `file=` relative to the repository root: a scan of infra/
    must annotate infra/backend.tf, and a scan of the top stays as it was."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "backend.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    runner = CliRunner()
    below = runner.invoke(main, ["check", str(tmp_path / "infra"), "--format", "github", "--select", "IACM106"])
    top = runner.invoke(main, ["check", str(tmp_path), "--format", "github", "--select", "IACM106"])
    assert below.stdout.startswith("::error file=infra/backend.tf,line=2,col=3,")
    assert top.stdout == below.stdout


def test_paths_outside_git_stay_relative_to_the_scan_root(tmp_path):
    (tmp_path / "backend.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "github", "--select", "IACM106"])
    assert result.stdout.startswith("::error file=backend.tf,line=2,col=3,")

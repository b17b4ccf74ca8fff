import io

import pytest

from iacm_lint.report import ReportOptions, render, use_color
from iacm_lint.report.text import format_line
from report_samples import LOCK_FINDING, result

EXPECTED = """\
envs/dev/backend.tf:2:3: error IACM110 backend "s3" has no state lock; set use_lockfile = true [state-lock-missing]

envs/dev/broken.tf:2:7: error IACM000 cannot parse broken.tf: unexpected end of file [parse-error]

envs/dev/versions.tf:4:5: note IACM303 provider "aws" has no version constraint; add one [provider-unpinned]

modules/net/main.tf:7:1: warning IACM303 50% of providers: pin a, b | c now [provider-unpinned]

2 errors, 1 warning, 1 note in 7 files (engine: opentofu, from pipeline .harness/deploy.yaml)
"""


def test_text_groups_by_file_hides_suppressed_and_baselined_and_summarises():
    assert render("text", result()) == EXPECTED


def test_text_without_findings_is_the_summary_line():
    out = render("text", result(findings=[], files_checked=1, properties={}))
    assert out == "0 errors, 0 warnings, 0 notes in 1 file\n"


def test_summary_names_each_engine_when_roots_differ():
    engines = {"envs/prod": {"engine": "terraform", "reason": "pin file envs/prod/.terraform-version"},
               "envs/dev": {"engine": "opentofu", "reason": "default"}}
    out = render("text", result(findings=[], properties={"engines": engines}))
    assert out == "0 errors, 0 warnings, 0 notes in 7 files (engines: opentofu for envs/dev, terraform for envs/prod)\n"


def test_summary_with_one_engine_and_different_reasons_omits_the_reason():
    engines = {"a": {"engine": "opentofu", "reason": "default"},
               "b": {"engine": "opentofu", "reason": ".tofu file b/x.tofu"}}
    out = render("text", result(findings=[], properties={"engines": engines}))
    assert out.endswith("in 7 files (engine: opentofu)\n")


def test_colour_only_when_asked():
    plain = render("text", result())
    coloured = render("text", result(), ReportOptions(color=True))
    assert "\x1b[" not in plain
    assert "\x1b[31m" in coloured and "\x1b[33m" in coloured  # red error, yellow warning
    assert format_line(LOCK_FINDING, color=True).startswith("\x1b[1menvs/dev/backend.tf:2:3:\x1b[0m ")


def test_expected_txt_line_format_without_name():
    assert format_line(LOCK_FINDING, with_name=False) == (
        'envs/dev/backend.tf:2:3: error IACM110 backend "s3" has no state lock; set use_lockfile = true')


class _Stream(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self._tty = tty

    def isatty(self):
        return self._tty


@pytest.mark.parametrize("tty, choice, environ, expected", [
    (True, "auto", {}, True),
    (False, "auto", {}, False),
    (True, "never", {}, False),
    (False, "always", {}, True),
    (True, "auto", {"NO_COLOR": "1"}, False),
    (True, "auto", {"NO_COLOR": ""}, True),  # no-color.org: only a non-empty value disables colour
    (False, "auto", {"FORCE_COLOR": "1"}, True),  # a CI log that renders colours
    (False, "auto", {"FORCE_COLOR": ""}, False),
    (False, "auto", {"CLICOLOR_FORCE": "1"}, True),
    (False, "auto", {"CLICOLOR_FORCE": "0"}, False),
    (False, "auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # the user's "no colour" wins
    (False, "always", {"NO_COLOR": "1"}, True),  # the command line wins over the environment
    (True, "never", {"FORCE_COLOR": "1"}, False),
])
def test_use_color(tty, choice, environ, expected):
    assert use_color(_Stream(tty), choice, environ) is expected


def test_unknown_format_is_an_error():
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render("xml", result())


def test_quiet_prints_findings_without_summary():
    out = render("text", result(), ReportOptions(quiet=True))
    assert out == EXPECTED.rsplit("\n\n", 1)[0] + "\n"
    assert render("text", result(findings=[]), ReportOptions(quiet=True)) == ""

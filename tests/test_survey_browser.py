"""The survey's HTML page in headless Chromium (tests/chromium.py): no
element wider than its container at 1,400 and 800 px with long names,
remotes and failure reasons; the verdict filter and the text filter; sorting
by a column from the mouse and the keyboard; no console error, exception or
Content-Security-Policy violation."""

from __future__ import annotations

import json
import shutil

import pytest

from chromium import Browser
from iacm_lint.report.survey import html as survey_html
from iacm_lint.report.survey.model import entry_of, failed, survey_of
from test_readiness_browser import BROKEN_WORDS, OVERFLOWING

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium not installed "
                                "(Debian: apt-get install -y chromium; .ci/run installs it)")

LONG = "platform-networking-transit-gateway-attachments-for-shared-services-and-inspection"


def _entry(index: int):
    """Repository `index` of 40: every verdict, long names and remotes, some findings."""
    levels = ("error", "warning", "note")[index % 3:]
    document = {
        "schema": "iacm-lint.readiness/1",
        "repository": {"name": f"{LONG}-{index:02d}" if index % 4 == 0 else f"repo-{index:02d}",
                       "remote": f"https://github.com/acme-corporation/{LONG}-{index:02d}.git",
                       "commit": f"{index:040x}", "branch": "main" if index % 2 else f"release/{LONG}"},
        "roots": [{"verdict": verdict, "engine": engine} for verdict, engine in
                  (("ready", "opentofu"), ("needs work", "terraform"), ("blocked", "opentofu"))[: 1 + index % 3]],
        "findings": [{"rule": f"IACM1{10 + index % 5}", "level": level} for level in levels] * (1 + index % 7),
    }
    return entry_of(json.loads(json.dumps(document)), f"artifacts/{index:02d}.json")


@pytest.fixture(scope="module")
def page_url(tmp_path_factory) -> str:
    entries = [_entry(index) for index in range(40)]
    entries += [failed(f"artifacts/{LONG}.json", "invalid readiness document: findings[1234].level is missing or "
                       "not one of error, warning, note"), failed("checkouts/plain", "not a git repository")]
    page = tmp_path_factory.mktemp("survey") / "survey.html"
    page.write_text(survey_html.render(survey_of(entries, "1.0.0")), encoding="utf-8")
    return page.as_uri()


@pytest.fixture(scope="module")
def browser():
    with Browser() as started:
        yield started


@pytest.mark.parametrize("width", [1400, 1100, 800])
def test_no_element_is_wider_than_its_container_and_words_break_between_words(browser, page_url, width):
    page = browser.open(page_url, width=width)
    assert page.evaluate("document.getElementById('repository-table').getAttribute('data-interactive')") == "yes"
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate(BROKEN_WORDS) == []
    assert page.problems() == []


VISIBLE = "Array.from(document.querySelectorAll('#repository-table tbody tr')).filter(r => !r.hidden)"
FILTER = "(() => { const e = document.getElementById('%s'); e.value = '%s'; e.dispatchEvent(new Event('%s')); })()"
COUNT = "document.getElementById('filter-count').textContent"


def test_filters_narrow_the_table(browser, page_url):
    page = browser.open(page_url)
    assert page.evaluate(COUNT) == "42 of 42"
    page.evaluate(FILTER % ("filter-verdict", "failed", "change"))
    assert page.evaluate(COUNT) == "2 of 42"
    assert page.evaluate(f"{VISIBLE}.map(r => r.getAttribute('data-verdict'))") == ["failed", "failed"]
    page.evaluate(FILTER % ("filter-verdict", "", "change"))
    page.evaluate(FILTER % ("filter-text", "REPO-1", "input"))
    assert page.evaluate(COUNT) == "8 of 42"  # repo-12 and repo-16 have long names
    names = page.evaluate(f"{VISIBLE}.map(r => r.cells[0].querySelector('code').textContent)")
    assert names == [f"repo-{index}" for index in range(10, 20) if index % 4]
    assert page.problems() == []


def test_columns_sort_from_the_mouse_and_the_keyboard(browser, page_url):
    page = browser.open(page_url)
    errors = f"{VISIBLE}.map(r => +r.cells[5].textContent)"
    page.evaluate("document.querySelector('#repository-table th:nth-child(6)').click(); true")
    ascending = page.evaluate(errors)
    assert ascending == sorted(ascending) and ascending[-1] > ascending[0]
    page.evaluate("document.querySelector('#repository-table th:nth-child(6)').focus(); true")
    page.key("Enter")
    assert page.evaluate(errors) == sorted(ascending, reverse=True)
    assert page.evaluate("document.querySelector('#repository-table th:nth-child(6)').getAttribute('aria-sort')") \
        == "descending"
    page.evaluate("document.querySelector('#repository-table th:nth-child(2)').click(); true")
    verdicts = page.evaluate(f"{VISIBLE}.map(r => r.getAttribute('data-verdict'))")
    assert verdicts == sorted(verdicts, key=["blocked", "needs work", "ready", "failed"].index)
    assert page.problems() == []

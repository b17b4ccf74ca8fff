"""The readiness report's HTML page in headless Chromium, driven over the
DevTools protocol (tests/chromium.py): its layout on real-sized data at
1,400 and 800 px, printing (no word broken mid-word), the keyboard-sortable
findings table, folded ready roots; and on every page no console error,
no exception and no Content-Security-Policy violation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chromium import Browser
from gitrepo import write
from iacm_lint.engine import run
from iacm_lint.options import Options
from iacm_lint.report.readiness import html as report_html, model as readiness

EXAMPLES = Path(__file__).resolve().parent.parent / "testdata" / "examples"

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium not installed "
                                "(Debian: apt-get install -y chromium; .ci/run installs it)")

# Long paths, long messages, a long pipeline file name and a workspace identifier, as real repositories have;
# and one word no column can hold (an attribute name quoted in IACM104's message).
DEEP = "environments/production-eu-central-1/networking/transit-gateway-attachments-for-shared-services-and-inspection"
UNBREAKABLE = "averyveryverylongattributenamethatdoesnotexistinthebackendschemaatallreally"
LONG_PATHS = {
    f"{DEEP}/backends.tf": (
        'terraform {\n  required_version = ">= 1.6.0"\n  backend "s3" {\n'
        '    bucket     = "acme-platform-production-eu-central-1-terraform-state-bucket-for-networking"\n'
        '    key        = "environments/production-eu-central-1/networking/transit-gateway/terraform.tfstate"\n'
        '    region     = "eu-central-1"\n    access_key = "AKIAZ7QH3KX2M4PLNW5R"\n'
        f'    {UNBREAKABLE} = "x"\n  }}\n}}\n'),
    f"{DEEP}-secondary/main.tf": 'terraform {\n  backend "gcs" {\n    bucket = "b"\n    prefix = "p"\n  }\n}\n',
    ".harness/pipelines/very-long-pipeline-file-name-for-production-networking-transit-gateway-attachments.yaml": (
        "pipeline:\n  name: networking\n  identifier: networking\n  stages:\n    - stage:\n        name: provision\n"
        "        identifier: provision\n        type: IACM\n        spec:\n"
        "          workspace: production_eu_central_1_networking_transit_gateway_attachments_workspace\n"
        "          execution:\n            steps:\n              - step:\n                  type: Run\n"
        "                  name: apply\n                  identifier: apply\n                  spec:\n"
        "                    shell: Bash\n                    command: terraform apply -auto-approve\n"),
}

# Every element within its parent's box, nothing scrolling sideways, the page no wider than the window.
OVERFLOWING = r"""
(() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const box = el.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    const parent = el.parentElement.getBoundingClientRect();
    const name = el.tagName + (el.id ? '#' + el.id : '') + ' "' + el.textContent.trim().slice(0, 40) + '"';
    if (box.right > parent.right + 1 || box.left < parent.left - 1) {
      const by = Math.round(Math.max(box.right - parent.right, parent.left - box.left));
      out.push(name + ' sticks out of its parent by ' + by + ' px');
    } else if (getComputedStyle(el).display !== 'inline' && el.clientWidth && el.scrollWidth > el.clientWidth + 1) {
      out.push(name + ' scrolls ' + (el.scrollWidth - el.clientWidth) + ' px sideways');
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth) out.push('the page is wider than the window');
  return out;
})()
"""

# Words (runs of letters) of the page's text laid out on more than one line. Paths and code
# (.path) may wrap anywhere; so may a whitespace-delimited token wider than a third of the
# page (a value quoted in a message), which no column of a table could hold.
BROKEN_WORDS = r"""
(() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const width = (node, start, end) => {
    range.setStart(node, start); range.setEnd(node, end);
    return Array.from(range.getClientRects()).reduce((sum, r) => sum + r.width, 0);
  };
  const third = document.body.clientWidth / 3;
  let node;
  while ((node = walker.nextNode())) {
    const parent = node.parentElement;
    if (!parent || parent.closest('.path, svg, script, style')) continue;
    for (const token of node.data.matchAll(/\S+/g)) {
      if (width(node, token.index, token.index + token[0].length) > third) continue;
      for (const word of token[0].matchAll(/[A-Za-z]{2,}/g)) {
        const start = token.index + word.index;
        range.setStart(node, start); range.setEnd(node, start + word[0].length);
        const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(word[0] + ' in "' + node.data.trim().slice(0, 60) + '"');
      }
    }
  }
  return broken;
})()
"""

OPEN_EVERY_ROOT = "document.querySelectorAll('details').forEach(d => { d.open = true; }); true"


@pytest.fixture(scope="module")
def browser():
    with Browser() as started:
        yield started


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    """file: URLs of the report of the long-paths repository and of report-blocked."""
    directory = tmp_path_factory.mktemp("pages")
    repository = directory / "repository"
    write(repository, LONG_PATHS)
    urls = {}
    for name, path in (("long", repository), ("blocked", EXAMPLES / "report-blocked")):
        page = directory / f"{name}.html"
        page.write_text(report_html.render(readiness.build(run([str(path)], Options(jobs=1)))), encoding="utf-8")
        urls[name] = page.as_uri()
    return urls


@pytest.mark.parametrize("width", [1400, 800])
@pytest.mark.parametrize("name", ["long", "blocked"])
def test_no_element_is_wider_than_its_container(browser, pages, name, width):
    page = browser.open(pages[name], width=width)
    assert page.evaluate(OVERFLOWING) == []  # as opened: ready roots folded
    page.evaluate(OPEN_EVERY_ROOT)
    assert page.evaluate(OVERFLOWING) == []
    if name == "long":  # the Message column is on screen, wide enough for its words
        message = page.evaluate("document.querySelector('#findings tbody td:last-child').getBoundingClientRect()"
                                ".toJSON()")
        assert message["right"] <= width and message["width"] >= 150
    assert page.problems() == []


@pytest.mark.parametrize("width", [718, 740])  # A4 and US Letter inside Chromium's default print margins
def test_printed_words_break_only_between_words(browser, pages, width):
    page = browser.open(pages["long"], width=width, media="print")
    assert page.evaluate(BROKEN_WORDS) == []
    assert page.evaluate(OVERFLOWING) == []
    # the folded ready root prints too
    assert page.evaluate("Array.from(document.querySelectorAll('details.root dl.facts'))"
                         ".map(facts => facts.checkVisibility())") == [True, True]
    assert page.pdf().startswith(b"%PDF-")
    assert page.problems() == []


def test_the_layout_checks_can_fail(browser, pages):
    """The measurements above see what the report's old style did: tables
    laid out by their content overflow the page; cells that may break
    anywhere break words in print ("block ed", "w ar ni ng")."""
    page = browser.open(pages["long"], width=1400)
    page.evaluate("document.querySelectorAll('table').forEach(t => { t.style.tableLayout = 'auto'; }); "
                  "document.querySelectorAll('.path').forEach(p => { p.style.whiteSpace = 'nowrap'; }); true")
    assert any("#findings" in problem and "sticks out of its parent" in problem
               for problem in page.evaluate(OVERFLOWING))
    page = browser.open(pages["long"], width=718, media="print")
    page.evaluate("document.querySelectorAll('td, th').forEach(c => { c.style.overflowWrap = 'anywhere'; "
                  "c.style.fontSize = '1.1em'; }); document.querySelectorAll('.status').forEach(s => { "
                  "s.style.whiteSpace = 'normal'; }); true")
    assert page.evaluate(BROKEN_WORDS) != []


def test_findings_sort_from_the_keyboard(browser, pages):
    page = browser.open(pages["blocked"], width=1400)
    headers = "Array.from(document.querySelectorAll('#findings th'))"
    assert page.evaluate(f"{headers}.map(th => th.tabIndex)") == [0] * 6
    assert page.evaluate(f"{headers}.filter(th => th.hasAttribute('aria-sort')).length") == 0
    page.evaluate("document.getElementById('filter-root').focus(); true")
    page.key("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Level"
    page.key("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Rule"
    rules = "Array.from(document.querySelectorAll('#findings tbody tr')).map(tr => tr.cells[1].dataset.sort)"
    scrolled = page.evaluate("window.scrollY")
    page.key("Enter")
    ascending = page.evaluate(rules)
    assert ascending == sorted(ascending) and len(set(ascending)) > 1
    assert page.evaluate(f"{headers}.map(th => th.getAttribute('aria-sort'))") == [
        None, "ascending", None, None, None, None]
    page.key(" ")
    assert page.evaluate(rules) == sorted(ascending, reverse=True)
    assert page.evaluate("document.activeElement.getAttribute('aria-sort')") == "descending"
    assert page.evaluate("window.scrollY") == scrolled  # Space sorted; it did not scroll the page
    assert page.problems() == []


def test_ready_roots_are_folded_and_open_from_the_keyboard_or_a_link(browser, pages):
    page = browser.open(pages["blocked"], width=1400)
    folded = ("Array.from(document.querySelectorAll('details.root'))"
              ".map(d => [d.querySelector('code').textContent, d.open])")
    assert page.evaluate(folded) == [["app", True], ["harness", True], ["network", False]]
    shown = "document.querySelector('#root-3 dl.facts').checkVisibility()"
    assert page.evaluate(shown) is False
    page.evaluate("document.querySelector('#root-3 summary').focus(); true")
    page.key("Enter")
    assert page.evaluate("document.getElementById('root-3').open") is True
    assert page.evaluate(shown) is True
    linked = browser.open(pages["blocked"] + "#root-3", width=1400)  # the summary table links to each root
    assert linked.evaluate("document.getElementById('root-3').open") is True
    assert page.problems() == [] and linked.problems() == []


def test_none_found_is_one_line_per_root(browser, pages):
    page = browser.open(pages["blocked"], width=1400)
    facts = page.evaluate("Array.from(document.querySelectorAll('#root-3 dl.facts dt')).map(dt => dt.textContent + "
                          "': ' + dt.nextElementSibling.textContent)")
    assert facts[2:] == ["Secrets: none found", "To do: nothing"]
    assert page.evaluate("Array.from(document.querySelectorAll('#root-3 h4')).map(h => h.textContent)") == [
        "Backend", "Prerequisites", "Pipelines"]


def test_problems_are_seen(browser, pages, tmp_path):
    """The check behind every `page.problems() == []`: a script the policy
    blocks and a console error are reported."""
    html = Path(pages["blocked"].removeprefix("file://")).read_text(encoding="utf-8")
    injected = tmp_path / "injected.html"
    injected.write_text(html.replace("<footer", "<script>console.error('x')</script><footer", 1), encoding="utf-8")
    problems = browser.open(injected.as_uri()).problems()
    assert any(problem.startswith("CSP: script-src") for problem in problems), problems

"""JUnit XML, the test report Harness CI (`reports: type: JUnit`), Jenkins
(`junit`), GitLab and others show in their test tabs
(docs/output-formats.md#junit).

A rule is a test suite and a file a test case: one `<testcase>` for each
rule and file with findings of that rule (`classname` the rule ID, `name`
the file), and one passing `<testcase name="no findings">` for each rule
that ran and found nothing, so the tab lists every check and a clean scan
still reports tests. A test case fails when one of its findings is at or
above `--fail-on` (the exit status's threshold): the tab is red exactly
when the step fails. Its `<failure>` has the first finding's message and,
as the body, every finding of the case as `path:line:col: level: message`;
findings below the threshold leave the case passing and are listed in its
`<system-out>`. Suppressed and baselined findings are left out.

Paths are relative to the repository (the git work tree's top). Names and
messages are shown printable (XML 1.0 cannot carry control characters).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import Any
from xml.etree import ElementTree

from ..findings import LEVEL_ORDER, Finding
from ..sanitise import printable
from . import at_or_above, repository_path, visible_findings, xml_document
from .sarif import rules_for

NO_FINDINGS = "no findings"


def render(result: Any, options: Any) -> str:
    fail_on = getattr(options, "fail_on", "error")
    path_of = repository_path(result)
    findings = visible_findings(result)
    by_rule: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (f.rule_id, f.sort_key)):
        by_rule.setdefault(finding.rule_id, []).append(finding)
    root = ElementTree.Element("testsuites", name="iacm-lint")
    total = failed = 0
    for rule in rules_for(result, findings):
        suite = ElementTree.SubElement(root, "testsuite", name=f"{rule.id} {rule.name}")
        case_failed = [_case(suite, rule.id, path_of(path), list(in_file), path_of, fail_on)
                        for path, in_file in groupby(by_rule.get(rule.id, []), key=lambda f: f.span.path)]
        if not case_failed:  # the rule ran and found nothing: one passing case
            ElementTree.SubElement(suite, "testcase", classname=rule.id, name=NO_FINDINGS)
            case_failed = [0]
        suite.attrib.update(tests=str(len(case_failed)), failures=str(sum(case_failed)), errors="0", skipped="0")
        total += len(case_failed)
        failed += sum(case_failed)
    root.attrib.update(tests=str(total), failures=str(failed), errors="0")
    return xml_document(root)


def _case(suite: ElementTree.Element, rule_id: str, path: str, findings: list[Finding],
          path_of: Callable[[str], str], fail_on: str) -> int:
    """One test case for the findings of one rule in one file; 1 if it fails."""
    case = ElementTree.SubElement(suite, "testcase", classname=rule_id, name=printable(path))
    lines = "\n".join(f"{printable(path_of(f.span.path))}:{f.span.line}:{f.span.col}: {f.level}: "
                      f"{printable(f.message)}" for f in findings)
    if not any(at_or_above(f, fail_on) for f in findings):
        ElementTree.SubElement(case, "system-out").text = lines
        return 0
    worst = max(findings, key=lambda f: LEVEL_ORDER[f.level])
    message = printable(findings[0].message)
    if len(findings) > 1:
        message += f" (and {len(findings) - 1} more)"
    ElementTree.SubElement(case, "failure", type=worst.level, message=message).text = lines
    return 1

"""Checkstyle XML, the report format Jenkins (Warnings Next Generation) and
reviewdog (`-f=checkstyle`) read: one `<file>` a file with findings, one
`<error>` a finding (docs/output-formats.md#checkstyle):

    <checkstyle version="4.3">
      <file name="infra/envs/dev/backend.tf">
        <error line="3" column="3" severity="error" message="backend &quot;s3&quot; …" source="iacm-lint.IACM110"/>
      </file>
    </checkstyle>

Paths are relative to the repository (the git work tree's top). Levels map
to checkstyle's `error`, `warning` and `info`. Suppressed and baselined
findings are left out. Names and messages are shown printable (control
characters as `\\x1b`): XML 1.0 cannot carry them at all.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any
from xml.etree import ElementTree

from ..sanitise import printable
from . import repository_path, visible_findings, xml_document

SEVERITY = {"error": "error", "warning": "warning", "note": "info"}
VERSION = "4.3"  # the checkstyle XML format version reviewdog and ESLint write


def render(result: Any, options: Any) -> str:
    path_of = repository_path(result)
    root = ElementTree.Element("checkstyle", version=VERSION)
    for path, findings in groupby(visible_findings(result), key=lambda f: f.span.path):
        file = ElementTree.SubElement(root, "file", name=printable(path_of(path)))
        for finding in findings:
            ElementTree.SubElement(file, "error", line=str(finding.span.line), column=str(finding.span.col),
                                   severity=SEVERITY[finding.level], message=printable(finding.message),
                                   source=f"iacm-lint.{finding.rule_id}")
    return xml_document(root)

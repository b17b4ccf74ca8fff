"""Findings and fixes as LSP values: diagnostics, workspace edits, the
suppression and explain actions.

Positions: a Span or an Edit counts 1-based lines and characters of the
text the scan read (lines end at `\\n`, so a CRLF line's `\\r` is its last
character); LSP counts 0-based lines and code units of the negotiated
encoding (UTF-16 unless the client offered another). `TextPositions`
converts with the text at hand; a position past a line's end is the end of
that line, one past the last line the end of the text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Optional

from lsprotocol import types as lsp

from ..findings import Finding
from ..fix import SAFE, Edit, Fix
from ..model.syntax import TF_JSON, TFVARS_JSON, Span
from ..scan.discover import classify

SOURCE = "iacm-lint"
EXPLAIN_COMMAND = "iacm-lint.explain"
SEVERITIES = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
              "note": lsp.DiagnosticSeverity.Information}
TAGS = {"IACM001": [lsp.DiagnosticTag.Unnecessary],  # an unused suppression: editors grey it out
        "IACM111": [lsp.DiagnosticTag.Deprecated]}  # a deprecated state-lock attribute: struck through
REASON_PLACEHOLDER = "<reason>"  # the suppression action's reason, for the user to replace


class TextPositions:
    """Converts the scan's positions in one text to LSP positions."""

    def __init__(self, text: Optional[str], encoding: str = lsp.PositionEncodingKind.Utf16):
        self.lines = text.split("\n") if text is not None else None
        self.encoding = encoding

    def units(self, text: str) -> int:
        if self.encoding == lsp.PositionEncodingKind.Utf8:
            return len(text.encode("utf-8", "surrogatepass"))
        if self.encoding == lsp.PositionEncodingKind.Utf32:
            return len(text)
        return len(text.encode("utf-16-le", "surrogatepass")) // 2

    def position(self, line: int, column: int) -> lsp.Position:
        index, column = max(line - 1, 0), max(column - 1, 0)
        if self.lines is None:  # no text (unreadable, or a directory): characters stand for units
            return lsp.Position(index, column)
        if index >= len(self.lines):
            index, column = len(self.lines) - 1, len(self.lines[-1])
        text = self.lines[index]
        if text.endswith("\r"):  # LSP ends a CRLF line before its `\r`
            text = text[:-1]
        return lsp.Position(index, self.units(text[:column]))

    def range(self, span: Span) -> lsp.Range:
        return lsp.Range(self.position(span.line, span.col), self.position(span.end_line, span.end_col))

    def edit_range(self, edit: Edit) -> lsp.Range:
        return lsp.Range(self.position(*edit.start), self.position(*edit.end))


PositionsOf = Callable[[str], TextPositions]  # scan-root relative path -> its positions
UriOf = Callable[[str], str]  # scan-root relative path -> its URI


def diagnostic(finding: Finding, positions_of: PositionsOf, uri_of: UriOf, help_uri: str) -> lsp.Diagnostic:
    related = [lsp.DiagnosticRelatedInformation(lsp.Location(uri_of(span.path), positions_of(span.path).range(span)),
                                                message)
               for span, message in finding.related]
    return lsp.Diagnostic(
        range=positions_of(finding.span.path).range(finding.span), message=finding.message,
        severity=SEVERITIES[finding.level], code=finding.rule_id,
        code_description=lsp.CodeDescription(href=help_uri) if help_uri else None, source=SOURCE,
        related_information=related or None, tags=TAGS.get(finding.rule_id))


def internal_error(message: str) -> lsp.Diagnostic:
    """A rule that crashed on a file: one diagnostic at its start (the details go to the log)."""
    return lsp.Diagnostic(range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)), message=f"internal error: {message}",
                          severity=lsp.DiagnosticSeverity.Error, code="internal-error", source=SOURCE)


def is_shown(finding: Finding) -> bool:
    """Suppressed and baselined findings are not shown (as in the text output)."""
    return finding.suppressed is None and finding.baseline_state != "unchanged"


# ---- code actions ---------------------------------------------------------------------------


def fix_action(fix: Fix, diagnostic: lsp.Diagnostic, positions_of: PositionsOf, uri_of: UriOf,
               exists: Callable[[str], bool]) -> lsp.CodeAction:
    """A fix as a quick fix; safe fixes are preferred. Edits of a file that
    does not exist yet create it first."""
    by_path: dict[str, list[lsp.TextEdit]] = {}
    for edit in fix.edits:
        by_path.setdefault(edit.path, []).append(
            lsp.TextEdit(range=positions_of(edit.path).edit_range(edit), new_text=edit.content))
    if all(exists(path) for path in by_path):
        workspace_edit = lsp.WorkspaceEdit(changes={uri_of(path): edits for path, edits in by_path.items()})
    else:
        changes: list[lsp.TextDocumentEdit | lsp.CreateFile | lsp.RenameFile | lsp.DeleteFile] = []
        for path, edits in by_path.items():
            if not exists(path):
                changes.append(lsp.CreateFile(uri=uri_of(path), options=lsp.CreateFileOptions(ignore_if_exists=True)))
            changes.append(lsp.TextDocumentEdit(lsp.OptionalVersionedTextDocumentIdentifier(uri_of(path), None),
                                                list(edits)))
        workspace_edit = lsp.WorkspaceEdit(document_changes=changes)
    safe = fix.applicability == SAFE
    return lsp.CodeAction(title=fix.message if safe else f"{fix.message} (unsafe fix: review it)",
                          kind=lsp.CodeActionKind.QuickFix, diagnostics=[diagnostic], is_preferred=safe,
                          edit=workspace_edit)


def suppress_action(finding: Finding, diagnostic: lsp.Diagnostic, text: Optional[str], uri: str,
                    positions: TextPositions) -> Optional[lsp.CodeAction]:
    """A directive on a line of its own above the finding's line (it covers
    the next line: filter/suppress.py), indented like it, with a reason to
    fill in. None for a JSON file (no comments) or a line the text lacks."""
    lines = text.split("\n") if text is not None else []
    index = finding.span.line - 1
    kind = classify(finding.span.path.rsplit("/", 1)[-1])
    if kind in (TF_JSON, TFVARS_JSON) or not 0 <= index < len(lines):
        return None
    line = lines[index]
    indent = line[:len(line) - len(line.lstrip(" \t"))]
    ending = "\r\n" if line.endswith("\r") else "\n"
    comment = f"{indent}# iacm-lint: ignore[{finding.rule_id}] {REASON_PLACEHOLDER}{ending}"
    start = positions.position(finding.span.line, 1)
    edit = lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(range=lsp.Range(start, start), new_text=comment)]})
    return lsp.CodeAction(title=f"Suppress {finding.rule_id} on this line (with a reason)",
                          kind=lsp.CodeActionKind.QuickFix, diagnostics=[diagnostic], edit=edit)


def explain_action(rule_id: str, diagnostic: lsp.Diagnostic) -> lsp.CodeAction:
    return lsp.CodeAction(title=f"Explain {rule_id}", kind=lsp.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                          command=lsp.Command(title=f"Explain {rule_id}", command=EXPLAIN_COMMAND, arguments=[rule_id]))


def overlaps(first: lsp.Range, second: lsp.Range) -> bool:
    """Ranges that share a point (an empty range at a diagnostic's edge counts)."""
    def key(position: lsp.Position) -> tuple[int, int]:
        return position.line, position.character

    return key(first.start) <= key(second.end) and key(second.start) <= key(first.end)

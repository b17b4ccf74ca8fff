"""Line-shift-stable fingerprints for findings.

A fingerprint names a finding by *what* it points at, not *where*: the rule,
the file (its path in the repository: relative to the top of the git work
tree, so that scanning `.` or `infra/` gives one finding one fingerprint;
relative to the scan root outside git), the normalised text of the finding's source line(s) and the rule's
optional `fingerprint_key`, hashed; then the occurrence index among findings
with the same hash (in position order) tells identical constructs apart.
Line and column numbers never enter the hash, so inserting or deleting lines
above a finding leaves its fingerprint unchanged. The format follows GitHub's
`primaryLocationLineHash` convention: `<16 hex digits>:<occurrence>`.

No secret enters a hash: fingerprints are published (SARIF, JSON, the
committed baseline), and a hash of the line `password = "Winter2024!"` lets
anyone confirm guesses offline. Before hashing, every secret that a finding
in the file reports (`Finding.secret`) is replaced by `<secret:KIND>` in the
lines, for the findings of every rule (a block-level finding whose first
lines hold a secret included). Two secrets of one kind at one place give one
fingerprint.

Baselines (`--baseline`) and SARIF `partialFingerprints` both use it.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Optional

from ..findings import Finding, Secret
from ..model.syntax import Span
from ..parse.textio import read_regular  # never blocks on a FIFO or reads a device
from ..scan.gitinfo import repository_prefix

# A finding whose span covers many lines (a whole block) is identified by its
# first lines; editing deep inside the block then keeps the fingerprint.
MAX_LINES = 3

# A reader of a file's lines by scan-root relative path (None: unreadable).
# One with a `path_prefix` (SourceLines) names files to the hash by
# `path_prefix + path`.
LinesReader = Callable[[str], Optional[Sequence[str]]]


def normalise(line: str) -> str:
    """Whitespace-insensitive text of one line: re-indenting, trailing spaces
    and CRLF versus LF do not change a fingerprint."""
    return " ".join(line.split())


def is_whole_file(span: Span) -> bool:
    """`Span.file_start`: a finding about the file, not about its first line
    (whose text changes when a line is inserted at the top)."""
    return (span.line, span.col, span.end_line, span.end_col) == (1, 1, 1, 1)


def region_text(lines: Sequence[str], span: Span) -> str:
    """Normalised text of the lines a span touches (at most MAX_LINES; an end
    at column 1 of a later line does not touch that line; blank lines skipped)."""
    if is_whole_file(span):
        return ""
    last = span.end_line
    if span.end_line > span.line and span.end_col <= 1:
        last -= 1
    last = min(last, span.line + MAX_LINES - 1, len(lines))
    picked = (normalise(line) for line in lines[span.line - 1:last])
    return "\n".join(text for text in picked if text)


def redacted(lines: Sequence[str], secrets: Iterable[Secret]) -> Sequence[str]:
    """The lines with each secret's span replaced by `<secret:KIND>` (spans
    that overlap merge into one, their kinds joined with `,`). The lines a
    multi-line secret covers after its first become empty, its last keeps
    what follows the secret: every other line keeps its number."""
    merged: list[tuple[tuple[int, int], tuple[int, int], set[str]]] = []
    for span, kind in sorted(secrets, key=lambda s: (s.span.line, s.span.col, s.span.end_line, s.span.end_col)):
        start, end = (span.line, span.col), (span.end_line, span.end_col)
        if merged and start < merged[-1][1]:
            last_start, last_end, kinds = merged[-1]
            merged[-1] = (last_start, max(last_end, end), kinds | {kind})
        else:
            merged.append((start, end, {kind}))
    if not merged:
        return lines
    out = list(lines)
    for (line, col), (end_line, end_col), kinds in reversed(merged):
        if line > len(out):
            continue
        token = f"<secret:{','.join(sorted(kinds))}>"
        if end_line > len(out):
            end_line, end_col = len(out), len(out[-1]) + 1
        first, last = out[line - 1], out[end_line - 1]
        if end_line == line:
            out[line - 1] = first[:col - 1] + token + first[end_col - 1:]
            continue
        out[line - 1] = first[:col - 1] + token
        for number in range(line, end_line - 1):
            out[number] = ""
        out[end_line - 1] = last[end_col - 1:]
    return out


def line_hash(rule_id: str, path: str, text: str, key: str = "") -> str:
    digest = hashlib.sha256("\0".join((rule_id, path, text, key)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


def split_lines(text: str) -> list[str]:
    """Lines as the parsers count them: a UTF-8 BOM is not text, `\\r\\n` and
    `\\n` end a line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


class SourceLines:
    """The lines of the files under a scan root, by scan-root relative path
    (None for a file it cannot read); `sources` (Repo.sources) holds texts
    that replace the files on disk. `path_prefix` is the scan root's
    directory in its git work tree (`infra/`, or ""), which fingerprints
    put before a path."""

    def __init__(self, root: str, sources: Optional[Mapping[str, str]] = None):
        self.root = root
        self.sources = sources
        self.path_prefix = repository_prefix(root)

    def __call__(self, path: str) -> Optional[Sequence[str]]:
        if self.sources and path in self.sources:
            return split_lines(self.sources[path])
        try:
            data = read_regular(os.path.join(self.root, *path.split("/")))
        except OSError:
            return None
        return split_lines(data.decode("utf-8", errors="replace"))


def lines_under(root: str, sources: Optional[Mapping[str, str]] = None) -> SourceLines:
    return SourceLines(root, sources)


def default_key(finding: Finding) -> str:
    """The rule's `Violation.fingerprint_key`, carried in the finding's
    properties under "fingerprint_key" (empty when the rule set none)."""
    return dict(finding.properties).get("fingerprint_key", "")


def secrets_by_path(findings: Iterable[Finding]) -> dict[str, list[Secret]]:
    by_path: dict[str, list[Secret]] = defaultdict(list)
    for finding in findings:
        if finding.secret is not None:
            by_path[finding.secret.span.path].append(finding.secret)
    return by_path


def fingerprints(findings: Sequence[Finding], read_lines: LinesReader,
                 key_for: Callable[[Finding], str] = default_key, secrets: Iterable[Secret] = ()) -> list[str]:
    """The fingerprint of each finding, in input order. Each file is read at
    most once, and only files that have findings. The secrets these findings
    report, and `secrets` (those of findings fingerprinted before), are
    redacted from the lines first."""
    hashes: list[str] = [""] * len(findings)
    by_path: dict[str, list[int]] = defaultdict(list)
    for index, finding in enumerate(findings):
        by_path[finding.span.path].append(index)
    hidden = secrets_by_path(findings)
    for secret in secrets:
        hidden[secret.span.path].append(secret)
    prefix = getattr(read_lines, "path_prefix", "")
    for path, indexes in by_path.items():
        # whole-file findings (e.g. "file too large") need no text: do not read the file
        needed = any(not is_whole_file(findings[index].span) for index in indexes)
        lines = redacted((read_lines(path) if needed else None) or (), hidden.get(path, ()))
        for index in indexes:
            finding = findings[index]
            region = region_text(lines, finding.span)
            hashes[index] = line_hash(finding.rule_id, prefix + path, region, key_for(finding))
    # Occurrence among equal hashes, in position order (stable under line shifts).
    seen: dict[str, int] = defaultdict(int)
    result = [""] * len(findings)
    for index in sorted(range(len(findings)), key=lambda i: findings[i].sort_key):
        seen[hashes[index]] += 1
        result[index] = f"{hashes[index]}:{seen[hashes[index]]}"
    return result


def assign_fingerprints(findings: Iterable[Finding], read_lines: LinesReader,
                        key_for: Callable[[Finding], str] = default_key,
                        secrets: Iterable[Secret] = ()) -> list[Finding]:
    """The findings (same order) with `fingerprint` set where it was empty.
    The secrets of all the findings, and `secrets` (found by rules whose
    findings are not reported), are redacted before hashing."""
    findings = list(findings)
    missing = [f for f in findings if not f.fingerprint]
    if not missing:
        return findings
    known = [f.secret for f in findings if f.fingerprint and f.secret is not None]
    computed = iter(fingerprints(missing, read_lines, key_for, [*known, *secrets]))
    return [f if f.fingerprint else f.with_(fingerprint=next(computed)) for f in findings]

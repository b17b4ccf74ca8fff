"""Where a file that does not parse may be cut into pieces that do, and what
in it is certainly wrong (issue 28: one mistake must not discard a file).
Text only: parse/hcl.py parses the pieces.

The scanner follows HCL's lexical structure just far enough: quoted strings
(their escapes, and `${…}`/`%{…}` sequences, which nest), heredocs, comments
and brackets. It records

- cuts: offsets of lines that start (column 1) with an identifier outside
  any string, heredoc, comment or template sequence. At bracket depth 0 that
  is the next top-level item of a formatted file; deeper, only a line that
  starts a top-level block (`resource "…"`), where a block before it was
  left open;
- problems: what HCL rejects and python-hcl2's error position hides. A
  heredoc whose closing marker never comes (python-hcl2 fails at the `<<`),
  a quoted string still open at the end of its line (python-hcl2 reads on
  into the lines after it), a comment, bracket or template sequence never
  closed, a closing bracket nothing opened.

Bounded for hostile input: at most MAX_CUTS cuts, and no cut or problem is
looked for past MAX_DEPTH open brackets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_CUTS = 10_000
MAX_DEPTH = 100

# Top-level block types of Terraform and OpenTofu: a line starting with one,
# then a label or a brace, is taken for a new block even inside an open one.
_TOP_LEVEL_BLOCK = re.compile(
    r"(?:check|data|ephemeral|import|locals|module|moved|output|provider|removed|resource|terraform|variable)"
    r"(?=[ \t]*[\"{]|[ \t]+[^\W\d])")
_IDENTIFIER_START = re.compile(r"[^\W\d]")
# Outside strings: a newline only matters before an identifier (a possible
# cut), so runs of other lines are skipped in one search.
_CODE = re.compile(r"""(?P<line>\n(?=[^\W\d]))|(?P<comment>\#|//)|(?P<block_comment>/\*)"""
                   r"""|(?P<heredoc><<-?(?P<marker>[^\W\d][\w.-]*)\r?\n)|(?P<quote>")|(?P<open>[{\[(])|(?P<close>[}\])])""")
_STRING = re.compile(r"""(?P<quote>")|(?P<escape>\\.|\$\$\{|%%\{)|(?P<sequence>[$%]\{)|(?P<newline>\n)""")
_CLOSER = {"{": "}", "[": "]", "(": ")", "${": "}", "%{": "}"}


@dataclass
class Layout:
    cuts: list[int] = field(default_factory=lambda: [0])  # offsets where a piece may start, ascending
    problems: list[tuple[int, int, str]] = field(default_factory=list)  # (offset, length, message)


def layout(text: str) -> Layout:
    """The cuts and problems of `text` (see the module docstring)."""
    found = Layout()
    stack: list[tuple[str, int]] = []  # open brackets, template sequences (`${`, `%{`) and strings (`"`), with offsets
    pos, end = 0, len(text)
    while pos < end:
        if stack and stack[-1][0] == '"':
            pos = _in_string(text, pos, stack, found)
            continue
        match = _CODE.search(text, pos)
        if match is None:
            break
        kind, start, pos = match.lastgroup, match.start(), match.end()
        if kind == "line":
            if len(found.cuts) < MAX_CUTS and (not stack or _may_cut_inside(text, pos, stack)):
                found.cuts.append(pos)
        elif kind == "comment":
            newline = text.find("\n", pos)
            pos = end if newline < 0 else newline
        elif kind == "block_comment":
            close = text.find("*/", pos)
            if close < 0:  # the rest of the file is the comment
                found.problems.append((start, 2, 'comment "/*" is never closed'))
                return found
            pos = close + 2
        elif kind == "heredoc":
            pos = _after_heredoc(text, match, found)
        elif kind in ("quote", "open"):
            stack.append((match.group(), start))
            if len(stack) > MAX_DEPTH:
                return found
        else:
            _close(match.group(), start, stack, found)
    for opener, offset in stack:
        found.problems.append((offset, len(opener), _never_closed(opener)))
    return found


def _in_string(text: str, pos: int, stack: list[tuple[str, int]], found: Layout) -> int:
    """Read on in the quoted string open at the top of `stack`; the position after what was read."""
    match = _STRING.search(text, pos)
    if match is None:
        return len(text)  # open at the end of the file: reported with the rest of the stack
    kind = match.lastgroup
    if kind == "quote":
        stack.pop()
    elif kind == "sequence":
        stack.append((match.group(), match.start()))
    elif kind == "newline":  # HCL ends the string here with an error; read the newline again outside it
        found.problems.append((stack.pop()[1], 1, _never_closed('"')))
        return match.start()
    return match.end()


def _may_cut_inside(text: str, pos: int, stack: list[tuple[str, int]]) -> bool:
    return _TOP_LEVEL_BLOCK.match(text, pos) is not None and all(opener in "{[(" for opener, _ in stack)


def _after_heredoc(text: str, opener: re.Match, found: Layout) -> int:
    """Past the closing marker's line of the heredoc `opener` starts (at its
    newline); when the marker never comes, on the line after the opener, so
    that the blocks after it may still be found."""
    marker = opener.group("marker")
    close = re.compile(rf"^[^\S\n]*{re.escape(marker)}[^\S\n]*$", re.MULTILINE).search(text, opener.end())
    if close is None:
        found.problems.append((opener.start(), opener.end("marker") - opener.start(),
                               f"heredoc {marker} is never closed"))
        return opener.end() - 1  # its newline: the next line may be a cut
    return close.end()


def _close(closer: str, offset: int, stack: list[tuple[str, int]], found: Layout) -> None:
    """Close the innermost opener `closer` matches; those opened after it
    were never closed. A closer that matches nothing open is a problem."""
    for depth in range(len(stack) - 1, -1, -1):
        opener = stack[depth][0]
        if opener == '"':
            break
        if _CLOSER[opener] == closer:
            for unclosed, at in stack[depth + 1:]:
                found.problems.append((at, len(unclosed), _never_closed(unclosed)))
            del stack[depth:]
            return
    found.problems.append((offset, 1, f'unexpected "{closer}": nothing open to close'))


def _never_closed(opener: str) -> str:
    if opener == '"':
        return "quoted string is not closed on its line"
    return f'"{opener}" is never closed'

"""Untrusted text made safe for the human formats.

File names, messages (which quote values from the scanned files), config
keys and notes come from the repository under review, which is untrusted.
Shown raw they could drive the terminal (ESC/OSC sequences: clipboard
writes, fake hyperlinks, a cleared screen), run GitHub workflow commands
(`::add-mask::`, `::stop-commands::`, a forged `::error` at the start of a
CI log line), reorder what a reader sees (bidi overrides), break a Markdown
table or code span out into headings and images, or turn a report link
into `javascript:`. Every human format (text, gcc, github, Markdown, HTML,
the command line's notes) passes such strings through this module; JSON and
SARIF stay exact JSON, whose escaping is enough.

- `printable(text)`: control characters (C0, DEL, C1), Unicode bidi
  controls, line/paragraph separators and lone surrogates (file names that
  are not UTF-8) become visible escapes: `\\x1b`, `\\n`, `\\u202e`, `\\udcff`.
- `display_path(path)`: `printable`, and `./` before a path that a CI
  runner would read as a workflow command at the start of a line.
- `markdown_text` / `markdown_code`: Markdown that renders as the literal
  text, one line, in a table cell or not.
- `file_link(base, path, line)`: a relative URL no scheme can form in.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# C0 controls, DEL and C1 controls; the Unicode bidi controls (ALM, LRM, RLM,
# LRE..RLO, LRI..PDI); line and paragraph separators; lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

# What GitHub's runner (and Azure Pipelines') reads as a command when a line
# starts with it, after leading whitespace: `::cmd::`, and the older `##[cmd]`.
_COMMAND_START = ("::", "##[")


def _escape(match: re.Match) -> str:
    char = match.group(0)
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, line_breaks: bool = False) -> str:
    """`text` with every character that could act on a terminal or hide text
    shown as an escape (`\\x1b`, `\\x07`, `\\n`, `\\u202e`). With
    `line_breaks`, LF and CR stay (a traceback, or for the caller to encode
    as GitHub's `%0A`), and a line that would start a workflow command gets
    its first character escaped (`\\x3a:add-mask::…`)."""
    text = str(text)
    if _UNSAFE.search(text) is None:
        return text
    if not line_breaks:
        return _UNSAFE.sub(_escape, text)
    lines = re.split(r"(\r\n|\r|\n)", text)
    for index in range(0, len(lines), 2):
        line = _UNSAFE.sub(_escape, lines[index])
        if index and starts_a_command(line):
            start = len(line) - len(line.lstrip())
            line = f"{line[:start]}\\x{ord(line[start]):02x}{line[start + 1:]}"
        lines[index] = line
    return "".join(lines)


def terminal_lines(text: str) -> str:
    """Lines of a file (a diff) for a terminal: line breaks (LF, CRLF) and
    tabs stay, every other unsafe character is escaped as in `printable`."""
    if _UNSAFE.search(text) is None:
        return text
    lines = re.split(r"(\r?\n)", text)
    for index in range(0, len(lines), 2):
        lines[index] = _UNSAFE.sub(lambda m: "\t" if m.group(0) == "\t" else _escape(m), lines[index])
    return "".join(lines)


def shown(text: object, limit: int = 40) -> str:
    """An untrusted name (a config key, a path, a command-line value) fit for a
    one-line message: invisible and control characters escaped (a newline or
    an escape sequence must not forge output), at most `limit` characters."""
    escaped = printable(str(text)[:limit + 1])
    return escaped if len(escaped) <= limit else escaped[:limit - 1] + "\u2026"


def starts_a_command(line: str) -> bool:
    """Would a CI runner read this line as a workflow command?"""
    return line.lstrip().startswith(_COMMAND_START)


def display_path(path: str) -> str:
    """A path for a line of output: printable, and `./::…` for a file whose
    name starts like a workflow command (it starts the line in text/gcc)."""
    shown = printable(path)
    return "./" + shown if starts_a_command(shown) or shown[:1].isspace() else shown


def one_line(text: str, separator: str = " ") -> str:
    """A message on one line: its line breaks become `separator` (a space,
    as the text formats always did), everything else unsafe is escaped."""
    return separator.join(printable(line) for line in str(text).splitlines())


# ---- Markdown ----------------------------------------------------------------------

# Characters that open Markdown constructs which could carry something in
# from the outside: links and images (`[`, `]`), code spans (`` ` ``), table
# cells (`|`), and the backslash that would undo these escapes. `<` and `>`
# (raw HTML, autolinks) become entities. Emphasis and bare URLs can only
# restyle or show what is there, and stay readable unescaped. Headings, lists
# and blocks need a line start, which one line of text never has.
_MARKDOWN_SPECIAL = re.compile(r"([\\`\[\]|])")


def markdown_text(text: str, line_break: str = " ") -> str:
    """Text for Markdown, also inside a table cell: one line (line breaks
    become `line_break`, e.g. `<br>`), and no link, image, code span or HTML
    can start in it."""
    lines = (_MARKDOWN_SPECIAL.sub(r"\\\1", printable(line)) for line in str(text).splitlines())
    return line_break.join(line.replace("<", "&lt;").replace(">", "&gt;") for line in lines)


def markdown_code(text: str, in_table: bool = True) -> str:
    """A code span nothing can break out of: one line (line breaks escaped,
    not joined), a backtick fence longer than any run of backticks inside,
    padded when the text starts or ends with a backtick or space. In a
    table, `|` is escaped (GitHub unescapes `\\|` inside code spans in cells)."""
    text = printable(text)
    if in_table:
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text[:1] in ("`", " ") or text[-1:] in ("`", " "):
        text = f" {text} "
    return f"{fence}{text}{fence}"


# ---- links -----------------------------------------------------------------------------


def file_link(base: str, path: str, line: int = 0) -> str:
    """A relative link to a scanned file: `./` (or the `../` of `base`) and
    the percent-encoded path, so that no scheme (`javascript:`), query or
    fragment can form in it, then `#L<line>`."""
    joined = f"{base.rstrip('/')}/{path}" if base else path
    target = quote(joined, safe="/", errors="surrogateescape")
    if not target.startswith("../"):
        target = "./" + target.lstrip("/")
    return f"{target}#L{line}" if line else target

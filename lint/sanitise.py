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
- `markdown_text` / `markdown_code` / `markdown_message`: Markdown that
  renders as the literal text, one line, in a table cell or not (a message's
  quoted values as code spans). The check command's `markdown` format and
  the readiness report's Markdown both use them.
- `file_link(base, path, line)`: a relative URL no scheme can form in;
  `source_link` the same under a `--source-url` base (`source_url_base`).
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

# Every character that starts Markdown (CommonMark and GitHub's extensions)
# in running text, escaped with a backslash so that it shows as itself: links
# and images (`[`, `]`), code spans (`` ` ``), emphasis (`*`, `_`),
# strikethrough (`~`: `~> 1.5.0` twice in a message would strike out what lies
# between), table cells (`|`), headings and issue links (`#`), and the
# backslash that would undo these escapes. `<` and `>` (raw HTML, autolinks)
# become entities. Lists and blocks need a line start, which one line of text
# never has.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~\[\]|#])")
_QUOTED = re.compile(r'"[^"]*"')  # a quoted value in a message: `backend "s3"`, `"*.tfstate"`


def markdown_text(text: str, line_break: str = " ") -> str:
    """Text for Markdown, also inside a table cell, that renders as the
    literal text: one line (line breaks become `line_break`, e.g. `<br>`),
    every Markdown character (``\\ ` * _ ~ [ ] | #``) backslash-escaped, `<`
    and `>` as entities, control characters shown as escapes (`printable`)."""
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


def markdown_message(text: str, in_table: bool = True, line_break: str = " ") -> str:
    """A finding's message for Markdown: the values it quotes (`backend
    "s3"`, `"*.tfstate", "*.tfstate.*"`) as code spans, quotes included,
    the rest as `markdown_text`. One line; `line_break` joins its lines."""
    return line_break.join(_message_line(line, in_table) for line in str(text).splitlines())


def _message_line(line: str, in_table: bool) -> str:
    parts, end = [], 0
    for quoted in _QUOTED.finditer(line):
        parts.append(markdown_text(line[end:quoted.start()]))
        parts.append(markdown_code(quoted.group(0), in_table=in_table))
        end = quoted.end()
    parts.append(markdown_text(line[end:]))
    return "".join(parts)


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


def source_link(base: str, path: str, line: int = 0) -> str:
    """An absolute link to a scanned file: `base` (an http(s) URL ending in
    `/`, validated by `source_url_base`) + the percent-encoded
    repository-relative path (nothing of it can end the path: `?`, `#`,
    `..` segments are encoded or dropped), then `#L<line>`."""
    segments = [segment for segment in path.split("/") if segment not in ("", ".", "..")]
    target = base + quote("/".join(segments), safe="/", errors="surrogateescape")
    return f"{target}#L{line}" if line else target


def source_url_base(text: str) -> str:
    """`--source-url` checked: an absolute http or https URL with a host,
    no credentials, query or fragment, nothing but URL characters; returned
    ending in `/`, with `(`, `)` and `'` percent-encoded (safe in a Markdown
    link and an HTML attribute). Raises ValueError saying what is wrong."""
    if not re.fullmatch(r"[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]+", text):
        raise ValueError("must be a URL without spaces, quotes or other characters URLs escape")
    scheme, separator, rest = text.partition("://")
    if scheme.lower() not in ("http", "https") or not separator:
        raise ValueError("must start with https:// or http://")
    host = rest.split("/", 1)[0]
    if not host or "@" in host:
        raise ValueError("needs a host and no user name or password")
    if "?" in rest or "#" in rest:
        raise ValueError("must not have a query or fragment: file paths are appended to it")
    base = text if text.endswith("/") else text + "/"
    return base.replace("(", "%28").replace(")", "%29").replace("'", "%27")

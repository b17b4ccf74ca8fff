"""Find Terraform/OpenTofu/Terragrunt state-changing commands in shell text.

Not a shell interpreter: a small lexer that knows enough POSIX shell to
split a script into simple commands (`&&`, `||`, `;`, `|`, `&`, newlines,
subshells, `if/then/do` keywords), to skip comments, quoted text, here-doc
bodies and line continuations, and to see through `sudo`, `env`, `time`,
`VAR=x` prefixes and `sh -c '…'`. `echo "terraform apply"` is an echo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

TOOLS = ("terraform", "tofu", "terragrunt")
# Commands that read or change state or infrastructure (IACM501).
STATE_COMMANDS = frozenset({
    "init", "plan", "apply", "destroy", "import", "state", "refresh", "taint", "untaint", "force-unlock",
})
_TERRAGRUNT_WRAPPERS = frozenset({"run-all", "run", "--all", "-all", "--", "stack"})
# `init -backend=false` installs providers and modules for `validate`/`test`
# without configuring the backend: it reads and writes no state. (Go's flag
# package takes any strconv.ParseBool false spelling, with one or two dashes.)
_NO_BACKEND = re.compile(r"--?backend=(?:false|0|f)", re.IGNORECASE)
_PREFIXES = frozenset({"sudo", "time", "exec", "command", "nohup", "builtin", "then", "do", "else", "elif",
                       "if", "while", "until", "!", "{", "xargs"})
_OPTION_WITH_VALUE = {"sudo": {"-u", "-g", "-C", "-D"}, "env": {"-u", "-C", "-S"}, "xargs": {"-I", "-n", "-P", "-L"}}
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
_OPERATORS = ("&&", "||", ";;", ";", "|&", "|", "&", "(", ")", "\n")


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # with quotes removed
    start: int  # offsets into the analysed text
    end: int
    quoted: bool = False  # some part was quoted
    inner_start: int = -1  # offset of the content of a fully single/double quoted word


@dataclass(frozen=True, slots=True)
class IacCommand:
    """`terraform -chdir=envs/prod apply` found at text[start:end] (from the
    tool word through the subcommand word)."""

    tool: str  # terraform | tofu | terragrunt
    subcommand: str  # init | plan | apply | ...
    start: int
    end: int
    text: str


def _lex(text: str, base: int = 0) -> list[list[Word]]:
    """Simple commands as lists of words."""
    commands: list[list[Word]] = []
    current: list[Word] = []
    heredocs: list[tuple[str, bool]] = []
    i, n = 0, len(text)

    def finish() -> None:
        nonlocal current
        if current:
            commands.append(current)
        current = []

    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] == "\n":  # line continuation
            i += 2
            continue
        if ch == "\\" and text.startswith("\r\n", i + 1):
            i += 3
            continue
        if ch in " \t\r":
            i += 1
            continue
        if ch == "#":  # a comment: words start only after blanks or operators
            while i < n and text[i] != "\n":
                i += 1
            continue
        if ch == "\n" and heredocs:
            finish()
            i = _skip_heredocs(text, i + 1, heredocs)
            heredocs = []
            continue
        op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
        if op is not None:
            finish()
            i += len(op)
            continue
        if text.startswith("<<", i) and not text.startswith("<<<", i):
            j = i + 2
            strip = j < n and text[j] == "-"
            if strip:
                j += 1
            while j < n and text[j] in " \t":
                j += 1
            delim = _read_word(text, j)
            if delim is not None:
                heredocs.append((delim.text, strip))
                i = delim.end
                continue
        word = _read_word(text, i)
        if word is None:
            i += 1
            continue
        current.append(Word(word.text, word.start + base, word.end + base, word.quoted,
                            word.inner_start + base if word.inner_start >= 0 else -1))
        i = word.end
    finish()
    return commands


def _skip_heredocs(text: str, i: int, heredocs: list[tuple[str, bool]]) -> int:
    for delim, strip in heredocs:
        while i < len(text):
            end = text.find("\n", i)
            line = text[i:] if end == -1 else text[i:end]
            i = len(text) if end == -1 else end + 1
            if (line.lstrip("\t") if strip else line).rstrip("\r") == delim:
                break
    return i


def _read_word(text: str, i: int) -> Optional[Word]:
    """One shell word starting at i (quotes, escapes, `$(…)`, `${…}`)."""
    n = len(text)
    start = i
    out: list[str] = []
    quoted = False
    inner_start = -1
    while i < n:
        ch = text[i]
        if ch in " \t\r\n;&|()" or (ch == "<" and text.startswith("<<", i)):
            break
        if ch == "\\" and i + 1 < n:
            if text[i + 1] == "\n":
                i += 2
                continue
            out.append(text[i + 1])
            i += 2
            continue
        if ch in "'\"":
            close = _closing_quote(text, i)
            if i == start:
                inner_start = i + 1
            out.append(text[i + 1:close])
            quoted = True
            i = min(close + 1, n)
            continue
        if ch == "$" and i + 1 < n and text[i + 1] in "({":
            close = _matching(text, i + 1)
            out.append(text[i:close + 1])
            i = close + 1
            continue
        if ch == "`":  # an old-style command substitution is one word, blanks and all
            close = text.find("`", i + 1)
            close = n - 1 if close == -1 else close
            out.append(text[i:close + 1])
            i = close + 1
            continue
        out.append(ch)
        i += 1
    if i == start:
        return None
    if inner_start >= 0 and (i - start) != len("".join(out)) + 2:
        inner_start = -1  # not a single fully-quoted word
    return Word("".join(out), start, i, quoted, inner_start)


def _closing_quote(text: str, i: int) -> int:
    quote = text[i]
    j = i + 1
    while j < len(text):
        if text[j] == "\\" and quote == '"':
            j += 2
            continue
        if text[j] == quote:
            return j
        j += 1
    return len(text) - 1


def _matching(text: str, i: int) -> int:
    pairs = {"(": ")", "{": "}"}
    close = pairs[text[i]]
    depth = 0
    for j in range(i, len(text)):
        if text[j] == text[i]:
            depth += 1
        elif text[j] == close:
            depth -= 1
            if depth == 0:
                return j
    return len(text) - 1


def _command_word(words: list[Word]) -> int:
    """Index of the word that names the program, past assignments and
    wrappers (`FOO=1 sudo -E env TF_LOG=debug terraform …`)."""
    i = 0
    while i < len(words):
        text = words[i].text
        if _ASSIGNMENT.match(text) and not words[i].text.startswith("="):
            i += 1
            continue
        base = text.rsplit("/", 1)[-1]
        if base in _PREFIXES or base == "env":
            valued = _OPTION_WITH_VALUE.get(base, set())
            i += 1
            while i < len(words) and words[i].text.startswith("-"):
                i += 2 if words[i].text in valued else 1
            continue
        return i
    return len(words)


def find_iac_commands(text: str) -> list[IacCommand]:
    """Every `terraform|tofu|terragrunt <state command>` in a script, in order."""
    return [IacCommand(c.tool, c.subcommand, c.start, c.end, " ".join(text[c.start:c.end].replace("\\\n", " ").split()))
            for c in _find(text, 0, 0)]


def _find(text: str, base: int, depth: int) -> list[IacCommand]:
    found: list[IacCommand] = []
    for words in _lex(text, base):
        if depth < 3:  # `x=$(terraform output -raw id)`, "`tofu apply`": the substituted command runs too
            for word in words:
                raw = text[word.start - base:word.end - base]
                for inner_start, inner_end in _substitutions(raw):
                    found.extend(_find(raw[inner_start:inner_end], word.start + inner_start, depth + 1))
        i = _command_word(words)
        if i >= len(words):
            continue
        program = words[i].text.rsplit("/", 1)[-1]
        if program in ("sh", "bash", "zsh", "dash", "ash", "ksh") and depth < 3:
            found.extend(_inline_script(words[i + 1:], depth))
            continue
        if program not in TOOLS:
            continue
        sub = _subcommand(program, words[i + 1:])
        if sub is not None:
            start, end = words[i].start, sub.end
            found.append(IacCommand(program, sub.text.lower(), start, end, ""))
    return found


def _substitutions(raw: str) -> list[tuple[int, int]]:
    """(start, end) of the commands inside `$(…)` and backquotes in one word's
    source, outside single quotes (where nothing is substituted); `$((…))` is
    arithmetic, not a command."""
    spans = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "'":
            i = _closing_quote(raw, i) + 1
            continue
        if raw.startswith("$(", i) and not raw.startswith("$((", i):
            close = _matching(raw, i + 1)
            spans.append((i + 2, close))
            i = close + 1
            continue
        if ch == "`":
            close = raw.find("`", i + 1)
            if close == -1:
                break
            spans.append((i + 1, close))
            i = close + 1
            continue
        i += 1
    return spans


def _inline_script(args: list[Word], depth: int) -> list[IacCommand]:
    for index, word in enumerate(args):
        if word.text.startswith("-") and "c" in word.text.lstrip("-") and index + 1 < len(args):
            script = args[index + 1]
            if script.inner_start >= 0:
                return _find(script.text, script.inner_start, depth + 1)
            return []
    return []


def _subcommand(tool: str, args: list[Word]) -> Optional[Word]:
    for index, word in enumerate(args):
        if word.text.lower() in STATE_COMMANDS:
            return None if _without_backend(word, args[index + 1:]) else word
        if word.text.startswith("-") or (tool == "terragrunt" and word.text in _TERRAGRUNT_WRAPPERS):
            continue  # global options: -chdir=dir, -help, -version; terragrunt run-all
        return None
    return None


def _without_backend(subcommand: Word, rest: list[Word]) -> bool:
    """`init -backend=false`: sets up a working directory for `validate` or
    `test` without touching state."""
    return subcommand.text.lower() == "init" and any(_NO_BACKEND.fullmatch(word.text) for word in rest)

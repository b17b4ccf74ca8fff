"""`.gitignore`-syntax globs, matched in time linear in the path.

A repository chooses its `.gitignore` lines and its config's `exclude:`
globs, and the scan matches them against every path it walks. Translated to
a backtracking regular expression, `*a*a*a*a*a*a*a*b` against an 80-character
name takes minutes (issue 25). Here a pattern becomes a small automaton
(git's wildmatch semantics: `*` and `?` stop at `/`, `**` between slashes
spans directories, `[...]` classes) that reads the path once, one character
at a time, tracking every position it could be at — never going back. The
sets of positions reached are memoised per pattern, so matching the same
pattern again and again costs one dictionary look-up per character.

Pattern lines follow git's gitignore(5): blank lines and `#` comments match
nothing, trailing unescaped spaces are dropped, `!` negates, a trailing `/`
matches directories only, a pattern with a `/` elsewhere is anchored to the
directory of its file, one without is matched against the last path
component at any depth. A pattern git rejects (an unclosed `[`, an unknown
`[:class:]`) matches nothing, as in git.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Optional

_CLASSES: dict[str, Callable[[str], bool]] = {
    "alnum": str.isalnum, "alpha": str.isalpha, "blank": lambda c: c in " \t",
    "cntrl": lambda c: ord(c) < 32 or c == "\x7f",
    "digit": lambda c: "0" <= c <= "9", "graph": lambda c: c.isprintable() and not c.isspace(),
    "lower": str.islower, "print": str.isprintable,
    "punct": lambda c: c.isprintable() and not c.isalnum() and not c.isspace(),
    "space": str.isspace, "upper": str.isupper, "xdigit": lambda c: c in "0123456789abcdefABCDEF",
}

# Tokens: ("char", c) one character; ("class", predicate) one character but `/`;
# ("star",) any run without `/`; ("all",) any run; ("dirs",) `**/`: nothing, or any run ending in `/`.
_Token = tuple
_MAX_MEMO = 4096  # state-set transitions kept per pattern; past it the memo starts again


class _Unmatchable(Exception):
    """git's wildmatch aborts on this pattern: it matches nothing."""


def _bracket(pattern: str, start: int) -> tuple[Callable[[str], bool], int]:
    """The class `[...]` opening at `start`: its predicate and the index after `]`."""
    i = start + 1
    negated = i < len(pattern) and pattern[i] in "!^"
    if negated:
        i += 1
    singles: set[str] = set()
    ranges: list[tuple[str, str]] = []
    named: list[Callable[[str], bool]] = []
    first = True
    while True:
        if i >= len(pattern):
            raise _Unmatchable
        c = pattern[i]
        if c == "]" and not first:
            break
        first = False
        if c == "[" and pattern.startswith("[:", i):
            end = pattern.find(":]", i + 2)
            if end < 0:
                raise _Unmatchable
            named_class = _CLASSES.get(pattern[i + 2:end])
            if named_class is None:
                raise _Unmatchable
            named.append(named_class)
            i = end + 2
            continue
        if c == "\\":
            i += 1
            if i >= len(pattern):
                raise _Unmatchable
            c = pattern[i]
        if i + 2 < len(pattern) and pattern[i + 1] == "-" and pattern[i + 2] != "]":
            high = pattern[i + 2]
            i += 2
            if high == "\\":
                i += 1
                if i >= len(pattern):
                    raise _Unmatchable
                high = pattern[i]
            ranges.append((c, high))
        else:
            singles.add(c)
        i += 1

    def predicate(ch: str) -> bool:
        hit = ch in singles or any(low <= ch <= high for low, high in ranges) or any(p(ch) for p in named)
        return hit != negated

    return predicate, i + 1


def _tokens(pattern: str, fresh_start: int = 0) -> list[_Token]:
    """`fresh_start`: git compares an anchored pattern's literal head as a
    string and wildmatches the rest as a pattern of its own, so a `**` right
    after the head counts as at the start (`x**/*` matches `xz`)."""
    tokens: list[_Token] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                raise _Unmatchable  # a trailing backslash matches nothing in git
            tokens.append(("char", pattern[i + 1]))
            i += 2
        elif c == "?":
            tokens.append(("class", lambda ch: True))
            i += 1
        elif c == "[":
            predicate, i = _bracket(pattern, i)
            tokens.append(("class", predicate))
        elif c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            after_slash = i in (0, fresh_start) or pattern[i - 1] == "/"
            rest = pattern[j:]
            if j - i >= 2 and after_slash and (not rest or rest.startswith(("/", "\\/"))):
                if rest:
                    tokens.append(("dirs",))
                    j += 1 if rest[0] == "/" else 2
                else:
                    tokens.append(("all",))
            elif not tokens or tokens[-1] != ("star",):
                tokens.append(("star",))
            i = j
        else:
            tokens.append(("char", c))
            i += 1
    return tokens


class _Automaton:
    """A wildmatch pattern as a set-of-positions automaton. Positions are
    token indexes (len(tokens) accepts); inside a `dirs` token i the run not
    yet closed by `/` is position -(i + 1)."""

    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.accept = len(tokens)
        self.start = self._closure({0})
        self.memo: dict[tuple[frozenset, str], frozenset] = {}

    def _closure(self, positions: Iterable[int]) -> frozenset:
        pending = list(positions)
        seen = set(pending)
        while pending:
            position = pending.pop()
            if 0 <= position < self.accept and self.tokens[position][0] in ("star", "all", "dirs"):
                following = [position + 1] + ([-(position + 1)] if self.tokens[position][0] == "dirs" else [])
                for state in following:
                    if state not in seen:
                        seen.add(state)
                        pending.append(state)
        return frozenset(seen)

    def _step(self, positions: frozenset, ch: str) -> frozenset:
        reached = set()
        for position in positions:
            if position < 0:  # inside `**/`: any character stays, `/` may also close it
                reached.add(position)
                if ch == "/":
                    reached.add(-position)
                continue
            if position == self.accept:
                continue
            kind = self.tokens[position][0]
            if kind == "char":
                if ch == self.tokens[position][1]:
                    reached.add(position + 1)
            elif kind == "class":
                if ch != "/" and self.tokens[position][1](ch):
                    reached.add(position + 1)
            elif kind == "star":
                if ch != "/":
                    reached.add(position)
            elif kind == "all":
                reached.add(position)
        return self._closure(reached)

    def matches(self, text: str) -> bool:
        positions = self.start
        memo = self.memo
        for ch in text:
            key = (positions, ch)
            following = memo.get(key)
            if following is None:
                if len(memo) >= _MAX_MEMO:
                    memo.clear()
                following = memo[key] = self._step(positions, ch)
            if not following:
                return False
            positions = following
        return self.accept in positions


@dataclass
class Pattern:
    """One gitignore line."""

    text: str  # the line as written
    negated: bool
    directory_only: bool  # a trailing `/`
    anchored: bool  # matched against the whole base-relative path, not its last component
    _match: Callable[[str], bool]

    def matches(self, path: str, is_dir: bool) -> bool:
        """Does this pattern match `path` (relative to the pattern file's
        directory, `/`-separated, no trailing `/`)?"""
        if self.directory_only and not is_dir:
            return False
        return self._match(path if self.anchored else path.rsplit("/", 1)[-1])


def _strip_trailing_spaces(line: str) -> str:
    """git's trim_trailing_spaces: a run of spaces at the end goes unless a
    backslash escapes its first space."""
    last_space = None
    i = 0
    while i < len(line):
        c = line[i]
        if c == " ":
            if last_space is None:
                last_space = i
        elif c == "\\":
            i += 1
            if i >= len(line):
                return line
            last_space = None
        else:
            last_space = None
        i += 1
    return line if last_space is None else line[:last_space]


def parse_line(line: str) -> Optional[Pattern]:
    """The pattern on one gitignore line, or None for blank lines, comments
    and patterns git rejects."""
    text = line[:-1] if line.endswith("\n") else line
    if text.endswith("\r"):
        text = text[:-1]
    if text.startswith("#"):
        return None
    body = _strip_trailing_spaces(text)
    if not body:
        return None
    negated = body.startswith("!")
    if negated:
        body = body[1:]
    directory_only = body.endswith("/")
    if directory_only:  # one slash, as git: `a//` keeps one and can match nothing
        body = body[:-1]
    anchored = "/" in body
    if body.startswith("/"):
        body = body[1:]
    if not body:
        return None
    head = len(body)
    for special in "*?[\\":
        found = body.find(special)
        if found >= 0:
            head = min(head, found)
    try:
        tokens = _tokens(body, head if anchored else 0)
    except _Unmatchable:
        return None
    return Pattern(text, negated, directory_only, anchored, _matcher(body, tokens))


def _matcher(body: str, tokens: list[_Token]) -> Callable[[str], bool]:
    """The fastest matcher that is exact for `tokens`: plain strings and
    `*suffix` patterns (most lines of most .gitignore files) need no automaton."""
    if all(kind == "char" for kind, *_ in tokens):
        literal = "".join(token[1] for token in tokens)
        return literal.__eq__
    if tokens[0] == ("star",) and all(kind == "char" for kind, *_ in tokens[1:]):
        suffix = "".join(token[1] for token in tokens[1:])
        if "/" not in suffix:
            return lambda text: text.endswith(suffix) and "/" not in text[:len(text) - len(suffix)]
    return _Automaton(tokens).matches


class PatternList:
    """The patterns of one file (or one config key), in order: the last one
    that matches a path decides whether it is ignored."""

    def __init__(self, lines: Iterable[str]):
        self.patterns = [p for p in map(parse_line, lines) if p is not None]
        self._directories: dict[str, bool] = {}  # every path below a directory asks about it again

    def decide(self, path: str, is_dir: bool) -> Optional[bool]:
        """True (ignored), False (re-included by a `!` pattern) or None (no pattern matches)."""
        for pattern in reversed(self.patterns):
            if pattern.matches(path, is_dir):
                return not pattern.negated
        return None

    def excludes(self, path: str, is_dir: bool = False) -> bool:
        """git's answer for a path relative to this list's base: a directory
        this list ignores ignores everything below it (nothing inside can be
        re-included), else the last matching pattern decides."""
        path = path.strip("/")
        parts = path.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            excluded = self._directories.get(parent)
            if excluded is None:
                excluded = self._directories[parent] = bool(self.decide(parent, True))
            if excluded:
                return True
        return bool(self.decide(path, is_dir))

    def excludes_directory(self, path: str) -> bool:
        """Is the directory `path` excluded, itself or as a whole (`dir/**`
        names everything under it, so a walk need not enter it)?"""
        return self.excludes(path, True) or bool(self.decide(path.strip("/") + "/", True))

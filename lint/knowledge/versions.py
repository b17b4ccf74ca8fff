"""Version constraints exactly as hashicorp/go-version evaluates them.

Terraform and OpenTofu parse `required_version` with go-version's
`NewConstraint` and check their own core version with `Constraints.Check`.
This module is a line-by-line port of go-version's `version.go` and
`constraint.go` (v1.1.0 to v1.9.0 behave the same, see
shared/spec/versions.md), including its odd corners: `~> 1` has no upper
bound, prerelease identifiers compare as byte strings unless they parse as
int64, missing segments count as zero, and `+metadata` is ignored.

Public API: `parse_version`, `parse_constraints`, `Constraints.check`,
`compare`, `VersionError`, `ConstraintError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Union

# Go RE2's \s is [\t\n\f\r ] (no \v, no Unicode spaces); Python's `$` also
# matches before a trailing newline, so the patterns are used with fullmatch.
_WS = r"[\t\n\f\r ]"
_VERSION_RAW = (
    r"v?([0-9]+(\.[0-9]+)*?)"
    r"(-([0-9]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)|(-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)))?"
    r"(\+([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))?"
    r"?"
)
_VERSION_RE = re.compile(_VERSION_RAW)
_CONSTRAINT_RE = re.compile(rf"{_WS}*(<=|>=|!=|~>|<|>|=|){_WS}*({_VERSION_RAW}){_WS}*")

_INT64_MAX = (1 << 63) - 1
_INT64_MIN = -(1 << 63)

OPERATORS = ("", "=", "!=", ">", "<", ">=", "<=", "~>")


class VersionError(ValueError):
    """A version string go-version's NewVersion rejects."""


class ConstraintError(ValueError):
    """A constraint string go-version's NewConstraint rejects. `message` is
    go-version's own text (v1.8.0+ spelling, lower case)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _go_parse_int64(text: str) -> tuple[int, bool]:
    """strconv.ParseInt(text, 10, 64) -> (value, ok). Like Go, a syntax error
    yields 0 and an out-of-range number yields the clamped bound, and the
    scan stops at the first overflow without looking at later characters."""
    digits = text
    negative = False
    if digits[:1] in ("+", "-"):
        negative = digits[0] == "-"
        digits = digits[1:]
    if not digits:
        return 0, False
    magnitude = 0
    max_uint64 = (1 << 64) - 1
    for char in digits:
        if not "0" <= char <= "9":
            return 0, False
        magnitude = magnitude * 10 + (ord(char) - 48)
        if magnitude > max_uint64:  # ParseUint gives up here with a range error
            return (_INT64_MIN if negative else _INT64_MAX), False
    if not negative and magnitude > _INT64_MAX:
        return _INT64_MAX, False
    if negative and magnitude > -_INT64_MIN:
        return _INT64_MIN, False
    return (-magnitude if negative else magnitude), True


@dataclass(frozen=True, slots=True)
class Version:
    """A go-version Version. `segments` is padded to at least three;
    `si` is the number of segments actually written."""

    segments: tuple[int, ...]
    si: int
    pre: str = ""
    metadata: str = ""
    original: str = ""

    def __str__(self) -> str:  # go-version's String(): canonical, metadata kept
        text = ".".join(str(s) for s in self.segments)
        if self.pre:
            text += "-" + self.pre
        if self.metadata:
            text += "+" + self.metadata
        return text

    @property
    def core(self) -> Version:
        """MAJOR.MINOR.PATCH without prerelease or metadata (what Terraform and
        OpenTofu check their constraints against)."""
        return Version(self.segments[:3], 3, "", "", ".".join(str(s) for s in self.segments[:3]))

    @property
    def is_prerelease(self) -> bool:
        return self.pre != ""

    def _key(self) -> tuple[tuple[int, ...], str, str]:
        return self.segments, self.pre, self.metadata

    def __eq__(self, other: object) -> bool:  # go-version Equal(): Compare == 0
        return isinstance(other, Version) and compare(self, other) == 0

    def __hash__(self) -> int:
        stripped = list(self.segments)
        while len(stripped) > 3 and stripped[-1] == 0:
            stripped.pop()
        return hash(tuple(stripped))

    def __lt__(self, other: Version) -> bool:
        return compare(self, other) < 0

    def __le__(self, other: Version) -> bool:
        return compare(self, other) <= 0

    def __gt__(self, other: Version) -> bool:
        return compare(self, other) > 0

    def __ge__(self, other: Version) -> bool:
        return compare(self, other) >= 0


def _version_from_match(match: re.Match, original: str) -> Version:
    written = match.group(1).split(".")
    segments = []
    for piece in written:
        value, ok = _go_parse_int64(piece)
        if not ok:
            raise ConstraintError(f'error parsing version: strconv.ParseInt: parsing "{piece}": value out of range')
        segments.append(value)
    while len(segments) < 3:
        segments.append(0)
    pre = match.group(7) or match.group(4) or ""
    return Version(tuple(segments), len(written), pre, match.group(10) or "", original)


@lru_cache(maxsize=4096)
def parse_version(text: str) -> Version:
    """go-version NewVersion. Raises VersionError."""
    match = _VERSION_RE.fullmatch(text)
    if match is None:
        raise VersionError(f"malformed version: {text}")
    try:
        return _version_from_match(match, text)
    except ConstraintError as error:
        raise VersionError(error.message) from None


def _as_version(value: Union[str, Version]) -> Version:
    return value if isinstance(value, Version) else parse_version(value)


def _compare_part(a: str, b: str) -> int:
    if a == b:
        return 0
    a_int, a_numeric = _go_parse_int64(a)
    b_int, b_numeric = _go_parse_int64(b)
    if a == "":
        return -1 if b_numeric else 1
    if b == "":
        return 1 if a_numeric else -1
    if a_numeric and not b_numeric:
        return -1
    if not a_numeric and b_numeric:
        return 1
    if not a_numeric and not b_numeric and a.encode() > b.encode():
        return 1
    if a_int > b_int:  # Go falls through to the (possibly clamped) integers here
        return 1
    return -1


def _compare_prereleases(a: str, b: str) -> int:
    if a == b:
        return 0
    a_parts, b_parts = a.split("."), b.split(".")
    for i in range(max(len(a_parts), len(b_parts))):
        result = _compare_part(a_parts[i] if i < len(a_parts) else "", b_parts[i] if i < len(b_parts) else "")
        if result:
            return result
    return 0


def compare(a: Union[str, Version], b: Union[str, Version]) -> int:
    """go-version Compare: -1, 0 or 1."""
    a, b = _as_version(a), _as_version(b)
    if str(a) == str(b):
        return 0
    if a.segments == b.segments:
        if not a.pre and not b.pre:
            return 0
        if not a.pre:
            return 1
        if not b.pre:
            return -1
        return _compare_prereleases(a.pre, b.pre)
    # Jagged comparison: the longer list's extra segments must all be zero.
    # Note that prereleases are not looked at on this path (1.5.0.0-x == 1.5.0).
    sa, sb = a.segments, b.segments
    for i in range(max(len(sa), len(sb))):
        if i >= len(sa):
            return -1 if any(sb[i:]) else 0
        if i >= len(sb):
            return 1 if any(sa[i:]) else 0
        if sa[i] != sb[i]:
            return -1 if sa[i] < sb[i] else 1
    return 0


def _prerelease_check(v: Version, c: Version) -> bool:
    if c.pre and v.pre:
        return c.segments == v.segments
    return bool(c.pre) or not v.pre


def _pessimistic(v: Version, c: Version) -> bool:
    if not _prerelease_check(v, c) or (c.pre and not v.pre):
        return False
    if compare(v, c) < 0:
        return False
    cs = len(c.segments)
    if cs > len(v.segments):
        return False
    for i in range(c.si - 1):
        if v.segments[i] != c.segments[i]:
            return False
    return not c.segments[cs - 1] > v.segments[cs - 1]


def _matches(op: str, v: Version, c: Version) -> bool:
    if op in ("", "="):
        return compare(v, c) == 0
    if op == "!=":
        return compare(v, c) != 0
    if op == "~>":
        return _pessimistic(v, c)
    if not _prerelease_check(v, c):
        return False
    result = compare(v, c)
    if op == ">":
        return result == 1
    if op == "<":
        return result == -1
    if op == ">=":
        return result >= 0
    return result <= 0  # "<="


@dataclass(frozen=True, slots=True)
class Constraint:
    """One comma-separated piece: operator ("" means "=") and version."""

    op: str
    version: Version
    text: str

    def check(self, version: Union[str, Version]) -> bool:
        return _matches(self.op, _as_version(version), self.version)

    @property
    def has_prerelease(self) -> bool:
        return self.version.pre != ""


@dataclass(frozen=True, slots=True)
class Constraints:
    """A parsed constraint string: every piece must hold (AND)."""

    pieces: tuple[Constraint, ...]
    text: str

    def check(self, version: Union[str, Version]) -> bool:
        version = _as_version(version)
        return all(piece.check(version) for piece in self.pieces)

    @property
    def has_prerelease(self) -> bool:
        """Terraform >= 1.2.5 and every OpenTofu reject such a constraint."""
        return any(piece.has_prerelease for piece in self.pieces)

    def __str__(self) -> str:
        return self.text


@lru_cache(maxsize=4096)
def parse_constraints(text: str) -> Constraints:
    """go-version NewConstraint. Raises ConstraintError with go-version's
    message ("malformed constraint: <piece>", "error parsing version: ...")."""
    pieces = []
    for single in text.split(","):
        match = _CONSTRAINT_RE.fullmatch(single)
        if match is None:
            raise ConstraintError(f"malformed constraint: {single}")
        version_text = match.group(2)
        version_match = _VERSION_RE.fullmatch(version_text)
        assert version_match is not None  # the same pattern already matched inside the piece
        pieces.append(Constraint(match.group(1), _version_from_match(version_match, version_text), single))
    return Constraints(tuple(pieces), text)


def is_valid_constraint(text: str) -> bool:
    try:
        parse_constraints(text)
    except ConstraintError:
        return False
    return True

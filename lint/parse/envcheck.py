"""Start-up check for the `hcl2` import package (the bc-python-hcl2 clash).

checkov depends on bc-python-hcl2, a fork of python-hcl2 that installs into
the same `hcl2` import package. With both in one environment the package on
disk is a file-by-file mix of whichever was installed last, and hcl.py (which
builds python-hcl2 8's lark grammar and walks its tree) would fail deep inside
the parser or, worse, read a different tree. `hcl2_problem()` detects that
cheaply (no parser is built); the engine checks it before the first file is
parsed (errors.EnvironmentProblem) and the CLI turns that into one line and
exit 2. A scan answered from the result cache parses nothing and skips it.

Checks, most specific first:
1. a bc-python-hcl2 distribution is installed (importlib.metadata);
2. `hcl2.parser` or `hcl2.postlexer.PostLexer` (what hcl.py builds on) cannot be imported;
3. the installed python-hcl2 is outside the range iacm-lint's metadata requires;
4. `hcl2.lark` next to `hcl2/parser.py` lacks a grammar rule hcl.py reads;
5. files of python-hcl2's RECORD were overwritten or removed (a mixed install).
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib import metadata
from pathlib import Path
from typing import Optional

FIX = "install iacm-lint in its own environment: pipx install iacm-lint"

FOREIGN_DISTRIBUTIONS = ("bc-python-hcl2",)

# Every tree node name lint/parse/hcl.py looks at; python-hcl2 8.x defines them all.
REQUIRED_RULES = (
    "arguments", "attr_splat_expr_term", "attribute", "block", "body", "expr_term", "float_lit", "for_intro",
    "full_splat_expr_term", "function_call", "get_attr_expr_term", "heredoc_template", "heredoc_template_trim",
    "identifier", "index_expr_term", "int_lit", "keyword", "literal_value", "new_line_or_comment", "object",
    "object_elem", "object_elem_key", "string", "tuple", "unary_op",
)

_RULE_DEF = re.compile(r"^[?!]?([a-z_][a-z0-9_]*)(?:\.-?\d+)?\s*:", re.MULTILINE)


def hcl2_problem() -> Optional[str]:
    """One line describing why the importable `hcl2` is not the python-hcl2 8.x
    that iacm-lint needs, ending with the fix; None when it is usable."""
    try:
        problem = _foreign_distribution() or _module_problem() or _record_problem()
    except Exception:  # noqa: BLE001 - the check must never be the thing that crashes
        return None
    return f"{problem}; {FIX}" if problem else None


def _foreign_distribution() -> Optional[str]:
    for name in FOREIGN_DISTRIBUTIONS:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        return (f"{name} {dist.version} (a dependency of checkov) is installed here and overwrites "
                "python-hcl2's `hcl2` package, which iacm-lint's parser needs")
    return None


def _module_problem() -> Optional[str]:
    try:
        import hcl2.parser as hcl2_parser
    except Exception as exc:  # noqa: BLE001 - ImportError, or anything a broken package raises
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"the `hcl2` package cannot be imported ({detail})"
    location = getattr(hcl2_parser, "__file__", None) or "?"
    try:
        from hcl2.postlexer import PostLexer  # noqa: F401 - lint/parse/hcl.py builds its parser with it
    except Exception:  # noqa: BLE001
        return (f"the `hcl2` package at {Path(location).parent} is not python-hcl2 8"
                " (it has no hcl2.postlexer.PostLexer)")
    version = _python_hcl2_version()
    if version is not None and not _accepted(version):
        return f"python-hcl2 {version} is installed but iacm-lint needs {_hcl2_requirement() or 'python-hcl2 8.x'}"
    grammar = Path(location).parent / "hcl2.lark"
    try:
        text = grammar.read_text(encoding="utf-8")
    except OSError:
        return f"the `hcl2` package at {grammar.parent} has no readable hcl2.lark grammar"
    missing = sorted(set(REQUIRED_RULES) - set(_RULE_DEF.findall(text)))
    if missing:
        shown = ", ".join(missing[:3]) + (", ..." if len(missing) > 3 else "")
        return f"the hcl2.lark grammar at {grammar.parent} is not python-hcl2 8's (no rule {shown})"
    return None


def _python_hcl2_version() -> Optional[str]:
    try:
        return metadata.version("python-hcl2")
    except metadata.PackageNotFoundError:  # vendored or bundled: the grammar check decides
        return None


def _hcl2_requirement() -> Optional[str]:
    """iacm-lint's own Requires-Dist for python-hcl2 (pyproject.toml is the one
    place the range is written), e.g. "python-hcl2<9,>=8.1.3"."""
    try:
        requires = metadata.requires("iacm-lint") or []
    except metadata.PackageNotFoundError:  # source tree without install
        return None
    for line in requires:
        spec = line.split(";")[0].strip()
        if re.match(r"python[-_.]hcl2\s*[<>=!~(]", spec, re.IGNORECASE):
            return spec.replace(" ", "")
    return None


def _release(version: str) -> tuple[int, ...]:
    match = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(part) for part in match.group(0).split(".")) if match else ()


def _accepted(version: str) -> bool:
    """`version` satisfies the >=/< bounds of our requirement (8.x without one)."""
    requirement = _hcl2_requirement()
    if requirement is None:
        return _release(version)[:1] == (8,)
    have = _release(version)
    for op, bound in re.findall(r"(>=|<=|==|<|>)\s*([0-9][0-9.]*)", requirement):
        want = _release(bound)
        width = max(len(have), len(want))
        a, b = have + (0,) * (width - len(have)), want + (0,) * (width - len(want))
        if not {">=": a >= b, "<=": a <= b, "==": a == b, "<": a < b, ">": a > b}[op]:
            return False
    return True


def _record_problem() -> Optional[str]:
    """Files python-hcl2 installed under hcl2/ whose content no longer matches
    its RECORD: another distribution wrote over them."""
    try:
        dist = metadata.distribution("python-hcl2")
    except metadata.PackageNotFoundError:
        return None
    changed = []
    for entry in dist.files or ():
        if entry.parts[0] != "hcl2" or entry.hash is None or entry.hash.mode != "sha256":
            continue
        try:
            data = Path(str(dist.locate_file(entry))).read_bytes()
        except OSError:
            changed.append(str(entry))
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
        if digest != entry.hash.value:
            changed.append(str(entry))
    if not changed:
        return None
    shown = ", ".join(sorted(changed)[:3]) + (", ..." if len(changed) > 3 else "")
    return f"python-hcl2's files were overwritten or removed by another package ({shown})"

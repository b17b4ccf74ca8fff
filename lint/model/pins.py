"""Pin files: committed files that choose the engine and its version for
version managers (tfenv, tofuenv, tenv, tfswitch, asdf, mise).

Read: `.opentofu-version`, `.terraform-version`, `.tool-versions`,
`mise.toml`/`.mise.toml` `[tools]` (with a TOML parser, in every form mise
documents: docs/configuration.md#version-pin-files), `.tfswitchrc`. Not read:
`.tfswitch.toml` (tfswitch reads it only from the home directory) and
`.tofu-version` (no tool reads it). A pin file applies to its own directory
and every root below it; for each tool the nearest one wins.

`pin_file_signal` is the `--engine auto` signal of pin files (after Harness
workspaces and pipelines, before `.tofu` files: model/engine_choice.py).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from ..knowledge import releases as rel
from ..knowledge.engines import Engine
from ..knowledge.versions import ConstraintError, VersionError, parse_constraints, parse_version
from .compat import accepting_releases
from .syntax import Repo, RootModule, Span

# In engine-resolution order (product.md).
PIN_FILES = (".opentofu-version", ".terraform-version", ".tool-versions", "mise.toml", ".mise.toml", ".tfswitchrc")
SINGLE_TOOL = {".opentofu-version": Engine.OPENTOFU, ".terraform-version": Engine.TERRAFORM,
               ".tfswitchrc": Engine.TERRAFORM}
# .tool-versions and mise [tools] keys are the engine names (Engine.named), or a
# mise backend's tool (`aqua:hashicorp/terraform`, `asdf:virtualroot/asdf-opentofu`,
# `vfox:mise-plugins/vfox-terraform`, `ubi:opentofu/opentofu`): its last path
# segment without a plugin prefix. `asdf:…/asdf-hashicorp` serves many tools: not a pin.
_PLUGIN_PREFIXES = ("asdf-", "vfox-", "mise-")
# mise's table forms of a version request: `{ version = "1.5.7" }`, `{ prefix = "1.5" }`, `{ ref = … }`, `{ path = … }`
_REQUEST_KEYS = (("version", ""), ("prefix", "prefix:"), ("ref", "ref:"), ("path", "path:"))


@dataclass(frozen=True)
class Pin:
    path: str  # the pin file, scan-root relative
    tool: Engine
    value: str  # the version text as written
    span: Span  # of the value


@dataclass(frozen=True)
class Resolved:
    """What a pin selects. `version` is None when it cannot be told statically
    (ref:, path:, system, latest-pre); `problem` is set when the value is no
    version, keyword or constraint at all (IACM304)."""

    version: Optional[str] = None
    problem: str = ""
    how: str = ""  # e.g. "latest" -> "the newest release, 1.15.9"


def _line_pin(path: str, tool: Engine, text: str, strip_comments: bool) -> Optional[Pin]:
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0] if strip_comments else line
        value = content.strip()
        if value:
            col = len(content) - len(content.lstrip()) + 1
            return Pin(path, tool, value, Span(path, number, col, number, col + len(value)))
    return None


def tool_of(name: str) -> Optional[Engine]:
    """The engine a `.tool-versions` or mise `[tools]` name pins: `terraform`,
    `opentofu`, or a mise backend name for one of them (`aqua:hashicorp/terraform`)."""
    engine = Engine.named(name)
    if engine is not None:
        return engine
    backend, colon, tool = name.partition(":")
    if not colon or not backend:
        return None
    last = tool.split("[", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    for prefix in _PLUGIN_PREFIXES:
        last = last.removeprefix(prefix)
    return Engine.named(last)


def _tool_versions(path: str, text: str) -> list[Pin]:
    """`terraform 1.5.7` lines; of `terraform 1.5.7 1.4.6` the first is the default."""
    pins = []
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0]
        fields = content.split()
        tool = tool_of(fields[0]) if len(fields) >= 2 else None
        if tool is not None:
            col = content.index(fields[1], content.index(fields[0]) + len(fields[0])) + 1
            span = Span(path, number, col, number, col + len(fields[1]))
            pins.append(Pin(path, tool, fields[1], span))
    return pins


class PinFileError(ValueError):
    """A pin file that cannot be read as what its name says (a mise.toml that is not TOML)."""


def _mise(path: str, text: str) -> list[Pin]:
    """The `[tools]` of a mise config, read with a TOML parser, in every form
    mise documents: `terraform = "1.5.7"`, `terraform = ["1.5.7", "1.4.6"]`
    (the first is the default), `terraform = { version = "1.5.7" }` (or
    `prefix`, `ref`, `path`), `[tools.terraform] version = "1.5.7"`, and a
    backend name for the key (`"aqua:hashicorp/terraform" = "1.5.7"`)."""
    try:
        document = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise PinFileError(f"{path} is not valid TOML ({error}); its [tools] pins were not read") from None
    tools = document.get("tools")
    if not isinstance(tools, dict):
        return []
    pins = []
    for key, request in tools.items():
        tool = tool_of(key)
        found = _request(request) if tool is not None else None
        if tool is not None and found is not None:
            written, value = found
            pins.append(Pin(path, tool, value, _value_span(path, text, key, written)))
    return pins


def _request(value: Any) -> Optional[tuple[str, str]]:
    """(the string as written, the version request) of a `[tools]` value."""
    if isinstance(value, list):
        return _request(value[0]) if value else None
    if isinstance(value, str):
        return value, value
    if isinstance(value, dict):
        for key, prefix in _REQUEST_KEYS:
            if isinstance(value.get(key), str):
                return value[key], prefix + value[key]
    return None


def _value_span(path: str, text: str, key: str, written: str) -> Span:
    """Where `written` stands as a quoted string, from the first line of the
    `[tools` tables that names `key` on (tomllib keeps no positions); that
    line when it is not found (a string with escapes)."""
    lines = text.splitlines()
    tables = next((n for n, line in enumerate(lines) if line.strip().startswith("[tools")), 0)
    start = next((n for n in range(tables, len(lines)) if key in lines[n]), tables)
    for number in range(start, len(lines)):
        for quote in ('"', "'"):
            col = lines[number].find(quote + written + quote)
            if col >= 0:
                return Span(path, number + 1, col + 2, number + 1, col + 2 + len(written))
    line = lines[start] if lines else ""
    return Span(path, start + 1, 1, start + 1, len(line) + 1)


def parse_pin_file(path: str, text: str) -> list[Pin]:
    name = path.rsplit("/", 1)[-1]
    if name in SINGLE_TOOL:
        # tfenv strips "#" comments; tofuenv reads the raw line (a comment there is an invalid version anyway)
        pin = _line_pin(path, SINGLE_TOOL[name], text, strip_comments=name == ".terraform-version")
        return [pin] if pin else []
    if name == ".tool-versions":
        return _tool_versions(path, text)
    if name in ("mise.toml", ".mise.toml"):
        return _mise(path, text)
    return []


def _join(directory: str, name: str) -> str:
    return name if directory == "." else f"{directory}/{name}"


def _parents(directory: str) -> list[str]:
    chain = [directory]
    while directory != ".":
        directory = directory.rsplit("/", 1)[0] if "/" in directory else "."
        chain.append(directory)
    return chain


def is_pin_file(path: str) -> bool:
    """Whether a scan-relative path names a pin file (the scan stage reads them into `Repo.pin_files`)."""
    return path.rsplit("/", 1)[-1] in PIN_FILES


def pins_in(repo: Repo, directory: str) -> list[Pin]:
    """The pins of one directory, in engine-resolution order."""
    pins = []
    for name in PIN_FILES:
        path = _join(directory, name)
        text = repo.pin_files.get(path)
        if text is None:
            continue
        try:
            pins.extend(parse_pin_file(path, text))
        except PinFileError as error:
            if str(error) not in repo.notes:  # pins are read once per root and parent: one note
                repo.notes.append(str(error))
    return pins


def all_pins(repo: Repo) -> list[Pin]:
    """Every pin in every pin file of the scan, in path order."""
    directories = sorted({p.rsplit("/", 1)[0] if "/" in p else "." for p in repo.pin_files})
    return sorted((pin for d in directories for pin in pins_in(repo, d)), key=lambda p: (p.path, p.span))


def pins_for_root(repo: Repo, root: RootModule) -> dict[str, Pin]:
    """tool -> the nearest pin for it (the root's directory, then its parents
    up to the scan root)."""
    found: dict[str, Pin] = {}
    for directory in _parents(root.directory):
        for pin in pins_in(repo, directory):
            found.setdefault(pin.tool, pin)
    return found


def nearest_pins(repo: Repo, root: RootModule) -> list[Pin]:
    """The pins of the nearest directory that has any, in resolution order."""
    for directory in _parents(root.directory):
        pins = pins_in(repo, directory)
        if pins:
            return pins
    return []


def pin_file_signal(repo: Repo, root: RootModule) -> Optional[tuple[Engine, str]]:
    """The `--engine auto` signal of pin files (model/engine_choice.py): the
    first pin of the nearest directory that has any, as (engine, reason)."""
    pins = nearest_pins(repo, root)
    if not pins:
        return None
    return pins[0].tool, f"pin file {pins[0].path}"


def resolve(pin: Pin, root: Optional[RootModule]) -> Resolved:
    """The release a pin selects, resolving tool keywords against the release
    table (and `min-required`/`latest-allowed` against the root's constraints)."""
    value = pin.value.strip()
    releases = rel.releases(pin.tool)
    if value in ("latest", "latest-stable"):
        return Resolved(rel.newest_stable(pin.tool).version, how=f'"{value}" is')
    if value in ("min-required", "latest-allowed"):
        if root is None:
            return Resolved(None)
        fitting = accepting_releases(root, pin.tool, supported_only=False)
        if not fitting:
            return Resolved(None)
        chosen = fitting[0] if value == "min-required" else fitting[-1]
        return Resolved(chosen.version, how=f'"{value}" resolves to')
    if value == "latest-pre" or value == "system" or value.startswith(("ref:", "path:")):
        return Resolved(None)
    for prefix, pick in (("latest:", -1), ("min:", 0), ("prefix:", -1)):
        if value.startswith(prefix):
            pattern = value[len(prefix):]
            try:
                regex = re.compile(re.escape(pattern) if prefix == "prefix:" else pattern)
            except re.error:
                return Resolved(problem=f'"{pattern}" is not a valid regular expression')
            matching = [r for r in releases
                        if (r.version.startswith(pattern) if prefix == "prefix:" else regex.search(r.version))]
            if not matching:
                return Resolved(None, how=f"no {pin.tool.display_name} release matches it")
            return Resolved(matching[pick].version, how=f'"{value}" resolves to')
    try:
        version = parse_version(value)
    except VersionError:
        version = None
    if version is not None:
        if version.si < 3 and not version.pre:  # fuzzy "1.5" (mise, tenv): the newest 1.5.x
            written = version.segments[: version.si]
            matching = [r for r in releases if r.parsed.segments[: version.si] == written]
            if matching:
                return Resolved(matching[-1].version, how=f'"{value}" resolves to')
        return Resolved(value[1:] if value.startswith("v") else value)
    try:
        constraints = parse_constraints(value)  # tenv: the newest release that satisfies it
    except ConstraintError as error:
        return Resolved(problem=error.message)
    matching = [r for r in releases if constraints.check(r.parsed)]
    if not matching:
        return Resolved(None, how=f"no {pin.tool.display_name} release satisfies it")
    return Resolved(matching[-1].version, how=f'"{value}" resolves to')

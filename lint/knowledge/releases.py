"""Release, feature and function tables (package data `data/releases.json`).

`data/releases.json` is the one place to update when Terraform or OpenTofu
ships a release; everything here reads it once and never changes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Optional

from .engines import Engine
from .versions import Constraints, Version, parse_constraints, parse_version


@dataclass(frozen=True, slots=True)
class Release:
    engine: str
    version: str
    date: str
    license: str

    @property
    def parsed(self) -> Version:
        return parse_version(self.version)

    @property
    def minor(self) -> tuple[int, int]:
        segments = self.parsed.segments
        return segments[0], segments[1]

    def __str__(self) -> str:
        return f"{Engine(self.engine).display_name} {self.version}"


@dataclass(frozen=True, slots=True)
class Feature:
    id: str
    title: str
    terraform: Optional[str]  # first stable release with it, None when none has it
    opentofu: Optional[str]
    detect: dict

    def first(self, engine: str) -> Optional[str]:
        return self.terraform if engine == "terraform" else self.opentofu


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(resources.files(__package__).joinpath("data/releases.json").read_text(encoding="utf-8"))


@cache
def releases(engine: str) -> tuple[Release, ...]:
    """Every stable release of `engine`, oldest first."""
    rows = []
    for line in _data()["engines"][engine]["releases"]:
        version, date, license_ = line.split()
        rows.append(Release(engine, version, date, license_))
    return tuple(sorted(rows, key=lambda r: r.parsed.segments))


def harness_constraint_text(engine: str) -> str:
    """The releases of `engine` Harness runs, as a constraint (`<= 1.5.7`, `>= 1.6.0`)."""
    return str(_data()["engines"][engine]["harness_supported"])


@cache
def harness_constraint(engine: str) -> Constraints:
    return parse_constraints(harness_constraint_text(engine))


@cache
def supported_releases(engine: str) -> tuple[Release, ...]:
    """The releases Harness IaCM runs: Terraform <= 1.5.7 (MPL-2.0), every OpenTofu."""
    constraint = harness_constraint(engine)
    return tuple(r for r in releases(engine) if constraint.check(r.parsed))


def newest_stable(engine: str) -> Release:
    wanted = _data()["engines"][engine]["newest_stable"]
    return next(r for r in releases(engine) if r.version == wanted)


def newest_supported(engine: str) -> Release:
    return supported_releases(engine)[-1]


def find_release(engine: str, version: str) -> Optional[Release]:
    """The stable release whose version equals `version` (go-version equality,
    so "v1.5.7" and "1.5.7+x" find 1.5.7), or None."""
    try:
        wanted = parse_version(version)
    except ValueError:
        return None
    if wanted.pre:
        return None
    return next((r for r in releases(engine) if r.parsed == wanted), None)


def is_supported(engine: str, version: str) -> bool:
    release = find_release(engine, version)
    return release is not None and harness_constraint(engine).check(release.parsed)


@lru_cache(maxsize=1)
def features() -> tuple[Feature, ...]:
    return tuple(Feature(f["id"], f["title"], f["terraform"], f["opentofu"], f["detect"]) for f in _data()["features"])


def feature(feature_id: str) -> Feature:
    return next(f for f in features() if f.id == feature_id)


@lru_cache(maxsize=1)
def functions() -> dict[str, dict[str, Optional[str]]]:
    """Function name -> {"terraform": first version, "opentofu": first version}
    for functions added after Terraform 0.12.0 (None: no stable release has it)."""
    return dict(_data()["functions"])


def pin_file_facts() -> dict:
    return _data()["pin_files"]


def has(version: Version, first: Optional[str]) -> bool:
    """Does a release at `version` have something that first shipped in `first`?"""
    return first is not None and version.segments >= parse_version(first).segments


def ranges(selected: Iterable[Release], universe: Sequence[Release]) -> list[tuple[Release, Release]]:
    """Group `selected` into maximal runs of consecutive releases of `universe`
    (both oldest first): [(first, last), ...]."""
    chosen = {r.version for r in selected}
    runs: list[tuple[Release, Release]] = []
    run: list[Release] = []
    for release in universe:
        if release.version in chosen:
            run.append(release)
        elif run:
            runs.append((run[0], run[-1]))
            run = []
    if run:
        runs.append((run[0], run[-1]))
    return runs


def format_ranges(runs: list[tuple[Release, Release]]) -> str:
    """"1.6.0–1.7.10, 1.12.0–1.12.6" (a single release is written once)."""
    return ", ".join(a.version if a.version == b.version else f"{a.version}–{b.version}" for a, b in runs)

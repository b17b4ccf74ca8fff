"""Backend knowledge: the schema of every backend type, per engine and
release (package data `data/backends.json`).

The data is derived from `shared/spec/backend-schemas.json` by
`scripts/make_backends_json.py`; its format is documented there. Version
ranges are written "*", ">=X", "<Y" or ">=X,<Y" and cover the releases the
research scanned (Terraform 1.5.7-1.15.9, OpenTofu 1.6.0-1.12.6); a missing
engine key means "never".

The effective backend configuration of a root (the model the rules read) is
in `model/backends.py`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .engines import Engine

# ---- data ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def data() -> dict:
    with open(Path(__file__).parent / "data" / "backends.json", encoding="utf-8") as handle:
        return json.load(handle)


def schema(backend_type: str) -> Optional[dict]:
    """The schema entry of a backend type that exists in some engine, or None."""
    return data()["backends"].get(backend_type)


def removed_error(backend_type: str, engine: str) -> Optional[str]:
    """init's error text for a removed backend (artifactory, azure, etcd, ...)."""
    entry = data()["removed"].get(backend_type)
    return entry.get(engine) if entry else None


def backend_types(engine: Optional[str] = None) -> list[str]:
    """Backend types usable in a `backend "TYPE"` block (not `cloud`), for one
    engine (any of its scanned releases) or for either."""
    return sorted(name for name, entry in data()["backends"].items()
                  if "not_a_backend" not in entry and (engine is None or engine in entry["engines"]))


def _vkey(version: str) -> tuple[int, ...]:
    core = version.split("-", 1)[0].split("+", 1)[0].lstrip("v")
    return tuple(int(p) for p in core.split(".") if p.isdigit())


@lru_cache(maxsize=4096)  # few distinct ranges and versions; IACM104 asks for every attribute and release
def in_range(version_range: Optional[str], version: str) -> bool:
    """Whether `version` lies in a data range ("*", ">=1.6.0", "<1.10.0", ">=1.6.0,<1.8.0")."""
    if version_range is None:
        return False
    key = _vkey(version)
    for part in version_range.split(","):
        if part == "*":
            continue
        if part.startswith(">="):
            if key < _vkey(part[2:]):
                return False
        elif part.startswith("<"):
            if key >= _vkey(part[1:]):
                return False
        else:  # pragma: no cover - the generator writes only these forms
            raise ValueError(f"bad range {version_range!r}")
    return True


def range_text(version_range: Optional[str], engine: str) -> str:
    """">=1.10.0" -> "OpenTofu ≥ 1.10.0" for messages."""
    title = Engine(engine).display_name
    if version_range is None:
        return f"no {title} release"
    if version_range == "*":
        return f"every {title} release"
    words = []
    for part in version_range.split(","):
        if part.startswith(">="):
            words.append(f"≥ {part[2:]}")
        elif part.startswith("<"):
            words.append(f"< {part[1:]}")
    return f"{title} " + " and ".join(words)


def first_version(version_range: Optional[str]) -> Optional[str]:
    """The lower bound of a range (None for "*" or no range)."""
    if not version_range:
        return None
    for part in version_range.split(","):
        if part.startswith(">="):
            return part[2:]
    return None


def attributes(backend_type: str) -> dict[str, dict]:
    entry = schema(backend_type)
    return entry["attributes"] if entry else {}


def attribute_spec(backend_type: str, path: str) -> Optional[dict]:
    """Spec of an attribute or nested block; `path` may be dotted ("assume_role.role_arn")."""
    specs = attributes(backend_type)
    spec = None
    for piece in path.split("."):
        spec = specs.get(piece)
        if spec is None:
            return None
        specs = spec.get("attributes", {})
    return spec


def names_for(specs: dict[str, dict], engine: str) -> list[str]:
    """Names (of one nesting level) that exist in some scanned release of `engine`."""
    return [name for name, spec in specs.items() if engine in spec]


def is_required(spec: dict, engine: str) -> bool:
    required = spec.get("required")
    return required is True or (isinstance(required, list) and engine in required)


def required_attributes(backend_type: str, engine: str) -> list[tuple[str, tuple[str, ...]]]:
    """(name, env fallbacks) of top-level required attributes for an engine."""
    return [(name, tuple(spec.get("env", ()))) for name, spec in attributes(backend_type).items()
            if engine in spec and is_required(spec, engine)]


def credentials(backend_type: str) -> dict[str, Optional[str]]:
    """The credential attributes of a backend type (IACM201; dotted names for
    nested ones) -> the environment variable that supplies each instead
    (its `credential_env`, else its first `env` fallback; None for none).
    Removed backend types (azure, etcd, ...) have theirs too."""
    if schema(backend_type) is None:
        return dict(data()["removed_credentials"].get(backend_type, {}))
    found: dict[str, Optional[str]] = {}
    for name, spec in attributes(backend_type).items():
        nested = ((f"{name}.{n}", s) for n, s in spec.get("attributes", {}).items())
        for path, attribute in ((name, spec), *nested):
            if attribute.get("sensitive"):
                found[path] = attribute["credential_env"] if "credential_env" in attribute else \
                    (attribute.get("env") or [None])[0]
    return found


def credential_backend_types() -> list[str]:
    """Every backend type, removed ones included, that has credential attributes."""
    names = set(data()["backends"]) | set(data()["removed_credentials"])
    return sorted(name for name in names if credentials(name))


def deprecation(spec: dict, engine: str, versions: Iterable[str]) -> bool:
    """Whether the attribute is deprecated in any of `versions` of `engine`."""
    rng = spec.get("deprecated", {}).get(engine)
    return rng is not None and any(in_range(rng, v) for v in versions)


def lock_info(backend_type: str) -> dict:
    entry = schema(backend_type)
    return (entry or {}).get("lock", {"mode": "none"})


def encryption_info(backend_type: str) -> dict:
    entry = schema(backend_type)
    return (entry or {}).get("encryption", {"default": "none"})


def identity_info(backend_type: str) -> Optional[dict]:
    entry = schema(backend_type)
    return (entry or {}).get("identity") if entry else None


# ---- edit distance ------------------------------------------------------------


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent swaps)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def closest(name: str, candidates: Iterable[str], max_distance: int = 2) -> Optional[str]:
    """The nearest candidate within `max_distance` (ties: alphabetical)."""
    best: Optional[tuple[int, str]] = None
    for candidate in candidates:
        distance = edit_distance(name.lower(), candidate.lower())
        if distance <= max_distance and (best is None or (distance, candidate) < best):
            best = (distance, candidate)
    return best[1] if best else None


def has_feature(backend_type: str, name: str, engine: str, releases: Iterable[str]) -> tuple[bool, bool]:
    """(some, all): whether some / all of `releases` have attribute `name`."""
    spec = attribute_spec(backend_type, name) or {}
    rng = spec.get(engine)
    flags = [in_range(rng, v) for v in releases]
    return any(flags), bool(flags) and all(flags)


def lock_hint(backend_type: str, engine: str, releases: Iterable[str]) -> str:
    """What to set to get a state lock, for messages ("use_lockfile = true or dynamodb_table")."""
    lock = lock_info(backend_type)
    options = []
    for name, value in lock.get("any_of", ()):
        if name == "use_lockfile" and not has_feature(backend_type, name, engine, releases)[0]:
            continue
        options.append(f"{name} = {str(value).lower()}" if isinstance(value, bool) else name)
    return " or ".join(options)


def encryption_hint(backend_type: str) -> str:
    names = [f"{name} = {str(value).lower()}" if isinstance(value, bool) else name
             for name, value in encryption_info(backend_type).get("any_of", ())]
    return " or ".join(names[:2])

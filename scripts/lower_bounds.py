"""Print pip constraints that pin every runtime dependency of iacm-lint to the
lower bound pyproject.toml declares (`name>=X` -> `name==X`, markers kept), so
the test suite can run against the oldest versions we claim to support:

    python scripts/lower_bounds.py > /tmp/lower-bounds.txt
    pip install -c /tmp/lower-bounds.txt -e '.[test]'

A dependency without a `>=` lower bound is an error: every one needs one.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10: tomli is a dependency of iacm-lint there
    import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def lower_bounds(dependencies: list[str]) -> list[str]:
    pins = []
    for dep in dependencies:
        requirement, _, marker = dep.partition(";")
        name = re.match(r"\s*([A-Za-z0-9._-]+)", requirement).group(1)
        bound = re.search(r">=\s*([^,\s]+)", requirement)
        if not bound:
            raise SystemExit(f"pyproject.toml: dependency {dep!r} has no >= lower bound")
        pins.append(f"{name}=={bound.group(1)}" + (f"; {marker.strip()}" if marker.strip() else ""))
    return pins


def main() -> int:
    with open(PYPROJECT, "rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    print("\n".join(lower_bounds(dependencies)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Check the import contracts of [tool.importlinter] in pyproject.toml (the
layers and the leaves; import-linter counts imports inside functions too).

    python scripts/lint_imports.py

import-linter finds a package's modules by walking the folder it is
imported from. An editable install (`pip install -e .`, the README's set-up)
maps `iacm_lint.rules` to rules/, outside lint/, where that walk cannot see
it; so this runs `lint-imports` on a copy of the sources laid out as the
wheel installs them (lint/ as iacm_lint/, rules/ as iacm_lint/rules/). Exits
with lint-imports' status.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wheel_layout(target: Path) -> Path:
    """Copy the Python sources to `target`/iacm_lint as the wheel lays them out."""
    package = target / "iacm_lint"
    python_only = shutil.ignore_patterns("__pycache__", "*.pyc", "*.json", "*.j2", "*.css", "*.js")
    shutil.copytree(ROOT / "lint", package, ignore=python_only)
    shutil.copytree(ROOT / "rules", package / "rules", ignore=python_only)
    return package


def main() -> int:
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    with tempfile.TemporaryDirectory(prefix="iacm-lint-imports-") as work:
        wheel_layout(Path(work))
        # the copy first on the path: it, not the editable install, is `iacm_lint` for import-linter
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [work, os.environ.get("PYTHONPATH")])))
        done = subprocess.run([lint_imports, "--no-cache"], cwd=ROOT, env=env, check=False)  # reads ./pyproject.toml
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())

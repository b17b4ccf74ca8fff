"""Type-check lint/ and rules/ with mypy ([tool.mypy] in pyproject.toml).

    python scripts/typecheck.py [MYPY OPTIONS]

mypy names a module after its folder and knows nothing of pyproject.toml's
package-dir: it would see `lint` and `rules`, not `iacm_lint` and
`iacm_lint.rules`, and the rules' relative imports (`from ..model...`) would
leave the package. So this runs mypy on a copy of the sources laid out as
the wheel installs them (as scripts/lint_imports.py does for import-linter),
kept under .mypy_cache/ so that mypy's cache stays warm from run to run, and
prints mypy's report with the copy's paths turned back into lint/ and rules/.
Exits with mypy's status.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from lint_imports import ROOT, wheel_layout

LAYOUT = Path(".mypy_cache") / "wheel-layout"  # relative to ROOT: mypy reports paths relative to its cwd


def main(argv: list[str]) -> int:
    layout = ROOT / LAYOUT
    shutil.rmtree(layout, ignore_errors=True)  # a fresh copy: a module deleted from lint/ is gone from it too
    wheel_layout(layout)  # copies keep their times, so mypy's cache still knows the unchanged ones
    package = (LAYOUT / "iacm_lint").as_posix()
    mypy = [sys.executable, "-m", "mypy", "--config-file", "pyproject.toml", *argv, package]
    done = subprocess.run(mypy, cwd=ROOT, capture_output=True, text=True, check=False)
    for stream, text in ((sys.stdout, done.stdout), (sys.stderr, done.stderr)):
        stream.write(text.replace(f"{package}/rules/", "rules/").replace(f"{package}/", "lint/"))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

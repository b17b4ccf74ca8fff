"""Rebase an iacm-lint SARIF file onto a repository root.

iacm-lint names files relative to the scan root (the common parent of the
scanned paths), with `uriBaseId: "%SRCROOT%"` and the scan root's `file://`
URI in `originalUriBaseIds`. GitHub code scanning reads a relative URI as
relative to the repository root, so a scan of `infra/` would file its alerts
under `envs/prod/main.tf` instead of `infra/envs/prod/main.tf`. This script
prefixes every `%SRCROOT%` location with the scan root's path below the
repository root and points `%SRCROOT%` at the repository root. A scan of the
repository root itself is left unchanged, and so is a scan root outside it.

    python scripts/sarif_rebase.py iacm-lint.sarif "$GITHUB_WORKSPACE"

The composite action (action.yml) runs it after `iacm-lint check`. Standard
library only: it runs with the interpreter iacm-lint is installed in.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Optional
from urllib.parse import quote, unquote, urlparse
from urllib.request import pathname2url, url2pathname

SRCROOT = "%SRCROOT%"


def directory_uri(path: str) -> str:
    """`file://` URI of a directory, ending in `/` (as iacm-lint writes it)."""
    uri = "file://" + pathname2url(os.path.abspath(path))
    return uri if uri.endswith("/") else uri + "/"


def uri_path(uri: str) -> Optional[str]:
    """Local path of a `file:` URI, None for anything else."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return url2pathname(unquote(parsed.path))


def _prefix_locations(node: Any, prefix: str) -> int:
    """Prefix the `uri` of every artifact location based on %SRCROOT%; the
    number changed. `originalUriBaseIds` is skipped by the caller."""
    changed = 0
    if isinstance(node, dict):
        if node.get("uriBaseId") == SRCROOT and isinstance(node.get("uri"), str):
            node["uri"] = prefix + node["uri"]
            changed += 1
        for key, value in node.items():
            if key != "originalUriBaseIds":
                changed += _prefix_locations(value, prefix)
    elif isinstance(node, list):
        for item in node:
            changed += _prefix_locations(item, prefix)
    return changed


def rebase(log: dict, repository_root: str) -> tuple[int, Optional[str]]:
    """Rebase `log` in place; (locations changed, scan root relative to the
    repository root, or None when nothing was rebased)."""
    root = os.path.realpath(repository_root)
    total, moved = 0, None
    for run in log.get("runs", []):
        bases = run.get("originalUriBaseIds") or {}
        base = bases.get(SRCROOT) or {}
        scan_root = uri_path(base.get("uri", ""))
        if scan_root is None:
            continue
        relative = os.path.relpath(os.path.realpath(scan_root), root)
        if relative == "." or relative == os.pardir or relative.startswith(os.pardir + os.sep):
            continue  # already the repository root, or outside it: nothing sensible to do
        prefix = quote(relative.replace(os.sep, "/"), safe="/") + "/"
        total += _prefix_locations({key: value for key, value in run.items() if key != "originalUriBaseIds"}, prefix)
        base["uri"] = directory_uri(root)
        moved = relative.replace(os.sep, "/")
    return total, moved


def main(argv: Optional[list[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: sarif_rebase.py SARIF_FILE REPOSITORY_ROOT", file=sys.stderr)
        return 2
    sarif_file, repository_root = args
    try:
        with open(sarif_file, encoding="utf-8") as handle:
            log = json.load(handle)
    except (OSError, ValueError) as exc:
        print(f"sarif_rebase: cannot read {sarif_file}: {exc}", file=sys.stderr)
        return 2
    changed, moved = rebase(log, repository_root)
    if moved is None:
        return 0
    with open(sarif_file, "w", encoding="utf-8") as handle:
        json.dump(log, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    print(f"sarif_rebase: {changed} location(s) in {sarif_file} now relative to the repository root "
          f"(scan root {moved}/)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Generated directory trees (issue 25): odd shapes and odd names never make
the scan raise, every file written is accounted for by the walk, and every
output format renders to valid UTF-8 — in a plain directory and in git.

Names carry newlines, control characters, terminal escapes, bidi marks,
glob characters, GitHub workflow-command text, bytes that are not UTF-8 and
up to 255 bytes; trees are up to 300 levels deep and hold symbolic links
(loops, dangling, leaving the tree)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from hypothesis import HealthCheck, given, settings, strategies as st

from gitrepo import isolate_git
from iacm_lint.engine import run
from iacm_lint.options import Options
from iacm_lint.report import FORMATS, render
from iacm_lint.scan.discover import discover_scan
from iacm_lint.scan.names import text_name

GOOD = b'resource "null_resource" "ok" {}\n'

_PIECES = [b"a", b"main", b" ", b"\n", b"\t", b"\r", b"\x01", b"\x1b[31m", b"\x7f", b"::error ", b"%0A",
           b"\xe2\x80\xae", "ü".encode(), b"*", b"[a]", b"\\", b"#", b"!", b"\xff", b"\xfe\xfd", b"\xc3", b"-", b"..",
           b"~"]
_SUFFIXES = [b".tf", b".tfvars", b".tf.json", b".yaml", b".tfstate", b".txt", b""]

component = st.builds(
    lambda pieces, suffix, long: (b"".join(pieces) or b"x")[: 255 - len(suffix)] + suffix if not long else
    (b"L" * 250 + suffix)[:255],
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4), st.sampled_from(_SUFFIXES), st.booleans())
directory = st.lists(st.sampled_from([b"d", b"\xff", b"x\ny", b"mod"]), max_size=3)
entry = st.tuples(directory, component,
                  st.sampled_from(["file", "empty", "link-up", "link-self", "link-out", "dangling"]))


def _build(root: bytes, entries, depth: int) -> set[bytes]:
    """Write the tree; the relative paths of the regular files written."""
    written: set[bytes] = set()
    chain = b"/".join([b"n"] * depth)
    for parts, name, kind in entries:
        parent = b"/".join([*parts]) if parts else b""
        if depth and not parts:
            parent = chain
        relative = (parent + b"/" + name) if parent else name
        if name in (b".", b"..") or any(p == name for p in parts) or relative in written:
            continue
        path = os.path.join(root, relative)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if kind in ("file", "empty"):
                if os.path.lexists(path):
                    continue
                with open(path, "wb") as handle:
                    handle.write(GOOD if kind == "file" else b"")
                written.add(relative)
            elif not os.path.lexists(path):
                target = {"link-up": b"..", "link-self": name, "link-out": b"/", "dangling": b"nowhere"}[kind]
                os.symlink(target, path)
        except (IsADirectoryError, NotADirectoryError, FileExistsError):
            continue
    return written


@settings(max_examples=100 if os.environ.get("CI") else 25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(entry, min_size=1, max_size=8), st.integers(0, 300), st.booleans())
def test_generated_trees_scan_without_raising_and_account_for_every_file(monkeypatch, entries, depth, in_git):
    top = tempfile.mkdtemp(prefix="iacm-tree-")
    isolate_git(monkeypatch, __import__("pathlib").Path(top) / "home")
    root = os.path.join(top, "repo")
    os.mkdir(root)
    try:
        written = _build(os.fsencode(root), entries, depth)
        if in_git:
            for command in (["init", "-q"], ["add", "-A"]):
                subprocess.run(["git", *command], cwd=root, capture_output=True, check=False)
        options = Options(cache=False, jobs=1)
        walked = discover_scan([root], options).walked
        accounted = ({rel for _, rel, _ in walked.files} | {rel for rel, _ in walked.unreadable}
                     | {rel for rel, _ in walked.skipped})
        for relative in written:
            assert text_name(os.fsdecode(relative)) in accounted, relative
        result = run([root], options)
        assert result.internal_errors == []
        stats = result.stats
        assert stats["discovered"] == (stats["checked"] + stats["unparsable"] + stats["unreadable"]
                                       + sum(stats["skipped"].values()))
        for format_name in FORMATS:
            render(format_name, result).encode("utf-8")  # a lone surrogate would raise here
    finally:
        shutil.rmtree(top, ignore_errors=True)


# ---- ignore patterns: the linear-time matcher answers as git does -------------------------

_GLOB_PIECES = ["a", "b", ".", "*", "**", "?", "/", "[ab]", "[!a]", "[a-c]", "[[:alpha:]]", "[]a]", "\\*", "\\ ", " ",
                "!", "#", "/**/", "***", "["]
_PATH_CHARS = "ab.* -]!#[\\"


@settings(max_examples=60 if os.environ.get("CI") else 20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(_GLOB_PIECES), min_size=1, max_size=6).map("".join), min_size=1, max_size=3),
       st.lists(st.tuples(st.lists(st.text(_PATH_CHARS, min_size=1, max_size=3), min_size=1, max_size=3),
                          st.booleans()), min_size=1, max_size=20))
def test_generated_ignore_patterns_match_what_git_check_ignore_says(monkeypatch, lines, probes):
    from iacm_lint.knowledge.globs import PatternList

    top = tempfile.mkdtemp(prefix="iacm-globs-")
    isolate_git(monkeypatch, __import__("pathlib").Path(top) / "home")
    try:
        subprocess.run(["git", "init", "-q", top], check=True)
        with open(os.path.join(top, ".gitignore"), "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        asked: dict[str, bool] = {}
        for parts, is_dir in probes:
            if any(set(part) <= {"."} for part in parts):
                continue  # `.` and `..` are not names git would ask about
            path = "/".join(parts)
            if is_dir:
                try:
                    os.makedirs(os.path.join(top, path), exist_ok=True)
                except OSError:  # a probe made it a file's place, or the other way round
                    continue
            asked[path] = False
        if not asked:
            return
        asked = {path: os.path.isdir(os.path.join(top, path)) for path in asked}  # after every directory is made
        completed = subprocess.run(
            ["git", "-c", "core.excludesFile=/dev/null", "check-ignore", "--no-index", "--stdin", "-z"], cwd=top,
            input="\0".join(asked) + "\0", capture_output=True, text=True, check=False)
        assert completed.returncode in (0, 1), completed.stderr
        by_git = {path for path in completed.stdout.split("\0") if path}
        rules = PatternList(lines)
        assert {path for path, is_dir in asked.items() if rules.excludes(path, is_dir)} == by_git
    finally:
        shutil.rmtree(top, ignore_errors=True)

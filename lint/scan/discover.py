"""Discovery: walk the scanned paths, classify files, learn what git tracks
(`discover_scan`: the walk, git's view and the cache directory, all a
result-cache lookup needs), and group module files into modules and root
modules.

Parsing itself is delegated (`parse_file`), so a process pool or a cache can
sit between discovery and the model without this module knowing.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Optional

from ..cachedir import user_cache
from ..knowledge.terragrunt import CACHE_DIR, STACK_DIR, UNIT_JSON_FILE, is_candidate_name
from ..model.syntax import (
    MODULE_KINDS,
    OTHER,
    TERRAGRUNT,
    TERRAGRUNT_JSON,
    TF,
    TF_JSON,
    TFBACKEND,
    TFVARS,
    TFVARS_JSON,
    YAML,
    Module,
    ParseError,
    Repo,
    RootModule,
    SourceFile,
    Span,
    called_modules,
)
from ..options import Options
from .gitinfo import git_view
from .names import is_text, text_name

# Not walked: tool directories and Terragrunt's scratch copies (TG-1.1); hygiene
# rules still judge what git tracks inside them.
SKIP_DIRS = frozenset({".terraform", ".git", CACHE_DIR, STACK_DIR})

_SUFFIX_KINDS = (
    (".tofu.json", TF_JSON), (".tf.json", TF_JSON), (".tfvars.json", TFVARS_JSON),
    (".tofu", TF), (".tf", TF), (".tfvars", TFVARS), (".tfbackend", TFBACKEND),
    (".yaml", YAML), (".yml", YAML),
)

PARSED_KINDS = frozenset({TF, TF_JSON, TFVARS, TFVARS_JSON, TFBACKEND, TERRAGRUNT, TERRAGRUNT_JSON})


def classify(name: str) -> str:
    """File kind by name. Terraform skips hidden and editor backup files
    (`.x.tf`, `#x.tf#`, `x.tf~`), so they are not module files. `*.hcl`
    files are Terragrunt candidates: the scan stage keeps those that are
    Terragrunt configuration (scan/terragrunt.py)."""
    if is_candidate_name(name):
        return TERRAGRUNT_JSON if name == UNIT_JSON_FILE else TERRAGRUNT
    for suffix, kind in _SUFFIX_KINDS:
        if name.endswith(suffix) and len(name) > len(suffix):
            if kind != YAML and name.startswith((".", "#")):
                return OTHER
            return kind
    return OTHER


@dataclass
class Walk:
    """What the file-system walk found, before parsing."""

    root: str  # absolute, real path of the scan root
    files: list[tuple[str, str, str]] = field(default_factory=list)  # (abs path, rel path, kind)
    unreadable: list[tuple[str, ParseError]] = field(default_factory=list)  # (rel path, why)
    notes: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (rel path, reason): not read at all
    excluded: list[str] = field(default_factory=list)  # rel paths (files or directories) the config's exclude dropped
    # (rel path, size, mtime ns, ctime ns, inode) per file, for the result cache
    signatures: list[tuple] = field(default_factory=list)


def scan_root(paths: Iterable[str]) -> str:
    """The directory all output paths are relative to: the common parent
    of the given paths (a file's own directory for a single file)."""
    absolute = [os.path.realpath(p) for p in paths]
    dirs = [p if os.path.isdir(p) else os.path.dirname(p) for p in absolute]
    return os.path.commonpath(dirs) if dirs else os.path.realpath(".")


def walk(paths: list[str], root: str, exclude: Optional[Callable[[str], bool]] = None) -> Walk:
    """Every file under `paths`, skipping tool directories, symlink loops and
    links that leave the scan root. `exclude(rel_path) -> bool` drops files
    and directories named by the config's `exclude` globs.

    The walk keeps its own stack (a tree 1,000 levels deep is no deeper for
    it than a flat one) and knows directories by device and inode, so a
    symbolic link back up the tree is a loop, not an endless descent.

    A path that is not valid UTF-8 (git stores any bytes) is shown with its
    bad bytes as `\\xNN` (lint/scan/names.py), and such a file is not read: an
    IaC file gets IACM000 "file name is not valid UTF-8", any other file a
    `--verbose` note.
    """
    result = Walk(root)
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[str] = set()

    def rel(abs_path: str) -> str:
        relative = os.path.relpath(abs_path, root)
        return "." if relative == "." else text_name(relative.replace(os.sep, "/"))

    def add_file(abs_path: str, rel_path: str, name: str, text_path: bool) -> None:
        if rel_path in seen_files:
            return
        seen_files.add(rel_path)
        kind = classify(name)
        is_iac = kind in PARSED_KINDS or kind == YAML
        if not text_path:
            if is_iac:
                result.unreadable.append((rel_path, ParseError("file name is not valid UTF-8; the file was not checked",
                                                               Span.file_start(rel_path))))
            else:
                result.notes.append(f"skipped {rel_path}: its name is not valid UTF-8")
                result.skipped.append((rel_path, "name not valid UTF-8"))
            return
        try:
            info = os.stat(abs_path)
        except FileNotFoundError:
            if kind in MODULE_KINDS:  # Terraform fails on a dangling module file link
                result.unreadable.append((rel_path, ParseError("broken symbolic link", Span.file_start(rel_path))))
            else:
                result.notes.append(f"skipped broken symbolic link {rel_path}")
                result.skipped.append((rel_path, "broken symbolic link"))
            return
        except OSError as exc:
            if is_iac:
                error = ParseError(f"cannot read file: {exc.strerror}", Span.file_start(rel_path))
                result.unreadable.append((rel_path, error))
            else:  # not an IaC file (a link loop named `self`): nothing was to be checked in it
                result.notes.append(f"skipped {rel_path}: {exc.strerror}")
                reason = "symbolic link loop" if exc.errno == errno.ELOOP else "cannot be examined"
                result.skipped.append((rel_path, reason))
            return
        if not stat.S_ISREG(info.st_mode):
            if is_iac:
                error = ParseError("not a regular file (device, FIFO or socket)", Span.file_start(rel_path))
                result.unreadable.append((rel_path, error))
            else:
                result.skipped.append((rel_path, "not a regular file"))
            return
        result.files.append((abs_path, rel_path, kind))
        result.signatures.append((rel_path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))

    def enter(directory: str, directory_rel: str, via_link: bool) -> Optional[list]:
        """The sorted entries of a directory not walked yet, or None."""
        try:
            info = os.stat(directory)
        except OSError as exc:
            result.notes.append(f"skipped {directory_rel}: {exc.strerror}")
            result.skipped.append((directory_rel, "directory could not be listed"))
            return None
        identity = (info.st_dev, info.st_ino)
        if identity in seen_dirs:
            if via_link:  # a plain directory seen again was named twice (`check a a/b`): already walked
                result.notes.append(f"skipped symbolic link loop at {directory_rel}")
                result.skipped.append((directory_rel, "symbolic link loop"))
            return None
        seen_dirs.add(identity)
        try:
            return sorted(os.scandir(directory), key=lambda e: e.name)
        except PermissionError:
            error = ParseError("cannot read directory: permission denied", Span.file_start(directory_rel))
            result.unreadable.append((directory_rel, error))
        except OSError as exc:
            result.notes.append(f"skipped {directory_rel}: {exc.strerror}")
            result.skipped.append((directory_rel, "directory could not be listed"))
        return None

    def visit(top: str) -> None:
        entries = enter(top, rel(top), False)
        if entries is None:
            return
        top_rel = rel(top)
        stack = [(iter(entries), "" if top_rel == "." else top_rel + "/", is_text(os.path.relpath(top, root)))]
        while stack:
            entry = next(stack[-1][0], None)
            if entry is None:
                stack.pop()
                continue
            _, prefix, text_prefix = stack[-1]
            abs_path = entry.path
            text_path = text_prefix and is_text(entry.name)
            # == rel(abs_path), without a relpath() per entry (that took a third of the walk)
            rel_path = prefix + text_name(entry.name)
            if exclude is not None and exclude(rel_path):
                result.excluded.append(rel_path)
                continue
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir()  # follows links
            except OSError:
                is_link, is_dir = False, False
            if is_link:
                target = os.path.realpath(abs_path)
                if os.path.exists(target) and not _inside(target, root):
                    result.notes.append(f"skipped symbolic link {rel_path}: it points outside the scan root")
                    result.skipped.append((rel_path, "symbolic link outside the scan root"))
                    continue
            if is_dir:
                if entry.name in SKIP_DIRS:
                    continue
                children = enter(abs_path, rel_path, is_link)
                if children is not None:
                    stack.append((iter(children), rel_path + "/", text_path))
            else:
                add_file(abs_path, rel_path, entry.name, text_path)

    for path in paths:
        absolute = os.path.abspath(path)
        if os.path.isdir(absolute):
            visit(absolute)
        else:
            relative = os.path.relpath(os.path.realpath(absolute), root)
            add_file(absolute, rel(os.path.realpath(absolute)), os.path.basename(absolute), is_text(relative))
    return result


@dataclass
class Discovered:
    """What discovery found before anything is parsed: the walk and git's view."""

    root: str  # absolute scan root
    walked: Walk
    git: Any  # gitinfo.GitView, or None outside git
    notes: list[str]
    started_ns: int  # wall clock before the walk (the result cache's racy-file guard)
    cache_home: Any = None  # cachedir.UserCache: the caches' directory for this scan; None: --no-cache or none usable


def discover_scan(paths: list[str], options: Options) -> Discovered:
    started_ns = time.time_ns()
    root = scan_root(paths)
    walked = walk(paths, root, options.exclude)
    notes = list(walked.notes)
    home = None
    if options.cache:
        home = user_cache(root, notes)  # never a directory inside the scanned tree (issue 25)
    return Discovered(root, walked, git_view(root, notes), notes, started_ns, home)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def build_modules(repo: Repo, roots: Optional[list[str]] = None) -> None:
    """Group parsed files into modules (one directory = one module), attach
    tfvars/tfbackend files, and find root modules (explicit `roots` replace
    auto-detection)."""
    by_dir: dict[str, dict[str, list]] = {}
    for hcl_file in sorted(repo.hcl_files, key=lambda f: f.path):
        if _is_ignored(repo, hcl_file.path):
            continue
        slot = by_dir.setdefault(hcl_file.directory, {"files": [], "tfvars": [], "tfbackends": []})
        if hcl_file.kind in MODULE_KINDS:
            slot["files"].append(hcl_file)
        elif hcl_file.kind in (TFVARS, TFVARS_JSON):
            slot["tfvars"].append(hcl_file)
        elif hcl_file.kind == TFBACKEND:
            slot["tfbackends"].append(hcl_file)
    _adopt_tfbackends(by_dir)
    repo.modules = {
        directory: Module(directory, tuple(slot["files"]), tuple(slot["tfvars"]), tuple(slot["tfbackends"]))
        for directory, slot in sorted(by_dir.items()) if slot["files"]
    }
    if roots is not None:
        root_dirs = [d for d in (_normal(r) for r in roots) if d in repo.modules]
    else:
        called = {target for module in repo.modules.values() for _, target in module.local_sources()
                  if target != module.directory}
        root_dirs = [d for d, m in repo.modules.items() if d not in called and m.declares_anything]
    repo.roots = [RootModule(repo.modules[d], called_modules(repo.modules, [repo.modules[d]]))
                  for d in sorted(root_dirs)]


def _adopt_tfbackends(by_dir: dict[str, dict[str, list]]) -> None:
    """`.tfbackend` files in a directory without module files (`envs/dev.tfbackend`,
    `backend-config/prod.azurerm.tfbackend`) belong to the nearest enclosing
    module directory: they are that root's `-backend-config` files."""
    for directory, slot in sorted(by_dir.items()):
        if slot["files"] or not slot["tfbackends"]:
            continue
        parent = directory
        while parent != ".":
            parent = parent.rsplit("/", 1)[0] if "/" in parent else "."
            owner = by_dir.get(parent)
            if owner is not None and owner["files"]:
                owner["tfbackends"] = sorted(owner["tfbackends"] + slot["tfbackends"], key=lambda f: f.path)
                break


def _normal(directory: str) -> str:
    cleaned = directory.replace(os.sep, "/").strip("/")
    while cleaned.startswith("./"):
        cleaned = cleaned[2:]
    return cleaned or "."


def _is_ignored(repo: Repo, path: str) -> bool:
    return path in repo.ignored_paths


def source_files(walked: Walk, is_tracked: Callable[[str], Optional[bool]],
                 ignored: frozenset[str]) -> list[SourceFile]:
    """`is_tracked(rel)` is True/False inside a git repository, None outside."""
    return [SourceFile(rel, kind, is_tracked(rel), rel in ignored) for _, rel, kind in walked.files]

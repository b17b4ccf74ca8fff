"""Discovery: walk the scanned paths, classify files, learn what git tracks,
and group module files into modules and root modules.

Parsing itself is delegated (`parse_file`), so a process pool or a cache can
sit between discovery and the model without this module knowing.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from .model import (
    MODULE_KINDS, OTHER, TF, TF_JSON, TFBACKEND, TFVARS, TFVARS_JSON, YAML, Module, ParseError, Repo, RootModule,
    SourceFile, Span,
)

SKIP_DIRS = frozenset({".terraform", ".git", ".terragrunt-cache", ".iacm-lint-cache"})

_SUFFIX_KINDS = (
    (".tofu.json", TF_JSON), (".tf.json", TF_JSON), (".tfvars.json", TFVARS_JSON),
    (".tofu", TF), (".tf", TF), (".tfvars", TFVARS), (".tfbackend", TFBACKEND),
    (".yaml", YAML), (".yml", YAML),
)

PARSED_KINDS = frozenset({TF, TF_JSON, TFVARS, TFVARS_JSON, TFBACKEND})


def classify(name: str) -> str:
    """File kind by name. Terraform skips hidden and editor backup files
    (`.x.tf`, `#x.tf#`, `x.tf~`), so they are not module files."""
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
    signatures: list[tuple] = field(default_factory=list)  # (rel path, size, mtime ns, ctime ns, inode) per file, for the result cache


def scan_root(paths: Iterable[str]) -> str:
    """The directory all output paths are relative to: the common parent
    of the given paths (a file's own directory for a single file)."""
    absolute = [os.path.realpath(p) for p in paths]
    dirs = [p if os.path.isdir(p) else os.path.dirname(p) for p in absolute]
    return os.path.commonpath(dirs) if dirs else os.path.realpath(".")


def walk(paths: list[str], root: str, exclude=None) -> Walk:
    """Every file under `paths`, skipping tool directories, symlink loops and
    links that leave the scan root. `exclude(rel_path) -> bool` drops files
    and directories named by the config's `exclude` globs."""
    result = Walk(root)
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()

    def rel(abs_path: str) -> str:
        relative = os.path.relpath(abs_path, root)
        return "." if relative == "." else relative.replace(os.sep, "/")

    def add_file(abs_path: str, rel_path: str, name: str) -> None:
        if rel_path in seen_files:
            return
        seen_files.add(rel_path)
        kind = classify(name)
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
            result.unreadable.append((rel_path, ParseError(f"cannot read file: {exc.strerror}", Span.file_start(rel_path))))
            return
        if not stat.S_ISREG(info.st_mode):
            if kind in PARSED_KINDS or kind == YAML:
                result.unreadable.append((rel_path, ParseError("not a regular file (device, FIFO or socket)", Span.file_start(rel_path))))
            else:
                result.skipped.append((rel_path, "not a regular file"))
            return
        result.files.append((abs_path, rel_path, kind))
        result.signatures.append((rel_path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))

    def visit(directory: str, via_link: bool = False, directory_rel: Optional[str] = None) -> None:
        directory_rel = directory_rel or rel(directory)
        real = os.path.realpath(directory)
        if real in seen_dirs:
            if via_link:  # a plain directory seen again was named twice (`check a a/b`): already walked
                result.notes.append(f"skipped symbolic link loop at {directory_rel}")
                result.skipped.append((directory_rel, "symbolic link loop"))
            return
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except PermissionError:
            result.unreadable.append((directory_rel, ParseError("cannot read directory: permission denied", Span.file_start(directory_rel))))
            return
        except OSError as exc:
            result.notes.append(f"skipped {directory_rel}: {exc.strerror}")
            result.skipped.append((directory_rel, "directory could not be listed"))
            return
        prefix = "" if directory_rel == "." else directory_rel + "/"
        for entry in entries:
            abs_path = entry.path
            rel_path = prefix + entry.name  # == rel(abs_path), without a relpath() per entry (a third of the walk)
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
                visit(abs_path, is_link, rel_path)
            else:
                add_file(abs_path, rel_path, entry.name)

    for path in paths:
        absolute = os.path.abspath(path)
        if os.path.isdir(absolute):
            visit(absolute)
        else:
            add_file(absolute, rel(os.path.realpath(absolute)), os.path.basename(absolute))
    return result


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
    repo.roots = [RootModule(repo.modules[d], _called_modules(repo, repo.modules[d])) for d in sorted(root_dirs)]


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


def _called_modules(repo: Repo, root: Module) -> tuple[Module, ...]:
    order: list[Module] = []
    seen = {root.directory}
    pending = [root]
    while pending:
        module = pending.pop(0)
        for _, target in module.local_sources():
            if target not in seen and target in repo.modules:
                seen.add(target)
                order.append(repo.modules[target])
                pending.append(repo.modules[target])
    return tuple(order)


def _is_ignored(repo: Repo, path: str) -> bool:
    return path in repo.ignored_paths


def source_files(walked: Walk, is_tracked: Callable[[str], Optional[bool]], ignored: frozenset[str]) -> list[SourceFile]:
    """`is_tracked(rel)` is True/False inside a git repository, None outside."""
    return [SourceFile(rel, kind, is_tracked(rel), rel in ignored) for _, rel, kind in walked.files]

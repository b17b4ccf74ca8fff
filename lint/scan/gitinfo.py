"""The git layer: which files a repository tracks, which it ignores.

One `git ls-files` subprocess per repository answers everything discovery
and the hygiene rules (IACM4xx) need:

    git ls-files -z --cached --others --exclude-standard -t --stage

lists the tracked files (tag `H`/`S`/`M`…, with their mode, so submodules
and symlinks are known) and the untracked files that are *not* ignored
(tag `?`). Every other file under the work tree is ignored, so "is this path
git-ignored" needs no second subprocess: a path is ignored when it is
neither tracked nor listed as untracked (and for a directory, when nothing
listed lies under it). Files inside `.terraform/`, which discovery skips,
are in the tracked set too.

Git runs in the scan root, so it lists exactly the files below it, with
paths relative to it and `/` separators (bytes that are not UTF-8 shown as
`\\xNN`, as discovery shows them: lint/scan/names.py). Every call goes through
`gitrun.run_git`, which keeps the repository's configuration from running
anything and never waits on a hung git.

Nested repositories: a registered submodule (a gitlink in the index) is a
repository of its own and gets its own `ls-files` call; its paths are
judged by it. A repository git does not know about (an untracked clone or
an unpacked archive inside the tree) is never run: its `.git/config` is
nobody's to trust. Its files are what the outer git sees, an untracked
directory, so they count as untracked and not ignored (its own `.gitignore`
files do not apply). A scan root outside any repository lists the topmost
repositories below it the same hardened way.

Without git on PATH, outside any repository, or when git fails, hangs or
is blocked (a FIFO named `.gitignore`), `git_view` returns None or leaves
that repository out, with a note for `--verbose`; hygiene rules then judge
files on disk.

`remote_urls` reads the repository's remotes on a git host from its config
file (no subprocess): which repository a Harness workspace targets
(IACM601-604) is decided by them. `display_remote` picks the one a report
names (credentials stripped) and `head_revision` asks git for HEAD's commit
and branch (the readiness report's header; two `git` calls, only when asked).

`GitignoreMatcher` answers a different question for IACM404: do the
repository's `.gitignore` files (nested ones included, but not the
machine-local `.git/info/exclude` or `core.excludesFile`, which do not
travel with the repository) ignore a path that need not exist, such as
`envs/prod/.terraform/`? Patterns are matched by lint/knowledge/globs.py (git's
wildmatch, without backtracking); the layering of nested files follows git
(deeper files first, the last matching pattern of a file decides, nothing
is re-included inside an excluded directory).
"""

from __future__ import annotations

import configparser
import contextlib
import hashlib
import os
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Optional

from ..knowledge.globs import PatternList
from ..parse.textio import read_regular  # never blocks on a FIFO named .gitignore or config
from .gitrun import GitError, run_git
from .names import text_path

_MAX_NESTING = 8
_GITLINK_MODE = "160000"
_SYMLINK_MODE = "120000"
# Directories never searched for nested repositories when the scan root is
# not itself inside one (discovery skips them too).
_UNSEARCHED_DIRS = frozenset({".git", ".terraform", "node_modules"})

def find_toplevel(path: str) -> Optional[str]:
    """The nearest directory at or above `path` holding a `.git` entry (a
    directory, or a file for submodules and worktrees), without running
    git. None when there is none."""
    current = os.path.abspath(path)
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def repository_prefix(path: str) -> str:
    """`path`'s directory below the top of its git work tree, with a
    trailing "/" ("" at the top, or outside any work tree): what turns a
    path relative to `path` into one relative to the repository."""
    top = find_toplevel(path)
    relative = os.path.relpath(path, top).replace(os.sep, "/") if top is not None else "."
    return "" if relative == "." else relative + "/"


def git_dir(toplevel: str) -> Optional[str]:
    """The git directory of the work tree at `toplevel`: `.git` itself, or
    where a `.git` file (`gitdir: …`, submodules and worktrees) points, and
    for a worktree its common directory, which holds the config. None for a
    `.git` that is a symbolic link (never followed) or cannot be read."""
    dot_git = os.path.join(toplevel, ".git")
    if os.path.islink(dot_git):
        return None
    if os.path.isdir(dot_git):
        return dot_git
    first = read_git_file(dot_git).partition("\n")[0].strip()
    if not first.startswith("gitdir:"):
        return None
    directory = os.path.normpath(os.path.join(toplevel, first[len("gitdir:"):].strip()))
    common = read_git_file(os.path.join(directory, "commondir")).strip()
    return os.path.normpath(os.path.join(directory, common)) if common else directory


def read_git_file(path: str) -> str:
    """The start (64 KiB) of a small git file (`.git`, `commondir`, `config`);
    "" when it is missing, not a regular file (a FIFO would block) or unreadable."""
    try:
        return read_regular(path, 64 * 1024).decode("utf-8", "replace")
    except OSError:
        return ""


def remote_urls(toplevel: Optional[str]) -> tuple[str, ...]:
    """The `url` of every `[remote "…"]` on a git host in the repository's
    git config, read from the file (no git subprocess)."""
    return tuple(url for _, url in _hosted_remotes(toplevel))


def _hosted_remotes(toplevel: Optional[str]) -> list[tuple[str, str]]:
    """(name, url) of every remote on a git host, in the config file's order."""
    if toplevel is None:
        return []
    directory = git_dir(toplevel)
    if directory is None:
        return []
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    try:
        parser.read_string(read_git_file(os.path.join(directory, "config")))
    except configparser.Error:
        return []
    remotes = []
    for section in parser.sections():
        if section.lower().startswith("remote ") and parser.has_option(section, "url"):
            url = _config_value(parser.get(section, "url"))
            if _is_hosted(url):
                remotes.append((section[len("remote "):].strip().strip('"'), url))
    return remotes


def _config_value(raw: str) -> str:
    """A git config value as git reads it: `"…"` quoting removed, backslash
    escapes decoded, an unquoted `#` or `;` starting a comment (git writes a
    URL holding `#` in quotes)."""
    out: list[str] = []
    quoted = False
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == "\\" and index + 1 < len(raw):
            out.append({"n": "\n", "t": "\t", "b": "\b"}.get(raw[index + 1], raw[index + 1]))
            index += 2
            continue
        if char == '"':
            quoted = not quoted
        elif char in "#;" and not quoted:
            break
        else:
            out.append(char)
        index += 1
    return "".join(out).strip()


def display_remote(toplevel: Optional[str]) -> str:
    """The repository's remote for a report header: `origin` when it is on a
    git host, else the first remote that is; without credentials
    (`without_credentials`). "" when there is none."""
    remotes = _hosted_remotes(toplevel)
    chosen = next((url for name, url in remotes if name == "origin"), remotes[0][1] if remotes else "")
    return without_credentials(chosen)


def without_credentials(url: str) -> str:
    """A remote URL with no user information, query or fragment: a token in
    `https://TOKEN@host/…`, `https://user:password@host/…` or `…?private_token=…`
    never reaches a report. The scp-like form loses its `user@` too
    (`git@github.com:org/repo.git` -> `github.com:org/repo.git`)."""
    if "://" in url:
        scheme, _, rest = url.partition("://")
        authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
        path = re.split(r"[?#]", rest[len(authority):], maxsplit=1)[0]
        return f"{scheme}://{authority.rpartition('@')[2]}{path}"
    head, slash, path = url.partition("/")
    return head.rpartition("@")[2] + slash + path


def head_revision(toplevel: Optional[str], notes: Optional[list[str]] = None) -> tuple[str, str]:
    """HEAD's commit (the full hexadecimal object name) and branch (its short
    name, "" when HEAD is detached), asked of git through the hardened
    runner (`gitrun.run_git`: the repository's config runs nothing). ("", "")
    outside git; a part git cannot tell (no commit yet, git failed) is "",
    with a note for `--verbose`."""
    if toplevel is None:
        return "", ""
    commit = branch = ""
    try:
        commit = run_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], work_tree=toplevel).decode(
            "ascii", "replace").strip()
        if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit):
            commit = ""
    except GitError as error:
        if notes is not None:
            notes.append(f"git: no commit at HEAD in {toplevel} ({error})")
    with contextlib.suppress(GitError):  # a detached HEAD (CI checks out commits): no branch, not an error
        branch = text_path(run_git(["symbolic-ref", "--short", "--quiet", "HEAD"], work_tree=toplevel).strip())
    return commit, branch


def _is_hosted(url: str) -> bool:
    """A remote on a git host (https/ssh URL or scp-like `host:path`), not a
    local clone (`/srv/repo`, `../repo`, `file://…`): a local path says
    nothing about the repository name Harness knows, so it is no evidence."""
    if "://" in url:
        return not url.lower().startswith("file://")
    head, colon, _ = url.partition(":")
    return bool(colon) and "/" not in head and len(head) > 1  # `C:\repo` is a drive letter


@dataclass(frozen=True)
class GitRepository:
    """One repository's listing. Paths are relative to the scan root."""

    toplevel: str  # absolute work tree root (may lie above the scan root)
    prefix: str  # its directory relative to the scan root, "." when it contains the scan root
    tracked: frozenset[str]  # tracked files (not gitlinks)
    untracked: frozenset[str]  # untracked files git does not ignore
    symlinks: frozenset[str] = frozenset()  # tracked symbolic links
    nested: tuple[str, ...] = ()  # submodules and untracked nested repositories (scan-root relative dirs)
    submodules: tuple[str, ...] = ()  # the registered ones (gitlinks in the index): listed by their own git
    listed_dirs: frozenset[str] = frozenset()  # every directory holding a listed path
    listing_digest: str = ""  # BLAKE2b of git's raw output: equal digests, equal answers (the result cache's key)

    def contains(self, path: str) -> bool:
        return self.prefix == "." or path == self.prefix or path.startswith(self.prefix + "/")


def _join(prefix: str, path: str) -> str:
    return path if prefix == "." else f"{prefix}/{path}"


def _parent_dirs(path: str) -> Iterable[str]:
    while "/" in path:
        path = path.rsplit("/", 1)[0]
        yield path


def list_repository(directory: str, scan_root: str) -> GitRepository:
    """Run the one `git ls-files` for the repository whose work tree holds
    `directory`, restricted to `directory`. Raises GitError."""
    toplevel = find_toplevel(directory) or directory
    output = run_git(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "-t", "--stage"],
                     work_tree=toplevel, cwd=directory)
    relative = os.path.relpath(directory, scan_root).replace(os.sep, "/")
    prefix = "." if relative in (".", "") else relative
    tracked, untracked, symlinks, nested, submodules = set(), set(), set(), [], []
    for entry in output.split(b"\0"):
        if len(entry) < 3:
            continue
        tag, rest = entry[:1], entry[2:]
        if tag == b"?":
            path = text_path(rest)
            if path.endswith("/"):  # an untracked nested repository
                nested.append(_join(prefix, path.rstrip("/")))
            else:
                untracked.add(_join(prefix, path))
            continue
        meta, _, raw_path = rest.partition(b"\t")
        path = _join(prefix, text_path(raw_path))
        mode = meta.split(b" ", 1)[0].decode("ascii", "replace")
        if mode == _GITLINK_MODE:
            nested.append(path)
            submodules.append(path)
        else:
            tracked.add(path)
            if mode == _SYMLINK_MODE:
                symlinks.add(path)
    listed_dirs = {d for p in (*tracked, *untracked, *nested) for d in _parent_dirs(p)}
    listed_dirs.update(nested)
    return GitRepository(
        toplevel=toplevel, prefix=prefix, tracked=frozenset(tracked),
        untracked=frozenset(untracked), symlinks=frozenset(symlinks), nested=tuple(sorted(set(nested))),
        submodules=tuple(sorted(set(submodules))), listed_dirs=frozenset(listed_dirs),
        listing_digest=hashlib.blake2b(output, digest_size=16).hexdigest(),
    )


@dataclass
class GitView:
    """What git says about the files below one scan root."""

    scan_root: str  # absolute
    repositories: tuple[GitRepository, ...]  # outermost first
    notes: list[str] = field(default_factory=list)

    @property
    def toplevel(self) -> Optional[str]:
        """The work tree root of the repository holding the scan root, or
        None when only repositories below the scan root were found."""
        first = self.repositories[0] if self.repositories else None
        return first.toplevel if first is not None and first.prefix == "." else None

    @property
    def tracked(self) -> frozenset[str]:
        """Every tracked file below the scan root, `.terraform/` included."""
        return self._tracked

    @property
    def untracked(self) -> frozenset[str]:
        """Untracked files that git does not ignore."""
        return self._untracked

    def __post_init__(self) -> None:
        if len(self.repositories) == 1:
            self._tracked = self.repositories[0].tracked
            self._untracked = self.repositories[0].untracked
        else:
            self._tracked = frozenset().union(*(r.tracked for r in self.repositories))
            self._untracked = frozenset().union(*(r.untracked for r in self.repositories))

    def repository_for(self, path: str) -> Optional[GitRepository]:
        """The innermost repository whose work tree holds `path`."""
        best, best_depth = None, -1
        for repository in self.repositories:
            if repository.contains(path):
                depth = 0 if repository.prefix == "." else repository.prefix.count("/") + 1
                if depth > best_depth:
                    best, best_depth = repository, depth
        return best

    def in_git(self, path: str) -> bool:
        return self.repository_for(path) is not None

    def is_tracked(self, path: str) -> Optional[bool]:
        """True/False inside a repository, None outside every repository."""
        path = self._resolve(path)
        repository = self.repository_for(path)
        if repository is None:
            return None
        return path in repository.tracked

    def is_ignored(self, paths: Iterable[str]) -> set[str]:
        """The given scan-root relative paths (files or directories) that git
        ignores. Tracked paths and paths outside any repository are never
        ignored; a directory is ignored when nothing tracked or untracked
        lies below it. No subprocess: the listing already decided."""
        ignored = set()
        for original in paths:
            path = original.rstrip("/")
            if path in ("", "."):
                continue
            if self._ignored(self._resolve(path)):
                ignored.add(original)
        return ignored

    def _ignored(self, path: str) -> bool:
        repository = self.repository_for(path)
        if repository is None or path in repository.tracked or path in repository.untracked:
            return False
        if path in repository.listed_dirs:
            return False
        # inside an untracked nested repository we could not list: not ours to judge
        return not any(d in repository.nested for d in _parent_dirs(path))

    def _resolve(self, path: str) -> str:
        """Map a path reached through a symlinked directory to the path git
        lists (links inside the scan root are followed, as discovery does)."""
        if self._listed(path):
            return path
        for directory in _parent_dirs(path):
            absolute = os.path.join(self.scan_root, directory)
            if os.path.islink(absolute):
                real = os.path.realpath(os.path.join(self.scan_root, path))
                relative = os.path.relpath(real, os.path.realpath(self.scan_root)).replace(os.sep, "/")
                if relative.startswith("../") or relative == "..":
                    return path
                return relative
        return path

    def _listed(self, path: str) -> bool:
        return path in self._tracked or path in self._untracked or any(
            path in r.listed_dirs for r in self.repositories)


def _find_repositories_below(scan_root: str) -> list[str]:
    """Work trees below a scan root that is not itself in a repository: the
    top-most directories holding a `.git` entry (their own nested ones are
    found from their listings)."""
    found = []
    stack = [scan_root]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        if any(e.name == ".git" for e in entries):
            found.append(current)
            continue
        for entry in entries:
            try:
                if entry.name not in _UNSEARCHED_DIRS and entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
            except OSError:
                continue
    return sorted(found)


def git_view(scan_root: str, notes: Optional[list[str]] = None) -> Optional[GitView]:
    """List the repository holding `scan_root` (and nested repositories),
    one `git ls-files` per repository. Returns None, with a note appended to
    `notes`, when git is missing, the scan root is in no repository, or git
    fails; hygiene rules then judge the files on disk."""
    notes = notes if notes is not None else []
    scan_root = os.path.abspath(scan_root)
    if not os.path.isdir(scan_root):
        notes.append(f"git: {scan_root} is not a directory; git tracking not checked")
        return None
    if shutil.which("git") is None:
        notes.append("git: not installed (not on PATH); files are judged as they are on disk, "
                     "tracked and ignored status unknown")
        return None
    toplevel = find_toplevel(scan_root)
    starts = [scan_root] if toplevel is not None else _find_repositories_below(scan_root)
    if not starts:
        notes.append(f"git: {scan_root} is not in a git repository; files are judged as they are on disk")
        return None
    repositories: list[GitRepository] = []
    pending = [(directory, 0) for directory in starts]
    while pending:
        directory, depth = pending.pop(0)
        try:
            repository = list_repository(directory, scan_root)
        except GitError as error:
            notes.append(f"git: could not list {directory}: {error}; its files are judged as they are on disk")
            continue
        repositories.append(repository)
        for unknown in sorted(set(repository.nested) - set(repository.submodules)):
            notes.append(f"git: {unknown} is a repository that is not a submodule; git is not run in it "
                         "(its configuration is nobody's to trust), its files count as untracked")
        if depth < _MAX_NESTING:
            for nested in repository.submodules:  # never a repository git itself does not know (see above)
                absolute = os.path.join(scan_root, nested)
                if os.path.lexists(os.path.join(absolute, ".git")) and not os.path.islink(absolute):
                    pending.append((absolute, depth + 1))
    if not repositories:
        return None
    view = GitView(scan_root=scan_root, repositories=tuple(repositories), notes=notes)
    calls = len(repositories)
    notes.append(f"git: {calls} repositor{'y' if calls == 1 else 'ies'} listed with one git ls-files each "
                 f"({len(view.tracked)} tracked files)")
    return view


# ---- .gitignore patterns (IACM404) -----------------------------------------


class GitignoreMatcher:
    """Answers whether the `.gitignore` files on disk between `base` (a
    repository's work tree root, or the scan root outside git) and a path
    ignore that path. Paths are relative to `base`; the path need not
    exist. Reads each `.gitignore` once; like git, never through a symbolic
    link (a `.gitignore` link counts as absent), and never a FIFO or device.

    With `texts` (base-relative directory -> the text of its `.gitignore`,
    None for none), as the scan stage read them into the Repo for IACM404
    (scan/hygiene.py), it reads nothing: a directory not in `texts` has none."""

    def __init__(self, base: str, texts: Optional[Mapping[str, Optional[str]]] = None):
        self.base = os.path.abspath(base)
        self._texts = texts
        self._lists: dict[str, Optional[PatternList]] = {}
        self._decisions: dict[tuple[str, bool], bool] = {}  # every probe of every root asks about the same parents

    def _rules(self, directory: str) -> Optional[PatternList]:
        if directory not in self._lists:
            if self._texts is None:
                text = read_ignore_text(os.path.join(self.base, directory, ".gitignore"))
            else:
                text = self._texts.get(directory)
            self._lists[directory] = None if text is None else PatternList(text.removeprefix("\ufeff").split("\n"))
        return self._lists[directory]

    def gitignore_files(self, path: str) -> list[str]:
        """The `.gitignore` files (base-relative) that apply to `path`, top first."""
        directories = [".", *reversed(list(_parent_dirs(path)))]
        return [(".gitignore" if d == "." else f"{d}/.gitignore") for d in directories if self._rules(d)]

    def is_ignored(self, path: str, is_dir: bool = False) -> bool:
        path = path.strip("/")
        parents = list(_parent_dirs(path))
        for parent in reversed(parents):  # top-down: an excluded directory cannot re-include
            if self._decide(parent, True):
                return True
        return self._decide(path, is_dir)

    def _decide(self, path: str, is_dir: bool) -> bool:
        decision = self._decisions.get((path, is_dir))
        if decision is None:
            decision = self._decisions[path, is_dir] = self._match(path, is_dir)
        return decision

    def _match(self, path: str, is_dir: bool) -> bool:
        for directory in [*_parent_dirs(path), "."]:  # deepest .gitignore first
            rules = self._rules(directory)
            if rules is None:
                continue
            relative = path if directory == "." else path[len(directory) + 1:]
            decision = rules.decide(relative, is_dir)
            if decision is None and is_dir:  # `dir/**` ignores all of it (git check-ignore says so of `dir/`)
                decision = rules.decide(relative + "/", is_dir)
            if decision is not None:
                return decision
        return False


MAX_IGNORE_FILE_BYTES = 4 * 1024 * 1024  # far above any real .gitignore; a bigger one is read this far


def read_ignore_text(location: str) -> Optional[str]:
    """The text of one `.gitignore`, or None when it is absent, a symbolic
    link (git does not follow them either), or not a regular file."""
    if os.path.islink(location):
        return None
    try:
        data = read_regular(location, MAX_IGNORE_FILE_BYTES)
    except OSError:
        return None
    return data.decode("utf-8", errors="replace")

"""Applying the rules' fixes: `check --fix`, `--unsafe-fixes` and `--diff`.

`fix_scan(paths, options)` finds what the fixes change, in memory: it
checks the scan, picks the fixes it may apply (safe ones, and unsafe ones
with `unsafe_fixes`; never of a suppressed or baselined finding), applies
those whose edits do not overlap, parses the changed files again and checks
the changed Repo again — up to MAX_PASSES times, as ruff does, so that
overlapping fixes and fixes that depend on another's result apply in later
passes. Nothing is written: `write_fixes` writes the result (`--fix`),
`unified_diff` shows it (`--diff`), from the same passes, so the two agree.

What a fix may touch: a file inside the scan root (no `..`, no link on the
way out of it, not itself a link), not git-ignored, that parsed, read as
UTF-8 text that is still what the parser saw. A fix whose edits would leave
a file that no longer parses is dropped with an internal error (a bug in
the rule's fix, to be reported). A pass whose check shows an error that was
not there before is undone, and the fixes that raised it are held back until
another pass has changed the texts (a note names those still held back at
the end): fixes never make a repository worse, even when the new error only
shows what the old one hid (an unknown command that becomes `apply` in a
stage without `init`). A file that changes on disk between its
reading and the write is left alone with a warning.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from ..findings import Finding
from ..fix import SAFE, Edit, EditError, Fix, apply_edits, conflicts
from ..knowledge.secrets import mask
from ..model.syntax import YAML, HclFile, Repo, YamlFile
from ..options import Options
from ..output import OutputError, write_bytes
from ..parse.file import parse_source
from ..parse.textio import decode_source, read_regular
from ..scan.discover import PARSED_KINDS, classify, discover_scan
from ..scan.gitinfo import GitignoreMatcher
from ..scan.repository import repo_from, with_files
from .check import check_repo
from .context import source_text
from .result import FixCount, Result

MAX_PASSES = 10  # ruff's limit: a fix that keeps producing fixes is a bug, not a reason to loop
BOM = "\ufeff"

Model = Optional[Union[HclFile, YamlFile]]


@dataclass
class FileChange:
    """A file the fixes change: its bytes when first read (None for a file
    they create), and its text now (without the BOM, which `bom` keeps)."""

    path: str
    original: Optional[bytes]
    bom: bool
    text: str

    @property
    def original_text(self) -> str:
        if self.original is None:
            return ""
        text = self.original.decode("utf-8")
        return text[1:] if self.bom else text

    @property
    def changed(self) -> bool:
        return self.text != self.original_text  # no fix creates an empty file

    def new_bytes(self) -> bytes:
        return ((BOM if self.bom else "") + self.text).encode("utf-8")


@dataclass
class FixRun:
    """What the fix passes did: the changed files, the findings they fixed,
    the last (in-memory) check, and what went wrong on the way."""

    root: str
    result: Result
    changes: dict[str, FileChange] = field(default_factory=dict)
    fixed: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # files left alone: changed while being checked
    notes: list[str] = field(default_factory=list)  # fixes not applied: they would raise new errors
    errors: list[str] = field(default_factory=list)  # internal errors: a fix that would break its file
    secrets: set[str] = field(default_factory=set)  # literal secrets met in the files: masked in every diff

    @property
    def changed_files(self) -> list[FileChange]:
        return [self.changes[path] for path in sorted(self.changes) if self.changes[path].changed]

    @property
    def count(self) -> FixCount:
        return FixCount(len(self.fixed), len(self.changed_files))


def fix_scan(paths: list[str], options: Options) -> FixRun:
    """Run the fix passes over `paths` in memory (see the module docstring)."""
    options = dataclasses.replace(options, result_cache=False)  # the passes need the Repo, not a cached answer
    found = discover_scan(paths, options)
    repo = repo_from(found, options)
    state = FixRun(repo.root, check_repo(repo, options))
    guard = _Guard(repo, found.git)
    for _ in range(MAX_PASSES):
        _remember_secrets(state, repo)
        chosen = _choose(state, repo, options, guard)
        if not chosen:
            break
        before = ({path: change.text for path, change in state.changes.items()}, len(state.fixed))
        models = _apply(state, repo, chosen, guard)
        if models is None:
            break
        changed = with_files(repo, models, {path: state.changes[path].text for path in models}, options)
        result = check_repo(changed, options)
        raised = _new_errors(state.result, result)
        if raised:  # undo the pass; its other fixes come again in the next one
            _undo(state, *before)
            _refuse(guard, chosen, _culprits(state, repo, chosen, raised, options), raised)
            continue
        repo, state.result = changed, result
        guard.held_back.clear()  # on the changed texts they may do no harm (the fix that sets up `init` came first)
    _remember_secrets(state, repo)
    state.notes.extend(guard.held_back.values())
    return state


def _error_key(finding: Finding) -> tuple[str, str]:
    """An error whatever line it moved to: IACM101 points at the first
    `terraform` block (a fix may add one in a new file), IACM102 names the
    line of the other backend."""
    return finding.rule_id, _LINE_NUMBER.sub(":", finding.message)


_LINE_NUMBER = re.compile(r":\d+\b")


def _new_errors(before: Result, after: Result) -> list[Finding]:
    known = {_error_key(f) for f in before.findings if f.level == "error"}
    return [f for f in after.findings if f.level == "error" and f.suppressed is None and _error_key(f) not in known]


def _undo(state: FixRun, texts: dict[str, str], fixed: int) -> None:
    for change in state.changes.values():
        change.text = texts.get(change.path, change.original_text)
    del state.fixed[fixed:]


def _culprits(state: FixRun, repo: Repo, chosen: dict[Fix, list[Finding]], raised: list[Finding],
              options: Options) -> list[Fix]:
    """The fixes of an undone pass that raise new errors on their own: of
    those editing a file the new errors are in (else of all), each is tried
    alone; when none does alone, all of them together are the culprits."""
    places = {f.span.path for f in raised}
    suspects = [fix for fix in chosen if places & set(fix.paths)] or list(chosen)
    if len(suspects) == 1:
        return suspects
    found = []
    for fix in suspects:
        texts, broken = _edited(state, repo, [fix])
        if broken:
            continue
        trial = with_files(repo, {path: model for path, (_, model) in texts.items()},
                           {path: text for path, (text, _) in texts.items()}, options)
        if _new_errors(state.result, check_repo(trial, options)):
            found.append(fix)
    return found or suspects[1:]  # only together: one at a time, the first in the next pass


def _refuse(guard: _Guard, chosen: dict[Fix, list[Finding]], culprits: list[Fix], raised: list[Finding]) -> None:
    """Hold back the fixes that raised new errors until a pass changes the
    texts (a fix must not make a repository worse; what is still held back
    at the end stays a finding, its fix for the user to judge)."""
    rules = ", ".join(sorted({f.rule_id for f in raised}))
    for fix in culprits:
        first = chosen[fix][0]
        note = (f"the fix of {first.rule_id} for {first.span.path}:{first.span.line}:{first.span.col} was not "
                f"applied: it would raise new errors ({rules})")
        for finding in chosen[fix]:
            guard.held_back[_finding_key(finding)] = note


def _finding_key(finding: Finding) -> tuple[str, str, str]:
    return finding.rule_id, finding.span.path, finding.message


# ---- choosing the fixes of one pass ------------------------------------------------


def _choose(state: FixRun, repo: Repo, options: Options, guard: _Guard) -> dict[Fix, list[Finding]]:
    """The fixes to apply in this pass (in finding order; identical fixes
    of several findings once), none overlapping another."""
    chosen: dict[Fix, list[Finding]] = {}
    taken: dict[str, list[Edit]] = {}
    for finding in sorted(state.result.findings, key=lambda f: f.sort_key):
        fix = finding.fix
        if fix is None or finding.suppressed is not None or finding.baseline_state == "unchanged":
            continue
        if (fix.applicability != SAFE and not options.unsafe_fixes) or _finding_key(finding) in guard.held_back:
            continue
        if fix in chosen:
            chosen[fix].append(finding)
            continue
        if any(conflicts(edit, other) for edit in fix.edits for other in taken.get(edit.path, ())):
            continue  # the next pass, with positions of the changed text
        if not all(guard.may_edit(path, state, repo) for path in fix.paths):
            continue
        chosen[fix] = [finding]
        for edit in fix.edits:
            taken.setdefault(edit.path, []).append(edit)
    return chosen


# ---- applying them -------------------------------------------------------------------


def _apply(state: FixRun, repo: Repo, chosen: dict[Fix, list[Finding]], guard: _Guard) -> Optional[dict[str, Model]]:
    """Apply the chosen fixes to the texts; the new model of each changed
    file, or None when nothing could be applied. A fix whose file would not
    parse is dropped (an internal error) and the others applied."""
    fixes = list(chosen)
    while fixes:
        texts, broken = _edited(state, repo, fixes)
        if not broken:
            for path, (text, _) in texts.items():
                state.changes[path].text = text
            for fix in fixes:
                state.fixed.extend(chosen[fix])
            return {path: model for path, (_, model) in texts.items()}
        culprits = [fix for fix in fixes if set(fix.paths) & broken and _edited(state, repo, [fix])[1]] or \
                   [fix for fix in fixes if set(fix.paths) & broken]
        for fix in culprits:
            first = chosen[fix][0]
            state.errors.append(f"the fix of {first.rule_id} for {first.span.path}:{first.span.line}:{first.span.col} "
                                f"would leave {', '.join(sorted(set(fix.paths) & broken))} unparsable; it was not "
                                "applied (a bug in iacm-lint: please report it)")
            fixes.remove(fix)
            guard.refuse(fix)
    return None


def _edited(state: FixRun, repo: Repo, fixes: Sequence[Fix]) -> tuple[dict[str, tuple[str, Model]], set[str]]:
    """(path -> (new text, its model)) for the files `fixes` change, and the
    paths that parsed before but would not parse after."""
    edits: dict[str, list[Edit]] = {}
    for fix in fixes:
        for edit in fix.edits:
            edits.setdefault(edit.path, []).append(edit)
    texts: dict[str, tuple[str, Model]] = {}
    broken: set[str] = set()
    for path, path_edits in edits.items():
        change = state.changes[path]
        try:
            text = apply_edits(change.text, path_edits)
        except EditError:
            broken.add(path)
            continue
        model = _parse(path, text)
        if _problems(model) > _problems(_model_of(repo, path)):
            broken.add(path)
        texts[path] = (text, model)
    return texts, broken


def _parsed_kind(path: str) -> Optional[str]:
    kind = classify(path.rsplit("/", 1)[-1])
    return kind if kind in PARSED_KINDS or kind == YAML else None


def _parse(path: str, text: str) -> Model:
    kind = _parsed_kind(path)
    return parse_source(text, None, path, kind) if kind is not None else None


def _model_of(repo: Repo, path: str) -> Model:
    models: list[Union[HclFile, YamlFile]] = [*repo.hcl_files, *repo.yaml_files]
    return next((model for model in models if model.path == path), None)


def _problems(model: Model) -> int:
    """What keeps a file from parsing: its own parse error, and those of
    the pipelines in its heredocs (parsed with it: parse/heredoc.py)."""
    if model is None:
        return 0
    if model.error is not None:
        return 1
    if not isinstance(model, HclFile):
        return 0
    return sum(1 for _, yaml_file in model.heredoc_yaml if yaml_file.error is not None)


# ---- what a fix may touch ------------------------------------------------------------


class _Guard:
    """Which files fixes may edit; reads a file the first time a fix edits it."""

    def __init__(self, repo: Repo, git: Any):
        self.root = repo.root
        self.real_root = os.path.realpath(repo.root)
        self.ignored = repo.ignored_paths
        self.git = git
        self.toplevel = repo.git_toplevel
        models: list[Union[HclFile, YamlFile]] = [*repo.hcl_files, *repo.yaml_files]
        self.models = {model.path: model for model in models}
        self.refused: set[str] = set()  # paths no fix may edit
        self.held_back: dict[tuple[str, str, str], str] = {}  # findings whose fixes raised new errors -> why

    def refuse(self, fix: Fix) -> None:
        self.refused.update(fix.paths)

    def may_edit(self, path: str, state: FixRun, repo: Repo) -> bool:
        """`repo`: the Repo of this pass, whose sources hold the texts the fixes were made for."""
        if path in state.changes:
            return path not in self.refused and self._fresh(path, state)
        if path in self.refused or not self._inside(path) or path in self.ignored:
            return False
        model = self.models.get(path)
        if model is not None and model.error is not None:
            return False
        change = self._read(path, state, repo)
        if change is None:
            self.refused.add(path)
            return False
        state.changes[path] = change
        return True

    @staticmethod
    def _fresh(path: str, state: FixRun) -> bool:
        """A file that is not parsed (a `.gitignore`) is edited in one pass
        only: the rule that fixes it judged the file on disk, so in a later
        pass it still sees the text before the fix and would fix it again."""
        return _parsed_kind(path) is not None or not state.changes[path].changed

    def _inside(self, path: str) -> bool:
        parts = path.split("/")
        if not path or path.startswith("/") or any(part in ("", ".", "..") for part in parts):
            return False
        absolute = os.path.join(self.root, *parts)
        parent = os.path.realpath(os.path.dirname(absolute))
        return parent == self.real_root or parent.startswith(self.real_root.rstrip(os.sep) + os.sep)

    def _read(self, path: str, state: FixRun, repo: Repo) -> Optional[FileChange]:
        """The file as the fixes found it, or None when it may not be edited:
        a link, not a regular file, not UTF-8, git-ignored (a new file),
        or not the text the parser and the rules saw."""
        absolute = os.path.join(self.root, *path.split("/"))
        try:
            info = os.lstat(absolute)
        except FileNotFoundError:
            if self._ignored_if_created(path) or not os.path.isdir(os.path.dirname(absolute)):
                return None
            return FileChange(path, None, False, "")
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        try:
            data = read_regular(absolute)
        except OSError:
            return None
        text, error = decode_source(data, path)
        seen = source_text(repo, path)
        if text is None or error is not None or text != seen:
            state.warnings.append(f"{path} changed while it was being checked; no fix applied to it")
            return None
        model = self.models.get(path)
        if model is not None and _parse(path, text) != model:
            state.warnings.append(f"{path} changed while it was being checked; no fix applied to it")
            return None
        return FileChange(path, data, data.startswith(BOM.encode("utf-8")), text)

    def _ignored_if_created(self, path: str) -> bool:
        if self.toplevel is None:
            return False
        relative = os.path.relpath(os.path.join(self.root, path), self.toplevel).replace(os.sep, "/")
        return GitignoreMatcher(self.toplevel).is_ignored(relative)


def _remember_secrets(state: FixRun, repo: Repo) -> None:
    """The literal secrets the check found (reported or not), as text: a
    diff masks them wherever they appear."""
    result = state.result
    for secret in [*(f.secret for f in result.findings if f.secret is not None), *result.unreported_secrets]:
        text = source_text(repo, secret.span.path)
        if text is None:
            continue
        lines = text.split("\n")
        span = secret.span
        if span.end_line > len(lines):
            continue
        if span.line == span.end_line:
            value = lines[span.line - 1][span.col - 1:span.end_col - 1]
        else:
            value = "\n".join([lines[span.line - 1][span.col - 1:], *lines[span.line:span.end_line - 1],
                               lines[span.end_line - 1][:span.end_col - 1]])
        state.secrets.update(_unquoted(piece.strip()) for piece in value.split("\n") if len(piece.strip()) >= 4)


def _unquoted(text: str) -> str:
    """A string literal's content (the mask then stands between its quotes)."""
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'" else text


# ---- writing ----------------------------------------------------------------------------


def write_fixes(state: FixRun) -> dict[str, str]:
    """Write every changed file atomically (its mode kept, never through a
    link); a file that changed since it was read is left alone. Returns
    the paths not written, with why."""
    warnings: dict[str, str] = {}
    for change in state.changed_files:
        target = os.path.join(state.root, *change.path.split("/"))
        try:
            current: Optional[bytes] = read_regular(target) if os.path.lexists(target) else None
        except OSError:
            current = b""  # unreadable now: not what was read
        if current != change.original:
            warnings[change.path] = f"{change.path} changed on disk while it was being fixed; left alone"
            continue
        try:
            write_bytes(target, change.new_bytes())
        except OutputError as exc:
            warnings[change.path] = f"{change.path} not fixed: {exc}"
    return warnings


# ---- --diff ---------------------------------------------------------------------------------


def unified_diff(state: FixRun, masked: bool = True) -> str:
    """A unified diff of what `write_fixes` would write, `a/PATH` and
    `b/PATH` relative to the scan root (appliable with `git apply` or
    `patch -p1` from there). With `masked`, every literal secret the scan
    found is masked in it: such a hunk no longer applies, and no secret is
    printed."""
    secrets = sorted(state.secrets, key=len, reverse=True) if masked else []
    out: list[str] = []
    for change in state.changed_files:
        old = _lines((BOM if change.bom else "") + change.original_text)
        new = _lines((BOM if change.bom else "") + change.text)
        out.append(f"diff --git {_quoted('a/' + change.path)} {_quoted('b/' + change.path)}\n")
        if change.original is None:
            out.append("new file mode 100644\n")
        out.append(f"--- {'/dev/null' if change.original is None else _quoted('a/' + change.path)}\n")
        out.append(f"+++ {_quoted('b/' + change.path)}\n")
        for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(3):
            first, last = group[0], group[-1]
            out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
            for tag, a1, a2, b1, b2 in group:
                if tag == "equal":
                    out.extend(_diff_line(" ", line, secrets) for line in old[a1:a2])
                    continue
                out.extend(_diff_line("-", line, secrets) for line in old[a1:a2])
                out.extend(_diff_line("+", line, secrets) for line in new[b1:b2])
    return "".join(out)


def _lines(text: str) -> list[str]:
    """Lines with their `\\n` (only `\\n` ends a line, as for the parsers)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _diff_line(prefix: str, line: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret in line:
            line = line.replace(secret, mask(secret))
    return prefix + line if line.endswith("\n") else f"{prefix}{line}\n\\ No newline at end of file\n"


def _range(start: int, stop: int) -> str:
    """A hunk range as `diff -u` writes it (difflib's rule)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if length == 0 else start + 1},{length}"


_QUOTED = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _quoted(name: str) -> str:
    """A file name as git writes it in a diff: C-quoted when it holds a
    quote, a backslash, a control character or a non-ASCII character."""
    if all(32 <= ord(c) < 127 and c not in '"\\' for c in name):
        return name
    pieces = []
    for char in name:
        if char in _QUOTED:
            pieces.append(_QUOTED[char])
        elif 32 <= ord(char) < 127:
            pieces.append(char)
        else:
            pieces.extend(f"\\{byte:03o}" for byte in char.encode("utf-8", "surrogateescape"))
    return '"' + "".join(pieces) + '"'

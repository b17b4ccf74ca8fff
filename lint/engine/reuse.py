"""What a rule found on a subject at the previous check of a Workspace,
reused while nothing it depends on has changed (issue 23: an edit re-runs
only the rules whose scope includes the change).

A Workspace's Repos share their unchanged file models: laying a buffer over
the disk (scan/repository.py `with_files`) replaces one file's model and
keeps every other object. So "unchanged" is identity: a subject's *inputs*
are the file models its rules may read, and while each is the very object
of the last check (and the scan-wide facts below compare equal), the
rule's violations are the same. What each scope's rules read:

- "file" (an HclFile): the file, and the files of its directory's module
  and of any module that adopted it as a `.tfbackend` (the secret rules
  ask which backend a `.tfbackend` configures, and which variables of the
  module are sensitive);
- "yaml" (a YamlFile): the file;
- "module": its files, tfvars and tfbackends;
- "root": the files of its module and of every module it calls, the files
  of the modules that call it (IACM101 names a caller whose bare `source`
  points at it), and the engine chosen for it.

Beyond those, a rule may ask the Context: its `state` (whether any root of
the scan declares a backend) is an input of the rules that read it, and a
rule that asks for the scan's pipelines or roots is not reused at all
(`_Reading` notes both). "repo" and "pipeline" rules read across the whole
Repo and run at every check: one pass each, cheap once what they ask of
each file is a `memo.per_file` answer (IACM203: whether a file could hold a
credential), which the next check takes over for the models it keeps
(`carry_file_answers`). The run properties' accepted releases per root are
reused like a root rule's result (`root_answer`).

Facts of the disk that no buffer changes (git's view, pin files, the files
on disk) stay the same objects between `Workspace.reload()`s, and a reload
starts a new RuleMemory. tests/test_incremental.py checks that every check
of a sequence of edits equals a full check, and which rules re-ran.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Optional, TypeVar, Union, cast

from ..memo import FileAnswers, ScanMemo
from ..model.engine_choice import EngineChoice
from ..model.pipeline import Pipeline
from ..model.syntax import HclFile, Module, Repo, RootModule, YamlFile, normalise_dir
from ..registry import Rule, Violation
from .context import Context

T = TypeVar("T")
Models = tuple[Union[HclFile, YamlFile], ...]


@dataclass
class _Kept:
    state: Optional[str]  # the scan-wide `--state` reading, when the rule asked for it
    violations: list[Violation]


Subject = tuple[str, str]  # (scope, path or directory)


class RuleMemory:
    """The violations of each rule on each subject at the last check, and
    the inputs of each subject they were found with."""

    def __init__(self) -> None:
        # After a check every rule has run on, or reused its result for, every subject of its scope (or
        # kept nothing: it crashed, or read the whole Repo), so one record of inputs per subject serves all.
        self._inputs: dict[Subject, tuple[tuple[Any, ...], Models]] = {}  # the ids of the models read, and them
        self._kept: dict[tuple[str, str, str], _Kept] = {}  # (rule ID, scope, subject) -> its last result
        self._answers: dict[tuple[str, str, str], Any] = {}  # (what, "root", directory) -> root_answer's
        self._file_answers: FileAnswers = {}  # the last check's per_file answers (memo.py)
        self.runs: Counter[str] = Counter()  # rule ID -> subjects it ran on at the last check (tests read it)

    def carry_file_answers(self, memo: ScanMemo, repo: Repo) -> None:
        """Give the new check's memo the per_file answers (memo.py) of the
        last check, for the file models it keeps; remember the new memo's."""
        memo.carry_files_from(self._file_answers, [*repo.hcl_files, *repo.yaml_files])
        self._file_answers = memo.file_answers  # not the whole memo: it holds the old Repo's modules and roots

    def start(self, repo: Repo) -> Optional[_Check]:
        """This check's use of the memory; None (every rule runs, nothing is
        kept) for a Repo with Terragrunt units: a unit's inputs (its include
        chain, the files it generates, fresh objects at every check) and
        subjects (a unit's working module beside its directory's module)
        are not the ones above."""
        self.runs.clear()
        if repo.terragrunt is not None:
            self._inputs, self._kept, self._answers = {}, {}, {}
            return None
        return _Check(self, repo)


class _Check:
    """One check's use of a RuleMemory: which results stand, which to run and keep."""

    def __init__(self, memory: RuleMemory, repo: Repo):
        self.memory = memory
        self.repo = repo
        self.current: dict[Subject, tuple[tuple[Any, ...], Models]] = {}  # this check's inputs per subject
        self._unchanged: dict[Subject, bool] = {}
        self._owners: Optional[dict[str, list[Module]]] = None
        self._callers: Optional[dict[str, list[Module]]] = None

    def violations(self, rule: Rule, subject: Any, ctx: Context) -> Iterator[Violation]:
        """The rule's violations on `subject`: those of the last check when
        its inputs are the same, else the rule's (kept when it runs to the end)."""
        named = _subject(rule.scope, subject)
        if named is None:
            self.memory.runs[rule.id] += 1
            yield from rule.func(subject, ctx)
            return
        key = (rule.id, *named)
        unchanged = self.unchanged(named, subject, ctx)  # also records the subject's inputs for the next check
        kept = self.memory._kept.pop(key, None)  # a rule that crashes keeps nothing, and runs again next time
        if kept is not None and unchanged and kept.state in (None, ctx.state):
            self.memory._kept[key] = kept
            yield from kept.violations
            return
        self.memory.runs[rule.id] += 1
        reading = _Reading(ctx)
        found: list[Violation] = []
        for violation in rule.func(subject, reading):
            found.append(violation)
            yield violation
        if not reading.read_whole_repo:
            self.memory._kept[key] = _Kept(ctx.state if reading.read_state else None, found)

    def root_answer(self, root: RootModule, ctx: Context, what: str, build: Callable[[RootModule], T]) -> T:
        """`build(root)` for a function of the root's files alone (the run
        properties' accepted releases): the last check's while they are the same."""
        named = ("root", root.directory)
        key = (what, *named)
        if self.unchanged(named, root, ctx) and key in self.memory._answers:
            return cast(T, self.memory._answers[key])
        answer = self.memory._answers[key] = build(root)
        return answer

    def unchanged(self, named: Subject, subject: Any, ctx: Context) -> bool:
        """Whether the subject's inputs are those of the last check (worked out once per check)."""
        same = self._unchanged.get(named)
        if same is None:
            inputs = self.current[named] = self._inputs(named[0], subject, ctx)
            last = self.memory._inputs.get(named)
            same = self._unchanged[named] = last is not None and last[0] == inputs[0]
        return same

    def finish(self) -> None:
        """Record this check's inputs; drop what belongs to subjects gone from the
        Repo (a root that became a called module, a file closed)."""
        memory = self.memory
        memory._inputs = self.current
        for kept in (memory._kept, memory._answers):
            for key in [key for key in kept if key[1:] not in self.current]:
                del kept[key]

    # ---- inputs ------------------------------------------------------------------------

    def _inputs(self, scope: str, subject: Any, ctx: Context) -> tuple[tuple[Any, ...], Models]:
        models = self._models(scope, subject)
        facts: tuple[Any, ...] = ()
        if scope == "root":
            root: RootModule = subject
            facts = (ctx.engine_for(root), tuple(m.directory for m in self._modules_of_root(root)))
        return (*facts, *(id(model) for model in models)), models

    def _models(self, scope: str, subject: Any) -> tuple[Union[HclFile, YamlFile], ...]:
        if scope == "yaml":
            return (subject,)
        if scope == "file":
            modules = self._file_owners().get(subject.path, [])
            return (subject, *_files_of(modules))
        if scope == "module":
            return _files_of([subject])
        return _files_of(self._modules_of_root(subject))

    def _modules_of_root(self, root: RootModule) -> list[Module]:
        return [root.module, *root.called, *self._module_callers().get(root.directory, [])]

    def _file_owners(self) -> dict[str, list[Module]]:
        """Path -> the modules whose files, tfvars or tfbackends list it, and its directory's module."""
        if self._owners is None:
            owners: dict[str, list[Module]] = {}
            for module in self.repo.modules.values():
                for hcl_file in (*module.files, *module.tfvars, *module.tfbackends):
                    owners.setdefault(hcl_file.path, []).append(module)
            for hcl_file in self.repo.hcl_files:
                home = self.repo.modules.get(hcl_file.directory)
                listed = owners.setdefault(hcl_file.path, [])
                if home is not None and all(other is not home for other in listed):
                    listed.append(home)
            self._owners = owners
        return self._owners

    def _module_callers(self) -> dict[str, list[Module]]:
        """Directory -> the modules with a module call whose string `source`, read as a path, names it."""
        if self._callers is None:
            callers: dict[str, list[Module]] = {}
            for module in self.repo.modules.values():
                for block in module.blocks("module"):
                    source = block.attr("source")
                    if source is not None and isinstance(source.value, str):
                        callers.setdefault(normalise_dir(module.directory, source.value), []).append(module)
            self._callers = callers
        return self._callers


def _subject(scope: str, subject: Any) -> Optional[Subject]:
    if scope in ("file", "yaml"):
        return scope, subject.path
    if scope in ("module", "root"):
        return scope, subject.directory
    return None


def _files_of(modules: list[Module]) -> tuple[HclFile, ...]:
    return tuple(f for module in modules for f in (*module.files, *module.tfvars, *module.tfbackends))


class _Reading:
    """The scan Context as one run of a rule sees it, noting what it asks
    beyond the subject's files: the scan-wide `state` (an input then), or
    the Repo's pipelines and roots (its result is not kept then)."""

    def __init__(self, ctx: Context):
        self._ctx = ctx
        self.repo = ctx.repo
        self.options = ctx.options
        self.read_state = False
        self.read_whole_repo = False

    @property
    def state(self) -> str:
        self.read_state = True
        return self._ctx.state

    def engine_for(self, root: RootModule) -> EngineChoice:
        return self._ctx.engine_for(root)  # a root's choice is an input of its root rules

    def root_for_directory(self, directory: str) -> Optional[RootModule]:
        self.read_whole_repo = True
        return self._ctx.root_for_directory(directory)

    def pipelines(self) -> list[Pipeline]:
        self.read_whole_repo = True
        return self._ctx.pipelines()

    def source(self, path: str) -> Optional[str]:
        return self._ctx.source(path)

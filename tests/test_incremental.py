"""engine/reuse.py: a Workspace check re-runs a rule only on the subjects
whose inputs an edit changed, and what it finds is what a check from
nothing finds on the same contents, after every edit of a sequence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iacm_lint.engine.check import check_repo
from iacm_lint.engine.workspace import Workspace
from iacm_lint.options import Options

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted([*(ROOT / "testdata" / "examples").iterdir(), *(ROOT / "testdata" / "rules").glob("*/*")])
LOCAL_BACKEND = '\nterraform {\n  backend "local" {}\n}\n'
S3_BACKEND = '\nterraform {\n  backend "s3" {\n    bucket = "b"\n    key    = "k"\n    region = "eu-west-1"\n  }\n}\n'
LEAKED_KEY = '\nlocals {\n  token = "ghp_' + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8" + '"\n}\n'
VERSIONS = '\nterraform {\n  required_version = ">= 1.3.0"\n}\n'


def _copy(case: Path, tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(case, target, symlinks=True, ignore=shutil.ignore_patterns("expected.txt"))
    return target


def _same_as_a_full_check(workspace: Workspace) -> None:
    incremental = workspace.check()
    full = check_repo(workspace.repo, workspace.options)
    assert incremental.findings == full.findings
    assert incremental.internal_errors == full.internal_errors
    assert incremental.properties == full.properties


def _edits(workspace: Workspace) -> list[tuple[str, str]]:
    """(path, text) buffers that touch what root, module and file rules read:
    a backend appears (the scan's `--state` reading changes for every root),
    a module call with a bare `source` to a sibling, a literal secret, a
    version constraint, a text that does not parse, a new file, and back."""
    repo = workspace.repo
    module_files = sorted(f.path for f in repo.hcl_files if f.path.endswith(".tf"))
    directories = sorted(repo.modules)
    if not module_files:
        return [("new.tf", LOCAL_BACKEND), ("new.tf", "")]
    first, last = module_files[0], module_files[-1]
    text = {path: workspace.text_of(path) or "" for path in (first, last)}
    below = next((directory.split("/")[0] for directory in directories if directory != "."), "stage")
    call = f'\nmodule "bare" {{\n  source = "{below}"\n}}\n'  # from the top: IACM101 names the caller
    return [
        (first, text[first] + LOCAL_BACKEND),
        ("caller.tf", call),
        (first, text[first] + LEAKED_KEY),
        (last, text[last] + VERSIONS),
        (first, text[first] + "\nresource \"x\" {\n"),  # does not parse: the last good model stays
        ("added/main.tf", S3_BACKEND),
        (first, text[first]),
        (last, text[last] + S3_BACKEND),
        ("added/main.tf", LOCAL_BACKEND),
        ("caller.tf", ""),
        (last, text[last]),
    ]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.parent.name}/{case.name}")
def test_every_edit_of_a_sequence_finds_what_a_full_check_finds(case, tmp_path):
    workspace = Workspace(str(_copy(case, tmp_path)), Options())
    _same_as_a_full_check(workspace)
    for path, text in _edits(workspace):
        workspace.set_buffer(path, text)
        _same_as_a_full_check(workspace)
    for path in list(workspace.buffers):
        workspace.drop_buffer(path)
        _same_as_a_full_check(workspace)


def _two_roots(tmp_path: Path) -> Path:
    for root in ("alpha", "beta"):
        (tmp_path / root).mkdir()
        (tmp_path / root / "main.tf").write_text('resource "null_resource" "a" {}\n', encoding="utf-8")
        (tmp_path / root / "outputs.tf").write_text('output "o" {\n  value = 1\n}\n', encoding="utf-8")
    return tmp_path


def test_an_edit_re_runs_file_and_root_rules_only_where_it_changed_something(tmp_path):
    workspace = Workspace(str(_two_roots(tmp_path)), Options())
    workspace.check()
    runs = workspace.memory.runs
    assert (runs["IACM207"], runs["IACM303"], runs["IACM106"], runs["IACM203"]) == (4, 2, 2, 1)  # all, at first

    text = (tmp_path / "alpha" / "main.tf").read_text(encoding="utf-8")
    workspace.set_buffer("alpha/main.tf", text + '\nresource "null_resource" "b" {}\n')
    workspace.check()
    # file rules: the files of alpha's module (the edited one and its neighbour); root and
    # module rules: alpha only; repo rules: once, as always
    assert (runs["IACM207"], runs["IACM303"], runs["IACM106"], runs["IACM203"]) == (2, 1, 1, 1)

    workspace.check()  # nothing changed: only the repo-scope rules run
    assert (runs["IACM207"], runs["IACM303"], runs["IACM106"], runs["IACM203"]) == (0, 0, 0, 1)

    workspace.set_buffer("alpha/main.tf", text + LOCAL_BACKEND)  # a backend: --state reads "existing" now
    found = [(f.rule_id, f.span.path, f.level) for f in workspace.check().findings if f.rule_id == "IACM101"]
    # the scan-wide reading is an input of the rules that ask for it (IACM101, on both roots), not of the others
    assert (runs["IACM101"], runs["IACM303"], runs["IACM207"]) == (2, 1, 2)
    assert found == [("IACM101", "beta/main.tf", "error")]  # beta's missing backend: an error now


def test_a_root_rule_re_runs_when_a_module_calling_it_changes(tmp_path):
    """IACM101 names a caller whose bare `source` points at the root: the caller's files are its inputs."""
    (tmp_path / "main.tf").write_text('resource "null_resource" "a" {}\n', encoding="utf-8")
    (tmp_path / "stage").mkdir()
    (tmp_path / "stage" / "main.tf").write_text('resource "null_resource" "b" {}\n', encoding="utf-8")
    workspace = Workspace(str(tmp_path), Options())
    workspace.check()
    workspace.set_buffer("main.tf", 'resource "null_resource" "a" {}\n\nmodule "stage" {\n  source = "stage"\n}\n')
    found = [(f.span.path, f.message) for f in workspace.check().findings if f.rule_id == "IACM101"]
    assert workspace.memory.runs["IACM101"] == 2  # ".", edited, and "stage", which it calls
    assert ("stage/main.tf", 'root module "stage" has no backend or cloud block, but module "stage" in "." calls it '
            'with source = "stage", which Terraform 0.12 and later do not read as a local path; write source = '
            '"./stage" and it is a module, not a root') in found


def test_what_depends_on_one_file_alone_is_worked_out_again_for_the_edited_file_only(tmp_path, monkeypatch):
    """memo.per_file answers outlive a check for the file models the next one keeps:
    IACM306 re-runs on the edited root, and reads the features of its edited file alone."""
    from iacm_lint.model import features

    read: list[str] = []
    file_feature_uses = features._file_feature_uses
    monkeypatch.setattr(features, "_file_feature_uses", lambda f: read.append(f.path) or file_feature_uses(f))
    workspace = Workspace(str(_two_roots(tmp_path)), Options())
    workspace.check()
    assert sorted(read) == ["alpha/main.tf", "alpha/outputs.tf", "beta/main.tf", "beta/outputs.tf"]
    read.clear()
    workspace.set_buffer("alpha/main.tf", 'resource "null_resource" "a" {\n  count = try(1, 0)\n}\n')
    workspace.check()
    assert workspace.memory.runs["IACM306"] == 1
    assert read == ["alpha/main.tf"]

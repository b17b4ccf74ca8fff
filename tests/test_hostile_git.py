"""Hostile repositories, the git side (issue 25 items 2, 7, 8, 11, 14): a
repository's `.git` must never run anything or stall the scan, odd trees and
names must never abort it, and its ignore patterns must never make it slow.

Every repository here is built in a temporary directory with the developer's
own git configuration kept out (gitrepo.isolate_git)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gitrepo import git, isolate_git, make_repo, write
from iacm_lint.report import FORMATS
from iacm_lint.scan import gitrun
from iacm_lint.scan.gitinfo import git_view
from test_hostile_repos import GOOD, cli, iacm000, scan

LINUX = sys.platform.startswith("linux")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    isolate_git(monkeypatch, tmp_path / "home")


def _alive(pid: int) -> bool:
    """Running (a zombie that nobody reaped in a container is dead)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _git_processes_under(directory: Path) -> list[int]:
    """Live `git` processes whose working directory lies in `directory` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as handle:
                name = handle.read().strip()
            with open(f"/proc/{entry}/stat") as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
            cwd = os.readlink(f"/proc/{entry}/cwd")
        except OSError:
            continue
        if name == "git" and state != "Z" and (cwd + "/").startswith(str(directory) + "/"):
            found.append(int(entry))
    return found


# ---- item 2: the repository's git config runs nothing ------------------------------------


def _pwning_repository(tmp_path: Path, layout: str) -> tuple[Path, Path]:
    """(scan root, repository whose config sets core.fsmonitor to a command)."""
    if layout == "scan root":
        root = make_repo(tmp_path / "repo", tracked={"main.tf": GOOD})
        return root, root
    if layout == "plain directory holding a repository":
        inner = make_repo(tmp_path / "plain" / "inner", tracked={"main.tf": GOOD})
        return tmp_path / "plain", inner
    root = make_repo(tmp_path / "outer", tracked={"main.tf": GOOD})
    inner = make_repo(root / "vendor" / "clone", tracked={"x.tf": GOOD})  # untracked nested repository
    return root, inner


@pytest.mark.parametrize("command", ["check", "report"])
@pytest.mark.parametrize("layout", ["scan root", "plain directory holding a repository",
                                    "untracked nested repository"])
def test_a_repository_fsmonitor_command_never_runs(tmp_path, layout, command):
    root, configured = _pwning_repository(tmp_path, layout)
    marker = tmp_path / "pwned"
    git(configured, "config", "core.fsmonitor", f"touch {shlex.quote(str(marker))}")
    subprocess.run(["git", "ls-files"], cwd=configured, capture_output=True, check=True)
    assert marker.exists()  # the trap is live: plain git runs it
    marker.unlink()
    completed = cli(command, str(root))
    assert completed.returncode in (0, 1), completed.stderr
    assert "Traceback" not in completed.stderr
    assert not marker.exists()


def test_git_variables_of_the_caller_do_not_redirect_the_listing(tmp_path, monkeypatch):
    """A pre-commit hook runs with GIT_DIR and GIT_INDEX_FILE set: they must not
    make the scan list another repository."""
    other = make_repo(tmp_path / "other", tracked={"other.tf": ""})
    root = make_repo(tmp_path / "repo", tracked={"main.tf": GOOD})
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    view = git_view(str(root))
    assert view is not None
    assert view.tracked == frozenset({"main.tf"})


def test_a_dot_git_symlink_to_another_repository_is_not_followed(tmp_path):
    other = make_repo(tmp_path / "other", tracked={"secret-plan.tf": ""})
    write(tmp_path / "plain", {"main.tf": GOOD})
    os.symlink(other / ".git", tmp_path / "plain" / ".git")
    notes: list[str] = []
    assert git_view(str(tmp_path / "plain"), notes) is None
    assert notes == [f"git: could not list {tmp_path / 'plain'}: {tmp_path / 'plain' / '.git'} is a symbolic link, "
                     "which is not followed; its files are judged as they are on disk"]


# ---- item 2: a FIFO or a hanging git never stalls the scan ---------------------------------


@pytest.mark.parametrize("fifo", ["envs/.gitignore", ".git/info/exclude"])
def test_a_fifo_where_git_reads_ignore_patterns_does_not_stall_the_scan(tmp_path, fifo):
    root = make_repo(tmp_path / "repo", tracked={"main.tf": GOOD, "envs/dev/main.tf": GOOD})
    (root / fifo).unlink(missing_ok=True)
    os.mkfifo(root / fifo)
    started = time.monotonic()
    completed = cli("check", "--verbose", "--no-cache", str(root), timeout=30)
    assert time.monotonic() - started < 15
    assert completed.returncode in (0, 1), completed.stderr
    assert (f"git: could not list {root}: git ls-files was blocked for 2 s without doing any work "
            "(a FIFO where git reads a file?); its files are judged as they are on disk") in completed.stderr
    assert _git_processes_under(root) == []


def _fake_git(tmp_path: Path, monkeypatch, body: str) -> None:
    """Put a shell script named git first on PATH."""
    directory = tmp_path / "fake-bin"
    directory.mkdir()
    script = directory / "git"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ['PATH']}")


def _notes_of_a_listing_given_up(root: Path, within_seconds: float) -> list[str]:
    notes: list[str] = []
    started = time.monotonic()
    assert git_view(str(root), notes) is None
    assert time.monotonic() - started < within_seconds
    return notes


def test_a_sleeping_git_and_its_children_are_killed(tmp_path, monkeypatch):
    root = make_repo(tmp_path / "repo", tracked={"main.tf": GOOD})
    child_pid = tmp_path / "child.pid"
    _fake_git(tmp_path, monkeypatch, f"sleep 300 &\necho $! > {child_pid}\nwait\n")
    assert _notes_of_a_listing_given_up(root, 10) == [
        f"git: could not list {root}: git ls-files was blocked for 2 s without doing any work "
        "(a FIFO where git reads a file?); its files are judged as they are on disk"]
    time.sleep(0.2)
    assert not _alive(int(child_pid.read_text()))


def test_a_busy_git_is_killed_at_the_timeout(tmp_path, monkeypatch):
    root = make_repo(tmp_path / "repo", tracked={"main.tf": GOOD})
    _fake_git(tmp_path, monkeypatch, "while :; do :; done\n")
    monkeypatch.setattr(gitrun, "GIT_TIMEOUT_SECONDS", 1)
    assert _notes_of_a_listing_given_up(root, 5) == [
        f"git: could not list {root}: git ls-files did not finish within 1 s; its files are judged as they are on disk"]


@pytest.mark.skipif(not LINUX, reason="PR_SET_PDEATHSIG and /proc are Linux's")
def test_killing_the_scan_kills_a_blocked_git(tmp_path):
    root = make_repo(tmp_path / "repo", tracked={"main.tf": GOOD})
    os.mkfifo(root / ".gitignore")
    scan_process = subprocess.Popen([sys.executable, "-m", "iacm_lint", "check", "--no-cache", str(root)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while not _git_processes_under(root) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _git_processes_under(root), "git never started"
    finally:
        scan_process.kill()
        scan_process.wait()
    deadline = time.monotonic() + 5
    while _git_processes_under(root) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _git_processes_under(root) == []


# ---- item 11: ignore and exclude patterns in linear time -----------------------------------


SLOW_GLOB = "*a*a*a*a*a*a*a*b"
LONG_DIRECTORY = "a" * 80


def test_a_backtracking_gitignore_pattern_does_not_slow_the_scan(tmp_path):
    write(tmp_path / "repo", {".gitignore": SLOW_GLOB + "\n", f"{LONG_DIRECTORY}/main.tf": GOOD})
    started = time.monotonic()
    result = scan(tmp_path / "repo")
    assert time.monotonic() - started < 10
    assert [f.message for f in result.findings if f.rule_id == "IACM404"] == [
        'the .gitignore files do not ignore ".terraform/", "*.tfstate", "*.tfstate.*", "crash.log" (not a git '
        'repository, so the .gitignore files on disk were judged); add these patterns to .gitignore']


def test_a_backtracking_exclude_glob_does_not_slow_the_scan(tmp_path):
    write(tmp_path / "repo", {".iacm-lint.yaml": f'exclude: ["{SLOW_GLOB}"]\n', f"{LONG_DIRECTORY}/main.tf": GOOD,
                              f"{LONG_DIRECTORY}b/main.tf": GOOD})
    started = time.monotonic()
    completed = cli("check", "--format", "json", "--no-cache", "--stats", str(tmp_path / "repo"), timeout=60)
    assert time.monotonic() - started < 10
    assert completed.returncode == 0, completed.stderr
    stats = json.loads(completed.stderr.strip().splitlines()[-1])
    assert (stats["checked"], stats["excluded"]) == (1, 1)


# ---- item 14: .gitignore links and link loops -----------------------------------------------


def test_a_gitignore_linked_outside_the_scan_root_is_not_read(tmp_path):
    write(tmp_path / "outside", {"gitignore": ".terraform/\n*.tfstate\n*.tfstate.*\ncrash.log\n"})
    root = make_repo(tmp_path / "repo", tracked={"main.tf": GOOD})
    os.symlink(tmp_path / "outside" / "gitignore", root / ".gitignore")
    result = scan(root)
    assert [f.message for f in result.findings if f.rule_id == "IACM404"] == [
        'the .gitignore files do not ignore ".terraform/", "*.tfstate", "*.tfstate.*", "crash.log"; '
        'add these patterns to .gitignore']


def test_link_loops_with_names_that_are_not_iac_are_notes_not_errors(tmp_path):
    write(tmp_path / "repo", {"main.tf": GOOD})
    root = tmp_path / "repo"
    os.symlink("loop", root / "loop")
    os.symlink("pong", root / "ping")
    os.symlink("ping", root / "pong")
    os.symlink("again.tf", root / "again.tf")
    result = scan(root)
    assert iacm000(result) == \
        ["again.tf:1:1: cannot parse again.tf: cannot read file: Too many levels of symbolic links"]
    assert result.stats["skipped"] == {"symbolic link loop": 3}
    assert "skipped loop: Too many levels of symbolic links" in result.repo.notes
    assert result.stats["checked"] == 1


# ---- item 8: a very deep tree --------------------------------------------------------------


def _deep_chain(top: Path, name: str, depth: int) -> list[Path]:
    chain = [top / name]
    while len(chain) < depth:
        chain.append(chain[-1] / name)
    return chain


def test_a_tree_a_thousand_levels_deep_is_walked(tmp_path):
    root = tmp_path / "repo"
    # IACM402 looks into .terraform
    chains = [_deep_chain(root, "d", 1000), _deep_chain(root / ".terraform", "p", 1000)]
    for chain in chains:
        for directory in chain:  # pathlib's mkdir(parents=True) and shutil.rmtree recurse per level
            directory.mkdir(parents=True) if directory is chain[0] else directory.mkdir()
    (root / "main.tf").write_text(GOOD, encoding="utf-8")
    (chains[0][-1] / "main.tf").write_text(GOOD, encoding="utf-8")
    (chains[1][-1] / "provider").write_text("binary", encoding="utf-8")
    try:
        result = scan(root)
        assert result.stats["checked"] == 2
        assert iacm000(result) == []
        assert [f.span.path for f in result.findings if f.rule_id == "IACM402"] == [
            "/".join([".terraform", *["p"] * 1000, "provider"])]
    finally:
        for chain in chains:
            for path in chain[-1].iterdir():
                path.unlink()
            for directory in reversed(chain):
                directory.rmdir()


# ---- item 7: names that are not UTF-8 ---------------------------------------------------------


def _write_bytes_name(directory: Path, name: bytes, content: bytes) -> None:
    path = os.path.join(os.fsencode(directory), name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(content)


def _not_utf8_repository(tmp_path: Path, in_git: bool) -> Path:
    root = tmp_path / "repo"
    write(root, {"main.tf": GOOD})
    for name, content in ((b"bad\xff.tf", GOOD.encode()), (b"d\xfe/x.tf", GOOD.encode()), (b"notes\xff.txt", b"x"),
                          (b"state\xff.tfstate", b'{"version": 4}')):
        _write_bytes_name(root, name, content)
    if in_git:
        make_repo(root, tracked={})
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "names that are not UTF-8")
    return root


@pytest.mark.parametrize("in_git", [False, True], ids=["on disk", "in git"])
def test_names_that_are_not_utf8_are_reported_and_every_output_holds_them(tmp_path, in_git):
    root = _not_utf8_repository(tmp_path, in_git)
    result = scan(root)
    assert iacm000(result) == [
        "bad\\xff.tf:1:1: cannot parse bad\\xff.tf: file name is not valid UTF-8; the file was not checked",
        "d\\xfe/x.tf:1:1: cannot parse x.tf: file name is not valid UTF-8; the file was not checked"]
    assert result.stats["checked"] == 1
    committed_state = [f.span.path for f in result.findings if f.rule_id == "IACM401"]
    assert committed_state == (["state\\xff.tfstate"] if in_git else [])  # on disk it is a skipped name: a note
    for format_name in FORMATS:
        completed = cli("check", "--format", format_name, str(root))
        assert completed.returncode == 1, (format_name, completed.stderr)
        assert "bad\\xff.tf" in completed.stdout.replace("\\\\", "\\"), format_name
    baseline = tmp_path / "baseline.json"
    assert cli("check", "--write-baseline", str(baseline), str(root)).returncode == 0
    assert '"bad\\\\xff.tf"' in baseline.read_text(encoding="utf-8")
    assert cli("check", "--baseline", str(baseline), str(root)).returncode == 0
    for format_name in ("markdown", "html"):
        completed = cli("report", "--format", format_name, str(root))
        assert completed.returncode in (0, 1), (format_name, completed.stderr)
        assert "Traceback" not in completed.stderr

"""A repository under review is untrusted (docs/security.md), and so are the
configuration and baseline files found in it. Each test builds a hostile
repository in a temporary directory and runs the installed command the way
CI does (issue 25: items 1, 5, 12 for the config, 14, and the CLI's general
error handling). Every subprocess runs under a memory limit and a timeout,
so a regression fails the test instead of eating the machine."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from iacm_lint import cli as cli_module
from iacm_lint.cli import check as check_cli, report as readiness_cli

SECRET = "ghp_FAKEsecretTOKENnotREAL0123456789abcdef"  # what a runner's credential file would hold
GOOD = 'terraform {\n  backend "s3" {}\n}\n'
LOCAL_BACKEND = 'terraform {\n  backend "local" {}\n}\n'  # IACM106: an error finding
MEMORY_LIMIT = 2 * 1024 ** 3


def iacm_lint(*args, cwd=None, timeout=60, close_stdout=False, stdout_path=None) -> subprocess.CompletedProcess:
    """`iacm-lint ARGS` in a subprocess with at most MEMORY_LIMIT of memory;
    standard output is captured, or goes to `stdout_path`, or is closed."""
    def prepare() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        if close_stdout:
            os.close(1)

    sink = open(stdout_path, "w") if stdout_path else None  # noqa: SIM115 - closed by the with below
    with sink or contextlib.nullcontext():
        return subprocess.run([sys.executable, "-m", "iacm_lint", *map(str, args)], stdout=sink or subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=cwd, timeout=timeout,
                              env={**os.environ, "NO_COLOR": "1"}, preexec_fn=prepare)


def make_repo(tmp_path: Path, files: dict[str, str]) -> Path:
    root = (tmp_path / "repo").resolve()  # messages show paths as the subprocess's working directory does
    root.mkdir()
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content)
    return root


def secret_file(tmp_path: Path, content: str) -> Path:
    """A file outside the repository, as ~/.git-credentials is on a runner."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    path = home / "credentials"
    path.write_text(content)
    return path


def one_line(done: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


# ---- item 1: a config or baseline that is a link, or points outside ------------------------


@pytest.mark.parametrize("target_text", [
    SECRET + "\n",                                     # a token file: used to be printed whole
    f"{SECRET}: x\n",                                  # a mapping: its first key used to be printed
    f"[tool.iacm-lint]\n{SECRET} = 1\n",               # a table: its key used to be printed
])
@pytest.mark.parametrize("name", [".iacm-lint.yaml", "pyproject.toml"])
@pytest.mark.parametrize("command", ["check", "report"])
def test_a_config_link_to_a_file_of_the_runner_is_refused_naming_only_the_path(tmp_path, name, target_text, command):
    root = make_repo(tmp_path, {"main.tf": GOOD})
    os.symlink(os.path.relpath(secret_file(tmp_path, target_text), root), root / name)
    done = iacm_lint(command, ".", cwd=root)
    assert done.returncode == 2
    assert one_line(done) == (f"iacm-lint: refusing config file {name}: it is a symbolic link; a configuration found "
                              "in the scanned tree must be a regular file (use --config FILE to choose one, or "
                              "--no-config)")
    assert SECRET not in done.stdout + done.stderr


def test_a_config_link_inside_the_repository_and_a_fifo_config_are_refused(tmp_path):
    root = make_repo(tmp_path, {"main.tf": GOOD, "ci/lint.yaml": "engine: terraform\n"})
    os.symlink("ci/lint.yaml", root / ".iacm-lint.yaml")
    done = iacm_lint("check", root / "main.tf")
    assert done.returncode == 2 and "it is a symbolic link" in one_line(done)
    os.unlink(root / ".iacm-lint.yaml")
    os.mkfifo(root / ".iacm-lint.yaml")  # opening it for reading would wait for a writer forever
    done = iacm_lint("check", ".", cwd=root, timeout=30)
    assert (done.returncode, one_line(done)) == (
        2, "iacm-lint: refusing config file .iacm-lint.yaml: it is not a regular file")


@pytest.mark.parametrize("config", [
    f"{SECRET}\n",
    f"engine: {SECRET}\n",
    f"state: {SECRET}\n",
    f"roots: {SECRET}\n",
    f"roots: [{SECRET}]\n",
    f"select: [{SECRET}]\n",
    f"ignore: {SECRET}\n",
    f"severity: {{IACM112: {SECRET}}}\n",
    f"per-file-ignores: {{'a/**': [{SECRET}]}}\n",
    f"require-reasons: {SECRET}\n",
    f"max-file-size: {SECRET}\n",
    "max-file-size: 4242424242424242\n",
    "state: 4242424242424242\n",
])
def test_no_config_message_quotes_a_value(tmp_path, config):
    root = make_repo(tmp_path, {"main.tf": GOOD, ".iacm-lint.yaml": config})
    done = iacm_lint("check", ".", cwd=root)
    assert done.returncode == 2
    line = one_line(done)
    assert line.startswith(("iacm-lint: .iacm-lint.yaml:1: ", "iacm-lint: .iacm-lint.yaml: roots[0]: "))
    assert SECRET not in line and "4242424242424242" not in line
    assert line.endswith((f"got a string of {len(SECRET)} characters", "got a number", "(see `iacm-lint rules`)",
                          "(roots are relative to the config file's directory)")), line


def test_config_keys_in_messages_are_escaped_and_shortened(tmp_path):
    root = make_repo(tmp_path, {"main.tf": GOOD})
    (root / ".iacm-lint.yaml").write_text('"\\e]52;c;eA==\\a\\n::error::x": 1\n')  # clipboard write, workflow command
    done = iacm_lint("check", ".", cwd=root)
    assert done.returncode == 2
    assert one_line(done) == ("iacm-lint: .iacm-lint.yaml:1: \\x1b]52;c;eA==\\x07\\n::error::x: "
                              "unknown key; valid keys are baseline, engine, exclude, fix, fixable, ignore, "
                              "max-file-size, per-file-ignores, require-reasons, roots, select, severity, state, "
                              "unfixable, unsafe-fixes")
    (root / ".iacm-lint.yaml").write_text(f"severity:\n  {'X' * 1000}: error\n")
    done = iacm_lint("check", ".", cwd=root)
    assert one_line(done) == ("iacm-lint: .iacm-lint.yaml:2: severity." + "X" * 39 + "…: matches no rule ID "
                              "(see `iacm-lint rules`)")


@pytest.mark.parametrize("baseline, shown", [
    ("/dev/zero", "/dev/zero"),
    ("../home/credentials", "{home}/credentials"),
    ("sub/../../home/credentials", "{home}/credentials"),
    ("link.json", "link.json"),  # even a link to a file inside: the link is what is refused
    ("linked-dir/b.json", "linked-dir/b.json"),  # a directory link that leaves
    ("", "."),
])
def test_a_found_configs_baseline_must_be_a_file_inside_its_directory(tmp_path, baseline, shown):
    outside = secret_file(tmp_path, json.dumps({"version": 1, "findings": [{"rule": SECRET, "fingerprint": "x"}]}))
    root = make_repo(tmp_path, {"main.tf": GOOD, ".iacm-lint.yaml": f"baseline: '{baseline}'\n", "b.json": "{}"})
    (root / "sub").mkdir()
    os.symlink("b.json", root / "link.json")
    os.symlink(outside.parent, root / "linked-dir")
    (outside.parent / "b.json").write_text(outside.read_text())
    started = time.monotonic()
    done = iacm_lint("check", ".", cwd=root)
    assert time.monotonic() - started < 30
    assert done.returncode == 2
    shown = shown.format(home=outside.parent.resolve())
    assert one_line(done) == (f"iacm-lint: .iacm-lint.yaml: baseline: refusing {shown}: a baseline named by a "
                              "configuration found in the scanned tree must be a file inside the configuration's "
                              "directory, not a link (give --baseline FILE to use another)")
    assert SECRET not in done.stdout + done.stderr


def test_a_baseline_given_on_the_command_line_must_be_a_regular_file_of_bounded_size(tmp_path):
    root = make_repo(tmp_path, {"main.tf": GOOD})
    os.mkfifo(tmp_path / "fifo.json")
    done = iacm_lint("check", ".", "--baseline", tmp_path / "fifo.json", cwd=root, timeout=30)
    assert (done.returncode, one_line(done)) == (
        2, f"iacm-lint: refusing baseline {tmp_path / 'fifo.json'}: it is not a regular file")
    done = iacm_lint("check", ".", "--baseline", "/dev/zero", cwd=root, timeout=30)
    assert (done.returncode, one_line(done)) == (2, "iacm-lint: refusing baseline /dev/zero: it is not a regular file")
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(64 * 1024 * 1024 + 1)  # sparse: no disk space used
    done = iacm_lint("check", ".", "--baseline", huge, cwd=root, timeout=30)
    assert (done.returncode, one_line(done)) == (2, f"iacm-lint: refusing baseline {huge}: it is larger than 64 MB")


# ---- item 5: every written file: atomic, never through a link, parent must exist ----------------


@pytest.mark.parametrize("how", [("check", "--write-baseline", "{t}"), ("check", "-o", "{t}"),
                                 ("check", "--format", "sarif:{t}"), ("report", "-o", "{t}")])
def test_no_output_is_written_through_a_symbolic_link(tmp_path, how):
    victim = secret_file(tmp_path, "export PATH=/usr/bin\n")  # ~/.bashrc
    root = make_repo(tmp_path, {"main.tf": GOOD})
    os.symlink(os.path.relpath(victim, root), root / ".iacm-lint-baseline.json")
    args = [arg.format(t=".iacm-lint-baseline.json") for arg in how]
    done = iacm_lint(*args, ".", cwd=root)
    assert done.returncode == 2
    assert one_line(done) == ("iacm-lint: refusing to write .iacm-lint-baseline.json: it is a symbolic link and "
                              "iacm-lint never writes through links; remove the link or name another file")
    assert victim.read_text() == "export PATH=/usr/bin\n"
    assert os.path.islink(root / ".iacm-lint-baseline.json")


def test_a_baseline_is_written_atomically_into_an_existing_directory_only(tmp_path, monkeypatch):
    root = make_repo(tmp_path, {"main.tf": LOCAL_BACKEND})
    done = iacm_lint("check", ".", "--write-baseline", "ci/baseline.json", cwd=root)
    assert (done.returncode, one_line(done)) == (
        2, "iacm-lint: cannot write ci/baseline.json: No such file or directory")
    assert not (root / "ci").exists()

    baseline = root / "baseline.json"
    baseline.write_text('{"previous": true}\n')
    baseline.chmod(0o640)

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = CliRunner().invoke(cli_module.main, ["check", str(root), "--select", "IACM106", "--write-baseline",
                                                  str(baseline)])
    assert (result.exit_code, result.stderr) == (
        2, f"iacm-lint: cannot write {baseline}: No space left on device\n")
    assert baseline.read_text() == '{"previous": true}\n'  # not truncated
    assert sorted(p.name for p in root.iterdir()) == ["baseline.json", "main.tf"]  # no temporary file left
    monkeypatch.undo()
    result = CliRunner().invoke(cli_module.main, ["check", str(root), "--select", "IACM106", "--write-baseline",
                                                  str(baseline)])
    assert result.exit_code == 0, result.output
    assert [e["rule"] for e in json.loads(baseline.read_text())["findings"]] == ["IACM106"]
    assert stat.S_IMODE(baseline.stat().st_mode) == 0o640


# ---- item 12 (config): bombs and deep nesting are usage errors, fast --------------------------------


BOMB = "".join(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
               for previous, name in zip("abcdefgh", "bcdefghi", strict=True))
BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + BOMB


@pytest.mark.parametrize("name, text, message", [
    (".iacm-lint.yaml", BOMB, ".iacm-lint.yaml:5: YAML not loaded: aliases expand to more than 100000 nodes "
                              "(a YAML bomb?)"),
    (".iacm-lint.yaml", "exclude:\n  " + "- " * 5000 + "x\n", ".iacm-lint.yaml:2: "),
    (".iacm-lint.yaml", "exclude: " + "[" * 5000 + "]" * 5000 + "\n", ".iacm-lint.yaml:1: "),
    (".iacm-lint.yaml", "roots: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", ".iacm-lint.yaml:1: "),
    ("pyproject.toml", "[tool.iacm-lint]\nexclude = " + "[" * 5000 + "]" * 5000 + "\n",
     "pyproject.toml: invalid TOML: nested too deep"),
    ("pyproject.toml", "[tool.iacm-lint]\nexclude = " + "[" * 200 + "]" * 200 + "\n",
     "pyproject.toml:2: nested deeper than 50 levels"),
    ("pyproject.toml", "[tool.iacm-lint]\n" + "".join(f"k{i} = 1\n" for i in range(60_000)),
     "pyproject.toml:2: k0: unknown key"),
])
def test_config_bombs_and_deep_nesting_are_refused_within_seconds(tmp_path, name, text, message):
    assert len(BOMB) < 500
    root = make_repo(tmp_path, {"main.tf": GOOD, name: text})
    started = time.monotonic()
    done = iacm_lint("check", ".", "--no-cache", cwd=root, timeout=60)
    assert time.monotonic() - started < 10
    assert done.returncode == 2
    line = one_line(done)
    assert line.startswith("iacm-lint: " + message), line
    assert "internal error" not in line and ("nest" in line or "bomb" in line or "unknown key" in line), line


# ---- item 14: --no-config and --config FILE --------------------------------------------------------


def test_no_config_ignores_a_repository_config_that_switches_every_rule_off(tmp_path):
    root = make_repo(tmp_path, {"main.tf": LOCAL_BACKEND, ".iacm-lint.yaml": 'exclude: ["**"]\n'})
    assert iacm_lint("check", ".", "--format", "gcc", cwd=root).stdout == ""
    done = iacm_lint("check", ".", "--no-config", "--select", "IACM106", "--format", "gcc", cwd=root)
    assert done.returncode == 1
    assert done.stdout.startswith("main.tf:2:3: error: backend \"local\" in main.tf is committed")
    report = iacm_lint("report", ".", "--no-config", cwd=root)
    assert report.returncode == 0 and "IACM106" in report.stdout
    os.unlink(root / ".iacm-lint.yaml")
    os.symlink(secret_file(tmp_path, SECRET), root / ".iacm-lint.yaml")  # not even looked at
    assert iacm_lint("check", ".", "--no-config", "--select", "IACM106", cwd=root).returncode == 1
    done = iacm_lint("check", ".", "--no-config", "--config", root / "x.yaml", cwd=root)
    assert done.returncode == 2 and "Error: --config and --no-config exclude each other" in done.stderr


def test_a_config_given_with_config_is_trusted_wherever_it_lives_but_must_be_a_regular_file(tmp_path):
    root = make_repo(tmp_path, {"main.tf": LOCAL_BACKEND, ".iacm-lint.yaml": 'exclude: ["**"]\n'})
    trusted = tmp_path / "ci" / "iacm-lint.yaml"
    trusted.parent.mkdir()
    (tmp_path / "baselines").mkdir()
    trusted.write_text("select: [IACM106]\nbaseline: ../baselines/infra.json\n")  # outside its directory: allowed
    os.symlink(trusted, tmp_path / "linked.yaml")  # and through a link: the user chose it
    written = iacm_lint("check", ".", "--config", tmp_path / "linked.yaml", "--write-baseline",
                        tmp_path / "baselines" / "infra.json", cwd=root)
    assert written.returncode == 0, written.stderr
    assert iacm_lint("check", ".", "--config", trusted, cwd=root).returncode == 0  # the baseline hides IACM106
    report = iacm_lint("report", ".", "--config", trusted, cwd=root)
    assert report.returncode == 0 and "IACM106" not in report.stdout
    os.mkfifo(tmp_path / "fifo.yaml")
    done = iacm_lint("check", ".", "--config", tmp_path / "fifo.yaml", cwd=root, timeout=30)
    assert (done.returncode, one_line(done)) == (
        2, f"iacm-lint: refusing config file {tmp_path / 'fifo.yaml'}: it is not a regular file")
    with open(tmp_path / "big.yaml", "wb") as handle:
        handle.truncate(1024 * 1024 + 1)
    done = iacm_lint("report", ".", "--config", tmp_path / "big.yaml", cwd=root, timeout=30)
    assert (done.returncode, one_line(done)) == (
        2, f"iacm-lint: refusing config file {tmp_path / 'big.yaml'}: it is larger than 1 MB")


# ---- the CLI's error handling: outputs, limits and option values ----------------------------------


@pytest.mark.parametrize("args", [("check", "."), ("check", ".", "--fail-on", "never"), ("report", ".")])
def test_a_full_standard_output_is_one_line_and_exit_2(tmp_path, args):
    root = make_repo(tmp_path, {"main.tf": GOOD})
    done = iacm_lint(*args, cwd=root, stdout_path="/dev/full")
    assert (done.returncode, one_line(done)) == (
        2, "iacm-lint: cannot write to standard output: No space left on device")


@pytest.mark.parametrize("args", [("check", "."), ("check", ".", "-q", "--select", "IACM000"), ("report", ".")])
def test_a_closed_standard_output_is_an_error_not_a_silent_success(tmp_path, args):
    root = make_repo(tmp_path, {"main.tf": GOOD})
    done = iacm_lint(*args, cwd=root, close_stdout=True)
    assert (done.returncode, one_line(done)) == (
        2, "iacm-lint: standard output is closed; write the output to a file with -o FILE or FMT:FILE")
    assert iacm_lint("check", ".", "--format", "json:out.json", cwd=root, close_stdout=True).returncode == 0
    assert isinstance(json.loads((root / "out.json").read_text())["findings"], list)


@pytest.mark.parametrize("command, module", [("check", check_cli), ("report", readiness_cli)])
def test_verbose_shows_the_traceback_of_an_internal_error_and_still_exits_2(tmp_path, monkeypatch, command, module):
    (tmp_path / "main.tf").write_text(GOOD)

    def broken(*args, **kwargs):
        raise KeyError("a value from the scanned files")

    monkeypatch.setattr(module, "run", broken)
    quiet = CliRunner().invoke(cli_module.main, [command, str(tmp_path)])
    assert quiet.exit_code == 2
    assert quiet.stderr.startswith("iacm-lint: internal error: KeyError at ") and "a value from" not in quiet.stderr
    verbose = CliRunner().invoke(cli_module.main, [command, str(tmp_path), "--verbose"])
    assert verbose.exit_code == 2
    assert verbose.stderr.startswith("Traceback (most recent call last):")
    assert verbose.stderr.splitlines()[-1].startswith("iacm-lint: internal error: KeyError at ")


@pytest.mark.parametrize("args, message", [
    (("--max-file-size", "99999999999999999999999"),
     "Invalid value for --max-file-size: '99999999999999999999999' is larger than the largest limit, 1GB"),
    (("--max-file-size", "9" * 5000), "Invalid value for --max-file-size: '" + "9" * 39 + "…' is larger than the "
                                      "largest limit, 1GB"),
    (("--max-file-size", "2GB"), "Invalid value for --max-file-size: '2GB' is larger than the largest limit, 1GB"),
    (("--jobs", "257"), "Invalid value for '--jobs': 257 is not in the range 1<=x<=256."),
    (("--select", ""), "Invalid value for --select: '' names no rule; give rule IDs or prefixes such as IACM1 "
                       "(see `iacm-lint rules`)"),
    (("--select", " , "), "Invalid value for --select: ' , ' names no rule; give rule IDs or prefixes such as IACM1 "
                          "(see `iacm-lint rules`)"),
    (("--ignore", ""), "Invalid value for --ignore: '' names no rule; give rule IDs or prefixes such as IACM1 "
                       "(see `iacm-lint rules`)"),
])
def test_option_values_out_of_bounds_are_usage_errors(tmp_path, args, message):
    root = make_repo(tmp_path, {"main.tf": GOOD})
    done = iacm_lint("check", ".", *args, cwd=root)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == "Error: " + message
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_a_config_max_file_size_beyond_the_largest_limit_is_a_config_error(tmp_path):
    root = make_repo(tmp_path, {"main.tf": GOOD, ".iacm-lint.yaml": "max-file-size: 99999999999999999999999\n"})
    done = iacm_lint("check", ".", cwd=root)
    assert (done.returncode, one_line(done)) == (
        2, "iacm-lint: .iacm-lint.yaml:1: max-file-size: expected a positive number of bytes up to 1073741824 "
           "(1 GB), got a number")

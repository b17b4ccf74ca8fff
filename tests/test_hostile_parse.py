"""Hostile input for the parse stage (issue 25): one file must never end the
scan, cost unbounded time or memory, or leave processes behind.

- numbers too long for int() (in every Terraform file kind) keep their text;
- any exception while parsing one file is that file's IACM000, in this
  process and in the pool's workers;
- a pool that cannot start, or whose worker fails, hands its files back;
- blank lines, long strings, comments and heredocs cost memory in proportion
  to the file, and a file past limits.MAX_TOKENS is "too complex to analyse";
- killing the scan kills its parser processes.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from iacm_lint.engine import run
from iacm_lint.model.syntax import TF, TF_JSON, TFVARS, YAML
from iacm_lint.options import Options
from iacm_lint.parse import hcl, limits, textio, yaml as yamlmodel
from iacm_lint.parse.file import parse_source
from iacm_lint.scan import pool
from test_hostile_repos import GOOD, iacm000, repo, scan

DIGITS = "9" * 5000  # Python's int() refuses 4,301 digits and more

# a finding in another file that must survive whatever the hostile file does
BACKEND = ('terraform {\n  backend "s3" {\n    bucket       = "b"\n    key          = "k"\n'
           '    region       = "us-east-1"\n    encrypt      = false\n    use_lockfile = true\n  }\n}\n')
BACKEND_FINDING = ("IACM112", "backend.tf", 6, 5)
# the root has a backend but no required_version: the IACM000 of a module file not read says so (issue 28)
NOT_CHECKED = "; required_version in it was not checked"


def rows(result) -> set[tuple]:
    return {(f.rule_id, f.span.path, f.span.line, f.span.col) for f in result.findings}


def model_of(result, path: str):
    return next(f for f in (*result.repo.hcl_files, *result.repo.yaml_files) if f.path == path)


@pytest.fixture()
def force_pool(monkeypatch):
    """Small test repositories are split over worker processes too."""
    monkeypatch.setattr(pool, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(pool, "CHUNK_BYTES", 64)


# ---- numbers too long for int() ---------------------------------------------------------------


@pytest.mark.parametrize("name, text, where", [
    ("big.tf", f"locals {{\n  big = {DIGITS}\n  neg = -{DIGITS}\n  exp = 1e999999\n}}\n", "locals"),
    ("big.tfvars", f"big = {DIGITS}\nneg = -{DIGITS}\nexp = 1e999999\n", None),
    ("big.tfbackend", f"big = {DIGITS}\nneg = -{DIGITS}\nexp = 1e999999\n", None),
    ("big.tf.json", f'{{"locals": {{"big": {DIGITS}, "neg": -{DIGITS}, "exp": 1e999999}}}}', "locals"),
])
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_five_thousand_digit_number_is_kept_as_text(tmp_path, name, text, where, jobs, force_pool):
    root = repo(tmp_path, {"backend.tf": BACKEND, name: text})
    result = scan(root, jobs=jobs)
    assert iacm000(result) == []
    assert BACKEND_FINDING in rows(result)
    assert result.stats["checked"] == 2
    parsed = model_of(result, name)
    assert parsed.error is None
    attributes = parsed.blocks[0].attributes if where else parsed.attributes
    values = {a.name: (a.expr.kind, a.expr.value) for a in attributes}
    assert values == {"big": ("number", DIGITS), "neg": ("number", "-" + DIGITS), "exp": ("number", float("inf"))}


def test_numbers_that_int_can_take_stay_numbers():
    assert [limits.number_value(raw) for raw in ("0", "-12", "1.5", "2e3", "1" * 640)] == [
        0, -12, 1.5, 2000.0, int("1" * 640)]
    assert limits.number_value("1" * 641) == "1" * 641
    parsed = parse_source(f"x = -(12)\ny = -(-5)\nz = -(-{DIGITS})\n", None, "t.tfvars", TFVARS)
    assert [a.expr.value for a in parsed.attributes] == [-12, 5, DIGITS]


def test_huge_numbers_through_the_command_line(tmp_path):
    root = repo(tmp_path, {"backend.tf": BACKEND, "big.tf": f"locals {{\n  x = {DIGITS}\n}}\n"})
    out = subprocess.run([sys.executable, "-m", "iacm_lint", "check", str(root), "--no-cache", "--format", "gcc",
                          "--select", "IACM000,IACM112"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr  # a warning: below --fail-on error
    assert out.stdout.splitlines() == ['backend.tf:6:5: warning: backend "s3" sets encrypt = false, so state and the '
                                       "secrets in it are stored unencrypted; set encrypt = true (or kms_key_id) "
                                       "[IACM112]"]
    assert out.stderr == ""


# ---- an exception while parsing one file --------------------------------------------------------


SECRET = "hunter2-do-not-print"
RAISED = [ValueError(SECRET), KeyError(SECRET), MemoryError(), RecursionError(SECRET), AssertionError(SECRET)]


@pytest.mark.parametrize("exc", RAISED, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_in_a_parser_is_that_files_iacm000(tmp_path, monkeypatch, force_pool, exc, jobs):
    real_hcl, real_yaml = hcl.parse_hcl, yamlmodel.load_pipeline_file

    def parse_hcl(text, path, kind):
        if path.startswith("bad"):
            raise exc
        return real_hcl(text, path, kind)

    def load_pipeline_file(path, text):
        if path.endswith("bad.yaml"):
            raise exc
        return real_yaml(path, text)

    monkeypatch.setattr(hcl, "parse_hcl", parse_hcl)  # the workers are forked: they inherit the patch
    monkeypatch.setattr(yamlmodel, "load_pipeline_file", load_pipeline_file)
    root = repo(tmp_path, {"backend.tf": BACKEND, "bad.tf": GOOD, "bad.tf.json": "{}",
                           ".harness/bad.yaml": "pipeline:\n  name: p\n"})
    result = scan(root, jobs=jobs)
    assert BACKEND_FINDING in rows(result)
    messages = iacm000(result)
    assert [m.split(": ", 1)[0] for m in messages] == [".harness/bad.yaml:1:1", "bad.tf:1:1", "bad.tf.json:1:1"]
    name, where = type(exc).__name__, re.escape(parse_source.__module__.replace(".", "/"))  # the package's frame
    for message, file in zip(messages, ("bad.yaml", "bad.tf", "bad.tf.json"), strict=True):
        not_checked = "" if file.endswith(".yaml") else NOT_CHECKED
        assert re.fullmatch(rf"\S+: cannot parse {re.escape(file)}: internal error \({name} at "
                            rf"{where}\.py:\d+\), not analysed{not_checked}", message), message
        assert SECRET not in message
    assert result.stats["unparsable"] == 3 and result.stats["checked"] == 1


def test_a_read_that_fails_with_memory_error_is_iacm000(tmp_path, monkeypatch):
    real = textio.read_regular

    def read_regular(path, limit=None):
        if path.endswith("bad.tf"):
            raise MemoryError
        return real(path, limit)

    monkeypatch.setattr(textio, "read_regular", read_regular)
    monkeypatch.setattr(pool, "read_regular", read_regular)
    root = repo(tmp_path, {"backend.tf": BACKEND, "bad.tf": GOOD})
    result = scan(root)
    assert BACKEND_FINDING in rows(result)
    [message] = iacm000(result)
    where = re.escape(textio.read_source.__module__.replace(".", "/"))  # the package's frame that called it
    assert re.fullmatch(r"bad\.tf:1:1: cannot parse bad\.tf: cannot read file: internal error \(MemoryError at "
                        rf"{where}\.py:\d+\){NOT_CHECKED}", message), message


# ---- the process pool -----------------------------------------------------------------------------


TESTDATA = Path(__file__).resolve().parent.parent / "testdata" / "examples"


def finding_rows(result) -> list[tuple]:
    return [(f.rule_id, f.level, f.message, f.span) for f in result.findings]


class _NoProcesses:
    """A ProcessPoolExecutor on a machine out of processes (fork: EAGAIN)."""

    def __init__(self, *args, **kwargs):
        pass

    def submit(self, *args, **kwargs):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    def shutdown(self, *args, **kwargs):
        pass


def _out_of_memory(chunk):
    raise MemoryError


@pytest.mark.parametrize("breakage", ["cannot start", "memory error in a worker"])
def test_a_failing_pool_hands_its_files_back(monkeypatch, force_pool, breakage):
    alone = run([str(TESTDATA)], Options(jobs=1, cache=False))
    if breakage == "cannot start":
        monkeypatch.setattr(pool, "ProcessPoolExecutor", _NoProcesses)
        where = re.escape(pool.__name__.replace(".", "/"))
        note = (rf"the parser processes failed \(BlockingIOError at {where}\.py:\d+\); "
                r"\d+ files were parsed in this process instead")
    else:
        monkeypatch.setattr(pool, "_work", _out_of_memory)  # forked workers inherit it
        where = re.escape(pool.__name__.replace(".", "/"))
        note = (rf"\d+ of the parser processes' tasks failed \(MemoryError at {where}\.py:\d+\); "
                r"their files were parsed in this process")
    pooled = run([str(TESTDATA)], Options(jobs=2, cache=False))
    assert pooled.repo.parse_stats.workers == 2
    assert pooled.repo.hcl_files == alone.repo.hcl_files and pooled.repo.yaml_files == alone.repo.yaml_files
    assert finding_rows(pooled) == finding_rows(alone) and len(alone.findings) > 10
    assert pooled.internal_errors == []
    assert len([n for n in pooled.repo.notes if re.fullmatch(note, n)]) == 1, pooled.repo.notes


def test_reading_a_small_file_allocates_its_size_not_the_limit(tmp_path):
    """read(limit) allocated the whole limit and shrank it; glibc leaves each
    such buffer in a mapping of its own, and 100,000 small files exhausted
    vm.max_map_count. The file's own size is read."""
    (tmp_path / "small.tf").write_text("x = 1\n")
    tracemalloc.start()
    try:
        data = textio.read_regular(str(tmp_path / "small.tf"), 10 * 1024 * 1024 + 1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data == b"x = 1\n"
    assert peak < 64 * 1024, peak


def test_utf32_is_named_utf32(tmp_path):
    root = repo(tmp_path, {"backend.tf": BACKEND, "le.tf": "x = 1\n".encode("utf-32"),
                           "be.tf": "\ufeffx = 1\n".encode("utf-32-be"), "16.tf": "x = 1\n".encode("utf-16")})
    result = scan(root)
    assert iacm000(result) == [
        f"{name}:1:1: cannot parse {name}: file is {encoding} encoded; Terraform and Harness read only UTF-8"
        f"{NOT_CHECKED}"
        for name, encoding in (("16.tf", "UTF-16"), ("be.tf", "UTF-32"), ("le.tf", "UTF-32"))]


# ---- time and memory per file ---------------------------------------------------------------------


def _peak_per_byte(text: str, path: str, kind: str) -> float:
    hcl._parser()  # the grammar's tables are not the file's cost
    tracemalloc.start()
    try:
        model = parse_source(text, None, path, kind)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert model is not None and model.error is None, model.error
    return peak / len(text)


SIZE = 300_000


@pytest.mark.parametrize("shape, path, kind, text", [
    # one token per blank line: 235 bytes of memory per byte of file
    ("blank lines", "m.tf", TF, "x = 1\n" + "\n" * SIZE),
    ("blank CRLF lines", "m.tf", TF, "x = 1\r\n" + " \t\r\n" * (SIZE // 4)),
    # regex backtracking state per character of a string, comment or heredoc: 150-200 bytes
    ("one long line", "m.tf", TF, 'x = "' + "a" * SIZE + '"\n'),
    ("block comment", "m.tf", TF, "/*" + "\n" * SIZE + "*/\nx = 1\n"),
    ("heredoc", "m.tf", TF, "x = <<EOT\n" + "\n" * SIZE + "EOT\n"),
    ("blank lines in JSON", "m.tf.json", TF_JSON, '{"locals": {"x": 1}}' + "\n" * SIZE),
    ("blank lines in YAML", ".harness/p.yaml", YAML, "pipeline:\n  name: p\n" + "\n" * SIZE),
])
def test_memory_grows_with_the_file_not_with_its_lines(shape, path, kind, text):
    assert _peak_per_byte(text, path, kind) < 12


@pytest.mark.parametrize("shape, text", [
    # the closing marker was sought after `\s*`, which ran over every later blank line: quadratic
    ("unclosed heredoc over blank lines", "x = <<EOT\n" + "\n" * 40_000),
    ("unclosed indented heredoc", "x = <<-EOT\n" + " \n" * 40_000),
    # every "${" was matched to the end of the text, every name after a "-" scanned to its end
    ("unclosed interpolations", "x = <<EOT\n" + "${" * 100_000 + "\nEOT\n"),
    ("dashes in an interpolation", "x = <<EOT\n${" + "a-" * 40_000 + "}\nEOT\n"),
    ("escaped quotes in an interpolation", 'x = <<EOT\n${"' + '\\"' * 40_000 + "}\nEOT\n"),
])
def test_no_quadratic_scans(shape, text):
    hcl._parser()
    started = time.perf_counter()
    parse_source(text, None, "m.tf", TF)
    assert time.perf_counter() - started < 2.0, shape


TOO_COMPLEX = "too complex to analyse (more than 2,000 tokens)"


@pytest.mark.parametrize("name, text", [
    ("comments.tf", "#\n" * 2_001),
    ("blocks.tf", "a {}\n" * 600),
    ("attributes.tf", "a {\n" + "x = 1\n" * 600 + "}\n"),
    ("list.tfvars", "x = [" + "0," * 1_100 + "]\n"),
    ("list.tf.json", '{"locals": {"x": [' + ",".join(["0"] * 2_100) + "]}}"),
    (".harness/list.yaml", "pipeline:\n  x: [" + ",".join(["0"] * 2_100) + "]\n"),
])
def test_past_the_token_budget_a_file_is_too_complex(tmp_path, monkeypatch, force_pool, name, text):
    monkeypatch.setattr(limits, "MAX_TOKENS", 2_000)
    root = repo(tmp_path, {"backend.tf": BACKEND, name: text})
    result = scan(root, jobs=2)
    not_checked = NOT_CHECKED if name.endswith((".tf", ".tf.json")) else ""  # a module file
    assert iacm000(result) == [f"{name}:1:1: cannot parse {name.rsplit('/', 1)[-1]}: {TOO_COMPLEX}{not_checked}"]
    assert BACKEND_FINDING in rows(result)


def test_within_the_token_budget_the_counting_parse_gives_the_same_model(monkeypatch):
    text = 'a "b" {\n  x = [1, 2, var.c]\n  # note\n  y = "${d.e}"\n}\n' * 40
    direct = parse_source(text, None, "m.tf", TF)
    monkeypatch.setattr(limits, "MAX_TOKENS", 1_500)  # shorter than the text: counted token by token
    assert len(text) > 1_500
    assert parse_source(text, None, "m.tf", TF) == direct
    monkeypatch.setattr(limits, "MAX_TOKENS", 1_000)
    assert parse_source(text, None, "m.tf", TF).error.message == "too complex to analyse (more than 1,000 tokens)"


# ---- parser processes die with the scan -----------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads the process table from /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_killing_the_scan_kills_its_parser_processes(tmp_path, sig):
    root = repo(tmp_path, {f"f{i}.tf": "a {}\n" * 20_000 for i in range(24)})  # ~1 s of parsing each
    command = [sys.executable, "-m", "iacm_lint", "check", str(root), "--no-cache", "--jobs", "3"]
    scan_process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and scan_process.poll() is None:
            time.sleep(0.05)
            workers = _children(scan_process.pid)
        assert len(workers) == 2, "the scan did not start its two worker processes"
        time.sleep(0.3)  # the workers are parsing
        scan_process.send_signal(sig)
        scan_process.wait(timeout=5)
        deadline = time.monotonic() + 5
        while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in workers if _running(pid)] == []
    finally:
        for pid in [scan_process.pid, *workers]:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
        scan_process.wait()


def test_a_worker_whose_parent_is_gone_exits(monkeypatch):
    """The race the kernel's parent-death signal cannot cover: the parent
    died before the worker asked for it."""
    exits = []
    monkeypatch.setattr(pool.os, "_exit", exits.append)
    monkeypatch.setattr(pool, "_kill_me_with_parent", lambda: True)  # not this test process's own death signal
    pool._exit_with_parent(os.getppid())  # this process's parent: still there
    assert exits == []
    pool._exit_with_parent(-1)  # not this process's parent: gone
    assert exits == [1]

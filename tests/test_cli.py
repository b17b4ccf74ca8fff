"""The installed `iacm-lint` command, called the way CI calls it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXE = shutil.which("iacm-lint") or str(Path(sys.executable).with_name("iacm-lint"))


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.fixture
def mixed_repo(tmp_path: Path) -> Path:
    """One good file, one syntax error, one binary file, one invalid UTF-8 file."""
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n')
    (tmp_path / "broken.tf").write_text('locals {\n  a = [1, 2\n}\n')
    (tmp_path / "x.tf").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00binary")
    (tmp_path / "latin1.tf").write_bytes(b'variable "owner" {\n  default = "Jos\xe9"\n}\n')
    return tmp_path


def test_bad_input_gives_iacm000_each_and_exit_1(mixed_repo: Path):
    done = cli("check", str(mixed_repo), "--format", "gcc", "--select", "IACM000")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    not_checked = "; a backend block or required_version in it was not checked [IACM000]"  # the root has neither
    assert done.stdout.splitlines() == [
        f'broken.tf:2:7: error: cannot parse broken.tf: "[" is never closed{not_checked}',
        f"latin1.tf:2:17: error: cannot parse latin1.tf: invalid UTF-8 byte 0xe9{not_checked}",
        f"x.tf:1:8: error: cannot parse x.tf: file contains NUL bytes (binary content), not text{not_checked}",
    ]


def test_missing_path_is_a_one_line_usage_error(tmp_path: Path):
    done = cli("check", str(tmp_path / "nope"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"iacm-lint: path does not exist: {tmp_path / 'nope'}"
    assert done.stdout == ""


def test_unknown_rule_selector_exits_2(tmp_path: Path):
    done = cli("check", str(tmp_path), "--select", "IACM999")
    assert done.returncode == 2
    assert "IACM999" in done.stderr and "Traceback" not in done.stderr


def test_clean_directory_exits_0(tmp_path: Path):
    (tmp_path / "main.tf").write_text('locals {\n  name = "x"\n}\n')
    done = cli("check", str(tmp_path), "--select", "IACM000", "--format", "gcc")
    assert (done.returncode, done.stdout) == (0, "")


def test_explain_and_rules():
    done = cli("explain", "IACM000")
    assert done.returncode == 0 and "## What it does" in done.stdout
    listing = cli("rules")
    assert listing.returncode == 0 and listing.stdout.startswith("IACM000  parse-error")
    assert cli("explain", "IACM999").returncode == 2


def test_version():
    done = cli("--version")
    assert done.returncode == 0 and done.stdout.startswith("iacm-lint, version ")

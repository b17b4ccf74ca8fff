"""The hcl2 clash guard: bc-python-hcl2 (checkov) shadowing python-hcl2's
`hcl2` package makes `iacm-lint check` exit 2 with one line, never a traceback.

Each case builds the foreign package in a temp dir that a subprocess puts
first on sys.path (PYTHONPATH), the way pip leaves it when both are installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from iacm_lint.parse.envcheck import REQUIRED_RULES, hcl2_problem

FIX = "install iacm-lint in its own environment: pipx install iacm-lint"

# bc-python-hcl2 0.4.x: the pre-8 python-hcl2 layout (module-level Lark object, no post-lexer)
BC_PARSER = '''"""A parser for HCL2 implemented using the Lark parser"""
import os
from os.path import dirname

from lark import Lark

from hcl2.transformer import DictTransformer

PARSER_FILE = os.path.join(dirname(__file__), '.lark_cache.bin')

hcl2 = Lark.open(
    'hcl2.lark',
    parser='lalr',
    cache=PARSER_FILE,
    rel_to=__file__,
    transformer=DictTransformer()
)
'''
BC_INIT = '"""For package documentation, see README"""\nfrom .api import load, loads\n'
BC_API = ('from hcl2.parser import hcl2\n\n\ndef loads(text):\n    return hcl2.parse(text + "\\n")\n\n\n'
          'def load(file):\n    return loads(file.read())\n')
BC_GRAMMAR = '''start : body
body : (new_line_or_comment? (attribute | block))* new_line_or_comment?
attribute : identifier "=" expression
block : identifier (identifier | STRING_LIT)* new_line_or_comment? "{" body "}"
expression : identifier | STRING_LIT
STRING_LIT : /"[^"]*"/
new_line_and_or_comma: new_line_or_comment | "," | "," new_line_or_comment
new_line_or_comment: ( /\\n/ | /#.*\\n/ | /\\/\\/.*\\n/ )+
identifier : /[a-zA-Z_][a-zA-Z0-9_-]*/
'''


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def _bc_package(root: Path) -> None:
    _write(root, {"hcl2/__init__.py": BC_INIT, "hcl2/api.py": BC_API, "hcl2/parser.py": BC_PARSER,
                  "hcl2/transformer.py":
                      "from lark import Transformer\n\n\nclass DictTransformer(Transformer):\n    pass\n",
                  "hcl2/hcl2.lark": BC_GRAMMAR})


def _bc_dist_info(root: Path) -> None:
    _write(root, {"bc_python_hcl2-0.4.3.dist-info/METADATA":
                  "Metadata-Version: 2.1\nName: bc-python-hcl2\nVersion: 0.4.3\nRequires-Dist: lark>=1.0.0\n",
                  "bc_python_hcl2-0.4.3.dist-info/RECORD": "hcl2/__init__.py,,\nhcl2/parser.py,,\nhcl2/api.py,,\n"})


def _copy_python_hcl2(root: Path) -> Path:
    """A private copy of the installed python-hcl2 (package + dist-info), so a
    case can change files without touching the real environment."""
    dist = metadata.distribution("python-hcl2")
    package = Path(dist.locate_file("hcl2"))
    shutil.copytree(package, root / "hcl2", ignore=shutil.ignore_patterns("__pycache__", ".lark_cache*"))
    info = next(Path(dist.locate_file(f)).parent for f in dist.files if f.name == "METADATA")
    shutil.copytree(info, root / info.name)
    return root / info.name


def _check(pythonpath: Path, workdir: Path, *args: str) -> subprocess.CompletedProcess:
    (workdir / "main.tf").write_text('terraform {\n  backend "s3" {}\n}\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, "-m", "iacm_lint", "check", ".", *args], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture()
def shadow(tmp_path):
    (tmp_path / "shadow").mkdir()
    (tmp_path / "work").mkdir()
    return tmp_path / "shadow", tmp_path / "work"


def _assert_one_line(result: subprocess.CompletedProcess, expected: str) -> None:
    assert (result.returncode, result.stdout, result.stderr) == (2, "", expected + "\n")


def test_clean_environment_has_no_problem():
    assert hcl2_problem() is None


@pytest.mark.parametrize("with_files", [True, False], ids=["files-shadow-hcl2", "dist-info-only"])
def test_bc_python_hcl2_installed_exits_2_with_one_line(shadow, with_files):
    """The acceptance case (its files shadow `hcl2`), and the same refusal while
    they still happen to be python-hcl2's: the next checkov install breaks it."""
    shadow_dir, work = shadow
    if with_files:
        _bc_package(shadow_dir)
    _bc_dist_info(shadow_dir)
    _assert_one_line(_check(shadow_dir, work),
                     "iacm-lint: bc-python-hcl2 0.4.3 (a dependency of checkov) is installed here and overwrites "
                     f"python-hcl2's `hcl2` package, which iacm-lint's parser needs; {FIX}")


def test_foreign_hcl2_without_metadata_lacks_the_post_lexer(shadow):
    shadow_dir, work = shadow
    _bc_package(shadow_dir)
    _assert_one_line(_check(shadow_dir, work),
                     f"iacm-lint: the `hcl2` package at {shadow_dir / 'hcl2'} is not python-hcl2 8 "
                     f"(it has no hcl2.postlexer.PostLexer); {FIX}")


def test_hcl2_that_cannot_be_imported(shadow):
    shadow_dir, work = shadow
    _write(shadow_dir, {"hcl2/__init__.py": "from hcl2.lark_parser import Lark_StandAlone\n"})
    _assert_one_line(_check(shadow_dir, work),
                     f"iacm-lint: the `hcl2` package cannot be imported (No module named 'hcl2.lark_parser'); {FIX}")


def test_mixed_install_with_the_old_grammar(shadow):
    shadow_dir, work = shadow
    _copy_python_hcl2(shadow_dir)
    (shadow_dir / "hcl2" / "hcl2.lark").write_text(BC_GRAMMAR, encoding="utf-8")
    _assert_one_line(_check(shadow_dir, work),
                     f"iacm-lint: the hcl2.lark grammar at {shadow_dir / 'hcl2'} is not python-hcl2 8's "
                     f"(no rule arguments, attr_splat_expr_term, expr_term, ...); {FIX}")


def test_mixed_install_detected_by_python_hcl2_record(shadow):
    shadow_dir, work = shadow
    _copy_python_hcl2(shadow_dir)
    with open(shadow_dir / "hcl2" / "api.py", "a", encoding="utf-8") as handle:
        handle.write("\n# written by another distribution\n")
    _assert_one_line(_check(shadow_dir, work),
                     "iacm-lint: python-hcl2's files were overwritten or removed by another package (hcl2/api.py); "
                     f"{FIX}")


@pytest.mark.parametrize("version", ["9.0.0", "8.0.0"])
def test_python_hcl2_outside_the_required_range(shadow, version):
    shadow_dir, work = shadow
    info = _copy_python_hcl2(shadow_dir)
    meta = info / "METADATA"
    lines = meta.read_text(encoding="utf-8").splitlines()
    meta.write_text("\n".join(f"Version: {version}" if line.startswith("Version:") else line for line in lines) + "\n",
                    encoding="utf-8")
    required = next(r for r in metadata.requires("iacm-lint") if r.startswith("python-hcl2"))
    assert ">=8." in required and "<9" in required
    _assert_one_line(_check(shadow_dir, work),
                     f"iacm-lint: python-hcl2 {version} is installed but iacm-lint needs {required}; {FIX}")


def test_the_intact_copy_passes_the_guard(shadow):
    """Control for the two cases above: the unchanged private copy is accepted
    and the scan runs (a finding on the backend, no guard line)."""
    shadow_dir, work = shadow
    _copy_python_hcl2(shadow_dir)
    result = _check(shadow_dir, work, "--fail-on", "never")
    assert (result.returncode, result.stderr) == (0, "")
    assert "main.tf:2:3: " in result.stdout


def test_required_rules_are_the_ones_hcl_py_reads():
    source = (Path(__file__).resolve().parent.parent / "lint" / "parse" / "hcl.py").read_text(encoding="utf-8")
    for name in REQUIRED_RULES:
        assert f'"{name}"' in source, name

"""The built distribution works on its own: `python -m build` (sdist, then the
wheel from the sdist), the wheel installed into a fresh virtual environment,
and `iacm-lint` run from a temporary directory there.

One build and one venv for the whole session (~15 s). Offline by design:

- the build runs with `--no-isolation`, i.e. with this environment's
  setuptools; `build` still checks that `[build-system] requires` is met;
- the fresh venv gets iacm-lint only from the built wheel (pip, no index, no
  editable install, no source tree on sys.path), and its *dependencies* from
  this environment: the installed files of exactly the distributions the
  wheel's Requires-Dist names (transitively) are linked into one directory
  that a .pth file puts on the venv's path. pip resolves the wheel's
  requirements against those, so an undeclared or unsatisfiable dependency
  fails the install or the run. (`venv --system-site-packages` would expose the
  base interpreter, not this environment, and downloading from PyPI would make
  the test depend on the network.)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIRS = {"lint": "iacm_lint", "rules": "iacm_lint/rules"}  # lint/report -> iacm_lint/report follows from lint
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", "*.pyc",
                                     ".pytest_cache", ".hypothesis", ".iacm-lint-cache", ".mypy_cache", ".ruff_cache")

EXAMPLE = {
    "main.tf": """\
terraform {
  required_version = ">= 1.3"

  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "network/terraform.tfstate"
    region = "eu-west-1"
  }
}

resource "aws_vpc" "main" {
  cidr_block = var.cidr
}
""",
    "variables.tf": """\
variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "db_password" {
  type    = string
  default = "Tr0ub4dor-and-3"
}
""",
}


def _project_version() -> str:
    """The version pyproject.toml takes (dynamically) from lint/__init__.py."""
    assert 'version = { attr = "iacm_lint.__version__" }' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', (ROOT / "lint" / "__init__.py").read_text(encoding="utf-8"),
                      re.MULTILINE)
    assert match, "lint/__init__.py has no literal __version__"
    return match.group(1)


def _run(cmd, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 300)
    return subprocess.run([str(c) for c in cmd], **kwargs)


def _clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV")) and k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(PYTHONNOUSERSITE="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", **extra)
    return env


def _source_files() -> dict[str, Path]:
    """Every file the package directories hold, by its path inside the wheel."""
    files = {}
    for src, dest in PACKAGE_DIRS.items():
        for path in sorted((ROOT / src).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files[f"{dest}/{path.relative_to(ROOT / src).as_posix()}"] = path
    return files


def _dependency_closure(requires: list[str]) -> list[metadata.Distribution]:
    """The installed distributions that `requires` (Requires-Dist lines) needs,
    transitively, in this environment."""
    found: dict[str, metadata.Distribution] = {}
    todo = list(requires)
    while todo:
        req = Requirement(todo.pop())
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(req.name)
        if name in found:
            continue
        dist = metadata.distribution(req.name)
        assert dist.version in req.specifier or not req.specifier, f"{req} but {dist.version} is installed here"
        found[name] = dist
        todo.extend(dist.requires or ())
    return list(found.values())


def _link_dependencies(dists: list[metadata.Distribution], target: Path) -> None:
    target.mkdir()
    for dist in dists:
        assert dist.files, f"{dist.metadata['Name']} has no RECORD; cannot reuse it offline"
        tops = {entry.parts[0] for entry in dist.files if entry.parts[0] not in ("..", "") and entry.suffix != ".pth"}
        for top in sorted(tops):
            source = Path(dist.locate_file(top))
            if source.exists() and not (target / top).exists():
                (target / top).symlink_to(source, target_is_directory=source.is_dir())


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """(sdist, wheel) built from a copy of the working tree."""
    base = tmp_path_factory.mktemp("build")
    tree = base / "src"
    shutil.copytree(ROOT, tree, ignore=COPY_IGNORE, symlinks=True)
    out = base / "dist"
    result = _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, tree], cwd=base)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    sdists, wheels = sorted(out.glob("*.tar.gz")), sorted(out.glob("*.whl"))
    assert len(sdists) == 1 and len(wheels) == 1, sorted(p.name for p in out.iterdir())
    return sdists[0], wheels[0]


@pytest.fixture(scope="session")
def venv(built, tmp_path_factory):
    """A fresh venv with iacm-lint installed from the wheel; returns its bin dir."""
    _, wheel = built
    base = tmp_path_factory.mktemp("venv")
    env_dir = base / "venv"
    result = _run([sys.executable, "-m", "venv", env_dir], env=_clean_env())
    assert result.returncode == 0, result.stderr
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], env=_clean_env())
    with zipfile.ZipFile(wheel) as archive:
        meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        requires = [line.split(":", 1)[1].strip() for line in archive.read(meta).decode().splitlines()
                    if line.startswith("Requires-Dist:")]
    deps = base / "deps"
    _link_dependencies(_dependency_closure(requires), deps)
    (Path(purelib.stdout.strip()) / "_iacm_lint_test_deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    result = _run([python, "-m", "pip", "install", "--no-index", "--no-cache-dir", wheel],
                  cwd=base, env=_clean_env())
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return bin_dir


@pytest.fixture()
def example(tmp_path) -> Path:
    for name, text in EXAMPLE.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_sdist_holds_the_sources_and_no_tests(built):
    sdist, _ = built
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    stem = sdist.name[: -len(".tar.gz")]
    for wheel_path in _source_files():
        source = wheel_path.replace("iacm_lint/rules/", "rules/").replace("iacm_lint/", "lint/")
        assert source in names, f"{source} is missing from {stem}"
    assert {"pyproject.toml", "README.md", "PKG-INFO"} <= names
    tops = {name.split("/")[0] for name in names}
    assert tops <= {"PKG-INFO", "README.md", "pyproject.toml", "setup.cfg", "MANIFEST.in", "LICENSE",
                    "iacm_lint.egg-info", "lint", "rules"}, tops


def test_wheel_carries_every_package_file(built):
    _, wheel = built
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    version = _project_version()
    missing = sorted(set(_source_files()) - names)
    assert missing == []
    assert "iacm_lint/knowledge/data/backends.json" in names and "iacm_lint/__main__.py" in names
    assert "iacm_lint/parse/hcl2-tables.json" in names  # the grammar's parse tables: no build on a first run
    assert {n.split("/")[0] for n in names} == {"iacm_lint", f"iacm_lint-{version}.dist-info"}
    assert wheel.name == f"iacm_lint-{version}-py3-none-any.whl"


def test_installed_wheel_version_comes_from_metadata(venv, tmp_path):
    version = _project_version()
    result = _run([venv / "iacm-lint", "--version"], cwd=tmp_path, env=_clean_env())
    assert (result.returncode, result.stdout, result.stderr) == (0, f"iacm-lint, version {version}\n", "")
    module = _run([venv / "python", "-m", "iacm_lint", "--version"], cwd=tmp_path, env=_clean_env())
    assert (module.returncode, module.stdout) == (0, f"iacm-lint, version {version}\n")


def test_installed_wheel_imports_from_the_venv_only(venv, tmp_path):
    code = "import iacm_lint, json, sys; print(json.dumps([iacm_lint.__file__, sys.path]))"
    result = _run([venv / "python", "-c", code], cwd=tmp_path, env=_clean_env())
    location, path = json.loads(result.stdout)
    assert Path(location).is_relative_to(venv.parent), location
    assert not any(Path(entry).resolve() == ROOT or Path(entry).resolve().is_relative_to(ROOT)
                   for entry in path if entry)


def test_installed_wheel_checks_like_the_source_tree(venv, example):
    args = ["check", ".", "--no-cache", "--no-color"]
    installed = _run([venv / "iacm-lint", *args], cwd=example, env=_clean_env())
    assert "Traceback" not in installed.stderr and "internal error" not in installed.stderr, installed.stderr
    assert installed.returncode == 1, installed.stdout + installed.stderr
    # backend schemas and secret word lists are package data: these two need them
    assert re.search(r"^main\.tf:4:3: error IACM110 ", installed.stdout, re.MULTILINE), installed.stdout
    assert re.search(r"^variables\.tf:8:3: error IACM204 ", installed.stdout, re.MULTILINE), installed.stdout
    source = _run([sys.executable, "-m", "iacm_lint", *args], cwd=example, env=_clean_env())
    assert (installed.returncode, installed.stdout, installed.stderr) == \
        (source.returncode, source.stdout, source.stderr)


def test_installed_wheel_parses_with_the_shipped_tables_and_builds_none(venv, tmp_path):
    """A first run from the wheel (empty cache directory) loads the parse
    tables from the package; building them would call lark's Lark()."""
    code = ("import lark, sys\n"
            "def refuse(*args, **kwargs): raise SystemExit('the parse tables were built at run time')\n"
            "lark.Lark.__init__ = lark.Lark.open = refuse\n"
            "from iacm_lint.parse import tables as parsetables\n"
            "from iacm_lint.parse.hcl import parse_hcl\n"
            "model = parse_hcl('variable \"region\" {\\n  default = \"eu-west-1\"\\n}\\n', 'main.tf', 'tf')\n"
            "print(parsetables.loaded_from, parsetables.PACKAGED.startswith(sys.prefix), model.blocks[0].labels)\n")
    cache = tmp_path / "cache"
    result = _run([venv / "python", "-c", code], cwd=tmp_path, env=_clean_env(IACM_LINT_CACHE_DIR=str(cache)))
    assert (result.returncode, result.stdout, result.stderr) == (0, "package True ('region',)\n", "")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "main.tf").write_text(EXAMPLE["main.tf"], encoding="utf-8")
    scan = _run([venv / "iacm-lint", "check", ".", "--format", "gcc"], cwd=repo,
                env=_clean_env(IACM_LINT_CACHE_DIR=str(cache)))
    assert scan.returncode == 1 and scan.stderr == "", scan.stderr
    assert (cache / "key").is_file() and list(cache.glob("models-*.sqlite"))  # the cache was used...
    assert sorted(cache.glob("hcl2-tables-*")) == []  # ...and no tables were built into it


def test_installed_wheel_lists_every_rule(venv, tmp_path):
    installed = _run([venv / "iacm-lint", "rules", "--format", "json"], cwd=tmp_path, env=_clean_env())
    from iacm_lint.registry import all_rules

    assert installed.returncode == 0, installed.stderr
    assert [r["id"] for r in json.loads(installed.stdout)] == [r.id for r in all_rules()]
    assert len(all_rules()) > 10


def test_python_dash_m_is_the_command(tmp_path):
    result = _run([sys.executable, "-m", "iacm_lint", "check", "--help"], cwd=tmp_path, env=_clean_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: iacm-lint check [OPTIONS] [PATHS]...\n")


def test_every_dependency_has_a_lower_bound_and_only_python_hcl2_an_upper_one():
    import importlib.util

    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    spec = importlib.util.spec_from_file_location("lower_bounds", ROOT / "scripts" / "lower_bounds.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = module.lower_bounds(dependencies)  # SystemExit when one lacks a >= bound
    assert [p.split("==")[0] for p in pins] == [Requirement(d).name for d in dependencies]
    upper = [Requirement(d).name for d in dependencies
             if any(s.operator in ("<", "<=", "==", "~=") for s in Requirement(d).specifier)]
    assert upper == ["python-hcl2"]  # lint/parse/hcl.py walks its lark tree, which is no stable API


# ---- what the release workflow uploads (.github/workflows/release.yml) ------------------


def _metadata_texts(built) -> dict[str, bytes]:
    sdist, wheel = built
    with tarfile.open(sdist) as archive:
        pkg_info = archive.extractfile(f"{sdist.name[: -len('.tar.gz')]}/PKG-INFO").read()
    with zipfile.ZipFile(wheel) as archive:
        metadata_file = archive.read(f"iacm_lint-{_project_version()}.dist-info/METADATA")
    return {sdist.name: pkg_info, wheel.name: metadata_file}


def test_distributions_carry_the_licence(built):
    sdist, wheel = built
    licence = (ROOT / "LICENSE").read_bytes()
    with tarfile.open(sdist) as archive:
        assert archive.extractfile(f"{sdist.name[: -len('.tar.gz')]}/LICENSE").read() == licence
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(f"iacm_lint-{_project_version()}.dist-info/licenses/LICENSE") == licence
    for name, text in _metadata_texts(built).items():
        lines = text.decode("utf-8").splitlines()
        assert "License-Expression: Apache-2.0" in lines and "License-File: LICENSE" in lines, name


def test_distribution_metadata_passes_the_checks_of_twine_check(built):
    """What `twine check` (6.x) does, with the library it uses: parse the core
    metadata with packaging.metadata, refuse unknown or invalid fields, and
    require a long description with a content type PyPI renders. The release
    workflow runs twine itself (`twine check --strict`); it is no test
    dependency, as it brings some thirty packages (keyring, cryptography)."""
    from packaging.metadata import Metadata, parse_email

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, text in _metadata_texts(built).items():
        raw, unparsed = parse_email(text)
        assert unparsed == {}, name
        meta = Metadata.from_raw(raw)  # raises ExceptionGroup on any invalid field
        assert (meta.name, str(meta.version), meta.metadata_version) == ("iacm-lint", _project_version(), "2.4")
        assert meta.description_content_type == "text/markdown"
        assert meta.description.strip() == readme.strip()
        assert str(meta.requires_python) == ">=3.10"
        assert str(meta.license_expression) == "Apache-2.0" and meta.license_files == ["LICENSE"]

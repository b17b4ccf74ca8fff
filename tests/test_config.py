"""The configuration file: every key valid and invalid, discovery upwards,
pyproject.toml, and how the CLI lays its options over the file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from iacm_lint.cli import main
from iacm_lint.engine import run
from iacm_lint.engine.check import active_rules
from iacm_lint.filter.config import Config, ConfigError, find_config, load_config, options_from_config
from iacm_lint.options import Options

LOCAL_BACKEND = 'terraform {\n  backend "local" {\n    path = "x.tfstate"\n  }\n}\n'


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def config_error(tmp_path: Path, text: str, name: str = ".iacm-lint.yaml") -> str:
    write(tmp_path, {name: text})
    with pytest.raises(ConfigError) as caught:
        load_config(str(tmp_path / name))
    return str(caught.value).replace(str(tmp_path) + os.sep, "").replace(os.path.relpath(tmp_path) + os.sep, "")


def positions(findings) -> list[tuple[str, str, int, int]]:
    return [(f.rule_id, f.span.path, f.span.line, f.span.col) for f in findings]


# ---- valid files --------------------------------------------------------------------


def test_every_key_is_read(tmp_path: Path):
    write(tmp_path, {".iacm-lint.yaml": """\
engine: opentofu            # auto | opentofu | terraform
state: existing
roots: [envs/dev, envs/prod]
exclude: ["examples/**", "**/.terragrunt-cache/**"]
select: [IACM]
ignore: [iacm303]
severity: {IACM112: error, IACM403: off, IACM1: note}
per-file-ignores: {"legacy/**": [IACM2, IACM106]}
require-reasons: true
baseline: .iacm-lint-baseline.json
max-file-size: 1048576
"""})
    config = load_config(str(tmp_path / ".iacm-lint.yaml"))
    assert config == Config(
        path=str(tmp_path / ".iacm-lint.yaml"), engine="opentofu", state="existing", roots=("envs/dev", "envs/prod"),
        exclude=("examples/**", "**/.terragrunt-cache/**"), select=("IACM",), ignore=("IACM303",),
        severity={"IACM112": "error", "IACM403": "off", "IACM1": "note"},
        per_file_ignores=(("legacy/**", ("IACM2", "IACM106")),), require_reasons=True,
        baseline=".iacm-lint-baseline.json", max_file_size=1048576)


def test_empty_file_sets_nothing(tmp_path: Path):
    write(tmp_path, {".iacm-lint.yaml": "# nothing configured yet\n"})
    config = load_config(str(tmp_path / ".iacm-lint.yaml"))
    assert config == Config(path=str(tmp_path / ".iacm-lint.yaml"))
    assert options_from_config(config, [str(tmp_path)]) == {}


def test_options_from_config_resolve_paths_against_the_config_directory(tmp_path: Path):
    write(tmp_path, {".iacm-lint.yaml": "roots: [envs/dev]\nbaseline: ci/base.json\nengine: terraform\n"
                                        "severity: {IACM1: note, IACM106: warning}\nmax-file-size: 10\n",
                     "envs/dev/main.tf": ""})
    config = load_config(str(tmp_path / ".iacm-lint.yaml"))
    fields = options_from_config(config, [str(tmp_path / "envs")])
    assert fields["roots"] == ("dev",)
    assert fields["baseline"] == str(tmp_path / "ci" / "base.json")
    assert fields["engine"] == "terraform"
    assert fields["max_file_bytes"] == 10
    # a prefix applies to each rule it matches; the more specific key wins
    assert fields["severity"]["IACM106"] == "warning"
    assert fields["severity"]["IACM101"] == "note"
    assert "IACM001" not in fields["severity"]


def test_severity_off_disables_the_rule_and_level_overrides(tmp_path: Path):
    write(tmp_path, {".iacm-lint.yaml": "select: [IACM106, IACM101]\nseverity:\n  IACM106: warning\n  IACM101: off\n",
                     "main.tf": LOCAL_BACKEND})
    options = Options(**options_from_config(load_config(str(tmp_path / ".iacm-lint.yaml")), [str(tmp_path)]))
    assert [r.id for r in active_rules(options)] == ["IACM106"]
    result = run([str(tmp_path)], options)
    assert [(f.rule_id, f.level, f.span.line) for f in result.findings] == [("IACM106", "warning", 2)]


def test_exclude_globs_drop_files_and_directories(tmp_path: Path):
    write(tmp_path, {".iacm-lint.yaml": 'exclude: ["examples/**", "*.bak.tf", "**/.terragrunt-cache/**"]\n',
                     "main.tf": LOCAL_BACKEND, "examples/demo/main.tf": LOCAL_BACKEND,
                     "old.bak.tf": LOCAL_BACKEND, "envs/a/.terragrunt-cache/x/main.tf": LOCAL_BACKEND,
                     "envs/a/main.tf": LOCAL_BACKEND})
    fields = options_from_config(load_config(str(tmp_path / ".iacm-lint.yaml")), [str(tmp_path)])
    assert fields["exclude"]("examples") is True  # the walk does not even enter it
    assert fields["exclude"]("examples.tf") is False
    result = run([str(tmp_path)], Options(select=("IACM106",), **fields))
    assert positions(result.findings) == [("IACM106", "envs/a/main.tf", 2, 3), ("IACM106", "main.tf", 2, 3)]


def test_exclude_globs_are_relative_to_the_config_when_scanning_a_subdirectory(tmp_path: Path):
    write(tmp_path, {".iacm-lint.yaml": 'exclude: ["envs/legacy/**"]\n',
                     "envs/legacy/main.tf": LOCAL_BACKEND, "envs/new/main.tf": LOCAL_BACKEND})
    fields = options_from_config(load_config(str(tmp_path / ".iacm-lint.yaml")), [str(tmp_path / "envs")])
    result = run([str(tmp_path / "envs")], Options(select=("IACM106",), **fields))
    assert positions(result.findings) == [("IACM106", "new/main.tf", 2, 3)]


def test_per_file_ignores_drop_matching_rules_only(tmp_path: Path):
    write(tmp_path, {".iacm-lint.yaml": 'per-file-ignores:\n  "legacy/**": [IACM10]\n  "other/*.tf": [IACM2]\n',
                     "legacy/main.tf": LOCAL_BACKEND, "other/main.tf": LOCAL_BACKEND})
    fields = options_from_config(load_config(str(tmp_path / ".iacm-lint.yaml")), [str(tmp_path)])
    result = run([str(tmp_path)], Options(select=("IACM106",), **fields))
    assert positions(result.findings) == [("IACM106", "other/main.tf", 2, 3)]


def test_roots_replace_detection(tmp_path: Path):
    write(tmp_path, {".iacm-lint.yaml": "roots: [envs/prod]\n",
                     "envs/dev/main.tf": "terraform {}\n", "envs/prod/main.tf": "terraform {}\n"})
    fields = options_from_config(load_config(str(tmp_path / ".iacm-lint.yaml")), [str(tmp_path)])
    result = run([str(tmp_path)], Options(select=("IACM101",), **fields))
    assert [r.directory for r in result.repo.roots] == ["envs/prod"]
    assert positions(result.findings) == [("IACM101", "envs/prod/main.tf", 1, 1)]


# ---- invalid files: exit 2 naming the key and its line ------------------------------------


@pytest.mark.parametrize("text, message", [
    ("engine: opentofu\nengines: terraform\n",
     ".iacm-lint.yaml:2: engines: unknown key; valid keys are baseline, engine, exclude, fix, fixable, ignore, "
     "max-file-size, per-file-ignores, require-reasons, roots, select, severity, state, unfixable, unsafe-fixes"),
    ("engine: tofu\n",
     ".iacm-lint.yaml:1: engine: expected one of auto, opentofu, terraform, got a string of 4 characters"),
    ("engine: [opentofu]\n", ".iacm-lint.yaml:1: engine: expected a string, got a list of 1 item"),
    ("state: remote\n",
     ".iacm-lint.yaml:1: state: expected one of auto, existing, managed, got a string of 6 characters"),
    ("state: 1\n", ".iacm-lint.yaml:1: state: expected a string, got a number"),
    ("roots: envs/dev\n", ".iacm-lint.yaml:1: roots: expected a list of strings, got a string of 8 characters"),
    ("roots:\n  - envs/dev\n  - 3\n", ".iacm-lint.yaml:3: roots[1]: expected a string, got a number"),
    ("exclude: {a: b}\n", ".iacm-lint.yaml:1: exclude: expected a list of strings, got a mapping of 1 key"),
    ("select: IACM1\n", ".iacm-lint.yaml:1: select: expected a list of strings, got a string of 5 characters"),
    ("select:\n  - IACM1\n  - IACM999\n",
     ".iacm-lint.yaml:3: select[1]: matches no rule ID (see `iacm-lint rules`)"),
    ("ignore: [TFLINT1]\n", ".iacm-lint.yaml:1: ignore[0]: matches no rule ID (see `iacm-lint rules`)"),
    ("severity: [IACM112]\n", ".iacm-lint.yaml:1: severity: expected a mapping, got a list of 1 item"),
    ("severity:\n  IACM112: error\n  IACM998: off\n",
     ".iacm-lint.yaml:3: severity.IACM998: matches no rule ID (see `iacm-lint rules`)"),
    ("severity:\n  IACM112: fatal\n",
     ".iacm-lint.yaml:2: severity.IACM112: expected one of error, warning, note, off, got a string of 5 characters"),
    ("severity:\n  IACM112: no\n",
     ".iacm-lint.yaml:2: severity.IACM112: expected a string, got a boolean (YAML reads yes, no, on and off as "
     "booleans: quote them to mean text)"),
    ("per-file-ignores: [legacy]\n", ".iacm-lint.yaml:1: per-file-ignores: expected a mapping, got a list of 1 item"),
    ('per-file-ignores:\n  "legacy/**": IACM2\n',
     ".iacm-lint.yaml:2: per-file-ignores.legacy/**: expected a list of strings, got a string of 5 characters"),
    ('per-file-ignores:\n  "legacy/**": [IACM2, XYZ]\n',
     ".iacm-lint.yaml:2: per-file-ignores.legacy/**[1]: matches no rule ID (see `iacm-lint rules`)"),
    ("require-reasons: 'yes please'\n",
     ".iacm-lint.yaml:1: require-reasons: expected true or false, got a string of 10 characters"),
    ("baseline: [a.json]\n", ".iacm-lint.yaml:1: baseline: expected a string, got a list of 1 item"),
    ("max-file-size: 10MB\n",
     ".iacm-lint.yaml:1: max-file-size: expected a positive number of bytes up to 1073741824 (1 GB), "
     "got a string of 4 characters"),
    ("max-file-size: 0\n",
     ".iacm-lint.yaml:1: max-file-size: expected a positive number of bytes up to 1073741824 (1 GB), "
     "got a number"),
    ("engine: opentofu\nengine: terraform\n",
     ".iacm-lint.yaml:2: engine: duplicate key (first on line 1); keep one of them"),
    ("- engine: opentofu\n", ".iacm-lint.yaml:1: the configuration must be a mapping of keys, got a list of 1 item"),
    ("engine: opentofu\n---\nengine: terraform\n",
     ".iacm-lint.yaml:3: YAML not loaded: a second document (---); keep one"),
])
def test_invalid_yaml_config(tmp_path: Path, text: str, message: str):
    assert config_error(tmp_path, text) == message


def test_invalid_yaml_names_the_line(tmp_path: Path):
    message = config_error(tmp_path, "engine: opentofu\nselect: [IACM1\n")  # libyaml and PyYAML word it apart
    assert message.startswith(".iacm-lint.yaml:3: invalid YAML: ") and "expected ',' or ']'" in message


def test_missing_config_file(tmp_path: Path):
    with pytest.raises(ConfigError) as caught:
        load_config(str(tmp_path / "nope.yaml"))
    assert str(caught.value).endswith("nope.yaml does not exist; check the --config path")


# ---- pyproject.toml --------------------------------------------------------------------


PYPROJECT = """\
[project]
name = "infra"

[tool.iacm-lint]
engine = "terraform"
select = ["IACM1"]
severity = { IACM106 = "warning" }

[tool.iacm-lint.per-file-ignores]
"legacy/**" = ["IACM2"]
"""


def test_pyproject_table_is_read(tmp_path: Path):
    write(tmp_path, {"pyproject.toml": PYPROJECT})
    config = load_config(str(tmp_path / "pyproject.toml"))
    assert (config.engine, config.select, config.severity, config.per_file_ignores) == (
        "terraform", ("IACM1",), {"IACM106": "warning"}, (("legacy/**", ("IACM2",)),))


def test_pyproject_errors_name_key_and_line(tmp_path: Path):
    assert config_error(tmp_path, PYPROJECT.replace('"terraform"', '"tf"'), "pyproject.toml") == (
        "pyproject.toml:5: engine: expected one of auto, opentofu, terraform, got a string of 2 characters")


@pytest.mark.parametrize("text, message", [
    (PYPROJECT.replace('select = ["IACM1"]', 'select = ["IACM1"]\ncolour = true'),
     "pyproject.toml:7: colour: unknown key; valid keys are baseline, engine, exclude, fix, fixable, ignore, "
     "max-file-size, per-file-ignores, require-reasons, roots, select, severity, state, unfixable, unsafe-fixes"),
    (PYPROJECT.replace('IACM106 = "warning"', 'IACM106 = "loud"'),
     "pyproject.toml:7: severity.IACM106: expected one of error, warning, note, off, got a string of 4 characters"),
    (PYPROJECT.replace('["IACM2"]', '["IACM2", "IACM977"]'),
     "pyproject.toml:10: per-file-ignores.legacy/**[1]: matches no rule ID (see `iacm-lint rules`)"),
    ('[project]\nname = "x"\n', "pyproject.toml has no [tool.iacm-lint] table; add one or pass a .iacm-lint.yaml"),
])
def test_invalid_pyproject(tmp_path: Path, text: str, message: str):
    assert config_error(tmp_path, text, "pyproject.toml") == message


def test_invalid_toml_names_the_line(tmp_path: Path):
    message = config_error(tmp_path, '[tool.iacm-lint]\nengine = "x\n', "pyproject.toml")
    assert message.startswith("pyproject.toml: invalid TOML: ") and "line 2" in message


def test_a_table_header_missing_its_bracket_is_an_error_not_an_ignored_config(tmp_path: Path):
    write(tmp_path, {"pyproject.toml": '[project]\nname = "x"\n\n[tool.iacm-lint\nengine = "terraform"\n',
                     "main.tf": "locals {}\n"})
    done = check(str(tmp_path))
    assert done.exit_code == 2
    assert "pyproject.toml: invalid TOML: " in done.stderr and "line 4" in done.stderr


# ---- discovery --------------------------------------------------------------------------


def test_find_config_walks_upwards_and_prefers_the_yaml_file(tmp_path: Path):
    write(tmp_path, {"pyproject.toml": PYPROJECT, "envs/dev/main.tf": "",
                     "envs/pyproject.toml": '[project]\nname = "x"\n'})
    assert find_config(str(tmp_path / "envs" / "dev")) == str(tmp_path / "pyproject.toml")
    assert find_config(str(tmp_path / "envs" / "dev" / "main.tf")) == str(tmp_path / "pyproject.toml")
    write(tmp_path, {".iacm-lint.yaml": "engine: opentofu\n"})
    assert find_config(str(tmp_path / "envs" / "dev")) == str(tmp_path / ".iacm-lint.yaml")
    write(tmp_path, {"envs/dev/.iacm-lint.yaml": ""})
    assert find_config(str(tmp_path / "envs" / "dev")) == str(tmp_path / "envs" / "dev" / ".iacm-lint.yaml")


# ---- through the CLI ------------------------------------------------------------------------


def check(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def test_cli_discovers_the_config_upwards_from_the_first_path(tmp_path: Path):
    write(tmp_path, {".iacm-lint.yaml": "select: [IACM106]\nseverity: {IACM106: warning}\n",
                     "envs/dev/main.tf": LOCAL_BACKEND})
    done = check(str(tmp_path / "envs" / "dev"), "--format", "gcc")
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines() == [
        "main.tf:2:3: warning: backend \"local\" in main.tf is committed and overrides the workspace's backend "
        "during remote execution; remove it or git-ignore main.tf [IACM106]"]


def test_cli_options_override_the_config(tmp_path: Path):
    write(tmp_path, {".iacm-lint.yaml": "select: [IACM101]\nengine: terraform\n", "main.tf": LOCAL_BACKEND})
    done = check(str(tmp_path), "--format", "json")
    assert done.exit_code == 0 and json.loads(done.stdout)["findings"] == []
    done = check(str(tmp_path), "--select", "IACM106", "--format", "gcc")
    assert done.exit_code == 1
    assert [line.split(": ")[1] for line in done.stdout.splitlines()] == ["error"]
    done = check(str(tmp_path), "--select", "IACM106", "--engine", "opentofu", "--format", "sarif")
    assert '"engine": "opentofu"' in done.stdout
    done = check(str(tmp_path), "--select", "IACM106", "--format", "sarif")
    assert '"engine": "terraform"' in done.stdout


def test_cli_explicit_config_and_errors_exit_2(tmp_path: Path):
    write(tmp_path, {"ci/lint.yaml": "select: [IACM106]\nseverity: {IACM106: note}\n", "main.tf": LOCAL_BACKEND,
                     "bad.yaml": "select: [IACM106]\nunknown-thing: 1\n"})
    done = check(str(tmp_path), "--config", str(tmp_path / "ci" / "lint.yaml"), "--format", "gcc")
    assert done.exit_code == 0
    assert done.stdout.startswith("main.tf:2:3: note: ")
    done = check(str(tmp_path), "--config", str(tmp_path / "bad.yaml"))
    assert done.exit_code == 2
    assert done.stdout == ""
    assert done.stderr.strip().endswith("bad.yaml:2: unknown-thing: unknown key; valid keys are baseline, engine, "
                                        "exclude, fix, fixable, ignore, max-file-size, per-file-ignores, "
                                        "require-reasons, roots, select, severity, state, unfixable, unsafe-fixes")
    assert done.stderr.startswith("iacm-lint: ") and "Traceback" not in done.stderr
    done = check(str(tmp_path), "--config", str(tmp_path / "missing.yaml"))
    assert done.exit_code == 2 and "missing.yaml does not exist" in done.stderr


def test_cli_require_reasons_turns_on_iacm002(tmp_path: Path):
    write(tmp_path, {".iacm-lint.yaml": "select: [IACM0, IACM106]\nrequire-reasons: true\n",
                     "main.tf": 'terraform {\n  backend "local" { # iacm-lint: ignore[IACM106]\n  }\n}\n'})
    done = check(str(tmp_path), "--format", "gcc")
    assert done.stdout.splitlines() == [
        "main.tf:2:21: warning: suppression of IACM106 gives no reason; add why after the brackets: "
        "iacm-lint: ignore[IACMnnn] <reason> [IACM002]"]
    assert done.exit_code == 0
    write(tmp_path, {".iacm-lint.yaml": "select: [IACM0, IACM106]\n"})
    assert check(str(tmp_path), "--format", "gcc").stdout == ""


def test_the_documented_examples_are_valid(tmp_path: Path):
    import re

    doc = (Path(__file__).resolve().parent.parent / "docs" / "configuration.md").read_text(encoding="utf-8")
    yaml_text = re.search(r"```yaml\n(.*?)```", doc, re.S).group(1)
    toml_text = re.search(r"```toml\n(.*?)```", doc, re.S).group(1)
    write(tmp_path, {".iacm-lint.yaml": yaml_text, "pyproject.toml": toml_text})
    config = load_config(str(tmp_path / ".iacm-lint.yaml"))
    assert config.severity == {"IACM112": "error", "IACM403": "off"}
    assert (config.fix, config.unsafe_fixes) == (False, False)
    assert (config.fixable, config.unfixable) == (("IACM",), ("IACM104",))
    assert load_config(str(tmp_path / "pyproject.toml")).per_file_ignores == (("legacy/**", ("IACM2",)),)


def test_a_root_that_is_not_a_directory_is_a_config_error(tmp_path: Path):
    write(tmp_path, {".iacm-lint.yaml": "roots: [envs/dev, envs/prdo]\n", "envs/dev/main.tf": "",
                     "envs/prod/main.tf": ""})
    config = load_config(str(tmp_path / ".iacm-lint.yaml"))
    with pytest.raises(ConfigError) as raised:
        options_from_config(config, [str(tmp_path)])
    assert str(raised.value).endswith(".iacm-lint.yaml: roots[1]: not a directory "
                                      "(roots are relative to the config file's directory)")

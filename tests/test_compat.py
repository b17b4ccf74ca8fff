"""Release tables, "which releases accept a root", feature detection, pin
files, engine resolution, and the IACM3xx acceptance scenarios end to end."""

from __future__ import annotations

import pytest

from iacm_lint.engine import run
from iacm_lint.engine.check import check_repo
from iacm_lint.knowledge import releases as rel
from iacm_lint.model import compat
from iacm_lint.model.engine_choice import OPTION, PIN_FILE, EngineChoice, resolve_engine
from iacm_lint.model.features import feature_uses
from iacm_lint.model.pins import is_pin_file, parse_pin_file, pins_for_root, resolve
from iacm_lint.model.syntax import Module, Repo, RootModule, SourceFile
from iacm_lint.options import Options
from iacm_lint.parse.hcl import parse_hcl
from iacm_lint.scan.repository import build_repo


def module(directory: str, files: dict[str, str]) -> Module:
    parsed = []
    for name, text in sorted(files.items()):
        path = name if directory == "." else f"{directory}/{name}"
        kind = "tf.json" if name.endswith(".json") else "tf"
        parsed.append(parse_hcl(text, path, kind))
    return Module(directory, tuple(parsed))


def root_of(files: dict[str, str], *called: Module) -> RootModule:
    return RootModule(module(".", files), tuple(called))


def rv(constraint: str) -> str:
    return f'terraform {{\n  required_version = "{constraint}"\n}}\n'


def ranges(root: RootModule, engine: str) -> str:
    return rel.format_ranges(compat.accepted_ranges(root)[engine])


# ---- release tables -----------------------------------------------------------


def test_release_tables():
    assert len(rel.releases("terraform")) == 185 and len(rel.releases("opentofu")) == 65
    assert rel.newest_stable("terraform").version == "1.15.9"
    assert rel.newest_stable("opentofu").version == "1.12.6"
    assert rel.newest_supported("terraform").version == "1.5.7"
    assert rel.supported_releases("opentofu") == rel.releases("opentofu")
    assert rel.find_release("terraform", "v1.5.7").license == "MPL-2.0"
    assert rel.find_release("terraform", "1.6.0").license == "BUSL-1.1"
    assert rel.find_release("terraform", "1.5.9") is None
    assert not rel.is_supported("terraform", "1.6.2") and rel.is_supported("terraform", "0.12.31")
    assert rel.feature("removed_block").terraform == "1.7.0"
    assert rel.functions()["urldecode"] == {"terraform": None, "opentofu": "1.7.0"}
    assert rel.functions()["strcontains"]["terraform"] == "1.5.0"


# ---- which releases accept a root ---------------------------------------------


def test_tf_constraint_only():
    root = root_of({"versions.tf": rv("~> 1.5.0")})
    assert ranges(root, "terraform") == "1.5.0–1.5.7"
    assert ranges(root, "opentofu") == "1.12.0–1.12.6"  # 1.12+ ignores .tf required_version
    assert not compat.accepts(root, "opentofu", "1.11.14")
    assert compat.accepts(root, "opentofu", "1.12.0")
    assert [d.label for d in compat.rejecting(root, "opentofu", "1.8.0")] == \
        ['required_version "~> 1.5.0" in versions.tf']


def test_tofu_twin_hides_tf_from_1_8():
    root = root_of({"versions.tf": rv("~> 1.5.0"), "versions.tofu": rv(">= 1.8.0")})
    assert ranges(root, "terraform") == "1.5.0–1.5.7"  # Terraform never reads .tofu
    assert ranges(root, "opentofu") == "1.8.0–1.12.6"  # 1.6/1.7 read versions.tf and refuse


def test_other_tf_files_still_count_in_1_8_to_1_11():
    root = root_of({"versions.tf": rv("~> 1.5.0"), "versions.tofu": rv(">= 1.8.0"), "extra.tf": rv("< 1.10.0")})
    assert ranges(root, "opentofu") == "1.8.0–1.9.4, 1.12.0–1.12.6"


def test_1_12_reads_compatible_with_and_tofu_files_only():
    root = root_of({"versions.tf": rv("~> 1.5.0"),
                    "language.tf": 'language {\n  compatible_with {\n    opentofu = ">= 1.12.2"\n  }\n}\n'})
    assert ranges(root, "opentofu") == "1.12.2–1.12.6"
    root = root_of({"versions.tofu": rv("< 1.12.3")})
    assert ranges(root, "opentofu") == "1.6.0–1.12.2"  # 1.6/1.7 read no .tofu file at all


def test_override_file_replaces_the_list():
    root = root_of({"main.tf": rv("~> 1.5.0"), "override.tf": rv(">= 1.7")})
    assert ranges(root, "terraform") == ""
    assert compat.accepts(root, "terraform", "1.7.0")
    null_override = root_of({"main.tf": rv("~> 1.3.0"), "z_override.tf": "terraform {\n  required_version = null\n}\n"})
    assert ranges(null_override, "terraform") == "0.12.0–1.5.7"


def test_child_modules_and_number_literals():
    child = module("modules/net", {"versions.tf": rv("~> 1.3.0")})
    root = root_of({"versions.tf": rv(">= 1.0")}, child)
    assert ranges(root, "terraform") == "1.3.0–1.3.10"
    number = root_of({"versions.tf": "terraform {\n  required_version = 1.5\n}\n"})
    assert ranges(number, "terraform") == "1.5.0"


def test_invalid_constraints_are_left_to_iacm304():
    root = root_of({"versions.tf": rv(">= 1.5.x"), "legacy.tf": rv("< 1.2.0-beta1")})
    decls = compat.own_declarations(root)
    assert [bool(d.problem) for d in decls] == [True, True]
    # Terraform before 1.2.5 still evaluated prerelease constraints
    assert not compat.accepts(root, "terraform", "1.2.4") and compat.accepts(root, "terraform", "1.1.0")
    assert compat.accepts(root, "terraform", "1.5.7") and compat.accepts(root, "opentofu", "1.6.0")


def test_most_excluding_and_properties():
    root = root_of({"versions.tf": rv("~> 1.5.0"), "versions.tofu": rv("~> 1.5.0")})
    decl = compat.most_excluding(root, "opentofu", rel.supported_releases("opentofu"))
    assert decl.file.path == "versions.tofu"
    repo = Repo(root="/nowhere", roots=[root])
    assert compat.root_version_properties(repo) == {
        ".": {"accepted": {"terraform": [{"from": "1.5.0", "to": "1.5.7"}], "opentofu": []}}}


# ---- features ----------------------------------------------------------------


def test_feature_detection():
    root = root_of({
        "main.tf": 'removed {\n  from = aws_instance.a\n}\n\nlocals {\n  a = provider::aws::arn_parse("x")\n'
                   '  b = urldecode("x%20y")\n  c = tofu.workspace\n  d = templatestring(local.t, {})\n}\n',
        "vars.tf": 'variable "a" {\n  type = string\n  validation {\n    condition     = var.a != var.b\n'
                   '    error_message = "no"\n  }\n}\n\nvariable "b" {\n  type      = string\n  ephemeral = true\n}\n',
        "moved.tf": 'moved {\n  from = null_resource.a\n  to   = terraform_data.a\n}\n',
    })
    found = {(u.id, u.span.path, u.span.line, u.span.col) for u in feature_uses(root, "terraform")}
    assert found == {
        ("removed_block", "main.tf", 1, 1), ("provider_defined_functions", "main.tf", 6, 7),
        ("function:urldecode", "main.tf", 7, 7), ("tofu_symbol", "main.tf", 8, 7),
        ("templatestring_function", "main.tf", 9, 7), ("cross_variable_validation", "vars.tf", 4, 5),
        ("ephemeral_variables_outputs", "vars.tf", 11, 3), ("moved_between_resource_types", "moved.tf", 1, 1),
    }


def test_tofu_files_are_invisible_to_terraform_features():
    root = root_of({"main.tofu": 'removed {\n  from = aws_instance.a\n}\n'})
    assert [u.id for u in feature_uses(root, "terraform")] == ["tofu_files"]
    assert [u.id for u in feature_uses(root, "opentofu")] == ["tofu_files", "removed_block"]


# ---- pin files ---------------------------------------------------------------


def test_pin_file_parsing():
    [pin] = parse_pin_file(".terraform-version", "# team pin\n  v1.5.7  # comment\n")
    assert (pin.tool, pin.value, pin.span.line, pin.span.col, pin.span.end_col) == ("terraform", "v1.5.7", 2, 3, 9)
    pins = parse_pin_file("a/.tool-versions", "nodejs 20.1.0\nterraform 1.5.7 # x\nopentofu  1.8.0\n")
    assert [(p.tool, p.value, p.span.line, p.span.col) for p in pins] == [("terraform", "1.5.7", 2, 11),
                                                                           ("opentofu", "1.8.0", 3, 11)]
    pins = parse_pin_file("mise.toml",
                          '[env]\nX = "1"\n[tools]\nterraform = "1.5"\n[tools.opentofu]\nversion = "1.8.0"\n')
    assert [(p.tool, p.value, p.span.line, p.span.col) for p in pins] == [("terraform", "1.5", 4, 14),
                                                                           ("opentofu", "1.8.0", 6, 12)]
    assert parse_pin_file(".tfswitchrc", "1.5.7\n")[0].tool == "terraform"


@pytest.mark.parametrize("text, expected", [
    # issue 20: every form mise documents for [tools], read with a TOML parser
    ('[tools]\nterraform = "1.5.7"\n', ("terraform", "1.5.7", 2, 14, 19)),
    ('[tools]\nterraform = { version = "1.5.7", os = ["linux"] }\n', ("terraform", "1.5.7", 2, 26, 31)),
    ("[tools]\nterraform = ['1.5.7', '1.4.6']\n", ("terraform", "1.5.7", 2, 15, 20)),  # the first is the default
    ('[tools]\nterraform = [{ version = "1.5.7" }]\n', ("terraform", "1.5.7", 2, 27, 32)),
    ('[tools]\nterraform = { prefix = "1.5" }\n', ("terraform", "prefix:1.5", 2, 25, 28)),
    ('[tools]\n"aqua:hashicorp/terraform" = "1.5.7"\n', ("terraform", "1.5.7", 2, 31, 36)),
    ('[tools]\n"asdf:mise-plugins/mise-hashicorp" = "1.5.7"\n', None),  # one plugin for many HashiCorp tools
    ('[tools]\n"vfox:mise-plugins/vfox-terraform" = "1.5.7"\n', ("terraform", "1.5.7", 2, 39, 44)),
    ('[tools]\n"aqua:opentofu/opentofu" = "1.8.0"\n', ("opentofu", "1.8.0", 2, 29, 34)),
    ('[tools]\n"asdf:virtualroot/asdf-opentofu" = "1.8.0"\n', ("opentofu", "1.8.0", 2, 37, 42)),
    ('[tools]\n"ubi:opentofu/opentofu" = { version = "1.8.0", exe = "tofu" }\n', ("opentofu", "1.8.0", 2, 40, 45)),
    ('[tools]\n"aqua:hashicorp/terraform-ls" = "0.33.0"\n', None),
    ('[tools."aqua:hashicorp/terraform"]\nversion = "1.5.7"\n', ("terraform", "1.5.7", 2, 12, 17)),
    ('tools.terraform = "1.5.7"\n', ("terraform", "1.5.7", 1, 20, 25)),  # a dotted key is the same table
    ('[tools]\nterraform = "1.5.7" # the 1.5.7 line\n[env]\nTF = "terraform"\n', ("terraform", "1.5.7", 2, 14, 19)),
    ('[tools]\nterraform = "latest"\n', ("terraform", "latest", 2, 14, 20)),
    ('[tools]\nterraform = "1.5.\\u0037"\n', ("terraform", "1.5.7", 2, 1, 25)),  # an escape: the line
])
def test_mise_toml_forms(text, expected):
    pins = parse_pin_file("mise.toml", text)
    if expected is None:
        assert pins == []
        return
    [pin] = pins
    assert (pin.tool, pin.value, pin.span.line, pin.span.col, pin.span.end_col) == expected


def test_mise_toml_that_is_not_toml_is_a_note_and_no_pin(tmp_path):
    repo = _repo_with_pins(tmp_path, {"mise.toml": '[tools]\nterraform = "1.5.7"\nterraform = "1.6.0"\n',
                                      ".tool-versions": "opentofu 1.8.0\n"})
    root = RootModule(module(".", {"main.tf": rv(">= 1.5.0")}))
    assert resolve_engine(repo, root) == EngineChoice("opentofu", "pin file .tool-versions", PIN_FILE)
    [note] = repo.notes  # the parser's words differ between Python versions; its position does not
    assert note.startswith("mise.toml is not valid TOML (") and "at line 3" in note
    assert note.endswith("); its [tools] pins were not read")


def test_mise_forms_decide_the_engine(tmp_path):
    # issue 20: `terraform = { version = "1.5.7" }` was ignored, which flipped the engine to OpenTofu
    repo = _repo_with_pins(tmp_path, {"mise.toml": '[tools]\nterraform = { version = "1.5.7" }\n'})
    root = RootModule(module(".", {"main.tf": rv(">= 1.5.0")}))
    assert resolve_engine(repo, root) == EngineChoice("terraform", "pin file mise.toml", PIN_FILE)


def test_tool_versions_multi_version_lines_and_backend_names():
    pins = parse_pin_file(".tool-versions", "terraform 1.5.7 1.4.6  # two installed\naqua:opentofu/opentofu 1.8.0\n"
                                            "terraform-docs 0.17.0\n")
    assert [(p.tool, p.value, p.span.line, p.span.col, p.span.end_col) for p in pins] == [
        ("terraform", "1.5.7", 1, 11, 16), ("opentofu", "1.8.0", 2, 24, 29)]


@pytest.mark.parametrize("value, expected", [
    ("1.5.7", "1.5.7"), ("v1.5.7", "1.5.7"), ("latest", "1.15.9"), ("latest:^1.5", "1.5.7"), ("1.5", "1.5.7"),
    ("~> 1.4.0", "1.4.7"), ("min-required", "1.3.0"), ("latest-allowed", "1.3.10"), ("latest-pre", None),
])
def test_pin_resolution(value, expected):
    root = root_of({"versions.tf": rv("~> 1.3.0")})
    [pin] = parse_pin_file(".terraform-version", value + "\n")
    assert resolve(pin, root).version == expected


def test_invalid_pin():
    [pin] = parse_pin_file(".terraform-version", "1.5.x\n")
    assert resolve(pin, None).problem == "malformed constraint: 1.5.x"


def _repo_with_pins(tmp_path, files: dict[str, str]) -> Repo:
    """A Repo with these files, the pin files among them read as the scan stage reads them."""
    return Repo(root=str(tmp_path), files=[SourceFile(name, "other") for name in files],
                pin_files={name: text for name, text in files.items() if is_pin_file(name)})


def test_nearest_pin_per_tool_and_engine_signal(tmp_path):
    repo = _repo_with_pins(tmp_path, {".tool-versions": "terraform 1.5.7\nopentofu 1.8.0\n",
                                      "envs/dev/.opentofu-version": "1.12.1\n"})
    dev = RootModule(module("envs/dev", {"main.tf": rv(">= 1.5.0")}))
    prod = RootModule(module("envs/prod", {"main.tf": rv(">= 1.5.0")}))
    pins = pins_for_root(repo, dev)
    assert (pins["opentofu"].path, pins["terraform"].path) == ("envs/dev/.opentofu-version", ".tool-versions")
    assert resolve_engine(repo, dev) == EngineChoice("opentofu", "pin file envs/dev/.opentofu-version", PIN_FILE)
    assert resolve_engine(repo, prod) == EngineChoice("terraform", "pin file .tool-versions", PIN_FILE)
    assert resolve_engine(repo, prod, "opentofu") == EngineChoice("opentofu", "--engine", OPTION)


def test_tfswitch_toml_is_not_a_signal(tmp_path):
    repo = _repo_with_pins(tmp_path, {".tfswitch.toml": 'version = "1.5.7"\n'})
    root = RootModule(module(".", {"main.tf": rv(">= 1.5.0")}))
    assert resolve_engine(repo, root).engine == "opentofu"
    assert resolve_engine(repo, root).reason.startswith("default")


# ---- acceptance scenarios end to end ---------------------------------------------


def scan(tmp_path, files: dict[str, str], engine: str = "auto") -> list[str]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    result = run([str(tmp_path)], Options(select=("IACM3",), engine=engine))
    assert not result.internal_errors
    return [f"{f.rule_id} {f.level} {f.span.path}:{f.span.line}:{f.span.col}" for f in result.findings]


MAIN = 'resource "aws_s3_bucket" "b" {\n  bucket = "acme-artifacts"\n}\n'


def test_tf_only_pessimistic_constraint(tmp_path):
    files = {"main.tf": MAIN, "versions.tf": rv("~> 1.5.0")}
    assert scan(tmp_path / "t", files, "terraform") == []
    assert scan(tmp_path / "o", files, "opentofu") == ["IACM308 warning versions.tf:2:3"]


def test_versions_tofu_twin_is_quiet_on_opentofu(tmp_path):
    files = {"main.tf": MAIN, "versions.tf": rv("~> 1.5.0"), "versions.tofu": rv(">= 1.8.0")}
    assert scan(tmp_path / "o", files, "opentofu") == []
    assert scan(tmp_path / "a", files) == []  # auto: the .tofu file selects OpenTofu
    assert scan(tmp_path / "t", files, "terraform") == ["IACM306 error versions.tofu:1:1",
                                                        "IACM307 warning versions.tofu:1:1"]


def test_acceptance_cases(tmp_path):
    assert scan(tmp_path / "a", {"main.tf": MAIN, "versions.tf": rv("~> 1.5.0"), "versions.tofu": rv("~> 1.5.0")},
                "opentofu") == ["IACM306 note versions.tofu:1:1", "IACM301 error versions.tofu:2:3"]
    assert scan(tmp_path / "b", {"main.tf": MAIN, "versions.tf": rv(">= 1.6.0")}, "terraform") == \
        ["IACM301 error versions.tf:2:3"]
    assert scan(tmp_path / "c", {"main.tf": MAIN, "versions.tf": rv(">= 1.3")}, "terraform") == \
        ["IACM302 warning versions.tf:2:3"]
    assert scan(tmp_path / "d", {"main.tf": MAIN, "versions.tf": rv("~> 1")}, "terraform") == \
        ["IACM302 warning versions.tf:2:3"]
    assert scan(tmp_path / "e", {"main.tf": MAIN, "versions.tf": rv(">= 1.5.0"), ".terraform-version": "1.6.2\n"}) == [
        "IACM305 error .terraform-version:1:1", "IACM302 warning versions.tf:2:3"]
    assert scan(tmp_path / "f", {"main.tf": MAIN, "versions.tf": rv("~> 1.5.0"), ".opentofu-version": "1.8.0\n"}) == [
        "IACM305 error .opentofu-version:1:1", "IACM308 warning versions.tf:2:3"]
    assert scan(tmp_path / "g", {"main.tf": MAIN, "versions.tf": rv("~> 1.5.0"), ".opentofu-version": "1.12.1\n"}) == [
        "IACM308 warning versions.tf:2:3"]


def test_pin_file_for_other_engine_than_explicit_engine(tmp_path):
    found = scan(tmp_path, {"main.tf": MAIN, "versions.tf": rv("~> 1.5.0"), ".terraform-version": "1.5.7\n"},
                 "opentofu")
    assert found == ["IACM305 error .terraform-version:1:1", "IACM308 warning versions.tf:2:3"]


@pytest.mark.parametrize("name", ["terraform-aws-vpc", "terraform-aws-eks"])
def test_corpus_has_no_version_errors(name, real_world_corpus):
    repo = build_repo([str(real_world_corpus / name)], Options())
    assert len(repo.roots) > 5
    for engine in ("auto", "terraform", "opentofu"):
        result = check_repo(repo, Options(select=("IACM3",), engine=engine))
        assert not result.internal_errors
        errors = [f"{f.rule_id} {f.span.path}:{f.span.line} {f.message}" for f in result.findings if f.level == "error"]
        assert errors == [], (name, engine)

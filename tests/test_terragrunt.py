"""Terragrunt support (shared/spec/terragrunt.md): the static evaluator per
function and context (TG-1.4), the include merge (TG-1.3), units as roots
(TG-1.2), and hostile input: include cycles, deep chains, paths that climb
out of the scan root, links that point outside it. Git-dependent cases
(git-ignored files, tracked `.terragrunt-cache/`) run on temporary git
repositories: files under testdata/rules are tracked by this project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitrepo import isolate_git, make_repo, write
from iacm_lint.engine import run
from iacm_lint.model.syntax import NOT_LITERAL
from iacm_lint.model.terragrunt import TerragruntModel, UnitModel
from iacm_lint.options import Options
from iacm_lint.scan.repository import build_repo

UNKNOWN = "<unknown>"

ROOT_HCL = '''remote_state {
  backend = "s3"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    bucket       = "acme-tf-state"
    key          = "${path_relative_to_include()}/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}
'''
INCLUDE_ROOT = 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n'


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    isolate_git(monkeypatch, tmp_path / "home")


def model_of(root: Path) -> TerragruntModel:
    repo = build_repo([str(root)], Options())
    assert repo.terragrunt is not None
    return repo.terragrunt


def unit_of(root: Path, directory: str) -> UnitModel:
    found = model_of(root).unit_for(directory)
    assert found is not None, f"no unit {directory}"
    return found.terragrunt


def plain(value: Any) -> Any:
    literal = value.python()
    return UNKNOWN if literal is NOT_LITERAL else literal


def inputs_of(root: Path, directory: str = "live/app") -> dict[str, Any]:
    return {i.key: plain(i.value) for i in unit_of(root, directory).inputs}


def findings(root: Path, *rule_ids: str) -> list[str]:
    result = run([str(root)], Options(select=rule_ids))
    assert not result.internal_errors
    return [f"{f.span.path}:{f.span.line}:{f.span.col}: {f.level} {f.rule_id} {f.message}"
            for f in result.findings if f.rule_id in rule_ids]


def unit_repo(tmp_path: Path, unit_inputs: str, extra: dict[str, str] | None = None) -> Path:
    """A repository with root.hcl and a unit live/app whose inputs are `unit_inputs`."""
    root = tmp_path / "repo"
    write(root, {"root.hcl": ROOT_HCL,
                 "live/app/terragrunt.hcl": INCLUDE_ROOT + f"\ninputs = {{\n{unit_inputs}\n}}\n",
                 **(extra or {})})
    return root


# ---- functions in unit context (TG-1.4) --------------------------------------------------------


def test_path_functions_in_unit_context(tmp_path):
    root = unit_repo(tmp_path, '''  to      = path_relative_to_include()
  from    = path_relative_from_include()
  to_root = get_path_to_repo_root()
  in_root = get_path_from_repo_root()
  dir     = get_terragrunt_dir()
  repo    = get_repo_root()
  parent  = find_in_parent_folders("root.hcl")''')
    assert inputs_of(root) == {"to": "live/app", "from": "../..", "to_root": "../..", "in_root": "live/app",
                               # absolute paths depend on the checkout: present, never literal
                               "dir": UNKNOWN, "repo": UNKNOWN, "parent": UNKNOWN}


def test_path_relative_to_include_is_dot_without_include(tmp_path):
    root = tmp_path / "repo"
    write(root, {"live/app/terragrunt.hcl": 'inputs = {\n  to = path_relative_to_include()\n}\n'})
    assert inputs_of(root) == {"to": "."}


def test_find_in_parent_folders_searches_from_the_unit_also_inside_root_hcl(tmp_path):
    # root.hcl's locals look for env.hcl above the *unit*, not above root.hcl
    root = tmp_path / "repo"
    write(root, {
        "root.hcl": 'locals {\n  env = read_terragrunt_config(find_in_parent_folders("env.hcl"))\n}\n\n'
                    'inputs = {\n  env = local.env.locals.name\n}\n',
        "live/prod/env.hcl": 'locals {\n  name = "prod"\n}\n',
        "live/dev/env.hcl": 'locals {\n  name = "dev"\n}\n',
        "live/prod/app/terragrunt.hcl": INCLUDE_ROOT,
        "live/dev/app/terragrunt.hcl": INCLUDE_ROOT,
    })
    assert inputs_of(root, "live/prod/app") == {"env": "prod"}
    assert inputs_of(root, "live/dev/app") == {"env": "dev"}


def test_find_in_parent_folders_fallback_and_read_default(tmp_path):
    root = unit_repo(tmp_path, '''  fallback = basename(find_in_parent_folders("nope.hcl", "fallback.hcl"))
  region   = read_terragrunt_config("missing.hcl", { locals = { name = "us-east-1" } }).locals.name''')
    assert inputs_of(root) == {"fallback": "fallback.hcl", "region": "us-east-1"}
    assert findings(root, "IACM701") == []


def test_get_env_with_default_is_literal_without_it_unknown(tmp_path):
    root = unit_repo(tmp_path, '''  prefix = get_env("TG_BUCKET_PREFIX", "acme-")
  token  = get_env("API_TOKEN")''')
    assert inputs_of(root) == {"prefix": "acme-", "token": UNKNOWN}


def test_functions_that_would_run_something_are_unknown(tmp_path):
    root = unit_repo(tmp_path, '''  cmd      = run_cmd("sh", "-c", "touch pwned")
  account  = get_aws_account_id()
  platform = get_platform()
  now      = timestamp()
  made_up  = no_such_function("x")
  secret   = sops_decrypt_file("secrets.enc.json")''', {"live/app/secrets.enc.json": "{}"})
    assert inputs_of(root) == dict.fromkeys(["cmd", "account", "platform", "now", "made_up", "secret"], UNKNOWN)
    assert not (root / "live/app/pwned").exists() and not Path("pwned").exists()


def test_pure_builtins_templates_conditionals_and_for(tmp_path):
    root = unit_repo(tmp_path, '''  fmt    = format("%s-%03d", "app", 7)
  joined = join(",", split("/", "a/b/c"))
  case   = "${upper("ab")}${lower("CD")}${trimspace("  e ")}"
  pick   = lookup(merge({ a = 1 }, { b = 2 }), "b", 0)
  first  = coalesce("", "x")
  elem   = element(concat(["p"], ["q"]), 1)
  cond   = 2 > 1 && "a" == "a" ? "many" : "one"
  loop   = [for s in ["a", "b"] : upper(s)]
  map    = { for k, v in { a = 1, b = 2 } : upper(k) => v * 10 if v > 1 }
  count  = length([1, 2])
  hash   = md5("x")
  tried  = try(local.nope, "default")
  can_do = can(tonumber("x"))
  dir    = dirname("a/b/c.hcl")''')
    assert inputs_of(root) == {"fmt": "app-007", "joined": "a,b,c", "case": "ABcde", "pick": 2, "first": "x",
                               "elem": "q", "cond": "many", "loop": ["A", "B"],
                               "map": {"B": 20}, "count": UNKNOWN,  # length() is not among TG-1.4's functions
                               "hash": "9dd4e461268c8034f5c8564e155c67a6", "tried": "default", "can_do": False,
                               "dir": "a/b"}


def test_file_decoders_read_next_to_the_file_the_call_is_written_in(tmp_path):
    root = tmp_path / "repo"
    write(root, {
        "root.hcl": ROOT_HCL,
        "_envcommon/app.hcl": 'inputs = {\n  policy = jsondecode(file("policy.json")).Version\n'
                              '  team   = yamldecode(file("team.yaml")).team\n'
                              '  motd   = templatefile("motd.tpl", { name = "app" })\n}\n',
        "_envcommon/policy.json": '{"Version": "2012-10-17"}',
        "_envcommon/team.yaml": "team: platform\n",
        "_envcommon/motd.tpl": "hello ${name}",
        "live/app/terragrunt.hcl": INCLUDE_ROOT + 'include "common" {\n'
                                   '  path = "${get_repo_root()}/_envcommon/app.hcl"\n}\n',
    })
    assert inputs_of(root) == {"policy": "2012-10-17", "team": "platform", "motd": "hello app"}


def test_read_terragrunt_config_in_root_hcl_resolves_next_to_the_unit(tmp_path):
    # TG-6 point 7: the current config path in unit context is the unit
    root = tmp_path / "repo"
    write(root, {
        "root.hcl": 'locals {\n  region = read_terragrunt_config("region.hcl")\n}\n\n'
                    'inputs = {\n  region = local.region.locals.name\n}\n',
        "region.hcl": 'locals {\n  name = "wrong"\n}\n',
        "live/app/region.hcl": 'locals {\n  name = "eu-west-1"\n}\n',
        "live/app/terragrunt.hcl": INCLUDE_ROOT,
    })
    assert inputs_of(root) == {"region": "eu-west-1"}


def test_dependency_outputs_are_unknown_and_mocks_never_values(tmp_path):
    root = unit_repo(tmp_path, '''  vpc_id = dependency.vpc.outputs.vpc_id''')
    unit = root / "live/app/terragrunt.hcl"
    unit.write_text(unit.read_text() + 'dependency "vpc" {\n  config_path = "../vpc"\n'
                    '  mock_outputs = {\n    vpc_id = "vpc-mock"\n  }\n}\n')
    assert inputs_of(root) == {"vpc_id": UNKNOWN}


def test_locals_refer_to_each_other_and_a_cycle_is_unknown(tmp_path):
    root = tmp_path / "repo"
    write(root, {"live/app/terragrunt.hcl": 'locals {\n  a = "${local.b}-a"\n  b = "b"\n'
                                            '  x = local.y\n  y = local.x\n}\n\n'
                                            'inputs = {\n  a = local.a\n  x = local.x\n}\n'})
    assert inputs_of(root) == {"a": "b-a", "x": UNKNOWN}


def test_exposed_include_locals(tmp_path):
    root = tmp_path / "repo"
    write(root, {
        "root.hcl": ROOT_HCL,
        "_envcommon/db.hcl": 'locals {\n  base = "git::https://github.com/acme/modules.git//db"\n}\n',
        "live/app/terragrunt.hcl": INCLUDE_ROOT + 'include "envcommon" {\n'
        '  path   = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/db.hcl"\n  expose = true\n}\n\n'
        'terraform {\n  source = "${include.envcommon.locals.base}?ref=v0.8.0"\n}\n',
    })
    unit = unit_of(root, "live/app")
    assert unit.source_kind == "remote"
    assert unit.source_text == "git::https://github.com/acme/modules.git//db?ref=v0.8.0"
    assert unit.include_chain == ("root.hcl", "_envcommon/db.hcl")


def test_standalone_context_unit_functions_are_unknown_and_no_iacm701(tmp_path):
    root = tmp_path / "repo"
    write(root, {"root.hcl": 'locals {\n  acct = read_terragrunt_config(find_in_parent_folders("account.hcl"))\n}\n'
                             + ROOT_HCL})
    model = model_of(root)
    assert [u.terragrunt.path for u in model.standalone] == ["root.hcl"]
    assert model.units == []
    assert findings(root, "IACM701", "IACM113") == []
    # the lock is still judged before any unit exists (TG-1.6)
    (root / "root.hcl").write_text((root / "root.hcl").read_text().replace("    use_lockfile = true\n", ""))
    assert findings(root, "IACM110") == [
        'root.hcl:10:3: error IACM110 remote_state "s3" has no state lock; set use_lockfile = true or dynamodb_table']


# ---- merge (TG-1.3) -----------------------------------------------------------------------------


def test_merge_unit_overrides_includes_inputs_by_key_deep_recursively(tmp_path):
    root = tmp_path / "repo"
    write(root, {
        "root.hcl": 'inputs = {\n  tags = { team = "platform", env = "dev" }\n  name = "root"\n}\n',
        "deep.hcl": 'inputs = {\n  tags = { cost = "42" }\n}\n',
        "live/app/terragrunt.hcl": INCLUDE_ROOT + 'include "deep" {\n  path = "../../deep.hcl"\n'
                                   '  merge_strategy = "deep"\n}\n\ninputs = {\n  name = "app"\n}\n',
        "live/shallow/terragrunt.hcl": INCLUDE_ROOT + 'include "deep" {\n  path = "../../deep.hcl"\n}\n',
        "live/none/terragrunt.hcl": INCLUDE_ROOT + 'include "deep" {\n  path = "../../deep.hcl"\n'
                                    '  merge_strategy = "no_merge"\n}\n',
    })
    assert inputs_of(root, "live/app") == {"tags": {"team": "platform", "env": "dev", "cost": "42"}, "name": "app"}
    assert inputs_of(root, "live/shallow") == {"tags": {"cost": "42"}, "name": "root"}
    assert inputs_of(root, "live/none") == {"tags": {"team": "platform", "env": "dev"}, "name": "root"}


def test_remote_state_is_replaced_whole_and_generate_by_name(tmp_path):
    root = tmp_path / "repo"
    write(root, {
        "root.hcl": ROOT_HCL + 'generate "provider" {\n  path     = "provider.tf"\n'
                    '  contents = "provider \\"aws\\" {}"\n}\n'
                    'generate "versions" {\n  path     = "versions.tf"\n  contents = "terraform {}"\n}\n',
        "live/app/terragrunt.hcl": INCLUDE_ROOT + 'remote_state {\n  backend = "gcs"\n'
                                   '  generate = { path = "backend.tf", if_exists = "overwrite" }\n'
                                   '  config = { bucket = "acme-state", prefix = "app" }\n}\n\n'
                                   'generate "provider" {\n  path     = "provider_google.tf"\n'
                                   '  contents = "provider \\"google\\" {}"\n}\n',
    })
    unit = unit_of(root, "live/app")
    assert unit.remote_state is not None and unit.remote_state.file.path == "live/app/terragrunt.hcl"
    assert plain(unit.remote_state.config) == {"bucket": "acme-state", "prefix": "app"}  # no s3 keys left over
    assert {g.name: (g.file.path, g.path) for g in unit.generators} == {
        "provider": ("live/app/terragrunt.hcl", "provider_google.tf"), "versions": ("root.hcl", "versions.tf")}
    assert sorted(g.file.name for g in unit.generated) == ["backend.tf", "provider_google.tf", "versions.tf"]


# ---- units as roots (TG-1.2) and the issue's traps --------------------------------------------


def test_terragrunt_only_repository_is_no_longer_zero_files(tmp_path):
    root = tmp_path / "repo"
    write(root, {"root.hcl": ROOT_HCL.replace("    use_lockfile = true\n", ""),
                 "live/app/terragrunt.hcl": INCLUDE_ROOT + 'terraform {\n  source = "tfr:///acme/app/aws?version=1.0.0"\n}\n'})
    result = run([str(root)], Options())
    assert result.stats["checked"] == 2
    assert [r.directory for r in result.repo.roots] == ["live/app"]
    assert [f"{f.span.path}:{f.span.line}:{f.span.col} {f.rule_id}" for f in result.findings
            if f.rule_id.startswith("IACM1")] == ["root.hcl:7:3 IACM110"]


def test_no_false_iacm101_on_a_module_whose_backend_terragrunt_generates(tmp_path):
    root = tmp_path / "repo"
    module = 'resource "null_resource" "x" {}\n'
    write(root, {"root.hcl": ROOT_HCL,
                 "live/app/terragrunt.hcl": INCLUDE_ROOT + 'terraform {\n  source = "../../modules/app"\n}\n',
                 "live/db/terragrunt.hcl": INCLUDE_ROOT, "live/db/main.tf": module,
                 "modules/app/main.tf": module})
    repo = build_repo([str(root)], Options())
    assert [r.directory for r in repo.roots] == ["live/app", "live/db"]  # modules/app is the working module, no root
    assert findings(root, "IACM101") == []


# ---- bad and hostile input ------------------------------------------------------------------------


def test_include_cycle_and_self_include_terminate_with_diagnostics(tmp_path):
    root = tmp_path / "repo"
    write(root, {
        "a.hcl": 'include "b" {\n  path = "b.hcl"\n}\n',
        "b.hcl": 'include "a" {\n  path = "a.hcl"\n}\n',
        "live/app/terragrunt.hcl": 'include "a" {\n  path = "../../a.hcl"\n}\n',
        "live/self/terragrunt.hcl": 'include "self" {\n  path = "terragrunt.hcl"\n}\n',
        "x/terragrunt.hcl": 'include "y" {\n  path = "../y/terragrunt.hcl"\n}\n',
        "y/terragrunt.hcl": 'include "x" {\n  path = "../x/terragrunt.hcl"\n}\n',
    })
    assert findings(root, "IACM701") == [
        "a.hcl:1:1: error IACM701 a.hcl is included by live/app/terragrunt.hcl and has its own include, but "
        "Terragrunt allows only one level of includes",
    ]


def test_read_terragrunt_config_cycle_and_deep_chain_are_bounded(tmp_path):
    root = tmp_path / "repo"
    files = {"a.hcl": 'locals {\n  b = read_terragrunt_config("b.hcl")\n}\n',
             "b.hcl": 'locals {\n  a = read_terragrunt_config("a.hcl")\n}\n'}
    for index in range(60):  # each file reads the next one, next to itself (read context)
        files[f"chain/c{index}.hcl"] = (f'locals {{\n  next = read_terragrunt_config("c{index + 1}.hcl")\n'
                                        f'  n = {index}\n}}\n')
    files["chain/c60.hcl"] = 'locals {\n  n = 60\n}\n'
    files["live/app/terragrunt.hcl"] = (
        'inputs = {\n  cyc = read_terragrunt_config("../../a.hcl").locals.b.locals.a\n'
        '  far = read_terragrunt_config("../../chain/c0.hcl").locals.next.locals.n\n}\n')
    write(root, files)
    assert inputs_of(root) == {"cyc": UNKNOWN, "far": 1}
    result = run([str(root)], Options())
    assert not result.internal_errors


def test_deep_local_chains_are_bounded_and_a_too_deep_expression_is_iacm000(tmp_path):
    chain = "\n".join(f"  a{i} = lower(local.a{i + 1})" for i in range(150))
    root = tmp_path / "repo"
    write(root, {"live/app/terragrunt.hcl": f'locals {{\n{chain}\n  a150 = "X"\n}}\n\n'
                                            'inputs = {\n  near = local.a140\n  far = local.a0\n}\n'})
    assert inputs_of(root) == {"near": "x", "far": UNKNOWN}  # over 100 locals deep: unknown (TG-1.4)
    nested = '"X"'
    for _ in range(400):
        nested = f"lower({nested})"
    write(root, {"live/db/terragrunt.hcl": f"inputs = {{\n  deep = {nested}\n}}\n"})
    result = run([str(root)], Options(select=("IACM000", "IACM101")))
    assert not result.internal_errors
    assert [f"{f.span.path}:{f.span.line}:{f.span.col} {f.rule_id}" for f in result.findings] == [
        "live/app/terragrunt.hcl:1:1 IACM101",
        "live/db/terragrunt.hcl:1:1 IACM101",  # the unit is still judged on what could be read
        "live/db/terragrunt.hcl:2:609 IACM000",
    ]


def test_files_read_by_functions_are_bounded_in_size_and_number(tmp_path, monkeypatch):
    from iacm_lint.scan import terragrunt as scan_terragrunt

    root = unit_repo(tmp_path, '''  big   = file("big.txt")
  one   = file("one.txt")
  two   = file("two.txt")''', {"live/app/big.txt": "x" * (scan_terragrunt.MAX_READ_BYTES + 1),
                                "live/app/one.txt": "1", "live/app/two.txt": "2"})
    assert inputs_of(root) == {"big": UNKNOWN, "one": "1", "two": "2"}  # over 1 MiB: present, not read
    monkeypatch.setattr(scan_terragrunt, "MAX_FILES_READ", 2)
    assert inputs_of(root) == {"big": UNKNOWN, "one": "1", "two": UNKNOWN}  # the third file read is one too many
    assert findings(root, "IACM701") == []  # files that exist are never reported as missing


def test_nothing_above_the_scan_root_is_read(tmp_path):
    outside = tmp_path / "outside"
    write(outside, {"account.hcl": 'locals {\n  name = "LEAKED-ghp_R7mXq2Lp9vTz4KwN8bYc3HdF6jS1aU0eG5oI"\n}\n'})
    write(tmp_path, {"root.hcl": 'inputs = {\n  leaked = "from above the scan root"\n}\n'})
    root = outside / "repo"
    write(root, {
        "live/app/terragrunt.hcl":
            'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\n'
            'include "up" {\n  path = "../../../account.hcl"\n}\n\n'
            'locals {\n  acct = read_terragrunt_config(find_in_parent_folders("account.hcl"))\n'
            '  pw   = file("/etc/passwd")\n}\n\ninputs = {\n  name = local.acct.locals.name\n  pw = local.pw\n}\n',
    })
    assert inputs_of(root) == {"name": UNKNOWN, "pw": UNKNOWN}
    assert findings(root, "IACM701", "IACM203") == [
        'live/app/terragrunt.hcl:2:10: error IACM701 find_in_parent_folders("root.hcl") finds no root.hcl in the '
        'folders above live/app up to the repository root',
        'live/app/terragrunt.hcl:6:3: error IACM701 include path <repository>/../account.hcl lies outside the '
        'repository, which a Harness clone does not have',
        'live/app/terragrunt.hcl:10:33: error IACM701 find_in_parent_folders("account.hcl") finds no account.hcl in '
        'the folders above live/app up to the repository root',
        'live/app/terragrunt.hcl:11:10: error IACM701 file() reads /etc/passwd, which lies outside the repository, '
        'which a Harness clone does not have',
    ]


def test_symlinked_config_pointing_outside_is_not_read(tmp_path):
    outside = tmp_path / "outside"
    write(outside, {"common.hcl": 'inputs = {\n  token = "ghp_R7mXq2Lp9vTz4KwN8bYc3HdF6jS1aU0eG5oI"\n}\n'})
    root = tmp_path / "repo"
    write(root, {"live/app/terragrunt.hcl": 'include "common" {\n  path = "../../common.hcl"\n}\n'})
    (root / "common.hcl").symlink_to(outside / "common.hcl")
    assert findings(root, "IACM701", "IACM203", "IACM205") == [
        "live/app/terragrunt.hcl:2:3: error IACM701 include path common.hcl is a symbolic link that points outside "
        "the repository, which a Harness clone does not have",
    ]


# ---- git: what a fresh clone has ----------------------------------------------------------------


def test_git_ignored_config_yaml_is_iacm701_and_says_so(tmp_path):
    root = make_repo(tmp_path / "repo", tracked={
        ".gitignore": "config.yaml\n",
        "root.hcl": 'locals {\n  cfg = yamldecode(file(find_in_parent_folders("config.yaml")))\n}\n' + ROOT_HCL,
        "live/example-config.yaml": "bucket: acme\n",
        "live/app/terragrunt.hcl": INCLUDE_ROOT,
    }, untracked={"live/config.yaml": "bucket: acme\n"})
    assert findings(root, "IACM701") == [
        'root.hcl:2:25: error IACM701 find_in_parent_folders("config.yaml") finds only live/config.yaml, which is '
        'git-ignored, so a fresh clone does not have it',
    ]


def test_tracked_terragrunt_cache_is_iacm406_once_per_directory(tmp_path):
    root = make_repo(tmp_path / "repo", tracked={
        "live/app/terragrunt.hcl": INCLUDE_ROOT,
        "live/app/.terragrunt-cache/Xq1/ZZ2/backend.tf": "terraform {}\n",
        "live/app/.terragrunt-cache/Xq1/ZZ2/main.tf": "",
        "live/db/terragrunt.hcl": INCLUDE_ROOT,
    }, untracked={"live/db/.terragrunt-cache/a/main.tf": ""})
    assert findings(root, "IACM406") == [
        'live/app/.terragrunt-cache/Xq1/ZZ2/backend.tf:1:1: error IACM406 directory "live/app/.terragrunt-cache/" is '
        'committed (2 tracked files) although Terragrunt recreates it with copies of module code, generated backend '
        'and provider files and local state; remove it with "git rm -r --cached live/app/.terragrunt-cache" and add '
        '".terragrunt-cache" to .gitignore',
    ]


def test_terragrunt_cache_on_disk_outside_git(tmp_path):
    root = tmp_path / "plain"
    write(root, {"terragrunt.hcl": "inputs = {}\n", ".terragrunt-cache/a/main.tf": ""})
    assert findings(root, "IACM406") == [
        '.terragrunt-cache/a/main.tf:1:1: error IACM406 directory ".terragrunt-cache/" holds Terragrunt\'s scratch '
        'copies (not a git repository, so files on disk were judged); keep it out of the repository with '
        '".terragrunt-cache" in .gitignore',
    ]


# ---- the README's tour and the readiness report --------------------------------------------------

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE = "testdata/examples/terragrunt-live"


def test_readiness_report_has_a_card_per_unit(monkeypatch):
    from click.testing import CliRunner

    from iacm_lint.cli import main

    monkeypatch.chdir(PROJECT)
    report = CliRunner().invoke(main, ["report", EXAMPLE]).output
    card = report.split("### Root live/prod/app", 1)[1].split("#### Backend", 1)[0]
    assert card.strip().endswith(
        "#### Terragrunt unit\n\n"
        "- **Configuration:** `live/prod/app/terragrunt.hcl`; **includes:** `root.hcl`, `_envcommon/app.hcl`\n"
        "- **Backend from:** remote\\_state in root.hcl:6 (generate backend.tf)\n"
        "- **Module:** `modules/app (local)`\n"
        "- **Binary:** not set: the workspace's binary\n"
        "- **terraform_version_constraint:** &gt;= 1.8.0 (root.hcl)")  # Markdown-escaped
    assert "modules/app" not in report.split("## Summary", 1)[1].split("###", 1)[0]  # the working module is no root
    html = CliRunner().invoke(main, ["report", "--format", "html", EXAMPLE]).output
    heading = '<summary><h3><code class="path">live/<wbr>prod/<wbr>app</code>'
    card = html.split(heading, 1)[1].split("<h4>Backend</h4>", 1)[0]
    assert card.strip().endswith(
        '<h4>Terragrunt unit</h4>\n<dl class="facts">\n'
        '<dt>Configuration</dt><dd><code class="path">live/<wbr>prod/<wbr>app/<wbr>terragrunt.hcl</code></dd>\n'
        '<dt>Includes</dt><dd><code class="path">root.hcl</code>, <code class="path">_<wbr>envcommon/<wbr>app.hcl'
        "</code></dd>\n"
        "<dt>Backend from</dt><dd>remote_<wbr>state in root.hcl:6 (generate backend.tf)</dd>\n"
        '<dt>Module</dt><dd><code class="path">modules/<wbr>app (local)</code></dd>\n'
        "<dt>Binary</dt><dd>not set: the workspace&#39;s binary</dd>\n"
        "<dt>terraform_version_constraint</dt><dd>&gt;= 1.8.0 (root.hcl)</dd></dl>")


def test_fixes_never_edit_or_create_files_terragrunt_generates(tmp_path, monkeypatch):
    """remote_state's backend.tf and generate contents are not on disk: a fix
    for a finding in them (IACM104 rename, IACM110 lock, IACM106 local
    backend, IACM202 credential) must not write a file in the unit."""
    from click.testing import CliRunner

    from iacm_lint.cli import main

    root = tmp_path / "repo"
    write(root, {
        "root.hcl": ROOT_HCL.replace("    use_lockfile = true\n", '    dynamodb_tabel = "locks"\n')
                    + 'generate "provider" {\n  path      = "provider.tf"\n  if_exists = "overwrite"\n'
                      '  contents  = <<EOF\nprovider "github" {\n'
                      '  token = "ghp_R7mXq2Lp9vTz4KwN8bYc3HdF6jS1aU0eG5oI"\n}\nEOF\n}\n',
        "live/app/terragrunt.hcl": INCLUDE_ROOT,
        "live/app/main.tf": 'resource "null_resource" "x" {}\n',
        "live/local/terragrunt.hcl": 'remote_state {\n  backend = "local"\n'
                                     '  generate = { path = "backend.tf", if_exists = "overwrite" }\n'
                                     '  config = { path = "terraform.tfstate" }\n}\n',
        "live/local/main.tf": 'resource "null_resource" "x" {}\n',
    })
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["check", ".", "--no-cache", "--fix", "--unsafe-fixes", "--fail-on", "never",
                                       "--select", "IACM104,IACM106,IACM110,IACM202"])
    assert result.exit_code == 0, result.output
    for rule_id in ("IACM104", "IACM106", "IACM110", "IACM202"):
        assert f" {rule_id} " in result.output
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


# ---- editor buffers (engine/workspace.py, the language server's engine) -------------------------


def test_editor_buffers_keep_units_as_roots_and_recheck_them(tmp_path):
    """A buffer rebuilds the Terragrunt model from the edited texts: the units
    stay the roots (their local source module does not become one), and an
    edit of root.hcl or of a unit's terragrunt.hcl is judged as a fresh scan
    of the same texts judges it."""
    from iacm_lint.engine.workspace import Workspace

    unit = INCLUDE_ROOT + 'terraform {\n  source = "../../modules/app"\n}\n'
    files = {"root.hcl": ROOT_HCL, "live/app/terragrunt.hcl": unit,
             "modules/app/main.tf": 'resource "null_resource" "x" {}\n'}
    write(tmp_path / "repo", files)
    options = Options(select=("IACM101", "IACM110", "IACM403"))
    workspace = Workspace(str(tmp_path / "repo"), options)

    def shown(checked: Workspace) -> list[str]:
        return [f"{f.span.path}:{f.span.line}: {f.level} {f.rule_id} {f.message}" for f in checked.check().findings]

    assert workspace.relative(str(tmp_path / "repo" / "root.hcl")) == "root.hcl"  # the server hands its buffers in
    assert [root.directory for root in workspace.repo.roots] == ["live/app"]
    assert shown(workspace) == ['live/app/terragrunt.hcl:1: note IACM403 unit "live/app" has no .terraform.lock.hcl '
                                "(not a git repository, so files on disk were judged), so provider versions can differ "
                                'between plan and apply; run "tofu init" and commit live/app/.terraform.lock.hcl']
    edits = {"root.hcl": ROOT_HCL.replace("    use_lockfile = true\n", ""),
             "live/app/terragrunt.hcl": unit.replace(INCLUDE_ROOT, "")}
    workspace.set_buffer("root.hcl", edits["root.hcl"])
    assert [root.directory for root in workspace.repo.roots] == ["live/app"]
    assert 'root.hcl:7: error IACM110 remote_state "s3" has no state lock; set use_lockfile = true or dynamodb_table' \
        in shown(workspace)
    workspace.set_buffer("live/app/terragrunt.hcl", edits["live/app/terragrunt.hcl"])
    assert [root.directory for root in workspace.repo.roots] == ["live/app"]
    assert 'live/app/terragrunt.hcl:1: warning IACM101 unit "live/app" has no backend: no remote_state in its ' \
        "configuration or includes and no backend block in its working module; add a remote_state block with " \
        "generate (usually in root.hcl)" in shown(workspace)
    write(tmp_path / "fresh", {**files, **edits})
    assert shown(workspace) == shown(Workspace(str(tmp_path / "fresh"), options))
    workspace.drop_buffer("root.hcl")
    workspace.drop_buffer("live/app/terragrunt.hcl")
    assert [root.directory for root in workspace.repo.roots] == ["live/app"]
    assert shown(workspace) == shown(Workspace(str(tmp_path / "repo"), options))


# ---- check FILE... (filter/named.py, cli/arguments.py) ------------------------------------------


def test_check_named_terragrunt_files_reports_what_the_whole_scan_finds_there(tmp_path, monkeypatch):
    """`check root.hcl` (pre-commit, an editor) scans the project and reports
    the findings located in the named file, those of the units that include
    it too, and names the engine of those units."""
    from click.testing import CliRunner

    from iacm_lint.cli import main

    root = tmp_path / "repo"
    make_repo(root, {
        "root.hcl": ROOT_HCL.replace("    use_lockfile = true\n", "") + 'terraform_version_constraint = ">= 1.20.0"\n',
        "live/app/terragrunt.hcl": INCLUDE_ROOT, "live/app/main.tf": 'resource "null_resource" "x" {}\n',
        "live/b/terragrunt.hcl": INCLUDE_ROOT, "live/b/main.tf": 'resource "null_resource" "x" {}\n',
    })
    monkeypatch.chdir(root)

    def check(*paths: str) -> list[str]:
        result = CliRunner().invoke(main, ["check", *paths, "--no-cache", "--format", "gcc", "--fail-on", "never"])
        assert result.exit_code == 0, result.output
        return sorted(line for line in result.output.splitlines() if line)

    everything = check(".")
    assert [line.split(":", 1)[0] for line in everything] == [
        "live/app/terragrunt.hcl", "live/app/terragrunt.hcl", "live/b/terragrunt.hcl", "root.hcl", "root.hcl"]
    for named in ("root.hcl", "live/app/terragrunt.hcl", "live/b/terragrunt.hcl"):
        assert check(named) == [line for line in everything if line.startswith(named + ":")], named
    assert check("root.hcl") == [
        'root.hcl:14:1: error: terraform_version_constraint ">= 1.20.0" in root.hcl excludes every OpenTofu release '
        "Harness supports (1.6.0–1.12.6); no supported Terraform or OpenTofu release accepts this root (shared by 2 "
        "units) [IACM301]",
        'root.hcl:7:3: error: remote_state "s3" has no state lock; set use_lockfile = true or dynamodb_table (shared '
        "by 2 units) [IACM110]"]
    summary = CliRunner().invoke(main, ["check", "root.hcl", "--no-cache"]).output.splitlines()[-1]
    assert summary == ("2 errors, 0 warnings, 0 notes in 1 file (engine: opentofu, from default: Harness runs "
                       "existing backends with OpenTofu)")

"""The rule registry: one explicit list of rule modules, and the contracts a
rule declares in its metadata (the readiness checklist item it fails, the
rules IACM203 leaves secrets to) instead of lists kept elsewhere by hand."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import pytest

import iacm_lint.rules as rules_package
from iacm_lint.engine import run
from iacm_lint.options import Options
from iacm_lint.registry import CHECKLIST_ITEMS, RULE_MODULES, all_rules, get_rule
from iacm_lint.report.readiness.model import CHECKLIST_TITLES
from iacm_lint.rules import iacm203_secret_pattern
from iacm_lint.rules._secret_scan import VALUES_JUDGED_BY


def test_every_rule_module_is_listed_once_and_registers_one_rule():
    modules = sorted(info.name for info in pkgutil.iter_modules(rules_package.__path__)
                     if not info.name.startswith("_"))
    assert sorted(RULE_MODULES) == modules
    assert len(set(RULE_MODULES)) == len(RULE_MODULES)
    by_module = {rule.func.__module__.rsplit(".", 1)[-1]: rule.id for rule in all_rules()}
    assert sorted(by_module) == modules
    assert all(module.startswith(rule_id.lower() + "_") for module, rule_id in by_module.items())


def test_checklist_membership_is_the_rules_own():
    members: dict[str, list[str]] = {}
    for rule in all_rules():
        if rule.checklist is not None:
            members.setdefault(rule.checklist, []).append(rule.id)
    assert list(CHECKLIST_TITLES) == list(CHECKLIST_ITEMS)
    ids = lambda *numbers: [f"IACM{n}" for n in numbers]  # noqa: E731
    assert members == {
        "backend": ids(*range(101, 110), 701, 702),
        "state": ids(110, 111, 112, 113, 114, 401, 402, 405, 406),
        "credentials": ids(*range(201, 208), 603),
        "pipeline": ids(*range(501, 509)),
        "version": ids(*range(301, 309), 601, 604),
    }


def test_a_checklist_item_must_exist():
    from iacm_lint.registry import rule

    with pytest.raises(ValueError, match="checklist 'locks' not in"):
        rule("IACM999", "x", level="note", short="x", scope="repo", checklist="locks")


def test_iacm203_defers_to_every_other_rule_that_reports_secrets():
    """A new secret rule must be declared in IACM203's `defers_to` (and say
    which values it judges), or IACM203 reports its literals a second time."""
    pattern = get_rule("IACM203")
    others = sorted(r.id for r in all_rules() if r.reports_secrets and r.id != "IACM203")
    assert sorted(pattern.defers_to) == others
    assert sorted(VALUES_JUDGED_BY) == others


# One literal in a credential format for each rule IACM203 defers to.
DEFERRED_LITERALS = {
    "main.tf": '''terraform {
  backend "s3" {
    bucket     = "acme"
    key        = "app.tfstate"
    region     = "eu-west-1"
    access_key = "AKIAZ7QH3KX2M4PLNW5R"
  }
}

provider "aws" {
  access_key = "AKIAZ7QH3KX2M4PLNW5Q"
}

variable "github_token" {
  default = "AKIAZ7QH3KX2M4PLNW5A"
}

resource "aws_db_instance" "db" {
  password = "AKIAZ7QH3KX2M4PLNW5B"
}

resource "harness_platform_workspace" "ws" {
  identifier          = "ws"
  provisioner_type    = "opentofu"
  provisioner_version = "1.8.0"
  repository          = "infra"
  repository_path     = "."
  environment_variable {
    key        = "GITHUB_TOKEN"
    value      = "AKIAZ7QH3KX2M4PLNW5C"
    value_type = "string"
  }
}

resource "harness_platform_pipeline" "deploy" {
  identifier = "deploy"
  yaml = <<-EOT
    pipeline:
      name: deploy
      identifier: deploy
      variables:
        - name: GITHUB_TOKEN
          type: String
          value: AKIAZ7QH3KX2M4PLNW5D
      stages: []
  EOT
}
''',
    "terraform.tfvars": 'github_token = "AKIAZ7QH3KX2M4PLNW5E"\n',
}
REPORTED_BY = {"IACM201": ("main.tf", 6), "IACM202": ("main.tf", 11), "IACM204": ("main.tf", 15),
               "IACM207": ("main.tf", 19), "IACM603": ("main.tf", 30), "IACM206": ("main.tf", 44),
               "IACM205": ("terraform.tfvars", 1)}


@pytest.fixture(scope="module")
def deferred_repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("deferred")
    for name, text in DEFERRED_LITERALS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _found(root: Path) -> set[tuple[str, str, int]]:
    result = run([str(root)], Options(cache=False, select=("IACM2", "IACM603")))
    return {(f.rule_id, f.span.path, f.span.line) for f in result.findings}


def test_iacm203_leaves_each_literal_to_the_rule_that_names_it(deferred_repo):
    assert _found(deferred_repo) == {(rule_id, *place) for rule_id, place in REPORTED_BY.items()}


@pytest.mark.parametrize("missing", sorted(REPORTED_BY))
def test_without_its_declaration_iacm203_reports_the_literal_again(deferred_repo, monkeypatch, missing):
    """The declaration is what IACM203 acts on: drop one rule from it and
    IACM203 reports that rule's literal too."""
    monkeypatch.setattr(iacm203_secret_pattern, "DEFERS_TO",
                        tuple(r for r in iacm203_secret_pattern.DEFERS_TO if r != missing))
    extra = _found(deferred_repo) - {(rule_id, *place) for rule_id, place in REPORTED_BY.items()}
    assert extra == {("IACM203", *REPORTED_BY[missing])}

"""Shell analysis for IACM501: which scripts run terraform/tofu/terragrunt
state commands, and exactly where."""

from __future__ import annotations

import pytest

from iacm_lint.knowledge.shell import find_iac_commands


def _found(script):
    return [(c.tool, c.subcommand, c.text, script[c.start:c.end]) for c in find_iac_commands(script)]


@pytest.mark.parametrize("script, expected", [
    ("terraform init && terraform plan -out=tfplan && terraform apply tfplan",
     [("terraform", "init"), ("terraform", "plan"), ("terraform", "apply")]),
    ("cd envs/prod && terraform -chdir=envs/prod apply -auto-approve", [("terraform", "apply")]),
    ("terraform \\\n  apply -auto-approve", [("terraform", "apply")]),
    ("tofu init | tee init.log; tofu plan", [("tofu", "init"), ("tofu", "plan")]),
    ("terragrunt run-all apply --terragrunt-non-interactive", [("terragrunt", "apply")]),
    ("terragrunt run --all destroy", [("terragrunt", "destroy")]),
    ("FOO=1 sudo -E env TF_LOG=debug /usr/local/bin/terraform destroy", [("terraform", "destroy")]),
    ("bash -c \"terraform init && terraform apply\"", [("terraform", "init"), ("terraform", "apply")]),
    ("if terraform plan -detailed-exitcode; then echo ok; fi", [("terraform", "plan")]),
    ("(cd x; tofu apply)", [("tofu", "apply")]),
    ("terraform state rm aws_s3_bucket.b", [("terraform", "state")]),
    ("terraform import aws_s3_bucket.b my-bucket", [("terraform", "import")]),
    ("terraform -chdir=\"my dir\" plan", [("terraform", "plan")]),
    ("terraform init -backend=true", [("terraform", "init")]),
    ("terraform init -backend-config=prod.tfbackend -reconfigure", [("terraform", "init")]),
    ("tofu init -backend=false && tofu plan", [("tofu", "plan")]),
    ("echo -backend=false; terraform init", [("terraform", "init")]),
])
def test_state_commands_are_found(script, expected):
    assert [(tool, sub) for tool, sub, _, _ in _found(script)] == expected


@pytest.mark.parametrize("script", [
    "terraform fmt -check -recursive && terraform validate && terraform version",
    "tflint --init && tflint",
    "# terraform apply\necho done",
    'echo "terraform apply"; printf "tofu destroy\\n"',
    "echo terraform apply",
    "cat <<EOF > notes.txt\nterraform apply\nEOF\nterraform output -raw url",
    "terraform workspace select dev",
    "x=$(terraform output -json)",
    "make apply",
    "terragrunt hclfmt",
    "terraform init -backend=false && terraform validate",
    "tofu -chdir=modules/vpc init -input=false -backend=false\ntofu -chdir=modules/vpc test",
    "terraform init --backend=FALSE -upgrade",
    "",
])
def test_non_state_commands_are_ignored(script):
    assert _found(script) == []


def test_offsets_cover_tool_through_subcommand():
    script = "set -e\ncd envs/prod && terraform -chdir=envs/prod \\\n  apply -auto-approve\n"
    [(_tool, _sub, text, source)] = _found(script)
    assert source == "terraform -chdir=envs/prod \\\n  apply"
    assert text == "terraform -chdir=envs/prod apply"
    assert script.index("terraform") == find_iac_commands(script)[0].start


def test_offsets_inside_sh_c_point_into_the_quoted_script():
    script = "sh -c 'tofu apply -auto-approve'"
    [(_, _, text, source)] = _found(script)
    assert source == "tofu apply" and text == "tofu apply"


@pytest.mark.parametrize("script, expected", [
    ("id=$(terraform apply -auto-approve -json | jq -r .id)", [("terraform", "apply")]),
    ('echo "result: $(tofu destroy -auto-approve)"', [("tofu", "destroy")]),
    ("out=`terraform plan -no-color`", [("terraform", "plan")]),
    ("x=$(cd envs/dev && terraform init)", [("terraform", "init")]),
])
def test_command_substitutions_run_their_commands(script, expected):
    assert [(tool, sub) for tool, sub, _, _ in _found(script)] == expected


@pytest.mark.parametrize("script", [
    "echo '$(terraform apply)'",
    "n=$((1 + 2)); terraform fmt",
    "v=$(terraform version -json)",
])
def test_no_substitution_in_single_quotes_or_arithmetic(script):
    assert _found(script) == []


def test_offsets_inside_a_substitution_point_into_the_script():
    script = "url=$(terraform apply -auto-approve)"
    [(_, _, text, source)] = _found(script)
    assert source == "terraform apply" and text == "terraform apply"

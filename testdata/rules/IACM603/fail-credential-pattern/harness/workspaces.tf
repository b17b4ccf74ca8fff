resource "harness_platform_workspace" "network" {
  identifier              = "network"
  name                    = "network"
  org_id                  = var.org_id
  project_id              = var.project_id
  provisioner_type        = "opentofu"
  provisioner_version     = "1.8.8"
  provider_connector      = "account.aws_oidc"
  repository              = "platform-live"
  repository_connector    = "account.github_acme"
  repository_branch       = "main"
  repository_path         = "infra/network"
  cost_estimation_enabled = true

  environment_variable {
    key        = "AWS_ACCESS_KEY_ID"
    value      = "AKIA4QWERTZ7UIOP2LKJ"
    value_type = "string"
  }

  terraform_variable {
    key        = "registry_url"
    value      = "https://ci-bot:Zx8Cv7Bn6Mm5@registry.acme.io/v2"
    value_type = "string"
  }
}

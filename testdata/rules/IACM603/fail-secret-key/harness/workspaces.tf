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
    key        = "ARM_CLIENT_ID"
    value      = "0f8a3c52-6c7e-4b1d-9a5e-2d7f1b4c8e90"
    value_type = "string"
  }

  environment_variable {
    key        = "ARM_CLIENT_SECRET"
    value      = "Qh7~vR2pX9.kLm4TzW8yNc3Bf6Gd1Js5"
    value_type = "string"
  }
}

resource "harness_platform_workspace" "database" {
  identifier              = "database"
  name                    = "database"
  org_id                  = var.org_id
  project_id              = var.project_id
  provisioner_type        = "opentofu"
  provisioner_version     = "1.8.8"
  provider_connector      = "account.aws_oidc"
  repository              = "platform-live"
  repository_connector    = "account.github_acme"
  repository_branch       = "main"
  repository_path         = "infra/database"
  cost_estimation_enabled = true

  terraform_variable {
    key        = "db_password"
    value      = "Pl4tf0rm-Db-2024!"
    value_type = "string"
  }
}

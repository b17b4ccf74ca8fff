# One Harness IaCM workspace per root module under infra/.
locals {
  repository = "platform-live"

  roots = {
    network  = "infra/network"
    database = "infra/database"
  }
}

resource "harness_platform_workspace" "network" {
  identifier              = "network_prod"
  name                    = "network-prod"
  org_id                  = var.org_id
  project_id              = var.project_id
  provisioner_type        = "opentofu"
  provisioner_version     = "1.8.8"
  provider_connector      = "account.aws_platform_oidc"
  repository              = local.repository
  repository_connector    = "account.github_acme"
  repository_branch       = "main"
  repository_path         = local.roots.network
  cost_estimation_enabled = true

  terraform_variable {
    key        = "environment"
    value      = var.environment
    value_type = "string"
  }

  environment_variable {
    key        = "AWS_REGION"
    value      = "us-east-1"
    value_type = "string"
  }
}

resource "harness_platform_workspace" "database" {
  identifier              = "database_prod"
  name                    = "database-prod"
  org_id                  = var.org_id
  project_id              = var.project_id
  provisioner_type        = "opentofu"
  provisioner_version     = "1.8.8"
  provider_connector      = "account.aws_platform_oidc"
  repository              = "platform-live"
  repository_connector    = "account.github_acme"
  repository_branch       = "main"
  repository_path         = "infra/database"
  cost_estimation_enabled = true

  terraform_variable {
    key        = "environment"
    value      = var.environment
    value_type = "string"
  }

  terraform_variable {
    key        = "subnet_ids"
    value      = "[\"subnet-0a1b2c3d\", \"subnet-4e5f6a7b\"]"
    value_type = "string"
  }

  environment_variable {
    key        = "PGPASSWORD"
    value      = "account.platform_db_admin_password"
    value_type = "secret"
  }
}

resource "harness_platform_workspace" "app" {
  identifier              = "app_prod"
  name                    = "app-prod"
  org_id                  = var.org_id
  project_id              = var.project_id
  provisioner_type        = "opentofu"
  provisioner_version     = var.tofu_version
  provider_connector      = "account.aws_platform_oidc"
  repository              = "platform-live"
  repository_connector    = "account.github_acme"
  repository_branch       = "main"
  repository_path         = "infra/app"
  cost_estimation_enabled = false

  terraform_variable {
    key        = "environment"
    value      = var.environment
    value_type = "string"
  }

  environment_variable {
    key        = "GITHUB_TOKEN"
    value      = "account.github_acme_token"
    value_type = "secret"
  }
}

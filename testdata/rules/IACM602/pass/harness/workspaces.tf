locals {
  roots = {
    network  = "infra/network"
    database = "./infra/database/"
  }
}

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
  repository_path         = local.roots.network
  cost_estimation_enabled = true
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
  repository_path         = local.roots.database
  cost_estimation_enabled = true
}

resource "harness_platform_workspace" "app" {
  identifier              = "app"
  name                    = "app"
  org_id                  = var.org_id
  project_id              = var.project_id
  provisioner_type        = "opentofu"
  provisioner_version     = "1.8.8"
  provider_connector      = "account.aws_oidc"
  repository              = "platform-live"
  repository_connector    = "account.github_acme"
  repository_branch       = "main"
  repository_path         = "/infra/app"
  cost_estimation_enabled = true
}

# Workspaces of the payments team's own repository.

resource "harness_platform_workspace" "payments" {
  identifier              = "payments"
  name                    = "payments"
  org_id                  = var.org_id
  project_id              = var.project_id
  provisioner_type        = "opentofu"
  provisioner_version     = "1.8.8"
  provider_connector      = "account.aws_oidc"
  repository              = "https://github.com/acme/payments-infra.git"
  repository_connector    = "account.github_acme"
  repository_branch       = "main"
  repository_path         = "terraform/prod"
  cost_estimation_enabled = true
}

resource "harness_platform_workspace" "ledger" {
  identifier              = "ledger"
  name                    = "ledger"
  org_id                  = var.org_id
  project_id              = var.project_id
  provisioner_type        = "opentofu"
  provisioner_version     = "1.8.8"
  provider_connector      = "account.aws_oidc"
  repository              = "https://github.com/acme/payments-infra.git"
  repository_connector    = "account.github_acme"
  repository_branch       = "main"
  repository_path         = var.ledger_path
  cost_estimation_enabled = true
}

# Workspaces for the roots under infra/.

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
}

resource "harness_platform_workspace" "app" {
  identifier              = "app"
  name                    = "app"
  org_id                  = var.org_id
  project_id              = var.project_id
  provisioner_type        = "terraform"
  provisioner_version     = "1.5.7"
  provider_connector      = "account.aws_oidc"
  repository              = "platform-live"
  repository_connector    = "account.github_acme"
  repository_branch       = "main"
  repository_path         = "infra/app"
  cost_estimation_enabled = true
}

resource "harness_platform_workspace" "edge" {
  identifier              = "edge"
  name                    = "edge"
  org_id                  = var.org_id
  project_id              = var.project_id
  provisioner_type        = "opentofu"
  provisioner_version     = var.tofu_version
  provider_connector      = "account.aws_oidc"
  repository              = "platform-live"
  repository_connector    = "account.github_acme"
  repository_branch       = "main"
  repository_path         = "infra/edge"
  cost_estimation_enabled = true
}

resource "harness_platform_workspace" "live" {
  identifier              = "live"
  name                    = "live"
  org_id                  = var.org_id
  project_id              = var.project_id
  provisioner_type        = "terragrunt"
  provisioner_version     = "0.55.1"
  provider_connector      = "account.aws_oidc"
  repository              = "platform-live"
  repository_connector    = "account.github_acme"
  repository_branch       = "main"
  repository_path         = "live/prod"
  cost_estimation_enabled = true
}

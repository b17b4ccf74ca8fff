resource "harness_platform_workspace" "app" {
  identifier           = "app"
  name                 = "app"
  org_id               = "acme"
  project_id           = "live"
  provisioner_type     = "opentofu"
  provisioner_version  = "1.8.8"
  provider_connector   = "account.aws_oidc"
  repository           = "platform-live"
  repository_connector = "account.github_acme"
  repository_branch    = "main"
  repository_path      = "live/prod/app"
  terragrunt_provider  = true
  terragrunt_version   = "0.97.0"
}

resource "harness_platform_workspace" "prod" {
  identifier           = "prod"
  name                 = "prod"
  org_id               = "acme"
  project_id           = "live"
  provisioner_type     = "opentofu"
  provisioner_version  = "1.8.8"
  provider_connector   = "account.aws_oidc"
  repository           = "platform-live"
  repository_connector = "account.github_acme"
  repository_branch    = "main"
  repository_path      = "live/prod"
  terragrunt_provider  = true
  terragrunt_version   = "0.97.0"
  run_all              = true
}


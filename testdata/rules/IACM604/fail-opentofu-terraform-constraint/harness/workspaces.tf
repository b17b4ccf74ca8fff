resource "harness_platform_workspace" "network" {
  identifier              = "network"
  name                    = "network"
  org_id                  = var.org_id
  project_id              = var.project_id
  provisioner_type        = "opentofu"
  provisioner_version     = "1.7.3"
  provider_connector      = "account.aws_oidc"
  repository              = "platform-live"
  repository_connector    = "account.github_acme"
  repository_branch       = "main"
  repository_path         = "infra/network"
  cost_estimation_enabled = true
}

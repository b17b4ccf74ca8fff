resource "harness_platform_workspace" "network" {
  identifier              = "retail_network"
  name                    = "retail-network"
  org_id                  = "default"
  project_id              = "retail"
  provisioner_type        = "opentofu"
  provisioner_version     = "1.8.5"
  provider_connector      = "account.gcp_retail"
  repository              = "retail-infra"
  repository_connector    = "account.github"
  repository_branch       = "main"
  repository_path         = "network"
  cost_estimation_enabled = true
}

resource "harness_platform_workspace" "app" {
  identifier              = "retail_app"
  name                    = "retail-app"
  org_id                  = "default"
  project_id              = "retail"
  provisioner_type        = "opentofu"
  provisioner_version     = "1.8.5"
  provider_connector      = "account.aws_retail"
  repository              = "retail-infra"
  repository_connector    = "account.github"
  repository_branch       = "main"
  repository_path         = "app"
  cost_estimation_enabled = true
}
